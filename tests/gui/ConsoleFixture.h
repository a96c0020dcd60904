#pragma once

// What the console's GUI tests share: a fleet writing through the guard to the test's stores,
// and the console's connection to them as one of the test logins.

#include "ConnectionSettings.h"
#include "Fleet.h"
#include "TestStores.h"

namespace pitwall::test {

// A quiet fleet (no runaways, no tool outages) on the test's stores; the caller sets the rest.
inline FleetOptions quietFleet(const TestStores &stores) {
    FleetOptions o;
    o.guard.pg = stores.pg(TestStores::kAgent);
    o.guard.redis = stores.redis();
    o.guard.keyPrefix = stores.prefix();
    o.runawayRate = 0;
    o.outagesPerToolHour = 0;
    return o;
}

inline ConnectionSettings consoleSettings(const TestStores &stores, const char *login) {
    ConnectionSettings s;
    s.postgres = QString::fromStdString(stores.pg(login));
    s.redis = QString::fromStdString(stores.redisUrl());
    s.keyPrefix = QString::fromStdString(stores.prefix());
    return s;
}

} // namespace pitwall::test

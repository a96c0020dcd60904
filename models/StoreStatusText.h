#pragma once

#include "StoreHealth.h"

#include <QCoreApplication>
#include <QString>

namespace pitwall {

// What the status bar says about one store: a short label, a tooltip with the details, and a
// tone for its colour. Pure: derived from a StoreHealth alone.
struct StoreStatusText {
    enum class Tone { Neutral, Good, Warning, Bad };
    QString label;
    QString tooltip;
    Tone tone = Tone::Neutral;
};

// Whether the login may kill runs, and if not, why (for the button's tooltip).
struct KillPermission {
    bool allowed = false;
    QString whyNot;
};

class StoreStatus {
    Q_DECLARE_TR_FUNCTIONS(StoreStatus)
public:
    static StoreStatusText postgres(const StoreHealth &h);
    static StoreStatusText redis(const StoreHealth &h);
    static QString liveRuns(const StoreHealth &h);
    static QString roundTrip(double ms);
};

KillPermission killPermission(const StoreHealth &h);
// Whether the login may change rollouts (weight, promote, roll back): pitwall_operator.
KillPermission rolloutPermission(const StoreHealth &h);
// Whether the login may change canary policies: pitwall_operator or pitwall_budget_owner.
KillPermission canaryPolicyPermission(const StoreHealth &h);
// Caps, spend alerts and counter repairs: pitwall_budget_owner.
KillPermission capPermission(const StoreHealth &h);
// Forcing or clearing a breaker: pitwall_operator.
KillPermission breakerPermission(const StoreHealth &h);

} // namespace pitwall

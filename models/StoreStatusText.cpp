#include "StoreStatusText.h"

namespace pitwall {

QString StoreStatus::roundTrip(double ms) {
    return ms < 10 ? tr("%1 ms").arg(ms, 0, 'f', 1) : tr("%1 ms").arg(qRound(ms));
}

StoreStatusText StoreStatus::postgres(const StoreHealth &h) {
    StoreStatusText t;
    switch (h.postgres) {
    case StoreHealth::State::Unknown:
        t.label = tr("PostgreSQL: connecting…");
        t.tooltip = h.postgresServer;
        return t;
    case StoreHealth::State::Down:
        t.label = tr("PostgreSQL: unreachable");
        t.tooltip = h.postgresError;
        t.tone = StoreStatusText::Tone::Bad;
        return t;
    case StoreHealth::State::Healthy:
        break;
    }
    t.label = tr("PostgreSQL %1 · %2 · schema v%3 · %4")
                  .arg(h.postgresVersion, roundTrip(h.postgresRttMs))
                  .arg(h.schemaVersion)
                  .arg(h.role);
    t.tooltip = h.postgresServer;
    t.tone = StoreStatusText::Tone::Good;
    if (!h.postgresError.isEmpty()) {
        t.tone = StoreStatusText::Tone::Warning;
        t.tooltip = h.postgresError;
    }
    return t;
}

StoreStatusText StoreStatus::redis(const StoreHealth &h) {
    StoreStatusText t;
    switch (h.redis) {
    case StoreHealth::State::Unknown:
        t.label = tr("Redis: connecting…");
        t.tooltip = h.redisServer;
        return t;
    case StoreHealth::State::Down:
        t.label = tr("Redis: unreachable");
        t.tooltip = h.redisError;
        t.tone = StoreStatusText::Tone::Bad;
        return t;
    case StoreHealth::State::Healthy:
        break;
    }
    t.label = tr("Redis %1 · %2").arg(h.redisVersion, roundTrip(h.redisRttMs));
    t.tooltip = h.redisServer;
    t.tone = StoreStatusText::Tone::Good;
    // After a restart the mirrors came back from PostgreSQL: said, not silently done.
    if (!h.mirrorNote.isEmpty()) {
        t.label += QStringLiteral(" · ") + h.mirrorNote;
        t.tooltip += QLatin1Char('\n') + h.mirrorNote;
    }
    return t;
}

QString StoreStatus::liveRuns(const StoreHealth &h) {
    if (h.liveRuns < 0)
        return tr("Live runs: –");
    return tr("Live runs: %1").arg(h.liveRuns);
}

KillPermission killPermission(const StoreHealth &h) {
    if (h.postgres != StoreHealth::State::Healthy)
        return {false, StoreStatus::tr("PostgreSQL is not reachable.")};
    if (!h.roles.contains(QStringLiteral("operator")))
        return {false,
                StoreStatus::tr("%1 may not kill runs: that needs the pitwall_operator role.")
                    .arg(h.role)};
    return {true, {}};
}

KillPermission rolloutPermission(const StoreHealth &h) {
    if (h.postgres != StoreHealth::State::Healthy)
        return {false, StoreStatus::tr("PostgreSQL is not reachable.")};
    if (!h.roles.contains(QStringLiteral("operator")))
        return {false, StoreStatus::tr("%1 may not change rollouts: that needs the "
                                       "pitwall_operator role.")
                           .arg(h.role)};
    return {true, {}};
}

KillPermission breakerPermission(const StoreHealth &h) {
    if (h.postgres != StoreHealth::State::Healthy)
        return {false, StoreStatus::tr("PostgreSQL is not reachable.")};
    if (!h.roles.contains(QStringLiteral("operator")))
        return {false, StoreStatus::tr("%1 may not force or clear breakers: that needs the "
                                       "pitwall_operator role.")
                           .arg(h.role)};
    return {true, {}};
}

KillPermission capPermission(const StoreHealth &h) {
    if (h.postgres != StoreHealth::State::Healthy)
        return {false, StoreStatus::tr("PostgreSQL is not reachable.")};
    if (!h.roles.contains(QStringLiteral("budget_owner")))
        return {false, StoreStatus::tr("%1 may not change caps, spend alerts or counters: that "
                                       "needs the pitwall_budget_owner role.")
                           .arg(h.role)};
    return {true, {}};
}

KillPermission canaryPolicyPermission(const StoreHealth &h) {
    if (h.postgres != StoreHealth::State::Healthy)
        return {false, StoreStatus::tr("PostgreSQL is not reachable.")};
    if (!h.roles.contains(QStringLiteral("operator")) &&
        !h.roles.contains(QStringLiteral("budget_owner")))
        return {false, StoreStatus::tr("%1 may not change canary policies: that needs the "
                                       "pitwall_operator or pitwall_budget_owner role.")
                           .arg(h.role)};
    return {true, {}};
}

} // namespace pitwall

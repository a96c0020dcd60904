#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace pitwall {

// What the fleet has been doing, at a glance: published with each health look.
struct ActivitySummary {
    struct Action {
        QDateTime at;
        QString actor, kind, target, reason;
        bool mirrored = false;
    };
    struct Breaker {
        QString tool, state, forced;
    };

    QMap<QString, qint64> runsByStatus; // runs started in the last 15 minutes
    qint64 spentTodayMicros = 0;        // settled, all agents
    qint64 reservedMicros = 0;          // reserved by requests in flight
    qint64 globalCapMicros = -1;        // -1: no global cap
    QList<Breaker> breakersNotClosed;
    QList<Action> recentActions; // newest first
};

} // namespace pitwall

Q_DECLARE_METATYPE(pitwall::ActivitySummary)

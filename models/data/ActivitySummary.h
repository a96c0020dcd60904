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

    // Runs that ended in one minute, by final status.
    struct Minute {
        qint64 startMs = 0;
        QMap<QString, qint64> byStatus;
    };

    QMap<QString, qint64> runsByStatus; // runs started in the last 15 minutes
    QList<Minute> runsPerMinute;        // the last 60 minutes, oldest first, the current last
    qint64 failedLast5m = 0;            // runs that ended as failed in the last 5 minutes
    qint64 pendingActions = 0;          // actions recorded but not yet applied to Redis
    qint64 oldestPendingMs = 0;         // when the oldest of them was recorded
    qint64 spentTodayMicros = 0;        // settled, all agents
    qint64 reservedMicros = 0;          // reserved by requests in flight
    qint64 globalCapMicros = -1;        // -1: no global cap
    QList<Breaker> breakersNotClosed;
    QString breakersError;       // set when the breakers could not be read (the rest could)
    QList<Action> recentActions; // newest first
};

} // namespace pitwall

Q_DECLARE_METATYPE(pitwall::ActivitySummary)

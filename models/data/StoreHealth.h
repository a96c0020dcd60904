#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace pitwall {

// One look at both stores, published by StoreHealthProbe.
struct StoreHealth {
    enum class State { Unknown, Healthy, Down };

    State postgres = State::Unknown;
    QString postgresServer;  // where, without the password
    QString postgresVersion; // "15.8"
    QString role;            // the login, and the pitwall roles it holds
    QStringList roles;       // those roles without the pitwall_ prefix: viewer, operator, ...
    int schemaVersion = -1;  // -1: no Pitwall schema
    double postgresRttMs = 0;
    QString postgresError; // one sentence when Down

    State redis = State::Unknown;
    QString redisServer;
    QString redisVersion;
    double redisRttMs = 0;
    QString redisError;

    qint64 liveRuns = -1; // members of pitwall:live, -1 when unknown
    int pendingMirrors = 0;
    QString mirrorNote; // what was restored to Redis from PostgreSQL after a restart; or empty
};

} // namespace pitwall

Q_DECLARE_METATYPE(pitwall::StoreHealth)

#pragma once

#include <QString>

#include <functional>

namespace pitwall {

// Where the console and the CLI connect: --pg/--redis, else PITWALL_PG/PITWALL_REDIS.
struct ConnectionSettings {
    QString postgres; // a libpq connection string or URI
    QString redis;    // redis://[user:password@]host[:port][/db] or unix:///path.sock
    QString keyPrefix = QStringLiteral("pitwall:");

    bool isComplete() const { return !postgres.isEmpty() && !redis.isEmpty(); }

    // A connection split into where (safe to store and to show) and its password (for the
    // system keychain only).
    struct Credential {
        QString address;
        QString password;
    };
};

// How connection strings are read and written: implemented by the parsers that connect
// (services/store/ConnectionStrings.h), handed to the views that edit them.
struct ConnectionGrammar {
    std::function<ConnectionSettings::Credential(const QString &)> splitPostgres, splitRedis;
    std::function<QString(const QString &address, const QString &password)> joinPostgres, joinRedis;
    // One sentence on what is wrong with a Redis URL; empty when it can be used.
    std::function<QString(const QString &)> redisProblem;
};

} // namespace pitwall

#pragma once

#include <QString>

namespace pitwall {

// Where the console and the CLI connect: --pg/--redis, else PITWALL_PG/PITWALL_REDIS.
struct ConnectionSettings {
    QString postgres; // a libpq connection string or URI
    QString redis;    // redis://[user:password@]host[:port][/db] or unix:///path.sock
    QString keyPrefix = QStringLiteral("pitwall:");

    bool isComplete() const { return !postgres.isEmpty() && !redis.isEmpty(); }
    // Fills what is empty from PITWALL_PG, PITWALL_REDIS and PITWALL_REDIS_PREFIX.
    void fillFromEnvironment();
    // The strings with any password removed: what may be written to a settings file.
    static QString postgresWithoutPassword(const QString &conninfo);
    static QString redisWithoutPassword(const QString &url);
};

} // namespace pitwall

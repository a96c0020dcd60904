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
    // A connection split into where (safe to store and to show) and its password (for the
    // system keychain only). Read by the parsers that connect (libpq's, RedisEndpoint's), so
    // what is stored is what they saw; a string they cannot read gives an empty address: it
    // is not stored at all rather than stored with a secret in it.
    struct Credential {
        QString address;
        QString password;
    };
    static Credential splitPostgres(const QString &conninfo);
    static Credential splitRedis(const QString &url);
    static QString joinPostgres(const QString &address, const QString &password);
    static QString joinRedis(const QString &address, const QString &password);
    // The strings with any password removed: what may be written to a settings file.
    static QString postgresWithoutPassword(const QString &conninfo) {
        return splitPostgres(conninfo).address;
    }
    static QString redisWithoutPassword(const QString &url) { return splitRedis(url).address; }
};

} // namespace pitwall

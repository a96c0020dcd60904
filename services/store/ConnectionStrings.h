#pragma once

#include "ConnectionSettings.h"

namespace pitwall {

// Fills what is empty from PITWALL_PG (or PGSERVICE), PITWALL_REDIS and PITWALL_REDIS_PREFIX.
void fillFromEnvironment(ConnectionSettings &settings);

// Read by the parsers that connect (libpq's, RedisEndpoint's), so what is stored is what they
// saw; a string they cannot read gives an empty address: it is not stored at all rather than
// stored with a secret in it.
ConnectionSettings::Credential splitPostgres(const QString &conninfo);
ConnectionSettings::Credential splitRedis(const QString &url);
QString joinPostgres(const QString &address, const QString &password);
QString joinRedis(const QString &address, const QString &password);
// The strings with any password removed: what may be written to a settings file.
inline QString postgresWithoutPassword(const QString &conninfo) {
    return splitPostgres(conninfo).address;
}
inline QString redisWithoutPassword(const QString &url) {
    return splitRedis(url).address;
}

// The above, for the views that edit connection strings.
ConnectionGrammar connectionGrammar();

} // namespace pitwall

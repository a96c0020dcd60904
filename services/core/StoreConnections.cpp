#include "StoreConnections.h"

#include "ActionsService.h"
#include "RedisConnection.h"
#include "StoreError.h"
#include "TraceStore.h"

#include <pqxx/pqxx>

#include <algorithm>

namespace pitwall {

StoreConnections::StoreConnections(ConnectionSettings settings)
    : m_settings(std::move(settings))
    , m_keys(m_settings.keyPrefix.toStdString()) {}

StoreConnections::~StoreConnections() = default;

void StoreConnections::checkBackoff() const {
    const auto now = std::chrono::steady_clock::now();
    if (now >= m_retryAt)
        return;
    const auto tenths = // of a second, rounded up
        (std::chrono::duration_cast<std::chrono::milliseconds>(m_retryAt - now).count() + 99) / 100;
    throw StoreError(m_lastError + " (trying again in " + std::to_string(tenths / 10) + "." +
                     std::to_string(tenths % 10) + " s)");
}

pqxx::connection_base &StoreConnections::postgres() {
    if (!m_pg || !m_pg->is_open()) {
        checkBackoff();
        m_pg = connectPostgres(m_settings.postgres.toStdString(), 3);
    }
    return *m_pg;
}

RedisConnection &StoreConnections::redis() {
    if (!m_redis) {
        checkBackoff();
        auto redis = std::make_unique<RedisConnection>(
            RedisEndpoint::parse(m_settings.redis.toStdString()), std::chrono::seconds(2));
        redis->connect();
        m_redis = std::move(redis);
    }
    return *m_redis;
}

PgTraceStore &StoreConnections::traceStore() {
    if (!m_traceStore) {
        checkBackoff();
        m_traceStore = std::make_unique<PgTraceStore>(m_settings.postgres.toStdString());
    }
    return *m_traceStore;
}

ActionsService &StoreConnections::actions() {
    if (!m_actions) {
        checkBackoff();
        m_actions = std::make_unique<ActionsService>(
            m_settings.postgres.toStdString(), RedisEndpoint::parse(m_settings.redis.toStdString()),
            m_settings.keyPrefix.toStdString());
    }
    return *m_actions;
}

void StoreConnections::failed(const std::string &why) {
    m_pg.reset();
    m_redis.reset();
    m_traceStore.reset();
    m_actions.reset();
    // A failure during the backoff is the backoff's own refusal: it does not lengthen it.
    if (std::chrono::steady_clock::now() < m_retryAt)
        return;
    m_backoff = m_backoff.count() == 0 ? kFirstBackoff : std::min(m_backoff * 2, kMaxBackoff);
    m_retryAt = std::chrono::steady_clock::now() + m_backoff;
    m_lastError = why;
}

void StoreConnections::succeeded() {
    m_backoff = std::chrono::milliseconds(0);
}

} // namespace pitwall

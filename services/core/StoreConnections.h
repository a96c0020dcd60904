#pragma once

#include "ConnectionSettings.h"
#include "Contract.h"
#include "PgConnect.h"

#include <chrono>
#include <memory>
#include <string>

namespace pitwall {

class ActionsService;
class PgTraceStore;
class RedisConnection;

// The connections of one service, used on its worker thread only: opened on first use, kept
// open, re-opened after a failure with a backoff (0.25 s doubling up to 5 s) during which they
// fail at once with a sentence saying when the next attempt is, and closed with the worker.
class StoreConnections {
public:
    explicit StoreConnections(ConnectionSettings settings);
    ~StoreConnections();
    StoreConnections(const StoreConnections &) = delete;
    StoreConnections &operator=(const StoreConnections &) = delete;

    const ConnectionSettings &settings() const { return m_settings; }
    const RedisKeys &keys() const { return m_keys; }
    pqxx::connection_base &postgres();
    RedisConnection &redis();
    PgTraceStore &traceStore();
    ActionsService &actions();

    // Called by the worker when a request threw: every connection is dropped (the next use
    // opens it again) and the next attempt waits for the backoff.
    void failed(const std::string &why);
    // Called after a request that threw nothing: the backoff starts again from its shortest.
    void succeeded();

    static constexpr std::chrono::milliseconds kFirstBackoff{250};
    static constexpr std::chrono::milliseconds kMaxBackoff{5000};

private:
    void checkBackoff() const;

    ConnectionSettings m_settings;
    RedisKeys m_keys;
    PgConnection m_pg;
    std::unique_ptr<RedisConnection> m_redis;
    std::unique_ptr<PgTraceStore> m_traceStore;
    std::unique_ptr<ActionsService> m_actions;
    std::chrono::steady_clock::time_point m_retryAt{};
    std::chrono::milliseconds m_backoff{0};
    std::string m_lastError;
};

} // namespace pitwall

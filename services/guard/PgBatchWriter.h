#pragma once

#include "PgConnect.h"
#include "Records.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

namespace pqxx {
class connection_base;
}

namespace pitwall {

// Writes runs, spans and breaker events to Postgres from its own thread, in one transaction
// per batch. A failed batch is kept and retried after a reconnect, so an outage loses nothing
// short of the queue limit (then the oldest rows are dropped and counted).
class PgBatchWriter {
public:
    using Record = std::variant<RunStartRecord, RunEndRecord, SpanRecord, BreakerEventRecord>;

    PgBatchWriter(std::string conninfo, std::chrono::milliseconds interval,
                  size_t queueLimit = 500000);
    ~PgBatchWriter(); // flushes what is queued (bounded wait), then stops

    void add(Record record);
    // Blocks until everything added before the call is committed, or the timeout passes.
    bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    uint64_t dropped() const { return m_dropped; }
    // Records Postgres refused (written one by one after their batch failed), dropped.
    uint64_t rejected() const { return m_rejected; }
    std::string lastError() const;

private:
    void run();
    void writeBatch(std::deque<Record> &batch);
    void writeEach(std::deque<Record> &batch);

    std::string m_conninfo;
    std::chrono::milliseconds m_interval;
    size_t m_queueLimit;
    PgConnection m_connection;
    std::optional<bool> m_toolCounts; // runs.tool_calls exists (schema 4); asked per connection

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_flushed;
    std::deque<Record> m_queue;
    uint64_t m_added = 0;
    uint64_t m_committed = 0;
    bool m_stopping = false;
    std::string m_lastError;
    std::atomic<uint64_t> m_dropped{0};
    std::atomic<uint64_t> m_rejected{0};
    std::thread m_thread;
};

} // namespace pitwall

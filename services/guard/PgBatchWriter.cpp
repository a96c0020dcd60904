#include "PgBatchWriter.h"

#include <algorithm>

#include "Money.h"
#include "PgConnect.h"
#include "StoreError.h"

#include <pqxx/pqxx>

#include <iostream>

namespace pitwall {
namespace {

std::string orNull(pqxx::work &tx, const std::string &value) {
    return value.empty() ? std::string("NULL") : tx.quote(value);
}

std::string msTimestamp(int64_t ms) {
    return "to_timestamp(" + std::to_string(ms) + "::double precision / 1000)";
}

} // namespace

PgBatchWriter::PgBatchWriter(std::string conninfo, std::chrono::milliseconds interval,
                             size_t queueLimit)
    : m_conninfo(std::move(conninfo))
    , m_interval(interval)
    , m_queueLimit(queueLimit) {
    m_connection = connectPostgres(m_conninfo); // fail fast, with a clear sentence
    m_thread = std::thread([this] { run(); });
}

PgBatchWriter::~PgBatchWriter() {
    flush(std::chrono::seconds(10));
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void PgBatchWriter::add(Record record) {
    std::lock_guard lock(m_mutex);
    if (m_queue.size() >= m_queueLimit) {
        m_queue.pop_front();
        ++m_dropped;
        ++m_committed; // it will never be committed; keep flush() waiters honest
    }
    m_queue.push_back(std::move(record));
    ++m_added;
}

bool PgBatchWriter::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    const uint64_t target = m_added;
    m_wake.notify_all();
    return m_flushed.wait_for(lock, timeout, [&] { return m_committed >= target; });
}

std::string PgBatchWriter::lastError() const {
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

void PgBatchWriter::run() {
    std::deque<Record> batch;
    auto lastReport = std::chrono::steady_clock::time_point{};
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
            if (m_queue.empty() && batch.empty()) {
                if (m_stopping)
                    return;
                continue;
            }
            // A batch that failed is retried as it is: taking more would let it grow forever.
            const size_t take = batch.empty() ? std::min<size_t>(m_queue.size(), 5000) : 0;
            for (size_t i = 0; i < take; ++i) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        try {
            if (!m_connection || !m_connection->is_open()) {
                m_connection = connectPostgres(m_conninfo);
                m_toolCounts.reset(); // another server, perhaps at another schema version
            }
            size_t written = batch.size();
            try {
                writeBatch(batch);
            } catch (const pqxx::broken_connection &) {
                throw;
            } catch (const std::exception &) {
                // The database refused something in the batch (bad text, a value a CHECK
                // rejects): write record by record so that one bad record blocks nothing.
                writeEach(batch); // counts each record itself
                written = 0;
            }
            batch.clear();
            std::lock_guard lock(m_mutex);
            m_committed += written;
            m_lastError.clear();
            m_flushed.notify_all();
        } catch (const std::exception &e) {
            const std::string why = dynamic_cast<const StoreError *>(&e)
                                        ? std::string(e.what())
                                        : explainPostgresError(m_conninfo, e);
            m_connection.reset();
            {
                std::lock_guard lock(m_mutex);
                m_lastError = why;
                if (m_stopping)
                    return; // shutting down against a dead server: give up
            }
            const auto now = std::chrono::steady_clock::now();
            if (now - lastReport > std::chrono::seconds(10)) {
                std::cerr << "pitwall guard: writing runs and spans failed, retrying: " << why
                          << '\n';
                lastReport = now;
            }
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    }
}

void PgBatchWriter::writeEach(std::deque<Record> &batch) {
    while (!batch.empty()) {
        std::deque<Record> one;
        one.push_back(batch.front());
        try {
            writeBatch(one);
        } catch (const pqxx::broken_connection &) {
            throw; // the rest stays in `batch` for the retry
        } catch (const std::exception &e) {
            if (m_rejected++ % 1000 == 0)
                std::cerr << "pitwall guard: Postgres refused a record, dropped it: "
                          << explainPostgresError(m_conninfo, e) << '\n';
            if (m_connection && !m_connection->is_open()) {
                m_connection = connectPostgres(m_conninfo);
                m_toolCounts.reset();
            }
        }
        batch.pop_front();
        std::lock_guard lock(m_mutex);
        ++m_committed;
    }
}

void PgBatchWriter::writeBatch(std::deque<Record> &batch) {
    pqxx::work tx(*m_connection);
    // A database before schema version 4 has no tool counts on runs: writing them would refuse
    // every run's end. information_schema lists the columns this login may use.
    if (!m_toolCounts)
        m_toolCounts = tx.exec1("SELECT count(*) > 0 FROM information_schema.columns"
                                " WHERE table_schema = 'pitwall' AND table_name = 'runs'"
                                " AND column_name = 'tool_errors'")[0]
                           .as<bool>();
    std::string runs, spans, breakers, ends;
    auto sep = [](std::string &s) {
        s += s.empty() ? "" : ",";
    };
    for (const auto &record : batch) {
        if (const auto *r = std::get_if<RunStartRecord>(&record)) {
            sep(runs);
            runs += "(" + tx.quote(r->runId) + "::uuid," + tx.quote(r->traceId) + "," +
                    tx.quote(r->agent) + "," + tx.quote(r->version) + "," + tx.quote(r->userId) +
                    "," + tx.quote(r->entryPoint) + ",'running'," + msTimestamp(r->startedMs) + ")";
        } else if (const auto *e = std::get_if<RunEndRecord>(&record)) {
            // Ends refer to starts of the same or an earlier batch, so they go last.
            ends +=
                "UPDATE pitwall.runs SET status=" + tx.quote(e->status) +
                ",ended_at=" + msTimestamp(e->endedMs) + ",steps=" + std::to_string(e->steps) +
                ",input_tokens=" + std::to_string(e->inputTokens) +
                ",output_tokens=" + std::to_string(e->outputTokens) +
                ",cost_usd=" + microsToNumeric(e->costMicros) +
                (*m_toolCounts ? ",tool_calls=" + std::to_string(e->toolCalls) + ",tool_errors=" +
                                     std::to_string(std::min(e->toolErrors, e->toolCalls))
                               : std::string()) +
                ",error=" + orNull(tx, e->error) +
                (e->killActionId.empty()
                     ? ""
                     : ",kill_action_id=" + tx.quote(e->killActionId) + "::uuid") +
                " WHERE run_id=" + tx.quote(e->runId) + "::uuid;\n";
        } else if (const auto *s = std::get_if<SpanRecord>(&record)) {
            sep(spans);
            spans += "(" + tx.quote(s->traceId) + "," + tx.quote(s->spanId) + "," +
                     orNull(tx, s->parentSpanId) + "," +
                     (s->runId.empty() ? std::string("NULL") : tx.quote(s->runId) + "::uuid") +
                     "," + tx.quote(s->name) + "," + tx.quote(s->kind) + "," +
                     std::to_string(s->startUs) + "," +
                     (s->endUs ? std::to_string(s->endUs) : std::string("NULL")) + "," +
                     tx.quote(s->status) + "," + orNull(tx, s->model) + "," + orNull(tx, s->tool) +
                     "," + std::to_string(s->inputTokens) + "," + std::to_string(s->outputTokens) +
                     "," + microsToNumeric(s->costMicros) + "," + tx.quote(s->attributesJson) +
                     "::jsonb," + orNull(tx, s->input) + "," + orNull(tx, s->output) + ")";
        } else if (const auto *b = std::get_if<BreakerEventRecord>(&record)) {
            sep(breakers);
            breakers += "(" + tx.quote(b->tool) + "," + tx.quote(b->from) + "," + tx.quote(b->to) +
                        "," + msTimestamp(b->atMs) + "," + std::to_string(b->failures) + "," +
                        orNull(tx, b->reason) + ")";
        }
    }
    std::string sql;
    if (!runs.empty())
        sql += "INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, entry_point,"
               " status, started_at) VALUES " +
               runs + " ON CONFLICT (run_id) DO NOTHING;\n";
    if (!spans.empty())
        sql += "INSERT INTO pitwall.spans (trace_id, span_id, parent_span_id, run_id, name, kind,"
               " started_at, ended_at, status, model, tool, input_tokens, output_tokens, cost_usd,"
               " attributes, input, output) VALUES " +
               spans + " ON CONFLICT (trace_id, span_id) DO NOTHING;\n";
    if (!breakers.empty())
        sql += "INSERT INTO pitwall.breaker_events (tool, from_state, to_state, at, failures,"
               " reason) VALUES " +
               breakers + ";\n";
    sql += ends;
    tx.exec(sql);
    tx.commit();
}

} // namespace pitwall

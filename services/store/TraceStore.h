#pragma once

#include "TraceRecords.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pitwall {

// How to load one trace in parts that together hold every span once. Keeps what the parts
// share (the snapshot that all of them read, so that they see the same spans of a trace still
// being written) while it lives.
struct SkeletonPlan {
    virtual ~SkeletonPlan() = default;
    std::vector<SkeletonPart> parts;
};

// Where traces come from. Implementations throw StoreError (or the driver's errors) when the
// store cannot answer.
class TraceStore {
public:
    virtual ~TraceStore() = default;
    // A page of runs, newest first, by keyset (never OFFSET): pass the previous page's `next`.
    virtual RunPage findRuns(const RunFilter &filter, const std::optional<RunCursor> &after,
                             int limit) = 0;
    // Streams the skeleton of a trace (or of one part of it) to `sink`, in batches;
    // `progress(loaded)` after each. Returns the number of spans. Several parts of one trace
    // may load at once, each on its own thread.
    virtual size_t loadSkeleton(const std::string &traceId,
                                const std::function<void(const SkeletonSpan &)> &sink,
                                const std::function<void(size_t)> &progress = {},
                                SkeletonPart part = {}) = 0;
    // Splits a trace into at most `parts` parts of about equal size; one part (the whole
    // trace) when it cannot tell how.
    virtual std::unique_ptr<SkeletonPlan> planSkeleton(const std::string &traceId, int parts) {
        (void)traceId;
        (void)parts;
        auto plan = std::make_unique<SkeletonPlan>();
        plan->parts.emplace_back();
        return plan;
    }
    virtual std::optional<SpanDetails> loadSpan(const std::string &traceId,
                                                const std::string &spanId) = 0;
    // The trace of a run, when the run is known.
    virtual std::optional<std::string> traceOfRun(const std::string &runId) = 0;
};

// pitwall.runs and pitwall.spans in PostgreSQL.
class PgTraceStore : public TraceStore {
public:
    explicit PgTraceStore(std::string conninfo);
    ~PgTraceStore() override;
    RunPage findRuns(const RunFilter &filter, const std::optional<RunCursor> &after,
                     int limit) override;
    // On a connection of its own: safe to call from several threads at once.
    size_t loadSkeleton(const std::string &traceId,
                        const std::function<void(const SkeletonSpan &)> &sink,
                        const std::function<void(size_t)> &progress = {},
                        SkeletonPart part = {}) override;
    // Ranges of span ids between the trace's least and greatest (two index probes), read in
    // one exported snapshot (pg_export_snapshot) of a read-only transaction kept open.
    std::unique_ptr<SkeletonPlan> planSkeleton(const std::string &traceId, int parts) override;
    std::optional<SpanDetails> loadSpan(const std::string &traceId,
                                        const std::string &spanId) override;
    // By the uuid primary key: the run id is compared as a uuid, never as text.
    std::optional<std::string> traceOfRun(const std::string &runId) override;
    static constexpr const char *kTraceOfRunSql =
        "SELECT trace_id FROM pitwall.runs WHERE run_id = $1::uuid";
    // 8-4-4-4-12 hex digits.
    static bool isUuidText(std::string_view text);

private:
    struct Connection;
    Connection &connection();

    std::string m_conninfo;
    std::unique_ptr<Connection> m_connection;
};

} // namespace pitwall

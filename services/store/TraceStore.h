#pragma once

#include "Clock.h" // span ids as text and back

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pitwall {

// Which runs to list. Empty fields do not filter.
struct RunFilter {
    std::string agent, version, user, status;
    std::optional<int64_t> fromUs, toUs; // started_at in [from, to), unix microseconds
    int64_t minCostMicros = 0;
    int minSteps = 0;
};

struct RunSummary {
    std::string runId, traceId, agent, version, user, entryPoint, status, error;
    int64_t startedUs = 0;
    int64_t endedUs = -1; // -1 while running
    int steps = 0;
    int64_t inputTokens = 0, outputTokens = 0, costMicros = 0;
};

// Where the next page starts: after this run in (started_at, run_id) descending order.
struct RunCursor {
    int64_t startedUs = 0;
    std::string runId;
};

struct RunPage {
    std::vector<RunSummary> runs;
    std::optional<RunCursor> next; // none on the last page
};

// One span of a trace's skeleton as the store streams it: no attributes, no payloads.
// The texts are views into the loader's buffer, valid only during the sink's call: copy what
// you keep.
struct SkeletonSpan {
    uint64_t spanId = 0, parentId = 0; // parentId 0: none
    int64_t startUs = 0, endUs = 0;
    std::string_view name, kindText, model, tool;
    bool error = false, ok = false;
    uint32_t inputTokens = 0, outputTokens = 0;
    uint64_t costMicros = 0;
    uint64_t argsHash = 0; // of a tool span's input; 0 for other kinds
};

// A share of a trace's spans, to load a big trace over several connections at once: the
// spans whose id is in [fromSpanId, toSpanId) (empty: unbounded), read in the store's snapshot
// `snapshot` (empty: as the store is now).
struct SkeletonPart {
    std::string fromSpanId, toSpanId;
    std::string snapshot;
};

// How to load one trace in parts that together hold every span once. Keeps what the parts
// share (the snapshot that all of them read, so that they see the same spans of a trace still
// being written) while it lives.
struct SkeletonPlan {
    virtual ~SkeletonPlan() = default;
    std::vector<SkeletonPart> parts;
};

// Everything about one span, loaded on demand.
struct SpanDetails {
    std::string traceId, spanId, parentSpanId, runId, name, kind, status, model, tool;
    int64_t startUs = 0, endUs = -1;
    int64_t inputTokens = 0, outputTokens = 0, costMicros = 0;
    std::string attributesJson, input, output;
    bool hasInput = false, hasOutput = false;
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
    std::optional<std::string> traceOfRun(const std::string &runId) override;

private:
    struct Connection;
    Connection &connection();

    std::string m_conninfo;
    std::unique_ptr<Connection> m_connection;
};

} // namespace pitwall

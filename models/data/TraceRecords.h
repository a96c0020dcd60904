#pragma once

// The plain records of runs and traces that the trace store reads and the models hold.

#include <cstdint>
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

// Everything about one span, loaded on demand.
struct SpanDetails {
    std::string traceId, spanId, parentSpanId, runId, name, kind, status, model, tool;
    int64_t startUs = 0, endUs = -1;
    int64_t inputTokens = 0, outputTokens = 0, costMicros = 0;
    std::string attributesJson, input, output;
    bool hasInput = false, hasOutput = false;
};

} // namespace pitwall

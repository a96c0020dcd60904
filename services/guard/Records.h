#pragma once

#include <cstdint>
#include <string>

namespace pitwall {

// Rows the guard writes to Postgres. Times in ms (runs) and µs (spans) since the epoch.
struct RunStartRecord {
    std::string runId, traceId, agent, version, userId, entryPoint;
    int64_t startedMs = 0;
};

struct RunEndRecord {
    std::string runId, status, error, killActionId;
    int64_t endedMs = 0;
    int steps = 0;
    int64_t inputTokens = 0, outputTokens = 0, costMicros = 0;
    int toolCalls = 0, toolErrors = 0; // written since schema version 4
};

struct SpanRecord {
    std::string traceId, spanId, parentSpanId, runId, name, kind = "other";
    int64_t startUs = 0, endUs = 0;
    std::string status = "unset", model, tool;
    int64_t inputTokens = 0, outputTokens = 0, costMicros = 0;
    std::string attributesJson = "{}", input, output;
};

struct BreakerEventRecord {
    std::string tool, from, to, reason;
    int64_t atMs = 0;
    int64_t failures = 0;
};

} // namespace pitwall

#pragma once

#include <pqxx/pqxx>

#include <cstdint>
#include <string>

namespace pitwall {

struct GiantTraceInfo {
    std::string runId, traceId;
    size_t spans = 0;
    int64_t durationUs = 0;
};

// Writes one finished run of research-agent with a trace of `spans` spans, as a long agent
// session would produce: steps under the root, each with an LLM call and most with a tool
// call (some with retrievals under them), a stretch where one tool is called with the same
// arguments over and over, and a failing tool call now and then. Streamed with COPY in one
// transaction: all of it or nothing. Needs INSERT on pitwall.runs and pitwall.spans.
GiantTraceInfo writeGiantTrace(pqxx::connection_base &pg, size_t spans, uint64_t seed = 1);

} // namespace pitwall

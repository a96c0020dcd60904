#pragma once

#include <pqxx/pqxx>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pitwall {

// A file that is not OTLP/JSON, with where: "FILE: line 3, column 17: …" or
// "FILE: resourceSpans[0].scopeSpans[0].spans[4].traceId: …".
class OtlpError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OtlpSpan {
    std::string traceId, spanId, parentSpanId; // hex; parent empty for a root
    std::string name, kind;                    // kind: agent, llm, tool, retrieval, other
    int64_t startUs = 0, endUs = 0;
    std::string status; // ok, error, unset
    std::string model, tool;
    int64_t inputTokens = 0, outputTokens = 0;
    int64_t costMicros = 0;
    std::string attributesJson; // the span's attributes as one JSON object
    std::string input, output;
    bool hasInput = false, hasOutput = false;
};

// One run per trace, summed up from its spans.
struct OtlpRun {
    std::string runId; // the trace id as a UUID: importing a trace twice finds the same run
    std::string traceId, agent, version, user, status, error;
    int64_t startedUs = 0, endedUs = 0;
    int steps = 0; // LLM calls
    int64_t inputTokens = 0, outputTokens = 0, costMicros = 0;
};

struct OtlpBatch {
    std::vector<OtlpSpan> spans;
    std::vector<OtlpRun> runs;
    size_t files = 0;
};

// Reads OTLP/JSON trace files: an ExportTraceServiceRequest object per file (as OTLP/HTTP
// JSON sends it), or one per line (the OpenTelemetry Collector's file exporter). Maps the
// OpenTelemetry GenAI attributes (gen_ai.operation.name, gen_ai.request.model,
// gen_ai.usage.input_tokens, gen_ai.usage.output_tokens, gen_ai.tool.name,
// gen_ai.tool.call.arguments, …) to kind, model, tool, tokens, input and output. Accepts
// numbers or strings for 64-bit values. Throws OtlpError for the first problem, with its place:
// not JSON, not OTLP, a value of the wrong type, nested too deep (OtlpLimits), a number out of
// range (tokens, costs, times between 1970 and 2200), a span id given twice.
OtlpBatch readOtlpFiles(const std::vector<std::string> &paths);
OtlpBatch readOtlpText(const std::string &text, const std::string &name);

struct OtlpImportSummary {
    std::vector<OtlpRun> runs;
    size_t spans = 0, files = 0;
};

// Reads the files and stores them in one transaction, a span at a time: memory stays bounded
// whatever the files' size (spans are written in batches as they are read; what is held is a
// span, the runs and the ids seen, to refuse a span given twice). Any problem in any file
// (OtlpError, with its place) and nothing is stored.
OtlpImportSummary importOtlpFiles(pqxx::connection_base &pg, const std::vector<std::string> &paths);

// Stores the batch in one transaction: every span and run, or nothing. Refuses (OtlpError) a
// trace that is already in the store. Needs INSERT on pitwall.runs and pitwall.spans.
void writeOtlpBatch(pqxx::connection_base &pg, const OtlpBatch &batch);

} // namespace pitwall

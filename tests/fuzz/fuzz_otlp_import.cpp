// Feeds any bytes to the OTLP/JSON importer. Refusing the input with an OtlpError is the
// expected answer to a bad file; any other exception escapes and aborts (a crash for libFuzzer),
// as do the sanitizers' findings and a batch that breaks what OtlpImport.h promises.
#include "FuzzCheck.h"
#include "OtlpImport.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>

namespace {

bool isLowerHex(const std::string &s, size_t length) {
    return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool oneOf(const std::string &s, std::initializer_list<const char *> values) {
    return std::any_of(values.begin(), values.end(), [&](const char *v) { return s == v; });
}

constexpr int64_t kYear2200Us = 7'258'118'400'000'000; // times outside 1970 to 2200 are refused

void checkBatch(const pitwall::OtlpBatch &batch) {
    FUZZ_CHECK(batch.files == 1);
    FUZZ_CHECK(!batch.spans.empty()); // a file without spans is refused
    std::set<std::string> traces;
    std::set<std::pair<std::string, std::string>> spans; // a span given twice is refused
    for (const pitwall::OtlpSpan &s : batch.spans) {
        FUZZ_CHECK(isLowerHex(s.traceId, 32));
        FUZZ_CHECK(isLowerHex(s.spanId, 16));
        FUZZ_CHECK(s.parentSpanId.empty() || isLowerHex(s.parentSpanId, 16));
        FUZZ_CHECK(oneOf(s.kind, {"agent", "llm", "tool", "retrieval", "other"}));
        FUZZ_CHECK(oneOf(s.status, {"ok", "error", "unset"}));
        FUZZ_CHECK(0 <= s.startUs && s.startUs <= s.endUs && s.endUs < kYear2200Us);
        FUZZ_CHECK(s.inputTokens >= 0 && s.outputTokens >= 0 && s.costMicros >= 0);
        FUZZ_CHECK(spans.emplace(s.traceId, s.spanId).second);
        FUZZ_CHECK(s.hasInput || s.input.empty());
        FUZZ_CHECK(s.hasOutput || s.output.empty());
        const auto attributes = nlohmann::json::parse(s.attributesJson, nullptr, false);
        FUZZ_CHECK(attributes.is_object());
        traces.insert(s.traceId);
    }
    FUZZ_CHECK(batch.runs.size() == traces.size()); // one run per trace
    for (const pitwall::OtlpRun &r : batch.runs) {
        FUZZ_CHECK(traces.count(r.traceId) == 1);
        FUZZ_CHECK(r.startedUs <= r.endedUs);
        FUZZ_CHECK(r.steps >= 0 && r.inputTokens >= 0 && r.outputTokens >= 0 && r.costMicros >= 0);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        checkBatch(pitwall::readOtlpText(text, "fuzz.json"));
    } catch (const pitwall::OtlpError &) {
        // A refusal with its place: what a bad file must get.
    }
    return 0;
}

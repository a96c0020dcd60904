#pragma once

#include "TraceRecords.h"

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pitwall {

// One span of a trace's skeleton: what the timeline, the tree and the stepping need, without
// attributes or payloads (those load on demand). 64 bytes.
struct TraceSpan {
    enum Kind : uint8_t { Agent, Llm, Tool, Retrieval, Guard, Other };
    enum Status : uint8_t { Unset, Ok, Error };
    static constexpr uint32_t kNone = 0xffffffffu;

    uint64_t spanId = 0;     // the 8-byte OpenTelemetry span id
    int64_t startUs = 0;     // unix epoch microseconds
    int64_t endUs = 0;       // == startUs when the span has not ended
    uint64_t argsHash = 0;   // of a tool call's input, to find repeated calls (0: none)
    uint32_t parent = kNone; // index in Trace::spans
    uint32_t name = 0;       // in Trace::strings
    uint32_t label = 0;      // the model (LLM) or the tool (tool), in Trace::strings; 0: none
    uint32_t costMicros = 0;
    uint32_t inputTokens = 0, outputTokens = 0;
    uint16_t depth = 0;
    uint8_t kind = Other, status = Unset;
};
static_assert(sizeof(TraceSpan) == 64, "a span of the skeleton must stay within 64 bytes");

TraceSpan::Kind spanKindFromText(std::string_view kind);
const char *spanKindText(uint8_t kind);

// A span whose parent link was ignored because it closed a cycle (A's parent is B, B's is A):
// broken data, shown as a root so the trace is still a tree.
struct CutParent {
    uint32_t span = 0;     // index in Trace::spans
    uint64_t parentId = 0; // the parent span id it named
};

// A loaded trace: spans in time order (start, then id), their tree, and per-depth indexes for
// the timeline. Built once by TraceBuilder; read-only afterwards, so any thread may read it.
struct Trace {
    std::string traceId;
    std::vector<TraceSpan> spans;      // sorted by start time
    std::vector<QString> strings;      // interned names, models, tools; [0] is ""
    std::vector<uint32_t> childBegin;  // children of span i: children[childBegin[i]..[i+1])
    std::vector<uint32_t> children;    // in time order
    std::vector<uint32_t> roots;       // spans without a parent in the trace, in time order
    std::vector<CutParent> cutParents; // parent links cut to break cycles, by span index
    std::vector<std::vector<uint32_t>> byDepth; // span indices per depth, in start order
    int64_t startUs = 0, endUs = 0;
    int errors = 0;

    const QString &text(uint32_t id) const { return strings[id]; }
    size_t childCount(uint32_t span) const { return childBegin[span + 1] - childBegin[span]; }
    int depthCount() const { return static_cast<int>(byDepth.size()); }
    size_t bytes() const; // what the skeleton holds in memory
    // The parent id a span named when its link was cut to break a cycle; 0 when not cut.
    uint64_t cutParentOf(uint32_t span) const;
};

// Collects spans as they stream in (any order; parents may come after their children), then
// builds the Trace. Spans whose parent is not in the trace become roots; a parent cycle is
// broken at its earliest span (see Trace::cutParents), so the spans always form a tree.
std::vector<CutParent> breakParentCycles(std::vector<uint32_t> &parentOf,
                                         const std::vector<uint64_t> &parentIds);

class TraceBuilder {
public:
    using Raw = SkeletonSpan; // as the trace store streams it
    explicit TraceBuilder(std::string traceId);
    void add(const Raw &raw);
    size_t size() const { return m_spans.size(); }
    // Puts the spans added so far in time order (start, then id). build() does it too; parts
    // of a trace loaded side by side each sort on their own thread first.
    void sort();
    Trace build() &&;
    // One trace of the spans of several builders (parts of one trace, sorted or not).
    static Trace build(std::vector<TraceBuilder> &&parts);

private:
    uint32_t intern(std::string_view s, QString *text = nullptr); // text: moved from, if new
    std::string_view raw(uint32_t id) const {
        return std::string_view(m_bytes).substr(m_offsets[id], m_offsets[id + 1] - m_offsets[id]);
    }
    void place(uint64_t slot);

    std::string m_traceId;
    std::vector<TraceSpan> m_spans;
    std::vector<uint64_t> m_parentIds;
    std::vector<QString> m_strings;
    std::string m_bytes;             // the same strings as UTF-8, end to end, to compare on lookups
    std::vector<uint32_t> m_offsets; // string i is m_bytes[m_offsets[i], m_offsets[i + 1])
    std::vector<uint64_t> m_slots;   // id << 32 | low 32 bits of the hash; 0: empty
    bool m_sorted = true;            // m_spans in time order
};

} // namespace pitwall

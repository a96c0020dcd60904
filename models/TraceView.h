#pragma once

#include "TimelineLayout.h"
#include "Trace.h"
#include "TraceAnalysis.h"
#include "TraceStore.h"
#include "TraceText.h"

#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

namespace pitwall {

// A trace with everything the page shows of it, computed off the GUI thread in one go.
struct LoadedTrace {
    std::shared_ptr<const Trace> trace;
    std::shared_ptr<const TimelineIndex> index;
    std::vector<ToolLoop> loops;
    std::vector<uint8_t> inLoop; // per span
    std::vector<uint8_t> onPath; // per span: the critical path
    TraceSummary summary;
    QString title;
};
LoadedTrace prepareTrace(Trace &&trace, const QString &title);

// Thrown by loadTrace when `cancelled` said so.
struct TraceLoadCancelled : std::runtime_error {
    TraceLoadCancelled()
        : std::runtime_error("the trace's load was cancelled") {}
};

// Loads a trace's skeleton from `store` in `parts` parts at once, each on a thread and a
// connection of its own (the calling thread takes the first), and builds it. `progress(loaded)`
// sums up the parts and may be called from any of the loading threads; so may `cancelled`,
// asked every few thousand spans (a newer trace was opened: stop, and free the server). Throws
// what the store throws, or TraceLoadCancelled; the other parts stop at their next span.
Trace loadTrace(TraceStore &store, const std::string &traceId, int parts,
                const std::function<void(size_t)> &progress = {},
                const std::function<bool()> &cancelled = {});
// How many parts loadTrace should use here: one per core, at most four.
int traceLoadParts();

// One span's details, formatted off the GUI thread (a 10 MB payload parses there).
struct SpanView {
    SpanDetails details;
    Payload input, output;
    std::vector<std::pair<QString, QString>> attributes;
    QString error;
};
SpanView prepareSpanView(const SpanDetails &details);

// Stepping through a trace: the next span after `from` (or before, with direction -1) in time
// order that `matches` accepts; TraceSpan::kNone when there is none. From kNone it starts at
// the first (or last) span.
template <typename Matches>
uint32_t stepTo(const Trace &trace, uint32_t from, int direction, Matches matches) {
    const auto n = static_cast<int64_t>(trace.spans.size());
    int64_t i = from == TraceSpan::kNone ? (direction > 0 ? -1 : n) : int64_t(from);
    for (i += direction; i >= 0 && i < n; i += direction)
        if (matches(trace.spans[size_t(i)]))
            return uint32_t(i);
    return TraceSpan::kNone;
}

} // namespace pitwall

#pragma once

#include "TimelineLayout.h"
#include "Trace.h"
#include "TraceAnalysis.h"
#include "TraceRecords.h"
#include "TraceText.h"

#include <functional>
#include <memory>
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

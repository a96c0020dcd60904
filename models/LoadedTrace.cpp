#include "LoadedTrace.h"

#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace pitwall {
LoadedTrace prepareTrace(Trace &&trace, const QString &title) {
    LoadedTrace l;
    auto t = std::make_shared<const Trace>(std::move(trace));
    l.trace = t;
    l.title = title;
    // Two halves of about equal work (at a million spans), side by side; an exception in
    // either (out of memory) comes out of here.
    auto other = QtConcurrent::run([&l, &t] {
        l.onPath.assign(t->spans.size(), 0);
        for (uint32_t s : criticalPath(*t))
            l.onPath[s] = 1;
        l.summary = summarize(*t);
    });
    l.index = std::make_shared<const TimelineIndex>(*t);
    l.loops = findToolLoops(*t);
    l.inLoop.assign(t->spans.size(), 0);
    for (const ToolLoop &loop : l.loops)
        for (uint32_t s : loop.spans)
            l.inLoop[s] = 1;
    other.waitForFinished(); // rethrows what it threw
    return l;
}

SpanView prepareSpanView(const SpanDetails &details) {
    SpanView v;
    v.details = details;
    v.input = formatPayload(details.input, details.hasInput);
    v.output = formatPayload(details.output, details.hasOutput);
    v.attributes = attributeRows(details.attributesJson);
    return v;
}

} // namespace pitwall

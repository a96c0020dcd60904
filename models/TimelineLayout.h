#pragma once

#include "TimeAxis.h"
#include "Trace.h"

#include <cstdint>
#include <vector>

namespace pitwall {

// One box to draw on the timeline: a span, or every span of a depth that starts within one
// pixel column, merged (count > 1). Coordinates in pixels, clipped to the view.
struct TimelineBox {
    float x0 = 0, x1 = 0;
    uint16_t depth = 0;
    uint8_t kind = 0;   // of the first span
    bool error = false; // some span in the box failed
    uint32_t span = 0;  // the first span (for hit tests and selection)
    uint32_t count = 1; // spans in the box
};

// Per-depth search structures over a Trace, built once (O(n)): the largest end time over any
// range of a depth's spans (a segment tree), and running counts of errors. With them a frame
// costs O(depths × columns × log n), whatever the zoom, instead of O(spans).
class TimelineIndex {
public:
    explicit TimelineIndex(const Trace &trace);
    const Trace &trace() const { return m_trace; }

    // The boxes of depths [firstDepth, firstDepth + depthCount) across `widthPx` pixels.
    std::vector<TimelineBox> layout(const TimeAxis &axis, int widthPx, int firstDepth,
                                    int depthCount) const;
    size_t bytes() const;

private:
    struct Depth {
        std::vector<int64_t> starts;  // start times, in order
        std::vector<int64_t> maxEnd;  // segment tree over end times, size 2 * leaves
        std::vector<uint32_t> errors; // errors[i]: errors among the first i spans
        size_t leaves = 0;
    };
    int64_t rangeMaxEnd(const Depth &d, size_t from, size_t to) const; // [from, to)
    // The last span before `before` whose end reaches `t`, or `before` if none.
    size_t lastReaching(const Depth &d, size_t before, int64_t t) const;

    const Trace &m_trace;
    std::vector<Depth> m_depths;
};

} // namespace pitwall

#include "TimelineLayout.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace pitwall {

TimelineIndex::TimelineIndex(const Trace &trace)
    : m_trace(trace) {
    m_depths.resize(trace.byDepth.size());
    for (size_t depth = 0; depth < trace.byDepth.size(); ++depth) {
        const auto &spans = trace.byDepth[depth];
        Depth &d = m_depths[depth];
        d.starts.reserve(spans.size());
        d.errors.assign(spans.size() + 1, 0);
        d.leaves = 1;
        while (d.leaves < spans.size())
            d.leaves *= 2;
        d.maxEnd.assign(2 * d.leaves, INT64_MIN);
        for (size_t i = 0; i < spans.size(); ++i) {
            const TraceSpan &s = trace.spans[spans[i]];
            d.starts.push_back(s.startUs);
            d.maxEnd[d.leaves + i] = s.endUs;
            d.errors[i + 1] = d.errors[i] + (s.status == TraceSpan::Error ? 1 : 0);
        }
        for (size_t k = d.leaves - 1; k >= 1; --k)
            d.maxEnd[k] = std::max(d.maxEnd[2 * k], d.maxEnd[2 * k + 1]);
    }
}

size_t TimelineIndex::bytes() const {
    size_t b = 0;
    for (const Depth &d : m_depths)
        b += d.starts.capacity() * 8 + d.maxEnd.capacity() * 8 + d.errors.capacity() * 4;
    return b;
}

int64_t TimelineIndex::rangeMaxEnd(const Depth &d, size_t from, size_t to) const {
    int64_t best = INT64_MIN;
    for (size_t l = from + d.leaves, r = to + d.leaves; l < r; l /= 2, r /= 2) {
        if (l & 1)
            best = std::max(best, d.maxEnd[l++]);
        if (r & 1)
            best = std::max(best, d.maxEnd[--r]);
    }
    return best;
}

size_t TimelineIndex::lastReaching(const Depth &d, size_t before, int64_t t) const {
    if (before == 0 || rangeMaxEnd(d, 0, before) < t)
        return before;
    // Descend from the root towards the rightmost leaf below `before` with an end >= t.
    size_t node = 1, lo = 0, hi = d.leaves; // node covers [lo, hi)
    while (node < d.leaves) {
        const size_t mid = (lo + hi) / 2;
        const size_t right = 2 * node + 1;
        if (mid < before && rangeMaxEnd(d, mid, std::min(hi, before)) >= t) {
            node = right;
            lo = mid;
        } else {
            node = 2 * node;
            hi = mid;
        }
    }
    return lo;
}

std::vector<TimelineBox> TimelineIndex::layout(const TimeAxis &axis, int widthPx, int firstDepth,
                                               int depthCount) const {
    std::vector<TimelineBox> boxes;
    const double viewStart = axis.us(0), viewEnd = axis.us(widthPx);
    const int lastDepth = std::min<int>(firstDepth + depthCount, int(m_depths.size()));
    for (int depth = std::max(0, firstDepth); depth < lastDepth; ++depth) {
        const Depth &d = m_depths[size_t(depth)];
        const auto &spans = m_trace.byDepth[size_t(depth)];
        const size_t n = d.starts.size();
        const auto firstAt = [&d](size_t from, double t) {
            return size_t(std::lower_bound(d.starts.begin() + ptrdiff_t(from), d.starts.end(),
                                           static_cast<int64_t>(std::ceil(t))) -
                          d.starts.begin());
        };
        size_t i = firstAt(0, viewStart);
        auto box = [&](size_t first, size_t end, double x0, double x1) {
            TimelineBox b;
            b.x0 = float(std::max(0.0, x0));
            b.x1 = float(std::min(double(widthPx), std::max(x1, double(b.x0) + 1)));
            b.depth = uint16_t(depth);
            b.span = spans[first];
            b.kind = m_trace.spans[spans[first]].kind;
            b.count = uint32_t(end - first);
            b.error = d.errors[end] != d.errors[first];
            boxes.push_back(b);
        };
        // A span that starts left of the view and reaches into it (the ones between it and
        // `i` end before the view starts).
        const size_t reaching = lastReaching(d, i, static_cast<int64_t>(std::floor(viewStart)));
        if (reaching < i)
            box(reaching, reaching + 1, axis.x(double(d.starts[reaching])),
                axis.x(double(rangeMaxEnd(d, reaching, reaching + 1))));
        while (i < n && double(d.starts[i]) <= viewEnd) {
            const double x0 = axis.x(double(d.starts[i]));
            const double column = std::floor(std::max(0.0, x0));
            // Every span of this depth that starts within the same pixel column joins the box.
            const size_t k = std::max(i + 1, firstAt(i + 1, axis.us(column + 1)));
            box(i, k, x0, axis.x(double(rangeMaxEnd(d, i, k))));
            i = k;
        }
    }
    return boxes;
}

} // namespace pitwall

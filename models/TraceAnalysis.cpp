#include "TraceAnalysis.h"

#include <algorithm>

namespace pitwall {

std::vector<uint32_t> criticalPath(const Trace &trace) {
    std::vector<uint32_t> path;
    if (trace.spans.empty())
        return path;
    // The root that ended last decides the end of the trace.
    uint32_t root = trace.roots.front();
    for (uint32_t r : trace.roots)
        if (trace.spans[r].endUs > trace.spans[root].endUs)
            root = r;
    struct Item {
        uint32_t span;
        int64_t untilUs; // the part of the span up to here is on the path
    };
    std::vector<Item> stack{{root, trace.spans[root].endUs}};
    std::vector<uint32_t> kids;
    // The spans form a tree (TraceBuilder breaks parent cycles), so each is visited at most
    // once; the bound keeps a broken Trace from looping all the same.
    while (!stack.empty() && path.size() < trace.spans.size()) {
        const Item item = stack.back();
        stack.pop_back();
        path.push_back(item.span);
        const TraceSpan &s = trace.spans[item.span];
        int64_t cursor = std::min(item.untilUs, s.endUs);
        // Children by end time, latest first; walk back from the cursor. Children are kept in
        // start order, so for the usual sequential steps the reverse is already that order
        // (the root of a big trace has hundreds of thousands of them: no sort then).
        kids.assign(trace.children.rbegin() +
                        ptrdiff_t(trace.children.size() - trace.childBegin[item.span + 1]),
                    trace.children.rbegin() +
                        ptrdiff_t(trace.children.size() - trace.childBegin[item.span]));
        // Ties by the earlier start: the longer of two children ending together explains more.
        const auto laterEnd = [&trace](uint32_t a, uint32_t b) {
            const TraceSpan &x = trace.spans[a], &y = trace.spans[b];
            return x.endUs != y.endUs ? x.endUs > y.endUs : x.startUs < y.startUs;
        };
        if (!std::is_sorted(kids.begin(), kids.end(), laterEnd))
            std::sort(kids.begin(), kids.end(), laterEnd);
        for (uint32_t k : kids) {
            const TraceSpan &c = trace.spans[k];
            if (c.startUs >= cursor)
                continue; // it ran entirely after the part still to explain
            stack.push_back({k, std::min(cursor, c.endUs)});
            cursor = c.startUs;
            if (cursor <= s.startUs)
                break;
        }
    }
    std::sort(path.begin(), path.end());
    return path;
}

std::vector<Repetition> findRepetitions(const std::vector<uint64_t> &keys, size_t minRepeats,
                                        size_t maxPeriod) {
    std::vector<Repetition> found;
    const size_t n = keys.size();
    size_t i = 0;
    while (i < n) {
        Repetition best;
        for (size_t p = 1; p <= maxPeriod && i + p * minRepeats <= n; ++p) {
            bool usable = true;
            for (size_t k = 0; k < p; ++k)
                usable &= keys[i + k] != 0;
            if (!usable)
                continue;
            size_t repeats = 1;
            while (i + (repeats + 1) * p <= n &&
                   std::equal(keys.begin() + ptrdiff_t(i), keys.begin() + ptrdiff_t(i + p),
                              keys.begin() + ptrdiff_t(i + repeats * p)))
                ++repeats;
            if (repeats >= minRepeats) {
                best = {i, p, repeats};
                break; // the shortest period wins
            }
        }
        if (best.repeats) {
            found.push_back(best);
            i += best.length();
        } else {
            ++i;
        }
    }
    return found;
}

std::vector<ToolLoop> findToolLoops(const Trace &trace, size_t minRepeats, size_t maxPeriod) {
    std::vector<uint32_t> tools;
    std::vector<uint64_t> keys;
    for (uint32_t i = 0; i < trace.spans.size(); ++i) {
        const TraceSpan &s = trace.spans[i];
        if (s.kind != TraceSpan::Tool)
            continue;
        tools.push_back(i);
        // The tool's string id and the arguments' hash; never 0.
        keys.push_back((uint64_t(s.label) * 0x9e3779b97f4a7c15ull) ^ s.argsHash ^ 1);
    }
    std::vector<ToolLoop> loops;
    for (const Repetition &r : findRepetitions(keys, minRepeats, maxPeriod)) {
        ToolLoop loop;
        loop.period = r.period;
        loop.repeats = r.repeats;
        loop.spans.assign(tools.begin() + ptrdiff_t(r.first),
                          tools.begin() + ptrdiff_t(r.first + r.length()));
        loops.push_back(std::move(loop));
    }
    return loops;
}

} // namespace pitwall

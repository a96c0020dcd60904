#pragma once

#include "Trace.h"

#include <cstdint>
#include <vector>

namespace pitwall {

// The critical path: the chain of spans that determined when the trace ended. From each root
// (the last to end first), take the child that ended last, then, before that child started,
// the child that ended last before that, and so on; recurse into each child taken. Children
// that end after their parent are clipped to it. Returns span indices in time order.
std::vector<uint32_t> criticalPath(const Trace &trace);

// A run of repetitions in a sequence of keys: `period` keys repeated `repeats` times in a row,
// starting at `first`. A single call repeated is period 1.
struct Repetition {
    size_t first = 0;
    size_t period = 1;
    size_t repeats = 0;
    size_t length() const { return period * repeats; }
};

// Pure: repetitions of `minRepeats` or more of any period up to `maxPeriod`, leftmost first,
// not overlapping; the shortest period wins (AAAA is A×4, not AA×2). A key of 0 never repeats.
std::vector<Repetition> findRepetitions(const std::vector<uint64_t> &keys, size_t minRepeats = 3,
                                        size_t maxPeriod = 4);

// A tool loop in a trace: the same tool calls with the same arguments, again and again.
struct ToolLoop {
    std::vector<uint32_t> spans; // every tool span of the loop, in time order
    size_t period = 1;
    size_t repeats = 0;
};

// Tool spans in time order, keyed by (tool, arguments hash), searched for repetitions.
std::vector<ToolLoop> findToolLoops(const Trace &trace, size_t minRepeats = 3,
                                    size_t maxPeriod = 4);

} // namespace pitwall

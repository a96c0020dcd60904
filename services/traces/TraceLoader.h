#pragma once

#include "Trace.h"
#include "TraceStore.h"

#include <functional>
#include <stdexcept>

namespace pitwall {

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

} // namespace pitwall

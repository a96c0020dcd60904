#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pitwall {

// One change to a live run, as the live feed reads it from Redis: a run hash of the snapshot
// or an event of the stream. Fields a kind does not carry stay empty or zero.
struct LiveRunUpdate {
    enum class Kind { Snapshot, Started, Step, Ended, KillRequested };
    Kind kind = Kind::Snapshot;
    std::string runId;
    std::string agent, version, user, entryPoint, status, lastSpan;
    bool canary = false;
    int64_t atMs = 0;           // when the event happened (heartbeat for a snapshot)
    int64_t startedMs = 0;      // Snapshot, Started
    int step = 0;               // Snapshot, Step, Ended
    int maxSteps = 0;           // Snapshot, Started
    int64_t costMicros = 0;     // Snapshot, Ended
    int64_t reservedMicros = 0; // Snapshot
    int toolRepeats = 0;        // consecutive identical tool calls (Step, Snapshot)
};

using LiveRunUpdates = std::vector<LiveRunUpdate>;

} // namespace pitwall

#pragma once

#include "Contract.h"

#include <array>
#include <cstdint>

namespace pitwall {

// One live run as the live runs table holds it: 56 bytes, every member at most 32 bits wide so
// that a million runs fit in 56 MB. Times are milliseconds relative to the model's epoch or to
// the run's start; money is micro-dollars, saturating at $4,294.97 (far above any per-request
// cap); strings are ids into the model's string tables.
struct LiveRun {
    enum Flag : uint8_t {
        Canary = 1,
        KillRequested = 2,
        Gone = 4,       // ended long enough ago to leave the table; removed at the next compaction
        Unobserved = 8, // vanished from a fresh snapshot: it ended while the feed was down
    };
    // The contract's RunStatus codes, then one for an end this console does not know.
    enum Status : uint8_t { Running, Succeeded, Failed, Killed, Capped, StepLimit, Timeout, Ended };

    std::array<uint8_t, 16> id{};
    int32_t startedMs = 0;                                         // relative to the model's epoch
    int32_t heartbeatOffsetMs = 0;                                 // heartbeat - start
    int32_t endedOffsetMs = -1;                                    // end - start; -1 while running
    uint32_t costMicros = 0;                                       // settled
    uint32_t reservedMicros = 0;                                   // reserved in flight
    uint32_t user = 0;                                             // in the user table
    uint16_t agent = 0, version = 0, lastSpan = 0, entryPoint = 0; // in the name table
    uint16_t step = 0, maxSteps = 0;
    uint8_t status = Running, flags = 0, runaway = 0, toolRepeats = 0;

    bool running() const { return endedOffsetMs < 0; }
};
static_assert(sizeof(LiveRun) == 56, "a live run must stay within 56 bytes");
static_assert(LiveRun::StepLimit == uint8_t(RunStatus::StepLimit) &&
                  LiveRun::Timeout == uint8_t(RunStatus::Timeout) &&
                  LiveRun::Ended == kRunStatusNames.size(),
              "LiveRun's status codes are the contract's RunStatus");

} // namespace pitwall

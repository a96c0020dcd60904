#pragma once

#include "Contract.h"

#include <cstdint>

namespace pitwall {

// Why a live run looks like a runaway. A run can match several rules; the flags combine.
enum RunawayReason : uint8_t {
    NotRunaway = 0,
    NearStepCap = 1 << 0,        // steps at or above 80 % of the agent's max_steps
    OverCostPerRequest = 1 << 1, // spend above the agent's max_cost_per_request_usd
    RepeatingToolCall = 1 << 2,  // the same tool with the same arguments three times in a row
    NoHeartbeat = 1 << 3,        // silent for longer than the heartbeat timeout
};

struct RunawayLimits {
    int maxSteps = 30;
    int64_t maxCostMicros = -1; // -1: no per-request cost target
    int64_t heartbeatTimeoutMs = kHeartbeatTimeoutMs;
};

struct RunawayInput {
    int step = 0;
    int64_t costMicros = 0; // settled + reserved
    int toolRepeats = 0;
    int64_t heartbeatAgeMs = 0;
    bool running = true;
};

// Pure: the reasons, from the run's numbers and its agent's limits.
uint8_t runawayReasons(const RunawayInput &run, const RunawayLimits &limits);

} // namespace pitwall

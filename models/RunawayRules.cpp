#include "RunawayRules.h"

namespace pitwall {

uint8_t runawayReasons(const RunawayInput &run, const RunawayLimits &limits) {
    if (!run.running)
        return NotRunaway;
    uint8_t reasons = NotRunaway;
    // 80 % of the cap, rounded up: with a cap of 30 that is step 24.
    if (limits.maxSteps > 0 && run.step * 5 >= limits.maxSteps * 4)
        reasons |= NearStepCap;
    if (limits.maxCostMicros >= 0 && run.costMicros > limits.maxCostMicros)
        reasons |= OverCostPerRequest;
    if (run.toolRepeats >= 3)
        reasons |= RepeatingToolCall;
    if (run.heartbeatAgeMs > limits.heartbeatTimeoutMs)
        reasons |= NoHeartbeat;
    return reasons;
}

} // namespace pitwall

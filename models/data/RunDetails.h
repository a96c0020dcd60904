#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pitwall {

using Fields = std::vector<std::pair<std::string, std::string>>;

// What the detail panel shows of one live run: its Redis hash, its kill flag, and its latest
// events (newest first), read in one pipelined round trip plus a bounded scan of the stream.
struct RunDetails {
    std::string runId;
    Fields hash;          // field order as Redis returns it
    std::string killFlag; // the JSON of pitwall:kill:{run}, empty when none
    std::vector<Fields> events;
    size_t eventsScanned = 0; // how far back the stream was read
    std::string error;        // set when the stores could not be read
};

// An agent's SLO targets (pitwall.slo_targets).
struct SloTargets {
    std::string agent;
    int p95LatencyMs = 0;
    double minSuccessRate = 0;
    int64_t maxCostPerRequestMicros = 0;
    int64_t maxCostPerUserDayMicros = 0;
    int maxSteps = 30;
};

} // namespace pitwall

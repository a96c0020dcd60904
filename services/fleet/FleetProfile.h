#pragma once

#include <string>
#include <vector>

namespace pitwall {

struct ModelPrice {
    std::string model;
    double inputUsdPerMillion = 0;
    double outputUsdPerMillion = 0;
};

// How one simulated agent and its canary behave. The canary differs from stable in one
// measurable way (success, latency or cost) so that a canary judge has something to find.
struct AgentProfile {
    std::string name;
    std::string stableVersion, canaryVersion;
    ModelPrice stableModel, canaryModel;
    double stableSuccess = 0.97, canarySuccess = 0.97;
    double stableLatencyScale = 1.0, canaryLatencyScale = 1.0;
    int canaryWeight = 10;
    std::vector<std::string> tools;
    int meanSteps = 6;
    // SLO targets written to slo_targets when the agent is new.
    int p95LatencyMs = 20000;
    double minSuccessRate = 0.95;
    double maxCostPerRequestUsd = 0.50;
    double maxCostPerUserDayUsd = 5.0;
    int maxSteps = 30;
    // Multiplies the price of each LLM call of that arm: a canary that spends more tokens.
    double stableCostScale = 1.0, canaryCostScale = 1.0;
    // Relative share of the fleet's runs. Equal shares keep the draw of the runs of a seed
    // exactly what it was before shares existed (AgentPicker).
    double trafficShare = 1.0;
};

struct ToolProfile {
    std::string name;
    double failureRate = 0.02;     // independent 5xx/timeouts
    double clientErrorRate = 0.01; // 4xx: not retried, not a breaker failure
    int meanLatencyMs = 300;
};

// The default fleet: four agents with different canaries, and eleven tools
// (resources/fleet/default-profile.json spells the same fleet as a file).
std::vector<AgentProfile> defaultAgents(int count);
std::vector<ToolProfile> defaultTools();

} // namespace pitwall

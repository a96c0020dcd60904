#pragma once

#include "AgentPicker.h"
#include "FleetProfile.h"
#include "Guard.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

namespace pitwall {

struct FleetOptions {
    GuardOptions guard;
    int agents = 4; // of the built-in profile, when agentProfiles is empty
    // The fleet to simulate (loadFleetProfile reads one from a file); empty: the built-in
    // defaultAgents(agents) and defaultTools(). Every tool an agent names must be listed.
    std::vector<AgentProfile> agentProfiles;
    std::vector<ToolProfile> toolProfiles;
    int users = 200;
    double rate = 4.0;             // runs started per second
    double durationSeconds = 0;    // 0: until stopped
    uint64_t seed = 0;             // 0: a random seed
    double latencyScale = 1.0;     // <1 makes every simulated call faster (tests)
    double runawayRate = 0.03;     // share of runs that loop on the same tool call
    double outagesPerToolHour = 6; // a tool goes down for 15-40 s this often
    int maxConcurrentRuns = 400;
    // Share of runs, run by user kLingerUser, that take a step every 5 s and do
    // nothing else, not ending by themselves (for minutes: the step cap) until killed or the
    // fleet stops: for tests that must kill a run that cannot end before the kill lands.
    double lingerRate = 0;
    static constexpr const char *kLingerUser = "user-lingering";
    std::function<void(const std::string &)> log;
};

struct FleetSummary {
    std::map<std::string, int64_t> byStatus;
    int64_t runs = 0;
    int64_t llmCalls = 0;
    int64_t toolCalls = 0;
    int64_t spendMicros = 0;
    int64_t refusals = 0;
    int64_t breakerDenials = 0;
    double seconds = 0;
    std::string toText() const;
};

// A simulated fleet of agents on the guard library: realistic traffic for the console and a
// load generator. It obeys kills, caps, breakers and rollout weights because the guard does.
class Fleet {
public:
    // Connects; throws StoreError, or std::invalid_argument for an agent with no tools or a
    // tool missing from the tool list.
    explicit Fleet(FleetOptions options);
    ~Fleet();

    // Registers the agents' versions, canaries and SLO targets (only what is missing).
    void seed();
    // Starts runs until the duration passes or `stop` becomes true, then stops the runs in
    // flight (each ends as failed with "fleet stopped") and waits for them.
    FleetSummary run(const std::atomic<bool> &stop);
    Guard &guard() { return *m_guard; }

private:
    struct Counters;
    void runOne(uint64_t seed, const std::atomic<bool> &stop);
    ToolOutcome simulateTool(const ToolProfile &tool, std::mt19937_64 &rng,
                             const CancellationToken &token, const std::atomic<bool> &stop);
    bool pause(std::chrono::milliseconds d, const CancellationToken &token,
               const std::atomic<bool> &stop) const;
    void updateOutages(std::mt19937_64 &rng, double elapsedSeconds);

    FleetOptions m_options;
    std::unique_ptr<Guard> m_guard;
    std::vector<AgentProfile> m_agents;
    AgentPicker m_picker; // over m_agents
    std::map<std::string, ToolProfile> m_tools;
    std::vector<double> m_userWeights; // cumulative, Zipf-like
    std::mutex m_outageMutex;
    std::map<std::string, int64_t> m_toolDownUntilMs;
    std::unique_ptr<Counters> m_counters;
    std::atomic<bool> m_stopping{false};
};

} // namespace pitwall

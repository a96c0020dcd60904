#pragma once

#include "FleetProfile.h"

#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

namespace pitwall {

// Picks the agent of a run in proportion to the agents' traffic shares. When every share is
// the same it draws `rng() % count`, as the fleet always did, so that a seeded fleet of equal
// shares replays the runs it replayed before shares existed.
class AgentPicker {
public:
    AgentPicker() = default;
    explicit AgentPicker(const std::vector<AgentProfile> &agents)
        : m_count(agents.size()) {
        const bool equal = std::all_of(agents.begin(), agents.end(), [&](const AgentProfile &a) {
            return a.trafficShare == agents.front().trafficShare;
        });
        if (equal)
            return;
        double total = 0;
        for (const AgentProfile &a : agents) {
            total += a.trafficShare;
            m_cumulative.push_back(total);
        }
    }

    // Needs at least one agent.
    size_t pick(std::mt19937_64 &rng) const {
        if (m_cumulative.empty())
            return static_cast<size_t>(rng() % m_count);
        const double u = std::uniform_real_distribution<double>(0, m_cumulative.back())(rng);
        const auto it = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), u);
        return std::min(static_cast<size_t>(it - m_cumulative.begin()), m_count - 1);
    }

private:
    size_t m_count = 0;
    std::vector<double> m_cumulative; // empty: equal shares
};

} // namespace pitwall

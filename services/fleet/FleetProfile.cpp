#include "FleetProfile.h"

namespace pitwall {

std::vector<AgentProfile> defaultAgents(int count) {
    const ModelPrice mini{"gpt-4o-mini", 0.15, 0.60};
    const ModelPrice gpt4o{"gpt-4o", 2.50, 10.0};
    const ModelPrice sonnet{"claude-sonnet-4", 3.0, 15.0};
    const ModelPrice haiku{"claude-haiku-4", 0.80, 4.0};

    std::vector<AgentProfile> base;
    // A canary that fails more often.
    base.push_back({"support-bot",
                    "v41",
                    "v42",
                    mini,
                    mini,
                    0.97,
                    0.88,
                    1.0,
                    1.0,
                    10,
                    {"crm_lookup", "kb_search", "ticket_update"},
                    5,
                    8000,
                    0.95,
                    0.05,
                    2.0,
                    30});
    // A canary that is faster at the same cost.
    base.push_back({"research-agent",
                    "v7",
                    "v8",
                    sonnet,
                    sonnet,
                    0.95,
                    0.95,
                    1.0,
                    0.65,
                    20,
                    {"web_search", "fetch_page", "vector_db"},
                    9,
                    30000,
                    0.93,
                    0.60,
                    8.0,
                    30});
    // A canary on a pricier model: better at nothing, costs more.
    base.push_back({"code-review",
                    "v3",
                    "v4",
                    haiku,
                    gpt4o,
                    0.96,
                    0.965,
                    1.0,
                    1.1,
                    10,
                    {"git_diff", "code_exec", "kb_search"},
                    6,
                    20000,
                    0.94,
                    0.30,
                    5.0,
                    30});
    // A canary that succeeds more often.
    base.push_back({"travel-planner",
                    "v12",
                    "v13",
                    gpt4o,
                    gpt4o,
                    0.90,
                    0.96,
                    1.0,
                    1.0,
                    15,
                    {"flight_search", "payments_api", "calendar"},
                    7,
                    25000,
                    0.92,
                    0.40,
                    6.0,
                    30});

    std::vector<AgentProfile> agents;
    for (int i = 0; i < count; ++i) {
        AgentProfile a = base[static_cast<size_t>(i) % base.size()];
        if (i >= static_cast<int>(base.size()))
            a.name += "-" + std::to_string(i / static_cast<int>(base.size()) + 1);
        agents.push_back(a);
    }
    return agents;
}

std::vector<ToolProfile> defaultTools() {
    return {{"crm_lookup", 0.02, 0.01, 250},     {"kb_search", 0.01, 0.0, 180},
            {"ticket_update", 0.03, 0.02, 300},  {"web_search", 0.04, 0.0, 900},
            {"fetch_page", 0.06, 0.03, 700},     {"vector_db", 0.01, 0.0, 120},
            {"git_diff", 0.01, 0.0, 200},        {"code_exec", 0.05, 0.02, 1500},
            {"flight_search", 0.05, 0.01, 1200}, {"payments_api", 0.03, 0.02, 400},
            {"calendar", 0.02, 0.01, 200}};
}

} // namespace pitwall

#include "Fleet.h"

#include "Clock.h"
#include "PgConnect.h"
#include "Records.h"
#include "RedisPool.h"
#include "StoreError.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace pitwall {

struct Fleet::Counters {
    std::mutex mutex;
    FleetSummary summary;
    std::atomic<int> inFlight{0};
};

namespace {

// `scale` 1 leaves the price exactly what it was before cost scales existed.
int64_t priceMicros(const ModelPrice &m, int64_t inTokens, int64_t outTokens, double scale) {
    return static_cast<int64_t>(
        std::llround((static_cast<double>(inTokens) * m.inputUsdPerMillion +
                      static_cast<double>(outTokens) * m.outputUsdPerMillion) *
                     scale));
}

double uniform(std::mt19937_64 &rng) {
    return std::uniform_real_distribution<double>(0, 1)(rng);
}

std::chrono::milliseconds logNormalMs(std::mt19937_64 &rng, double medianMs, double scale) {
    std::lognormal_distribution<double> d(std::log(std::max(1.0, medianMs)), 0.5);
    return std::chrono::milliseconds(static_cast<long long>(d(rng) * scale));
}

} // namespace

std::string FleetSummary::toText() const {
    std::ostringstream out;
    out << "Fleet summary after " << static_cast<int>(seconds) << " s: " << runs << " runs\n";
    for (const auto &[status, count] : byStatus)
        out << "  " << status << ": " << count << "\n";
    out << "  LLM calls " << llmCalls << ", tool calls " << toolCalls << "\n";
    out << "  spend $" << static_cast<double>(spendMicros) / 1e6 << ", refused by caps " << refusals
        << ", refused by open breakers " << breakerDenials << "\n";
    return out.str();
}

Fleet::Fleet(FleetOptions options)
    : m_options(std::move(options))
    , m_counters(std::make_unique<Counters>()) {
    if (m_options.seed == 0)
        m_options.seed = std::random_device{}();
    m_agents = m_options.agentProfiles.empty() ? defaultAgents(std::max(1, m_options.agents))
                                               : m_options.agentProfiles;
    for (const auto &t : m_options.toolProfiles.empty() ? defaultTools() : m_options.toolProfiles)
        m_tools.emplace(t.name, t);
    // Checked here rather than failing every run of the agent later.
    for (const auto &a : m_agents) {
        if (a.tools.empty())
            throw std::invalid_argument("The fleet's agent " + a.name + " has no tools.");
        for (const auto &t : a.tools)
            if (!m_tools.count(t))
                throw std::invalid_argument("The fleet's agent " + a.name + " calls the tool " + t +
                                            ", which is not in the fleet's tool list.");
    }
    m_picker = AgentPicker(m_agents);
    double total = 0;
    for (int i = 0; i < std::max(1, m_options.users); ++i) {
        total += 1.0 / std::pow(i + 1, 1.1);
        m_userWeights.push_back(total);
    }
    m_guard = std::make_unique<Guard>(m_options.guard);
}

Fleet::~Fleet() {
    m_stopping = true;
    while (m_counters->inFlight > 0) // detached runs refer to this object
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void Fleet::seed() {
    auto pg = connectPostgres(m_options.guard.pg);
    try {
        pqxx::work tx(*pg);
        for (const auto &a : m_agents) {
            tx.exec_params("SELECT pitwall.register_version($1, $2, $3, $4, false, 0)", a.name,
                           a.stableVersion, a.stableModel.model,
                           "sha256:" + a.name + "-" + a.stableVersion);
            tx.exec_params("SELECT pitwall.register_version($1, $2, $3, $4, true, $5)", a.name,
                           a.canaryVersion, a.canaryModel.model,
                           "sha256:" + a.name + "-" + a.canaryVersion, a.canaryWeight);
            tx.exec_params(
                "INSERT INTO pitwall.slo_targets (agent, p95_latency_ms, min_success_rate,"
                " max_cost_per_request_usd, max_cost_per_user_day_usd, max_steps)"
                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agent) DO NOTHING",
                a.name, a.p95LatencyMs, a.minSuccessRate, a.maxCostPerRequestUsd,
                a.maxCostPerUserDayUsd, a.maxSteps);
        }
        tx.commit();
    } catch (const pqxx::sql_error &e) {
        throw StoreError("The fleet could not register its agents: " +
                         explainPostgresError(m_options.guard.pg, e) +
                         " The fleet logs in as an agent (PITWALL_AGENT_PG).");
    }
    // Drop stale rollout mirrors so the guard reads the registered rollouts through.
    auto redis = m_guard->redis().lease();
    for (const auto &a : m_agents)
        redis->command({"DEL", m_guard->keys().rollout(a.name)});
}

bool Fleet::pause(std::chrono::milliseconds d, const CancellationToken &token,
                  const std::atomic<bool> &stop) const {
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
        if (stop)
            return true;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (token.waitFor(std::min(left, std::chrono::milliseconds(100))))
            return true;
    }
    return stop || token.isCancelled();
}

void Fleet::updateOutages(std::mt19937_64 &rng, double elapsedSeconds) {
    const double p = m_options.outagesPerToolHour * elapsedSeconds / 3600.0;
    std::lock_guard lock(m_outageMutex);
    for (const auto &[name, tool] : m_tools) {
        if (uniform(rng) < p && m_toolDownUntilMs[name] < nowMs()) {
            m_toolDownUntilMs[name] = nowMs() + 15000 + static_cast<int64_t>(uniform(rng) * 25000);
            if (m_options.log)
                m_options.log("fleet: tool " + name + " goes down for a while");
        }
    }
}

ToolOutcome Fleet::simulateTool(const ToolProfile &tool, std::mt19937_64 &rng,
                                const CancellationToken &token, const std::atomic<bool> &stop) {
    bool down = false;
    {
        std::lock_guard lock(m_outageMutex);
        down = m_toolDownUntilMs[tool.name] > nowMs();
    }
    const auto latency = logNormalMs(rng, tool.meanLatencyMs, m_options.latencyScale);
    if (down) {
        pause(std::min(latency, std::chrono::milliseconds(2000)), token, stop);
        return {503, {}, tool.name + ": 503 Service Unavailable"};
    }
    if (pause(latency, token, stop)) // 499: neither retried nor a failure of the tool
        return {499, {}, stop ? "fleet stopped" : "cancelled"};
    const double r = uniform(rng);
    if (r < tool.failureRate)
        return uniform(rng) < 0.5 ? ToolOutcome{0, {}, tool.name + ": timed out"}
                                  : ToolOutcome{502, {}, tool.name + ": 502 Bad Gateway"};
    if (r < tool.failureRate + tool.clientErrorRate)
        return {404, {}, tool.name + ": 404 not found"};
    if (r < tool.failureRate + tool.clientErrorRate + 0.01)
        return {429, {}, tool.name + ": 429 rate limited"};
    return {200,
            R"({"ok":true,"items":)" + std::to_string(static_cast<int>(uniform(rng) * 20)) + "}",
            {}};
}

void Fleet::runOne(uint64_t seed, const std::atomic<bool> &stop) {
    std::mt19937_64 rng(seed);
    FleetSummary local;
    const AgentProfile &agent = m_agents[m_picker.pick(rng)];
    const double u = uniform(rng) * m_userWeights.back();
    const size_t userIndex = static_cast<size_t>(
        std::lower_bound(m_userWeights.begin(), m_userWeights.end(), u) - m_userWeights.begin());
    char user[32];
    std::snprintf(user, sizeof user, "user-%04zu", userIndex + 1);
    const double e = uniform(rng);
    // Drawn only when asked for, so that a seed's fleet stays what it was without it.
    const bool lingers = m_options.lingerRate > 0 && uniform(rng) < m_options.lingerRate;
    const std::string entry = e < 0.7 ? "http" : e < 0.9 ? "queue" : "webhook";
    if (lingers)
        std::snprintf(user, sizeof user, "%s", FleetOptions::kLingerUser);

    auto finishWith = [&](RunGuard &run, RunStatus status, const std::string &error) {
        run.finish(status, error);
        local.byStatus[error == "fleet stopped" ? "failed (stopped with the fleet)"
                                                : toString(status)]++;
    };

    auto simulate = [&] {
        auto run = m_guard->startRun({agent.name, user, entry});
        local.runs = 1;
        const bool canary = run->isCanary();
        const ModelPrice &model = canary ? agent.canaryModel : agent.stableModel;
        const double latencyScale =
            (canary ? agent.canaryLatencyScale : agent.stableLatencyScale) * m_options.latencyScale;
        const double costScale = canary ? agent.canaryCostScale : agent.stableCostScale;
        const bool runaway = uniform(rng) < m_options.runawayRate;
        // 1 + a geometric draw averages meanSteps; a mean of 1 is always one step (the
        // distribution is undefined for p = 1).
        auto drawSteps = [&] {
            if (agent.meanSteps <= 1)
                return 1;
            return 1 + std::geometric_distribution<int>(1.0 / agent.meanSteps)(rng);
        };
        const int plannedSteps = runaway ? 1 << 30 : drawSteps();
        const std::string loopTool = agent.tools[rng() % agent.tools.size()];
        const std::string loopArgs = R"({"query":"order status 4471","page":1})";
        int64_t context = 300 + static_cast<int64_t>(uniform(rng) * 1500);

        if (lingers) { // a step every 5 s (the console hears of it), until killed or stopped
            for (int step = 1; !stop; ++step) {
                const StepVerdict verdict = run->beforeStep(step == 1 ? "plan" : "wait");
                if (verdict == StepVerdict::Killed)
                    return finishWith(*run, RunStatus::Killed, "killed by an operator");
                if (verdict == StepVerdict::StepLimit)
                    return finishWith(*run, RunStatus::StepLimit, "reached the step cap");
                for (int i = 0; i < 50 && !stop; ++i)
                    if (run->cancellation().waitFor(std::chrono::milliseconds(100)))
                        return finishWith(*run, RunStatus::Killed, "killed by an operator");
            }
            return finishWith(*run, RunStatus::Failed, "fleet stopped");
        }
        for (int step = 1;; ++step) {
            const StepVerdict verdict = run->beforeStep(step == 1 ? "plan" : "");
            if (verdict == StepVerdict::Killed)
                return finishWith(*run, RunStatus::Killed, "killed by an operator");
            if (verdict == StepVerdict::StepLimit)
                return finishWith(*run, RunStatus::StepLimit,
                                  "reached the step cap of " + std::to_string(run->maxSteps()));
            if (stop)
                return finishWith(*run, RunStatus::Failed, "fleet stopped");
            if (step > plannedSteps) {
                const double success = canary ? agent.canarySuccess : agent.stableSuccess;
                if (uniform(rng) < success)
                    return finishWith(*run, RunStatus::Succeeded, {});
                return finishWith(*run, RunStatus::Failed, "the answer failed validation");
            }

            // The LLM call: reserve the worst case, settle what it really cost.
            const int64_t outTokens = 40 + static_cast<int64_t>(uniform(rng) * 700);
            const int64_t estimate = priceMicros(model, context, 1024, costScale);
            const SpendVerdict spend = run->reserve(estimate);
            if (!spend.allowed) {
                local.refusals++;
                return finishWith(*run, RunStatus::Capped, spend.reason);
            }
            SpanRecord llm;
            llm.name = "chat " + model.model;
            llm.kind = "llm";
            llm.model = model.model;
            llm.startUs = nowUs();
            const bool interrupted =
                pause(logNormalMs(rng, 700 + static_cast<double>(outTokens) * 3, latencyScale),
                      run->cancellation(), stop);
            llm.endUs = nowUs();
            const int64_t cost =
                interrupted ? 0 : priceMicros(model, context, outTokens, costScale);
            run->settle(spend, cost);
            local.llmCalls++;
            local.spendMicros += cost;
            llm.inputTokens = context;
            llm.outputTokens = interrupted ? 0 : outTokens;
            llm.costMicros = cost;
            llm.status = interrupted ? "error" : "ok";
            llm.attributesJson = nlohmann::json{
                {"gen_ai.operation.name", "chat"},
                {"gen_ai.system", "openai"},
                {"gen_ai.request.model", model.model},
                {"gen_ai.usage.input_tokens", context},
                {"gen_ai.usage.output_tokens",
                 llm.outputTokens}}.dump();
            llm.input = R"({"messages":[{"role":"user","content":"step )" + std::to_string(step) +
                        R"("}]})";
            llm.output = interrupted ? "" : R"({"role":"assistant","content":"..."})";
            run->recordSpan(std::move(llm));
            if (interrupted) {
                if (stop && !run->cancellation().isCancelled())
                    return finishWith(*run, RunStatus::Failed, "fleet stopped");
                return finishWith(*run, RunStatus::Killed, "killed during an LLM call");
            }
            context += outTokens + (runaway ? 600 : 200);

            // A tool call on most steps; a runaway repeats the same call forever.
            if (!runaway && uniform(rng) > 0.7)
                continue;
            const std::string toolName =
                runaway ? loopTool : agent.tools[rng() % agent.tools.size()];
            const std::string args =
                runaway ? loopArgs : R"({"q":"item )" + std::to_string(rng() % 1000) + R"("})";
            const ToolProfile &tool = m_tools.at(toolName);
            const ToolCallResult result =
                run->callTool(toolName, args, [&](const CancellationToken &token) {
                    return simulateTool(tool, rng, token, stop);
                });
            local.toolCalls += result.attempts;
            if (result.breakerDenied)
                local.breakerDenials++;
            if (result.cancelled) {
                if (stop && !run->cancellation().isCancelled())
                    return finishWith(*run, RunStatus::Failed, "fleet stopped");
                return finishWith(*run, RunStatus::Killed, "killed during a tool call");
            }
            if (!result.ok && !result.breakerDenied && uniform(rng) < 0.3)
                return finishWith(*run, RunStatus::Failed, result.last.error);
        }
    };
    try {
        simulate();
    } catch (const std::exception &e) {
        local.byStatus["error"]++;
        if (m_options.log)
            m_options.log(std::string("fleet: a run failed: ") + e.what());
    }
    std::lock_guard lock(m_counters->mutex);
    auto &s = m_counters->summary;
    s.runs += local.runs;
    s.llmCalls += local.llmCalls;
    s.toolCalls += local.toolCalls;
    s.spendMicros += local.spendMicros;
    s.refusals += local.refusals;
    s.breakerDenials += local.breakerDenials;
    for (const auto &[k, v] : local.byStatus)
        s.byStatus[k] += v;
}

FleetSummary Fleet::run(const std::atomic<bool> &stop) {
    std::mt19937_64 rng(m_options.seed);
    std::exponential_distribution<double> gap(std::max(0.01, m_options.rate));
    const auto start = std::chrono::steady_clock::now();
    auto lastReport = start;
    auto lastOutageCheck = start;
    m_stopping = false;
    uint64_t index = 0;
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    while (!stop && (m_options.durationSeconds <= 0 || elapsed() < m_options.durationSeconds)) {
        const auto now = std::chrono::steady_clock::now();
        updateOutages(rng, std::chrono::duration<double>(now - lastOutageCheck).count());
        lastOutageCheck = now;
        if (m_counters->inFlight < m_options.maxConcurrentRuns) {
            m_counters->inFlight++;
            const uint64_t runSeed = m_options.seed * 1000003ULL + index++;
            try {
                std::thread([this, runSeed] {
                    runOne(runSeed, m_stopping);
                    m_counters->inFlight--;
                }).detach();
            } catch (const std::system_error &) {
                m_counters->inFlight--; // no thread to be had: skip this run
            }
        }
        if (m_options.log && now - lastReport > std::chrono::seconds(10)) {
            lastReport = now;
            std::lock_guard lock(m_counters->mutex);
            m_options.log(
                "fleet: " + std::to_string(index) + " runs started, " +
                std::to_string(m_counters->inFlight.load()) + " in flight, spend $" +
                std::to_string(static_cast<double>(m_counters->summary.spendMicros) / 1e6));
        }
        const auto until = std::chrono::steady_clock::now() +
                           std::chrono::microseconds(static_cast<long long>(gap(rng) * 1e6));
        while (!stop && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                until - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
    }
    m_stopping = true;
    for (int i = 0; i < 600 && m_counters->inFlight > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    m_guard->flush();
    std::lock_guard lock(m_counters->mutex);
    FleetSummary s = m_counters->summary;
    s.seconds = elapsed();
    return s;
}

} // namespace pitwall

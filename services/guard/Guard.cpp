#include "Guard.h"

#include "Clock.h"
#include "PgBatchWriter.h"
#include "PgConnect.h"
#include "RedisPool.h"
#include "StoreError.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <array>
#include <random>
#include <regex>

namespace pitwall {
namespace {

constexpr int kRunHashTtlAfterEndSeconds = 3600;
const std::string kSpendTtlSeconds = std::to_string(kSpendCounterTtlSeconds);

double unitRandom() {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

std::string str(const RedisValue &v, size_t i) {
    return i < v.elements.size() ? v.elements[i].str : std::string();
}

long long num(const RedisValue &v, size_t i) {
    return i < v.elements.size() ? v.elements[i].toInt() : 0;
}

} // namespace

std::string toString(RunStatus status) {
    return std::string(runStatusName(status == RunStatus::Running ? RunStatus::Failed : status));
}

// ---------------------------------------------------------------------------------------------
// Guard

Guard::Guard(GuardOptions options)
    : m_options(std::move(options))
    , m_keys(m_options.keyPrefix) {
    m_pool = std::make_unique<RedisPool>(m_options.redis, m_options.redisConnections);
    m_pool->lease()->connect(); // fail fast with the server's name in the message
    m_pg = connectPostgres(m_options.pg);
    m_writer = std::make_unique<PgBatchWriter>(m_options.pg, m_options.flushInterval);
    m_watcher = std::thread([this] { watchLoop(); });
}

Guard::~Guard() {
    m_stopping = true;
    m_watcher.join();
    m_writer.reset(); // flushes
}

template <typename F>
auto Guard::withPg(F &&f) -> decltype(f(std::declval<pqxx::connection_base &>())) {
    std::lock_guard lock(m_pgMutex);
    try {
        if (!m_pg || !m_pg->is_open())
            m_pg = connectPostgres(m_options.pg);
        return f(*m_pg);
    } catch (const pqxx::broken_connection &e) {
        m_pg.reset();
        throw StoreError(explainPostgresError(m_options.pg, e));
    } catch (const pqxx::sql_error &e) {
        throw StoreError(explainPostgresError(m_options.pg, e));
    }
}

int Guard::canaryBucket(const std::string &user, const std::string &agent) {
    uint64_t h = 14695981039346656037ULL; // FNV-1a, 64 bits
    for (char c : user + "\n" + agent) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return static_cast<int>(h % 100);
}

bool Guard::userGetsCanary(const std::string &user, const std::string &agent, int weight) {
    if (weight <= 0)
        return false;
    if (weight >= 100)
        return true;
    return canaryBucket(user, agent) < weight;
}

RolloutMirror Guard::rollout(const std::string &agent) {
    {
        auto redis = m_pool->lease();
        auto fields = redis->command({"HGETALL", m_keys.rollout(agent)}).toMap();
        if (!fields.empty() && fields.count("stable"))
            return RolloutMirror{agent, fields["stable"], fields["canary"],
                                 std::atoi(fields["weight"].c_str()),
                                 std::atoll(fields["revision"].c_str())};
    }
    auto fromPg = withPg([&](pqxx::connection_base &pg) { return readRollout(pg, agent); });
    if (!fromPg)
        throw StoreError("Agent \"" + agent +
                         "\" has no rollout in Postgres: register a version of it first.");
    auto redis = m_pool->lease();
    writeRolloutMirror(*redis, m_keys, *fromPg);
    return *fromPg;
}

int Guard::maxSteps(const std::string &agent) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(m_maxStepsMutex);
        auto it = m_maxSteps.find(agent);
        if (it != m_maxSteps.end() && now - it->second.second < std::chrono::seconds(30))
            return it->second.first;
    }
    int steps = withPg([&](pqxx::connection_base &pg) {
        pqxx::read_transaction tx(pg);
        auto rows =
            tx.exec_params("SELECT max_steps FROM pitwall.slo_targets WHERE agent = $1", agent);
        return rows.empty() ? 30 : rows[0][0].as<int>();
    });
    std::lock_guard lock(m_maxStepsMutex);
    m_maxSteps[agent] = {steps, now};
    return steps;
}

CapMirror Guard::readCapThrough(const std::string &scope, const std::string &subject) {
    CapMirror cap = withPg([&](pqxx::connection_base &pg) { return readCap(pg, scope, subject); });
    auto redis = m_pool->lease();
    writeCapMirror(*redis, m_keys, cap);
    return cap;
}

void Guard::seedSpend(const std::string &scope, const std::string &subject,
                      const std::string &day) {
    const int64_t spent = withPg([&](pqxx::connection_base &pg) {
        pqxx::read_transaction tx(pg);
        return tx
            .exec_params1("SELECT pitwall.spend_seed($1, $2, to_date($3, 'YYYYMMDD'))", scope,
                          subject, day)[0]
            .as<int64_t>();
    });
    auto redis = m_pool->lease();
    redis->script("seed_spend", {m_keys.spend(scope, subject, day)},
                  {std::to_string(spent), kSpendTtlSeconds, std::to_string(nowMs())});
}

std::unique_ptr<RunGuard> Guard::startRun(const RunStart &start) {
    const RolloutMirror r = rollout(start.agent);
    std::unique_ptr<RunGuard> run(new RunGuard(*this));
    run->m_agent = start.agent;
    run->m_userId = start.userId;
    run->m_entryPoint = start.entryPoint;
    run->m_canary = !r.canary.empty() && userGetsCanary(start.userId, start.agent, r.weight);
    run->m_version = run->m_canary ? r.canary : r.stable;
    run->m_maxSteps = maxSteps(start.agent);
    run->m_runId = newUuid();
    run->m_traceId = newSpanId() + newSpanId();
    run->m_rootSpanId = newSpanId();
    run->m_startedUs = nowUs();
    const int64_t now = run->m_startedUs / 1000;

    RedisArgs started = run->eventArgs(EventType::runStarted);
    started.insert(started.end(), {EventField::entryPoint, start.entryPoint, EventField::canary,
                                   run->m_canary ? "1" : "0", EventField::traceId, run->m_traceId,
                                   EventField::maxSteps, std::to_string(run->m_maxSteps)});
    {
        auto redis = m_pool->lease();
        redis->pipeline({{"HSET",
                          m_keys.run(run->m_runId),
                          EventField::agent,
                          run->m_agent,
                          EventField::version,
                          run->m_version,
                          EventField::user,
                          run->m_userId,
                          EventField::entryPoint,
                          run->m_entryPoint,
                          EventField::traceId,
                          run->m_traceId,
                          EventField::canary,
                          run->m_canary ? "1" : "0",
                          EventField::startedMs,
                          std::to_string(now),
                          EventField::heartbeatMs,
                          std::to_string(now),
                          EventField::step,
                          "0",
                          EventField::maxSteps,
                          std::to_string(run->m_maxSteps),
                          EventField::costMicros,
                          "0",
                          EventField::reservedMicros,
                          "0",
                          EventField::lastSpan,
                          "",
                          EventField::status,
                          "running"},
                         {"ZADD", m_keys.live(), std::to_string(now), run->m_runId},
                         started});
    }
    m_writer->add(RunStartRecord{run->m_runId, run->m_traceId, run->m_agent, run->m_version,
                                 run->m_userId, run->m_entryPoint, now});
    watch({run->m_runId, run->m_token});
    return run;
}

bool Guard::flush(std::chrono::milliseconds timeout) {
    return m_writer->flush(timeout);
}

void Guard::watch(const RunGuard::Watch &w) {
    std::lock_guard lock(m_watchMutex);
    m_watched.emplace(w.runId, w.token);
}

void Guard::unwatch(const std::string &runId) {
    std::lock_guard lock(m_watchMutex);
    m_watched.erase(runId);
}

void Guard::addRecord(SpanRecord span) {
    m_writer->add(std::move(span));
}

void Guard::addRunEnd(const RunEndRecord &end) {
    m_writer->add(end);
}

void Guard::addBreakerTransition(const std::string &tool, const std::string &from,
                                 const std::string &to, int64_t failures) {
    m_writer->add(BreakerEventRecord{tool, from, to, {}, nowMs(), failures});
}

// One thread watches every in-flight run: a pipelined GET of all kill flags per tick (one
// round trip, however many runs), and a heartbeat for all of them about once a second, so a
// run stuck in a long call is neither unkillable nor mistaken for lost.
void Guard::watchLoop() {
    auto lastHeartbeat = std::chrono::steady_clock::now();
    std::unique_ptr<RedisConnection> redis;
    while (!m_stopping) {
        std::this_thread::sleep_for(m_options.killPollInterval);
        std::vector<std::pair<std::string, std::shared_ptr<CancellationToken>>> runs;
        {
            std::lock_guard lock(m_watchMutex);
            runs.assign(m_watched.begin(), m_watched.end());
        }
        if (runs.empty())
            continue;
        try {
            if (!redis)
                redis = std::make_unique<RedisConnection>(m_options.redis);
            std::vector<RedisArgs> gets;
            gets.reserve(runs.size());
            for (const auto &run : runs)
                gets.push_back({"GET", m_keys.kill(run.first)});
            const auto flags = redis->pipeline(gets);
            for (size_t i = 0; i < runs.size(); ++i)
                if (!flags[i].isNil() && !flags[i].isError())
                    runs[i].second->cancel(flags[i].str);

            const auto now = std::chrono::steady_clock::now();
            if (now - lastHeartbeat >= m_options.heartbeatInterval) {
                lastHeartbeat = now;
                const std::string ms = std::to_string(nowMs());
                std::vector<RedisArgs> beats;
                for (const auto &run : runs) {
                    beats.push_back({"HSET", m_keys.run(run.first), EventField::heartbeatMs, ms});
                    beats.push_back({"ZADD", m_keys.live(), "XX", ms, run.first});
                }
                redis->pipeline(beats);
            }
        } catch (const std::exception &) {
            redis.reset(); // Redis is away; the runs' own calls report it
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// RunGuard

RunGuard::RunGuard(Guard &guard)
    : m_guard(guard) {}

RunGuard::~RunGuard() {
    if (!m_finished) {
        try {
            finish(RunStatus::Failed, "the agent dropped the run without finishing it");
        } catch (const std::exception &) {
            m_guard.unwatch(m_runId);
        }
    }
}

std::vector<std::string> RunGuard::eventArgs(const std::string &type) const {
    return {"XADD",
            m_guard.keys().events(),
            "MAXLEN",
            "~",
            std::to_string(m_guard.options().streamMaxLen),
            "*",
            EventField::type,
            type,
            EventField::runId,
            m_runId,
            EventField::agent,
            m_agent,
            EventField::version,
            m_version,
            EventField::user,
            m_userId,
            EventField::atMs,
            std::to_string(nowMs())};
}

void RunGuard::noteKill(const std::string &flagJson) {
    if (m_killNoted)
        return;
    auto flag = nlohmann::json::parse(flagJson, nullptr, false);
    if (flag.is_object()) {
        m_killActionId = flag.value("action_id", std::string());
        m_killAtMs = flag.value("at_ms", int64_t{0});
    }
    // runs.kill_action_id is a uuid: a flag set by hand without one is honoured, not recorded.
    static const std::regex uuid("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$");
    if (!std::regex_match(m_killActionId, uuid))
        m_killActionId.clear();
    m_killNoted = true;
}

StepVerdict RunGuard::beforeStep(const std::string &label) {
    auto redis = m_guard.redis().lease();
    if (m_token->isCancelled()) {
        noteKill(m_token->reason());
        return StepVerdict::Killed;
    }
    const RedisValue flag = redis->command({"GET", m_guard.keys().kill(m_runId)});
    if (!flag.isNil()) {
        m_token->cancel(flag.str);
        noteKill(flag.str);
        return StepVerdict::Killed;
    }
    if (m_step >= m_maxSteps)
        return StepVerdict::StepLimit;
    ++m_step;
    if (!label.empty())
        m_lastSpan = label;
    const std::string now = std::to_string(nowMs());
    RedisArgs event = eventArgs(EventType::step);
    event.insert(event.end(), {EventField::step, std::to_string(m_step), EventField::lastSpan,
                               m_lastSpan, EventField::toolRepeats, std::to_string(m_toolRepeats),
                               EventField::costMicros, std::to_string(m_costMicros)});
    redis->pipeline({{"HSET", m_guard.keys().run(m_runId), EventField::step, std::to_string(m_step),
                      EventField::heartbeatMs, now, EventField::lastSpan, m_lastSpan,
                      EventField::toolRepeats, std::to_string(m_toolRepeats)},
                     {"ZADD", m_guard.keys().live(), now, m_runId},
                     event});
    return StepVerdict::Proceed;
}

SpendVerdict RunGuard::reserve(int64_t estimateMicros) {
    const RedisKeys &k = m_guard.keys();
    SpendVerdict verdict;
    verdict.day = utcDay(nowMs());
    const std::array<std::pair<std::string, std::string>, 3> scopes{
        {{"user", m_userId}, {"agent", m_agent}, {"global", "*"}}};
    RedisArgs keys;
    for (const auto &[scope, subject] : scopes)
        keys.push_back(k.cap(scope, subject));
    for (const auto &[scope, subject] : scopes)
        keys.push_back(k.spend(scope, subject, verdict.day));
    keys.push_back(k.run(m_runId));

    // At most three cap mirrors to read through and three counters to seed, then the answer.
    for (int attempt = 0; attempt < 8; ++attempt) {
        RedisValue reply;
        {
            auto redis = m_guard.redis().lease();
            reply = redis->script(
                "reserve_spend", keys,
                {std::to_string(estimateMicros), std::to_string(nowMs()), kSpendTtlSeconds});
        }
        const std::string status = str(reply, 0);
        if (status == "missing") {
            const size_t index = static_cast<size_t>(num(reply, 1)) - 1;
            if (index < scopes.size())
                m_guard.readCapThrough(scopes[index].first, scopes[index].second);
            continue;
        }
        if (status == "unseeded") {
            const size_t index = static_cast<size_t>(num(reply, 1)) - 1;
            if (index < scopes.size())
                m_guard.seedSpend(scopes[index].first, scopes[index].second, verdict.day);
            continue;
        }
        if (status == "ok") {
            verdict.allowed = true;
            verdict.reservedMicros = estimateMicros;
            verdict.id = m_nextReservation++;
            m_openReservations.push_back(verdict);
            return verdict;
        }
        verdict.refusedRule = str(reply, 1);
        verdict.refusedScope = str(reply, 2);
        verdict.limitMicros = num(reply, 3);
        verdict.reason = spendRefusalReason(verdict.refusedRule, verdict.refusedScope,
                                            verdict.refusedScope == "user"    ? m_userId
                                            : verdict.refusedScope == "agent" ? m_agent
                                                                              : "");
        RedisArgs event = eventArgs(EventType::spendRefused);
        event.insert(event.end(), {"scope", verdict.refusedScope, "rule", verdict.refusedRule,
                                   "limit_micros", std::to_string(verdict.limitMicros),
                                   "estimate_micros", std::to_string(estimateMicros)});
        auto redis = m_guard.redis().lease();
        redis->command(event);
        const int64_t t = nowUs();
        SpanRecord span;
        span.name = "spend refused";
        span.kind = "guard";
        span.startUs = t;
        span.endUs = t;
        span.status = "error";
        span.attributesJson = nlohmann::json{
            {"pitwall.refused.scope", verdict.refusedScope},
            {"pitwall.refused.rule", verdict.refusedRule},
            {"pitwall.estimate_micros",
             estimateMicros}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        span.output = verdict.reason;
        recordSpan(std::move(span));
        return verdict;
    }
    throw StoreError("The spend caps and counters could not be restored to Redis at " +
                     m_guard.options().redis.display() + ".");
}

void RunGuard::settle(const SpendVerdict &reservation, int64_t actualMicros) {
    auto open = std::find_if(m_openReservations.begin(), m_openReservations.end(),
                             [&](const SpendVerdict &r) { return r.id == reservation.id; });
    if (!reservation.allowed || open == m_openReservations.end())
        return; // refused, or settled already
    const RedisKeys &k = m_guard.keys();
    auto redis = m_guard.redis().lease();
    redis->script("settle_spend",
                  {k.spend("user", m_userId, reservation.day),
                   k.spend("agent", m_agent, reservation.day),
                   k.spend("global", "*", reservation.day), k.run(m_runId),
                   k.spendRank("user", reservation.day), k.spendRank("agent", reservation.day)},
                  {std::to_string(reservation.reservedMicros), std::to_string(actualMicros),
                   kSpendTtlSeconds, m_userId, m_agent});
    // Only once Redis took it: when the call throws, the reservation stays open and finish()
    // releases it, rather than holding the caps down for the rest of the day.
    m_openReservations.erase(open);
    m_costMicros += actualMicros;
}

ToolCallResult RunGuard::callTool(const std::string &tool, const std::string &argumentsJson,
                                  const ToolCall &call) {
    const GuardOptions &o = m_guard.options();
    const RedisKeys &k = m_guard.keys();
    const std::string threshold = std::to_string(o.breakerThreshold);
    const std::string cooloff = std::to_string(o.breakerCooloff.count());
    const std::string maxLen = std::to_string(o.streamMaxLen);
    ToolCallResult result;
    // A runaway repeats one call with the same arguments: count it for the console's rule.
    const std::string callKey = tool + '\n' + argumentsJson;
    m_toolRepeats = callKey == m_lastToolCall ? m_toolRepeats + 1 : 1;
    m_lastToolCall = callKey;
    for (int attempt = 0; attempt <= o.retry.maxRetries; ++attempt) {
        RedisValue allow;
        const int64_t allowMs = nowMs();
        const RedisArgs breakerKeys{k.breaker(tool), k.events(), k.breakers(),
                                    k.breakerCalls(tool, allowMs / 60'000)};
        {
            auto redis = m_guard.redis().lease();
            allow = redis->script("breaker_allow", breakerKeys,
                                  {std::to_string(allowMs), threshold, cooloff, tool, maxLen});
        }
        if (num(allow, 2) == 1)
            m_guard.addBreakerTransition(tool, str(allow, 3), str(allow, 1), 0);
        if (str(allow, 0) != "allow") {
            result.breakerDenied = true;
            result.last = ToolOutcome{503, {}, "circuit breaker " + str(allow, 1)};
            const int64_t t = nowUs();
            SpanRecord span;
            span.name = "breaker " + str(allow, 1) + ": " + tool;
            span.kind = "guard";
            span.tool = tool;
            span.startUs = t;
            span.endUs = t;
            span.status = "error";
            span.input = argumentsJson;
            recordSpan(std::move(span));
            return result;
        }
        ++result.attempts;
        SpanRecord span;
        span.name = tool;
        span.kind = "tool";
        span.tool = tool;
        span.input = argumentsJson;
        span.startUs = nowUs();
        ToolOutcome outcome = call(*m_token);
        span.endUs = nowUs();
        const bool ok = RetryPolicy::isSuccess(outcome.status);
        span.status = ok ? "ok" : "error";
        span.output = ok ? outcome.output : outcome.error;
        span.attributesJson = nlohmann::json{
            {"gen_ai.tool.name", tool},
            {"gen_ai.operation.name", "execute_tool"},
            {"http.response.status_code", outcome.status},
            {"pitwall.attempt",
             attempt + 1}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        m_lastSpan = tool;
        recordSpan(std::move(span));
        result.last = outcome;

        if (m_token->isCancelled()) {
            result.cancelled = true;
            return result;
        }
        const bool healthy = !RetryPolicy::countsAgainstBreaker(outcome.status);
        RedisValue recorded;
        {
            const int64_t recordMs = nowMs();
            auto redis = m_guard.redis().lease();
            recorded = redis->script("breaker_record",
                                     {k.breaker(tool), k.events(), k.breakers(),
                                      k.breakerCalls(tool, recordMs / 60'000)},
                                     {std::to_string(recordMs), healthy ? "1" : "0", outcome.error,
                                      threshold, cooloff, tool, maxLen});
        }
        if (num(recorded, 1) == 1)
            m_guard.addBreakerTransition(tool, str(recorded, 2), str(recorded, 0),
                                         num(recorded, 3));
        if (ok) {
            result.ok = true;
            return result;
        }
        if (!RetryPolicy::isRetryable(outcome.status) || attempt == o.retry.maxRetries)
            return result;
        if (m_token->waitFor(o.retry.delayFor(attempt + 1, unitRandom()))) {
            result.cancelled = true;
            return result;
        }
    }
    return result;
}

void RunGuard::recordSpan(SpanRecord span) {
    span.traceId = m_traceId;
    span.runId = m_runId;
    if (span.spanId.empty())
        span.spanId = newSpanId();
    if (span.parentSpanId.empty() && span.spanId != m_rootSpanId)
        span.parentSpanId = m_rootSpanId;
    if (span.kind == "llm" || span.kind == "tool")
        m_lastSpan = span.name;
    m_inputTokens += span.inputTokens;
    m_outputTokens += span.outputTokens;
    if (span.kind == "tool") {
        ++m_toolCalls;
        if (span.status == "error")
            ++m_toolErrors;
    }
    m_guard.addRecord(std::move(span));
}

void RunGuard::finish(RunStatus status, const std::string &error) {
    if (m_finished)
        return;
    m_finished = true;
    m_guard.unwatch(m_runId);
    // A reservation the agent never settled (it threw, or Redis failed) would hold the caps
    // down for the rest of the day: release it as spending nothing.
    while (!m_openReservations.empty()) {
        const SpendVerdict open = m_openReservations.back();
        try {
            settle(open, 0);
        } catch (const std::exception &) {
            m_openReservations.pop_back();
        }
    }
    if (status == RunStatus::Killed && !m_killNoted && m_token->isCancelled())
        noteKill(m_token->reason());
    const int64_t endUs = nowUs();
    const std::string statusText = toString(status);

    SpanRecord root;
    root.spanId = m_rootSpanId;
    root.name = m_agent;
    root.kind = "agent";
    root.startUs = m_startedUs;
    root.endUs = endUs;
    root.status = status == RunStatus::Succeeded ? "ok" : "error";
    root.output = error;
    root.attributesJson = nlohmann::json{
        {"gen_ai.agent.name", m_agent},
        {"pitwall.version", m_version},
        {"pitwall.user", m_userId},
        {"pitwall.status", statusText},
        {"pitwall.steps",
         m_step}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const int64_t inTok = m_inputTokens, outTok = m_outputTokens;
    recordSpan(std::move(root));
    RunEndRecord end{m_runId, statusText, error,  m_killActionId, endUs / 1000,
                     m_step,  inTok,      outTok, m_costMicros};
    end.toolCalls = m_toolCalls;
    end.toolErrors = m_toolErrors;
    m_guard.addRunEnd(end);

    RedisArgs ended = eventArgs(EventType::runEnded);
    ended.insert(ended.end(),
                 {EventField::status, statusText, EventField::steps, std::to_string(m_step),
                  EventField::costMicros, std::to_string(m_costMicros), "error", error});
    if (!m_killActionId.empty())
        ended.insert(ended.end(),
                     {"kill_action_id", m_killActionId, "kill_at_ms", std::to_string(m_killAtMs)});
    const std::string runKey = m_guard.keys().run(m_runId);
    auto redis = m_guard.redis().lease();
    redis->pipeline({{"HSET", runKey, "status", statusText, "heartbeat_ms",
                      std::to_string(endUs / 1000), "ended_ms", std::to_string(endUs / 1000)},
                     {"EXPIRE", runKey, std::to_string(kRunHashTtlAfterEndSeconds)},
                     {"ZREM", m_guard.keys().live(), m_runId},
                     ended});
}

} // namespace pitwall

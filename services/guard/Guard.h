#pragma once

#include "CancellationToken.h"
#include "Contract.h"
#include "Mirrors.h"
#include "PgConnect.h"
#include "RedisEndpoint.h"
#include "RetryPolicy.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace pqxx {
class connection_base;
}

namespace pitwall {

class PgBatchWriter;
class RedisPool;
struct SpanRecord;
struct RunEndRecord;

struct GuardOptions {
    std::string pg; // libpq connection string of a login with pitwall_agent
    RedisEndpoint redis;
    std::string keyPrefix = "pitwall:";
    size_t redisConnections = 8;
    RetryPolicy retry;
    int breakerThreshold = 5;
    std::chrono::milliseconds breakerCooloff{10000};
    // How often in-flight runs are checked for a kill flag while a step is running.
    std::chrono::milliseconds killPollInterval{50};
    std::chrono::milliseconds heartbeatInterval{1000};
    std::chrono::milliseconds flushInterval{100};
    long long streamMaxLen = kEventStreamMaxLen;
};

// RunStatus (Contract.h); an ended run is never Running.
std::string toString(RunStatus status);

enum class StepVerdict { Proceed, Killed, StepLimit };

struct SpendVerdict {
    bool allowed = false;
    int64_t reservedMicros = 0;
    std::string refusedScope; // user, agent, global
    std::string refusedRule;  // daily, per_request
    int64_t limitMicros = 0;
    std::string reason; // a sentence, empty when allowed
    std::string day;    // the UTC day of the spend keys reserved against
    uint64_t id = 0;    // which reservation of the run, so that it is settled once
};

struct ToolOutcome {
    int status = 200; // HTTP-like; 0 = network failure or timeout
    std::string output;
    std::string error;
};

struct ToolCallResult {
    bool ok = false;
    bool breakerDenied = false;
    bool cancelled = false;
    int attempts = 0;
    ToolOutcome last;
};

using ToolCall = std::function<ToolOutcome(const CancellationToken &)>;

struct RunStart {
    std::string agent;
    std::string userId;
    std::string entryPoint = "http";
};

class Guard;

// One agent run under the contract. Not shared between threads; the Guard watches it for a
// kill flag from its own thread and fires cancellation() when one appears.
class RunGuard {
public:
    ~RunGuard(); // a run dropped without finish() ends as failed
    RunGuard(const RunGuard &) = delete;
    RunGuard &operator=(const RunGuard &) = delete;

    const std::string &runId() const { return m_runId; }
    const std::string &traceId() const { return m_traceId; }
    const std::string &rootSpanId() const { return m_rootSpanId; }
    const std::string &agent() const { return m_agent; }
    const std::string &version() const { return m_version; }
    const std::string &userId() const { return m_userId; }
    bool isCanary() const { return m_canary; }
    int step() const { return m_step; }
    int maxSteps() const { return m_maxSteps; }
    int64_t costMicros() const { return m_costMicros; }
    const CancellationToken &cancellation() const { return *m_token; }

    // Before each step: a kill flag or the step cap stops the run; otherwise the step counts.
    StepVerdict beforeStep(const std::string &label = {});
    // Before an LLM call: reserves `estimateMicros` against the per-request and the user,
    // agent and global daily caps, all or nothing.
    SpendVerdict reserve(int64_t estimateMicros);
    // After it: the reservation becomes `actualMicros` of settled spend.
    void settle(const SpendVerdict &reservation, int64_t actualMicros);
    // A tool call through its circuit breaker, with retries by the policy.
    ToolCallResult callTool(const std::string &tool, const std::string &argumentsJson,
                            const ToolCall &call);
    // Records a span of this run (trace and run ids, and the root as parent, filled in).
    void recordSpan(SpanRecord span);
    void finish(RunStatus status, const std::string &error = {});
    bool isFinished() const { return m_finished; }
    const std::string &killActionId() const { return m_killActionId; }

private:
    friend class Guard;
    struct Watch {
        std::string runId;
        std::shared_ptr<CancellationToken> token;
    };
    explicit RunGuard(Guard &guard);
    std::vector<std::string> eventArgs(const std::string &type) const;
    void noteKill(const std::string &flagJson);

    Guard &m_guard;
    std::string m_runId, m_traceId, m_rootSpanId, m_agent, m_version, m_userId, m_entryPoint;
    bool m_canary = false;
    int m_step = 0;
    int m_maxSteps = 30;
    int64_t m_startedUs = 0;
    int64_t m_costMicros = 0;
    int64_t m_inputTokens = 0, m_outputTokens = 0;
    int m_toolCalls = 0, m_toolErrors = 0; // tool spans, and those that ended in error
    std::string m_lastSpan;
    std::string m_lastToolCall; // tool and arguments of the last call
    int m_toolRepeats = 0;      // how many times in a row that same call was made
    std::string m_killActionId;
    int64_t m_killAtMs = 0;
    bool m_killNoted = false;
    std::vector<SpendVerdict> m_openReservations; // released at finish() if never settled
    uint64_t m_nextReservation = 1;
    bool m_finished = false;
    std::shared_ptr<CancellationToken> m_token = std::make_shared<CancellationToken>();
};

// The agent side of the contract, one per process and thread-safe. Keeps the run hashes,
// the live set and the event stream current in Redis and writes runs and spans to Postgres
// in batches.
class Guard {
public:
    explicit Guard(GuardOptions options); // throws StoreError when a store is unreachable
    ~Guard();

    std::unique_ptr<RunGuard> startRun(const RunStart &start);
    // The rollout of an agent from its Redis mirror, read through from Postgres when missing.
    RolloutMirror rollout(const std::string &agent);
    int maxSteps(const std::string &agent);
    bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    const RedisKeys &keys() const { return m_keys; }
    const GuardOptions &options() const { return m_options; }
    RedisPool &redis() { return *m_pool; }

    // Which of two versions a user gets: the same answer every time for the same user, in
    // every language's guard. The user's bucket is FNV-1a (64 bits: offset basis
    // 14695981039346656037, prime 1099511628211, multiplication modulo 2^64) over the UTF-8
    // bytes of user + "\n" + agent, modulo 100; the user gets the canary when the bucket is
    // below the canary's weight (0: never, 100: always). README "Canary split" has test values.
    static int canaryBucket(const std::string &user, const std::string &agent);
    static bool userGetsCanary(const std::string &user, const std::string &agent, int weight);

    // What the RunGuards it started use (thread-safe, like the rest): the batch writer, the
    // cap mirrors, the spend seeds and the kill watch. A RunGuard reaches its Guard only
    // through these and the accessors above; the Guard, its factory, sets up its fields.
    void addRecord(SpanRecord span);
    void addRunEnd(const RunEndRecord &end);
    void addBreakerTransition(const std::string &tool, const std::string &from,
                              const std::string &to, int64_t failures);
    CapMirror readCapThrough(const std::string &scope, const std::string &subject);
    // Sets a day's spend counter that Redis does not hold (lost, or a new day) to the ledger's
    // spend of that scope and day, if no other guard did first (seed_spend.lua).
    void seedSpend(const std::string &scope, const std::string &subject, const std::string &day);
    void unwatch(const std::string &runId);

private:
    void watch(const RunGuard::Watch &watch);
    void watchLoop();
    template <typename F>
    auto withPg(F &&f) -> decltype(f(std::declval<pqxx::connection_base &>()));

    GuardOptions m_options;
    RedisKeys m_keys;
    std::unique_ptr<RedisPool> m_pool;
    std::unique_ptr<PgBatchWriter> m_writer;
    std::mutex m_pgMutex; // guards m_pg
    PgConnection m_pg;
    std::mutex m_maxStepsMutex; // guards m_maxSteps, never held across I/O
    std::map<std::string, std::pair<int, std::chrono::steady_clock::time_point>> m_maxSteps;

    std::mutex m_watchMutex; // guards m_watched
    std::map<std::string, std::shared_ptr<CancellationToken>> m_watched;
    std::atomic<bool> m_stopping{false};
    std::thread m_watcher;
};

} // namespace pitwall

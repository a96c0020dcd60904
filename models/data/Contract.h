#pragma once

// The contract's vocabulary (DESIGN.md, "The contract"), written once: run statuses and their
// order, the event stream's types and field names, the run hash's fields, the Redis key names,
// the stream's MAXLEN and the kill deadline. Agents, the console and the CLI read these names;
// changing one is a change of the contract. Plain C++ (the guard links no Qt).

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pitwall {

// A run's status, in the order the console lists them: the first is the only live one. The
// numeric values are stored in LiveRun rows (one byte), so only append.
enum class RunStatus : unsigned char {
    Running,
    Succeeded,
    Failed,
    Killed,
    Capped,
    StepLimit,
    Timeout
};

inline constexpr std::array<std::string_view, 7> kRunStatusNames = {
    "running", "succeeded", "failed", "killed", "capped", "step_limit", "timeout"};

inline constexpr std::string_view runStatusName(RunStatus s) {
    return kRunStatusNames[static_cast<size_t>(s)];
}

inline std::optional<RunStatus> parseRunStatus(std::string_view name) {
    for (size_t i = 0; i < kRunStatusNames.size(); ++i)
        if (kRunStatusNames[i] == name)
            return static_cast<RunStatus>(i);
    return std::nullopt;
}

// The `type` of an entry of the event stream.
struct EventType {
    static constexpr const char *runStarted = "run_started";
    static constexpr const char *step = "step";
    static constexpr const char *runEnded = "run_ended";
    static constexpr const char *spendRefused = "spend_refused";
    static constexpr const char *breaker = "breaker";
    static constexpr const char *killRequested = "kill_requested";
    static constexpr const char *action = "action";
};

// Field names of the event stream's entries and of the run hash (`pitwall:run:{run_id}`).
struct EventField {
    static constexpr const char *type = "type";
    static constexpr const char *runId = "run_id";
    static constexpr const char *agent = "agent";
    static constexpr const char *version = "version";
    static constexpr const char *user = "user";
    static constexpr const char *entryPoint = "entry_point";
    static constexpr const char *canary = "canary";
    static constexpr const char *atMs = "at_ms";
    static constexpr const char *startedMs = "started_ms";
    static constexpr const char *heartbeatMs = "heartbeat_ms";
    static constexpr const char *step = "step";
    static constexpr const char *maxSteps = "max_steps";
    static constexpr const char *costMicros = "cost_micros";
    static constexpr const char *reservedMicros = "reserved_micros";
    static constexpr const char *lastSpan = "last_span";
    static constexpr const char *steps = "steps"; // of run_ended
    static constexpr const char *traceId = "trace_id";
    static constexpr const char *actionId = "action_id";
    static constexpr const char *status = "status";
    static constexpr const char *toolRepeats = "tool_repeats";
};

// The event stream is trimmed to about this many entries (XADD MAXLEN ~).
inline constexpr long long kEventStreamMaxLen = 100000;

// Spend hashes and ranks live two days after their last write (the day, and the next for late
// settles).
inline constexpr int kSpendCounterTtlSeconds = 172800;

// A running run whose heartbeat is older than this is lost: its agent stopped beating.
inline constexpr int64_t kHeartbeatTimeoutMs = 30'000;

// The breaker board's failure-rate window, in whole minutes, and the calls it needs before a
// rate means anything (below it the board says "not enough calls"); its sparkline's span.
inline constexpr int kBreakerWindowMinutes = 5;
inline constexpr int kBreakerMinimumCalls = 10;
inline constexpr int kBreakerSparkMinutes = 15;

// How long a kill may take to land: after it the console says the agent is not honouring kills.
inline constexpr std::chrono::milliseconds kKillDeadline{5000};

// The Redis key names of the contract, under a configurable prefix.
// How a guard words a spend refusal: the `error` of the run it ended as capped. The spend page
// counts the day's refusals by scope and rule from it, so it is written once, here.
// `rule` is daily or per_request; `subject` the user or agent (ignored for global).
inline std::string spendRefusalReason(const std::string &rule, const std::string &scope,
                                      const std::string &subject) {
    const std::string of = scope == "user"    ? " of user " + subject
                           : scope == "agent" ? " of agent " + subject
                                              : std::string();
    return rule == "per_request" ? "the request's estimate exceeds the per-request cap" + of
                                 : "the daily cap" + of + " would be exceeded";
}

class RedisKeys {
public:
    explicit RedisKeys(std::string prefix = "pitwall:")
        : m_prefix(std::move(prefix)) {}
    const std::string &prefix() const { return m_prefix; }
    std::string run(const std::string &runId) const { return m_prefix + "run:" + runId; }
    std::string live() const { return m_prefix + "live"; }
    std::string events() const { return m_prefix + "events"; }
    std::string kill(const std::string &runId) const { return m_prefix + "kill:" + runId; }
    std::string cap(const std::string &scope, const std::string &subject) const {
        return m_prefix + "cap:" + scope + ":" + subject;
    }
    std::string spend(const std::string &scope, const std::string &subject,
                      const std::string &yyyymmdd) const {
        return m_prefix + "spend:" + scope + ":" + subject + ":" + yyyymmdd;
    }
    // Subjects of a scope (user or agent) scored by their settled spend of a day (schema 5).
    std::string spendRank(const std::string &scope, const std::string &yyyymmdd) const {
        return m_prefix + "spend_rank:" + scope + ":" + yyyymmdd;
    }
    std::string breaker(const std::string &tool) const { return m_prefix + "breaker:" + tool; }
    // Every tool that has a breaker (a set the breaker scripts add to, schema 6): the board
    // lists them without a SCAN over the whole keyspace.
    std::string breakers() const { return m_prefix + "breakers"; }
    // A tool's calls, failures and refused calls in one minute (now_ms / 60000), a hash that
    // lives 20 minutes: the board's window and sparkline.
    std::string breakerCalls(const std::string &tool, int64_t minute) const {
        return m_prefix + "breaker_calls:" + tool + ":" + std::to_string(minute);
    }
    std::string rollout(const std::string &agent) const { return m_prefix + "rollout:" + agent; }
    // Set (NX, for 7 days) by whoever first applies an action to Redis: a second applier (two
    // consoles draining, a retry after a failed mark) rewrites the state, which is idempotent,
    // but does not announce the action on the event stream again.
    std::string applied(const std::string &actionId) const {
        return m_prefix + "applied:" + actionId;
    }
    // Set by the script that applies a counter repair (rebuild_spend, release_hold) in the
    // same atomic step, since applying one twice would not be idempotent.
    std::string appliedCounter(const std::string &actionId) const {
        return applied(actionId) + ":counter";
    }

private:
    std::string m_prefix;
};

} // namespace pitwall

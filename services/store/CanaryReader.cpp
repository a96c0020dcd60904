#include "CanaryReader.h"

#include "CanaryRollup.h"
#include "Clock.h"

#include <pqxx/pqxx>

#include <algorithm>

namespace pitwall {
namespace {

// pitwall.canary_policy's columns as the judge takes them, and the policy from a row that holds
// them from `at` on (null: no row, the defaults).
const char *const kPolicyColumns =
    "p.min_runs, p.success_rate_tolerance::float8, p.latency_tolerance::float8,"
    " p.cost_tolerance::float8, p.steps_tolerance::float8, p.tail_tolerance::float8, p.revision";

CanaryPolicy policyFrom(const pqxx::row &r, pqxx::row::size_type at) {
    CanaryPolicy p;
    if (r[at].is_null())
        return p;
    p.minRuns = r[at].as<int64_t>();
    p.successRateTolerance = r[at + 1].as<double>();
    p.latencyTolerance = r[at + 2].as<double>();
    p.costTolerance = r[at + 3].as<double>();
    p.stepsTolerance = r[at + 4].as<double>();
    p.tailTolerance = r[at + 5].as<double>();
    p.revision = r[at + 6].as<int64_t>();
    return p;
}

} // namespace

std::vector<CanaryComparison> readCanaryRollouts(pqxx::connection_base &pg,
                                                 const std::string &agent,
                                                 std::optional<int64_t> fromUs,
                                                 bool withoutCanary) {
    pqxx::read_transaction tx(pg);
    std::vector<CanaryComparison> out;
    // The window starts at the canary version's first run (runs_agent_version_idx finds it).
    const pqxx::result rows = tx.exec_params(
        "SELECT r.agent, r.stable_version, r.canary_version, r.canary_weight, r.revision,"
        " coalesce($2::bigint, (SELECT (extract(epoch FROM min(x.started_at)) * 1e6)::bigint"
        "   FROM pitwall.runs x WHERE x.agent = r.agent AND x.version = r.canary_version),"
        "   (extract(epoch FROM now()) * 1e6)::bigint), " +
            std::string(kPolicyColumns) +
            " FROM pitwall.rollouts r LEFT JOIN pitwall.canary_policy p ON p.agent = r.agent"
            " WHERE ($3 OR r.canary_version IS NOT NULL) AND ($1 = '' OR r.agent = $1)"
            " ORDER BY r.agent",
        agent, fromUs, withoutCanary);
    for (const auto &r : rows) {
        CanaryComparison c;
        c.agent = r[0].as<std::string>();
        c.stable.version = r[1].as<std::string>();
        c.canary.version = r[2].is_null() ? std::string() : r[2].as<std::string>();
        c.weight = r[3].as<int>();
        c.revision = r[4].as<int64_t>();
        c.fromUs = r[5].as<int64_t>();
        c.policy = policyFrom(r, 6);
        out.push_back(std::move(c));
    }
    return out;
}

std::pair<int64_t, std::vector<std::string>> readRunsInFlight(pqxx::connection_base &pg,
                                                              const std::string &agent,
                                                              const std::string &version,
                                                              int limit) {
    pqxx::read_transaction tx(pg);
    // runs_running_idx holds only running runs: cheap however many runs ended.
    const pqxx::result rows =
        tx.exec_params("SELECT run_id::text, count(*) OVER () FROM pitwall.runs"
                       " WHERE status = 'running' AND agent = $1 AND version = $2"
                       " ORDER BY started_at, run_id LIMIT $3",
                       agent, version, std::clamp(limit, 1, 10000));
    std::pair<int64_t, std::vector<std::string>> out{0, {}};
    for (const auto &r : rows) {
        out.first = r[1].as<int64_t>();
        out.second.push_back(r[0].as<std::string>());
    }
    return out;
}

std::vector<CanaryExampleRun> readCanaryExamples(pqxx::connection_base &pg,
                                                 const std::string &agent,
                                                 const std::string &stableVersion,
                                                 const std::string &canaryVersion, int64_t fromMs,
                                                 int perKind) {
    pqxx::read_transaction tx(pg);
    const std::string columns =
        "SELECT run_id::text, trace_id, version, status, extract(epoch FROM ended_at -"
        " started_at) * 1000, (cost_usd * 1000000)::bigint,"
        " floor(extract(epoch FROM ended_at) * 1000)::bigint, coalesce(left(error, 300), ''), ";
    const std::string where = " FROM pitwall.runs WHERE agent = $1 AND version = $2"
                              " AND ended_at >= to_timestamp($3::float8 / 1000)";
    const std::string done = " AND status IN ('succeeded', 'failed', 'timeout')";
    const std::string sql =
        "(" + columns + "'slowest'" + where + done + " ORDER BY ended_at - started_at DESC" +
        " LIMIT $4) UNION ALL (" + columns + "'most expensive'" + where + done +
        " ORDER BY cost_usd DESC LIMIT $4) UNION ALL (" + columns + "'failed'" + where +
        " AND status IN ('failed', 'timeout') ORDER BY ended_at DESC LIMIT $4)";
    std::vector<CanaryExampleRun> out;
    for (const std::string &version : {stableVersion, canaryVersion}) {
        if (version.empty())
            continue;
        const pqxx::result rows =
            tx.exec_params(sql, agent, version, fromMs, std::clamp(perKind, 1, 20));
        for (const auto &r : rows) {
            CanaryExampleRun e;
            e.runId = r[0].as<std::string>();
            e.traceId = r[1].as<std::string>();
            e.version = r[2].as<std::string>();
            e.status = r[3].as<std::string>();
            e.latencyMs = r[4].is_null() ? 0 : r[4].as<double>();
            e.costMicros = r[5].is_null() ? 0 : r[5].as<int64_t>();
            e.endedMs = r[6].as<int64_t>();
            e.error = r[7].as<std::string>();
            e.why = r[8].as<std::string>();
            out.push_back(std::move(e));
        }
    }
    return out;
}

CanaryPolicy readCanaryPolicy(pqxx::connection_base &pg, const std::string &agent) {
    pqxx::read_transaction tx(pg);
    const pqxx::result r = tx.exec_params(std::string("SELECT ") + kPolicyColumns +
                                              " FROM pitwall.canary_policy p WHERE p.agent = $1",
                                          agent);
    return r.empty() ? CanaryPolicy{} : policyFrom(r[0], 0);
}

int64_t readRunOutcomes(pqxx::connection_base &pg, int64_t fromMs, const std::string &agent,
                        const RunOutcomeSink &each, const std::function<bool()> &stop,
                        int pageSize) {
    pageSize = std::clamp(pageSize, 1, 100000);
    // Keyset pages over runs_ended_idx: (ended_at, run_id) after the last row of the page before.
    std::string afterAt, afterId;
    int64_t count = 0;
    for (;;) {
        if (stop && stop())
            break;
        pqxx::read_transaction tx(pg);
        const pqxx::result page = tx.exec_params(
            "SELECT agent, version, floor(extract(epoch FROM ended_at) * 1000)::bigint, status,"
            " extract(epoch FROM ended_at - started_at) * 1000, (cost_usd * 1000000)::bigint,"
            " steps, tool_calls, tool_errors, ended_at::text, run_id::text"
            " FROM pitwall.runs"
            " WHERE status <> 'running' AND ended_at >= to_timestamp($1::float8 / 1000)"
            " AND ($2 = '' OR agent = $2)"
            " AND ($3::text IS NULL OR (ended_at, run_id) > ($3::timestamptz, $4::uuid))"
            " ORDER BY ended_at, run_id LIMIT $5",
            fromMs, agent, afterAt.empty() ? std::optional<std::string>() : afterAt,
            afterId.empty() ? std::optional<std::string>() : afterId, pageSize);
        for (const auto &row : page) {
            RunOutcome run;
            // The runs table's CHECK allows only the contract's statuses.
            run.status = parseRunStatus(row[3].as<std::string>()).value_or(RunStatus::Failed);
            run.latencyMs = row[4].is_null() ? 0 : row[4].as<double>();
            run.costMicros = row[5].is_null() ? 0 : row[5].as<int64_t>();
            run.steps = row[6].as<int>();
            run.toolCalls = row[7].as<int>();
            run.toolErrors = row[8].as<int>();
            each(row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int64_t>(), run);
        }
        count += static_cast<int64_t>(page.size());
        if (page.size() < static_cast<size_t>(pageSize))
            break;
        afterAt = page.back()[9].as<std::string>();
        afterId = page.back()[10].as<std::string>();
    }
    return count;
}

std::vector<RolloutChange> readRolloutHistory(pqxx::connection_base &pg, const std::string &agent,
                                              int limit) {
    pqxx::read_transaction tx(pg);
    const pqxx::result rows = tx.exec_params(
        "SELECT action_id::text, kind, actor, reason,"
        " (extract(epoch FROM requested_at) * 1000)::bigint,"
        " coalesce(before->>'stable', ''), coalesce(before->>'canary', ''),"
        " coalesce(after->>'stable', ''), coalesce(after->>'canary', ''),"
        " coalesce((before->>'weight')::int, 0), coalesce((after->>'weight')::int, 0),"
        " coalesce(params->>'in_flight', ''),"
        " coalesce((params->>'kill_count')::bigint, 0)"
        " FROM pitwall.actions"
        " WHERE target = $1 AND kind IN ('set_canary_weight', 'promote', 'rollback',"
        "   'start_canary', 'set_canary_policy')"
        " ORDER BY requested_at DESC LIMIT $2",
        agent, std::clamp(limit, 1, 1000));
    std::vector<RolloutChange> out;
    for (const auto &r : rows) {
        RolloutChange c;
        c.actionId = r[0].as<std::string>();
        c.kind = r[1].as<std::string>();
        c.actor = r[2].as<std::string>();
        c.reason = r[3].as<std::string>();
        c.atMs = r[4].as<int64_t>();
        c.stableBefore = r[5].as<std::string>();
        c.canaryBefore = r[6].as<std::string>();
        c.stableAfter = r[7].as<std::string>();
        c.canaryAfter = r[8].as<std::string>();
        c.weightBefore = r[9].as<int>();
        c.weightAfter = r[10].as<int>();
        c.inFlight = r[11].as<std::string>();
        c.killedRuns = r[12].as<int64_t>();
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<CanaryComparison> readCanaryComparisons(pqxx::connection_base &pg,
                                                    const std::string &agent,
                                                    std::optional<int64_t> fromUs) {
    std::vector<CanaryComparison> out = readCanaryRollouts(pg, agent, fromUs);
    if (out.empty())
        return out;
    // Without an explicit window, as the console judges: at most the last two days.
    if (!fromUs) {
        const int64_t earliestUs = (nowMs() - kCanaryMaxWindowMs) * 1000;
        for (auto &c : out)
            c.fromUs = std::max(c.fromUs, earliestUs);
    }
    int64_t fromMs = CanaryRollup::kEnd;
    for (const auto &c : out)
        fromMs = std::min(fromMs, c.fromUs / 1000);
    CanaryRollup rollup;
    readRunOutcomes(pg, fromMs, agent,
                    [&](const std::string &a, const std::string &v, int64_t endedMs,
                        const RunOutcome &run) { rollup.add(a, v, endedMs, run); });
    for (auto &c : out) {
        c.stable = rollup.arm(c.agent, c.stable.version, c.fromUs / 1000);
        c.canary = rollup.arm(c.agent, c.canary.version, c.fromUs / 1000);
    }
    return out;
}

} // namespace pitwall

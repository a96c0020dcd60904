// The canary judge over 100k and 1M runs: from the per-minute rollup (what the console does on
// every refresh) against a raw scan of the runs, in memory (folding every run again) and, with
// PITWALL_BENCH_PG set to a database with the Pitwall schema, in PostgreSQL (the aggregate a
// console without the rollup would run over pitwall.runs). Prints figures; asserts nothing.
#include "CanaryJudge.h"
#include "CanaryRollup.h"
#include "PgConnect.h"

#include <benchmark/benchmark.h>

#include <pqxx/pqxx>

#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace pitwall;

namespace {

constexpr int64_t kT0 = 1'800'000'000'000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
const char *const kAgents[] = {"support-bot", "research-agent", "code-review", "travel-planner"};

struct RawRun {
    int agent;
    bool canary;
    int64_t endedMs;
    RunOutcome run;
};

const std::vector<RawRun> &runs(int64_t n) {
    static std::map<int64_t, std::vector<RawRun>> cache;
    auto &v = cache[n];
    if (!v.empty())
        return v;
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, 1);
    std::normal_distribution<double> z(0, 1);
    v.reserve(size_t(n));
    for (int64_t i = 0; i < n; ++i) {
        RawRun r{int(i % 4), u(rng) < 0.5, kT0 + int64_t(u(rng) * kDayMs), {}};
        r.run.status = u(rng) < 0.92 ? RunStatus::Succeeded : RunStatus::Failed;
        r.run.latencyMs = std::exp(8.5 + 0.7 * z(rng));
        r.run.costMicros = int64_t(std::exp(8 + 0.6 * z(rng)));
        r.run.steps = 1 + int(u(rng) * 10);
        r.run.toolCalls = r.run.steps;
        r.run.toolErrors = u(rng) < 0.04;
        v.push_back(r);
    }
    return v;
}

const CanaryRollup &rollup(int64_t n) {
    static std::map<int64_t, CanaryRollup> cache;
    auto found = cache.find(n);
    if (found != cache.end())
        return found->second;
    CanaryRollup &r = cache[n];
    for (const RawRun &run : runs(n))
        r.add(kAgents[run.agent], run.canary ? "v2" : "v1", run.endedMs, run.run);
    return r;
}

// What the console does per refresh: each agent's two arms over the whole day, their minutes
// for the charts, and the verdict.
void BM_JudgeFromRollup(benchmark::State &state) {
    const CanaryRollup &r = rollup(state.range(0));
    for (auto _ : state) {
        size_t points = 0;
        for (const char *agent : kAgents) {
            const CanaryArm s = r.arm(agent, "v1", kT0), c = r.arm(agent, "v2", kT0);
            points += r.minutes(agent, "v1", kT0).size() + r.minutes(agent, "v2", kT0).size();
            benchmark::DoNotOptimize(CanaryJudge::judge(s, c));
        }
        benchmark::DoNotOptimize(points);
    }
    state.counters["buckets"] = double(r.buckets());
}

// The same answers by folding every run again.
void BM_JudgeFromRawRunsInMemory(benchmark::State &state) {
    const auto &all = runs(state.range(0));
    for (auto _ : state) {
        CanaryArm arms[4][2];
        for (const RawRun &run : all)
            arms[run.agent][run.canary].add(run.run);
        for (auto &a : arms)
            benchmark::DoNotOptimize(CanaryJudge::judge(a[0], a[1]));
    }
}

// The aggregate over pitwall.runs that a console without the rollup would run per refresh.
void BM_JudgeFromRawRunsInPostgres(benchmark::State &state) {
    const char *conninfo = std::getenv("PITWALL_BENCH_PG");
    if (!conninfo) {
        state.SkipWithError("PITWALL_BENCH_PG is not set");
        return;
    }
    auto pg = connectPostgres(conninfo);
    const int64_t n = state.range(0);
    {
        pqxx::work tx(*pg);
        tx.exec(
            "CREATE TEMP TABLE IF NOT EXISTS bench_runs (LIKE pitwall.runs INCLUDING DEFAULTS)");
        tx.exec("TRUNCATE bench_runs");
        tx.exec_params(
            "INSERT INTO bench_runs (run_id, trace_id, agent, version, user_id, entry_point,"
            " status, started_at, ended_at, steps, cost_usd, tool_calls, tool_errors)"
            " SELECT gen_random_uuid(), 't' || i, (ARRAY['support-bot', 'research-agent',"
            " 'code-review', 'travel-planner'])[1 + i % 4], CASE WHEN random() < 0.5 THEN 'v1'"
            " ELSE 'v2' END, 'u', 'http', CASE WHEN random() < 0.92 THEN 'succeeded' ELSE"
            " 'failed' END, s, s + make_interval(secs => exp(8.5 + 0.7 * random()) / 1000),"
            " 1 + (random() * 10)::int, exp(8 + 0.6 * random()) / 1e6, 5, 0"
            " FROM generate_series(1, $1::int) i,"
            " LATERAL (SELECT now() - random() * interval '1 day' AS s) t",
            n);
        tx.exec("CREATE INDEX IF NOT EXISTS bench_runs_idx ON bench_runs (agent, version,"
                " started_at)");
        tx.exec("ANALYZE bench_runs");
        tx.commit();
    }
    for (auto _ : state) {
        pqxx::read_transaction tx(*pg);
        const auto r =
            tx.exec("SELECT agent, version, count(*), count(*) FILTER (WHERE status = 'succeeded'),"
                    " avg(ln(greatest(extract(epoch FROM ended_at - started_at) * 1000, 1))),"
                    " var_samp(ln(greatest(extract(epoch FROM ended_at - started_at) * 1000, 1))),"
                    " avg(ln(cost_usd * 1e6 + 1)), var_samp(ln(cost_usd * 1e6 + 1)), avg(steps),"
                    " var_samp(steps), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP"
                    " (ORDER BY ended_at - started_at)"
                    " FROM bench_runs WHERE started_at >= now() - interval '1 day'"
                    " GROUP BY agent, version");
        benchmark::DoNotOptimize(r.size());
    }
}

} // namespace

BENCHMARK(BM_JudgeFromRollup)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_JudgeFromRawRunsInMemory)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_JudgeFromRawRunsInPostgres)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->Iterations(1)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();

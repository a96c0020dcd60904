// The spend page's figures with 100,000 users who spent today: the top spenders and their
// figures read in batches (what the console and `pitwallctl spend` do) against one round trip
// per user. Needs PITWALL_BENCH_PG (a superuser on a database with the Pitwall schema) and
// PITWALL_BENCH_REDIS; writes 100,000 runs on 2020-01-01 (a day nobody looks at) and deletes
// them after. Prints figures; asserts nothing.
#include "Contract.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "RedisEndpoint.h"
#include "SpendReader.h"

#include <benchmark/benchmark.h>

#include <pqxx/pqxx>

#include <cstdlib>
#include <memory>

using namespace pitwall;

namespace {

constexpr int64_t kEvening = 1'577'901'600'000; // 2020-01-01 18:00 UTC: "now" for the reads
constexpr int kUsers = 100'000;

struct Stores {
    PgConnection pg;
    std::unique_ptr<RedisConnection> redis;
    RedisKeys keys{"pitwall:"};
};

Stores *stores() {
    static std::unique_ptr<Stores> s = [] {
        const char *pg = std::getenv("PITWALL_BENCH_PG");
        const char *redis = std::getenv("PITWALL_BENCH_REDIS");
        if (!pg || !redis)
            return std::unique_ptr<Stores>();
        auto out = std::make_unique<Stores>();
        out->pg = connectPostgres(pg, 5, PgLimits::bulk());
        out->redis = std::make_unique<RedisConnection>(RedisEndpoint::parse(redis));
        pqxx::work tx(*out->pg);
        tx.exec("DELETE FROM pitwall.runs WHERE trace_id = 'bench-spend'");
        tx.exec_params("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                       " entry_point, status, started_at, ended_at, steps, cost_usd)"
                       " SELECT gen_random_uuid(), 'bench-spend', 'agent-' || (i % 8), 'v1',"
                       " 'bench-user-' || i, 'http', 'succeeded',"
                       " timestamptz '2020-01-01 00:00+00' + (i % 60000) * interval '1 second',"
                       " timestamptz '2020-01-01 00:00:05+00' + (i % 60000) * interval '1 second',"
                       " 3, round((random() * 2)::numeric, 6)"
                       " FROM generate_series(1, $1::int) i",
                       kUsers);
        tx.exec("ANALYZE pitwall.runs");
        tx.commit();
        std::atexit([] {
            pqxx::work cleanup(*stores()->pg);
            cleanup.exec("DELETE FROM pitwall.runs WHERE trace_id = 'bench-spend'");
            cleanup.commit();
        });
        return out;
    }();
    return s.get();
}

// The page: the global scope, the agents, and the top `n` users with all their figures.
void BM_SpendPageBatched(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    for (auto _ : state) {
        auto global = readSpendFigures(*s->pg, *s->redis, s->keys, "global", {"*"}, kEvening);
        auto agents = readTopSpenders(*s->pg, *s->redis, s->keys, "agent", 100, kEvening);
        auto users =
            readTopSpenders(*s->pg, *s->redis, s->keys, "user", int(state.range(0)), kEvening);
        benchmark::DoNotOptimize(global.size() + agents.size() + users.size());
    }
}

// The naive way: the same users, one round trip to each store per user.
void BM_SpendPageOneUserAtATime(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    const auto top =
        readTopSpenders(*s->pg, *s->redis, s->keys, "user", int(state.range(0)), kEvening);
    for (auto _ : state) {
        size_t n = 0;
        for (const SpendFigures &f : top)
            n += readSpendFigures(*s->pg, *s->redis, s->keys, "user", {f.subject}, kEvening).size();
        benchmark::DoNotOptimize(n);
    }
}

} // namespace

BENCHMARK(BM_SpendPageBatched)
    ->Arg(100)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_SpendPageOneUserAtATime)
    ->Arg(100)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();

// The spend page's figures with 100,000 users who spent today: the top spenders ranked by the
// running rank in Redis (pitwall:spend_rank, kept by settle_spend) and their figures read in
// batches (what the console and `pitwallctl spend` do), against the two naive ways: ranking by a
// GROUP BY over the day's runs, and one round trip per user. Needs PITWALL_BENCH_PG (a superuser on
// a database with the Pitwall schema) and PITWALL_BENCH_REDIS; writes 100,000 runs on 2020-01-01 (a
// day nobody looks at) and deletes them after. Prints figures; asserts nothing.
#include "Contract.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "RedisEndpoint.h"
#include "SpendReader.h"

#include <benchmark/benchmark.h>

#include <pqxx/pqxx>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace pitwall;

namespace {

constexpr int64_t kEvening = 1'577'901'600'000; // 2020-01-01 18:00 UTC: "now" for the reads
constexpr int kUsers = 100'000;
constexpr const char *kDay = "20200101";

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
        // What the guards' settles leave in Redis: each user's counter and rank.
        const pqxx::result spent =
            tx.exec("SELECT user_id, (cost_usd * 1000000)::bigint FROM pitwall.runs"
                    " WHERE trace_id = 'bench-spend'");
        tx.commit();
        const std::string rank = out->keys.spendRank("user", kDay);
        std::vector<RedisArgs> batch{{"DEL", rank}};
        for (const auto &r : spent) {
            const std::string user = r[0].as<std::string>(), micros = r[1].as<std::string>();
            batch.push_back({"HSET", out->keys.spend("user", user, kDay), "settled_micros", micros,
                             "reserved_micros", "0", "seeded", "bench"});
            batch.push_back({"ZADD", rank, micros, user});
            if (batch.size() >= 20'000) {
                out->redis->pipeline(batch);
                batch.clear();
            }
        }
        batch.push_back({"SET", rank + ":complete", "1"});
        out->redis->pipeline(batch);
        // At exit the static above is gone: the clean-up connects again.
        std::atexit([] {
            RedisConnection redis(RedisEndpoint::parse(std::getenv("PITWALL_BENCH_REDIS")));
            const RedisKeys keys("pitwall:");
            std::vector<RedisArgs> del;
            for (int i = 1; i <= kUsers; ++i)
                del.push_back({"DEL", keys.spend("user", "bench-user-" + std::to_string(i), kDay)});
            for (const char *scope : {"user", "agent"})
                del.push_back({"DEL", keys.spendRank(scope, kDay),
                               keys.spendRank(scope, kDay) + ":complete"});
            redis.pipeline(del);
            auto pg = connectPostgres(std::getenv("PITWALL_BENCH_PG"), 5, PgLimits::bulk());
            pqxx::work cleanup(*pg);
            cleanup.exec("DELETE FROM pitwall.runs WHERE trace_id = 'bench-spend'");
            cleanup.commit();
        });
        return out;
    }();
    return s.get();
}

// The page as the console reads it: the global scope, the agents, and a page of `n` users
// ranked by the running rank, with all their figures.
void BM_SpendPageRanked(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    // As the console keeps it: read once for the day, then the last minutes at each refresh.
    SpendRollup rollup;
    refreshSpendRollup(*s->pg, rollup, kEvening);
    readSpenderPage(*s->pg, *s->redis, s->keys, "agent", {}, 0, 200, kEvening); // ranked once
    for (auto _ : state) {
        refreshSpendRollup(*s->pg, rollup, kEvening);
        auto global =
            readSpendFigures(*s->pg, *s->redis, s->keys, "global", {"*"}, kEvening, &rollup);
        auto agents =
            readSpenderPage(*s->pg, *s->redis, s->keys, "agent", {}, 0, 200, kEvening, &rollup);
        auto users = readSpenderPage(*s->pg, *s->redis, s->keys, "user", {}, 0, int(state.range(0)),
                                     kEvening, &rollup);
        benchmark::DoNotOptimize(global.size() + agents.rows.size() + users.rows.size());
    }
}

// The rollup's first read of a day (a console starting, or midnight UTC).
void BM_SpendRollupFirstRead(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    for (auto _ : state) {
        SpendRollup rollup;
        refreshSpendRollup(*s->pg, rollup, kEvening);
        benchmark::DoNotOptimize(rollup.runsRead);
        state.counters["runs"] = double(rollup.runsRead);
    }
}

// The same with a filter: every user of the rank is scanned for the name.
void BM_SpendPageRankedFiltered(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    for (auto _ : state) {
        auto users =
            readSpenderPage(*s->pg, *s->redis, s->keys, "user", "user-4", 0, 100, kEvening);
        benchmark::DoNotOptimize(users.total);
    }
}

// Naive, the way of the first version: the users ranked by a GROUP BY over the day's runs.
void BM_SpendPageGroupBy(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    for (auto _ : state) {
        auto global = readSpendFigures(*s->pg, *s->redis, s->keys, "global", {"*"}, kEvening);
        auto agents = readTopSpendersFromLedger(*s->pg, *s->redis, s->keys, "agent", 200, kEvening);
        auto users = readTopSpendersFromLedger(*s->pg, *s->redis, s->keys, "user",
                                               int(state.range(0)), kEvening);
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

BENCHMARK(BM_SpendPageRanked)
    ->Arg(100)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_SpendRollupFirstRead)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_SpendPageRankedFiltered)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_SpendPageGroupBy)
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

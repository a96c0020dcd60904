// The breaker board with 500 tools, each with its hash and 15 minute buckets: readBreakerBoard
// (pipelines of a hundred tools) against reading tool by tool, one round trip per key, in the
// same run. Needs PITWALL_BENCH_PG (a database with the Pitwall schema) and PITWALL_BENCH_REDIS;
// writes under the key prefix "benchbrk:" and deletes it after. Prints figures; asserts nothing.
#include "BreakerReader.h"
#include "Clock.h"
#include "PgConnect.h"
#include "RedisConnection.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

using namespace pitwall;

namespace {

constexpr int kTools = 500;
const RedisKeys kKeys("benchbrk:");

struct Stores {
    PgConnection pg;
    std::unique_ptr<RedisConnection> redis;
};

Stores *stores() {
    static std::unique_ptr<Stores> s = []() -> std::unique_ptr<Stores> {
        const char *pg = std::getenv("PITWALL_BENCH_PG");
        const char *redis = std::getenv("PITWALL_BENCH_REDIS");
        if (!pg || !redis)
            return nullptr;
        auto out = std::make_unique<Stores>();
        out->pg = connectPostgres(pg);
        out->redis = std::make_unique<RedisConnection>(RedisEndpoint::parse(redis));
        const int64_t minute = nowMs() / 60'000;
        std::vector<RedisArgs> writes;
        for (int t = 0; t < kTools; ++t) {
            const std::string tool = "tool_" + std::to_string(t);
            writes.push_back({"SADD", kKeys.breakers(), tool});
            writes.push_back({"HSET", kKeys.breaker(tool), "state", t % 50 == 0 ? "open" : "closed",
                              "failures", std::to_string(t % 7), "threshold", "5", "cooloff_ms",
                              "10000", "opened_ms", std::to_string(nowMs()), "since_ms",
                              std::to_string(nowMs()), "last_error", "503 from upstream"});
            for (int m = 0; m < kBreakerSparkMinutes; ++m)
                writes.push_back({"HSET", kKeys.breakerCalls(tool, minute - m), "calls",
                                  std::to_string(20 + t % 30), "failures", std::to_string(t % 5),
                                  "rejected", "0"});
        }
        out->redis->pipeline(writes);
        std::atexit([] {
            auto *s = stores();
            std::string cursor = "0";
            do {
                const RedisValue page =
                    s->redis->command({"SCAN", cursor, "MATCH", "benchbrk:*", "COUNT", "1000"});
                cursor = page.elements.at(0).str;
                for (const RedisValue &key : page.elements.at(1).elements)
                    s->redis->command({"DEL", key.str});
            } while (cursor != "0");
        });
        return out;
    }();
    return s.get();
}

void BM_BreakerBoard(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    size_t rows = 0;
    for (auto _ : state)
        rows = readBreakerBoard(*s->pg, *s->redis, kKeys, nowMs()).rows.size();
    state.counters["tools"] = double(rows);
}

// The baseline: the same keys, one command and one round trip each.
void BM_BreakerToolByTool(benchmark::State &state) {
    Stores *s = stores();
    if (!s) {
        state.SkipWithError("PITWALL_BENCH_PG and PITWALL_BENCH_REDIS are not set");
        return;
    }
    for (auto _ : state) {
        const int64_t minute = nowMs() / 60'000;
        const RedisValue tools = s->redis->command({"SMEMBERS", kKeys.breakers()});
        for (const RedisValue &tool : tools.elements) {
            benchmark::DoNotOptimize(s->redis->command({"HGETALL", kKeys.breaker(tool.str)}));
            for (int m = 0; m < kBreakerSparkMinutes; ++m)
                benchmark::DoNotOptimize(
                    s->redis->command({"HGETALL", kKeys.breakerCalls(tool.str, minute - m)}));
        }
    }
}

} // namespace

BENCHMARK(BM_BreakerBoard)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly();
BENCHMARK(BM_BreakerToolByTool)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly();
BENCHMARK_MAIN();

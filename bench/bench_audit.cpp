// The audit page over 1,000,000 actions: its first page, a filter change, and a page deep in the
// trail, by keyset (what the console and `pitwallctl audit` do) against OFFSET paging. Needs
// PITWALL_BENCH_PG (a superuser on a database with the Pitwall schema); writes 1,000,000 actions
// in November 2000 (kind 'bench') and deletes them after. Prints figures; asserts nothing.
#include "AuditReader.h"
#include "PgConnect.h"

#include <benchmark/benchmark.h>

#include <pqxx/pqxx>

#include <cstdlib>
#include <memory>

using namespace pitwall;

namespace {

constexpr int kActions = 1'000'000;
constexpr int kPage = 100;

pqxx::connection_base *pg() {
    static PgConnection c = []() -> PgConnection {
        const char *conninfo = std::getenv("PITWALL_BENCH_PG");
        if (!conninfo)
            return {};
        PgConnection out = connectPostgres(conninfo, 5, PgLimits::bulk());
        pqxx::work tx(*out);
        tx.exec("DELETE FROM pitwall.actions WHERE kind LIKE 'bench%'");
        tx.exec_params("INSERT INTO pitwall.actions (action_id, requested_at, actor, kind, target,"
                       " reason, mirrored_at)"
                       " SELECT gen_random_uuid(), timestamptz '2000-11-01 00:00+00' + i *"
                       " interval '1 second', 'actor-' || (i % 20), 'bench' || (i % 5),"
                       " 'target-' || (i % 1000), 'bench reason ' || i, now()"
                       " FROM generate_series(1, $1::int) i",
                       kActions);
        tx.exec("ANALYZE pitwall.actions");
        tx.commit();
        std::atexit([] {
            // The static is gone by now: a connection of its own.
            auto c = connectPostgres(std::getenv("PITWALL_BENCH_PG"), 5, PgLimits::bulk());
            pqxx::work cleanup(*c);
            cleanup.exec("DELETE FROM pitwall.actions WHERE kind LIKE 'bench%'");
            cleanup.commit();
        });
        return out;
    }();
    return c.get();
}

AuditFilter benchOnly() {
    AuditFilter f;
    f.fromMs = 973'036'800'000;                    // 2000-11-01 UTC
    f.toMs = f.fromMs.value() + 86'400'000LL * 30; // the bench's month
    return f;
}

void BM_AuditFirstPage(benchmark::State &state) {
    if (!pg()) {
        state.SkipWithError("PITWALL_BENCH_PG is not set");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(readAudit(*pg(), benchOnly(), std::nullopt, kPage).entries.size());
}

// A filter change: an actor and a kind (a 20th and a 5th of the trail).
void BM_AuditFilterChange(benchmark::State &state) {
    if (!pg()) {
        state.SkipWithError("PITWALL_BENCH_PG is not set");
        return;
    }
    AuditFilter f = benchOnly();
    f.actor = "actor-7";
    f.kind = "bench2";
    for (auto _ : state)
        benchmark::DoNotOptimize(readAudit(*pg(), f, std::nullopt, kPage).entries.size());
}

// Free text over the reasons: no index, so a rare text reads the trail until a page is full.
void BM_AuditTextFilter(benchmark::State &state) {
    if (!pg()) {
        state.SkipWithError("PITWALL_BENCH_PG is not set");
        return;
    }
    AuditFilter f = benchOnly();
    f.text = state.range(0) ? "reason 12345" : "reason 9";
    for (auto _ : state)
        benchmark::DoNotOptimize(readAudit(*pg(), f, std::nullopt, kPage).entries.size());
}

// The page `state.range(0)` pages deep, by keyset from the previous page's last action.
void BM_AuditDeepPageKeyset(benchmark::State &state) {
    if (!pg()) {
        state.SkipWithError("PITWALL_BENCH_PG is not set");
        return;
    }
    const int64_t depth = state.range(0);
    std::optional<AuditCursor> cursor;
    {
        pqxx::read_transaction tx(*pg());
        const auto r = tx.exec_params1(
            "SELECT (extract(epoch FROM requested_at) * 1000000)::bigint, action_id::text"
            " FROM pitwall.actions WHERE kind LIKE 'bench%'"
            " ORDER BY requested_at DESC, action_id DESC OFFSET $1 LIMIT 1",
            depth * kPage - 1);
        cursor = AuditCursor{r[0].as<int64_t>(), r[1].as<std::string>()};
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(readAudit(*pg(), benchOnly(), cursor, kPage).entries.size());
}

// The same page by OFFSET, the usual way.
void BM_AuditDeepPageOffset(benchmark::State &state) {
    if (!pg()) {
        state.SkipWithError("PITWALL_BENCH_PG is not set");
        return;
    }
    const int64_t depth = state.range(0);
    for (auto _ : state) {
        pqxx::read_transaction tx(*pg());
        benchmark::DoNotOptimize(
            tx.exec_params("SELECT action_id, requested_at, actor, kind, target, reason, params,"
                           " before, after, outcome, mirrored_at FROM pitwall.actions"
                           " WHERE requested_at >= timestamptz '2000-11-01 00:00+00'"
                           " AND requested_at < timestamptz '2000-12-01 00:00+00'"
                           " ORDER BY requested_at DESC, action_id DESC OFFSET $1 LIMIT $2",
                           depth * kPage, kPage)
                .size());
    }
}

} // namespace

BENCHMARK(BM_AuditFirstPage)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_AuditFilterChange)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_AuditTextFilter)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_AuditDeepPageKeyset)
    ->Arg(100)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_AuditDeepPageOffset)
    ->Arg(100)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();

#include "CanaryJudge.h"
#include "CanaryReader.h"
#include "PgConnect.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

#include <cmath>

using namespace pitwall;
using test::TestStores;

// What `pitwallctl canary` reads: each arm's runs since the canary's first run, counted by
// status, with the moments the judge compares.
class TestCanaryReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void armsAreReadFromTheRuns() {
        TestStores stores;
        auto c = connectPostgres(stores.pg());
        {
            pqxx::work tx(*c);
            tx.exec("INSERT INTO pitwall.rollouts (agent, stable_version, canary_version,"
                    " canary_weight) VALUES ('bot', 'v1', 'v2', 10), ('calm', 'v1', NULL, 0)");
            // Stable: 3 succeeded (1 s, 2 s, 4 s; $0.01 each), 1 failed (8 s), 1 capped, one
            // before the canary started (not in the window). Canary: 2 succeeded, 1 running.
            tx.exec("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                    " entry_point, status, started_at, ended_at, steps, cost_usd) VALUES"
                    " (gen_random_uuid(), 't1', 'bot', 'v1', 'u', 'http', 'succeeded',"
                    "  '2026-11-29 10:00:00+00', '2026-11-29 10:00:01+00', 2, 0.01),"
                    " (gen_random_uuid(), 't2', 'bot', 'v1', 'u', 'http', 'succeeded',"
                    "  '2026-11-29 10:00:00+00', '2026-11-29 10:00:02+00', 4, 0.01),"
                    " (gen_random_uuid(), 't3', 'bot', 'v1', 'u', 'http', 'succeeded',"
                    "  '2026-11-29 10:00:00+00', '2026-11-29 10:00:04+00', 6, 0.01),"
                    " (gen_random_uuid(), 't4', 'bot', 'v1', 'u', 'http', 'failed',"
                    "  '2026-11-29 10:00:00+00', '2026-11-29 10:00:08+00', 8, 0.02),"
                    " (gen_random_uuid(), 't5', 'bot', 'v1', 'u', 'http', 'capped',"
                    "  '2026-11-29 10:00:00+00', '2026-11-29 10:00:00.1+00', 1, 0),"
                    " (gen_random_uuid(), 't6', 'bot', 'v1', 'u', 'http', 'succeeded',"
                    "  '2026-11-29 09:00:00+00', '2026-11-29 09:00:01+00', 2, 0.01),"
                    " (gen_random_uuid(), 't7', 'bot', 'v2', 'u', 'http', 'succeeded',"
                    "  '2026-11-29 09:59:00+00', '2026-11-29 09:59:01+00', 3, 0.03),"
                    " (gen_random_uuid(), 't8', 'bot', 'v2', 'u', 'http', 'succeeded',"
                    "  '2026-11-29 10:00:00+00', '2026-11-29 10:00:01+00', 3, 0.03),"
                    " (gen_random_uuid(), 't9', 'bot', 'v2', 'u', 'http', 'running',"
                    "  '2026-11-29 10:00:00+00', NULL, 1, 0)");
            tx.commit();
        }
        const auto all = readCanaryComparisons(*c);
        QCOMPARE(all.size(), size_t(1)); // 'calm' has no canary
        const CanaryComparison &bot = all[0];
        QCOMPARE(bot.agent, std::string("bot"));
        QCOMPARE(bot.weight, 10);
        QCOMPARE(bot.stable.version, std::string("v1"));
        QCOMPARE(bot.canary.version, std::string("v2"));
        QCOMPARE(bot.stable.runs, int64_t(5));     // the 09:00 run is before the canary's first
        QCOMPARE(bot.stable.finished, int64_t(4)); // the capped run is counted apart
        QCOMPARE(bot.stable.succeeded, int64_t(3));
        QCOMPARE(bot.stable.capped, int64_t(1));
        QCOMPARE(bot.canary.runs, int64_t(3));
        QCOMPARE(bot.canary.finished, int64_t(2));
        // Latency on a log scale: the mean of ln 1000, ln 2000, ln 4000, ln 8000 ms.
        QVERIFY(std::abs(bot.stable.logLatencyMs.mean - std::log(std::sqrt(1000.0 * 8000))) < 1e-9);
        QCOMPARE(bot.stable.logLatencyMs.n, 4.0);
        QVERIFY(std::abs(std::exp(bot.canary.logCostOfSuccess.mean) - 30001) < 1e-6);
        QCOMPARE(bot.stable.steps.mean, 5.0);
        // Too few runs for any verdict.
        QCOMPARE(CanaryJudge::judge(bot.stable, bot.canary).decision,
                 CanaryVerdict::Decision::Hold);
        // A window: only what started from 10:00 on.
        const auto windowed = readCanaryComparisons(*c, "bot", 1'795'946'400'000'000);
        QCOMPARE(windowed.at(0).canary.runs, int64_t(2));
        QVERIFY(readCanaryComparisons(*c, "calm").empty());
    }
};

QTEST_GUILESS_MAIN(TestCanaryReader)
#include "test_canary_reader.moc"

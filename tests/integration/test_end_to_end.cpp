#include "ActionsService.h"
#include "Clock.h"
#include "Fleet.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "RunEndWatcher.h"
#include "StoreError.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

#include <algorithm>
#include <future>

using namespace pitwall;
using test::TestStores;

// A real fleet on the guard fills the stores; operators kill live runs through the actions API
// and each kill is seen to land as the run's run_ended event.
class TestEndToEnd : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fleetFillsTheStoresAndKillsLand() {
        TestStores stores;
        FleetOptions o;
        o.guard.pg = stores.pg(TestStores::kAgent);
        o.guard.redis = stores.redis();
        o.guard.keyPrefix = stores.prefix();
        o.rate = 15;
        o.users = 60;
        o.durationSeconds = 10;
        o.latencyScale = 0.4;
        o.runawayRate = 0.35; // plenty of long runs to kill
        o.seed = 42;
        Fleet fleet(o);
        fleet.seed();
        std::atomic<bool> stop{false};
        auto running = std::async(std::launch::async, [&] { return fleet.run(stop); });

        const RedisKeys keys(stores.prefix());
        RedisConnection redis(stores.redis());
        ActionsService actions(stores.pg(TestStores::kOperator), stores.redis(), stores.prefix());
        // Until the fleet has runs going (polling the live set, at most 20 s).
        for (int i = 0; i < 2000 && redis.command({"ZCARD", keys.live()}).toInt() < 10; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));

        std::vector<double> latenciesMs;
        std::set<std::string> killed;
        for (int attempt = 0; latenciesMs.size() < 20 && attempt < 200; ++attempt) {
            // The run with the oldest heartbeat-free start: any live run not yet killed.
            std::string runId;
            for (const auto &m : redis.command({"ZREVRANGE", keys.live(), "0", "50"}).elements)
                if (!killed.count(m.str)) {
                    runId = m.str;
                    break;
                }
            if (runId.empty()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                continue;
            }
            RunEndWatcher watcher(stores.redis(), stores.prefix());
            killed.insert(runId);
            const auto started = std::chrono::steady_clock::now();
            try {
                actions.killRun(runId, "end-to-end test");
            } catch (const ActionRefused &e) {
                if (e.code() == "PW006")
                    continue; // it ended on its own between the pick and the kill
                throw;
            }
            const auto ended = watcher.waitFor({runId}, std::chrono::seconds(10));
            const std::string status = ended.count(runId) ? ended.at(runId).status : "";
            if (status == "killed")
                latenciesMs.push_back(
                    std::chrono::duration<double, std::milli>(ended.at(runId).seenAt - started)
                        .count());
            else
                QVERIFY2(
                    status == "succeeded" || status == "failed" || status == "step_limit" ||
                        status == "capped",
                    ("run " + runId + " did not end after its kill: '" + status + "'").c_str());
        }
        const FleetSummary summary = running.get();
        qInfo("%s", summary.toText().c_str());
        QCOMPARE(latenciesMs.size(), size_t(20));
        std::sort(latenciesMs.begin(), latenciesMs.end());
        qInfo("kill to run ended, %zu kills: median %.1f ms, p95 %.1f ms, max %.1f ms",
              latenciesMs.size(), (latenciesMs[9] + latenciesMs[10]) / 2, latenciesMs[18],
              latenciesMs.back());

        // Postgres holds the runs and spans, the event stream the story.
        auto c = connectPostgres(stores.pg());
        pqxx::read_transaction tx(*c);
        const int runs = tx.exec1("SELECT count(*) FROM pitwall.runs")[0].as<int>();
        QCOMPARE(static_cast<int64_t>(runs), summary.runs);
        QVERIFY(runs > 50);
        QVERIFY(
            tx.exec1("SELECT count(*) FROM pitwall.runs WHERE status = 'running'")[0].as<int>() ==
            0);
        QCOMPARE(tx.exec1("SELECT count(*) FROM pitwall.runs WHERE status = 'killed'"
                          " AND kill_action_id IS NOT NULL")[0]
                     .as<int>(),
                 20);
        QVERIFY(tx.exec1("SELECT count(*) FROM pitwall.spans WHERE kind = 'llm'")[0].as<int>() >
                runs);
        QVERIFY(tx.exec1("SELECT count(*) FROM pitwall.spans WHERE kind = 'tool'")[0].as<int>() >
                0);
        QCOMPARE(tx.exec1("SELECT count(*) FROM pitwall.spans WHERE kind = 'agent'")[0].as<int>(),
                 runs);
        QVERIFY(tx.exec1("SELECT count(DISTINCT version) FROM pitwall.runs")[0].as<int>() > 4);
        QVERIFY(
            tx.exec1("SELECT count(*) FROM pitwall.actions WHERE kind = 'kill_run'")[0].as<int>() >=
            20);
        const auto types = redis.command({"XLEN", keys.events()}).toInt();
        QVERIFY(types > runs * 3);
        QCOMPARE(redis.command({"ZCARD", keys.live()}).toInt(), 0LL);
    }
};

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "test_end_to_end.moc"

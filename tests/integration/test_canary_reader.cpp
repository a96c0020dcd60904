#include "ActionRules.h"
#include "ActionsService.h"
#include "CanaryJudge.h"
#include "CanaryReader.h"
#include "Contract.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "StoreError.h"
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
        QCOMPARE(bot.canary.runs, int64_t(2)); // ended runs: the running one is still in flight
        QCOMPARE(bot.canary.finished, int64_t(2));
        QCOMPARE(bot.policy.minRuns, int64_t(50)); // no canary_policy row: the defaults
        QCOMPARE(bot.policy.revision, int64_t(0));
        // Latency on a log scale: the mean of ln 1000, ln 2000, ln 4000, ln 8000 ms.
        QVERIFY(std::abs(bot.stable.logLatencyMs.mean - std::log(std::sqrt(1000.0 * 8000))) < 1e-9);
        QCOMPARE(bot.stable.logLatencyMs.n, 4.0);
        QVERIFY(std::abs(std::exp(bot.canary.logCostOfSuccess.mean) - 30001) < 1e-6);
        QCOMPARE(bot.stable.steps.mean, 5.0);
        // Too few runs for any verdict.
        QCOMPARE(CanaryJudge::judge(bot.stable, bot.canary).decision,
                 CanaryVerdict::Decision::Hold);
        // A window: only what ended from 10:00 on.
        const auto windowed = readCanaryComparisons(*c, "bot", 1'795'946'400'000'000);
        QCOMPARE(windowed.at(0).canary.runs, int64_t(1));
        QVERIFY(readCanaryComparisons(*c, "calm").empty());

        // Pages: the same runs, a page of 2 at a time, each once.
        int64_t seen = 0;
        QCOMPARE(readRunOutcomes(
                     *c, 0, "bot",
                     [&](const std::string &, const std::string &, int64_t, const RunOutcome &) {
                         ++seen;
                     },
                     {}, 2),
                 int64_t(8));
        QCOMPARE(seen, int64_t(8));
    }

    // The policy is edited by an operator or a budget owner, audited, refused out of range,
    // on a stale revision, or for a viewer; the judge reads it.
    void thePolicyIsEditedAndAudited() {
        TestStores stores;
        auto c = connectPostgres(stores.pg());
        {
            pqxx::work tx(*c);
            tx.exec("INSERT INTO pitwall.rollouts (agent, stable_version, canary_version,"
                    " canary_weight) VALUES ('bot', 'v1', 'v2', 10)");
            tx.commit();
        }
        CanaryPolicy p;
        p.minRuns = 200;
        p.latencyTolerance = 0.25;
        ActionsService owner(stores.pg(TestStores::kBudgetOwner), stores.redis(), stores.prefix());
        const ActionResult r = owner.setCanaryPolicy("bot", p, 0, "slow canaries are fine here");
        QVERIFY(r.mirrored); // nothing to apply to Redis
        QCOMPARE(r.kind, std::string("set_canary_policy"));
        const CanaryPolicy read = readCanaryPolicy(*c, "bot");
        QCOMPARE(read.minRuns, int64_t(200));
        QCOMPARE(read.latencyTolerance, 0.25);
        QCOMPARE(read.revision, int64_t(1));
        QCOMPARE(readCanaryRollouts(*c, "bot").at(0).policy.minRuns, int64_t(200));

        auto refusal = [](auto &&f) -> std::string {
            try {
                f();
            } catch (const ActionRefused &e) {
                return e.code() + ": " + e.what();
            }
            return "not refused";
        };
        const std::string stale =
            refusal([&] { owner.setCanaryPolicy("bot", p, 0, "from an old view"); });
        QVERIFY2(stale.rfind("PW002", 0) == 0 && stale.find("revision 1") != std::string::npos,
                 stale.c_str());
        CanaryPolicy bad = p;
        bad.tailTolerance = 0.9;
        const std::string range = refusal([&] { owner.setCanaryPolicy("bot", bad, 1, "why"); });
        QVERIFY2(range.find("the tail tolerance must be between 0 and 0.5") != std::string::npos,
                 range.c_str());
        bad = p;
        bad.costTolerance = std::nan("");
        QVERIFY(refusal([&] { owner.setCanaryPolicy("bot", bad, 1, "why"); }).rfind("PW004", 0) ==
                0);
        ActionsService viewer(stores.pg(TestStores::kViewer), stores.redis(), stores.prefix());
        const std::string role = refusal([&] { viewer.setCanaryPolicy("bot", p, 1, "why"); });
        QVERIFY2(role.rfind("PW001", 0) == 0 &&
                     role.find("pitwall_budget_owner") != std::string::npos,
                 role.c_str());
        const auto history = readRolloutHistory(*c, "bot");
        QCOMPARE(history.size(), size_t(1));
        QCOMPARE(history[0].kind, std::string("set_canary_policy"));
        QCOMPARE(history[0].reason, std::string("slow canaries are fine here"));
    }

    // A rollback that kills the canary's runs in flight: one action, which lists them, sets
    // their kill flags, and is the kill the agent may record for each of them.
    void aRollbackKillsTheCanaryRunsInFlight() {
        TestStores stores;
        auto c = connectPostgres(stores.pg());
        {
            pqxx::work tx(*c);
            tx.exec("INSERT INTO pitwall.rollouts (agent, stable_version, canary_version,"
                    " canary_weight) VALUES ('bot', 'v1', 'v2', 50)");
            tx.exec("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                    " entry_point, status, started_at) VALUES"
                    " ('00000000-0000-0000-0000-0000000000a1', 'a', 'bot', 'v2', 'u', 'http',"
                    "  'running', now()),"
                    " ('00000000-0000-0000-0000-0000000000a2', 'b', 'bot', 'v2', 'u', 'http',"
                    "  'running', now()),"
                    " ('00000000-0000-0000-0000-0000000000b1', 'c', 'bot', 'v1', 'u', 'http',"
                    "  'running', now())");
            tx.commit();
        }
        ActionsService op(stores.pg(TestStores::kOperator), stores.redis(), stores.prefix());
        const ActionResult r =
            op.rollback("bot", 1, "v2 fails more", {}, ActionsService::InFlight::Kill);
        QVERIFY(r.mirrored);
        QCOMPARE(r.killedRuns, int64_t(2));
        // A retry after a lost reply: the first result, with what it did to the runs in flight;
        // the same id asking the other choice is refused.
        const ActionResult again =
            op.rollback("bot", 1, "v2 fails more", r.actionId, ActionsService::InFlight::Kill);
        QVERIFY(again.replayed);
        QCOMPARE(again.killedRuns, int64_t(2));
        try {
            op.rollback("bot", 1, "v2 fails more", r.actionId, ActionsService::InFlight::Finish);
            QFAIL("a replay with the other choice was accepted");
        } catch (const ActionRefused &e) {
            QCOMPARE(e.code(), std::string("PW005"));
        }
        RedisConnection redis(stores.redis());
        const RedisKeys keys(stores.prefix());
        QVERIFY(redis.command({"GET", keys.kill("00000000-0000-0000-0000-0000000000a1")})
                    .str.find(r.actionId) != std::string::npos);
        QVERIFY(
            redis.command({"EXISTS", keys.kill("00000000-0000-0000-0000-0000000000b1")}).toInt() ==
            0); // the stable run goes on
        pqxx::work tx(*c);
        QVERIFY(tx.exec_params1("SELECT pitwall.is_kill_of($1::uuid,"
                                " '00000000-0000-0000-0000-0000000000a2')",
                                r.actionId)[0]
                    .as<bool>());
        QVERIFY(!tx.exec_params1("SELECT pitwall.is_kill_of($1::uuid,"
                                 " '00000000-0000-0000-0000-0000000000b1')",
                                 r.actionId)[0]
                     .as<bool>());
        QCOMPARE(tx.exec1("SELECT canary_version IS NULL FROM pitwall.rollouts")[0].as<bool>(),
                 true);
        tx.commit();
        const auto history = readRolloutHistory(*c, "bot");
        QCOMPARE(history.at(0).inFlight, std::string("kill"));
        QCOMPARE(history.at(0).killedRuns, int64_t(2));
        QCOMPARE(history.at(0).canaryBefore, std::string("v2"));
        QCOMPARE(history.at(0).canaryAfter, std::string());
        QVERIFY(refusal(op, stores, "finish").find("has no canary") != std::string::npos);
        QVERIFY(refusal(op, stores, "later").find("must be \"finish\" or \"kill\"") !=
                std::string::npos);
    }

private:
    static std::string refusal(ActionsService &op, const TestStores &stores,
                               const std::string &inFlight) {
        const std::string agent = "bot";
        try {
            if (inFlight == "later") {
                // Not reachable through the enum: straight to the database.
                auto c = connectPostgres(stores.pg(TestStores::kOperator));
                pqxx::work tx(*c);
                tx.exec_params("SELECT pitwall.act_rollback(gen_random_uuid(), $1, NULL, 'x',"
                               " 'later')",
                               agent);
            } else {
                op.rollback(agent, {}, "again");
            }
        } catch (const ActionRefused &e) {
            return e.what();
        } catch (const std::exception &e) {
            return e.what();
        }
        return "not refused";
    }
};

QTEST_GUILESS_MAIN(TestCanaryReader)
#include "test_canary_reader.moc"

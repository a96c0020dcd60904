#include "ActionsService.h"
#include "Clock.h"
#include "Contract.h"
#include "Guard.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "SpendMath.h"
#include "SpendReader.h"
#include "StoreError.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

using namespace pitwall;
using test::TestStores;

// The spend page's actions against real servers: a time-boxed raise that reverts by itself, a
// stale cap edit, drift rebuilt from the ledger, an orphaned reservation released, and the
// soft alert threshold; each audited, each seen through what the page reads.
class TestSpendActions : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStores> m_stores;

    std::string scalar(const std::string &query) {
        auto c = connectPostgres(m_stores->pg());
        pqxx::read_transaction tx(*c);
        auto r = tx.exec(query);
        return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
    }
    GuardOptions options() {
        GuardOptions o;
        o.pg = m_stores->pg(TestStores::kAgent);
        o.redis = m_stores->redis();
        o.keyPrefix = m_stores->prefix();
        o.retry.baseDelay = std::chrono::milliseconds(1);
        o.flushInterval = std::chrono::milliseconds(20);
        return o;
    }
    ActionsService budgetOwner() {
        return ActionsService(m_stores->pg(TestStores::kBudgetOwner), m_stores->redis(),
                              m_stores->prefix());
    }
    SpendFigures figures(const std::string &scope, const std::string &subject) {
        auto c = connectPostgres(m_stores->pg(TestStores::kViewer));
        RedisConnection redis(m_stores->redis());
        return readSpendFigures(*c, redis, RedisKeys(m_stores->prefix()), scope, {subject}, nowMs())
            .at(0);
    }
    // A run of `user` that spends `micros`, written to PostgreSQL.
    void spend(Guard &guard, const std::string &user, int64_t micros) {
        auto run = guard.startRun({"support", user, "http"});
        const SpendVerdict v = run->reserve(micros + 1000);
        QVERIFY2(v.allowed, v.reason.c_str());
        run->settle(v, micros);
        run->finish(RunStatus::Succeeded);
        QVERIFY(guard.flush());
    }

private Q_SLOTS:
    void init() {
        m_stores = std::make_unique<TestStores>();
        auto c = connectPostgres(m_stores->pg());
        pqxx::work tx(*c);
        tx.exec("INSERT INTO pitwall.rollouts (agent, stable_version) VALUES ('support', 'v1')");
        tx.commit();
    }
    void cleanup() { m_stores.reset(); }

    void timeBoxedRaiseRevertsByItself() {
        ActionsService owner = budgetOwner();
        CapChange permanent{"user", "alice", 1'000'000, std::nullopt, std::nullopt, 0};
        owner.setCap(permanent, "alice's normal cap");
        CapChange raise{"user", "alice", 3'000'000, std::nullopt, nowMs() + 1500, 1};
        owner.setCap(raise, "demo this afternoon");
        QCOMPARE(figures("user", "alice").dailyCapMicros, int64_t(3'000'000));
        QVERIFY(figures("user", "alice").capExpiresMs > nowMs());

        Guard guard(options());
        {
            auto run = guard.startRun({"support", "alice", "http"});
            const SpendVerdict during = run->reserve(2'000'000);
            QVERIFY2(during.allowed, "the raise lets $2 through while it lasts");
            run->settle(during, 0);
            run->finish(RunStatus::Succeeded);
        }
        // At its time the previous cap is in force again, for the page and the guard alike,
        // without anyone acting.
        QTRY_COMPARE_WITH_TIMEOUT(figures("user", "alice").dailyCapMicros, int64_t(1'000'000),
                                  20000);
        {
            auto run = guard.startRun({"support", "alice", "http"});
            const SpendVerdict after = run->reserve(2'000'000);
            QVERIFY2(!after.allowed, "the reverted $1 cap refuses $2");
            run->finish(RunStatus::Capped, after.reason);
        }
        // Any console's drain writes the revert into the audit log, with who and what.
        owner.drainPendingMirrors();
        QCOMPARE(scalar("SELECT count(*) FROM pitwall.actions WHERE kind = 'cap_expired'"
                        " AND target = 'user:alice' AND (before->>'daily_usd')::numeric = 3"
                        " AND (after->>'daily_usd')::numeric = 1"),
                 std::string("1"));
        const SpendFigures reverted = figures("user", "alice");
        QCOMPARE(reverted.capExpiresMs, int64_t(0));
        QCOMPARE(reverted.capRevision, int64_t(3));

        // The page's chart shows the three changes as markers.
        auto c = connectPostgres(m_stores->pg(TestStores::kViewer));
        const SpendSeries series = readSpendSeries(*c, "user", "alice", nowMs());
        QCOMPARE(series.markers.size(), size_t(3));
        QCOMPARE(series.markers.back().kind, std::string("cap_expired"));
        QCOMPARE(series.markers.back().dailyMicros, int64_t(1'000'000));
    }

    void staleEditNamesTheCurrentCap() {
        ActionsService first = budgetOwner();
        ActionsService second = budgetOwner();
        first.setCap({"user", "bob", 2'000'000, 500'000, std::nullopt, 0}, "bob's cap");
        // Both read revision 1; the first saves.
        first.setCap({"user", "bob", 4'000'000, std::nullopt, std::nullopt, 1}, "more for bob");
        try {
            second.setCap({"user", "bob", 1'000'000, std::nullopt, std::nullopt, 1}, "less");
            QFAIL("a stale edit was saved");
        } catch (const ActionRefused &e) {
            const std::string what = e.what();
            QCOMPARE(e.code(), std::string("PW002"));
            QVERIFY2(what.find("$4.00 a day, no per-request cap") != std::string::npos,
                     what.c_str());
            QVERIFY2(what.find("revision 2") != std::string::npos, what.c_str());
        }
        QCOMPARE(figures("user", "bob").dailyCapMicros, int64_t(4'000'000));
    }

    void driftIsDetectedAndClearedByARebuild() {
        Guard guard(options());
        spend(guard, "carol", 500'000);
        spend(guard, "carol", 250'000);
        SpendFigures f = figures("user", "carol");
        QCOMPARE(f.settledMicros, int64_t(750'000));
        QCOMPARE(f.ledgerMicros, int64_t(750'000));
        QVERIFY(!spendOutlook(f, nowMs()).driftFlagged);

        // Someone changes the counter behind the console's back.
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        const std::string day = utcDay(nowMs());
        redis.command({"HINCRBY", keys.spend("user", "carol", day), "settled_micros", "2000000"});
        f = figures("user", "carol");
        SpendOutlook o = spendOutlook(f, nowMs());
        QVERIFY(o.driftFlagged);
        QCOMPARE(o.driftMicros, int64_t(2'000'000));

        ActionsService owner = budgetOwner();
        const ActionResult rebuilt = owner.rebuildSpend("user", "carol", "counter edited by hand");
        QVERIFY(rebuilt.mirrored);
        f = figures("user", "carol");
        o = spendOutlook(f, nowMs());
        QVERIFY(!o.driftFlagged);
        QCOMPARE(f.settledMicros, int64_t(750'000));
        QCOMPARE(redis.command({"ZSCORE", keys.spendRank("user", day), "carol"}).str,
                 std::string("750000"));
        QCOMPARE(scalar("SELECT before->>'settled_micros' || ' ' || (after->>'ledger_micros') ||"
                        " ' ' || actor FROM pitwall.actions WHERE kind = 'rebuild_spend'"),
                 "2750000 750000 " + std::string(TestStores::kBudgetOwner));

        // Applied once: a second application (another console draining) changes nothing.
        redis.command({"HINCRBY", keys.spend("user", "carol", day), "settled_micros", "10"});
        owner.rebuildSpend("user", "carol", "counter edited by hand", rebuilt.actionId);
        QCOMPARE(figures("user", "carol").settledMicros, int64_t(750'010));

        // Settles after the rebuild are counted on top of the ledger, as usual.
        redis.command({"HINCRBY", keys.spend("user", "carol", day), "settled_micros", "-10"});
        spend(guard, "carol", 100'000);
        f = figures("user", "carol");
        QCOMPARE(f.settledMicros, int64_t(850'000));
        QVERIFY(!spendOutlook(f, nowMs()).driftFlagged);

        // A viewer may not rebuild.
        ActionsService viewer(m_stores->pg(TestStores::kViewer), m_stores->redis(),
                              m_stores->prefix());
        try {
            viewer.rebuildSpend("user", "carol", "try");
            QFAIL("a viewer rebuilt a counter");
        } catch (const ActionRefused &e) {
            QCOMPARE(e.code(), std::string("PW001"));
        }
    }

    void anOrphanedReservationIsFoundAndReleased() {
        Guard guard(options());
        spend(guard, "erin", 100'000); // seeds the day's counters and the cap mirrors
        auto run = guard.startRun({"support", "erin", "http"});
        const std::string runId = run->runId();
        // An agent of another language reserves through the same script for this run, then
        // dies before settling: the reservation outlives the run.
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        const std::string day = utcDay(nowMs());
        const RedisValue reply = redis.script(
            "reserve_spend",
            {keys.cap("user", "erin"), keys.cap("agent", "support"), keys.cap("global", "*"),
             keys.spend("user", "erin", day), keys.spend("agent", "support", day),
             keys.spend("global", "*", day), keys.run(runId)},
            {"300000", std::to_string(nowMs()), "3600"});
        QCOMPARE(reply.elements.at(0).str, std::string("ok"));
        run->finish(RunStatus::Failed, "the agent crashed");
        run.reset();
        QVERIFY(guard.flush());
        QCOMPARE(figures("user", "erin").reservedMicros, int64_t(300'000));

        auto c = connectPostgres(m_stores->pg(TestStores::kViewer));
        auto holds = readSpendHolds(*c, redis, keys, nowMs(), 30'000, 100);
        QCOMPARE(holds.size(), size_t(1));
        QCOMPARE(holds[0].runId, runId);
        QCOMPARE(holds[0].heldMicros, int64_t(300'000));
        QCOMPARE(holds[0].user, std::string("erin"));
        QVERIFY(holds[0].ended);
        QCOMPARE(holds[0].status, std::string("failed"));

        ActionsService owner = budgetOwner();
        const ActionResult released = owner.releaseHold(runId, 300'000, "the agent crashed");
        QVERIFY(released.mirrored);
        QCOMPARE(figures("user", "erin").reservedMicros, int64_t(0));
        QCOMPARE(figures("agent", "support").reservedMicros, int64_t(0));
        QCOMPARE(figures("global", "*").reservedMicros, int64_t(0));
        QVERIFY(readSpendHolds(*c, redis, keys, nowMs(), 30'000, 100).empty());
        QCOMPARE(scalar("SELECT params->>'user' || ' ' || (params->>'held_micros') FROM"
                        " pitwall.actions WHERE kind = 'release_hold' AND target = '" +
                        runId + "'"),
                 std::string("erin 300000"));

        // Released once: the same action again changes no counter.
        redis.command({"HSET", keys.spend("user", "erin", day), "reserved_micros", "50"});
        const ActionResult again =
            owner.releaseHold(runId, 300'000, "the agent crashed", released.actionId);
        QVERIFY(again.replayed);
        QCOMPARE(figures("user", "erin").reservedMicros, int64_t(50));
        // A new release of the same run is refused: it would take someone else's reservation.
        try {
            owner.releaseHold(runId, 300'000, "again");
            QFAIL("a reservation was released twice");
        } catch (const ActionRefused &e) {
            QCOMPARE(e.code(), std::string("PW002"));
            QVERIFY2(std::string(e.what()).find("already released") != std::string::npos, e.what());
        }

        // A run that still beats holds what it is about to spend: not orphaned, not released.
        auto live = guard.startRun({"support", "erin", "http"});
        const SpendVerdict held = live->reserve(100'000);
        QVERIFY(held.allowed);
        QVERIFY(guard.flush());
        try {
            owner.releaseHold(live->runId(), 100'000, "mistake");
            QFAIL("a live run's reservation was released");
        } catch (const ActionRefused &e) {
            QCOMPARE(e.code(), std::string("PW004"));
            QVERIFY2(std::string(e.what()).find("is running") != std::string::npos, e.what());
        }
        QVERIFY(readSpendHolds(*c, redis, keys, nowMs(), 30'000, 100).empty());
        live->settle(held, 90'000);
        live->finish(RunStatus::Succeeded);
    }

    void theSoftAlertIsStoredAuditedAndCrossed() {
        ActionsService owner = budgetOwner();
        owner.setCap({"user", "*", 1'000'000, std::nullopt, std::nullopt, std::nullopt},
                     "default cap");
        owner.setSpendAlert("user", "*", 80.0, 0, "warn at 80 %");
        Guard guard(options());
        spend(guard, "frank", 700'000);
        SpendFigures f = figures("user", "frank");
        QCOMPARE(f.alertPercent, 80.0);
        QVERIFY(f.alertIsDefault);
        QVERIFY(!spendOutlook(f, nowMs()).alertCrossed);
        spend(guard, "frank", 150'000);
        QVERIFY(spendOutlook(figures("user", "frank"), nowMs()).alertCrossed);
        try {
            owner.setSpendAlert("user", "*", 90.0, 0, "stale");
            QFAIL("a stale alert edit was saved");
        } catch (const ActionRefused &e) {
            QCOMPARE(e.code(), std::string("PW002"));
            QVERIFY2(std::string(e.what()).find("at 80") != std::string::npos, e.what());
        }
        try {
            owner.setSpendAlert("user", "*", 150.0, std::nullopt, "too high");
            QFAIL("a threshold of 150 % was saved");
        } catch (const ActionRefused &e) {
            QCOMPARE(e.code(), std::string("PW004"));
        }
        owner.setSpendAlert("user", "*", std::nullopt, 1, "no alert");
        QCOMPARE(figures("user", "frank").alertPercent, -1.0);
        QCOMPARE(scalar("SELECT count(*) FROM pitwall.actions WHERE kind = 'set_spend_alert'"
                        " AND mirrored_at IS NOT NULL"),
                 std::string("2"));
    }

    void topSpendersComeFromTheRunningRank() {
        Guard guard(options());
        spend(guard, "gina", 300'000);
        spend(guard, "hal", 900'000);
        spend(guard, "gil", 500'000);
        auto c = connectPostgres(m_stores->pg(TestStores::kViewer));
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        SpenderPage page = readSpenderPage(*c, redis, keys, "user", "", 0, 2, nowMs());
        QCOMPARE(page.total, int64_t(3));
        QCOMPARE(page.rows.size(), size_t(2));
        QCOMPARE(page.rows[0].subject, std::string("hal"));
        QCOMPARE(page.rows[1].subject, std::string("gil"));
        page = readSpenderPage(*c, redis, keys, "user", "", 2, 2, nowMs());
        QCOMPARE(page.rows.size(), size_t(1));
        QCOMPARE(page.rows[0].subject, std::string("gina"));
        page = readSpenderPage(*c, redis, keys, "user", "gi", 0, 10, nowMs());
        QCOMPARE(page.total, int64_t(2));
        QCOMPARE(page.rows[0].subject, std::string("gil"));
        // A glob special in the filter is a character, not a pattern.
        QCOMPARE(readSpenderPage(*c, redis, keys, "user", "*", 0, 10, nowMs()).total, int64_t(0));

        // Redis lost the rank: it is read from the ledger, and kept again.
        redis.command({"DEL", keys.spendRank("user", utcDay(nowMs())),
                       keys.spendRank("user", utcDay(nowMs())) + ":complete"});
        page = readSpenderPage(*c, redis, keys, "user", "", 0, 10, nowMs());
        QVERIFY(page.fromLedger);
        QCOMPARE(page.total, int64_t(3));
        QCOMPARE(page.rows[0].subject, std::string("hal"));
        QVERIFY(!readSpenderPage(*c, redis, keys, "user", "", 0, 10, nowMs()).fromLedger);
    }
};

QTEST_GUILESS_MAIN(TestSpendActions)
#include "test_spend_actions.moc"

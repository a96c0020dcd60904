#include "ActionsService.h"
#include "Clock.h"
#include "Guard.h"
#include "PgConnect.h"
#include "Records.h"
#include "RedisConnection.h"
#include "StoreError.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

#include <future>

using namespace pitwall;
using test::TestStores;

Q_DECLARE_METATYPE(std::vector<int>)

class TestGuard : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStores> m_stores;

    void sql(const std::string &statement) {
        auto c = connectPostgres(m_stores->pg());
        pqxx::work tx(*c);
        tx.exec(statement);
        tx.commit();
    }
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
        o.breakerThreshold = 100;
        o.flushInterval = std::chrono::milliseconds(20);
        return o;
    }

private Q_SLOTS:
    void init() {
        m_stores = std::make_unique<TestStores>();
        sql("INSERT INTO pitwall.rollouts (agent, stable_version, canary_version, canary_weight)"
            " VALUES ('support', 'v1', 'v2', 50);"
            "INSERT INTO pitwall.slo_targets (agent, p95_latency_ms, min_success_rate,"
            " max_cost_per_request_usd, max_cost_per_user_day_usd, max_steps)"
            " VALUES ('support', 5000, 0.95, 0.10, 2.00, 5)");
    }
    void cleanup() { m_stores.reset(); }

    void killFlagStopsTheRunAtTheNextStep() {
        Guard guard(options());
        auto run = guard.startRun({"support", "alice", "http"});
        QCOMPARE(run->beforeStep("plan"), StepVerdict::Proceed);
        QVERIFY(guard.flush());
        ActionsService actions(m_stores->pg(TestStores::kOperator), m_stores->redis(),
                               m_stores->prefix());
        const ActionResult kill = actions.killRun(run->runId(), "test kill");
        QCOMPARE(run->beforeStep("llm"), StepVerdict::Killed);
        QCOMPARE(run->killActionId(), kill.actionId);
        run->finish(RunStatus::Killed, "killed");
        QVERIFY(guard.flush());
        QCOMPARE(scalar("SELECT status || ' ' || steps || ' ' || kill_action_id FROM pitwall.runs"),
                 "killed 1 " + kill.actionId);

        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        QCOMPARE(redis.command({"ZSCORE", keys.live(), run->runId()}).isNil(), true);
        QCOMPARE(redis.command({"HGET", keys.run(run->runId()), "status"}).str,
                 std::string("killed"));
        QVERIFY(redis.command({"TTL", keys.run(run->runId())}).toInt() > 0);
        bool sawEnd = false;
        for (const auto &e : redis.command({"XRANGE", keys.events(), "-", "+"}).elements) {
            auto f = e.elements.at(1).toMap();
            if (f["type"] == "run_ended" && f["run_id"] == run->runId()) {
                sawEnd = true;
                QCOMPARE(f["status"], std::string("killed"));
                QCOMPARE(f["kill_action_id"], kill.actionId);
            }
        }
        QVERIFY(sawEnd);
    }

    void killDuringALongCallCancelsIt() {
        Guard guard(options());
        auto run = guard.startRun({"support", "bob", "queue"});
        QCOMPARE(run->beforeStep("llm"), StepVerdict::Proceed);
        QVERIFY(guard.flush());
        // The "LLM call": waits up to a minute unless the guard cancels it.
        auto call = std::async(std::launch::async, [&] {
            return run->cancellation().waitFor(std::chrono::seconds(60));
        });
        ActionsService actions(m_stores->pg(TestStores::kOperator), m_stores->redis(),
                               m_stores->prefix());
        actions.killRun(run->runId(), "stuck in a call");
        QVERIFY2(call.wait_for(std::chrono::seconds(30)) == std::future_status::ready,
                 "the guard never cancelled the call in flight");
        QVERIFY(call.get());
        QCOMPARE(run->beforeStep(), StepVerdict::Killed);
        run->finish(RunStatus::Killed);
    }

    void stepCapStopsTheRun() {
        Guard guard(options());
        auto run = guard.startRun({"support", "carol", "http"});
        QCOMPARE(run->maxSteps(), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(run->beforeStep(), StepVerdict::Proceed);
        QCOMPARE(run->beforeStep(), StepVerdict::StepLimit);
        run->finish(RunStatus::StepLimit, "step cap");
        QVERIFY(guard.flush());
        QCOMPARE(scalar("SELECT status || ' ' || steps FROM pitwall.runs"),
                 std::string("step_limit 5"));
    }

    void retries_data() {
        QTest::addColumn<std::vector<int>>("statuses");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<bool>("ok");
        QTest::newRow("success") << std::vector<int>{200} << 1 << true;
        QTest::newRow("503 then success") << std::vector<int>{503, 200} << 2 << true;
        QTest::newRow("always 503: 3 retries at most")
            << std::vector<int>{503, 503, 503, 503, 503} << 4 << false;
        QTest::newRow("network failures") << std::vector<int>{0, 0, 0, 0, 0} << 4 << false;
        QTest::newRow("404 is not retried") << std::vector<int>{404, 200} << 1 << false;
        QTest::newRow("400 is not retried") << std::vector<int>{400, 200} << 1 << false;
        QTest::newRow("408 is retried") << std::vector<int>{408, 408, 200} << 3 << true;
        QTest::newRow("429 is retried") << std::vector<int>{429, 200} << 2 << true;
    }
    void retries() {
        QFETCH(std::vector<int>, statuses);
        Guard guard(options());
        auto run = guard.startRun({"support", "dave", "http"});
        size_t calls = 0;
        const ToolCallResult r =
            run->callTool("crm_lookup", R"({"id":1})", [&](const CancellationToken &) {
                const int status = statuses.at(std::min(calls, statuses.size() - 1));
                ++calls;
                return ToolOutcome{status, status == 200 ? "{}" : "", status == 200 ? "" : "boom"};
            });
        QTEST(r.attempts, "attempts");
        QTEST(static_cast<int>(calls), "attempts");
        QTEST(r.ok, "ok");
        run->finish(RunStatus::Succeeded);
        QVERIFY(guard.flush());
        QCOMPARE(scalar("SELECT count(*) FROM pitwall.spans WHERE kind = 'tool'"),
                 std::to_string(calls));
    }

    void openBreakerRefusesWithoutCalling() {
        GuardOptions o = options();
        o.breakerThreshold = 2;
        Guard guard(o);
        auto run = guard.startRun({"support", "erin", "http"});
        int calls = 0;
        auto failing = [&](const CancellationToken &) {
            ++calls;
            return ToolOutcome{503, "", "down"};
        };
        const ToolCallResult first = run->callTool("payments_api", "{}", failing);
        QCOMPARE(first.attempts, 2); // the breaker opened after the second failure
        QVERIFY(first.breakerDenied);
        const ToolCallResult second = run->callTool("payments_api", "{}", failing);
        QVERIFY(second.breakerDenied);
        QCOMPARE(second.attempts, 0);
        QCOMPARE(calls, 2);
        run->finish(RunStatus::Failed, "payments down");
        QVERIFY(guard.flush());
        QCOMPARE(scalar("SELECT from_state || '->' || to_state FROM pitwall.breaker_events"),
                 std::string("closed->open"));
    }

    void capsAreReadThroughAndEnforced() {
        // Caps exist only in Postgres; the guard mirrors them on first use.
        sql("INSERT INTO pitwall.spend_caps (scope, subject, daily_usd, per_request_usd)"
            " VALUES ('user', '*', 0.05, 0.02), ('user', 'vip', 10, NULL)");
        Guard guard(options());
        auto run = guard.startRun({"support", "frank", "http"});
        const SpendVerdict ok = run->reserve(20'000);
        QVERIFY(ok.allowed);
        run->settle(ok, 15'000);
        const SpendVerdict tooBig = run->reserve(20'001);
        QVERIFY(!tooBig.allowed);
        QCOMPARE(tooBig.refusedRule, std::string("per_request"));
        QVERIFY2(tooBig.reason.find("per-request cap of user frank") != std::string::npos,
                 tooBig.reason.c_str());
        QVERIFY(run->reserve(20'000).allowed);           // 15k settled + 20k reserved
        const SpendVerdict daily = run->reserve(20'000); // would make 55k > 50k
        QVERIFY(!daily.allowed);
        QCOMPARE(daily.refusedRule, std::string("daily"));
        QCOMPARE(daily.refusedScope, std::string("user"));
        run->finish(RunStatus::Capped, daily.reason);

        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        auto mirror = redis.command({"HGETALL", keys.cap("user", "frank")}).toMap();
        QCOMPARE(mirror["daily_micros"], std::string("50000"));
        QCOMPARE(mirror["derived"], std::string("1"));
        auto vip = guard.startRun({"support", "vip", "http"});
        QVERIFY(vip->reserve(1'000'000).allowed); // its own cap, not the default
        vip->finish(RunStatus::Succeeded);
    }

    // Redis loses the day's counters (a restart without persistence): the next reservation is
    // not granted from zero but against the ledger's spend, which the guard seeds from
    // PostgreSQL first. Before, the spend ran past the cap after every Redis restart.
    void lostCountersAreSeededFromTheLedger() {
        sql("INSERT INTO pitwall.spend_caps (scope, subject, daily_usd, per_request_usd)"
            " VALUES ('user', 'ivan', 0.05, NULL)");
        Guard guard(options());
        auto first = guard.startRun({"support", "ivan", "http"});
        const SpendVerdict a = first->reserve(20'000);
        QVERIFY(a.allowed);
        first->settle(a, 20'000);
        first->finish(RunStatus::Succeeded);
        auto running = guard.startRun({"support", "ivan", "http"});
        const SpendVerdict b = running->reserve(15'000);
        QVERIFY(b.allowed);
        running->settle(b, 15'000);
        SpanRecord llm; // the running run's cost so far, as the ledger holds it
        llm.name = "chat";
        llm.kind = "llm";
        llm.costMicros = 15'000;
        running->recordSpan(llm);
        QVERIFY(guard.flush());

        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        const std::string day = utcDay(nowMs());
        redis.command({"DEL", keys.spend("user", "ivan", day), keys.spend("agent", "support", day),
                       keys.spend("global", "*", day)});
        // 20k ended + 15k running = 35k spent: 20k more would pass a $0.05 cap from zero.
        const SpendVerdict c = running->reserve(20'000);
        QVERIFY(!c.allowed);
        QCOMPARE(c.refusedScope, std::string("user"));
        auto spend = redis.command({"HGETALL", keys.spend("user", "ivan", day)}).toMap();
        QCOMPARE(spend["settled_micros"], std::string("35000"));
        QCOMPARE(spend["seeded"], std::string("ledger"));
        QVERIFY(running->reserve(15'000).allowed); // exactly up to the cap
        running->finish(RunStatus::Succeeded);
    }

    void aRecordPostgresRefusesBlocksNothing() {
        Guard guard(options());
        // entry_point must be http, webhook or queue: Postgres refuses this run's row.
        auto bad = guard.startRun({"support", "mallory", "carrier-pigeon"});
        bad->finish(RunStatus::Succeeded);
        auto good = guard.startRun({"support", "grace", "webhook"});
        SpanRecord span;
        span.name = "kb_search";
        span.kind = "tool";
        good->recordSpan(span);
        good->finish(RunStatus::Succeeded);
        QVERIFY(guard.flush());
        QCOMPARE(scalar("SELECT string_agg(user_id || ' ' || status, ',') FROM pitwall.runs"),
                 std::string("grace succeeded"));
        QCOMPARE(
            scalar("SELECT count(*) FROM pitwall.spans WHERE run_id = '" + good->runId() + "'"),
            std::string("2")); // the tool span and the root span
    }

    void reservationsNeverSettledAreReleasedAtTheEnd() {
        Guard guard(options());
        auto run = guard.startRun({"support", "heidi", "http"});
        const SpendVerdict first = run->reserve(40'000);
        const SpendVerdict second = run->reserve(25'000);
        QVERIFY(first.allowed && second.allowed);
        run->settle(first, 30'000);
        run->settle(first, 30'000); // a second settle of the same reservation changes nothing
        run->finish(RunStatus::Failed, "the agent threw before settling"); // second is open
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        auto spend =
            redis.command({"HGETALL", keys.spend("user", "heidi", utcDay(nowMs()))}).toMap();
        QCOMPARE(spend["reserved_micros"], std::string("0"));
        QCOMPARE(spend["settled_micros"], std::string("30000"));
        QCOMPARE(run->costMicros(), int64_t(30'000));
    }

    // A settle that Redis refused leaves the reservation open, and finish() releases it: it
    // must not hold the caps down for the rest of the day.
    void aSettleThatFailedIsReleasedAtTheEnd() {
        Guard guard(options());
        auto run = guard.startRun({"support", "ivy", "http"});
        const SpendVerdict reservation = run->reserve(50'000);
        QVERIFY(reservation.allowed);
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        // The run's hash of the wrong type: settle_spend's HINCRBY on it fails.
        redis.command({"DEL", keys.run(run->runId())});
        redis.command({"SET", keys.run(run->runId()), "not a hash"});
        QVERIFY_THROWS_EXCEPTION(std::exception, run->settle(reservation, 20'000));
        redis.command({"DEL", keys.run(run->runId())});
        run->finish(RunStatus::Failed, "settling failed");
        auto spend = redis.command({"HGETALL", keys.spend("user", "ivy", utcDay(nowMs()))}).toMap();
        QCOMPARE(spend["reserved_micros"], std::string("0"));
        QCOMPARE(run->costMicros(), int64_t(0));
    }

    void repeatedToolCallsAreCounted() {
        Guard guard(options());
        auto run = guard.startRun({"support", "ivan", "http"});
        auto ok = [](const CancellationToken &) {
            return ToolOutcome{200, "{}", ""};
        };
        for (const char *args : {R"({"q":2})", R"({"q":2})", R"({"q":2})"}) { // steps 1-3
            run->beforeStep("llm");
            run->callTool("crm_lookup", args, ok);
        }
        run->beforeStep("llm");
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        QCOMPARE(redis.command({"HGET", keys.run(run->runId()), "tool_repeats"}).str,
                 std::string("3"));
        run->callTool("crm_lookup", R"({"q":3})", ok);
        run->beforeStep("llm");
        QCOMPARE(redis.command({"HGET", keys.run(run->runId()), "tool_repeats"}).str,
                 std::string("1"));
        run->finish(RunStatus::Succeeded);
    }

    void canaryChoiceIsStickyAndFollowsTheWeight() {
        Guard guard(options());
        int canary = 0;
        for (int i = 0; i < 400; ++i) {
            const std::string user = "user-" + std::to_string(i);
            const bool first = Guard::userGetsCanary(user, "support", 50);
            QCOMPARE(Guard::userGetsCanary(user, "support", 50), first);
            canary += first;
            QVERIFY(!Guard::userGetsCanary(user, "support", 0));
            QVERIFY(Guard::userGetsCanary(user, "support", 100));
        }
        QVERIFY2(canary > 150 && canary < 250, qPrintable(QString::number(canary)));
        auto run = guard.startRun({"support", "user-1", "http"});
        QCOMPARE(run->isCanary(), Guard::userGetsCanary("user-1", "support", 50));
        QCOMPARE(run->version(), std::string(run->isCanary() ? "v2" : "v1"));
        run->finish(RunStatus::Succeeded);
    }
};

QTEST_GUILESS_MAIN(TestGuard)
#include "test_guard.moc"

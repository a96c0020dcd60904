#include "ActionsService.h"
#include "BreakerReader.h"
#include "Clock.h"
#include "Fleet.h"
#include "FleetProfile.h"
#include "Guard.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "StoreError.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

#include <atomic>
#include <thread>

using namespace pitwall;
using test::TestStores;

// The breaker board as agents leave it: a tool failing under real guards shows open with its
// failure rate and calls, a healthy one closed after it; an operator's override shows who, why
// and until when, and ends by itself; a stale override is refused; the history has both.
class TestBreakerBoard : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStores> m_stores;
    PgConnection m_pg;
    std::unique_ptr<RedisConnection> m_redis;
    std::unique_ptr<RedisKeys> m_keys;

    GuardOptions options() {
        GuardOptions o;
        o.pg = m_stores->pg(TestStores::kAgent);
        o.redis = m_stores->redis();
        o.keyPrefix = m_stores->prefix();
        o.retry.maxRetries = 0;
        o.breakerThreshold = 5;
        o.breakerCooloff = std::chrono::milliseconds(60'000);
        o.flushInterval = std::chrono::milliseconds(20);
        return o;
    }
    BreakerBoard board() { return readBreakerBoard(*m_pg, *m_redis, *m_keys, nowMs()); }
    static const BreakerRow *find(const BreakerBoard &b, const std::string &tool) {
        for (const BreakerRow &r : b.rows)
            if (r.tool == tool)
                return &r;
        return nullptr;
    }
    static BreakerRow rowOf(const BreakerBoard &b, const std::string &tool) {
        const BreakerRow *r = find(b, tool);
        return r ? *r : BreakerRow{};
    }
    std::string scalar(const std::string &query) {
        pqxx::read_transaction tx(*m_pg);
        const auto r = tx.exec(query);
        return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
    }

private Q_SLOTS:
    void init() {
        m_stores = std::make_unique<TestStores>();
        m_pg = connectPostgres(m_stores->pg());
        m_redis = std::make_unique<RedisConnection>(m_stores->redis());
        m_keys = std::make_unique<RedisKeys>(m_stores->prefix());
        pqxx::work tx(*m_pg);
        tx.exec("INSERT INTO pitwall.rollouts (agent, stable_version) VALUES ('support', 'v1')");
        tx.commit();
    }
    void cleanup() {
        m_redis.reset();
        m_pg.reset();
        m_stores.reset();
    }

    void failingToolShowsOpenWithItsRate() {
        Guard guard(options());
        auto run = guard.startRun({"support", "erin", "http"});
        auto failing = [](const CancellationToken &) {
            return ToolOutcome{503, "", "crm down"};
        };
        auto healthy = [](const CancellationToken &) {
            return ToolOutcome{200, "{}", ""};
        };
        // 12 good calls of search, 8 good calls of crm then failures until it opens: 13 calls
        // of crm in the window, 5 failed; then 3 calls refused by the open breaker.
        for (int i = 0; i < 12; ++i)
            QVERIFY(run->callTool("search", "{}", healthy).ok);
        for (int i = 0; i < 8; ++i)
            QVERIFY(run->callTool("crm", "{}", healthy).ok);
        for (int i = 0; i < 5; ++i)
            QVERIFY(!run->callTool("crm", "{\"i\":" + std::to_string(i) + "}", failing).ok);
        for (int i = 0; i < 3; ++i)
            QVERIFY(run->callTool("crm", "{}", failing).breakerDenied);
        QCOMPARE(run->beforeStep(), StepVerdict::Proceed); // publishes the last call

        const BreakerBoard b = board();
        QCOMPARE(b.rows.size(), size_t(2));
        QCOMPARE(b.rows[0].tool, std::string("crm")); // open first
        const BreakerRow &crm = b.rows[0];
        QCOMPARE(crm.state, std::string("open"));
        QCOMPARE(crm.window().calls, 13LL);
        QCOMPARE(crm.window().failures, 5LL);
        QCOMPARE(crm.window().rejected, 3LL);
        QCOMPARE(crm.failureRate(), 5.0 / 13.0);
        QCOMPARE(crm.failuresInRow, 5LL);
        QCOMPARE(crm.threshold, 5LL);
        QCOMPARE(crm.lastError, std::string("crm down"));
        QVERIFY(crm.halfOpenAtMs > nowMs());
        QVERIFY(crm.sinceMs > 0 && crm.sinceMs <= nowMs());
        const BreakerRow &search = b.rows[1];
        QCOMPARE(search.state, std::string("closed"));
        QCOMPARE(search.failureRate(), 0.0);
        QCOMPARE(search.window().calls, 12LL);

        // Below the minimum, the rate is not a number to judge by.
        Guard other(options());
        auto second = other.startRun({"support", "finn", "http"});
        QVERIFY(second->callTool("mail", "{}", healthy).ok);
        QCOMPARE(second->beforeStep(), StepVerdict::Proceed);
        QCOMPARE(rowOf(board(), "mail").failureRate(), -1.0);

        // The run whose last step was the crm call counts as at the tool.
        int counted = 0;
        const auto at = countRunsAtTools(*m_redis, *m_keys, 1000, &counted);
        QCOMPARE(counted, 2);
        QCOMPARE(at.count("crm") ? at.at("crm") : 0, 1);
        QCOMPARE(at.count("mail") ? at.at("mail") : 0, 1);

        run->finish(RunStatus::Failed, "crm down");
        second->finish(RunStatus::Succeeded, "");
        QVERIFY(guard.flush());
        QVERIFY(other.flush());
        const auto history = readBreakerHistory(*m_pg, "crm", 100);
        QCOMPARE(history.size(), size_t(1));
        QCOMPARE(history[0].from + "->" + history[0].to, std::string("closed->open"));
        QCOMPARE(history[0].actor, std::string());
    }

    void toolFailingUnderTheFleetShowsOpen() {
        // The fleet's first agent calls its first tool in every run; that tool always fails.
        FleetOptions o;
        o.guard = options();
        o.guard.breakerCooloff = std::chrono::minutes(10);
        o.agents = 1;
        o.users = 5;
        o.rate = 20;
        o.latencyScale = 0.05;
        o.runawayRate = 0;
        o.outagesPerToolHour = 0;
        o.seed = 3;
        const std::string tool = defaultAgents(1).at(0).tools.at(0);
        o.toolProfiles = defaultTools();
        for (ToolProfile &t : o.toolProfiles)
            if (t.name == tool) {
                t.failureRate = 1.0;
                t.clientErrorRate = 0;
            }
        std::atomic<bool> stop{false};
        std::thread fleet([&] {
            Fleet f(o);
            f.seed();
            f.run(stop);
        });
        // Open, and the calls after it refused (the fleet goes on calling).
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(board(), tool).state == "open" &&
                                     rowOf(board(), tool).window().rejected > 0,
                                 60'000);
        stop = true;
        fleet.join();
        const BreakerBoard b = board();
        QCOMPARE(b.rows.front().tool, tool); // the one open breaker leads the board
        const BreakerRow r = rowOf(b, tool);
        QVERIFY(r.window().failures >= 5);
        QCOMPARE(r.window().failures, r.window().calls); // every call failed
        QVERIFY(r.window().rejected > 0);                // and later ones were refused
        QVERIFY2(r.failureRate() == 1.0 || r.window().calls < kBreakerMinimumCalls,
                 std::to_string(r.failureRate()).c_str());
        QVERIFY(!r.lastError.empty());
        for (const BreakerRow &other : b.rows)
            if (other.tool != tool)
                QCOMPARE(other.state, std::string("closed"));
    }

    void overrideShowsWhoAndUntilWhenAndEndsByItself() {
        Guard guard(options());
        auto run = guard.startRun({"support", "erin", "http"});
        auto failing = [](const CancellationToken &) {
            return ToolOutcome{503, "", "down"};
        };
        for (int i = 0; i < 5; ++i)
            run->callTool("payments", "{}", failing);
        QCOMPARE(rowOf(board(), "payments").state, std::string("open"));

        ActionsService op(m_stores->pg(TestStores::kOperator), m_stores->redis(),
                          m_stores->prefix());
        // What the operator saw is stale: the breaker opened since.
        try {
            op.overrideBreaker("payments", "open", {}, "stop it", {}, false, "closed");
            QFAIL("a stale override was taken");
        } catch (const ActionRefused &e) {
            QCOMPARE(e.code(), std::string("PW002"));
            QVERIFY2(std::string(e.what()).find("is open now, not closed") != std::string::npos,
                     e.what());
        }

        const int64_t until = nowMs() + 1500;
        op.setEvidence(R"({"failure_rate":1.0,"calls":5,"state":"open"})");
        const ActionResult forced = op.overrideBreaker("payments", "closed", until,
                                                       "vendor says it is back", {}, false, "open");
        QVERIFY(forced.mirrored);
        const BreakerBoard forcedBoard = board();
        const BreakerRow *row = find(forcedBoard, "payments");
        QCOMPARE(row->state, std::string("forced_closed"));
        QCOMPARE(row->automaticState, std::string("open"));
        QCOMPARE(row->forcedBy, std::string(TestStores::kOperator));
        QCOMPARE(row->forcedReason, std::string("vendor says it is back"));
        QCOMPARE(row->forcedUntilMs, until);
        QCOMPARE(scalar("SELECT evidence->>'calls' FROM pitwall.actions WHERE action_id = '" +
                        forced.actionId + "'"),
                 std::string("5"));
        // The override ends by itself, with no call of the tool and no console to clear it.
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(board(), "payments").state == "open", 10'000);
        QVERIFY(rowOf(board(), "payments").forcedBy.empty());

        const auto history = readBreakerHistory(*m_pg, "payments", 100);
        QVERIFY(history.size() >= 2);
        QCOMPARE(history[0].to, std::string("forced_closed"));
        QCOMPARE(history[0].actor, std::string(TestStores::kOperator));
        QCOMPARE(history[0].reason, std::string("vendor says it is back"));
        run->finish(RunStatus::Failed, "payments down");
        QVERIFY(guard.flush());
    }

    void evidenceIsBounded() {
        ActionsService op(m_stores->pg(TestStores::kOperator), m_stores->redis(),
                          m_stores->prefix());
        auto refusal = [&](const std::string &evidence) {
            op.setEvidence(evidence);
            try {
                op.overrideBreaker("new_tool", "open", {}, "test", {}, true);
            } catch (const ActionRefused &e) {
                return std::string(e.what());
            }
            return std::string();
        };
        QVERIFY(refusal("[1,2]").find("must be a JSON object") != std::string::npos);
        QVERIFY(refusal(R"({"a":{"b":{"c":{"d":{"e":1}}}}})").find("4 levels") !=
                std::string::npos);
        QVERIFY(refusal("{\"a\":\"" + std::string(20'000, 'x') + "\"}").find("16384 bytes") !=
                std::string::npos);
        QVERIFY(refusal(R"({"a":{"b":{"c":{"d":1}}}})").empty()); // 4 levels pass
        // A refused override leaves no evidence behind for the next action.
        op.overrideBreaker("new_tool", {}, {}, "clear", {}, true);
        QCOMPARE(scalar("SELECT count(*) FROM pitwall.actions WHERE evidence IS NOT NULL"),
                 std::string("1"));
    }
};

QTEST_GUILESS_MAIN(TestBreakerBoard)
#include "test_breaker_board.moc"

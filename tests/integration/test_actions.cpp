#include "ActionsService.h"
#include "Clock.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "StoreError.h"
#include "TestStores.h"

#include <QTest>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <functional>
#include <optional>

using namespace pitwall;
using test::TestStores;

namespace {

class ChangeListener : public pqxx::notification_receiver {
public:
    using pqxx::notification_receiver::notification_receiver;
    void operator()(const std::string &payload, int) override { payloads.push_back(payload); }
    std::vector<std::string> payloads;
};

// One action of each kind, run as `login` with a given action id.
using Act = std::function<ActionResult(ActionsService &, const std::string &actionId)>;

struct ActionCase {
    Act act;
    const char *permitted; // the login that may do it
    const char *kind;
    std::string target;
};

} // namespace

Q_DECLARE_METATYPE(std::string)

class TestActions : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStores> m_stores;
    std::string m_runId;

    void seed() {
        m_runId = newUuid();
        auto c = connectPostgres(m_stores->pg());
        pqxx::work tx(*c);
        tx.exec_params("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                       " entry_point, status, started_at) VALUES ($1, 't1', 'support', 'v2',"
                       " 'alice', 'http', 'running', now())",
                       m_runId);
        tx.exec("INSERT INTO pitwall.rollouts (agent, stable_version, canary_version,"
                " canary_weight) VALUES ('support', 'v1', 'v2', 10)");
        tx.commit();
    }

    ActionsService service(const char *login) {
        return ActionsService(m_stores->pg(login), m_stores->redis(), m_stores->prefix());
    }

    std::map<std::string, ActionCase> cases() {
        std::map<std::string, ActionCase> c;
        const std::string run = m_runId;
        c["kill_run"] = {[run](ActionsService &s, const std::string &id) {
                             return s.killRun(run, "looping on crm_lookup", id);
                         },
                         TestStores::kOperator, "kill_run", run};
        c["set_cap"] = {[](ActionsService &s, const std::string &id) {
                            CapChange cap{"user", "alice", 5'000'000, 500'000, {}, {}};
                            return s.setCap(cap, "alice burned $40 last night", id);
                        },
                        TestStores::kBudgetOwner, "set_cap", "user:alice"};
        c["set_canary_weight"] = {[](ActionsService &s, const std::string &id) {
                                      return s.setCanaryWeight("support", 25, {}, "looks good", id);
                                  },
                                  TestStores::kOperator, "set_canary_weight", "support"};
        c["promote"] = {[](ActionsService &s, const std::string &id) {
                            return s.promote("support", {}, "canary wins on success", id);
                        },
                        TestStores::kOperator, "promote", "support"};
        c["rollback"] = {[](ActionsService &s, const std::string &id) {
                             return s.rollback("support", {}, "canary fails more", id);
                         },
                         TestStores::kOperator, "rollback", "support"};
        c["override_breaker"] = {[](ActionsService &s, const std::string &id) {
                                     return s.overrideBreaker("payments_api", "open",
                                                              nowMs() + 60000, "vendor outage", id,
                                                              true);
                                 },
                                 TestStores::kOperator, "override_breaker", "payments_api"};
        return c;
    }

    static std::string refusal(const std::function<void()> &f) {
        try {
            f();
        } catch (const ActionRefused &e) {
            return e.code() + ": " + e.what();
        }
        return "not refused";
    }

private Q_SLOTS:
    void init() {
        m_stores = std::make_unique<TestStores>();
        seed();
    }
    void cleanup() { m_stores.reset(); }

    void eachAction_data() {
        QTest::addColumn<QString>("name");
        for (const char *n : {"kill_run", "set_cap", "set_canary_weight", "promote", "rollback",
                              "override_breaker"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void eachAction() {
        QFETCH(QString, name);
        const ActionCase c = cases().at(name.toStdString());

        // Refused for a viewer, with the role named, and nothing recorded.
        ActionsService viewer = service(TestStores::kViewer);
        const std::string refused = refusal([&] { c.act(viewer, newUuid()); });
        QVERIFY2(refused.rfind("PW001", 0) == 0, refused.c_str());
        QVERIFY2(refused.find("pw_test_viewer") != std::string::npos, refused.c_str());

        // Permitted for its role; NOTIFY reaches a listener.
        auto listenerConnection = connectPostgres(m_stores->pg());
        ChangeListener listener(*listenerConnection, "pitwall_changes");
        ActionsService permitted = service(c.permitted);
        const std::string id = newUuid();
        const ActionResult first = c.act(permitted, id);
        QCOMPARE(first.kind, std::string(c.kind));
        QCOMPARE(first.target, c.target);
        QCOMPARE(first.actor, std::string(c.permitted));
        QVERIFY(!first.replayed);
        QVERIFY2(first.mirrored, first.mirrorError.c_str());
        for (int i = 0; i < 50 && listener.payloads.empty(); ++i)
            listenerConnection->await_notification(0, 100000);
        QCOMPARE(listener.payloads.size(), size_t(1));
        const auto note = nlohmann::json::parse(listener.payloads[0]);
        QCOMPARE(note.value("action_id", std::string()), id);
        QCOMPARE(note.value("kind", std::string()), std::string(c.kind));

        // A retry with the same action id returns the first result and changes nothing.
        const ActionResult again = c.act(permitted, id);
        QVERIFY(again.replayed);
        QCOMPARE(again.afterJson, first.afterJson);

        // The audit row is complete and the action was applied to Redis.
        auto db = connectPostgres(m_stores->pg());
        pqxx::read_transaction tx(*db);
        QCOMPARE(tx.exec_params1("SELECT count(*) FROM pitwall.actions WHERE action_id = $1", id)[0]
                     .as<int>(),
                 1);
        const auto row = tx.exec_params1(
            "SELECT actor, kind, target, reason, requested_at IS NOT NULL, after IS NOT NULL,"
            " mirrored_at IS NOT NULL, params::text FROM pitwall.actions WHERE action_id = $1",
            id);
        QCOMPARE(row[0].as<std::string>(), std::string(c.permitted));
        QCOMPARE(row[1].as<std::string>(), std::string(c.kind));
        QCOMPARE(row[2].as<std::string>(), c.target);
        QVERIFY(!row[3].as<std::string>().empty());
        QVERIFY(row[4].as<bool>());
        QVERIFY(row[5].as<bool>());
        QVERIFY2(row[6].as<bool>(), "mirrored_at was not set");
        QVERIFY(row[7].as<std::string>() != "{}");
    }

    void emptyReasonIsRefused() {
        ActionsService op = service(TestStores::kOperator);
        const std::string refused = refusal([&] { op.killRun(m_runId, "   "); });
        QVERIFY2(refused.rfind("PW004", 0) == 0, refused.c_str());
        QVERIFY2(refused.find("reason") != std::string::npos, refused.c_str());
    }

    void staleRevisionIsRefusedWithTheCurrentOne() {
        ActionsService op = service(TestStores::kOperator);
        op.setCanaryWeight("support", 20, 1, "first change", {}); // revision 1 -> 2
        const std::string refused =
            refusal([&] { op.setCanaryWeight("support", 30, 1, "based on an old view", {}); });
        QVERIFY2(refused.rfind("PW002", 0) == 0, refused.c_str());
        QVERIFY2(refused.find("revision 2") != std::string::npos, refused.c_str());

        ActionsService budget = service(TestStores::kBudgetOwner);
        CapChange cap{"agent", "support", 100'000'000, {}, {}, 0};
        budget.setCap(cap, "initial", {});
        cap.expectedRevision = 0; // someone else created it since
        const std::string capRefused = refusal([&] { budget.setCap(cap, "again", {}); });
        QVERIFY2(capRefused.rfind("PW002", 0) == 0, capRefused.c_str());
        QVERIFY2(capRefused.find("revision 1") != std::string::npos, capRefused.c_str());
    }

    void unknownAndEndedRunsAreRefused() {
        ActionsService op = service(TestStores::kOperator);
        const std::string unknown = refusal([&] { op.killRun(newUuid(), "why not"); });
        QVERIFY2(unknown.rfind("PW003", 0) == 0, unknown.c_str());
        {
            auto c = connectPostgres(m_stores->pg());
            pqxx::work tx(*c);
            tx.exec_params("UPDATE pitwall.runs SET status = 'succeeded' WHERE run_id = $1",
                           m_runId);
            tx.commit();
        }
        const std::string ended = refusal([&] { op.killRun(m_runId, "too late"); });
        QVERIFY2(ended.rfind("PW006", 0) == 0, ended.c_str());
        QVERIFY2(ended.find("succeeded") != std::string::npos, ended.c_str());
    }

    void mirrorsHoldWhatTheAgentsRead() {
        ActionsService op = service(TestStores::kOperator);
        ActionsService budget = service(TestStores::kBudgetOwner);
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());

        const ActionResult kill = op.killRun(m_runId, "runaway");
        const auto flag = nlohmann::json::parse(redis.command({"GET", keys.kill(m_runId)}).str);
        QCOMPARE(flag.value("action_id", std::string()), kill.actionId);
        QCOMPARE(flag.value("actor", std::string()), std::string(TestStores::kOperator));
        QCOMPARE(flag.value("reason", std::string()), std::string("runaway"));

        CapChange cap{"user", "alice", 7'250'000, 1'000'000, nowMs() + 3'600'000, {}};
        budget.setCap(cap, "a generous hour", {});
        auto fields = redis.command({"HGETALL", keys.cap("user", "alice")}).toMap();
        QCOMPARE(fields["daily_micros"], std::string("7250000"));
        QCOMPARE(fields["per_request_micros"], std::string("1000000"));
        QCOMPARE(fields["revision"], std::string("1"));
        QVERIFY(std::stoll(fields["expires_ms"]) > nowMs());
        QCOMPARE(fields["fallback_daily_micros"], std::string("-1")); // no cap before it

        op.setCanaryWeight("support", 40, {}, "more traffic", {});
        fields = redis.command({"HGETALL", keys.rollout("support")}).toMap();
        QCOMPARE(fields["canary"], std::string("v2"));
        QCOMPARE(fields["weight"], std::string("40"));
        op.promote("support", {}, "ship it", {});
        fields = redis.command({"HGETALL", keys.rollout("support")}).toMap();
        QCOMPARE(fields["stable"], std::string("v2"));
        QCOMPARE(fields["canary"], std::string(""));
        QCOMPARE(fields["weight"], std::string("0"));

        // A tool no agent has called is refused unless said to be new; once it has a breaker
        // (or breaker events), it is known.
        const std::string unknown =
            refusal([&] { op.overrideBreaker("web_serch", "closed", {}, "typo", {}); });
        QVERIFY2(unknown.rfind("PW003: unknown tool \"web_serch\": no agent has called it", 0) == 0,
                 unknown.c_str());
        op.overrideBreaker("web_search", "closed", {}, "false alarm", {}, true);
        QCOMPARE(redis.command({"HGET", keys.breaker("web_search"), "forced"}).str,
                 std::string("closed"));
        op.overrideBreaker("web_search", "", {}, "back to automatic", {});
        QVERIFY(redis.command({"HGET", keys.breaker("web_search"), "forced"}).isNil());
    }

    // Redis lost everything (a restart without persistence): the mirrors come back from
    // PostgreSQL, forced breakers included, and an override already cleared stays cleared.
    void lostMirrorsAreRestored() {
        ActionsService op = service(TestStores::kOperator);
        op.overrideBreaker("payments_api", "open", nowMs() + 3'600'000, "vendor outage", {}, true);
        op.overrideBreaker("web_search", "closed", {}, "false alarm", {}, true);
        op.overrideBreaker("web_search", "", {}, "back to automatic", {});
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        redis.command({"DEL", keys.breaker("payments_api"), keys.breaker("web_search"),
                       keys.rollout("support")});
        const ActionsService::MirrorSync done = op.syncAllMirrors();
        QCOMPARE(done.breakerOverrides, 1);
        QCOMPARE(redis.command({"HGET", keys.breaker("payments_api"), "forced"}).str,
                 std::string("open"));
        QVERIFY(redis.command({"HGET", keys.breaker("web_search"), "forced"}).isNil());
        QCOMPARE(redis.command({"HGET", keys.rollout("support"), "stable"}).str, std::string("v1"));
        QCOMPARE(op.syncAllMirrors().breakerOverrides, 0); // held now: nothing to restore
    }

    // A kill blocked behind another session's row lock gives up after the lock_timeout with a
    // sentence saying so (it used to wait until the server restarted), and records nothing.
    void aKillBehindARowLockGivesUp() {
        auto holder = connectPostgres(m_stores->pg());
        pqxx::work lock(*holder);
        lock.exec_params("SELECT 1 FROM pitwall.runs WHERE run_id = $1::uuid FOR UPDATE", m_runId);
        ActionsService op = service(TestStores::kOperator);
        QString error;
        try {
            op.killRun(m_runId, "looping");
        } catch (const std::exception &e) {
            error = QString::fromStdString(e.what());
        }
        QVERIFY2(error.contains(QLatin1String("waited longer than the lock_timeout")),
                 qPrintable(error));
        lock.abort();
        auto c = connectPostgres(m_stores->pg());
        pqxx::read_transaction tx(*c);
        QCOMPARE(
            tx.exec1("SELECT count(*) FROM pitwall.actions WHERE kind = 'kill_run'")[0].as<int>(),
            0);
        // Every session carries the limits.
        QCOMPARE(tx.exec1("SHOW statement_timeout")[0].as<std::string>(), std::string("30s"));
        QCOMPARE(tx.exec1("SHOW lock_timeout")[0].as<std::string>(), std::string("5s"));
        QCOMPARE(tx.exec1("SHOW idle_in_transaction_session_timeout")[0].as<std::string>(),
                 std::string("1min"));
    }

    void actionsNotYetMirroredAreDrained() {
        // As if a client crashed between Postgres and Redis: the row exists, the flag does not.
        const std::string id = newUuid();
        {
            auto c = connectPostgres(m_stores->pg(TestStores::kOperator));
            pqxx::work tx(*c);
            tx.exec_params("SELECT pitwall.act_kill_run($1::uuid, $2::uuid, 'crashed client')", id,
                           m_runId);
            tx.commit();
        }
        RedisConnection redis(m_stores->redis());
        const RedisKeys keys(m_stores->prefix());
        QVERIFY(redis.command({"GET", keys.kill(m_runId)}).isNil());

        // Any console whose role may take the action drains it (a viewer's may apply it, but
        // may not mark it mirrored: migration 0003).
        ActionsService other = service(TestStores::kOperator);
        QCOMPARE(other.drainPendingMirrors(), 1);
        const auto flag = nlohmann::json::parse(redis.command({"GET", keys.kill(m_runId)}).str);
        QCOMPARE(flag.value("action_id", std::string()), id);
        QCOMPARE(other.drainPendingMirrors(), 0);
    }

    void unreachableRedisKeepsTheActionForLater() {
        RedisEndpoint nowhere;
        nowhere.socketPath = "/nonexistent/redis.sock";
        ActionsService op(m_stores->pg(TestStores::kOperator), nowhere, m_stores->prefix());
        const ActionResult r = op.killRun(m_runId, "redis is down");
        QVERIFY(!r.mirrored);
        QVERIFY2(r.mirrorError.find("Cannot reach Redis at unix:///nonexistent/redis.sock") !=
                     std::string::npos,
                 r.mirrorError.c_str());
        ActionsService good = service(TestStores::kOperator);
        QCOMPARE(good.drainPendingMirrors(), 1);
    }
};

QTEST_GUILESS_MAIN(TestActions)
#include "test_actions.moc"

#include "Clock.h"
#include "PgConnect.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

#include <functional>
#include <memory>
#include <string>

using namespace pitwall;
using test::TestStores;

// Migration 0003: what the probe of schema version 2 did with ordinary logins, each case
// refused now (and accepted before 0003, so each one fails against version 2).

namespace {

// The first line of PostgreSQL's message, without libpq's "ERROR:  ".
std::string sentence(const std::string &what) {
    std::string s = what;
    if (const auto pos = s.find("ERROR:  "); pos != std::string::npos)
        s = s.substr(pos + 8);
    if (const auto nl = s.find('\n'); nl != std::string::npos)
        s = s.substr(0, nl);
    return s;
}

using Work = std::function<void(pqxx::work &)>;

// Runs `work` in one transaction on a fresh connection: "ok", or "SQLSTATE: sentence".
std::string attempt(const std::string &conninfo, const Work &work) {
    auto c = connectPostgres(conninfo);
    try {
        pqxx::work tx(*c);
        work(tx);
        tx.commit();
        return "ok";
    } catch (const pqxx::sql_error &e) {
        std::string state = e.sqlstate();
        // libpqxx 6.4 throws insufficient_privilege without passing the SQLSTATE on.
        if (state.empty() && dynamic_cast<const pqxx::insufficient_privilege *>(&e))
            state = "42501";
        return state + ": " + sentence(e.what());
    }
}

bool refused(const std::string &result, const std::string &sqlstate, const std::string &text) {
    return result.rfind(sqlstate + ": ", 0) == 0 && result.find(text) != std::string::npos;
}

std::string bytes(const QByteArray &a) {
    return a.toStdString();
}

// A time as PgBatchWriter writes it, so that writing it twice gives the same value.
std::string msTimestamp(int64_t ms) {
    return "to_timestamp(" + std::to_string(ms) + "::double precision / 1000)";
}

// UTF-8 of a few characters that show nothing.
const char *const kNoBreakSpace = "\xc2\xa0";
const char *const kZeroWidthSpace = "\xe2\x80\x8b";
const char *const kLineSeparator = "\xe2\x80\xa8";
const char *const kIdeographicSpace = "\xe3\x80\x80";
const char *const kByteOrderMark = "\xef\xbb\xbf";

} // namespace

class TestHardening : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStores> m_stores;
    std::string m_storesFor; // the test function m_stores was made for

    std::string pg(const char *login) const { return m_stores->pg(login); }

    // As the superuser: it owns the tables, so the rules for other logins do not apply.
    void admin(const std::string &sql) {
        auto c = connectPostgres(m_stores->pg());
        pqxx::work tx(*c);
        tx.exec(sql);
        tx.commit();
    }
    std::string scalar(const std::string &sql) {
        auto c = connectPostgres(m_stores->pg());
        pqxx::read_transaction tx(*c);
        const pqxx::field f = tx.exec1(sql)[0];
        return f.is_null() ? std::string("null") : f.as<std::string>();
    }

    // A running run, inserted the way the guard's PgBatchWriter does.
    std::string startRun(const char *login, const std::string &runId) {
        return attempt(pg(login), [&](pqxx::work &tx) {
            tx.exec_params("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                           " entry_point, status, started_at) VALUES ($1::uuid, $2, 'support',"
                           " 'v1', 'alice', 'http', 'running', now())"
                           " ON CONFLICT (run_id) DO NOTHING",
                           runId, "trace-" + runId);
        });
    }
    std::string kill(const std::string &actionId, const std::string &runId) {
        return attempt(pg(TestStores::kOperator), [&](pqxx::work &tx) {
            tx.exec_params("SELECT pitwall.act_kill_run($1::uuid, $2::uuid, 'runaway loop')",
                           actionId, runId);
        });
    }
    // The guard's end of a killed run (PgBatchWriter's statement), with a fixed end time.
    std::string endKilled(const std::string &runId, const std::string &killId, int64_t endedMs) {
        return attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) {
            tx.exec_params(
                "UPDATE pitwall.runs SET status='killed',ended_at=" + msTimestamp(endedMs) +
                    ",steps=3,input_tokens=120,output_tokens=40,cost_usd=1.250000,"
                    "error='killed',kill_action_id=$1::uuid WHERE run_id=$2::uuid",
                killId, runId);
        });
    }
    std::string setCap(const char *login, std::string *actionId = nullptr) {
        const std::string id = newUuid();
        if (actionId)
            *actionId = id;
        return attempt(pg(login), [&](pqxx::work &tx) {
            tx.exec_params("SELECT pitwall.act_set_cap($1::uuid, 'user', 'alice', 5, 1, NULL,"
                           " NULL, 'alice burned $40 last night')",
                           id);
        });
    }

private Q_SLOTS:
    // A fresh database for each test function; the rows of one function share it (each row
    // uses its own run and action ids), which saves a migration per row.
    void init() {
        if (!m_stores || m_storesFor != QTest::currentTestFunction()) {
            m_stores.reset();
            m_stores = std::make_unique<TestStores>();
            m_storesFor = QTest::currentTestFunction();
        }
    }
    void cleanupTestCase() { m_stores.reset(); }

    // --- mark_mirrored -------------------------------------------------------------------

    void markMirroredNeedsTheActionsRole_data() {
        QTest::addColumn<QByteArray>("login");
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<QByteArray>("state"); // "ok" or the SQLSTATE
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("viewer, a kill")
            << QByteArray(TestStores::kViewer) << QByteArray("kill_run") << QByteArray("PW001")
            << QByteArray("role \"pw_test_viewer\" may not mark a "
                          "kill_run action as mirrored: that needs "
                          "pitwall_operator");
        QTest::newRow("budget owner, a kill")
            << QByteArray(TestStores::kBudgetOwner) << QByteArray("kill_run") << QByteArray("PW001")
            << QByteArray("that needs pitwall_operator");
        QTest::newRow("viewer, a cap")
            << QByteArray(TestStores::kViewer) << QByteArray("set_cap") << QByteArray("PW001")
            << QByteArray("that needs pitwall_budget_owner");
        QTest::newRow("operator, a cap")
            << QByteArray(TestStores::kOperator) << QByteArray("set_cap") << QByteArray("PW001")
            << QByteArray("that needs pitwall_budget_owner");
        QTest::newRow("operator, a kill")
            << QByteArray(TestStores::kOperator) << QByteArray("kill_run") << QByteArray("ok")
            << QByteArray();
        QTest::newRow("budget owner, a cap")
            << QByteArray(TestStores::kBudgetOwner) << QByteArray("set_cap") << QByteArray("ok")
            << QByteArray();
    }
    void markMirroredNeedsTheActionsRole() {
        QFETCH(QByteArray, login);
        QFETCH(QByteArray, kind);
        QFETCH(QByteArray, state);
        QFETCH(QByteArray, text);
        std::string actionId = newUuid();
        if (kind == "kill_run") {
            const std::string runId = newUuid();
            QCOMPARE(startRun(TestStores::kAgent, runId), std::string("ok"));
            QCOMPARE(kill(actionId, runId), std::string("ok"));
        } else {
            QCOMPARE(setCap(TestStores::kBudgetOwner, &actionId), std::string("ok"));
        }

        bool marked = false;
        const std::string result = attempt(pg(login.constData()), [&](pqxx::work &tx) {
            marked = tx.exec_params1("SELECT pitwall.mark_mirrored($1::uuid, $2::jsonb)", actionId,
                                     std::string(R"({"mirrored_ms": 42})"))[0]
                         .as<bool>();
        });
        const std::string mirrored =
            "SELECT coalesce(mirrored_by, 'null') || ' ' || coalesce(outcome::text, 'null') ||"
            " ' ' || (mirrored_at IS NOT NULL) FROM pitwall.actions WHERE action_id = '" +
            actionId + "'";
        if (state == "ok") {
            QCOMPARE(result, std::string("ok"));
            QVERIFY(marked);
            QCOMPARE(scalar(mirrored), bytes(login) + R"( {"mirrored_ms": 42} true)");
            // Only the first mark counts.
            bool again = true;
            QCOMPARE(attempt(pg(login.constData()),
                             [&](pqxx::work &tx) {
                                 again = tx.exec_params1("SELECT pitwall.mark_mirrored($1::uuid,"
                                                         " '{\"mirrored_ms\": 43}')",
                                                         actionId)[0]
                                             .as<bool>();
                             }),
                     std::string("ok"));
            QVERIFY(!again);
            QCOMPARE(scalar(mirrored), bytes(login) + R"( {"mirrored_ms": 42} true)");
        } else {
            QVERIFY2(refused(result, bytes(state), bytes(text)), result.c_str());
            QCOMPARE(scalar(mirrored), std::string("null null false")); // still to be applied
        }
    }

    void markMirroredTakesASmallObject_data() {
        QTest::addColumn<QByteArray>("outcome");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("a string") << QByteArray(R"("forged")")
                                  << QByteArray("the outcome must be a JSON object, not string");
        QTest::newRow("an array") << QByteArray("[1]")
                                  << QByteArray("the outcome must be a JSON object, not array");
        QTest::newRow("a number") << QByteArray("1")
                                  << QByteArray("the outcome must be a JSON object, not number");
        QTest::newRow("JSON null")
            << QByteArray("null") << QByteArray("the outcome must be a JSON object, not null");
        QTest::newRow("5 KB") << (QByteArray(R"({"note": ")") + QByteArray(5000, 'x') +
                                  QByteArray(R"("})"))
                              << QByteArray("the outcome may be at most 4096 bytes of JSON, not "
                                            "5012");
    }
    void markMirroredTakesASmallObject() {
        QFETCH(QByteArray, outcome);
        QFETCH(QByteArray, text);
        const std::string runId = newUuid();
        const std::string actionId = newUuid();
        QCOMPARE(startRun(TestStores::kAgent, runId), std::string("ok"));
        QCOMPARE(kill(actionId, runId), std::string("ok"));
        const std::string result = attempt(pg(TestStores::kOperator), [&](pqxx::work &tx) {
            tx.exec_params("SELECT pitwall.mark_mirrored($1::uuid, $2::jsonb)", actionId,
                           bytes(outcome));
        });
        QVERIFY2(refused(result, "PW004", bytes(text)), result.c_str());
        QCOMPARE(scalar("SELECT (mirrored_at IS NULL)::text FROM pitwall.actions"
                        " WHERE action_id = '" +
                        actionId + "'"),
                 std::string("true"));
    }

    // --- amounts and times ---------------------------------------------------------------

    void capAmountsAreFiniteAndFit_data() {
        // SQL literals for act_set_cap's daily cap, per-request cap and expiry.
        QTest::addColumn<QByteArray>("daily");
        QTest::addColumn<QByteArray>("perRequest");
        QTest::addColumn<QByteArray>("expires");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("daily NaN")
            << QByteArray("'NaN'") << QByteArray("'NaN'") << QByteArray("NULL")
            << QByteArray("a daily cap must be a finite number, not NaN");
        QTest::newRow("daily Infinity")
            << QByteArray("'Infinity'") << QByteArray("NULL") << QByteArray("NULL")
            << QByteArray("a daily cap must be a finite number, not Infinity");
        QTest::newRow("daily -Infinity")
            << QByteArray("'-Infinity'") << QByteArray("NULL") << QByteArray("NULL")
            << QByteArray("a daily cap must be a finite number, not -Infinity");
        QTest::newRow("per-request NaN")
            << QByteArray("5") << QByteArray("'NaN'") << QByteArray("NULL")
            << QByteArray("a per-request cap must be a finite number, not NaN");
        QTest::newRow("per-request Infinity")
            << QByteArray("5") << QByteArray("'Infinity'") << QByteArray("NULL")
            << QByteArray("a per-request cap must be a finite number, not Infinity");
        QTest::newRow("daily 10^8")
            << QByteArray("100000000") << QByteArray("NULL") << QByteArray("NULL")
            << QByteArray("a daily cap may be at most 99999999.999999 "
                          "USD, not 100000000");
        QTest::newRow("daily rounding up to 10^8")
            << QByteArray("99999999.9999995") << QByteArray("NULL") << QByteArray("NULL")
            << QByteArray("a daily cap may be at most 99999999.999999 USD");
        QTest::newRow("per-request 1e20")
            << QByteArray("5") << QByteArray("1e20") << QByteArray("NULL")
            << QByteArray("a per-request cap may be at most 99999999.999999 USD");
        QTest::newRow("expires at infinity")
            << QByteArray("5") << QByteArray("NULL") << QByteArray("'infinity'")
            << QByteArray("the cap must expire at a finite time");
    }
    void capAmountsAreFiniteAndFit() {
        QFETCH(QByteArray, daily);
        QFETCH(QByteArray, perRequest);
        QFETCH(QByteArray, expires);
        QFETCH(QByteArray, text);
        const std::string result = attempt(pg(TestStores::kBudgetOwner), [&](pqxx::work &tx) {
            tx.exec("SELECT pitwall.act_set_cap(gen_random_uuid(), 'user', 'alice', " +
                    bytes(daily) + ", " + bytes(perRequest) + ", " + bytes(expires) +
                    ", NULL, 'budget review')");
        });
        QVERIFY2(refused(result, "PW004", bytes(text)), result.c_str());
        QCOMPARE(scalar("SELECT count(*) FROM pitwall.spend_caps"), std::string("0"));
    }

    void largestCapIsAccepted() {
        const std::string result = attempt(pg(TestStores::kBudgetOwner), [&](pqxx::work &tx) {
            tx.exec("SELECT pitwall.act_set_cap(gen_random_uuid(), 'global', '*', "
                    "99999999.999999, 0, NULL, NULL, 'no limit to speak of')");
        });
        QCOMPARE(result, std::string("ok"));
        QCOMPARE(scalar("SELECT daily_usd FROM pitwall.spend_caps"),
                 std::string("99999999.999999"));
    }

    // The tables refuse NaN whoever writes (numeric(14,6) already refuses Infinity).
    void moneyColumnsRefuseNaN_data() {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<QByteArray>("constraint");
        QTest::newRow("span cost NaN")
            << QByteArray("INSERT INTO pitwall.spans (trace_id, span_id, name, kind, started_at,"
                          " cost_usd) VALUES ('t', 's', 'chat', 'llm', 1, 'NaN')")
            << QByteArray("spans_cost_usd_number");
        QTest::newRow("span cost negative")
            << QByteArray("INSERT INTO pitwall.spans (trace_id, span_id, name, kind, started_at,"
                          " cost_usd) VALUES ('t', 's', 'chat', 'llm', 1, -1)")
            << QByteArray("spans_cost_usd_number");
        QTest::newRow("run cost NaN")
            << QByteArray("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                          " entry_point, status, started_at, ended_at, cost_usd) VALUES"
                          " (gen_random_uuid(), 't', 'support', 'v1', 'alice', 'http',"
                          " 'succeeded', now(), now(), 'NaN')")
            << QByteArray("runs_cost_usd_number");
        QTest::newRow("SLO cost NaN")
            << QByteArray("INSERT INTO pitwall.slo_targets VALUES ('support', 4000, 0.97, 'NaN',"
                          " 5, 12)")
            << QByteArray("slo_targets_costs_number");
        QTest::newRow("SLO success rate NaN")
            << QByteArray("INSERT INTO pitwall.slo_targets VALUES ('support', 4000, 'NaN', 0.25,"
                          " 5, 12)")
            << QByteArray("slo_targets_min_success_rate_range");
    }
    void moneyColumnsRefuseNaN() {
        QFETCH(QByteArray, sql);
        QFETCH(QByteArray, constraint);
        for (const char *login : {TestStores::kAgent, static_cast<const char *>(nullptr)}) {
            const std::string conninfo = login ? pg(login) : m_stores->pg();
            const std::string result =
                attempt(conninfo, [&](pqxx::work &tx) { tx.exec(bytes(sql)); });
            QVERIFY2(refused(result, "23514", bytes(constraint)), result.c_str());
        }
    }

    // --- reasons and names ---------------------------------------------------------------

    void blankReasonsAreRefused_data() {
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<QByteArray>("text");
        const QByteArray blank("a reason must contain a visible character");
        QTest::newRow("carriage return") << QByteArray("\r") << blank;
        QTest::newRow("vertical tab, form feed") << QByteArray("\v\f") << blank;
        QTest::newRow("no-break space") << QByteArray(kNoBreakSpace) << blank;
        QTest::newRow("zero-width space") << QByteArray(kZeroWidthSpace) << blank;
        QTest::newRow("a mix") << (QByteArray(" \t\r\n\v\f") + kNoBreakSpace + kZeroWidthSpace +
                                   kLineSeparator + kIdeographicSpace + kByteOrderMark)
                               << blank;
        QTest::newRow("2001 characters")
            << QByteArray(2001, 'a')
            << QByteArray("a reason may be at most 2000 characters, not 2001");
    }
    void blankReasonsAreRefused() {
        QFETCH(QByteArray, reason);
        QFETCH(QByteArray, text);
        const std::string runId = newUuid();
        QCOMPARE(startRun(TestStores::kAgent, runId), std::string("ok"));
        const std::string result = attempt(pg(TestStores::kOperator), [&](pqxx::work &tx) {
            tx.exec_params("SELECT pitwall.act_kill_run(gen_random_uuid(), $1::uuid, $2)", runId,
                           bytes(reason));
        });
        QVERIFY2(refused(result, "PW004", bytes(text)), result.c_str());

        // No path around it: the table refuses the reason even from its owner.
        const std::string direct = attempt(m_stores->pg(), [&](pqxx::work &tx) {
            tx.exec_params("INSERT INTO pitwall.actions (action_id, actor, kind, target, reason)"
                           " VALUES (gen_random_uuid(), 'test', 'kill_run', $1, $2)",
                           runId, bytes(reason));
        });
        QVERIFY2(refused(direct, "23514", "actions_reason_visible"), direct.c_str());
        QCOMPARE(scalar("SELECT count(*) FROM pitwall.actions"), std::string("0"));
    }

    void visibleReasonsAreAccepted_data() {
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("leading no-break space")
            << (QByteArray(kNoBreakSpace) + QByteArray("looping on crm_lookup"));
        QTest::newRow("2000 characters") << QByteArray(2000, 'a');
        QByteArray accents;
        for (int i = 0; i < 2000; ++i)
            accents += "\xc3\xa9"; // 2000 characters in 4000 bytes
        QTest::newRow("2000 two-byte characters") << accents;
    }
    void visibleReasonsAreAccepted() {
        QFETCH(QByteArray, reason);
        const std::string runId = newUuid();
        QCOMPARE(startRun(TestStores::kAgent, runId), std::string("ok"));
        const std::string result = attempt(pg(TestStores::kOperator), [&](pqxx::work &tx) {
            tx.exec_params("SELECT pitwall.act_kill_run(gen_random_uuid(), $1::uuid, $2)", runId,
                           bytes(reason));
        });
        QCOMPARE(result, std::string("ok"));
        QCOMPARE(scalar("SELECT reason FROM pitwall.actions WHERE target = '" + runId + "'"),
                 bytes(reason));
    }

    // Subjects, tools, agent names and times: the same class of input as reasons and amounts.
    void namesAndTimesAreBounded_data() {
        QTest::addColumn<QByteArray>("login");
        QTest::addColumn<QByteArray>("sql"); // $1 is the value
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("text");
        const QByteArray cap("SELECT pitwall.act_set_cap(gen_random_uuid(), 'user', $1, 5, NULL,"
                             " NULL, NULL, 'budget review')");
        const QByteArray breaker("SELECT pitwall.act_override_breaker(gen_random_uuid(), $1,"
                                 " 'open', now() + interval '1 hour', 'closed', 'vendor outage')");
        const QByteArray until("SELECT pitwall.act_override_breaker(gen_random_uuid(), 'crm',"
                               " 'open', $1::timestamptz, 'closed', 'vendor outage')");
        const QByteArray agent("SELECT pitwall.register_version($1, 'v1', 'gpt-4o-mini', '',"
                               " false, 0)");
        const QByteArray model("SELECT pitwall.register_version('support', 'v1', $1, '', false,"
                               " 0)");
        QTest::newRow("cap subject of no-break spaces")
            << QByteArray(TestStores::kBudgetOwner) << cap
            << (QByteArray(kNoBreakSpace) + kNoBreakSpace)
            << QByteArray("a subject must contain a visible character");
        QTest::newRow("cap subject of 201 characters")
            << QByteArray(TestStores::kBudgetOwner) << cap << QByteArray(201, 's')
            << QByteArray("a subject may be at most 200 characters, not 201");
        QTest::newRow("tool of a zero-width space")
            << QByteArray(TestStores::kOperator) << breaker << QByteArray(kZeroWidthSpace)
            << QByteArray("a tool must contain a visible character");
        QTest::newRow("override until infinity")
            << QByteArray(TestStores::kOperator) << until << QByteArray("infinity")
            << QByteArray("the override must end at a finite time");
        QTest::newRow("agent of a carriage return")
            << QByteArray(TestStores::kAgent) << agent << QByteArray("\r")
            << QByteArray("an agent must contain a visible character");
        QTest::newRow("model of 201 characters")
            << QByteArray(TestStores::kAgent) << model << QByteArray(201, 'm')
            << QByteArray("a model may be at most 200 characters, not 201");
    }
    void namesAndTimesAreBounded() {
        QFETCH(QByteArray, login);
        QFETCH(QByteArray, sql);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, text);
        const std::string result = attempt(pg(login.constData()), [&](pqxx::work &tx) {
            tx.exec_params(bytes(sql), bytes(value));
        });
        QVERIFY2(refused(result, "PW004", bytes(text)), result.c_str());
    }

    // --- what agents may write -----------------------------------------------------------

    void finalRunsCannotChange_data() {
        QTest::addColumn<QByteArray>("set");
        QTest::newRow("status back to succeeded") << QByteArray("status = 'succeeded'");
        QTest::newRow("cost zeroed") << QByteArray("cost_usd = 0");
        QTest::newRow("cost raised") << QByteArray("cost_usd = 2");
        QTest::newRow("kill cleared") << QByteArray("kill_action_id = NULL");
        QTest::newRow("kill replaced") << QByteArray("kill_action_id = gen_random_uuid()");
        QTest::newRow("error rewritten") << QByteArray("error = 'finished normally'");
    }
    void finalRunsCannotChange() {
        QFETCH(QByteArray, set);
        const std::string runId = newUuid();
        const std::string killId = newUuid();
        QCOMPARE(startRun(TestStores::kAgent, runId), std::string("ok"));
        QCOMPARE(kill(killId, runId), std::string("ok"));
        const int64_t endedMs = nowMs();
        QCOMPARE(endKilled(runId, killId, endedMs), std::string("ok"));
        // The guard retries a batch whose reply it lost: the same values again are no change.
        QCOMPARE(endKilled(runId, killId, endedMs), std::string("ok"));

        const std::string result = attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) {
            tx.exec_params("UPDATE pitwall.runs SET " + bytes(set) + " WHERE run_id = $1::uuid",
                           runId);
        });
        QVERIFY2(refused(result, "PW006",
                         "run " + runId + " already ended as killed; a final run cannot change"),
                 result.c_str());
        QCOMPARE(scalar("SELECT status || ' ' || cost_usd || ' ' || kill_action_id || ' ' ||"
                        " error FROM pitwall.runs WHERE run_id = '" +
                        runId + "'"),
                 "killed 1.250000 " + killId + " killed");
    }

    void runningRunsOnlyAdvance_data() {
        QTest::addColumn<QByteArray>("set");
        QTest::addColumn<QByteArray>("state");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("cost lowered")
            << QByteArray("cost_usd = 1") << QByteArray("PW004")
            << QByteArray("cost_usd cannot decrease (from 2.000000 to 1.000000)");
        QTest::newRow("steps lowered") << QByteArray("steps = 2") << QByteArray("PW004")
                                       << QByteArray("steps cannot decrease (from 3 to 2)");
        QTest::newRow("tokens lowered") << QByteArray("input_tokens = 0") << QByteArray("PW004")
                                        << QByteArray("input_tokens cannot decrease");
        QTest::newRow("kill made up")
            << QByteArray("kill_action_id = gen_random_uuid()") << QByteArray("PW001")
            << QByteArray("only act_kill_run records kills");
        QTest::newRow("final without an end time")
            << QByteArray("status = 'failed'") << QByteArray("PW004")
            << QByteArray("ended as failed, so it needs an end time (ended_at)");
        QTest::newRow("running with an end time")
            << QByteArray("ended_at = now()") << QByteArray("PW004")
            << QByteArray("is running, so it has no end time (ended_at)");
        QTest::newRow("cost NaN") << QByteArray("cost_usd = 'NaN'") << QByteArray("23514")
                                  << QByteArray("runs_cost_usd_number");
        // Only the columns a run's end writes are granted: the rest is not even reached.
        QTest::newRow("user changed") << QByteArray("user_id = 'mallory'") << QByteArray("42501")
                                      << QByteArray("permission denied for table runs");
    }
    void runningRunsOnlyAdvance() {
        QFETCH(QByteArray, set);
        QFETCH(QByteArray, state);
        QFETCH(QByteArray, text);
        const std::string runId = newUuid();
        QCOMPARE(startRun(TestStores::kAgent, runId), std::string("ok"));
        QCOMPARE(attempt(pg(TestStores::kAgent),
                         [&](pqxx::work &tx) {
                             tx.exec_params("UPDATE pitwall.runs SET steps = 3, input_tokens = 10,"
                                            " output_tokens = 5, cost_usd = 2"
                                            " WHERE run_id = $1::uuid",
                                            runId);
                         }),
                 std::string("ok"));
        const std::string result = attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) {
            tx.exec_params("UPDATE pitwall.runs SET " + bytes(set) + " WHERE run_id = $1::uuid",
                           runId);
        });
        QVERIFY2(refused(result, bytes(state), bytes(text)), result.c_str());
        QCOMPARE(scalar("SELECT status || ' ' || steps || ' ' || cost_usd || ' ' ||"
                        " coalesce(kill_action_id::text, '-') FROM pitwall.runs"
                        " WHERE run_id = '" +
                        runId + "'"),
                 std::string("running 3 2.000000 -"));
    }

    void insertedRunsFollowTheRules_data() {
        QTest::addColumn<QByteArray>("values"); // after run_id, trace_id, agent, version, user_id
        QTest::addColumn<QByteArray>("state");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("with a kill")
            << QByteArray("'http', 'running', now(), NULL, "
                          "gen_random_uuid()")
            << QByteArray("PW001") << QByteArray("only act_kill_run records kills");
        QTest::newRow("final without an end time")
            << QByteArray("'http', 'succeeded', now(), NULL, NULL") << QByteArray("PW004")
            << QByteArray("ended as succeeded, so it needs an end time (ended_at)");
        QTest::newRow("running with an end time")
            << QByteArray("'http', 'running', now(), now(), NULL") << QByteArray("PW004")
            << QByteArray("is running, so it has no end time (ended_at)");
    }
    void insertedRunsFollowTheRules() {
        QFETCH(QByteArray, values);
        QFETCH(QByteArray, state);
        QFETCH(QByteArray, text);
        const std::string result = attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) {
            tx.exec("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                    " entry_point, status, started_at, ended_at, kill_action_id) VALUES"
                    " (gen_random_uuid(), 't', 'support', 'v1', 'alice', " +
                    bytes(values) + ")");
        });
        QVERIFY2(refused(result, bytes(state), bytes(text)), result.c_str());
        QCOMPARE(scalar("SELECT count(*) FROM pitwall.runs"), std::string("0"));
    }

    // written_by is the login, whatever the client sends; an importer's finished run is fine.
    void runsAreWrittenByTheirLogin() {
        const std::string runId = newUuid();
        QCOMPARE(attempt(pg(TestStores::kAgent),
                         [&](pqxx::work &tx) {
                             tx.exec_params(
                                 "INSERT INTO pitwall.runs (run_id, trace_id, agent, version,"
                                 " user_id, entry_point, status, started_at, ended_at, steps,"
                                 " cost_usd, written_by) VALUES ($1::uuid, 't', 'support', 'v1',"
                                 " 'alice', 'http', 'succeeded', now() - interval '1 minute',"
                                 " now(), 4, 0.5, 'pw_test_operator')"
                                 " ON CONFLICT (run_id) DO NOTHING",
                                 runId);
                         }),
                 std::string("ok"));
        QCOMPARE(scalar("SELECT written_by FROM pitwall.runs WHERE run_id = '" + runId + "'"),
                 std::string(TestStores::kAgent));
    }

    void agentsCannotTouchAnotherLoginsRun() {
        const std::string runId = newUuid();
        admin("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, entry_point,"
              " status, started_at, written_by) VALUES ('" +
              runId +
              "', 't', 'support', 'v1', 'bob', 'http', 'running', now(),"
              " 'pw_test_other_agent')");
        const std::string result = attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) {
            tx.exec_params("UPDATE pitwall.runs SET cost_usd = cost_usd + 1, steps = steps + 1"
                           " WHERE run_id = $1::uuid",
                           runId);
        });
        QVERIFY2(refused(result, "PW001",
                         "role \"pw_test_agent\" may not change run " + runId +
                             ": it was written by \"pw_test_other_agent\""),
                 result.c_str());
        QCOMPARE(scalar("SELECT cost_usd || ' ' || steps FROM pitwall.runs"),
                 std::string("0.000000 0"));
    }

    void spansAreAppendOnlyForAgents() {
        const std::string runId = newUuid();
        QCOMPARE(startRun(TestStores::kAgent, runId), std::string("ok"));
        // PgBatchWriter's insert, twice (a retried batch): ON CONFLICT DO NOTHING needs no
        // UPDATE privilege.
        for (int i = 0; i < 2; ++i)
            QCOMPARE(attempt(pg(TestStores::kAgent),
                             [&](pqxx::work &tx) {
                                 tx.exec_params(
                                     "INSERT INTO pitwall.spans (trace_id, span_id,"
                                     " parent_span_id, run_id, name, kind, started_at, ended_at,"
                                     " status, model, tool, input_tokens, output_tokens,"
                                     " cost_usd, attributes, input, output) VALUES ($1, 's1',"
                                     " NULL, $2::uuid, 'chat', 'llm', 1, 2, 'ok', 'gpt-4o-mini',"
                                     " NULL, 10, 5, 0.25, '{}'::jsonb, 'question', 'answer')"
                                     " ON CONFLICT (trace_id, span_id) DO NOTHING",
                                     "trace-" + runId, runId);
                             }),
                     std::string("ok"));
        // The OTLP importer's check for traces already stored.
        QCOMPARE(attempt(pg(TestStores::kAgent),
                         [&](pqxx::work &tx) {
                             tx.exec_params("SELECT DISTINCT trace_id FROM pitwall.spans WHERE"
                                            " trace_id IN ($1)",
                                            "trace-" + runId);
                         }),
                 std::string("ok"));

        for (const char *sql :
             {"UPDATE pitwall.spans SET input = 'rewritten', cost_usd = 0",
              "DELETE FROM pitwall.spans",
              // Agents read the keys of spans, not other agents' inputs and outputs.
              "SELECT input FROM pitwall.spans"}) {
            const std::string result =
                attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) { tx.exec(sql); });
            QVERIFY2(refused(result, "42501", "permission denied for table spans"),
                     (std::string(sql) + " -> " + result).c_str());
        }
        QCOMPARE(scalar("SELECT input || ' ' || cost_usd FROM pitwall.spans"),
                 std::string("question 0.250000"));
    }

    void breakerEventsFromAgentsAreAutomatic() {
        const std::string forged = attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) {
            tx.exec("INSERT INTO pitwall.breaker_events (tool, from_state, to_state, actor,"
                    " reason) VALUES ('crm', 'closed', 'forced_open', 'oncall', 'maintenance')");
        });
        QVERIFY2(refused(forged, "PW001",
                         "role \"pw_test_agent\" may not record a breaker change by \"oncall\""),
                 forged.c_str());

        // The guard's own insert (PgBatchWriter's columns), with a forged written_by.
        QCOMPARE(attempt(pg(TestStores::kAgent),
                         [&](pqxx::work &tx) {
                             tx.exec("INSERT INTO pitwall.breaker_events (tool, from_state,"
                                     " to_state, at, failures, reason, written_by) VALUES"
                                     " ('crm', 'closed', 'open', now(), 5, 'timeouts',"
                                     " 'pw_test_operator')");
                         }),
                 std::string("ok"));
        QCOMPARE(attempt(pg(TestStores::kOperator),
                         [&](pqxx::work &tx) {
                             tx.exec("SELECT pitwall.act_override_breaker(gen_random_uuid(),"
                                     " 'crm', 'closed', NULL, 'open', 'false alarm')");
                         }),
                 std::string("ok"));
        QCOMPARE(scalar("SELECT string_agg(to_state || ' ' || coalesce(actor, '-') || ' ' ||"
                        " written_by, ', ' ORDER BY id) FROM pitwall.breaker_events"),
                 std::string("open - pw_test_agent, forced_closed pw_test_operator "
                             "pw_test_operator"));

        for (const char *sql : {"UPDATE pitwall.breaker_events SET actor = 'oncall'",
                                "DELETE FROM pitwall.breaker_events"}) {
            const std::string result =
                attempt(pg(TestStores::kAgent), [&](pqxx::work &tx) { tx.exec(sql); });
            QVERIFY2(refused(result, "42501", "permission denied for table breaker_events"),
                     (std::string(sql) + " -> " + result).c_str());
        }
    }

    // --- spend_seed ----------------------------------------------------------------------

    void spendSeedSumsTheDay_data() {
        // A hand-made day, 2025-03-14 UTC (the runs below): the cost of each run that counts,
        // in micro-dollars.
        const qint64 r1 = 1'250'000;                // alice, support: ended 10:00
        const qint64 r4 = 500'000;                  // bob, support: ended 23:59:59
        const qint64 r5 = 100'000 + 20'000 + 3'000; // alice, research: running, its spans so far
        const qint64 r6 = 1;         // alice, support: ended 12:00+02, which is 10:00 UTC
        const qint64 r8 = 2'000'000; // carol, support: ended exactly at 00:00 (the day's start)
        // Not counted: r2 (ended the day before), r3 (ended 00:00 the day after), r7 (running,
        // started the day after), the spans of ended runs r1 and r8 (their cost_usd counts).
        QTest::addColumn<QByteArray>("login");
        QTest::addColumn<QByteArray>("scope");
        QTest::addColumn<QByteArray>("subject");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("user alice") << QByteArray(TestStores::kAgent) << QByteArray("user")
                                    << QByteArray("alice") << (r1 + r5 + r6);
        QTest::newRow("user bob") << QByteArray(TestStores::kAgent) << QByteArray("user")
                                  << QByteArray("bob") << r4;
        QTest::newRow("user carol")
            << QByteArray(TestStores::kViewer) << QByteArray("user") << QByteArray("carol") << r8;
        QTest::newRow("user without runs") << QByteArray(TestStores::kAgent) << QByteArray("user")
                                           << QByteArray("dave") << qint64(0);
        QTest::newRow("agent support") << QByteArray(TestStores::kAgent) << QByteArray("agent")
                                       << QByteArray("support") << (r1 + r4 + r6 + r8);
        QTest::newRow("agent research") << QByteArray(TestStores::kAgent) << QByteArray("agent")
                                        << QByteArray("research") << r5;
        QTest::newRow("global") << QByteArray(TestStores::kViewer) << QByteArray("global")
                                << QByteArray("*") << (r1 + r4 + r5 + r6 + r8);
    }
    void spendSeedSumsTheDay() {
        QFETCH(QByteArray, login);
        QFETCH(QByteArray, scope);
        QFETCH(QByteArray, subject);
        QFETCH(qint64, micros);
        admin(R"sql(
INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, entry_point, status,
                          started_at, ended_at, cost_usd) VALUES
 ('00000000-0000-0000-0000-000000000001', 't1', 'support', 'v1', 'alice', 'http', 'succeeded',
  '2025-03-14 09:59:00+00', '2025-03-14 10:00:00+00', 1.25),
 ('00000000-0000-0000-0000-000000000002', 't2', 'support', 'v1', 'alice', 'http', 'succeeded',
  '2025-03-13 23:00:00+00', '2025-03-13 23:59:59.999999+00', 5),
 ('00000000-0000-0000-0000-000000000003', 't3', 'research', 'v1', 'alice', 'http', 'failed',
  '2025-03-14 23:00:00+00', '2025-03-15 00:00:00+00', 7),
 ('00000000-0000-0000-0000-000000000004', 't4', 'support', 'v1', 'bob', 'http', 'succeeded',
  '2025-03-14 23:00:00+00', '2025-03-14 23:59:59+00', 0.5),
 ('00000000-0000-0000-0000-000000000005', 't5', 'research', 'v1', 'alice', 'http', 'running',
  '2025-03-14 09:00:00+00', NULL, 0),
 ('00000000-0000-0000-0000-000000000006', 't6', 'support', 'v1', 'alice', 'http', 'killed',
  '2025-03-14 11:00:00+02', '2025-03-14 12:00:00+02', 0.000001),
 ('00000000-0000-0000-0000-000000000007', 't7', 'support', 'v1', 'bob', 'http', 'running',
  '2025-03-15 00:00:00+00', NULL, 0),
 ('00000000-0000-0000-0000-000000000008', 't8', 'support', 'v1', 'carol', 'http', 'succeeded',
  '2025-03-13 23:50:00+00', '2025-03-14 00:00:00+00', 2)
ON CONFLICT (run_id) DO NOTHING;
INSERT INTO pitwall.spans (trace_id, span_id, run_id, name, kind, started_at, cost_usd) VALUES
 ('t1', 'a', '00000000-0000-0000-0000-000000000001', 'chat', 'llm', 1, 1),
 ('t1', 'b', '00000000-0000-0000-0000-000000000001', 'chat', 'llm', 2, 0.25),
 ('t5', 'a', '00000000-0000-0000-0000-000000000005', 'chat', 'llm', 1, 0.1),
 ('t5', 'b', '00000000-0000-0000-0000-000000000005', 'execute_tool crm', 'tool', 2, 0.02),
 ('t5', 'c', '00000000-0000-0000-0000-000000000005', 'chat', 'llm', 3, 0.003),
 ('t7', 'a', '00000000-0000-0000-0000-000000000007', 'chat', 'llm', 1, 9),
 ('t8', 'a', '00000000-0000-0000-0000-000000000008', 'chat', 'llm', 1, 2)
ON CONFLICT (trace_id, span_id) DO NOTHING;
)sql");
        qint64 seeded = -1;
        const std::string result = attempt(pg(login.constData()), [&](pqxx::work &tx) {
            seeded = tx.exec_params1("SELECT pitwall.spend_seed($1, $2, $3::date)", bytes(scope),
                                     bytes(subject), std::string("2025-03-14"))[0]
                         .as<qint64>();
        });
        QCOMPARE(result, std::string("ok"));
        QCOMPARE(seeded, micros);
    }

    void spendSeedChecksItsInput_data() {
        QTest::addColumn<QByteArray>("login");
        QTest::addColumn<QByteArray>("scope");
        QTest::addColumn<QByteArray>("subject");
        QTest::addColumn<QByteArray>("day");
        QTest::addColumn<QByteArray>("state");
        QTest::addColumn<QByteArray>("text");
        const QByteArray agent(TestStores::kAgent);
        QTest::newRow("unknown scope")
            << agent << QByteArray("team") << QByteArray("x") << QByteArray("2025-03-14")
            << QByteArray("PW004") << QByteArray("the scope must be user, agent or global");
        QTest::newRow("global with a subject")
            << agent << QByteArray("global") << QByteArray("alice") << QByteArray("2025-03-14")
            << QByteArray("PW004") << QByteArray("the global spend has the subject \"*\"");
        QTest::newRow("invisible subject")
            << agent << QByteArray("user") << QByteArray(kZeroWidthSpace)
            << QByteArray("2025-03-14") << QByteArray("PW004")
            << QByteArray("a subject must contain a visible character");
        QTest::newRow("day infinity")
            << agent << QByteArray("user") << QByteArray("alice") << QByteArray("infinity")
            << QByteArray("PW004") << QByteArray("the day must be between");
    }
    void spendSeedChecksItsInput() {
        QFETCH(QByteArray, login);
        QFETCH(QByteArray, scope);
        QFETCH(QByteArray, subject);
        QFETCH(QByteArray, day);
        QFETCH(QByteArray, state);
        QFETCH(QByteArray, text);
        const std::string result = attempt(pg(login.constData()), [&](pqxx::work &tx) {
            tx.exec_params("SELECT pitwall.spend_seed($1, $2, $3::date)", bytes(scope),
                           bytes(subject), bytes(day));
        });
        QVERIFY2(refused(result, bytes(state), bytes(text)), result.c_str());
    }
};

QTEST_GUILESS_MAIN(TestHardening)
#include "test_hardening.moc"

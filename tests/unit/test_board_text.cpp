#include "Alerts.h"
#include "AuditModel.h"
#include "AuditText.h"
#include "BreakerModel.h"
#include "LiveRunsView.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace pitwall;

// The breaker board's order, filter and words; the audit trail's diff and outcome; alerts
// announced once per incident. In-memory data only.
class TestBoardText : public QObject {
    Q_OBJECT

    static BreakerRow row(const std::string &tool, const std::string &state, int calls,
                          int failures) {
        BreakerRow r;
        r.tool = tool;
        r.state = state;
        r.automaticState = state.rfind("forced_", 0) == 0 ? "closed" : state;
        r.threshold = 5;
        r.minutes.back().calls = calls;
        r.minutes.back().failures = failures;
        return r;
    }

private Q_SLOTS:
    void boardIsSortedByTrouble() {
        std::vector<BreakerRow> rows{row("b_closed_hot", "closed", 100, 40),
                                     row("a_closed", "closed", 100, 1),
                                     row("forced", "forced_open", 0, 0),
                                     row("few_calls", "closed", 3, 3),
                                     row("open", "open", 20, 10),
                                     row("half", "half_open", 20, 2)};
        std::sort(rows.begin(), rows.end(), breakerTroubleOrder);
        QStringList order;
        for (const BreakerRow &r : rows)
            order << QString::fromStdString(r.tool);
        QCOMPARE(order.join(QLatin1Char(',')),
                 QStringLiteral("open,half,forced,b_closed_hot,a_closed,few_calls"));
    }

    void rateBelowTheMinimumIsSaidInWords() {
        QCOMPARE(BreakerText::failureRate(row("t", "closed", 3, 3)),
                 QStringLiteral("not enough calls (3 of the minimum 10)"));
        QCOMPARE(BreakerText::failureRate(row("t", "closed", 40, 10)),
                 QStringLiteral("25 % of 40 calls"));
        // Only the window's minutes count: a busy minute 10 minutes ago does not.
        BreakerRow old = row("t", "closed", 0, 0);
        old.minutes[2].calls = 500;
        old.minutes[2].failures = 500;
        QCOMPARE(old.failureRate(), -1.0);
    }

    void overrideSaysWhoWhyAndUntilWhen() {
        BreakerRow r = row("payments", "forced_closed", 0, 0);
        r.forcedBy = "alice";
        r.forcedReason = "vendor fixed it";
        r.forcedUntilMs = 1'000'000'000'000 + 30 * 60'000;
        QCOMPARE(BreakerText::forced(r, 1'000'000'000'000),
                 QStringLiteral("forced by alice until 02:16:40 UTC (in 30 min): vendor fixed it"));
        r.forcedUntilMs = 0;
        QVERIFY(BreakerText::forced(r, 0).contains(QLatin1String("until cleared")));
        BreakerRow open = row("crm", "open", 10, 10);
        open.halfOpenAtMs = 5'000;
        QCOMPARE(BreakerText::halfOpen(open, 1'000), QStringLiteral("in 4 s"));
        QCOMPARE(BreakerText::halfOpen(open, 6'000), QStringLiteral("at the next call"));
        // Forced, it runs no trial call, whatever the automatic state is.
        open.state = "forced_closed";
        QCOMPARE(BreakerText::halfOpen(open, 1'000), QString());
    }

    void filterByNameStateOrError() {
        BreakerTableModel m;
        BreakerBoard b;
        b.rows = {row("crm", "open", 10, 10), row("search", "closed", 10, 0),
                  row("mail", "forced_open", 0, 0)};
        b.rows[1].lastError = "crm timed out upstream";
        m.setBoard(b);
        m.setFilterText(QStringLiteral("crm"));
        QCOMPARE(m.shownCount(), 2); // the name, and an error that names it
        m.setFilterText(QStringLiteral("state:open"));
        QCOMPARE(m.shownCount(), 1);
        QCOMPARE(m.breaker(0)->tool, std::string("crm"));
        m.setFilterText(QStringLiteral("state:forced_open"));
        QCOMPARE(m.shownCount(), 1);
        QCOMPARE(m.breaker(0)->tool, std::string("mail"));
        m.setFilterText(QStringLiteral("state:forced-open")); // the page's own words work too
        QCOMPARE(m.shownCount(), 1);
        m.setFilterText(QString());
        QCOMPARE(m.shownCount(), 3);
        // Runs at a tool come from the console's live runs; unknown until given.
        QCOMPARE(m.breaker(0)->runsAtTool, -1);
        m.setRunsAtTools({{QStringLiteral("crm"), 4}});
        QCOMPARE(m.breaker(m.rowOf("crm"))->runsAtTool, 4);
        QCOMPARE(m.breaker(m.rowOf("search"))->runsAtTool, 0);
    }

    void modelsPassTheModelTester() {
        BreakerTableModel breakers;
        QAbstractItemModelTester t1(&breakers,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        BreakerBoard b;
        b.rows = {row("crm", "open", 10, 10), row("search", "closed", 10, 0)};
        breakers.setBoard(b);
        breakers.setFilterText(QStringLiteral("crm"));
        breakers.setRunsAtTools({{QStringLiteral("crm"), 2}});
        QCOMPARE(breakers.index(0, BreakerTableModel::RunsAtTool).data().toInt(), 2);
        QVERIFY(breakers.index(0, BreakerTableModel::Activity)
                    .data(BreakerTableModel::SparkRole)
                    .toList()
                    .size() == kBreakerSparkMinutes);

        AuditTableModel audit;
        QAbstractItemModelTester t2(&audit, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AuditPage page;
        AuditEntry e;
        e.actionId = "a1";
        e.kind = "set_cap";
        e.reason = "line one\nline two";
        page.entries = {e};
        page.next = AuditCursor{1, "a1"};
        audit.setPage(page, false, 0);
        QVERIFY(audit.hasMore());
        e.actionId = "a0";
        page.entries = {e};
        page.next.reset();
        audit.setPage(page, true, 0);
        QCOMPARE(audit.rowCount(), 2);
        QVERIFY(!audit.hasMore());
        QCOMPARE(audit.index(0, AuditTableModel::Reason).data().toString(),
                 QStringLiteral("line one line two")); // one line in the table
        QCOMPARE(audit.rowOf("a0"), 1);
    }

    void liveRunsFilterKeepsToolNamesWhole() {
        const LiveRunsFilter f = LiveRunsFilter::parse(
            QStringLiteral("tool:payments_api status:step_limit tool:\"web search\" crm"));
        QCOMPARE(int(f.terms.size()), 4);
        QCOMPARE(f.terms[0].text, QStringLiteral("payments_api")); // a name keeps its underscore
        QCOMPARE(f.terms[1].text, QStringLiteral("step limit"));   // a status is as shown
        QCOMPARE(f.terms[2].text, QStringLiteral("web search"));   // quotes keep a space
        QVERIFY(f.terms[2].field == LiveRunsFilter::Field::Tool);
        QCOMPARE(f.terms[3].text, QStringLiteral("crm"));
        QVERIFY(f.error.isEmpty());
    }

    void diffListsEveryFieldAndMarksTheChanged() {
        const auto d = auditDiff(R"({"daily_usd":5,"revision":1,"per_request_usd":null})",
                                 R"({"daily_usd":2,"revision":2,"expires_at":"2026-12-01"})");
        QCOMPARE(int(d.size()), 4);
        QCOMPARE(d[0].field, QStringLiteral("daily_usd"));
        QCOMPARE(d[0].before + QStringLiteral("->") + d[0].after, QStringLiteral("5->2"));
        QVERIFY(d[0].changed);
        QCOMPARE(d[3].field, QStringLiteral("expires_at"));
        QCOMPARE(d[3].before, QString()); // absent before
        QCOMPARE(d[3].after, QStringLiteral("2026-12-01"));
        const auto same = auditDiff(R"({"a":[1,2]})", R"({"a":[1,2]})");
        QVERIFY(!same[0].changed);
        QCOMPARE(same[0].before, QStringLiteral("[1,2]"));
        // Not JSON (a row written by hand): no crash, shown as it can be.
        QVERIFY(auditDiff("{broken", "null").empty());
        QCOMPARE(auditDiff("null", "3")[0].after, QStringLiteral("3"));
    }

    void killOutcomeSaysWhetherItLanded() {
        AuditEntry e;
        e.kind = "kill_run";
        e.requestedUs = 1'000'000'000'000'000;
        e.mirroredUs = e.requestedUs + 12'000;
        e.killedRunStatus = "killed";
        e.killLandedMs = 240;
        const int64_t now = e.requestedUs / 1000 + 60'000;
        QCOMPARE(AuditText::outcomeShort(e, now), QStringLiteral("landed in 240 ms"));
        QVERIFY(AuditText::outcome(e, now).contains(QLatin1String("(12 ms after")));
        e.killedRunStatus = "running";
        e.killLandedMs = -1;
        QCOMPARE(AuditText::outcomeShort(e, now), QStringLiteral("not honoured"));
        QCOMPARE(AuditText::outcomeShort(e, e.requestedUs / 1000 + 1000),
                 QStringLiteral("applied"));
        e.mirroredUs = -1;
        e.kind = "set_cap";
        QCOMPARE(AuditText::outcomeShort(e, now), QStringLiteral("pending"));
        e.evidenceJson = R"({"burn_per_hour":1.5,"state":"open"})";
        QCOMPARE(AuditText::evidence(e.evidenceJson),
                 QStringLiteral("burn_per_hour: 1.5\nstate: open"));
        QCOMPARE(AuditText::evidence("null"), QString());
    }

    void alertsOncePerIncident() {
        AlertTracker t;
        const Incident crm{QStringLiteral("breaker"), QStringLiteral("crm"), QStringLiteral("crm")};
        const Incident mail{QStringLiteral("breaker"), QStringLiteral("mail"), QStringLiteral("m")};
        QCOMPARE(t.update(QStringLiteral("breaker"), {crm}).size(), 1);
        QCOMPARE(t.update(QStringLiteral("breaker"), {crm}).size(), 0); // still open: once
        const auto more = t.update(QStringLiteral("breaker"), {crm, mail});
        QCOMPARE(more.size(), 1);
        QCOMPARE(more[0].key, QStringLiteral("mail"));
        QCOMPARE(t.update(QStringLiteral("breaker"), {}).size(), 0);    // both closed
        QCOMPARE(t.update(QStringLiteral("breaker"), {crm}).size(), 1); // opened again: new
        // Kinds are apart: the same key of another kind is its own incident.
        QCOMPARE(t.update(QStringLiteral("canary"),
                          {{QStringLiteral("canary"), QStringLiteral("crm"), QString()}})
                     .size(),
                 1);
    }
};

QTEST_GUILESS_MAIN(TestBoardText)
#include "test_board_text.moc"

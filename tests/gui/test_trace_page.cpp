#include "ConsoleSession.h"
#include "MainWindow.h"
#include "PgConnect.h"
#include "TestStores.h"
#include "TimelineView.h"
#include "TracePage.h"
#include "TraceTreeModel.h"

#include <QClipboard>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTreeView>

#include <pqxx/pqxx>

using namespace pitwall;
using test::TestStores;

// The console's traces page on a trace of a known shape in real PostgreSQL: open it, step to
// the next error with the keyboard, and see that span's details, shown as text.
class TestTracePage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stepToTheNextErrorAndSeeItsDetails() {
        TestStores stores;
        {
            auto c = connectPostgres(stores.pg());
            pqxx::work tx(*c);
            // root > step 1 (llm, tool) ; step 2 (llm, tool FAILED, with a payload that would be
            // markup if it were interpreted) ; step 3 (llm).
            tx.exec(R"sql(
INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, entry_point, status,
                          started_at, ended_at, steps, cost_usd)
VALUES ('6f1c3e2a-0000-4000-8000-000000000001', 'known', 'support-bot', 'v41', 'alice', 'http',
        'failed', now() - interval '1 minute', now(), 3, 0.05);
INSERT INTO pitwall.spans (trace_id, span_id, parent_span_id, name, kind, started_at, ended_at,
                           status, model, tool, input, output, attributes)
VALUES
 ('known', '0000000000000001', NULL, 'invoke_agent support-bot', 'agent', 1000, 90000, 'error',
  NULL, NULL, NULL, NULL, '{}'),
 ('known', '0000000000000002', '0000000000000001', 'step 1', 'agent', 1000, 30000, 'ok',
  NULL, NULL, NULL, NULL, '{}'),
 ('known', '0000000000000003', '0000000000000002', 'chat gpt-4o-mini', 'llm', 1100, 20000, 'ok',
  'gpt-4o-mini', NULL, '{"messages":[]}', '{"role":"assistant"}', '{}'),
 ('known', '0000000000000004', '0000000000000002', 'execute_tool crm_lookup', 'tool', 20100,
  29000, 'ok', NULL, 'crm_lookup', '{"customer":"C-1"}', '{"ok":true}', '{}'),
 ('known', '0000000000000005', '0000000000000001', 'step 2', 'agent', 30000, 60000, 'ok',
  NULL, NULL, NULL, NULL, '{}'),
 ('known', '0000000000000006', '0000000000000005', 'chat gpt-4o-mini', 'llm', 30100, 45000,
  'ok', 'gpt-4o-mini', NULL, NULL, NULL, '{}'),
 ('known', '0000000000000007', '0000000000000005', 'execute_tool payments_api', 'tool', 45100,
  59000, 'error', NULL, 'payments_api', E'<b>refund</b> 42\x07',
  NULL, '{"error.type": "timeout", "gen_ai.tool.name": "payments_api",
          "otel.status_description": "no answer in 30 s <i>retry</i>"}'),
 ('known', '0000000000000008', '0000000000000001', 'step 3', 'agent', 60000, 90000, 'ok',
  NULL, NULL, NULL, NULL, '{}'),
 ('known', '0000000000000009', '0000000000000008', 'chat gpt-4o-mini', 'llm', 60100, 89000,
  'ok', 'gpt-4o-mini', NULL, NULL, NULL, '{}');
)sql");
            tx.commit();
        }
        MainWindow window;
        ConsoleSession session(&window);
        ConnectionSettings s;
        s.postgres = QString::fromStdString(stores.pg(TestStores::kViewer));
        s.redis = QString::fromStdString(stores.redisUrl());
        s.keyPrefix = QString::fromStdString(stores.prefix());
        window.resize(1400, 900);
        window.show();
        TracePage *page = session.tracePage();

        // The page shown before a connection is chosen (a sandbox still starting) lists the
        // runs once connected, instead of failing against libpq's default server.
        QSignalSpy asked(page, &TracePage::runsWanted);
        window.showPage(2);
        QTRY_VERIFY(asked.count() >= 1);
        QCoreApplication::processEvents(); // an answer, had one been asked for, would be here
        QVERIFY2(!page->summary()->text().contains(QStringLiteral("Could not")),
                 qPrintable(page->summary()->text()));
        session.connectTo(s);

        // The finder lists the run; Enter on it opens the trace.
        QTRY_COMPARE_WITH_TIMEOUT(page->runs()->model()->rowCount(), 1, 10000);
        page->runs()->setFocus();
        page->runs()->setCurrentIndex(page->runs()->model()->index(0, 0));
        QTest::keyClick(page->runs(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(page->tree()->model()->rowCount(), 1, 10000);
        QVERIFY2(page->summary()->text().contains(QStringLiteral("9 spans")),
                 qPrintable(page->summary()->text()));
        QCOMPARE(page->selectedSpan(), 0u); // the root, first in time

        // E: the next failed span after the root is the payments call.
        QTest::keyClick(page->timeline(), Qt::Key_E);
        QTRY_VERIFY2(page->spanHeader()->text().startsWith(
                         QStringLiteral("execute_tool payments_api · tool · FAILED")),
                     qPrintable(page->spanHeader()->text()));
        const QModelIndex current = page->tree()->currentIndex();
        QCOMPARE(current.data().toString(), QStringLiteral("execute_tool payments_api"));
        // Its input, as text: the markup is shown, the bell is made visible.
        QTRY_COMPARE_WITH_TIMEOUT(page->inputView()->toPlainText(),
                                  QStringLiteral("<b>refund</b> 42\u2407"), 5000);
        QCOMPARE(page->outputView()->toPlainText(), QStringLiteral("(none)"));
        // Why it failed, from its attributes, as text.
        QTRY_VERIFY2(page->spanHeader()->text().endsWith(
                         QStringLiteral(" · why: no answer in 30 s <i>retry</i>")),
                     qPrintable(page->spanHeader()->text()));
        // Its attributes, sorted; Ctrl+C copies the selected row as key and value.
        QTableWidget *attributes = page->attributesView();
        QCOMPARE(attributes->rowCount(), 3);
        QCOMPARE(attributes->item(2, 0)->text(), QStringLiteral("otel.status_description"));
        attributes->selectRow(2);
        QTest::keySequence(attributes, QKeySequence::Copy);
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("otel.status_description\tno answer in 30 s <i>retry</i>"));

        // N steps on in time; P back.
        QTest::keyClick(page->timeline(), Qt::Key_N);
        QTRY_VERIFY(page->spanHeader()->text().startsWith(QStringLiteral("step 3")));
        QTest::keyClick(page->timeline(), Qt::Key_P);
        QTRY_VERIFY(
            page->spanHeader()->text().startsWith(QStringLiteral("execute_tool payments_api")));

        // Opened at a given span (pitwall --trace ID --span ID): F5 reloads the trace and
        // selects the CRM lookup, the fourth span in time.
        page->selectWhenShown(QStringLiteral("0000000000000004"));
        QTest::keyClick(page, Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(page->selectedSpan(), 3u, 10000);
        QTRY_VERIFY(
            page->spanHeader()->text().startsWith(QStringLiteral("execute_tool crm_lookup")));
        session.shutdown();
    }
};

QTEST_MAIN(TestTracePage)
#include "test_trace_page.moc"

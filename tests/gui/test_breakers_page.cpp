#include "AuditModel.h"
#include "AuditTrailPage.h"
#include "BreakerModel.h"
#include "BreakersPage.h"
#include "ConsoleWithFleet.h"
#include "FleetProfile.h"
#include "LiveRunsModel.h"
#include "LiveRunsPage.h"
#include "OverviewPage.h"

#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

using namespace pitwall;
using test::TestStores;

// The failing tool: the first tool of the fleet's first agent, which every one of its runs calls.
const std::string kTool = defaultAgents(1).at(0).tools.at(0);
const QString kToolName = QString::fromStdString(kTool);

// The console against real servers with a fleet whose first tool always fails: the home page
// shows the breaker the fleet opened, a click opens the breakers page on it, an operator forces
// it closed with a reason (keyboard only), the board and the history show who and until when,
// and the audit page shows the action with its before and after, its outcome and what the page
// showed; a viewer sees why they may not.
class TestBreakersPage : public QObject {
    Q_OBJECT

    struct Setup : test::ConsoleWithFleet {
        explicit Setup(const char *login) {
            FleetOptions o = test::quietFleet(stores);
            o.agents = 2;
            o.users = 5;
            o.rate = 10;
            o.latencyScale = 0.05;
            o.seed = 5;
            o.guard.breakerCooloff = std::chrono::minutes(10); // open stays open: no trial
            o.toolProfiles = defaultTools();
            for (ToolProfile &t : o.toolProfiles)
                if (t.name == kTool) {
                    t.failureRate = 1.0;
                    t.clientErrorRate = 0;
                }
            startFleet(o);
            connectAs(login, 0);
        }
        BreakersPage *page() { return session.breakersPage(); }
        const BreakerRow *row(const std::string &tool) {
            return page()->model()->breaker(page()->model()->rowOf(tool));
        }
    };

private Q_SLOTS:
    void homeToBreakerToAudit() {
        Setup setup(TestStores::kOperator);
        BreakersPage *page = setup.page();
        // The home page shows the breaker the fleet opened, as a button.
        OverviewPage *home = setup.window.overview();
        QPushButton *onHome = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (QPushButton *b : home->breakerButtons())
                    if (b->property("key").toString() == kToolName && b->isVisible())
                        onHome = b;
                return onHome != nullptr;
            }(),
            60000);
        QVERIFY2(onHome->text().contains(QLatin1String("open")), qPrintable(onHome->text()));
        // And the status bar said so, once.
        QTRY_VERIFY_WITH_TIMEOUT(setup.window.alertLabel()->toolTip().contains(
                                     QStringLiteral("Breaker of %1 opened").arg(kToolName)),
                                 10000);
        // A click opens the breakers page on it.
        QTest::mouseClick(onHome, Qt::LeftButton);
        QCOMPARE(setup.window.findChild<QTabWidget *>()->currentWidget(), page);
        QCOMPARE(page->selectedTool(), kToolName);
        QTRY_VERIFY_WITH_TIMEOUT(setup.row(kTool)->state == "open", 20000);
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->breaker(0)->tool, kTool, 10000);
        QVERIFY2(page->details()->text().contains(QString(kToolName + QLatin1String(" is open"))),
                 qPrintable(page->details()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(page->history()->topLevelItemCount() > 0, 10000);

        // Keyboard only: Alt+C opens the dialog, the reason is typed, Enter forces it.
        QTRY_VERIFY_WITH_TIMEOUT(page->forceClosedButton()->isEnabled(), 10000);
        page->table()->setFocus();
        QTest::keyClick(&setup.window, Qt::Key_C, Qt::AltModifier);
        QTRY_VERIFY_WITH_TIMEOUT(page->overrideDialog() != nullptr, 5000);
        QDialog *dialog = page->overrideDialog();
        auto *reason = dialog->findChild<QLineEdit *>(QStringLiteral("reason"));
        auto *duration = dialog->findChild<QComboBox *>(QStringLiteral("duration"));
        QVERIFY(reason && duration);
        QCOMPARE(duration->currentText(), QStringLiteral("1 hour"));
        // A breaker that moved between the dialog and the click would be refused; this one
        // stays open (every call fails, no trial call within the ten-minute cool-off).
        QTest::keyClicks(reason, QStringLiteral("the vendor says the errors are spurious"));
        QTest::keyClick(reason, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(page->status()->text().contains(QLatin1String("forced closed")),
                                 10000);

        // The board: forced closed, by whom, why and until when; the history names the operator.
        QTRY_VERIFY_WITH_TIMEOUT(setup.row(kTool)->state == "forced_closed", 10000);
        const BreakerRow *r = setup.row(kTool);
        QCOMPARE(r->forcedBy, std::string(TestStores::kOperator));
        QCOMPARE(r->forcedReason, std::string("the vendor says the errors are spurious"));
        QVERIFY(r->forcedUntilMs > QDateTime::currentMSecsSinceEpoch() + 50 * 60'000);
        QVERIFY2(page->details()->text().contains(QLatin1String("forced by pw_test_operator")),
                 qPrintable(page->details()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(page->history()->topLevelItemCount() > 0 &&
                                     page->history()->topLevelItem(0)->text(2) ==
                                         QLatin1String("pw_test_operator"),
                                 15000);

        // Audited with what the page showed: the open state and its failure rate.
        QCOMPARE(setup.sql("SELECT evidence->>'state' FROM pitwall.actions"
                           " WHERE kind = 'override_breaker'"),
                 std::string("open"));
        QVERIFY(!setup
                     .sql("SELECT evidence->>'calls' FROM pitwall.actions"
                          " WHERE kind = 'override_breaker'")
                     .empty());

        // The live runs at the tool: the button filters the live runs page.
        QTest::mouseClick(page->runsButton(), Qt::LeftButton);
        QCOMPARE(setup.session.liveRunsPage()->filter()->text(),
                 QStringLiteral("tool:%1 status:running").arg(kToolName));
        QTRY_VERIFY_WITH_TIMEOUT(setup.session.liveRuns()->filterError().isEmpty(), 5000);

        // The audit page, filtered to breaker overrides, shows the action with its before and
        // after, its outcome and what the page showed.
        AuditTrailPage *audit = setup.session.auditPage();
        setup.window.showPage(6);
        QCOMPARE(setup.window.findChild<QTabWidget *>()->currentWidget(), audit);
        audit->kindBox()->setCurrentIndex(
            audit->kindBox()->findData(QStringLiteral("override_breaker")));
        QTRY_VERIFY_WITH_TIMEOUT(
            audit->model()->rowCount() == 1 && audit->model()->entry(0)->target == kTool, 10000);
        audit->table()->selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(audit->diff()->rowCount() > 0, 5000);
        QString diff;
        for (int r = 0; r < audit->diff()->rowCount(); ++r)
            diff += audit->diff()->item(r, 0)->text() + QLatin1Char('=') +
                    audit->diff()->item(r, 1)->text() + QStringLiteral("->") +
                    audit->diff()->item(r, 2)->text() + QLatin1Char(';');
        QVERIFY2(diff.contains(QLatin1String("forced=(none)->closed")), qPrintable(diff));
        QVERIFY2(diff.contains(QLatin1String("state=open->(none)")), qPrintable(diff));
        QVERIFY2(audit->header()->text().contains(QLatin1String("the vendor says")),
                 qPrintable(audit->header()->text()));
        QVERIFY2(audit->outcome()->text().contains(QLatin1String("Applied to Redis")),
                 qPrintable(audit->outcome()->text()));
        QVERIFY2(audit->evidence()->text().contains(QLatin1String("state: open")),
                 qPrintable(audit->evidence()->text()));
    }

    void viewerSeesWhyNot() {
        Setup setup(TestStores::kViewer);
        BreakersPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(setup.row(kTool) != nullptr, 60000);
        QVERIFY(page->selectTool(kToolName));
        QTRY_VERIFY_WITH_TIMEOUT(
            page->forceOpenButton()->toolTip().contains(QLatin1String("pitwall_operator")), 10000);
        QVERIFY(!page->forceOpenButton()->isEnabled());
        QVERIFY(!page->forceClosedButton()->isEnabled());
    }
};

QTEST_MAIN(TestBreakersPage)
#include "test_breakers_page.moc"

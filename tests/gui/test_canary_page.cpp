#include "ActionsService.h"
#include "CanaryActionDialog.h"
#include "CanaryModel.h"
#include "CanaryPage.h"
#include "ConsoleSession.h"
#include "ConsoleWithFleet.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "PgConnect.h"
#include "TestStores.h"
#include "TracePage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <pqxx/pqxx>

#include <functional>
#include <thread>

using namespace pitwall;
using test::TestStores;

// The console itself against real servers, with a simulated fleet whose support-bot canary
// takes half the traffic: what an operator sees and does on the canary page.
class TestCanaryPage : public QObject {
    Q_OBJECT

    struct Setup : test::ConsoleWithFleet {
        explicit Setup(const char *login) {
            FleetOptions o = test::quietFleet(stores);
            o.agents = 2; // support-bot (its canary fails more) and research-agent
            o.rate = 12;
            o.latencyScale = 0.05;
            o.seed = 7;
            o.lingerRate = 0.15; // runs in flight that only a kill ends
            startFleet(o);
            ActionsService op(stores.pg(TestStores::kOperator), stores.redis(), stores.prefix());
            op.setCanaryWeight("support-bot", 50, {}, "test: half the traffic");
            connectAs(login, 3);
        }
        CanaryPage *page() { return session.canaryPage(); }
        QAbstractItemModel *agents() { return page()->agentsView()->model(); }
        QString cell(const char *agent, int column) {
            for (int r = 0; r < agents()->rowCount(); ++r)
                if (agents()->index(r, 0).data().toString() == QLatin1String(agent))
                    return agents()->index(r, column).data().toString();
            return {};
        }
    };

    // Fills in the action dialog once it is open, as a user would.
    static void answerDialog(const QString &reason, std::function<void(CanaryActionDialog *)> more,
                             bool confirm = true) {
        auto *poll = new QTimer;
        QObject::connect(poll, &QTimer::timeout, [poll, reason, more, confirm] {
            auto *dialog = qobject_cast<CanaryActionDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            poll->stop();
            poll->deleteLater();
            // A failed check closes the dialog, so that the test fails instead of hanging.
            auto check = [dialog](bool ok, const char *what) {
                if (!ok) {
                    QTest::qFail(what, __FILE__, __LINE__);
                    dialog->reject();
                }
                return ok;
            };
            if (!check(!dialog->confirmButton()->isEnabled(), "confirmable without a reason"))
                return;
            QTest::keyClicks(dialog->reasonEdit(), reason);
            if (more)
                more(dialog);
            if (!check(dialog->confirmButton()->isEnabled(), "not confirmable with a reason"))
                return;
            if (confirm)
                QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
            if (dialog->isVisible())
                check(false, "the dialog stayed open");
        });
        poll->start(20);
    }

private Q_SLOTS:
    void rollBackKillingTheCanaryRunsInFlight() {
        Setup setup(TestStores::kOperator);
        CanaryPage *page = setup.page();
        // The verdicts: both agents listed with one, the metrics of the selected one shown.
        QTRY_VERIFY_WITH_TIMEOUT(setup.agents()->rowCount() == 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            setup.cell("support-bot", CanaryAgentsModel::Verdict) == QLatin1String("Hold") ||
                setup.cell("support-bot", CanaryAgentsModel::Verdict) == QLatin1String("Roll back"),
            20000);
        QCOMPARE(setup.cell("support-bot", CanaryAgentsModel::Canary),
                 QStringLiteral("v42 at 50 %"));
        page->selectAgent(QStringLiteral("support-bot"));
        QTRY_COMPARE_WITH_TIMEOUT(page->metricsView()->model()->rowCount(), 8, 10000);
        QVERIFY(!page->verdictLabel()->text().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(page->rollbackButton()->isEnabled(), 20000);
        // Lingering runs on the canary, which only a kill ends.
        QTRY_VERIFY_WITH_TIMEOUT(
            setup.cell("support-bot", CanaryAgentsModel::InFlight).toInt() >= 2, 30000);

        // Example runs of each arm; Enter on one opens its trace.
        page->tabs()->setCurrentIndex(1);
        QTRY_VERIFY_WITH_TIMEOUT(page->examplesView()->model()->rowCount() > 0, 20000);
        page->examplesView()->setFocus();
        page->examplesView()->setCurrentIndex(page->examplesView()->model()->index(0, 0));
        QTest::keyClick(page->examplesView(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(setup.session.tracePage()->isVisible(), 10000);
        setup.window.showPage(3);
        QTRY_VERIFY(page->isVisible());

        // Someone else changes the rollout while the operator's dialog is open: refused, with
        // the current state.
        answerDialog(QStringLiteral("more traffic"), [&setup](CanaryActionDialog *) {
            ActionsService other(setup.stores.pg(TestStores::kOperator), setup.stores.redis(),
                                 setup.stores.prefix());
            other.setCanaryWeight("support-bot", 40, {}, "someone else, first");
        });
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("weightPreset25")),
                          Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(page->statusLabel()->text().contains(QLatin1String("stale")),
                                  qPrintable(page->statusLabel()->text()), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(setup.cell("support-bot", CanaryAgentsModel::Canary),
                                  QStringLiteral("v42 at 40 %"), 10000);

        // Roll back, killing the canary's runs in flight.
        QTRY_VERIFY_WITH_TIMEOUT(page->rollbackButton()->isEnabled(), 10000);
        answerDialog(QStringLiteral("v42 fails more than v41"), [](CanaryActionDialog *d) {
            QVERIFY(d->killChoice()); // the runs in flight are listed and a choice asked
            QVERIFY(d->finishChoice()->isChecked());
            // On the radio button's circle, as a user clicks it.
            QTest::mouseClick(d->killChoice(), Qt::LeftButton, {},
                              QPoint(8, d->killChoice()->height() / 2));
            QVERIFY(d->killInFlight());
        });
        QTest::mouseClick(page->rollbackButton(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(
            page->statusLabel()->text().contains(QLatin1String("rolled back")),
            qPrintable(page->statusLabel()->text()), 15000);

        // The rollout changed, in the database and on the page.
        QCOMPARE(setup.sql("SELECT coalesce(canary_version, 'none') FROM pitwall.rollouts"
                           " WHERE agent = 'support-bot'"),
                 std::string("none"));
        QTRY_COMPARE_WITH_TIMEOUT(setup.cell("support-bot", CanaryAgentsModel::Verdict),
                                  QStringLiteral("no canary"), 10000);
        // One audited action, by the operator, with the reason and the runs it killed.
        QCOMPARE(setup.sql("SELECT actor || '|' || reason || '|' || (params->>'in_flight')"
                           " FROM pitwall.actions WHERE kind = 'rollback'"),
                 std::string(TestStores::kOperator) + "|v42 fails more than v41|kill");
        const int listed = std::stoi(
            setup.sql("SELECT jsonb_array_length(params->'kill_runs') FROM pitwall.actions"
                      " WHERE kind = 'rollback'"));
        QVERIFY(listed >= 2);
        // With the verdict the page showed when the operator rolled back.
        QVERIFY(!setup
                     .sql("SELECT evidence->>'decision' FROM pitwall.actions"
                          " WHERE kind = 'rollback'")
                     .empty());
        QVERIFY(!setup
                     .sql("SELECT evidence->'metrics'->'success_rate'->>'classification'"
                          " FROM pitwall.actions WHERE kind = 'rollback'")
                     .empty());
        // Every canary run that was in flight has ended; the lingering ones as killed by the
        // rollback, which the guard recorded as their kill.
        const std::string inFlightLeft =
            "SELECT count(*) FROM pitwall.runs r, pitwall.actions a WHERE a.kind = 'rollback'"
            " AND a.params->'kill_runs' ? r.run_id::text AND r.status = 'running'";
        QTRY_VERIFY_WITH_TIMEOUT(setup.sql(inFlightLeft) == "0", 15000);
        const int killed = std::stoi(setup.sql(
            "SELECT count(*) FROM pitwall.runs r, pitwall.actions a WHERE a.kind = 'rollback'"
            " AND a.params->'kill_runs' ? r.run_id::text AND r.status = 'killed'"
            " AND r.kill_action_id = a.action_id"));
        QVERIFY2(killed >= 1, qPrintable(QString::number(killed)));
        // No new run starts on the canary.
        QCOMPARE(setup.sql("SELECT count(*) FROM pitwall.runs r, pitwall.actions a"
                           " WHERE a.kind = 'rollback' AND r.version = 'v42'"
                           " AND r.started_at > a.requested_at + interval '1 second'"),
                 std::string("0"));
        // The history shows the rollback with what was decided about the runs in flight.
        page->selectAgent(QStringLiteral("support-bot"));
        QTRY_VERIFY_WITH_TIMEOUT(page->historyView()->model()->rowCount() >= 3, 10000);
        QVERIFY(page->historyView()->model()->index(0, 1).data().toString().contains(
            QLatin1String("killed")));
        QVERIFY(!page->rollbackButton()->isEnabled()); // nothing left to roll back
    }

    // The same job with the keyboard only, letting the canary's runs in flight finish:
    // Alt+N (the page), Alt+A (the agents), Down (support-bot), Alt+R (roll back), the reason,
    // Enter.
    void rollBackWithTheKeyboardLettingRunsFinish() {
        Setup setup(TestStores::kOperator);
        setup.window.showPage(0);
        CanaryPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(setup.agents()->rowCount() == 2, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            setup.cell("support-bot", CanaryAgentsModel::InFlight).toInt() >= 1, 30000);
        setup.window.activateWindow(); // keys reach the active window
        QVERIFY(QTest::qWaitForWindowActive(&setup.window));
        QTest::keyClick(&setup.window, Qt::Key_N, Qt::AltModifier);
        QTRY_VERIFY(page->isVisible());
        QTest::keyClick(&setup.window, Qt::Key_A, Qt::AltModifier);
        QTRY_VERIFY(page->agentsView()->hasFocus());
        QTest::keyClick(page->agentsView(), Qt::Key_Home);
        QTest::keyClick(page->agentsView(), Qt::Key_Down); // research-agent, then support-bot
        QCOMPARE(page->currentAgent(), QStringLiteral("support-bot"));
        QTRY_VERIFY_WITH_TIMEOUT(page->rollbackButton()->isEnabled(), 10000);
        // Keys go where the focus is: type only once the dialog's reason field has it (the
        // window system activates the dialog after it is shown). A dialog that never gets it
        // is closed, so that the test fails instead of hanging.
        bool typed = false;
        QElapsedTimer shown;
        auto *poll = new QTimer;
        QObject::connect(poll, &QTimer::timeout, [poll, &typed, &shown] {
            auto *dialog = qobject_cast<CanaryActionDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            if (!shown.isValid())
                shown.start();
            if (QApplication::focusWidget() != dialog->reasonEdit()) {
                if (shown.elapsed() > 10000) {
                    poll->deleteLater();
                    dialog->reject();
                }
                return;
            }
            poll->stop();
            poll->deleteLater();
            QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("keyboard rollback"));
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
            typed = true;
        });
        poll->start(20);
        QTest::keyClick(page, Qt::Key_R, Qt::AltModifier);
        QTRY_VERIFY2_WITH_TIMEOUT(typed, "the rollback dialog's reason field never had the focus",
                                  15000);
        QTRY_VERIFY2_WITH_TIMEOUT(page->statusLabel()->text().contains(QLatin1String("finish")),
                                  qPrintable(page->statusLabel()->text()), 15000);
        QCOMPARE(setup.sql("SELECT (params->>'in_flight') || '|' || (params->>'kill_count')"
                           " FROM pitwall.actions WHERE kind = 'rollback'"),
                 std::string("finish|0"));
        // The canary's lingering runs go on: nothing asked them to stop.
        QVERIFY(std::stoi(setup.sql("SELECT count(*) FROM pitwall.runs WHERE version = 'v42'"
                                    " AND status = 'running'")) >= 1);
    }

    // A viewer sees everything and may change nothing, and is told why.
    void aViewerMayNotChangeTheRollout() {
        Setup setup(TestStores::kViewer);
        CanaryPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(setup.agents()->rowCount() == 2, 20000);
        page->selectAgent(QStringLiteral("support-bot"));
        QTRY_VERIFY_WITH_TIMEOUT(
            page->rollbackButton()->toolTip().contains(QLatin1String("pitwall_operator")), 20000);
        QVERIFY(!page->rollbackButton()->isEnabled());
        QVERIFY(!page->promoteButton()->isEnabled());
        QVERIFY(!page->setWeightButton()->isEnabled());
    }
};

QTEST_MAIN(TestCanaryPage)
#include "test_canary_page.moc"

#include "ActionsService.h"
#include "CapEditorDialog.h"
#include "ConsoleSession.h"
#include "ConsoleWithFleet.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "PgConnect.h"
#include "SpendModel.h"
#include "SpendPage.h"
#include "TestStores.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <pqxx/pqxx>

#include <thread>

using namespace pitwall;
using test::TestStores;

// The console itself against real servers with a fleet running: what a budget owner sees and
// does on the spend page, and what a viewer may not do.
class TestSpendPage : public QObject {
    Q_OBJECT

    struct Setup : test::ConsoleWithFleet {
        explicit Setup(const char *login) {
            FleetOptions o = test::quietFleet(stores);
            o.agents = 2;
            o.users = 5; // user-0001 spends the most
            o.rate = 10;
            o.latencyScale = 0.05;
            o.seed = 11;
            startFleet(o);
            connectAs(login, 4);
        }
        SpendPage *page() { return session.spendPage(); }
        int userRow(const char *user) { return page()->usersModel()->rowOf("user", user); }
    };

private Q_SLOTS:
    void budgetOwnerLowersAUsersCap() {
        Setup setup(TestStores::kBudgetOwner);
        SpendPage *page = setup.page();
        // The user has spent today and is not refused yet.
        QTRY_VERIFY_WITH_TIMEOUT(setup.userRow("user-0001") >= 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            setup.page()->usersModel()->figures(setup.userRow("user-0001"))->settledMicros > 20'000,
            30000);
        QCOMPARE(setup.sql("SELECT count(*) FROM pitwall.runs WHERE user_id = 'user-0001'"
                           " AND status = 'capped'"),
                 std::string("0"));

        // Mouse: the user's row, then Edit cap.
        const int row = setup.userRow("user-0001");
        QTableView *users = page->users();
        const QRect cell = users->visualRect(users->model()->index(row, 0));
        QTest::mouseClick(users->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_VERIFY_WITH_TIMEOUT(page->editCapButton()->isEnabled(), 10000);
        QVERIFY(page->summary()->text().contains(QLatin1String("user user-0001")));
        QTest::mouseClick(page->editCapButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(page->capEditor() != nullptr, 5000);
        CapEditorDialog *editor = page->capEditor();
        QCOMPARE(editor->scope().subject, std::string("user-0001"));
        QVERIFY(!editor->confirmButton()->isEnabled()); // no reason yet

        // A cent a day: below what the user has spent, so the preview says they would be
        // refused, and how much headroom goes.
        editor->dailyEdit()->setValue(0.01);
        const QString preview = editor->preview()->text();
        QVERIFY2(preview.contains(QLatin1String("Would be refused:</b> user-0001")),
                 qPrintable(preview));
        QVERIFY2(preview.contains(QLatin1String("Headroom")) ||
                     preview.contains(QLatin1String("uncapped")),
                 qPrintable(preview));
        QVERIFY2(preview.contains(QLatin1String("Projected end of day")), qPrintable(preview));
        QTest::keyClicks(editor->reasonEdit(), QStringLiteral("test: runaway spender"));
        QVERIFY(editor->confirmButton()->isEnabled());
        const std::string before = setup.sql("SELECT now()::text");
        QTest::mouseClick(editor->confirmButton(), Qt::LeftButton);

        // The page shows the new cap at once, and the user's next runs are refused as capped.
        QTRY_VERIFY_WITH_TIMEOUT(page->status()->text().contains(QLatin1String("daily cap set")),
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            setup.userRow("user-0001") >= 0 &&
                page->usersModel()->figures(setup.userRow("user-0001"))->dailyCapMicros == 10'000,
            5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            setup.sql("SELECT count(*) FROM pitwall.runs WHERE user_id = 'user-0001'"
                      " AND status = 'capped' AND started_at > '" +
                      before + "'") != "0",
            30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            setup.userRow("user-0001") >= 0 &&
                page->usersModel()->figures(setup.userRow("user-0001"))->refusedDaily > 0,
            20000);
        QCOMPARE(setup.sql("SELECT actor || ' ' || reason FROM pitwall.actions"
                           " WHERE kind = 'set_cap' AND target = 'user:user-0001'"),
                 std::string(TestStores::kBudgetOwner) + " test: runaway spender");
        // With what the page showed of the user: what they had used, at what pace.
        QVERIFY(std::stod(setup.sql("SELECT evidence->>'used_usd' FROM pitwall.actions"
                                    " WHERE kind = 'set_cap' AND target = 'user:user-0001'")) >
                0.02);
        QVERIFY(!setup
                     .sql("SELECT evidence->>'burn_15m_usd_per_hour' FROM pitwall.actions"
                          " WHERE kind = 'set_cap' AND target = 'user:user-0001'")
                     .empty());
    }

    void aViewerSeesTheEditorDisabledWithTheReason() {
        Setup setup(TestStores::kViewer);
        SpendPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(page->scopesModel()->rowCount() >= 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            page->editCapButton()->toolTip().contains(QLatin1String("pitwall_budget_owner")),
            20000);
        QVERIFY(!page->editCapButton()->isEnabled());
        QVERIFY(!page->alertButton()->isEnabled());
        QVERIFY(!page->rebuildButton()->isEnabled());
        // Ctrl+E opens nothing.
        page->scopes()->setFocus();
        QTest::keyClick(page->scopes(), Qt::Key_E, Qt::ControlModifier);
        QVERIFY(page->capEditor() == nullptr);

        // A budget owner elsewhere (another console, pitwallctl) sets a global cap and an alert
        // this spend has crossed: this console shows both without anyone touching it, the
        // alert on the page and in the status bar.
        ActionsService owner(setup.stores.pg(TestStores::kBudgetOwner), setup.stores.redis(),
                             setup.stores.prefix());
        QElapsedTimer seen;
        seen.start();
        owner.setCap({"global", "*", 1'000'000'000, std::nullopt, std::nullopt, std::nullopt},
                     "test: company budget");
        QTRY_VERIFY_WITH_TIMEOUT(page->scopesModel()->rowOf("global", "*") >= 0 &&
                                     page->scopesModel()
                                             ->figures(page->scopesModel()->rowOf("global", "*"))
                                             ->dailyCapMicros == 1'000'000'000,
                                 15000);
        qInfo("another console's cap change shown after %lld ms (a read takes %.0f ms)",
              seen.elapsed(), page->snapshot().readMs);
        owner.setCap({"global", "*", 20'000, std::nullopt, std::nullopt, std::nullopt},
                     "test: a tiny budget");
        owner.setSpendAlert("global", "*", 1.0, 0, "test: alert early");
        QTRY_VERIFY_WITH_TIMEOUT(page->alertBanner()->isVisible(), 15000);
        QVERIFY2(page->alertBanner()->text().contains(QLatin1String("global has used")),
                 qPrintable(page->alertBanner()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(setup.window.spendAlertLabel()->isVisible(), 5000);
        QCOMPARE(setup.window.spendAlertLabel()->text(), page->alertBanner()->text());
        // The alert goes when it is removed.
        owner.setSpendAlert("global", "*", std::nullopt, 1, "test: done");
        QTRY_VERIFY_WITH_TIMEOUT(!page->alertBanner()->isVisible(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!setup.window.spendAlertLabel()->isVisible(), 5000);
    }
};

QTEST_MAIN(TestSpendPage)
#include "test_spend_page.moc"

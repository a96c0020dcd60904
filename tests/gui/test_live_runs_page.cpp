#include "ActionsService.h"
#include "ConsoleFixture.h"
#include "ConsoleSession.h"
#include "Contract.h"
#include "Fleet.h"
#include "KillDialog.h"
#include "LiveRunsModel.h"
#include "LiveRunsPage.h"
#include "MainWindow.h"
#include "PgConnect.h"
#include "PrivateRedis.h"
#include "RedisConnection.h"
#include "RunDetailPanel.h"
#include "TestStores.h"
#include "TracePage.h"

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

#include <pqxx/pqxx>

#include <functional>
#include <thread>

using namespace pitwall;
using test::TestStores;

// The console itself (window, session, feed, probe) against real servers, with a simulated
// fleet writing runs through the guard: what an operator sees and does on the live runs page.
class TestLiveRunsPage : public QObject {
    Q_OBJECT

    struct Setup {
        TestStores stores;
        std::atomic<bool> stopFleet{false};
        std::thread fleet;
        MainWindow window;
        ConsoleSession session{&window};

        explicit Setup(const char *login) {
            FleetOptions o = test::quietFleet(stores);
            o.rate = 6;
            o.seed = 42;
            o.lingerRate = 0.3; // runs that cannot end before a kill lands
            fleet = std::thread([this, o] {
                Fleet f(o);
                f.seed();
                f.run(stopFleet);
            });
            window.resize(1400, 900);
            window.show();
            window.showPage(1);
            session.connectTo(test::consoleSettings(stores, login));
        }
        ~Setup() {
            session.shutdown();
            stopFleet = true;
            fleet.join();
        }
        LiveRunsPage *page() { return session.liveRunsPage(); }
        QAbstractItemModel *model() { return page()->table()->model(); }
        // The row the table shows for a run, or -1.
        int rowOf(const QString &runId) {
            for (int r = 0; r < model()->rowCount(); ++r)
                if (model()->index(r, 0).data(LiveRunsModel::RunIdRole).toString() == runId)
                    return r;
            return -1;
        }
        QString statusOf(const QString &runId) {
            const int r = rowOf(runId);
            return r < 0 ? QString() : model()->index(r, LiveRunsModel::Status).data().toString();
        }
        // A running row of a run that does not end by itself (the fleet's lingering runs).
        int runningRow() {
            for (int r = 0; r < model()->rowCount(); ++r) {
                const QModelIndex i = model()->index(r, 0);
                if (!i.data(LiveRunsModel::EndedRole).toBool() &&
                    model()->index(r, LiveRunsModel::Status).data().toString() ==
                        QLatin1String("running") &&
                    model()->index(r, LiveRunsModel::User).data().toString() ==
                        QLatin1String(FleetOptions::kLingerUser))
                    return r;
            }
            return -1;
        }
    };

    // Fills in the kill dialog once it is open, as a user would, and presses Kill.
    static void answerKillDialog(const QString &reason, std::function<void(KillDialog *)> more) {
        auto *poll = new QTimer;
        QObject::connect(poll, &QTimer::timeout, [poll, reason, more] {
            auto *dialog = qobject_cast<KillDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            poll->stop();
            poll->deleteLater();
            QTest::keyClicks(dialog->reasonEdit(), reason);
            if (more)
                more(dialog);
            QVERIFY(dialog->killButton()->isEnabled());
            QTest::mouseClick(dialog->killButton(), Qt::LeftButton);
        });
        poll->start(20);
    }

    static std::vector<std::pair<std::string, std::string>> killActions(TestStores &stores) {
        auto c = connectPostgres(stores.pg());
        pqxx::read_transaction tx(*c);
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto &row : tx.exec("SELECT actor, reason FROM pitwall.actions "
                                       "WHERE kind = 'kill_run' ORDER BY requested_at"))
            out.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
        return out;
    }
    // Rows of `table` (runs or spans) that belong to the run.
    static int rowsOf(TestStores &stores, const char *table, const QString &runId) {
        auto c = connectPostgres(stores.pg());
        pqxx::read_transaction tx(*c);
        return tx
            .exec_params1(std::string("SELECT count(*) FROM pitwall.") + table +
                              " WHERE run_id = $1::uuid",
                          runId.toStdString())[0]
            .as<int>();
    }
    static std::string killTarget(TestStores &stores) {
        auto c = connectPostgres(stores.pg());
        pqxx::read_transaction tx(*c);
        return tx.exec1("SELECT target FROM pitwall.actions WHERE kind = 'kill_run'")[0]
            .as<std::string>();
    }

private Q_SLOTS:
    void killOneRunAndSeeItLand() {
        Setup setup(TestStores::kOperator);
        LiveRunsPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(page->killButton()->isEnabled(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(setup.runningRow() >= 0, 20000);
        const int row = setup.runningRow();
        const QString runId =
            setup.model()->index(row, 0).data(LiveRunsModel::RunIdRole).toString();
        page->table()->selectRow(row);

        // The detail panel shows the run's hash and its events.
        QTRY_COMPARE_WITH_TIMEOUT(page->details()->runId(), runId, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(page->details()->tree()->topLevelItemCount() >= 4, 5000);
        QCOMPARE(page->details()->tree()->topLevelItem(0)->text(0), QStringLiteral("Redis hash"));

        // The guard writes its runs to PostgreSQL in batches; a kill needs the run there.
        QTRY_VERIFY_WITH_TIMEOUT(rowsOf(setup.stores, "runs", runId) == 1, 10000);
        answerKillDialog(QStringLiteral("stuck in a loop"), {});
        QTest::mouseClick(page->killButton(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(
            setup.statusOf(runId).startsWith(QLatin1String("killed after")),
            qPrintable(setup.statusOf(runId) + QStringLiteral(" / ") + page->statusLine()->text()),
            15000);
        const auto actions = killActions(setup.stores);
        QCOMPARE(actions.size(), size_t(1));
        QCOMPARE(actions[0].first, std::string(TestStores::kOperator));
        QCOMPARE(actions[0].second, std::string("stuck in a loop"));
        QCOMPARE(QString::fromStdString(killTarget(setup.stores)), runId);
    }

    // Redis goes away while the operator kills a run: the kill is recorded (the outbox) and
    // the row says it waits for Redis; the page says the rows are as of when the feed went
    // down. Before, the row said "kill requested" and nothing was recorded.
    void aKillWithRedisDownIsRecordedAndSaidToWait() {
        TestStores stores;
        test::PrivateRedis redis;
        QVERIFY(redis.start());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(redis.socket()), 5000);
        const std::string runId = "6f1d2c3b-0a4e-4b5f-9c8d-7e6f5a4b3c2d";
        {
            auto c = connectPostgres(stores.pg());
            pqxx::work tx(*c);
            tx.exec_params("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id,"
                           " entry_point, status, started_at) VALUES ($1::uuid,"
                           " '0102030405060708090a0b0c0d0e0f10', 'support-bot', 'v1', 'alice',"
                           " 'http', 'running', now())",
                           runId);
            tx.commit();
            RedisConnection r(RedisEndpoint::parse(redis.url().toStdString()));
            const RedisKeys keys(stores.prefix());
            const std::string now = std::to_string(QDateTime::currentMSecsSinceEpoch());
            r.command({"HSET", keys.run(runId), "agent", "support-bot", "version", "v1", "user",
                       "alice", "started_ms", now, "heartbeat_ms", now, "step", "3", "status",
                       "running"});
            r.command({"ZADD", keys.live(), now, runId});
        }
        MainWindow window;
        ConsoleSession session{&window};
        ConnectionSettings s;
        s.postgres = QString::fromStdString(stores.pg(TestStores::kOperator));
        s.redis = redis.url();
        s.keyPrefix = QString::fromStdString(stores.prefix());
        window.resize(1400, 900);
        window.show();
        window.showPage(1);
        session.connectTo(s);
        LiveRunsPage *page = session.liveRunsPage();
        QAbstractItemModel *model = page->table()->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(page->killButton()->isEnabled(), 20000);

        redis.stop();
        QTRY_VERIFY_WITH_TIMEOUT(page->header()->text().startsWith(QLatin1String("As of ")), 15000);
        page->table()->selectRow(0);
        answerKillDialog(QStringLiteral("stuck in a loop"), {});
        QTest::mouseClick(page->killButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(model->index(0, LiveRunsModel::Status).data().toString(),
                                  QStringLiteral("kill recorded, waiting for Redis"), 15000);
        QCOMPARE(killActions(stores).size(), size_t(1));
        QCOMPARE(killTarget(stores), runId);
        session.shutdown();
    }

    // While rows are selected (the operator aims) the order holds still: new runs wait in a
    // bar, a click on it shows them, and the selection stays on its run. Pause holds too.
    void theTableHoldsStillWhileAimedAt() {
        Setup setup(TestStores::kOperator);
        LiveRunsPage *page = setup.page();
        QAbstractItemModel *model = setup.model();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 3, 20000);
        page->table()->selectRow(1);
        const QString aimed = model->index(1, 0).data(LiveRunsModel::RunIdRole).toString();
        const int rows = model->rowCount();
        QTRY_VERIFY_WITH_TIMEOUT(page->heldBar()->isVisible(), 20000); // the fleet starts 6/s
        QVERIFY2(page->heldBar()->text().contains(QLatin1String("new run")),
                 qPrintable(page->heldBar()->text()));
        QCOMPARE(model->rowCount(), rows);
        QCOMPARE(model->index(1, 0).data(LiveRunsModel::RunIdRole).toString(), aimed);
        QTest::mouseClick(page->heldBar(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > rows, 10000);
        const QModelIndexList selected = page->table()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(LiveRunsModel::RunIdRole).toString(), aimed);

        page->table()->clearSelection();
        page->pauseButton()->click();
        QVERIFY(page->pauseButton()->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(page->heldBar()->isVisible(), 20000);
        const int paused = model->rowCount();
        page->pauseButton()->click(); // resume: what waited is shown
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > paused, 10000);
        QVERIFY(!page->heldBar()->isVisible());
    }

    // A run ends while its kill dialog is open (the costliest runaway is often near its step
    // cap): the dialog says so at once, and with nothing left to kill, Kill is disabled.
    void theKillDialogSaysWhenARunEnds() {
        Setup setup(TestStores::kOperator);
        LiveRunsPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(page->killButton()->isEnabled(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(setup.runningRow() >= 0, 20000);
        const int row = setup.runningRow();
        const QString runId =
            setup.model()->index(row, 0).data(LiveRunsModel::RunIdRole).toString();
        page->table()->selectRow(row);
        bool said = false, disabled = false;
        auto *poll = new QTimer;
        std::thread other; // another operator's kill lands meanwhile
        QObject::connect(poll, &QTimer::timeout, [&, poll] {
            auto *dialog = qobject_cast<KillDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            if (!other.joinable())
                other = std::thread([&setup, runId] {
                    ActionsService op(setup.stores.pg(TestStores::kOperator), setup.stores.redis(),
                                      setup.stores.prefix());
                    op.killRun(runId.toStdString(), "another operator");
                });
            if (!dialog->endedNote()->isVisible())
                return;
            poll->stop();
            poll->deleteLater();
            said = dialog->endedNote()->text().contains(runId + QStringLiteral(" ended"));
            QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("too late"));
            disabled = !dialog->killButton()->isEnabled();
            dialog->reject();
        });
        poll->start(20);
        QTest::mouseClick(page->killButton(), Qt::LeftButton); // returns when the dialog closes
        if (other.joinable())
            other.join();
        QVERIFY(said);
        QVERIFY(disabled);
    }

    void killEveryRunAFilterShowsAfterTypingTheCount() {
        Setup setup(TestStores::kOperator);
        LiveRunsPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(page->killShownButton()->isEnabled(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(setup.runningRow() >= 0, 20000);
        // Runs that cannot end before the kill lands, held still while the operator types.
        page->filter()->setText(QStringLiteral("status:running user:") +
                                QLatin1String(FleetOptions::kLingerUser));
        auto allShownRun = [&setup] {
            QAbstractItemModel *m = setup.model();
            for (int r = 0; r < m->rowCount(); ++r)
                if (m->index(r, 0).data(LiveRunsModel::EndedRole).toBool())
                    return false;
            return m->rowCount() > 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allShownRun(), 5000);
        page->pauseButton()->click();
        const int shown = setup.model()->rowCount(); // the model's running rows, all of them
        QVERIFY(allShownRun());
        answerKillDialog(QStringLiteral("bad deploy"), [shown](KillDialog *dialog) {
            QVERIFY(dialog->countEdit());
            QTest::keyClicks(dialog->countEdit(), QString::number(shown + 1));
            QVERIFY(!dialog->killButton()->isEnabled()); // the wrong number does not do
            dialog->countEdit()->clear();
            QTest::keyClicks(dialog->countEdit(), QString::number(shown));
        });
        QTest::mouseClick(page->killShownButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(killActions(setup.stores).size(), size_t(shown), 15000);
        for (const auto &[actor, reason] : killActions(setup.stores))
            QCOMPARE(reason, std::string("bad deploy"));
    }

    // Enter on a live run opens its trace on the traces page, while the run is still going.
    void enterOnARunOpensItsTrace() {
        Setup setup(TestStores::kViewer);
        LiveRunsPage *page = setup.page();
        // A run two steps in has written spans (each is written when it ends); running or
        // just ended (the table keeps ended runs a while), either opens.
        auto goingRow = [&setup] {
            for (int r = 0; r < setup.model()->rowCount(); ++r)
                if (setup.model()
                        ->index(r, LiveRunsModel::Step)
                        .data()
                        .toString()
                        .section(QLatin1Char(' '), 0, 0)
                        .toInt() >= 3)
                    return r;
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(goingRow() >= 0, 30000);
        const int row = goingRow();
        const QString runId =
            setup.model()->index(row, 0).data(LiveRunsModel::RunIdRole).toString();
        // The guard writes to PostgreSQL in batches: the run and its first spans are there.
        QTRY_VERIFY_WITH_TIMEOUT(rowsOf(setup.stores, "spans", runId) >= 1, 10000);
        int now = -1; // where the run is now: new runs came in meanwhile
        for (int r = 0; r < setup.model()->rowCount() && now < 0; ++r)
            if (setup.model()->index(r, 0).data(LiveRunsModel::RunIdRole).toString() == runId)
                now = r;
        QVERIFY(now >= 0);
        page->table()->setFocus();
        page->table()->setCurrentIndex(setup.model()->index(now, 0));
        QTest::keyClick(page->table(), Qt::Key_Return);
        TracePage *traces = setup.session.tracePage();
        QTRY_VERIFY2_WITH_TIMEOUT(traces->isVisible(), qPrintable(page->statusLine()->text()),
                                  5000);
        QTRY_VERIFY2_WITH_TIMEOUT(traces->summary()->text().startsWith(
                                      QStringLiteral("Run ") + runId + QStringLiteral(" · ")),
                                  qPrintable(traces->summary()->text()), 10000);
        QVERIFY(traces->tree()->model()->rowCount() >= 1);
    }

    void aViewerMayNotKill() {
        Setup setup(TestStores::kViewer);
        LiveRunsPage *page = setup.page();
        QTRY_VERIFY_WITH_TIMEOUT(
            page->killButton()->toolTip().contains(QLatin1String("pitwall_operator")), 20000);
        QVERIFY(!page->killButton()->isEnabled());
        QVERIFY(!page->killShownButton()->isEnabled());
    }
};

QTEST_MAIN(TestLiveRunsPage)
#include "test_live_runs_page.moc"

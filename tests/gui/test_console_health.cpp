#include "ActionsService.h"
#include "MainWindow.h"
#include "RecentActionsModel.h"
#include "StoreHealthProbe.h"
#include "StoreStatusIndicator.h"
#include "TestStores.h"

#include "Migrator.h"
#include "RedisConnection.h"
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>

#include <QTest>
#include <QThread>

using namespace pitwall;
using test::TestStores;

// The console's window fed by the real health probe on its own thread, against real servers.
class TestConsoleHealth : public QObject {
    Q_OBJECT

    struct Console {
        MainWindow window;
        QThread thread;
        StoreHealthProbe *probe;
        explicit Console(const ConnectionSettings &settings)
            : probe(new StoreHealthProbe(settings, 200)) {
            probe->moveToThread(&thread);
            QObject::connect(&thread, &QThread::started, probe, &StoreHealthProbe::start);
            QObject::connect(&thread, &QThread::finished, probe, &QObject::deleteLater);
            QObject::connect(probe, &StoreHealthProbe::healthChanged, &window,
                             &MainWindow::showHealth);
            QObject::connect(probe, &StoreHealthProbe::activityChanged, &window,
                             &MainWindow::showActivity);
            window.show();
            thread.start();
        }
        ~Console() {
            thread.quit();
            thread.wait();
        }
    };

    // A Redis server of the test's own, to stop and start again.
    static bool startRedis(const QString &dir) {
        return QProcess::execute(QStringLiteral("redis-server"),
                                 {QStringLiteral("--port"), QStringLiteral("0"),
                                  QStringLiteral("--unixsocket"), dir + QStringLiteral("/r.sock"),
                                  QStringLiteral("--save"), QString(),
                                  QStringLiteral("--appendonly"), QStringLiteral("no"),
                                  QStringLiteral("--daemonize"), QStringLiteral("yes"),
                                  QStringLiteral("--pidfile"), dir + QStringLiteral("/r.pid"),
                                  QStringLiteral("--dir"), dir}) == 0;
    }
    static void stopRedis(const QString &dir) {
        QProcess::execute(QStringLiteral("redis-cli"),
                          {QStringLiteral("-s"), dir + QStringLiteral("/r.sock"),
                           QStringLiteral("shutdown"), QStringLiteral("nosave")});
    }

private Q_SLOTS:
    void redisGoingAwayAndComingBackIsShown() {
        TestStores stores;
        QTemporaryDir dir(QStringLiteral("/tmp/pw-gui-XXXXXX"));
        QVERIFY(dir.isValid());
        QVERIFY(startRedis(dir.path()));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir.filePath(QStringLiteral("r.sock"))), 5000);
        ConnectionSettings s;
        s.postgres = QString::fromStdString(stores.pg(TestStores::kViewer));
        s.redis = QStringLiteral("unix://") + dir.filePath(QStringLiteral("r.sock"));
        Console console(s);
        QTRY_COMPARE_WITH_TIMEOUT(console.window.redisIndicator()->tone(),
                                  StoreStatusText::Tone::Good, 20000);
        auto *spend = console.window.findChild<QLabel *>(QStringLiteral("spend"));
        QVERIFY(spend);
        QTRY_VERIFY_WITH_TIMEOUT(!spend->text().isEmpty(), 20000);
        QVERIFY(!spend->text().contains(QLatin1String("as of")));
        stopRedis(dir.path());
        QTRY_COMPARE_WITH_TIMEOUT(console.window.redisIndicator()->tone(),
                                  StoreStatusText::Tone::Bad, 10000);
        QCOMPARE(console.window.liveRunsLabel()->text(), QStringLiteral("Live runs: –"));
        // The overview's figures stay, dated and greyed, not shown as live.
        QVERIFY2(spend->text().contains(QLatin1String("(as of ")), qPrintable(spend->text()));
        QVERIFY(startRedis(dir.path()));
        QTRY_COMPARE_WITH_TIMEOUT(console.window.redisIndicator()->tone(),
                                  StoreStatusText::Tone::Good, 10000);
        QCOMPARE(console.window.postgresIndicator()->tone(), StoreStatusText::Tone::Good);
        stopRedis(dir.path());
    }

    void bothStoresReportedHealthy() {
        TestStores stores;
        ConnectionSettings s;
        s.postgres = QString::fromStdString(stores.pg(TestStores::kOperator));
        s.redis = QString::fromStdString(stores.redisUrl());
        s.keyPrefix = QString::fromStdString(stores.prefix());
        Console console(s);
        QTRY_COMPARE_WITH_TIMEOUT(console.window.postgresIndicator()->tone(),
                                  StoreStatusText::Tone::Good, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(console.window.redisIndicator()->tone(),
                                  StoreStatusText::Tone::Good, 20000);
        const QString pg = console.window.postgresIndicator()->text();
        QVERIFY2(pg.contains(QStringLiteral("schema v%1").arg(Migrator::latestVersion())),
                 qPrintable(pg));
        QVERIFY2(pg.contains(QStringLiteral("pw_test_operator (operator, viewer)")),
                 qPrintable(pg));
        // Whichever Redis this machine runs: its version as the server reports it.
        const std::string info = RedisConnection(stores.redis()).command({"INFO", "server"}).str;
        const auto at = info.find("redis_version:") + 14;
        const QString version = QString::fromStdString(info.substr(at, info.find('\r', at) - at));
        QVERIFY2(
            console.window.redisIndicator()->text().contains(QStringLiteral("Redis ") + version),
            qPrintable(console.window.redisIndicator()->text() + QStringLiteral(" / ") + version));
        QCOMPARE(console.window.liveRunsLabel()->text(), QStringLiteral("Live runs: 0"));

        // An action taken elsewhere shows up among the recent actions, applied to Redis.
        ActionsService budget(stores.pg(TestStores::kBudgetOwner), stores.redis(), stores.prefix());
        budget.setCap({"global", "*", 250'000'000, {}, {}, {}}, "quarter-end freeze", {});
        auto *actions = console.window.findChild<QTableView *>();
        QVERIFY(actions);
        QTRY_COMPARE_WITH_TIMEOUT(actions->model()->rowCount(), 1, 10000);
        QCOMPARE(actions->model()->index(0, RecentActionsModel::Reason).data().toString(),
                 QStringLiteral("quarter-end freeze"));
        QCOMPARE(actions->model()->index(0, RecentActionsModel::Actor).data().toString(),
                 QStringLiteral("pw_test_budget"));
        const QString spend = console.window.findChild<QLabel *>(QStringLiteral("spend"))->text();
        QVERIFY2(spend.contains(QStringLiteral("of a $250.00 global daily cap")),
                 qPrintable(spend));
    }

    void unreachableRedisTurnsRedWithTheReason() {
        TestStores stores;
        ConnectionSettings s;
        s.postgres = QString::fromStdString(stores.pg(TestStores::kViewer));
        s.redis = QStringLiteral("unix:///nonexistent/pitwall/redis.sock");
        Console console(s);
        QTRY_COMPARE_WITH_TIMEOUT(console.window.redisIndicator()->tone(),
                                  StoreStatusText::Tone::Bad, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(console.window.postgresIndicator()->tone(),
                                  StoreStatusText::Tone::Good, 20000);
        const QString why = console.window.redisIndicator()->toolTip();
        QVERIFY2(why.contains(QStringLiteral(
                     "Cannot reach Redis at unix:///nonexistent/pitwall/redis.sock")),
                 qPrintable(why));
    }
};

QTEST_MAIN(TestConsoleHealth)
#include "test_console_health.moc"

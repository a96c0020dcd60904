#include "MainWindow.h"
#include "StoreHealthProbe.h"
#include "StoreStatusIndicator.h"
#include "TestStores.h"

#include <QLabel>
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
            window.show();
            thread.start();
        }
        ~Console() {
            thread.quit();
            thread.wait();
        }
    };

private Q_SLOTS:
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
        QVERIFY2(pg.contains(QStringLiteral("schema v1")), qPrintable(pg));
        QVERIFY2(pg.contains(QStringLiteral("pw_test_operator (operator, viewer)")),
                 qPrintable(pg));
        QVERIFY2(console.window.redisIndicator()->text().contains(QStringLiteral("Redis 7")),
                 qPrintable(console.window.redisIndicator()->text()));
        QCOMPARE(console.window.liveRunsLabel()->text(), QStringLiteral("Live runs: 0"));
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

#include "RunawayRules.h"

#include <QTest>

using namespace pitwall;

class TestRunawayRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reasons_data() {
        QTest::addColumn<int>("step");
        QTest::addColumn<qint64>("cost");
        QTest::addColumn<int>("repeats");
        QTest::addColumn<qint64>("heartbeatAge");
        QTest::addColumn<bool>("running");
        QTest::addColumn<int>("expected");
        QTest::newRow("healthy") << 5 << qint64(10'000) << 1 << qint64(500) << true
                                 << int(NotRunaway);
        QTest::newRow("step 23 of 30")
            << 23 << qint64(0) << 0 << qint64(0) << true << int(NotRunaway);
        QTest::newRow("step 24 of 30 is 80 %")
            << 24 << qint64(0) << 0 << qint64(0) << true << int(NearStepCap);
        QTest::newRow("cost at the target")
            << 2 << qint64(100'000) << 0 << qint64(0) << true << int(NotRunaway);
        QTest::newRow("cost above the target")
            << 2 << qint64(100'001) << 0 << qint64(0) << true << int(OverCostPerRequest);
        QTest::newRow("same call twice")
            << 3 << qint64(0) << 2 << qint64(0) << true << int(NotRunaway);
        QTest::newRow("same call three times")
            << 3 << qint64(0) << 3 << qint64(0) << true << int(RepeatingToolCall);
        QTest::newRow("silent 31 s")
            << 3 << qint64(0) << 0 << qint64(31'000) << true << int(NoHeartbeat);
        QTest::newRow("everything at once")
            << 29 << qint64(900'000) << 12 << qint64(60'000) << true
            << int(NearStepCap | OverCostPerRequest | RepeatingToolCall | NoHeartbeat);
        QTest::newRow("ended runs are never runaways")
            << 30 << qint64(900'000) << 12 << qint64(60'000) << false << int(NotRunaway);
    }
    void reasons() {
        QFETCH(int, step);
        QFETCH(qint64, cost);
        QFETCH(int, repeats);
        QFETCH(qint64, heartbeatAge);
        QFETCH(bool, running);
        const RunawayLimits limits{30, 100'000, 30'000};
        QTEST(int(runawayReasons({step, cost, repeats, heartbeatAge, running}, limits)),
              "expected");
    }
    void noCostTargetMeansNoCostRule() {
        const RunawayLimits limits{30, -1, 30'000};
        QCOMPARE(int(runawayReasons({1, 50'000'000, 0, 0, true}, limits)), int(NotRunaway));
    }
};

QTEST_GUILESS_MAIN(TestRunawayRules)
#include "test_runaway_rules.moc"

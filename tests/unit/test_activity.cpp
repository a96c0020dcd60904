#include "ActivityText.h"
#include "RecentActionsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace pitwall;

class TestActivity : public QObject {
    Q_OBJECT

    static ActivitySummary::Action action(int second, const char *kind, bool mirrored = true) {
        return {QDateTime::fromSecsSinceEpoch(1'800'000'000 + second),
                QStringLiteral("oncall"),
                QString::fromLatin1(kind),
                QStringLiteral("support-bot"),
                QStringLiteral("canary fails more"),
                mirrored};
    }

private Q_SLOTS:
    void spend_data() {
        QTest::addColumn<qint64>("spent");
        QTest::addColumn<qint64>("reserved");
        QTest::addColumn<qint64>("cap");
        QTest::addColumn<QString>("text");
        QTest::newRow("no cap") << qint64(12'345'678) << qint64(0) << qint64(-1)
                                << "$12.35 spent today, no global cap";
        QTest::newRow("under cap")
            << qint64(12'000'000) << qint64(500'000) << qint64(2'000'000'000)
            << "$12.00 spent today + $0.50 reserved in flight, of a $2000.00 "
               "global daily cap (0.6 %)";
        QTest::newRow("over half") << qint64(1'500'000'000) << qint64(0) << qint64(2'000'000'000)
                                   << "$1500.00 spent today, of a $2000.00 global daily cap (75 %)";
        QTest::newRow("zero cap") << qint64(0) << qint64(0) << qint64(0)
                                  << "$0.00 spent today, of a $0.00 global daily cap (100 %)";
    }
    void spend() {
        QFETCH(qint64, spent);
        QFETCH(qint64, reserved);
        QFETCH(qint64, cap);
        ActivitySummary a;
        a.spentTodayMicros = spent;
        a.reservedMicros = reserved;
        a.globalCapMicros = cap;
        QTEST(ActivityText::spend(a), "text");
    }
    void runsMostFrequentFirst() {
        ActivitySummary a;
        QCOMPARE(ActivityText::runs(a), QStringLiteral("No runs started in the last 15 minutes"));
        a.runsByStatus = {{QStringLiteral("killed"), 3},
                          {QStringLiteral("succeeded"), 120},
                          {QStringLiteral("step_limit"), 8}};
        QCOMPARE(ActivityText::runs(a),
                 QStringLiteral("Last 15 minutes: 120 succeeded · 8 step limit · 3 killed"));
    }
    void breakers() {
        ActivitySummary a;
        QCOMPARE(ActivityText::breakers(a), QStringLiteral("All circuit breakers closed"));
        a.breakersNotClosed = {
            {QStringLiteral("payments_api"), QStringLiteral("half_open"), {}},
            {QStringLiteral("web_search"), QStringLiteral("closed"), QStringLiteral("open")}};
        QCOMPARE(ActivityText::breakers(a),
                 QStringLiteral("Breakers: payments_api half-open · web_search forced open"));
    }
    void actionsModelUpdatesPrecisely() {
        RecentActionsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.apply({action(2, "kill_run", false), action(1, "set_cap")});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.index(0, RecentActionsModel::Kind).data().toString(),
                 QStringLiteral("kill run"));
        QCOMPARE(model.index(0, RecentActionsModel::Applied).data().toString(),
                 QStringLiteral("pending"));
        QCOMPARE(model.index(1, RecentActionsModel::Reason).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("canary fails more"));

        // The same rows again: nothing to report. The first one applied: only it changes.
        model.apply({action(2, "kill_run", false), action(1, "set_cap")});
        QCOMPARE(changes.count(), 0);
        model.apply({action(2, "kill_run", true), action(1, "set_cap")});
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changes.at(0).at(1).toModelIndex().row(), 0);
        QCOMPARE(model.index(0, RecentActionsModel::Applied).data().toString(),
                 QStringLiteral("applied"));
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.headerData(RecentActionsModel::Actor, Qt::Horizontal).toString(),
                 QStringLiteral("Who"));
    }
};

QTEST_GUILESS_MAIN(TestActivity)
#include "test_activity.moc"

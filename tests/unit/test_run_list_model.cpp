#include "RunListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace pitwall;

namespace {

RunSummary run(const char *id, const char *status, int64_t startedUs, int64_t endedUs) {
    RunSummary r;
    r.runId = id;
    r.agent = "support";
    r.version = "v2";
    r.user = "alice";
    r.status = status;
    r.startedUs = startedUs;
    r.endedUs = endedUs;
    r.steps = 4;
    r.costMicros = 12'500;
    return r;
}

} // namespace

// The run finder's table: what each column shows, and that "More runs" appends rows rather
// than resetting the table (the selection and scroll position stay).
class TestRunListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsAPageThenAppendsTheNext() {
        RunListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRuns(
            {run("r1", "succeeded", 1'000'000, 3'500'000), run("r2", "step_limit", 2'000'000, -1)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(RunListModel::ColumnCount));
        QCOMPARE(model.index(0, RunListModel::Run).data().toString(), QStringLiteral("r1"));
        QCOMPARE(model.index(0, RunListModel::Status).data().toString(),
                 QStringLiteral("succeeded"));
        // The contract's name, shown as words.
        QCOMPARE(model.index(1, RunListModel::Status).data().toString(),
                 QStringLiteral("step limit"));
        QCOMPARE(model.index(1, RunListModel::Duration).data().toString(),
                 QStringLiteral("running"));
        QCOMPARE(model.index(0, RunListModel::Steps).data().toInt(), 4);
        QVERIFY(!model.index(0, RunListModel::Cost).data().toString().isEmpty());
        QCOMPARE(model.headerData(RunListModel::Status, Qt::Horizontal).toString(),
                 QStringLiteral("Status"));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendRuns({run("r3", "failed", 500'000, 900'000)});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 2);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.run(2).runId, std::string("r3"));
        model.appendRuns({}); // the last page: nothing changes
        QCOMPARE(inserted.count(), 1);
        model.setRuns({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunListModel)
#include "test_run_list_model.moc"

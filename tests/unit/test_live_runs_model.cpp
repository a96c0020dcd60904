#include "LiveRunsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace pitwall;
using Kind = LiveRunUpdate::Kind;

class TestLiveRunsModel : public QObject {
    Q_OBJECT

    static constexpr int64_t kT0 = 1'800'000'000'000;

    static std::string id(int n) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
        return buf;
    }
    static LiveRunUpdate started(int n, const char *agent, const char *user, int64_t at) {
        LiveRunUpdate u;
        u.kind = Kind::Started;
        u.runId = id(n);
        u.agent = agent;
        u.version = "v1";
        u.user = user;
        u.entryPoint = "http";
        u.atMs = at;
        u.startedMs = at;
        u.maxSteps = 30;
        return u;
    }
    static LiveRunUpdate step(int n, int s, int64_t at, int repeats = 0) {
        LiveRunUpdate u;
        u.kind = Kind::Step;
        u.runId = id(n);
        u.step = s;
        u.atMs = at;
        u.lastSpan = "crm_lookup";
        u.toolRepeats = repeats;
        return u;
    }
    static LiveRunUpdate ended(int n, const char *status, int64_t at) {
        LiveRunUpdate u;
        u.kind = Kind::Ended;
        u.runId = id(n);
        u.status = status;
        u.atMs = at;
        u.costMicros = 42'000;
        return u;
    }
    static QString cell(const LiveRunsModel &m, int row, int column) {
        return m.index(row, column).data().toString();
    }

private Q_SLOTS:
    void snapshotThenEvents() {
        LiveRunsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        LiveRunUpdate snap = started(1, "support-bot", "alice", kT0);
        snap.kind = Kind::Snapshot;
        snap.step = 4;
        snap.status = "running";
        snap.costMicros = 10'000;
        snap.reservedMicros = 5'000;
        snap.canary = true;
        model.apply({snap}, kT0 + 1000);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(model, 0, LiveRunsModel::Version), QStringLiteral("v1 (canary)"));
        QCOMPARE(cell(model, 0, LiveRunsModel::Step), QStringLiteral("4 / 30"));
        QCOMPARE(cell(model, 0, LiveRunsModel::Spend), QStringLiteral("$0.01 (+$0.01 reserved)"));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.apply({step(1, 5, kT0 + 2000)}, kT0 + 2000);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(model, 0, LiveRunsModel::Step), QStringLiteral("5 / 30"));
        QCOMPARE(cell(model, 0, LiveRunsModel::LastSpan), QStringLiteral("crm_lookup"));

        // Out of order and duplicated deliveries change nothing.
        model.apply({step(1, 3, kT0 + 1500), step(1, 5, kT0 + 2000)}, kT0 + 2100);
        QCOMPARE(cell(model, 0, LiveRunsModel::Step), QStringLiteral("5 / 30"));

        model.apply({ended(1, "killed", kT0 + 3000)}, kT0 + 3000);
        QCOMPARE(cell(model, 0, LiveRunsModel::Status), QStringLiteral("killed"));
        QCOMPARE(model.index(0, 0).data(LiveRunsModel::EndedRole).toBool(), true);
        // A step that arrives after the end is late, not a resurrection.
        model.apply({step(1, 6, kT0 + 2900), ended(1, "killed", kT0 + 3000)}, kT0 + 3100);
        QCOMPARE(cell(model, 0, LiveRunsModel::Status), QStringLiteral("killed"));
        QCOMPARE(cell(model, 0, LiveRunsModel::Step), QStringLiteral("5 / 30"));

        // Ended runs stay for the linger time, then go.
        model.tick(kT0 + 3000 + 179'000);
        QCOMPARE(model.rowCount(), 1);
        model.tick(kT0 + 3000 + 181'000);
        QCOMPARE(model.rowCount(), 0);
    }

    void eventsForAnUnknownRunCreateIt() {
        LiveRunsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        LiveRunUpdate s = step(7, 2, kT0);
        s.agent = "research-agent";
        s.version = "v8";
        s.user = "bob";
        model.apply({s}, kT0);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(model, 0, LiveRunsModel::Agent), QStringLiteral("research-agent"));
        QCOMPARE(cell(model, 0, LiveRunsModel::Run), QString::fromStdString(id(7)));
    }

    void runawaysAreFlaggedWithTheirReason_data() {
        QTest::addColumn<int>("steps");
        QTest::addColumn<int>("repeats");
        QTest::addColumn<qint64>("silenceMs");
        QTest::addColumn<QString>("reason");
        QTest::newRow("near the cap") << 24 << 0 << qint64(0) << "near step cap";
        QTest::newRow("repeating") << 6 << 3 << qint64(0) << "same tool call ×3";
        QTest::newRow("silent") << 2 << 0 << qint64(45'000) << "no heartbeat";
        QTest::newRow("healthy") << 2 << 1 << qint64(1000) << "";
    }
    void runawaysAreFlaggedWithTheirReason() {
        QFETCH(int, steps);
        QFETCH(int, repeats);
        QFETCH(qint64, silenceMs);
        LiveRunsModel model;
        model.setLimits(QStringLiteral("support-bot"), RunawayLimits{30, 500'000, 30'000});
        model.apply({started(1, "support-bot", "alice", kT0), step(1, steps, kT0 + 100, repeats)},
                    kT0 + 100 + silenceMs);
        model.tick(kT0 + 100 + silenceMs);
        QTEST(cell(model, 0, LiveRunsModel::Runaway), "reason");
        QCOMPARE(model.runawayCount(),
                 QString::fromLatin1(QTest::currentDataTag()) == QLatin1String("healthy") ? 0 : 1);
        if (silenceMs > 30'000)
            QCOMPARE(cell(model, 0, LiveRunsModel::Status), QStringLiteral("lost"));
    }

    void filterAndSort() {
        LiveRunsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply({started(1, "support-bot", "alice", kT0),
                     started(2, "research-agent", "bob", kT0 + 10),
                     started(3, "support-bot", "carol", kT0 + 20),
                     started(4, "code-review", "alice", kT0 + 30)},
                    kT0 + 100);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(cell(model, 0, LiveRunsModel::User), QStringLiteral("alice")); // youngest first
        QCOMPARE(cell(model, 0, LiveRunsModel::Agent), QStringLiteral("code-review"));

        model.setFilterText(QStringLiteral("support"));
        QCOMPARE(model.rowCount(), 2);
        model.setFilterText(QStringLiteral("support alice"));
        QCOMPARE(model.rowCount(), 1);
        model.setFilterText(QString());
        QCOMPARE(model.rowCount(), 4);

        // Sorting by agent is stable: equal agents keep the youngest-first order.
        model.sort(LiveRunsModel::Agent, Qt::AscendingOrder);
        QStringList users;
        for (int r = 0; r < model.rowCount(); ++r)
            users << cell(model, r, LiveRunsModel::User);
        QCOMPARE(users, (QStringList{QStringLiteral("alice"), QStringLiteral("bob"),
                                     QStringLiteral("carol"), QStringLiteral("alice")}));
    }

    void aRowIsSixtyFourBytes() { QCOMPARE(sizeof(LiveRunsModel::Row), size_t(64)); }
};

QTEST_GUILESS_MAIN(TestLiveRunsModel)
#include "test_live_runs_model.moc"

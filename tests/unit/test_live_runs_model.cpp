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
    static QStringList list(const char *words) {
        return QString::fromLatin1(words).split(QLatin1Char(' '), Qt::SkipEmptyParts);
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
        QCOMPARE(cell(model, 0, LiveRunsModel::Spend), QStringLiteral("$0.01 (+$0.01)"));

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

    // New runs are merged into the shown order by comparing their strings; a rebuild sorts by
    // ranks. Both must give the same order, also for strings equal but for case and for ties.
    void mergedRowsSitWhereARebuildPutsThem_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<bool>("ascending");
        for (const int c : {int(LiveRunsModel::User), int(LiveRunsModel::Agent),
                            int(LiveRunsModel::Age), int(LiveRunsModel::Run)})
            for (const bool up : {true, false})
                QTest::addRow("column %d %s", c, up ? "up" : "down") << c << up;
    }
    void mergedRowsSitWhereARebuildPutsThem() {
        QFETCH(int, column);
        QFETCH(bool, ascending);
        const char *users[] = {"alice", "Alice", "bob", "ALICE", "carol"};
        const char *agents[] = {"support-bot", "Support-Bot", "code-review"};
        auto batch = [&](int from, int to) {
            LiveRunUpdates u;
            for (int n = from; n < to; ++n) // pairs of runs start together: ties
                u.push_back(started(n, agents[n % 3], users[n % 5], kT0 + n / 2 * 10));
            return u;
        };
        LiveRunsModel model;
        model.apply(batch(1, 20), kT0 + 1000);
        model.sort(column, ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
        model.apply(batch(20, 40), kT0 + 2000); // merged
        QCOMPARE(model.rowCount(), 39);
        QStringList merged, rebuilt;
        for (int r = 0; r < model.rowCount(); ++r)
            merged << model.index(r, 0).data(LiveRunsModel::RunIdRole).toString();
        model.setFilterText(QString()); // the same view, rebuilt from scratch
        for (int r = 0; r < model.rowCount(); ++r)
            rebuilt << model.index(r, 0).data(LiveRunsModel::RunIdRole).toString();
        QCOMPARE(merged, rebuilt);
    }

    void fieldTermsMatchExactly_data() {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("users");
        QTest::newRow("version, not a longer one") << "version:v1" << list("bob alice");
        QTest::newRow("version and status") << "version:v1 status:running" << list("alice");
        QTest::newRow("agent") << "agent:RESEARCH-agent" << list("carol");
        QTest::newRow("status of an ended run") << "status:killed" << list("bob");
        QTest::newRow("run id prefix")
            << "run:00000000-0000-4000-8000-0000000000" << list("carol bob alice");
        QTest::newRow("free word in a version") << "v10" << list("carol");
        QTest::newRow("canary") << "canary" << list("carol");
        QTest::newRow("user") << "user:bob" << list("bob");
        QTest::newRow("no match") << "user:bo" << list("");
    }
    void fieldTermsMatchExactly() {
        QFETCH(QString, filter);
        QFETCH(QStringList, users);
        LiveRunsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        LiveRunUpdate a = started(1, "support-bot", "alice", kT0);
        LiveRunUpdate b = started(2, "support-bot", "bob", kT0 + 10);
        LiveRunUpdate c = started(3, "research-agent", "carol", kT0 + 20);
        c.version = "v10";
        c.canary = true;
        model.apply({a, b, c, ended(2, "killed", kT0 + 50)}, kT0 + 100);
        model.setFilterText(filter);
        QVERIFY2(model.filterError().isEmpty(), qPrintable(model.filterError()));
        QStringList shown;
        for (int r = 0; r < model.rowCount(); ++r)
            shown << cell(model, r, LiveRunsModel::User);
        QCOMPARE(shown, users);
    }

    void aBadFilterSaysWhy() {
        LiveRunsModel model;
        model.setFilterText(QStringLiteral("colour:red"));
        QVERIFY(model.filterError().contains(QStringLiteral("colour")));
        model.setFilterText(QStringLiteral("run:xyz"));
        QVERIFY(model.filterError().contains(QStringLiteral("xyz")));
    }

    // After a reconnect the feed takes a fresh snapshot; a run the table still shows as running
    // that is not in it ended while the feed was away, and must not stay as a phantom.
    void aFreshSnapshotEndsRunsItNoLongerHolds() {
        LiveRunsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.apply(
            {started(1, "support-bot", "alice", kT0), started(2, "support-bot", "bob", kT0)},
            kT0 + 100);
        LiveRunUpdate still = started(2, "support-bot", "bob", kT0);
        still.kind = Kind::Snapshot;
        still.status = "running";
        still.step = 3;
        model.apply({still}, kT0 + 5000, true);
        QCOMPARE(model.rowCount(), 2);
        const LiveRun *gone = model.find(id(1));
        QVERIFY(gone && !gone->running());
        QCOMPARE(model.statusText(*gone), QStringLiteral("ended while the feed was down"));
        QCOMPARE(model.runningCount(), 1);
        QVERIFY(model.find(id(2))->running());
        // Its end event may still come (it ended between the stream position and the snapshot):
        // then the real status replaces the guess.
        model.apply({ended(1, "succeeded", kT0 + 4000)}, kT0 + 5100);
        QCOMPARE(model.statusText(*model.find(id(1))), QStringLiteral("succeeded"));
        QCOMPARE(model.runningCount(), 1);
    }

    void theRowReportsWhetherAKillLanded() {
        LiveRunsModel model;
        model.apply(
            {started(1, "support-bot", "alice", kT0), started(2, "support-bot", "bob", kT0)},
            kT0 + 100);
        model.markKillRequested({QString::fromStdString(id(1)), QString::fromStdString(id(2))},
                                kT0 + 1000, kT0 + 6000);
        QCOMPARE(model.statusText(*model.find(id(1))), QStringLiteral("kill requested"));
        model.apply({ended(1, "killed", kT0 + 1030)}, kT0 + 1042);
        QCOMPARE(model.statusText(*model.find(id(1))), QStringLiteral("killed after 42 ms"));
        model.tick(kT0 + 7000);
        QCOMPARE(model.statusText(*model.find(id(2))),
                 QStringLiteral("still running 6 s after the kill"));
        model.setFilterText(QStringLiteral("user:bob"));
        QCOMPARE(model.index(0, LiveRunsModel::Status).data(LiveRunsModel::KillStateRole).toInt(),
                 int(LiveRunsModel::KillState::NotHonoured));
    }

    // A kill recorded while Redis was down waits in the outbox: the row says so (never "kill
    // requested", which Redis does not hold) and its clock starts when the stream says the
    // kill was applied.
    void aKillInTheOutboxSaysSo() {
        LiveRunsModel model;
        model.apply({started(1, "support-bot", "alice", kT0)}, kT0 + 100);
        model.markKillRequested({QString::fromStdString(id(1))}, kT0 + 1000, kT0 + 6000, false);
        QCOMPARE(model.statusText(*model.find(id(1))),
                 QStringLiteral("kill recorded, waiting for Redis"));
        model.apply({step(1, 2, kT0 + 7900)}, kT0 + 7900);
        model.tick(kT0 + 8000); // past the deadline: none runs while it waits
        QCOMPARE(model.statusText(*model.find(id(1))),
                 QStringLiteral("kill recorded, waiting for Redis"));
        LiveRunUpdate applied;
        applied.kind = LiveRunUpdate::Kind::KillRequested;
        applied.runId = id(1);
        applied.atMs = kT0 + 9000;
        model.apply({applied}, kT0 + 9000);
        QCOMPARE(model.statusText(*model.find(id(1))), QStringLiteral("kill requested"));
        model.apply({ended(1, "killed", kT0 + 9020)}, kT0 + 9030);
        QCOMPARE(model.statusText(*model.find(id(1))), QStringLiteral("killed after 30 ms"));
    }

    // While the feed is down the rows are what Redis held then: ages stop, nothing turns
    // "lost" for want of heartbeats, rows are grey, and the model says since when.
    void aStaleFeedFreezesTheRows() {
        LiveRunsModel model;
        model.apply({started(1, "support-bot", "alice", kT0)}, kT0 + 100);
        model.tick(kT0 + 5000);
        const QModelIndex age = model.index(0, LiveRunsModel::Age);
        const QString before = age.data().toString();
        model.setStale(true, kT0 + 5000);
        QCOMPARE(model.staleSinceMs(), kT0 + 5000);
        model.tick(kT0 + 600'000);
        QCOMPARE(age.data().toString(), before);
        QCOMPARE(model.runawayCount(), 0);
        QVERIFY(age.data(Qt::ForegroundRole).isValid());
        model.setStale(false, 0);
        QCOMPARE(model.staleSinceMs(), int64_t(-1));
        model.tick(kT0 + 600'000);
        QVERIFY(age.data().toString() != before);
    }

    // While held, the rows on screen stay where they are: new runs are counted, not inserted;
    // a re-sort waits; an ended run does not leave; a persistent index (a selection) keeps its
    // run. "Show" applies what waits and holds again; releasing applies it too.
    void aHeldViewHoldsStill() {
        LiveRunsModel model;
        QAbstractItemModelTester tester(&model);
        model.setSortColumn(LiveRunsModel::Step, Qt::DescendingOrder);
        model.apply(
            {started(1, "support-bot", "alice", kT0), started(2, "support-bot", "bob", kT0 + 1)},
            kT0 + 100);
        QCOMPARE(model.rowCount(), 2);
        const QPersistentModelIndex aimed = model.index(1, 0);
        const QString aimedRun = aimed.data(LiveRunsModel::RunIdRole).toString();
        model.setHeld(true);
        QSignalSpy changes(&model, &LiveRunsModel::heldChangesChanged);
        model.apply({started(3, "support-bot", "carol", kT0 + 200),
                     started(4, "support-bot", "dave", kT0 + 201)},
                    kT0 + 300);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.heldNewRuns(), 2);
        QVERIFY(changes.count() >= 1);
        // The aimed run is now furthest along: sorted by step it would jump to the top.
        model.apply({step(aimedRun == QString::fromStdString(id(1)) ? 1 : 2, 9, kT0 + 400)},
                    kT0 + 400);
        model.tick(kT0 + 500);
        QCOMPARE(aimed.row(), 1);
        QCOMPARE(aimed.data(LiveRunsModel::RunIdRole).toString(), aimedRun);
        QVERIFY(model.hasHeldChanges());
        // An ended run lingers past its time while held.
        model.apply({ended(1, "succeeded", kT0 + 600), ended(2, "succeeded", kT0 + 600)},
                    kT0 + 600);
        model.tick(kT0 + 600 + 200'000);
        QCOMPARE(model.rowCount(), 2);

        model.showHeldChanges(); // synchronous model: applied at once
        QCOMPARE(model.heldNewRuns(), 0);
        QVERIFY(!model.hasHeldChanges());
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(aimed.data(LiveRunsModel::RunIdRole).toString(), aimedRun); // followed its run
        QVERIFY(model.isHeld());
        model.apply({started(5, "support-bot", "erin", kT0 + 700'000)}, kT0 + 700'000);
        QCOMPARE(model.rowCount(), 4);
        model.setHeld(false);
        QCOMPARE(model.rowCount(), 5);
        // The operator's own sort applies even while held.
        model.setHeld(true);
        model.setSortColumn(LiveRunsModel::User, Qt::AscendingOrder);
        QCOMPARE(model.index(0, LiveRunsModel::User).data().toString(), QStringLiteral("alice"));
    }

    // Many runs come and go; the compact id index keeps finding the ones that stay.
    void runsThatLeaveAreCompactedAway() {
        LiveRunsModel model;
        LiveRunUpdates batch;
        for (int n = 0; n < 5000; ++n)
            batch.push_back(started(n, "support-bot", "u", kT0 + n));
        for (int n = 0; n < 5000; n += 2)
            batch.push_back(ended(n, "succeeded", kT0 + 6000));
        model.apply(batch, kT0 + 7000);
        QCOMPARE(model.runCount(), 5000);
        QCOMPARE(model.runningCount(), 2500);
        model.tick(kT0 + 6000 + 181'000);
        QCOMPARE(model.runCount(), 2500);
        QCOMPARE(model.rowCount(), 2500);
        for (int n = 0; n < 5000; ++n)
            QCOMPARE(model.find(id(n)) != nullptr, n % 2 == 1);
        model.apply({step(4999, 7, kT0 + 188'000)}, kT0 + 188'000);
        QCOMPARE(model.find(id(4999))->step, uint16_t(7));
    }

    // Off the GUI thread, the view comes out the same as computed in place, including the runs
    // that arrived while the worker ran.
    void anAsyncRebuildGivesTheSameView() {
        LiveRunsModel sync, async;
        async.setAsync(true);
        QAbstractItemModelTester tester(&async,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        LiveRunUpdates batch;
        const char *agents[] = {"support-bot", "research-agent", "code-review"};
        for (int n = 0; n < 3000; ++n) {
            LiveRunUpdate u = started(n, agents[n % 3], "", kT0 + (n * 7919) % 5000);

            u.user = "user-" + std::to_string((n * 31) % 97);
            batch.push_back(u);
            batch.push_back(step(n, (n * 13) % 29, kT0 + 6000));
        }
        sync.apply(batch, kT0 + 7000);
        async.apply(batch, kT0 + 7000);
        for (auto *m : {&sync, &async}) {
            m->setFilterText(QStringLiteral("support user-1"));
            m->sort(LiveRunsModel::Step, Qt::DescendingOrder);
        }
        QVERIFY(async.isRebuilding());
        LiveRunUpdate late = started(9000, "support-bot", "user-1", kT0 + 6500);
        for (auto *m : {&sync, &async})
            m->apply({late}, kT0 + 7100);
        QSignalSpy rebuilt(&async, &LiveRunsModel::viewRebuilt);
        QTRY_VERIFY(!async.isRebuilding());
        QCOMPARE(async.rowCount(), sync.rowCount());
        QVERIFY(sync.rowCount() > 10);
        for (int r = 0; r < sync.rowCount(); ++r)
            QCOMPARE(cell(async, r, LiveRunsModel::Run), cell(sync, r, LiveRunsModel::Run));
    }
};

QTEST_GUILESS_MAIN(TestLiveRunsModel)
#include "test_live_runs_model.moc"

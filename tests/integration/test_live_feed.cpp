#include "Guard.h"
#include "LiveFeed.h"
#include "PgConnect.h"
#include "RunDetailsReader.h"
#include "SloTargetsReader.h"
#include "TestStores.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <pqxx/pqxx>

using namespace pitwall;
using test::TestStores;
using Kind = LiveRunUpdate::Kind;

// The live feed against a Redis server of the test's own (so that it can be restarted), with
// runs written by the real guard.
class TestLiveFeed : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir{QStringLiteral("/tmp/pw-feed-XXXXXX")};

    QString socket() const { return m_dir.filePath(QStringLiteral("r.sock")); }
    bool startRedis() {
        const bool ok =
            QProcess::execute(QStringLiteral("redis-server"),
                              {QStringLiteral("--port"), QStringLiteral("0"),
                               QStringLiteral("--unixsocket"), socket(), QStringLiteral("--save"),
                               QString(), QStringLiteral("--appendonly"), QStringLiteral("no"),
                               QStringLiteral("--daemonize"), QStringLiteral("yes"),
                               QStringLiteral("--pidfile"), m_dir.filePath(QStringLiteral("r.pid")),
                               QStringLiteral("--dir"), m_dir.path()}) == 0;
        for (int i = 0; i < 100 && !QFile::exists(socket()); ++i)
            QThread::msleep(20);
        return ok && QFile::exists(socket());
    }
    void stopRedis() {
        QProcess::execute(
            QStringLiteral("redis-cli"),
            {QStringLiteral("-s"), socket(), QStringLiteral("shutdown"), QStringLiteral("nosave")});
    }
    static std::vector<Kind> kindsFor(const QSignalSpy &spy, const std::string &runId) {
        std::vector<Kind> kinds;
        for (const auto &args : spy)
            for (const auto &u : args.at(0).value<LiveRunUpdates>())
                if (u.runId == runId)
                    kinds.push_back(u.kind);
        return kinds;
    }

private Q_SLOTS:
    // The detail panel's read: the hash, the kill flag and this run's events only, newest
    // first; and the SLO targets from Postgres.
    void detailsOfOneRun() {
        TestStores stores;
        {
            auto c = connectPostgres(stores.pg());
            pqxx::work tx(*c);
            tx.exec(
                "INSERT INTO pitwall.rollouts (agent, stable_version) VALUES ('support', 'v1')");
            tx.exec("INSERT INTO pitwall.slo_targets VALUES ('support', 4000, 0.97, 0.25, 5, 12)");
            tx.commit();
        }
        GuardOptions o;
        o.pg = stores.pg(TestStores::kAgent);
        o.redis = stores.redis();
        o.keyPrefix = stores.prefix();
        Guard guard(o);
        auto mine = guard.startRun({"support", "alice", "http"});
        auto other = guard.startRun({"support", "bob", "http"});
        for (int i = 0; i < 3; ++i) {
            mine->beforeStep("plan");
            other->beforeStep("plan");
        }
        RedisConnection redis(stores.redis());
        redis.connect();
        RunDetails d = readRunDetails(redis, RedisKeys(stores.prefix()), mine->runId());
        std::map<std::string, std::string> hash(d.hash.begin(), d.hash.end());
        QCOMPARE(hash["user"], std::string("alice"));
        QCOMPARE(hash["step"], std::string("3"));
        QVERIFY(d.killFlag.empty());
        QCOMPARE(d.events.size(), size_t(4)); // started and three steps
        auto type = [](const Fields &f) {
            for (const auto &[k, v] : f)
                if (k == "type")
                    return v;
            return std::string();
        };
        QCOMPARE(type(d.events.front()), std::string("step"));
        QCOMPARE(type(d.events.back()), std::string("run_started"));
        for (const Fields &f : d.events)
            QVERIFY(std::find(f.begin(), f.end(),
                              std::pair<std::string, std::string>("run_id", mine->runId())) !=
                    f.end());

        redis.command(
            {"SET", RedisKeys(stores.prefix()).kill(mine->runId()), R"({"reason":"looping"})"});
        d = readRunDetails(redis, RedisKeys(stores.prefix()), mine->runId());
        QCOMPARE(d.killFlag, std::string(R"({"reason":"looping"})"));

        auto pg = connectPostgres(stores.pg(TestStores::kViewer));
        const auto slo = readSloTargets(*pg);
        QCOMPARE(slo.size(), size_t(1));
        QCOMPARE(slo[0].agent, std::string("support"));
        QCOMPARE(slo[0].maxCostPerRequestMicros, int64_t(250'000));
        QCOMPARE(slo[0].maxSteps, 12);
        mine->finish(RunStatus::Succeeded);
        other->finish(RunStatus::Succeeded);
    }

    void snapshotThenEventsAndAReconnect() {
        QVERIFY(m_dir.isValid());
        QVERIFY(startRedis());
        TestStores stores;
        {
            auto c = connectPostgres(stores.pg());
            pqxx::work tx(*c);
            tx.exec(
                "INSERT INTO pitwall.rollouts (agent, stable_version) VALUES ('support', 'v1')");
            tx.commit();
        }
        RedisEndpoint redis;
        redis.socketPath = socket().toStdString();
        GuardOptions o;
        o.pg = stores.pg(TestStores::kAgent);
        o.redis = redis;
        o.keyPrefix = stores.prefix();
        auto guard = std::make_unique<Guard>(o);
        auto before = guard->startRun({"support", "alice", "http"});
        before->beforeStep("plan");

        QThread thread;
        auto *feed = new LiveFeed(redis, stores.prefix());
        feed->moveToThread(&thread);
        connect(&thread, &QThread::started, feed, &LiveFeed::run);
        connect(&thread, &QThread::finished, feed, &QObject::deleteLater);
        QSignalSpy updates(feed, &LiveFeed::updatesArrived);
        QSignalSpy connection(feed, &LiveFeed::connectionChanged);
        thread.start();

        // The snapshot holds the run already in flight, with its step.
        QTRY_VERIFY_WITH_TIMEOUT(updates.count() >= 1, 10000);
        QVERIFY(updates.at(0).at(1).toBool());
        const auto snapshot = updates.at(0).at(0).value<LiveRunUpdates>();
        QCOMPARE(snapshot.size(), size_t(1));
        QCOMPARE(snapshot[0].runId, before->runId());
        QCOMPARE(snapshot[0].step, 1);
        QCOMPARE(snapshot[0].user, std::string("alice"));

        // Then the stream: a step and the end, once each.
        before->beforeStep("llm");
        before->finish(RunStatus::Succeeded);
        QTRY_COMPARE_WITH_TIMEOUT(kindsFor(updates, before->runId()),
                                  (std::vector<Kind>{Kind::Snapshot, Kind::Step, Kind::Ended}),
                                  10000);

        // Redis goes away: the feed says so, and when it is back it snapshots again and goes on.
        stopRedis();
        QTRY_VERIFY_WITH_TIMEOUT(!connection.isEmpty() && !connection.last().at(0).toBool(), 10000);
        QVERIFY(startRedis());
        QTRY_VERIFY_WITH_TIMEOUT(connection.last().at(0).toBool(), 15000);
        std::unique_ptr<RunGuard> after;
        for (int i = 0; i < 50 && !after; ++i) {
            try { // the guard's pooled connections come back on their next use
                after = guard->startRun({"support", "bob", "queue"});
            } catch (const std::exception &) {
                QTest::qWait(100);
            }
        }
        QVERIFY(after);
        QTRY_VERIFY_WITH_TIMEOUT(!kindsFor(updates, after->runId()).empty(), 10000);
        after->finish(RunStatus::Succeeded);

        feed->stop();
        thread.quit();
        thread.wait();
        guard.reset();
        stopRedis();
    }

    void eventsAreParsed() {
        const auto step = LiveFeed::fromEvent({{"type", "step"},
                                               {"run_id", "r1"},
                                               {"agent", "a"},
                                               {"step", "7"},
                                               {"last_span", "crm"},
                                               {"tool_repeats", "3"},
                                               {"at_ms", "1000"}});
        QVERIFY(step);
        QCOMPARE(step->kind, Kind::Step);
        QCOMPARE(step->step, 7);
        QCOMPARE(step->toolRepeats, 3);
        const auto ended = LiveFeed::fromEvent({{"type", "run_ended"},
                                                {"run_id", "r1"},
                                                {"status", "killed"},
                                                {"steps", "9"},
                                                {"cost_micros", "420"}});
        QVERIFY(ended);
        QCOMPARE(ended->step, 9);
        QCOMPARE(ended->costMicros, int64_t(420));
        QVERIFY(!LiveFeed::fromEvent({{"type", "breaker"}, {"tool", "crm"}}));
        QVERIFY(!LiveFeed::fromEvent({{"type", "step"}})); // no run id
    }
};

QTEST_GUILESS_MAIN(TestLiveFeed)
#include "test_live_feed.moc"

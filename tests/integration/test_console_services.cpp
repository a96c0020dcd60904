#include "Contract.h"
#include "GiantTrace.h"
#include "HealthService.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "RunsService.h"
#include "Sandbox.h"
#include "TracesService.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <pqxx/pqxx>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace pitwall;

// The console's services against real servers of their own (a sandbox, so that the test can
// stop and start them): each answers a request, drops the answer to a request a newer one
// superseded, and comes back by itself after its servers went away.
class TestConsoleServices : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SandboxInfo m_info;
    ConnectionSettings m_settings;
    GiantTraceInfo m_big, m_small;

    void restartServers() {
        Sandbox box(m_dir.path());
        box.down();
        m_info = box.up();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_info = Sandbox(m_dir.path()).up();
        m_settings.postgres = m_info.console;
        m_settings.redis = m_info.redis;
        // Bulk limits, as `pitwallctl fleet --giant-trace` uses: under the sanitizers writing 60k
        // spans can take longer than an interactive statement may.
        auto pg = connectPostgres(m_info.admin.toStdString(), 5, PgLimits::bulk());
        m_big = writeGiantTrace(*pg, 60'000, 1);
        m_small = writeGiantTrace(*pg, 50, 2);
    }
    void cleanupTestCase() { Sandbox(m_dir.path()).down(); }

    void tracesAreFoundAndLoaded() {
        TracesService traces;
        traces.connectTo(m_settings);
        QSignalSpy found(&traces, &TracesService::runsFound);
        traces.findRuns({}, std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(found.count(), 1, 20000);
        QCOMPARE(found.first().at(0).value<RunPage>().runs.size(), size_t(2));

        QSignalSpy loaded(&traces, &TracesService::traceLoaded);
        traces.openTrace(QString::fromStdString(m_small.traceId), QStringLiteral("small"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
        QCOMPARE(loaded.first().at(0).value<LoadedTrace>().trace->spans.size(), m_small.spans);
    }

    // A new search while "More runs" is in flight: only the new search is answered, and not
    // as more of the old list.
    void aSupersededSearchIsNotAnswered() {
        TracesService traces;
        traces.connectTo(m_settings);
        QSignalSpy found(&traces, &TracesService::runsFound);
        QSignalSpy failed(&traces, &TracesService::runsFailed);
        RunFilter research;
        research.agent = "research-agent";
        traces.findRuns(research, RunCursor{INT64_MAX, "ffffffff-ffff-ffff-ffff-ffffffffffff"});
        RunFilter nobody;
        nobody.agent = "no-such-agent";
        traces.findRuns(nobody, std::nullopt);
        QTRY_VERIFY_WITH_TIMEOUT(found.count() + failed.count() >= 1, 30000);
        // A CI run once saw neither within 20 s: say what the service said, if anything.
        if (!failed.isEmpty())
            QFAIL(qPrintable(failed.first().at(0).toString()));
        QCOMPARE(found.count(), 1);
        // The worker answers in order: the first request's answer would have come first.
        QVERIFY(found.first().at(0).value<RunPage>().runs.empty());
        QCOMPARE(found.first().at(1).toBool(), false); // a new list, not an append
    }

    // Opening another trace while a big one loads: the big one's progress and its trace never
    // reach the page after that; the other trace does.
    void aSupersededLoadSaysNothingMore() {
        TracesService traces;
        traces.connectTo(m_settings);
        QSignalSpy loading(&traces, &TracesService::traceLoading);
        QSignalSpy loaded(&traces, &TracesService::traceLoaded);
        const QString big = QString::fromStdString(m_big.traceId);
        const QString small = QString::fromStdString(m_small.traceId);
        traces.openTrace(big, QStringLiteral("big"));
        traces.openTrace(small, QStringLiteral("small"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        QCOMPARE(loaded.first().at(0).value<LoadedTrace>().title, QStringLiteral("small"));
        QCOMPARE(loading.at(0).at(0).toString(), big); // said at once, before the second open
        for (int i = 1; i < loading.count(); ++i)
            QCOMPARE(loading.at(i).at(0).toString(), small);
    }

    void detailsArePolledForTheWatchedRunOnly() {
        RedisConnection redis(RedisEndpoint::parse(m_info.redis.toStdString()));
        const RedisKeys keys;
        for (const char *id : {"run-a", "run-b"})
            redis.command({"HSET", keys.run(id), EventField::agent, "support", EventField::status,
                           "running"});
        RunsService runs;
        runs.connectTo(m_settings);
        QSignalSpy details(&runs, &RunsService::detailsArrived);
        runs.watchDetails(QStringLiteral("run-a"));
        runs.watchDetails(QStringLiteral("run-b"));
        // Polled again after each answer, for run-b only.
        QTRY_VERIFY_WITH_TIMEOUT(details.count() >= 2, 20000);
        for (const auto &args : details) {
            const RunDetails d = args.at(0).value<RunDetails>();
            QCOMPARE(d.runId, std::string("run-b"));
            QVERIFY2(d.error.empty(), d.error.c_str());
        }
        runs.watchDetails(QString());
    }

    // A probe stuck in a connect timeout to the previous server says nothing once the console
    // connected elsewhere: not "Down", and no kill permissions of the previous login.
    void anEarlierConnectionsHealthIsDropped() {
        // A server that takes the connection and never answers libpq's startup packet.
        const int silent = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(silent >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        QVERIFY(::bind(silent, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
        QVERIFY(::listen(silent, 4) == 0);
        QVERIFY(::getsockname(silent, reinterpret_cast<sockaddr *>(&address), &length) == 0);
        HealthService health(200);
        QSignalSpy said(&health, &HealthService::healthChanged);
        ConnectionSettings stuck = m_settings;
        stuck.postgres = QStringLiteral("host=127.0.0.1 port=%1 dbname=x user=x connect_timeout=2")
                             .arg(ntohs(address.sin_port));
        health.connectTo(stuck);
        health.connectTo(m_settings);
        // Long past the stuck probe's timeout: a dozen looks of the new one, all healthy.
        QTRY_VERIFY_WITH_TIMEOUT(said.count() >= 15, 30000);
        for (const auto &args : said)
            QCOMPARE(int(args.at(0).value<StoreHealth>().postgres),
                     int(StoreHealth::State::Healthy));
        ::close(silent);
    }

    // Last: the servers go away and come back; every service notices, and answers again
    // without being told.
    void servicesComeBackWithTheirServers() {
        RunsService runs;
        TracesService traces;
        HealthService health(200);
        for (auto connect : {std::function<void()>([&] { runs.connectTo(m_settings); }),
                             std::function<void()>([&] { traces.connectTo(m_settings); }),
                             std::function<void()>([&] { health.connectTo(m_settings); })})
            connect();
        QSignalSpy healthSaid(&health, &HealthService::healthChanged);
        QSignalSpy details(&runs, &RunsService::detailsArrived);
        QSignalSpy found(&traces, &TracesService::runsFound);
        QSignalSpy failed(&traces, &TracesService::runsFailed);
        runs.watchDetails(QStringLiteral("run-c"));
        QTRY_VERIFY_WITH_TIMEOUT(details.count() >= 1, 20000);

        Sandbox(m_dir.path()).down();
        auto lastHealth = [&] {
            return healthSaid.last().at(0).value<StoreHealth>();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!healthSaid.isEmpty() &&
                                     lastHealth().postgres == StoreHealth::State::Down &&
                                     lastHealth().redis == StoreHealth::State::Down,
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!details.last().at(0).value<RunDetails>().error.empty(), 20000);
        traces.findRuns({}, std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QVERIFY2(failed.first().at(0).toString().startsWith(QStringLiteral("Could not list runs")),
                 qPrintable(failed.first().at(0).toString()));

        m_info = Sandbox(m_dir.path()).up();
        QTRY_VERIFY_WITH_TIMEOUT(lastHealth().postgres == StoreHealth::State::Healthy &&
                                     lastHealth().redis == StoreHealth::State::Healthy,
                                 30000);
        // The details poll goes on by itself; the run finder answers the next search.
        QTRY_VERIFY_WITH_TIMEOUT(details.last().at(0).value<RunDetails>().error.empty(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (failed.count() + found.count() > 0 && found.isEmpty()) {
                    failed.clear(); // in its backoff, or the server still starting: ask again
                    traces.findRuns({}, std::nullopt);
                }
                return !found.isEmpty();
            }(),
            30000);
        QCOMPARE(found.last().at(0).value<RunPage>().runs.size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestConsoleServices)
#include "test_console_services.moc"

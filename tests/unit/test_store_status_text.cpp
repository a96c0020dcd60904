#include "StoreHealthProbe.h"
#include "StoreStatusText.h"

#include <QTest>

using namespace pitwall;

class TestStoreStatusText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void restoredMirrorsAreSaid() {
        StoreHealth h;
        h.redis = StoreHealth::State::Healthy;
        h.redisVersion = QStringLiteral("7.0.15");
        h.mirrorNote = QStringLiteral("Redis restarted at 14:02:11: 5 mirror(s) restored");
        QVERIFY(StoreStatus::redis(h).label.endsWith(h.mirrorNote));
        QVERIFY(StoreStatus::redis(h).tooltip.contains(h.mirrorNote));
    }

    void healthyPostgresShowsVersionRoundTripSchemaAndRole() {
        StoreHealth h;
        h.postgres = StoreHealth::State::Healthy;
        h.postgresVersion = QStringLiteral("15.8");
        h.postgresRttMs = 0.42;
        h.schemaVersion = 1;
        h.role = QStringLiteral("oncall (budget_owner, operator, viewer)");
        h.postgresServer = QStringLiteral("PostgreSQL at /tmp/pg (port 5432)");
        const StoreStatusText t = StoreStatus::postgres(h);
        QCOMPARE(t.tone, StoreStatusText::Tone::Good);
        QVERIFY2(t.label.contains(QStringLiteral("15.8")), qPrintable(t.label));
        QVERIFY2(t.label.contains(QStringLiteral("0.4 ms")), qPrintable(t.label));
        QVERIFY2(t.label.contains(QStringLiteral("schema v1")), qPrintable(t.label));
        QVERIFY2(t.label.contains(QStringLiteral("oncall")), qPrintable(t.label));
        QCOMPARE(t.tooltip, h.postgresServer);
    }
    void missingSchemaIsAWarningThatSaysWhatToDo() {
        StoreHealth h;
        h.postgres = StoreHealth::State::Healthy;
        h.schemaVersion = -1;
        h.postgresError = QStringLiteral("no Pitwall schema: run `pitwallctl migrate`");
        const StoreStatusText t = StoreStatus::postgres(h);
        QCOMPARE(t.tone, StoreStatusText::Tone::Warning);
        QVERIFY(t.tooltip.contains(QStringLiteral("pitwallctl migrate")));
    }
    void unreachableStoresAreRedWithTheReason() {
        StoreHealth h;
        h.postgres = StoreHealth::State::Down;
        h.postgresError = QStringLiteral("Cannot reach PostgreSQL at db:5432");
        h.redis = StoreHealth::State::Down;
        h.redisError = QStringLiteral("Cannot reach Redis at redis://cache:6379");
        QCOMPARE(StoreStatus::postgres(h).tone, StoreStatusText::Tone::Bad);
        QCOMPARE(StoreStatus::postgres(h).tooltip, h.postgresError);
        QCOMPARE(StoreStatus::redis(h).tone, StoreStatusText::Tone::Bad);
        QVERIFY(StoreStatus::redis(h).label.contains(QStringLiteral("unreachable")));
        QCOMPARE(StoreStatus::liveRuns(h), QStringLiteral("Live runs: –"));
    }
    void liveRunsCount() {
        StoreHealth h;
        h.liveRuns = 42;
        QCOMPARE(StoreStatus::liveRuns(h), QStringLiteral("Live runs: 42"));
    }
    void unknownIsConnecting() {
        const StoreHealth h;
        QVERIFY(StoreStatus::redis(h).label.contains(QStringLiteral("connecting")));
        QCOMPARE(StoreStatus::redis(h).tone, StoreStatusText::Tone::Neutral);
    }

    // The sentence the health probe gives for each schema it finds, where it is built.
    void schemaProblems_data() {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << 0
                              << QStringLiteral("db:5432 has no Pitwall schema: run `pitwallctl "
                                                "migrate` against it.");
        QTest::newRow("older") << 2
                               << QStringLiteral("The schema (version 2) is older than this "
                                                 "console (3): run `pitwallctl migrate` against "
                                                 "it.");
        QTest::newRow("current") << 3 << QString();
        QTest::newRow("newer") << 4
                               << QStringLiteral("The schema (version 4) is newer than this "
                                                 "console (3): upgrade Pitwall.");
    }
    void schemaProblems() {
        QFETCH(int, version);
        QTEST(StoreHealthProbe::schemaProblem(version, 3, QStringLiteral("db:5432")), "expected");
    }

    void killPermissionFollowsTheRoles() {
        StoreHealth h;
        QVERIFY(!killPermission(h).allowed);
        QCOMPARE(killPermission(h).whyNot, QStringLiteral("PostgreSQL is not reachable."));
        h.postgres = StoreHealth::State::Healthy;
        h.role = QStringLiteral("eve (viewer)");
        h.roles = {QStringLiteral("viewer")};
        QVERIFY(!killPermission(h).allowed);
        QVERIFY(killPermission(h).whyNot.contains(QStringLiteral("pitwall_operator")));
        h.roles << QStringLiteral("operator");
        QVERIFY(killPermission(h).allowed);
        QVERIFY(killPermission(h).whyNot.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStoreStatusText)
#include "test_store_status_text.moc"

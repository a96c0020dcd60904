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
};

QTEST_GUILESS_MAIN(TestStoreStatusText)
#include "test_store_status_text.moc"

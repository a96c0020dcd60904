#include "ConnectionSettings.h"

#include <QTest>

using namespace pitwall;

class TestConnectionSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void postgresPasswordsStayOut_data() {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QString>("stored");
        QTest::addColumn<QString>("password");
        QTest::newRow("keyword") << "host=db user=oncall password=s3cret dbname=agents"
                                 << "host=db user=oncall dbname=agents"
                                 << "s3cret";
        QTest::newRow("quoted keyword") << "host=db password='a b\\'c' user=x"
                                        << "host=db user=x"
                                        << "a b'c";
        QTest::newRow("uri") << "postgresql://oncall:s3cret@db:5432/agents"
                             << "postgresql://oncall@db:5432/agents"
                             << "s3cret";
        QTest::newRow("uri query") << "postgresql://db/agents?user=x&password=s3cret"
                                   << "postgresql://db/agents?user=x"
                                   << "s3cret";
        QTest::newRow("none") << "host=/run/pg dbname=pitwall"
                              << "host=/run/pg dbname=pitwall"
                              << "";
    }
    void postgresPasswordsStayOut() {
        QFETCH(QString, conninfo);
        QFETCH(QString, password);
        const QString stored = ConnectionSettings::postgresWithoutPassword(conninfo);
        QTEST(stored, "stored");
        QVERIFY(password.isEmpty() || !stored.contains(password));
    }
    void redisPasswordsStayOut_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("stored");
        QTest::addColumn<QString>("password");
        QTest::newRow("user and password") << "redis://ops:s3cret@cache:6380/1"
                                           << "redis://ops@cache:6380/1"
                                           << "s3cret";
        QTest::newRow("password only") << "redis://s3cret@cache"
                                       << "redis://cache"
                                       << "s3cret";
        QTest::newRow("socket") << "unix:///run/redis.sock"
                                << "unix:///run/redis.sock"
                                << "";
    }
    void redisPasswordsStayOut() {
        QFETCH(QString, url);
        QFETCH(QString, password);
        const QString stored = ConnectionSettings::redisWithoutPassword(url);
        QTEST(stored, "stored");
        QVERIFY(password.isEmpty() || !stored.contains(password));
    }
    void environmentFillsOnlyWhatIsMissing() {
        qputenv("PITWALL_PG", "host=from-env");
        qputenv("PITWALL_REDIS", "redis://from-env");
        ConnectionSettings s;
        s.postgres = QStringLiteral("host=from-flag");
        s.fillFromEnvironment();
        QCOMPARE(s.postgres, QStringLiteral("host=from-flag"));
        QCOMPARE(s.redis, QStringLiteral("redis://from-env"));
        QVERIFY(s.isComplete());
    }
};

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "test_connection_settings.moc"

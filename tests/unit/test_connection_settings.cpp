#include "ConnectionStrings.h"

#include <QTest>

using namespace pitwall;

class TestConnectionSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void postgresPasswordsStayOut_data() {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QString>("stored");
        QTest::addColumn<QString>("password");
        // Read by libpq's own parser, written back in keyword form (libpq's order).
        QTest::newRow("keyword") << "host=db user=oncall password=s3cret dbname=agents"
                                 << "user=oncall dbname=agents host=db"
                                 << "s3cret";
        QTest::newRow("quoted keyword") << "host=db password='a b\\'c' user=x"
                                        << "user=x host=db"
                                        << "a b'c";
        QTest::newRow("uri") << "postgresql://oncall:s3cret@db:5432/agents"
                             << "user=oncall dbname=agents host=db port=5432"
                             << "s3cret";
        QTest::newRow("uri query") << "postgresql://db/agents?user=x&password=s3cret"
                                   << "user=x dbname=agents host=db"
                                   << "s3cret";
        QTest::newRow("uri, @ in the password")
            << "postgresql://oncall:Pa%40ss%2Fw0rd-SECRET@db/agents"
            << "user=oncall dbname=agents host=db"
            << "Pa@ss/w0rd-SECRET";
        QTest::newRow("none") << "host=/run/pg dbname=pitwall"
                              << "dbname=pitwall host=/run/pg"
                              << "";
        QTest::newRow("spaces quoted") << "host=db application_name='on call'"
                                       << "host=db application_name='on call'"
                                       << "";
        QTest::newRow("not readable: nothing stored") << "host=db password='unterminated"
                                                      << ""
                                                      << "unterminated";
    }
    void postgresPasswordsStayOut() {
        QFETCH(QString, conninfo);
        QFETCH(QString, password);
        const QString stored = postgresWithoutPassword(conninfo);
        QTEST(stored, "stored");
        QVERIFY(password.isEmpty() || !stored.contains(password));
    }
    void redisPasswordsStayOut_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("stored");
        QTest::addColumn<QString>("password");
        QTest::newRow("user and password") << "redis://ops:s3cret@cache:6380/1"
                                           << "redis://ops:@cache:6380/1"
                                           << "s3cret";
        QTest::newRow("password only") << "redis://s3cret@cache"
                                       << "redis://cache:6379"
                                       << "s3cret";
        // Found by the probe: the old pattern stopped at the first @, the parser at the last,
        // and "ss/w0rd-SECRET" was saved.
        QTest::newRow("@ in the password") << "redis://default:Pa@ss/w0rd-SECRET@host:1"
                                           << "redis://default:@host:1"
                                           << "Pa@ss/w0rd-SECRET";
        QTest::newRow("not readable: nothing stored") << "redis://u:secret@host:notaport"
                                                      << ""
                                                      << "secret";
        QTest::newRow("socket") << "unix:///run/redis.sock"
                                << "unix:///run/redis.sock"
                                << "";
    }
    void redisPasswordsStayOut() {
        QFETCH(QString, url);
        QFETCH(QString, password);
        const QString stored = redisWithoutPassword(url);
        QTEST(stored, "stored");
        QVERIFY(password.isEmpty() || !stored.contains(password));
    }
    // What was split comes back whole: the password from the keychain joins the stored address.
    void splitAndJoinAgain_data() {
        QTest::addColumn<QString>("postgres");
        QTest::addColumn<QString>("redis");
        QTest::newRow("plain") << "host=db user=oncall password=s3cret"
                               << "redis://ops:s3cret@cache:6380/1";
        QTest::newRow("awkward") << "host=db user=oncall password='a b\\'c\\\\d'"
                                 << "redis://default:Pa@ss/w0rd:%25@host:1";
    }
    void splitAndJoinAgain() {
        QFETCH(QString, postgres);
        QFETCH(QString, redis);
        const auto pg = splitPostgres(postgres);
        const auto again = splitPostgres(joinPostgres(pg.address, pg.password));
        QCOMPARE(again.address, pg.address);
        QCOMPARE(again.password, pg.password);
        const auto r = splitRedis(redis);
        const auto rAgain = splitRedis(joinRedis(r.address, r.password));
        QCOMPARE(rAgain.address, r.address);
        QCOMPARE(rAgain.password, r.password);
        QVERIFY(!r.password.isEmpty());
    }
    void environmentFillsOnlyWhatIsMissing() {
        qputenv("PITWALL_PG", "host=from-env");
        qputenv("PITWALL_REDIS", "redis://from-env");
        ConnectionSettings s;
        s.postgres = QStringLiteral("host=from-flag");
        fillFromEnvironment(s);
        QCOMPARE(s.postgres, QStringLiteral("host=from-flag"));
        QCOMPARE(s.redis, QStringLiteral("redis://from-env"));
        QVERIFY(s.isComplete());
    }
};

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "test_connection_settings.moc"

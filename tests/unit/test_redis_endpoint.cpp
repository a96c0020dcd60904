#include "RedisEndpoint.h"
#include "StoreError.h"

#include <QTest>

using namespace pitwall;

class TestRedisEndpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A refused URL is quoted without what may be its password.
    void errorsNeverShowThePassword() {
        try {
            RedisEndpoint::parse("redis://default:Pa@ss/w0rd-SECRET@host:notaport");
            QFAIL("accepted");
        } catch (const StoreError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find("SECRET") == std::string::npos, what.c_str());
            QVERIFY2(what.find("w0rd") == std::string::npos, what.c_str());
            QVERIFY2(what.find("host:notaport") != std::string::npos, what.c_str());
        }
    }
    // The password may come from the environment instead of the URL (and so argv).
    void passwordFromTheEnvironment() {
        qputenv("PITWALL_REDIS_PASSWORD", "from-env");
        QCOMPARE(RedisEndpoint::parse("redis://ops:@cache").password, std::string("from-env"));
        QCOMPARE(RedisEndpoint::parse("redis://cache").password, std::string("from-env"));
        QCOMPARE(RedisEndpoint::parse("redis://ops:in-url@cache").password, std::string("in-url"));
        qunsetenv("PITWALL_REDIS_PASSWORD");
        QCOMPARE(RedisEndpoint::parse("redis://cache").password, std::string());
    }

    void parses_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("socket");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("db");
        QTest::addColumn<QString>("display");
        QTest::newRow("host only") << "redis://cache"
                                   << "cache" << 6379 << ""
                                   << ""
                                   << "" << 0 << "redis://cache:6379";
        QTest::newRow("everything") << "redis://ops:s%40cret@10.0.0.5:6380/2"
                                    << "10.0.0.5" << 6380 << ""
                                    << "ops"
                                    << "s@cret" << 2 << "redis://ops@10.0.0.5:6380/2";
        QTest::newRow("password only") << "redis://hunter2@localhost"
                                       << "localhost" << 6379 << ""
                                       << ""
                                       << "hunter2" << 0 << "redis://localhost:6379";
        QTest::newRow("unix socket") << "unix:///run/redis/redis.sock"
                                     << "" << 6379 << "/run/redis/redis.sock"
                                     << ""
                                     << "" << 0 << "unix:///run/redis/redis.sock";
    }
    void parses() {
        QFETCH(QString, url);
        const RedisEndpoint e = RedisEndpoint::parse(url.toStdString());
        QTEST(QString::fromStdString(e.host), "host");
        QTEST(e.port, "port");
        QTEST(QString::fromStdString(e.socketPath), "socket");
        QTEST(QString::fromStdString(e.user), "user");
        QTEST(QString::fromStdString(e.password), "password");
        QTEST(e.db, "db");
        QTEST(QString::fromStdString(e.display()), "display");
    }
    void refuses_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("why");
        QTest::newRow("empty") << ""
                               << "it is empty";
        QTest::newRow("http") << "http://cache:6379"
                              << "must start with redis://";
        QTest::newRow("bad port") << "redis://cache:63a9"
                                  << "is not a port number";
        QTest::newRow("port out of range") << "redis://cache:70000"
                                           << "is not a port number";
        QTest::newRow("bad db") << "redis://cache/x"
                                << "is not a number";
        QTest::newRow("relative socket") << "unix://redis.sock"
                                         << "must be absolute";
        QTest::newRow("no host") << "redis://:6379"
                                 << "names no host";
    }
    void refuses() {
        QFETCH(QString, url);
        QFETCH(QString, why);
        try {
            RedisEndpoint::parse(url.toStdString());
            QFAIL("accepted a bad URL");
        } catch (const StoreError &e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(why), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("redis://[user:password@]host")),
                     qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestRedisEndpoint)
#include "test_redis_endpoint.moc"

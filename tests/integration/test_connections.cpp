#include "ActionsService.h"
#include "Guard.h"
#include "RedisConnection.h"
#include "StoreError.h"
#include "TestStores.h"

#include <QTest>

using namespace pitwall;
using test::TestStores;

// Every way of failing to connect gives one sentence that names the server and what to do.
class TestConnections : public QObject {
    Q_OBJECT

    static QString failure(const std::function<void()> &f) {
        try {
            f();
        } catch (const StoreError &e) {
            return QString::fromUtf8(e.what());
        }
        return QStringLiteral("no error");
    }

private Q_SLOTS:
    void redisLogin() {
        TestStores stores;
        RedisConnection admin(stores.redis());
        const std::string user = "pw_test_login";
        admin.command({"ACL", "SETUSER", user, "reset", "on", ">right-password", "~*", "+@all"});
        RedisEndpoint e = stores.redis();
        e.user = user;
        e.password = "wrong-password";
        const QString refused = failure([&] { RedisConnection(e).connect(); });
        QVERIFY2(refused.startsWith(QStringLiteral("Redis at ") +
                                    QString::fromStdString(e.display()) +
                                    QStringLiteral(" refused the login")),
                 qPrintable(refused));
        QVERIFY2(refused.contains(QStringLiteral("check the user and password")),
                 qPrintable(refused));
        QVERIFY(!refused.contains(QStringLiteral("wrong-password")));
        e.password = "right-password";
        RedisConnection ok(e);
        QCOMPARE(ok.command({"ACL", "WHOAMI"}).str, user);
        admin.command({"ACL", "DELUSER", user});
    }

    void redisUnreachable() {
        RedisEndpoint e;
        e.socketPath = "/nonexistent/redis.sock";
        const QString why = failure([&] { RedisConnection(e).connect(); });
        QVERIFY2(
            why.startsWith(QStringLiteral("Cannot reach Redis at unix:///nonexistent/redis.sock")),
            qPrintable(why));
        QVERIFY2(why.contains(QStringLiteral("PITWALL_REDIS")), qPrintable(why));
    }

    void missingSchemaSaysMigrate() {
        TestStores stores;
        const std::string empty = stores.createEmptyDatabase();
        ActionsService actions(empty, stores.redis(), stores.prefix());
        const QString why =
            failure([&] { actions.killRun("6f1c1f0e-8f0a-4b8e-9a53-1d2b3c4d5e6f", "x"); });
        QVERIFY2(why.contains(QStringLiteral("has no Pitwall schema")), qPrintable(why));
        QVERIFY2(why.contains(QStringLiteral("pitwallctl migrate")), qPrintable(why));

        GuardOptions o;
        o.pg = empty;
        o.redis = stores.redis();
        o.keyPrefix = stores.prefix();
        Guard guard(o);
        const QString guardWhy = failure([&] { guard.startRun({"support", "alice", "http"}); });
        QVERIFY2(guardWhy.contains(QStringLiteral("pitwallctl migrate")), qPrintable(guardWhy));
    }

    void postgresUnreachableFromTheGuard() {
        TestStores stores;
        GuardOptions o;
        o.pg = "host=/nonexistent/pg dbname=x user=y";
        o.redis = stores.redis();
        const QString why = failure([&] { Guard guard(o); });
        QVERIFY2(why.startsWith(QStringLiteral("Cannot reach PostgreSQL at /nonexistent/pg")),
                 qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestConnections)
#include "test_connections.moc"

#include "Contract.h"
#include "Guard.h"

#include <QTest>

using namespace pitwall;

// What agents in every language must agree on: the names of the contract and the canary split.
class TestContract : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Fixed values, computed outside this code base (FNV-1a 64 over user "\n" agent, mod 100):
    // a guard in Python or TypeScript must give the same buckets.
    void canaryBuckets_data() {
        QTest::addColumn<QByteArray>("user");
        QTest::addColumn<QByteArray>("agent");
        QTest::addColumn<int>("bucket");
        QTest::newRow("alice/support") << QByteArray("alice") << QByteArray("support") << 82;
        QTest::newRow("user-0001/support")
            << QByteArray("user-0001") << QByteArray("support") << 67;
        QTest::newRow("user-0002/research")
            << QByteArray("user-0002") << QByteArray("research") << 22;
        QTest::newRow("bob/billing-bot") << QByteArray("bob") << QByteArray("billing-bot") << 33;
        QTest::newRow("empty") << QByteArray("") << QByteArray("") << 65;
        QTest::newRow("utf-8 user") << QByteArray("zo\xc3\xab") << QByteArray("support") << 69;
    }
    void canaryBuckets() {
        QFETCH(QByteArray, user);
        QFETCH(QByteArray, agent);
        QFETCH(int, bucket);
        QCOMPARE(Guard::canaryBucket(user.toStdString(), agent.toStdString()), bucket);
        // The canary's weight is the share of buckets below it.
        QCOMPARE(Guard::userGetsCanary(user.toStdString(), agent.toStdString(), bucket), false);
        QCOMPARE(Guard::userGetsCanary(user.toStdString(), agent.toStdString(), bucket + 1), true);
        QCOMPARE(Guard::userGetsCanary(user.toStdString(), agent.toStdString(), 0), false);
        QCOMPARE(Guard::userGetsCanary(user.toStdString(), agent.toStdString(), 100), true);
    }

    void runStatusesAreTheContractsNames() {
        QCOMPARE(kRunStatusNames.size(), size_t(7));
        for (size_t i = 0; i < kRunStatusNames.size(); ++i) {
            const auto status = parseRunStatus(kRunStatusNames[i]);
            QVERIFY(status);
            QCOMPARE(size_t(*status), i);
            QCOMPARE(runStatusName(*status), kRunStatusNames[i]);
        }
        QCOMPARE(runStatusName(RunStatus::StepLimit), std::string_view("step_limit"));
        QVERIFY(!parseRunStatus("Running")); // names are exact
        QVERIFY(!parseRunStatus(""));
        QCOMPARE(toString(RunStatus::Killed), std::string("killed"));
    }

    void redisKeysAreTheContractsNames() {
        const RedisKeys keys("p:");
        QCOMPARE(keys.run("r1"), std::string("p:run:r1"));
        QCOMPARE(keys.live(), std::string("p:live"));
        QCOMPARE(keys.events(), std::string("p:events"));
        QCOMPARE(keys.kill("r1"), std::string("p:kill:r1"));
        QCOMPARE(keys.cap("user", "alice"), std::string("p:cap:user:alice"));
        QCOMPARE(keys.spend("global", "*", "20261129"), std::string("p:spend:global:*:20261129"));
        QCOMPARE(keys.breaker("crm"), std::string("p:breaker:crm"));
        QCOMPARE(keys.rollout("support"), std::string("p:rollout:support"));
        QCOMPARE(RedisKeys().prefix(), std::string("pitwall:"));
        QCOMPARE(kKillDeadline.count(), 5000);
        QCOMPARE(kEventStreamMaxLen, 100000LL);
    }
};

QTEST_GUILESS_MAIN(TestContract)
#include "test_contract.moc"

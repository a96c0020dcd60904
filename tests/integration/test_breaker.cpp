#include "Contract.h"
#include "RedisConnection.h"
#include "TestStores.h"

#include <QTest>

using namespace pitwall;
using test::TestStores;

// The breaker state machine of breaker_allow.lua and breaker_record.lua, with the clock passed
// in so that cool-offs and expiries are exact.
class TestBreaker : public QObject {
    Q_OBJECT

    std::unique_ptr<TestStores> m_stores;
    std::unique_ptr<RedisConnection> m_redis;
    std::unique_ptr<RedisKeys> m_keys;
    static constexpr long long kThreshold = 3;
    static constexpr long long kCooloff = 10'000;

    RedisValue allow(long long now) {
        return m_redis->script("breaker_allow", {m_keys->breaker("crm"), m_keys->events()},
                               {std::to_string(now), std::to_string(kThreshold),
                                std::to_string(kCooloff), "crm", "1000"});
    }
    RedisValue record(long long now, bool success) {
        return m_redis->script("breaker_record", {m_keys->breaker("crm"), m_keys->events()},
                               {std::to_string(now), success ? "1" : "0",
                                success ? "" : "503 from crm", std::to_string(kThreshold),
                                std::to_string(kCooloff), "crm", "1000"});
    }
    static std::string verdict(const RedisValue &v) {
        return v.elements.at(0).str + "/" + v.elements.at(1).str;
    }
    std::vector<std::string> transitions() {
        std::vector<std::string> out;
        for (const auto &entry :
             m_redis->command({"XRANGE", m_keys->events(), "-", "+"}).elements) {
            auto fields = entry.elements.at(1).toMap();
            if (fields["type"] == "breaker")
                out.push_back(fields["from"] + "->" + fields["to"]);
        }
        return out;
    }

private Q_SLOTS:
    void init() {
        m_stores = std::make_unique<TestStores>();
        m_redis = std::make_unique<RedisConnection>(m_stores->redis());
        m_keys = std::make_unique<RedisKeys>(m_stores->prefix());
    }
    void cleanup() {
        m_redis.reset();
        m_stores.reset();
    }

    void opensAfterThresholdThenHalfOpenThenCloses() {
        long long t = 1'000'000;
        for (int i = 0; i < kThreshold - 1; ++i) {
            QCOMPARE(verdict(allow(t)), std::string("allow/closed"));
            QCOMPARE(record(t, false).elements.at(0).str, std::string("closed"));
        }
        QCOMPARE(verdict(allow(t)), std::string("allow/closed"));
        const RedisValue opened = record(t, false);
        QCOMPARE(opened.elements.at(0).str, std::string("open"));
        QCOMPARE(opened.elements.at(1).toInt(), 1LL);
        QCOMPARE(opened.elements.at(3).toInt(), kThreshold);

        // Open: calls are refused until the cool-off passes, with the time left.
        const RedisValue denied = allow(t + kCooloff - 1);
        QCOMPARE(verdict(denied), std::string("deny/open"));
        QCOMPARE(denied.elements.at(4).toInt(), 1LL);

        // Half-open: exactly one trial call; others wait.
        QCOMPARE(verdict(allow(t + kCooloff)), std::string("allow/half_open"));
        QCOMPARE(verdict(allow(t + kCooloff + 1)), std::string("deny/half_open"));
        const RedisValue closed = record(t + kCooloff + 5, true);
        QCOMPARE(closed.elements.at(0).str, std::string("closed"));
        QCOMPARE(closed.elements.at(3).toInt(), 0LL);
        QCOMPARE(verdict(allow(t + kCooloff + 6)), std::string("allow/closed"));
        QCOMPARE(transitions(), (std::vector<std::string>{"closed->open", "open->half_open",
                                                          "half_open->closed"}));
    }

    void failedTrialOpensAgain() {
        long long t = 5'000'000;
        for (int i = 0; i < kThreshold; ++i) {
            allow(t);
            record(t, false);
        }
        QCOMPARE(verdict(allow(t + kCooloff)), std::string("allow/half_open"));
        const RedisValue reopened = record(t + kCooloff + 10, false);
        QCOMPARE(reopened.elements.at(0).str, std::string("open"));
        QCOMPARE(reopened.elements.at(2).str, std::string("half_open"));
        // The cool-off starts again from the failed trial.
        QCOMPARE(verdict(allow(t + kCooloff + 10 + kCooloff - 1)), std::string("deny/open"));
        QCOMPARE(verdict(allow(t + kCooloff + 10 + kCooloff)), std::string("allow/half_open"));
    }

    void successesResetTheFailureCount() {
        long long t = 9'000'000;
        for (int round = 0; round < 3; ++round) {
            for (int i = 0; i < kThreshold - 1; ++i) {
                allow(t);
                record(t, false);
            }
            allow(t);
            QCOMPARE(record(t, true).elements.at(3).toInt(), 0LL);
        }
        QCOMPARE(verdict(allow(t)), std::string("allow/closed"));
    }

    void forcedStateHoldsUntilItExpires_data() {
        QTest::addColumn<QString>("forced");
        QTest::addColumn<QString>("whileForced");
        QTest::newRow("forced open over a healthy tool") << "open"
                                                         << "deny/forced_open";
        QTest::newRow("forced closed over a failing tool") << "closed"
                                                           << "allow/forced_closed";
    }
    void forcedStateHoldsUntilItExpires() {
        QFETCH(QString, forced);
        QFETCH(QString, whileForced);
        long long t = 20'000'000;
        if (forced == QLatin1String("closed")) { // trip it first
            for (int i = 0; i < kThreshold; ++i) {
                allow(t);
                record(t, false);
            }
        }
        m_redis->command({"HSET", m_keys->breaker("crm"), "forced", forced.toStdString(),
                          "forced_until_ms", std::to_string(t + 60'000)});
        for (long long dt : {0LL, 30'000LL, 59'999LL})
            QCOMPARE(verdict(allow(t + dt)), whileForced.toStdString());
        // Failures while forced closed are counted but never trip it.
        record(t + 100, false);
        QCOMPARE(verdict(allow(t + 200)), whileForced.toStdString());

        // Expired: the automatic state resumes, and the change is an event.
        const RedisValue after = allow(t + 60'000);
        QCOMPARE(after.elements.at(2).toInt(), 1LL);
        QCOMPARE(after.elements.at(3).str, "forced_" + forced.toStdString());
        if (forced == QLatin1String("open"))
            QCOMPARE(verdict(after), std::string("allow/closed"));
        else // it was open long enough ago: straight to a half-open trial
            QCOMPARE(verdict(after), std::string("allow/half_open"));
        QVERIFY(m_redis->command({"HGET", m_keys->breaker("crm"), "forced"}).isNil());
    }
};

QTEST_GUILESS_MAIN(TestBreaker)
#include "test_breaker.moc"

#include "ActionsService.h"
#include "Clock.h"
#include "RedisConnection.h"
#include "TestStores.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace pitwall;
using test::TestStores;

// 64 clients reserve for the same user at once until the caps refuse them. The caps must never
// be overshot, and every micro-dollar must be accounted for.
class TestSpendContention : public QObject {
    Q_OBJECT

    static long long field(const std::unordered_map<std::string, std::string> &m,
                           const char *name) {
        auto it = m.find(name);
        return it == m.end() || it->second.empty() ? 0 : std::stoll(it->second);
    }

    static RedisArgs spendKeys(const RedisKeys &k, const std::string &day) {
        return {k.cap("user", "alice"),
                k.cap("agent", "support"),
                k.cap("global", "*"),
                k.spend("user", "alice", day),
                k.spend("agent", "support", day),
                k.spend("global", "*", day),
                k.run("run-of-alice")};
    }

    // The day's counters as a guard leaves them after seeding from an empty ledger.
    static void seedEmpty(RedisConnection &r, const RedisKeys &k, const std::string &day) {
        for (const auto &key : {k.spend("user", "alice", day), k.spend("agent", "support", day),
                                k.spend("global", "*", day)})
            r.script("seed_spend", {key}, {"0", "3600", std::to_string(nowMs())});
    }

private Q_SLOTS:
    void concurrentReservationsNeverOvershoot_data() {
        QTest::addColumn<qint64>("capMicros");
        QTest::addColumn<qint64>("perRequestMicros");
        QTest::addColumn<qint64>("estimateMicros");
        QTest::newRow("even") << qint64(1'000'000) << qint64(-1) << qint64(10'000);
        QTest::newRow("uneven estimate") << qint64(1'000'000) << qint64(-1) << qint64(7'001);
        QTest::newRow("per-request cap bites")
            << qint64(5'000'000) << qint64(30'000) << qint64(30'001);
    }
    void concurrentReservationsNeverOvershoot() {
        QFETCH(qint64, capMicros);
        QFETCH(qint64, perRequestMicros);
        QFETCH(qint64, estimateMicros);
        TestStores stores;
        const RedisKeys k(stores.prefix());
        const std::string day = utcDay(nowMs());
        {
            RedisConnection setup(stores.redis());
            setup.command({"HSET", k.cap("user", "alice"), "daily_micros",
                           std::to_string(capMicros), "per_request_micros",
                           std::to_string(perRequestMicros), "revision", "1"});
            setup.command({"HSET", k.cap("agent", "support"), "daily_micros", "-1",
                           "per_request_micros", "-1", "revision", "1"});
            setup.command({"HSET", k.cap("global", "*"), "daily_micros", "-1", "per_request_micros",
                           "-1", "revision", "1"});
            seedEmpty(setup, k, day);
        }
        constexpr int kClients = 64;
        std::atomic<long long> granted{0}, grantedMicros{0}, refused{0};
        std::atomic<int> errors{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < kClients; ++i)
            clients.emplace_back([&] {
                try {
                    RedisConnection r(stores.redis());
                    for (;;) {
                        auto reply = r.script(
                            "reserve_spend", spendKeys(k, day),
                            {std::to_string(estimateMicros), std::to_string(nowMs()), "3600"});
                        if (reply.elements.at(0).str != "ok") {
                            refused++;
                            return;
                        }
                        granted++;
                        grantedMicros += estimateMicros;
                    }
                } catch (const std::exception &) {
                    errors++;
                }
            });
        for (auto &t : clients)
            t.join();
        QCOMPARE(errors.load(), 0);
        QCOMPARE(refused.load(), 64LL);

        RedisConnection r(stores.redis());
        auto spend = r.command({"HGETALL", k.spend("user", "alice", day)}).toMap();
        const long long reserved = field(spend, "reserved_micros");
        const long long settled =
            spend.count("settled_micros") ? field(spend, "settled_micros") : 0;
        const long long overshoot = std::max(0LL, settled + reserved - capMicros);
        qInfo("reserve_spend under %d clients: %lld granted, %lld micro-dollars reserved of a "
              "cap of %lld, overshoot %lld",
              kClients, granted.load(), reserved, capMicros, overshoot);
        QCOMPARE(overshoot, 0LL);
        QCOMPARE(reserved, grantedMicros.load());
        QCOMPARE(field(spend, "requests"), granted.load());
        QCOMPARE(field(spend, "refused"), 64LL);
        if (perRequestMicros < 0) // the daily cap was reached: no room for one more request
            QVERIFY(capMicros - reserved < estimateMicros);
        else
            QCOMPARE(granted.load(), 0LL);

        // Settling moves each reservation to settled at its actual cost, exactly.
        long long actualTotal = 0;
        for (long long i = 0; i < granted.load(); ++i) {
            const long long actual = estimateMicros - (i % 7) * 3;
            actualTotal += actual;
            r.script("settle_spend",
                     {k.spend("user", "alice", day), k.spend("agent", "support", day),
                      k.spend("global", "*", day), k.run("run-of-alice")},
                     {std::to_string(estimateMicros), std::to_string(actual), "3600"});
        }
        spend = r.command({"HGETALL", k.spend("user", "alice", day)}).toMap();
        QCOMPARE(field(spend, "reserved_micros"), 0LL);
        QCOMPARE(field(spend, "settled_micros"), actualTotal);
        const auto global = r.command({"HGETALL", k.spend("global", "*", day)}).toMap();
        QCOMPARE(field(global, "settled_micros"), actualTotal);
    }

    void missingCapMirrorIsReportedNotGuessed() {
        TestStores stores;
        const RedisKeys k(stores.prefix());
        RedisConnection r(stores.redis());
        auto reply = r.script("reserve_spend", spendKeys(k, utcDay(nowMs())),
                              {"1000", std::to_string(nowMs()), "3600"});
        QCOMPARE(reply.elements.at(0).str, std::string("missing"));
        QCOMPARE(reply.elements.at(1).toInt(), 1LL);
    }

    // A counter Redis lost (or a new day's) is never granted against: the caller is told to
    // seed it from the ledger, once; a second seed changes nothing.
    void unseededCounterIsNeverGrantedAgainst() {
        TestStores stores;
        const RedisKeys k(stores.prefix());
        RedisConnection r(stores.redis());
        const std::string day = utcDay(nowMs());
        r.command({"HSET", k.cap("user", "alice"), "daily_micros", "1000000", "revision", "1"});
        for (const auto &key : {k.cap("agent", "support"), k.cap("global", "*")})
            r.command({"HSET", key, "daily_micros", "-1", "revision", "1"});
        // As settle_spend leaves a counter recreated after a loss: settled, but not seeded.
        r.command({"HSET", k.spend("user", "alice", day), "settled_micros", "5"});
        auto reply =
            r.script("reserve_spend", spendKeys(k, day), {"1000", std::to_string(nowMs()), "3600"});
        QCOMPARE(reply.elements.at(0).str, std::string("unseeded"));
        QCOMPARE(reply.elements.at(1).toInt(), 1LL);
        QVERIFY(r.command({"HGET", k.spend("user", "alice", day), "reserved_micros"}).isNil());

        // The ledger said $0.999; what was settled since the loss stays on top.
        reply = r.script("seed_spend", {k.spend("user", "alice", day)},
                         {"999000", "3600", std::to_string(nowMs())});
        QCOMPARE(reply.elements.at(0).str, std::string("seeded"));
        QCOMPARE(reply.elements.at(1).str, std::string("999005"));
        reply = r.script("seed_spend", {k.spend("user", "alice", day)},
                         {"999000", "3600", std::to_string(nowMs())});
        QCOMPARE(reply.elements.at(0).str, std::string("already"));
        reply =
            r.script("reserve_spend", spendKeys(k, day), {"1000", std::to_string(nowMs()), "3600"});
        QCOMPARE(reply.elements.at(0).str, std::string("unseeded")); // the agent's counter
        QCOMPARE(reply.elements.at(1).toInt(), 2LL);
        for (const auto &key : {k.spend("agent", "support", day), k.spend("global", "*", day)})
            r.script("seed_spend", {key}, {"0", "3600", std::to_string(nowMs())});
        reply =
            r.script("reserve_spend", spendKeys(k, day), {"1000", std::to_string(nowMs()), "3600"});
        QCOMPARE(reply.elements.at(0).str, std::string("refused")); // 999005 + 1000 > 1000000
        QCOMPARE(reply.elements.at(2).str, std::string("user"));
    }

    void expiredTimeBoxedCapFallsBack() {
        TestStores stores;
        const RedisKeys k(stores.prefix());
        RedisConnection r(stores.redis());
        const long long now = nowMs();
        // A temporary $10 cap that ended a second ago; the permanent cap is $0.01.
        r.command({"HSET", k.cap("user", "alice"), "daily_micros", "10000000", "per_request_micros",
                   "-1", "revision", "2", "expires_ms", std::to_string(now - 1000),
                   "fallback_daily_micros", "10000", "fallback_per_request_micros", "-1"});
        for (const auto &key : {k.cap("agent", "support"), k.cap("global", "*")})
            r.command(
                {"HSET", key, "daily_micros", "-1", "per_request_micros", "-1", "revision", "1"});
        seedEmpty(r, k, utcDay(now));
        auto reply = r.script("reserve_spend", spendKeys(k, utcDay(now)),
                              {"20000", std::to_string(now), "3600"});
        QCOMPARE(reply.elements.at(0).str, std::string("refused"));
        QCOMPARE(reply.elements.at(1).str, std::string("daily"));
        QCOMPARE(reply.elements.at(2).str, std::string("user"));
    }
};

QTEST_GUILESS_MAIN(TestSpendContention)
#include "test_spend_contention.moc"

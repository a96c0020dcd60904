#include "Contract.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "SpendMath.h"
#include "SpendReader.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

using namespace pitwall;
using test::TestStores;

namespace {

constexpr int64_t kNoon = 1'795'953'600'000; // 2026-11-29 12:00:00 UTC, "now" for the reads

} // namespace

// What `pitwallctl spend` and the spend page read: Redis's counters, PostgreSQL's ledger, the
// last hour, the day's refusals by rule and the cap in force, for many subjects at once.
class TestSpendReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void figuresOfADay() {
        TestStores stores;
        auto c = connectPostgres(stores.pg());
        {
            pqxx::work tx(*c);
            tx.exec("INSERT INTO pitwall.spend_caps (scope, subject, daily_usd, per_request_usd)"
                    " VALUES ('user', '*', 5, 1), ('user', 'alice', 20, 2), ('global', '*', 100,"
                    " NULL)");
            auto run = [&tx](const char *user, const char *status, const char *ended,
                             const char *cost, const char *error) {
                tx.exec_params("INSERT INTO pitwall.runs (run_id, trace_id, agent, version,"
                               " user_id, entry_point, status, started_at, ended_at, steps,"
                               " cost_usd, error) VALUES (gen_random_uuid(), 't', 'bot', 'v1', $1,"
                               " 'http', $2, $3::timestamptz - interval '1 minute',"
                               " $3::timestamptz, 3, $4::numeric, $5)",
                               user, status, ended, cost, error);
            };
            run("alice", "succeeded", "2026-11-29 11:50:00+00", "1.00", nullptr);
            run("alice", "succeeded", "2026-11-29 11:30:00+00", "2.00", nullptr);
            run("alice", "failed", "2026-11-29 09:00:00+00", "3.00", "boom");
            run("alice", "capped", "2026-11-29 11:55:00+00", "0",
                "the daily cap of user alice would be exceeded");
            run("alice", "capped", "2026-11-29 11:56:00+00", "0",
                "the request's estimate exceeds the per-request cap of user alice");
            run("alice", "succeeded", "2026-11-28 23:00:00+00", "10.00", nullptr); // yesterday
            run("bob", "succeeded", "2026-11-29 11:59:00+00", "0.50", nullptr);
            tx.commit();
        }
        RedisConnection redis(stores.redis());
        const RedisKeys keys(stores.prefix());
        redis.command({"HSET", keys.spend("user", "alice", "20261129"), "settled_micros", "6000000",
                       "reserved_micros", "250000", "requests", "9", "refused", "2"});

        const auto users = readSpendFigures(*c, redis, keys, "user", {"alice", "bob"}, kNoon);
        QCOMPARE(users.size(), size_t(2));
        const SpendFigures &alice = users[0];
        QCOMPARE(alice.subject, std::string("alice"));
        QCOMPARE(alice.day, std::string("20261129"));
        QVERIFY(alice.counterPresent);
        QCOMPARE(alice.settledMicros, int64_t(6'000'000));
        QCOMPARE(alice.reservedMicros, int64_t(250'000));
        QCOMPARE(alice.requests, int64_t(9));
        QCOMPARE(alice.ledgerMicros, int64_t(6'000'000)); // today only
        QCOMPARE(alice.spent15mMicros, int64_t(1'000'000));
        QCOMPARE(alice.spent60mMicros, int64_t(3'000'000));
        QCOMPARE(alice.refusedDaily, int64_t(1));
        QCOMPARE(alice.refusedPerRequest, int64_t(1));
        QCOMPARE(alice.dailyCapMicros, int64_t(20'000'000));
        QCOMPARE(alice.perRequestCapMicros, int64_t(2'000'000));
        QVERIFY(!alice.capIsDefault);
        QCOMPARE(alice.capRevision, int64_t(1));
        QVERIFY(!spendOutlook(alice, kNoon).driftFlagged);

        const SpendFigures &bob = users[1];
        QVERIFY(!bob.counterPresent); // never reserved, or Redis lost it
        QCOMPARE(bob.ledgerMicros, int64_t(500'000));
        QCOMPARE(bob.dailyCapMicros, int64_t(5'000'000)); // the default user cap
        QVERIFY(bob.capIsDefault);
        QCOMPARE(bob.capRevision, int64_t(0));

        const auto global = readSpendFigures(*c, redis, keys, "global", {"*"}, kNoon);
        QCOMPARE(global.at(0).ledgerMicros, int64_t(6'500'000));
        QCOMPARE(global.at(0).spent15mMicros, int64_t(1'500'000));
        QCOMPARE(global.at(0).dailyCapMicros, int64_t(100'000'000));
        QCOMPARE(global.at(0).perRequestCapMicros, int64_t(-1));

        // The console's rollup of the day's minutes gives the global scope and the agents the
        // same figures as the statements over the day's runs.
        SpendRollup rollup;
        refreshSpendRollup(*c, rollup, kNoon);
        refreshSpendRollup(*c, rollup, kNoon); // again: the last minutes re-read, not doubled
        for (const auto &[scope, subject] :
             {std::pair<std::string, std::string>{"global", "*"}, {"agent", "bot"}}) {
            const SpendFigures sql = readSpendFigures(*c, redis, keys, scope, {subject}, kNoon)[0];
            const SpendFigures rolled =
                readSpendFigures(*c, redis, keys, scope, {subject}, kNoon, &rollup)[0];
            QCOMPARE(rolled.ledgerMicros, sql.ledgerMicros);
            QCOMPARE(rolled.spent15mMicros, sql.spent15mMicros);
            QCOMPARE(rolled.spent60mMicros, sql.spent60mMicros);
            QCOMPARE(rolled.refusedDaily, sql.refusedDaily);
            QCOMPARE(rolled.refusedPerRequest, sql.refusedPerRequest);
        }
        const SpendSeries series = readSpendSeries(*c, "global", "*", kNoon, &rollup);
        QCOMPARE(series.costMicros.at(71), int64_t(1'500'000)); // 11:50-12:00: alice and bob
        QCOMPARE(series.refused.at(71), int64_t(2));
        QCOMPARE(series.agents.size(), size_t(1));

        // The biggest spender first, from the day's ledger.
        const auto top = readTopSpenders(*c, redis, keys, "user", 1, kNoon);
        QCOMPARE(top.size(), size_t(1));
        QCOMPARE(top[0].subject, std::string("alice"));

        // A counter changed behind the console's back is drift.
        redis.command(
            {"HSET", keys.spend("user", "alice", "20261129"), "settled_micros", "9000000"});
        const auto changed = readSpendFigures(*c, redis, keys, "user", {"alice"}, kNoon);
        const SpendOutlook o = spendOutlook(changed.at(0), kNoon);
        QVERIFY(o.driftFlagged);
        QCOMPARE(o.driftMicros, int64_t(3'000'000));
    }

    // Names are data, not SQL: quotes, backslashes and commas in a subject are read as they are.
    void oddSubjectsAreReadAsTheyAre() {
        TestStores stores;
        auto c = connectPostgres(stores.pg());
        RedisConnection redis(stores.redis());
        const RedisKeys keys(stores.prefix());
        const std::vector<std::string> odd{"o'brien", "a\"b", "back\\slash", "x,y", "{}"};
        const auto figures = readSpendFigures(*c, redis, keys, "user", odd, kNoon);
        QCOMPARE(figures.size(), odd.size());
        for (size_t i = 0; i < odd.size(); ++i)
            QCOMPARE(figures[i].subject, odd[i]);
        try {
            readSpendFigures(*c, redis, keys, "team", {"x"}, kNoon);
            QFAIL("an unknown scope was read");
        } catch (const std::exception &e) {
            QVERIFY(std::string(e.what()).find("global, agent or user") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestSpendReader)
#include "test_spend_reader.moc"

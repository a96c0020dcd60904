#include "SpendMath.h"

#include <QTest>

using namespace pitwall;

namespace {

constexpr int64_t kNoon = 1'795'953'600'000; // 2026-11-29 12:00:00 UTC
constexpr int64_t kMidnight = 1'795'996'800'000;

SpendFigures figures(int64_t settled, int64_t reserved, int64_t spent15m, int64_t cap) {
    SpendFigures f;
    f.scope = "user";
    f.subject = "alice";
    f.counterPresent = true;
    f.settledMicros = settled;
    f.reservedMicros = reserved;
    f.ledgerMicros = settled;
    f.spent15mMicros = spent15m;
    f.spent60mMicros = spent15m * 3;
    f.dailyCapMicros = cap;
    return f;
}

} // namespace

// The spend page's arithmetic: burn rates, the end-of-day projection, when the cap is reached,
// and the drift between Redis's counter and PostgreSQL's ledger.
class TestSpendMath : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theDayEndsAtMidnightUtc() {
        QCOMPARE(endOfUtcDayMs(kNoon), kMidnight);
        QCOMPARE(endOfUtcDayMs(kMidnight - 1), kMidnight);
        QCOMPARE(endOfUtcDayMs(kMidnight), kMidnight + 24LL * 3600 * 1000);
    }

    // $1 spent in the last 15 minutes is $4 an hour; 12 hours left at noon: $48 more.
    void theProjectionFollowsTheLast15Minutes() {
        const SpendOutlook o =
            spendOutlook(figures(2'000'000, 500'000, 1'000'000, 20'000'000), kNoon);
        QCOMPARE(o.usedMicros, int64_t(2'500'000));
        QCOMPARE(o.burn15mPerHour, 4'000'000.0);
        QCOMPARE(o.burn60mPerHour, 3'000'000.0);
        QCOMPARE(o.projectedMicros, int64_t(2'500'000 + 48'000'000));
        QCOMPARE(o.percentUsed, 12.5);
        // $17.50 left at $4 an hour: 4 h 22.5 min after noon.
        QVERIFY(o.capReachedAtMs);
        QCOMPARE(*o.capReachedAtMs, kNoon + int64_t(17.5 / 4 * 3600 * 1000));
    }

    void aCapNotReachedTodayHasNoTime() {
        QVERIFY(!spendOutlook(figures(1'000'000, 0, 10'000, 20'000'000), kNoon).capReachedAtMs);
        QVERIFY(!spendOutlook(figures(1'000'000, 0, 0, 20'000'000), kNoon).capReachedAtMs);
        // Already over: reached now.
        QCOMPARE(*spendOutlook(figures(20'000'000, 1, 0, 20'000'000), kNoon).capReachedAtMs, kNoon);
        // No cap: no percentage, no time.
        const SpendOutlook none = spendOutlook(figures(1'000'000, 0, 1'000'000, -1), kNoon);
        QCOMPARE(none.percentUsed, -1.0);
        QVERIFY(!none.capReachedAtMs);
    }

    // The counter may lead the ledger by the guard's write batches: a cent or 1 %.
    void driftIsFlaggedBeyondTheTolerance() {
        SpendFigures f = figures(3'000'000, 0, 0, -1);
        f.ledgerMicros = 2'980'000; // 2 cents behind: within 1 % of $2.98
        QVERIFY(!spendOutlook(f, kNoon).driftFlagged);
        f.settledMicros = 50'000'000; // someone wrote the counter by hand
        const SpendOutlook o = spendOutlook(f, kNoon);
        QVERIFY(o.driftFlagged);
        QCOMPARE(o.driftMicros, int64_t(50'000'000 - 2'980'000));
        QCOMPARE(driftToleranceMicros(0), int64_t(10'000));
        QCOMPARE(driftToleranceMicros(100'000'000), int64_t(1'000'000));
    }

    // Redis lost the counter: the ledger is what counts, and nothing is flagged as drift.
    void withoutACounterTheLedgerCounts() {
        SpendFigures f = figures(0, 0, 0, 5'000'000);
        f.counterPresent = false;
        f.ledgerMicros = 4'000'000;
        const SpendOutlook o = spendOutlook(f, kNoon);
        QCOMPARE(o.usedMicros, int64_t(4'000'000));
        QCOMPARE(o.percentUsed, 80.0);
        QVERIFY(!o.driftFlagged);
    }
};

QTEST_GUILESS_MAIN(TestSpendMath)
#include "test_spend_math.moc"

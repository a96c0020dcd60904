#include "SpendMath.h"

#include <QTest>

#include <limits>

using namespace pitwall;

namespace {

constexpr int64_t kNoon = 1'795'953'600'000; // 2026-11-29 12:00:00 UTC
constexpr int64_t kMidnight = 1'795'996'800'000;

SpendFigures figures(int64_t settled, int64_t reserved, int64_t spent15m, int64_t cap) {
    SpendFigures f;
    f.scope = "user";
    f.subject = "alice";
    f.counterPresent = true;
    f.counterSeeded = true;
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
        QCOMPARE(o.projectedAtPaceMicros, int64_t(2'500'000 + 48'000'000));
        QCOMPARE(o.projectedMicros, int64_t(20'000'000)); // the cap stops it
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

// After Redis lost a counter, a settle recreates it holding only what was settled since; until
// the next reservation seeds it, the ledger (which has those settles too) is the day's spend.
class TestUnseededCounter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theLedgerCountsUntilTheCounterIsSeeded() {
        SpendFigures f = figures(100'000, 50'000, 0, 10'000'000);
        f.counterSeeded = false;
        f.ledgerMicros = 6'000'000;
        QCOMPARE(spendOutlook(f, kNoon).usedMicros, int64_t(6'050'000));
        f.counterSeeded = true;
        QCOMPARE(spendOutlook(f, kNoon).usedMicros, int64_t(150'000));
    }
    void aHugeCapAtATinyPaceIsNotReachedToday() {
        SpendFigures f = figures(0, 0, 1, std::numeric_limits<int64_t>::max() / 2);
        QVERIFY(!spendOutlook(f, kNoon).capReachedAtMs);
    }
};

// What the cap editor previews: headroom, the projection stopped by the cap, who is let through
// or newly refused.
class TestCapImpact : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loweringBelowWhatIsUsedRefusesTheUser() {
        // $2.50 used of $20; at $4/h the day would end at $50.50, stopped at $20 by the cap.
        const SpendFigures alice = figures(2'000'000, 500'000, 1'000'000, 20'000'000);
        const CapImpact i = capImpact(alice, {}, 1'000'000, kNoon);
        QCOMPARE(i.headroomBeforeMicros, int64_t(17'500'000));
        QCOMPARE(i.headroomAfterMicros, int64_t(-1'500'000));
        QCOMPARE(i.projectedBeforeMicros, int64_t(20'000'000));
        QCOMPARE(i.projectedAfterMicros, int64_t(2'500'000)); // nothing more is let through
        QCOMPARE(i.newlyRefused, std::vector<std::string>{"alice"});
        QVERIFY(i.letThrough.empty());
        QVERIFY(i.capReachedAfterMs && *i.capReachedAfterMs == kNoon);
    }

    void raisingLetsARefusedUserThrough() {
        const SpendFigures bob = figures(5'000'000, 0, 400'000, 5'000'000); // at the cap
        const CapImpact i = capImpact(bob, {}, 8'000'000, kNoon);
        QCOMPARE(i.letThrough, std::vector<std::string>{"alice"}); // figures() names alice
        QVERIFY(i.newlyRefused.empty());
        QCOMPARE(i.headroomAfterMicros, int64_t(3'000'000));
        // $1.60/h for 12 h is $19.20 more: stopped by the new cap at $8.
        QCOMPARE(i.projectedAfterMicros, int64_t(8'000'000));
    }

    void theDefaultCapJudgesItsFollowersOnly() {
        SpendFigures def = figures(0, 0, 0, 3'000'000);
        def.subject = "*";
        SpendFigures heavy = figures(2'500'000, 0, 0, 3'000'000);
        heavy.subject = "heavy";
        heavy.capIsDefault = true;
        SpendFigures light = figures(100'000, 0, 0, 3'000'000);
        light.subject = "light";
        light.capIsDefault = true;
        SpendFigures own = figures(2'900'000, 0, 0, 10'000'000); // a cap of their own
        own.subject = "own";
        const CapImpact i = capImpact(def, {heavy, light, own}, 2'000'000, kNoon);
        QCOMPARE(i.followers, int64_t(2));
        QCOMPARE(i.newlyRefused, std::vector<std::string>{"heavy"});
        QVERIFY(i.letThrough.empty());
    }

    void anUncappedScopeGetsItsFirstCap() {
        const SpendFigures f = figures(1'000'000, 0, 1'000'000, -1);
        const CapImpact i = capImpact(f, {}, 5'000'000, kNoon);
        QVERIFY(i.unlimitedBefore);
        QCOMPARE(i.headroomAfterMicros, int64_t(4'000'000));
        QCOMPARE(i.projectedBeforeMicros, int64_t(1'000'000 + 48'000'000));
        QCOMPARE(i.projectedAfterMicros, int64_t(5'000'000));
        QVERIFY(i.capReachedAfterMs);
        QCOMPARE(*i.capReachedAfterMs, kNoon + 3600 * 1000); // $4 left at $4/h
    }
};

int main(int argc, char **argv) {
    int status = 0;
    {
        TestSpendMath t;
        status |= QTest::qExec(&t, argc, argv);
    }
    {
        TestCapImpact t;
        status |= QTest::qExec(&t, argc, argv);
    }
    {
        TestUnseededCounter t;
        status |= QTest::qExec(&t, argc, argv);
    }
    return status;
}
#include "test_spend_math.moc"

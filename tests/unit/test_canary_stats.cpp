#include "CanaryJudge.h"
#include "CanaryStats.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace pitwall::canary;

Q_DECLARE_METATYPE(pitwall::CanaryArm)

namespace {

// One simulated canary: both arms get `batch` runs at a time, the judge looks after every
// batch. Returns the runs per arm after which the success rate was first classified as given,
// or -1 when it never was within `batches` looks.
int firstRunsClassified(std::mt19937_64 &rng, double stableRate, double canaryRate, int batch,
                        int batches, Classification wanted, double alpha, double rho) {
    std::bernoulli_distribution stable(stableRate), canary(canaryRate);
    int64_t s = 0, c = 0, n = 0;
    for (int b = 0; b < batches; ++b) {
        for (int i = 0; i < batch; ++i) {
            s += stable(rng);
            c += canary(rng);
        }
        n += batch;
        const Interval interval = proportionDifference(s, n, c, n, alpha, rho);
        const Classification k = classify(interval, true, 0.0, n >= 50);
        const bool alarm = k == Classification::Worse || k == Classification::Better;
        if (wanted == Classification::NotEnoughData ? alarm : k == wanted) // NotEnoughData: any
            return int(n);
    }
    return -1;
}

// An arm of `runs` finished runs with the given success rate, latency and cost spread log-normally
// around their medians (the same draws for every arm of one seed, scaled).
pitwall::CanaryArm arm(const char *version, int64_t runs, double successRate, double latencyMs,
                       double costMicros, double steps, uint64_t seed) {
    pitwall::CanaryArm a;
    a.version = version;
    a.runs = a.finished = runs;
    a.succeeded = int64_t(std::llround(double(runs) * successRate));
    a.failed = runs - a.succeeded;
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> spread(0, 0.6);
    for (int64_t i = 0; i < runs; ++i) {
        a.logLatencyMs.add(std::log(latencyMs) + spread(rng));
        if (i < a.succeeded)
            a.logCostOfSuccess.add(std::log(costMicros) + spread(rng));
        a.steps.add(steps + spread(rng) * 2);
    }
    return a;
}

} // namespace

// The judge's promise: looking after every batch of runs does not raise the false-alarm rate
// above α (the confidence sequence holds at all sample sizes at once), and a canary 10 % worse
// in success rate is caught.
class TestCanaryStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void momentsMerge() {
        Moments all, a, b;
        for (int i = 1; i <= 10; ++i) {
            all.add(i * 1.5);
            (i <= 4 ? a : b).add(i * 1.5);
        }
        a.merge(b);
        QCOMPARE(a.n, all.n);
        QVERIFY(std::abs(a.mean - all.mean) < 1e-12);
        QVERIFY(std::abs(a.variance() - all.variance()) < 1e-9);
    }

    void theIntervalNarrowsAndHoldsItsLevel() {
        const double rho = tunedRho(0.05, 1000);
        const Interval small = confidenceSequence(0.1, 0.01, 100, 0.05, rho);
        const Interval large = confidenceSequence(0.1, 0.0001, 10000, 0.05, rho);
        QVERIFY(small.high - small.low > large.high - large.low);
        QVERIFY(small.low < 0.1 && small.high > 0.1);
        // The p-value is the α at which the interval touches 0.
        const Interval level = confidenceSequence(0.1, 0.0004, 800, 0.05, rho);
        QVERIFY(level.pValue > 0 && level.pValue < 0.05); // 0 is outside the 95 % interval
        const Interval edge = confidenceSequence(0.1, 0.0004, 800, level.pValue, rho);
        QVERIFY2(std::abs(edge.low) < 1e-9, qPrintable(QString::number(edge.low)));
        // Wider than a fixed-sample 95 % interval (1.96 standard errors) at the same data.
        QVERIFY((level.high - level.low) / 2 > 1.96 * 0.02);
        // No data: no verdict.
        QCOMPARE(classify(proportionDifference(0, 0, 0, 0, 0.05, rho), true, 0, true),
                 Classification::NotEnoughData);
    }

    void peekingAfterEveryBatchKeepsFalseAlarmsBelowAlpha() {
        const double alpha = 0.05, rho = tunedRho(alpha, 1000);
        std::mt19937_64 rng(20261129);
        int alarms = 0;
        const int canaries = 1000;
        for (int i = 0; i < canaries; ++i) // identical arms, 80 looks, up to 2,000 runs an arm
            alarms += firstRunsClassified(rng, 0.9, 0.9, 25, 80, Classification::NotEnoughData,
                                          alpha, rho) >= 0;
        const double rate = double(alarms) / canaries;
        // The baseline that peeking breaks: a fixed-sample 95 % interval (1.96 standard errors)
        // looked at as often, on the same kind of data.
        int naive = 0;
        for (int i = 0; i < canaries; ++i) {
            std::bernoulli_distribution arm(0.9);
            int64_t s = 0, c = 0, n = 0;
            for (int b = 0; b < 80; ++b) {
                for (int k = 0; k < 25; ++k) {
                    s += arm(rng);
                    c += arm(rng);
                }
                n += 25;
                const double ps = double(s) / n, pc = double(c) / n;
                const double se = std::sqrt((ps * (1 - ps) + pc * (1 - pc)) / n);
                if (n >= 50 && se > 0 && std::abs(pc - ps) > 1.96 * se) {
                    ++naive;
                    break;
                }
            }
        }
        qInfo("A/A, 1000 canaries looked at 80 times each: %d false alarms (%.3f, alpha %.2f); "
              "a fixed 95 %% interval looked at as often: %d (%.3f)",
              alarms, rate, alpha, naive, double(naive) / canaries);
        QVERIFY2(rate <= alpha, qPrintable(QString::number(rate)));
        QVERIFY(naive > 2 * alarms); // the simulation does show what peeking costs
    }

    void aCanaryTenPercentWorseIsCaught() {
        const double alpha = 0.05, rho = tunedRho(alpha, 1000);
        std::mt19937_64 rng(7);
        std::vector<int> caught;
        int missed = 0;
        for (int i = 0; i < 1000; ++i) { // 90 % vs 81 % success
            const int n =
                firstRunsClassified(rng, 0.9, 0.81, 25, 80, Classification::Worse, alpha, rho);
            if (n < 0)
                ++missed;
            else
                caught.push_back(n);
        }
        std::sort(caught.begin(), caught.end());
        const int median = caught[caught.size() / 2];
        const int p90 = caught[caught.size() * 9 / 10];
        qInfo("10 %% worse: caught %zu of 1000 within 2,000 runs an arm; median %d, p90 %d runs "
              "an arm",
              caught.size(), median, p90);
        QVERIFY(missed <= 10);
        QVERIFY2(median <= 500, qPrintable(QString::number(median)));
    }

    // The acceptance's fleet, in miniature: a canary that fails more or costs more is rolled
    // back, one that is faster is promoted once the evidence is in, and nothing is decided on
    // a handful of runs.
    void theJudgeDecides_data() {
        QTest::addColumn<pitwall::CanaryArm>("stable");
        QTest::addColumn<pitwall::CanaryArm>("canary");
        QTest::addColumn<int>("decision");
        QTest::addColumn<QString>("reason");
        using D = pitwall::CanaryVerdict::Decision;
        QTest::newRow("fails more")
            << arm("v41", 800, 0.92, 4000, 9000, 6, 1) << arm("v42", 800, 0.80, 4000, 9000, 6, 2)
            << int(D::RollBack) << QStringLiteral("Roll back: success_rate");
        QTest::newRow("costs more")
            << arm("v3", 800, 0.9, 5000, 20000, 6, 3) << arm("v4", 800, 0.9, 5000, 32000, 6, 4)
            << int(D::RollBack) << QStringLiteral("Roll back: cost_per_successful_run");
        QTest::newRow("faster") << arm("v7", 6000, 0.9, 6000, 15000, 6, 5)
                                << arm("v8", 6000, 0.9, 4200, 15000, 6, 6) << int(D::Promote)
                                << QStringLiteral("Promote");
        QTest::newRow("too few runs")
            << arm("v1", 30, 0.9, 4000, 9000, 6, 7) << arm("v2", 30, 0.5, 4000, 9000, 6, 8)
            << int(D::Hold) << QStringLiteral("Hold: not enough evidence");
    }
    void theJudgeDecides() {
        QFETCH(pitwall::CanaryArm, stable);
        QFETCH(pitwall::CanaryArm, canary);
        QFETCH(QString, reason);
        const pitwall::CanaryVerdict v = pitwall::CanaryJudge::judge(stable, canary);
        QVERIFY2(v.reason.startsWith(reason), qPrintable(v.reason));
        QTEST(int(v.decision), "decision");
        QCOMPARE(v.metrics.size(), size_t(4));
        for (const auto &m : v.metrics)
            QVERIFY2(!m.reason.isEmpty(), pitwall::CanaryJudge::metricName(m.id));
    }

    // "About N more canary runs": with the same rates, that many more runs settle the verdict,
    // and a fifth as many do not.
    void theRunsStillNeededSettleIt() {
        const pitwall::CanaryVerdict early = pitwall::CanaryJudge::judge(
            arm("v41", 200, 0.92, 4000, 9000, 6, 1), arm("v42", 200, 0.84, 4000, 9000, 6, 2));
        QCOMPARE(int(early.decision), int(pitwall::CanaryVerdict::Decision::Hold));
        QVERIFY(std::isfinite(early.moreCanaryRuns) && early.moreCanaryRuns > 0);
        const auto more = int64_t(std::ceil(early.moreCanaryRuns));
        qInfo("92 %% vs 84 %% at 200 runs an arm: about %lld more canary runs", (long long)more);
        auto at = [](int64_t runs) {
            return pitwall::CanaryJudge::judge(arm("v41", runs, 0.92, 4000, 9000, 6, 1),
                                               arm("v42", runs, 0.84, 4000, 9000, 6, 2))
                .decision;
        };
        QCOMPARE(int(at(200 + more + 2)), int(pitwall::CanaryVerdict::Decision::RollBack));
        QCOMPARE(int(at(200 + more / 5)), int(pitwall::CanaryVerdict::Decision::Hold));
        // An estimate on its tolerance never settles.
        QVERIFY(!std::isfinite(samplesToSettle(0.02, 0.02, 0.1, 0.05, 0.1, 100)));
        QCOMPARE(samplesToSettle(0.5, 0, 0.01, 0.05, 0.1, 1000), 1000.0); // settled already
    }
};

QTEST_GUILESS_MAIN(TestCanaryStats)
#include "test_canary_stats.moc"

#include "CanaryJudge.h"
#include "CanaryRollup.h"
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
// An arm of `runs` finished runs: a share succeeded, latency and cost log-normal around the given
// medians (log spread `spread`), folded in one by one as the rollup folds them.
pitwall::CanaryArm arm(const char *version, int64_t runs, double successRate, double latencyMs,
                       double costMicros, double steps, uint64_t seed, double spread = 0.6) {
    pitwall::CanaryArm a;
    a.version = version;
    const auto succeeded = int64_t(std::llround(double(runs) * successRate));
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z(0, 1);
    for (int64_t i = 0; i < runs; ++i) {
        pitwall::RunOutcome r;
        r.status = i < succeeded ? pitwall::RunStatus::Succeeded : pitwall::RunStatus::Failed;
        r.latencyMs = std::exp(std::log(latencyMs) + spread * z(rng));
        r.costMicros = int64_t(std::exp(std::log(costMicros) + spread * z(rng)));
        r.steps = std::max(1, int(std::lround(steps + z(rng) * 1.2)));
        r.toolCalls = r.steps;
        r.toolErrors = i % 25 == 0 ? 1 : 0;
        a.add(r);
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
        QCOMPARE(v.metrics.size(), size_t(8));
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
    // A variance blow-up: the canary's median is the stable one's, its spread 2.5 times wider.
    // Its geometric mean passes; the share of its runs beyond the stable p95 does not, so the
    // judge holds instead of promoting. And 10 runs of which 7 are 100 times slower get no
    // verdict at all: below the minimum runs, nothing passes.
    void aVarianceBlowUpCannotPass() {
        using pitwall::CanaryJudge;
        using pitwall::CanaryMetric;
        const auto v = CanaryJudge::judge(arm("v1", 3000, 0.95, 4000, 9000, 6, 11, 0.6),
                                          arm("v2", 3000, 0.95, 4000, 9000, 6, 12, 1.5));
        auto metric = [&](CanaryMetric::Id id) {
            for (const auto &m : v.metrics)
                if (m.id == id)
                    return m;
            return CanaryMetric{};
        };
        QCOMPARE(int(metric(CanaryMetric::Id::LatencyTail).classification),
                 int(Classification::Worse));
        QCOMPARE(int(metric(CanaryMetric::Id::CostTail).classification),
                 int(Classification::Worse));
        QVERIFY(metric(CanaryMetric::Id::Latency).classification != Classification::Worse);
        QCOMPARE(int(v.decision), int(pitwall::CanaryVerdict::Decision::Hold));
        QVERIFY2(v.reason.contains(QLatin1String("latency_tail")), qPrintable(v.reason));

        pitwall::CanaryArm blowUp;
        for (int i = 0; i < 10; ++i)
            blowUp.add({pitwall::RunStatus::Succeeded, i < 7 ? 400000.0 : 4000.0, 9000, 6, 6, 0});
        const auto early =
            CanaryJudge::judge(arm("v1", 3000, 0.95, 4000, 9000, 6, 11, 0.6), blowUp);
        QCOMPARE(int(early.decision), int(pitwall::CanaryVerdict::Decision::Hold));
        for (const auto &m : early.metrics)
            QCOMPARE(int(m.classification), int(Classification::NotEnoughData));
    }

    // The rollup answers as the raw runs do: 200,000 runs of two agents and four versions over
    // 10 hours, folded once run by run and once per minute then merged over a window.
    void theRollupGivesTheRawAnswers() {
        struct Raw {
            std::string agent, version;
            int64_t endedMs;
            pitwall::RunOutcome run;
        };
        std::mt19937_64 rng(42);
        std::normal_distribution<double> z(0, 1);
        std::uniform_real_distribution<double> u(0, 1);
        using pitwall::RunStatus;
        const RunStatus statuses[] = {RunStatus::Succeeded, RunStatus::Failed,
                                      RunStatus::Timeout,   RunStatus::Killed,
                                      RunStatus::Capped,    RunStatus::StepLimit};
        std::vector<Raw> raw;
        const int64_t t0 = 1'790'000'000'000;
        for (int i = 0; i < 200000; ++i) {
            const bool second = i % 2;
            const bool canary = u(rng) < 0.3;
            Raw r{second ? "b" : "a",
                  canary ? "v2" : "v1",
                  t0 + int64_t(u(rng) * 10 * 3600 * 1000),
                  {}};
            const double s = u(rng);
            r.run.status = s < 0.9 ? statuses[0] : statuses[1 + int((s - 0.9) * 50) % 5];
            r.run.latencyMs = std::exp(8 + (canary ? 0.05 : 0) + 0.7 * z(rng));
            r.run.costMicros = int64_t(std::exp(9 + 0.5 * z(rng)));
            r.run.steps = 1 + int(u(rng) * 10);
            r.run.toolCalls = r.run.steps;
            r.run.toolErrors = u(rng) < 0.05 ? 1 : 0;
            raw.push_back(r);
        }
        pitwall::CanaryRollup rollup;
        for (const auto &r : raw)
            rollup.add(r.agent, r.version, r.endedMs, r.run);
        QCOMPARE(rollup.runs(), int64_t(raw.size()));
        QVERIFY(rollup.buckets() <= 4 * 601); // 10 hours of minutes, not 200,000 runs

        const int64_t from = pitwall::CanaryRollup::minuteOf(t0 + 2 * 3600 * 1000 + 1234);
        for (const char *agent : {"a", "b"}) {
            pitwall::CanaryArm arms[2];
            std::vector<double> latencies;
            for (const auto &r : raw)
                if (r.agent == agent && r.endedMs >= from) {
                    arms[r.version == "v2"].add(r.run);
                    if (r.version == "v1" &&
                        (r.run.status == RunStatus::Succeeded ||
                         r.run.status == RunStatus::Failed || r.run.status == RunStatus::Timeout))
                        latencies.push_back(std::max(1.0, r.run.latencyMs));
                }
            const pitwall::CanaryArm fromRollup[2] = {rollup.arm(agent, "v1", from),
                                                      rollup.arm(agent, "v2", from)};
            for (int k = 0; k < 2; ++k) {
                const auto &a = arms[k];
                const auto &b = fromRollup[k];
                QCOMPARE(b.runs, a.runs);
                QCOMPARE(b.finished, a.finished);
                QCOMPARE(b.succeeded, a.succeeded);
                QCOMPARE(b.failed, a.failed);
                QCOMPARE(b.timeout, a.timeout);
                QCOMPARE(b.killed, a.killed);
                QCOMPARE(b.capped, a.capped);
                QCOMPARE(b.stepLimit, a.stepLimit);
                QCOMPARE(b.toolCalls, a.toolCalls);
                QCOMPARE(b.toolErrors, a.toolErrors);
                QVERIFY(b.latencyMs.counts == a.latencyMs.counts);
                QVERIFY(b.costPerRun.counts == a.costPerRun.counts);
                auto close = [](double x, double y) {
                    return std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(y));
                };
                QVERIFY(close(b.logLatencyMs.mean, a.logLatencyMs.mean));
                QVERIFY(close(b.logLatencyMs.m2, a.logLatencyMs.m2));
                QVERIFY(close(b.logCostOfSuccess.mean, a.logCostOfSuccess.mean));
                QVERIFY(close(b.steps.m2, a.steps.m2));
                QVERIFY(close(b.costMicros, a.costMicros));
            }
            // The same verdict, metric by metric.
            const auto va = pitwall::CanaryJudge::judge(arms[0], arms[1]);
            const auto vb = pitwall::CanaryJudge::judge(fromRollup[0], fromRollup[1]);
            QCOMPARE(int(vb.decision), int(va.decision));
            for (size_t m = 0; m < va.metrics.size(); ++m) {
                QCOMPARE(int(vb.metrics[m].classification), int(va.metrics[m].classification));
                QVERIFY(std::abs(vb.metrics[m].difference.pValue -
                                 va.metrics[m].difference.pValue) < 1e-9);
            }
            // Quantiles from the histogram are within 6 % of the exact ones.
            std::sort(latencies.begin(), latencies.end());
            for (double q : {0.5, 0.95, 0.99}) {
                const double exact = latencies[size_t(std::ceil(q * latencies.size())) - 1];
                const double sketch = fromRollup[0].latencyMs.quantile(q);
                QVERIFY2(std::abs(sketch / exact - 1) < 0.06,
                         qPrintable(QStringLiteral("q%1: %2 vs %3").arg(q).arg(sketch).arg(exact)));
            }
        }
        // A re-read of the last minutes: dropped and added again, the same arm.
        const auto before = rollup.arm("a", "v1", from);
        const int64_t cut = t0 + 9 * 3600 * 1000;
        rollup.dropFrom(cut);
        for (const auto &r : raw)
            if (r.endedMs >= pitwall::CanaryRollup::minuteOf(cut))
                rollup.add(r.agent, r.version, r.endedMs, r.run);
        const auto after = rollup.arm("a", "v1", from);
        QCOMPARE(after.runs, before.runs);
        QVERIFY(after.latencyMs.counts == before.latencyMs.counts);
        QCOMPARE(rollup.runs(), int64_t(raw.size()));
    }
};

QTEST_GUILESS_MAIN(TestCanaryStats)
#include "test_canary_stats.moc"

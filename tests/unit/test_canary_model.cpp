#include "CanaryModel.h"

#include <QTest>

#include <cmath>

using namespace pitwall;

namespace {

// An agent at `weight` % with arms costing `stableUsd` and `canaryUsd` per finished run, at
// `perMinute` runs a minute.
CanaryAgentData agent(int weight, double stableUsd, double canaryUsd, double perMinute) {
    CanaryAgentData d;
    d.comparison.agent = "support-bot";
    d.comparison.stable.version = "v41";
    d.comparison.canary.version = "v42";
    d.comparison.weight = weight;
    d.comparison.stable.finished = 100;
    d.comparison.stable.costMicros = stableUsd * 1e6 * 100;
    d.comparison.canary.finished = 50;
    d.comparison.canary.costMicros = canaryUsd * 1e6 * 50;
    d.runsPerMinute = perMinute;
    return d;
}

} // namespace

// The words and figures of the canary page, from in-memory data.
class TestCanaryModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A day at the current traffic: runs a minute × 1440 × the weighted cost per run.
    void projectedSpendFollowsTheWeight() {
        const CanaryAgentData d = agent(10, 0.01, 0.03, 10);
        QCOMPARE(CanaryText::projectedDailySpendUsd(d, 0), 10 * 1440 * 0.01);
        QVERIFY(std::abs(CanaryText::projectedDailySpendUsd(d, 50) - 10 * 1440 * 0.02) < 1e-9);
        QVERIFY(std::abs(CanaryText::projectedDailySpendUsd(d, 100) - 10 * 1440 * 0.03) < 1e-9);
        // A weight from 10 to 50 % says the day's cost before and after, and the difference.
        const QString effect = CanaryText::weightEffect(d, 50);
        QVERIFY2(effect.contains(QLatin1String("$288")) && effect.contains(QLatin1String("$173")),
                 qPrintable(effect));
        QVERIFY2(effect.contains(QLatin1String("+$115")), qPrintable(effect));
        // An arm without runs is priced like the other one, and no traffic projects nothing.
        CanaryAgentData fresh = agent(5, 0.02, 0, 4);
        fresh.comparison.canary.finished = 0;
        QVERIFY(std::abs(CanaryText::projectedDailySpendUsd(fresh, 100) - 4 * 1440 * 0.02) < 1e-9);
        QVERIFY(CanaryText::weightEffect(agent(5, 0.01, 0.02, 0), 50)
                    .contains(QLatin1String("no spend projection")));
    }

    void aRollbackSaysWhatHappensToTheRunsInFlight() {
        CanaryAgentData d = agent(50, 0.01, 0.01, 10);
        QVERIFY(
            CanaryText::rollbackEffect(d, false).contains(QLatin1String("No run is in flight")));
        d.canaryInFlight = 3;
        QVERIFY(CanaryText::rollbackEffect(d, false).contains(QLatin1String("3 run(s) in flight "
                                                                            "on v42 finish")));
        QVERIFY(CanaryText::rollbackEffect(d, true).contains(QLatin1String("killed with the "
                                                                           "rollback")));
    }

    // "≈ N more canary runs, about M minutes at the current weight".
    void moreRunsInMinutesAtTheCurrentWeight() {
        const CanaryAgentData d = agent(50, 0.01, 0.01, 20); // 10 canary runs a minute
        CanaryVerdict v;
        v.moreCanaryRuns = 340;
        QCOMPARE(CanaryText::moreRuns(d, v),
                 QStringLiteral("≈ 340 more canary runs, about 34 minute(s) at the current "
                                "weight."));
        v.decision = CanaryVerdict::Decision::RollBack;
        QVERIFY(CanaryText::moreRuns(d, v).isEmpty());
    }

    // At most two points per pixel column, the lowest and the highest, so a spike survives.
    void chartsKeepTwoPointsPerColumn() {
        QList<QPointF> points;
        for (int i = 0; i < 10000; ++i)
            points.append(QPointF(i, i == 5003 ? 1000 : std::sin(i)));
        const QList<QPointF> thin = minMaxPerColumn(points, 0, 10000, 100);
        QVERIFY(thin.size() <= 200);
        QVERIFY(thin.size() >= 100);
        bool spike = false;
        for (int i = 1; i < thin.size(); ++i)
            QVERIFY(thin[i].x() > thin[i - 1].x());
        for (const QPointF &p : thin)
            spike |= p.y() == 1000;
        QVERIFY(spike);
        QCOMPARE(minMaxPerColumn(points.mid(0, 50), 0, 10000, 100).size(), qsizetype(50));
    }

    // The SLO column: what the agent's targets say of each arm.
    void theSloColumnSaysWhichArmMisses() {
        CanaryAgentData d = agent(50, 0.01, 0.01, 10);
        d.comparison.stable.succeeded = 97;
        d.comparison.canary.succeeded = 44; // 88 %
        d.slo = SloTargets{"support-bot", 8000, 0.95, 50'000, 2'000'000, 30};
        QCOMPARE(CanaryMetricsModel::sloText(CanaryMetric::Id::SuccessRate, d),
                 QStringLiteral("≥ 95.0 %: stable meets, canary misses"));
        for (int i = 0; i < 100; ++i) {
            d.comparison.stable.latencyMs.add(5000);
            d.comparison.canary.latencyMs.add(i < 90 ? 5000 : 20000); // p95 20 s
        }
        QCOMPARE(CanaryMetricsModel::sloText(CanaryMetric::Id::LatencyTail, d),
                 QStringLiteral("p95 ≤ 8.0 s: stable meets, canary misses"));
        QVERIFY(CanaryMetricsModel::sloText(CanaryMetric::Id::Latency, d).isEmpty());
        d.slo.reset();
        QVERIFY(CanaryMetricsModel::sloText(CanaryMetric::Id::SuccessRate, d).isEmpty());
    }

    // The agents table: a verdict per agent with a canary, "no canary" otherwise, and rows
    // that keep their place when only the figures change.
    void agentsKeepTheirRows() {
        CanaryAgentsModel model;
        CanarySnapshot s;
        s.agents.push_back(agent(10, 0.01, 0.01, 1));
        CanaryAgentData calm;
        calm.comparison.agent = "calm";
        calm.comparison.stable.version = "v1";
        s.agents.push_back(calm);
        model.setSnapshot(s);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, CanaryAgentsModel::Verdict).data().toString(),
                 QStringLiteral("Hold"));
        QCOMPARE(model.index(1, CanaryAgentsModel::Verdict).data().toString(),
                 QStringLiteral("no canary"));
        QVERIFY(model.verdict(1) == nullptr);
        int resets = 0;
        connect(&model, &QAbstractItemModel::modelReset, this, [&resets] { ++resets; });
        s.agents[0].comparison.weight = 25;
        model.setSnapshot(s);
        QCOMPARE(resets, 0);
        QCOMPARE(model.index(0, CanaryAgentsModel::Canary).data().toString(),
                 QStringLiteral("v42 at 25 %"));
    }
};

QTEST_GUILESS_MAIN(TestCanaryModel)
#include "test_canary_model.moc"

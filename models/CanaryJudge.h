#pragma once

#include "CanaryStats.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace pitwall {

struct CanaryMetric {
    enum class Id {
        SuccessRate,
        Latency,
        LatencyTail,
        CostPerSuccess,
        CostPerRun,
        CostTail,
        Steps,
        ToolErrorRate
    };
    Id id = Id::SuccessRate;
    bool critical = false; // worse here rolls the canary back
    // Shown values: a rate, a geometric mean, a mean, or (tails) the share of runs beyond the
    // stable arm's p95.
    double stable = 0, canary = 0;
    canary::Interval difference; // canary minus stable, in the metric's comparison units
    canary::Classification classification = canary::Classification::NotEnoughData;
    QString reason; // one sentence
};

struct CanaryVerdict {
    enum class Decision { Hold, Promote, RollBack };
    Decision decision = Decision::Hold;
    std::vector<CanaryMetric> metrics;
    QString reason; // one sentence for the decision
    // While holding: about how many more canary runs the undecided critical metrics need at the
    // current estimates (infinity: not in sight, the estimate sits on its tolerance).
    double moreCanaryRuns = 0;
};

class CanaryJudge {
    Q_DECLARE_TR_FUNCTIONS(CanaryJudge)
public:
    // Roll back when a critical metric (success rate, cost per successful run) is worse beyond
    // its tolerance; promote when no metric is worse and every critical one passed with enough
    // runs; hold otherwise.
    static CanaryVerdict judge(const CanaryArm &stable, const CanaryArm &canary,
                               const CanaryPolicy &policy = {});
    static const char *metricName(CanaryMetric::Id id);         // for --json: success_rate, ...
    static const char *decisionName(CanaryVerdict::Decision d); // promote, hold, roll back
    static const char *classificationName(canary::Classification c); // pass, worse, ...

private:
    static double moreCanaryRuns(const CanaryVerdict &v, const CanaryArm &stable,
                                 const CanaryArm &canary, const CanaryPolicy &policy, double rho);
};

} // namespace pitwall

#pragma once

#include "CanaryStats.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace pitwall {

// How the judge is set: the error rate, the sample size at which decisions are usually made,
// the minimum runs per arm before any verdict, and each metric's tolerance.
struct CanaryPolicy {
    double alpha = 0.05;
    double decisionRuns = 1000;
    int64_t minRuns = 50;
    double successRateTolerance = 0.02; // absolute: 2 points of success rate
    double latencyTolerance = 0.10;     // relative: the canary may be 10 % slower
    double costTolerance = 0.10;        // relative, per successful run
    double stepsTolerance = 0.10;       // relative
};

struct CanaryMetric {
    enum class Id { SuccessRate, Latency, CostPerSuccess, Steps };
    Id id = Id::SuccessRate;
    bool critical = false;         // worse here rolls the canary back
    double stable = 0, canary = 0; // shown values: a rate, or a geometric mean
    canary::Interval difference;   // canary minus stable, in the metric's comparison units
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

#include "CanaryJudge.h"

#include <cmath>

namespace pitwall {

using canary::Classification;

namespace {

QString percent(double x) {
    return QString::number(x * 100, 'f', 1) + QStringLiteral(" %");
}

} // namespace

const char *CanaryJudge::metricName(CanaryMetric::Id id) {
    switch (id) {
    case CanaryMetric::Id::SuccessRate:
        return "success_rate";
    case CanaryMetric::Id::Latency:
        return "latency";
    case CanaryMetric::Id::CostPerSuccess:
        return "cost_per_successful_run";
    case CanaryMetric::Id::Steps:
        return "steps_per_run";
    }
    return "";
}

const char *CanaryJudge::decisionName(CanaryVerdict::Decision d) {
    switch (d) {
    case CanaryVerdict::Decision::Promote:
        return "promote";
    case CanaryVerdict::Decision::RollBack:
        return "roll back";
    case CanaryVerdict::Decision::Hold:
        break;
    }
    return "hold";
}

const char *CanaryJudge::classificationName(Classification c) {
    switch (c) {
    case Classification::Pass:
        return "pass";
    case Classification::Worse:
        return "worse";
    case Classification::Better:
        return "better";
    case Classification::NotEnoughData:
        break;
    }
    return "not enough data";
}

double CanaryJudge::moreCanaryRuns(const CanaryVerdict &v, const CanaryArm &s, const CanaryArm &c,
                                   const CanaryPolicy &p, double rho) {
    const double share =
        s.finished + c.finished > 0 ? double(c.finished) / double(s.finished + c.finished) : 0.5;
    // Each arm needs its minimum first; the stable arm's shortfall, in canary runs at this split.
    double more = std::max<double>(0, double(p.minRuns - c.finished));
    if (share > 0 && share < 1)
        more = std::max(more, double(p.minRuns - s.finished) * share / (1 - share));
    // A roll back needs one critical metric settled as worse: the soonest of those heading
    // there. A promotion needs every critical metric settled: the latest.
    double toRollBack = INFINITY, toPromote = 0;
    for (const CanaryMetric &m : v.metrics) {
        if (!m.critical || m.classification != Classification::NotEnoughData || m.difference.n == 0)
            continue;
        const bool higherIsBetter = m.id == CanaryMetric::Id::SuccessRate;
        const double tolerance = m.id == CanaryMetric::Id::SuccessRate
                                     ? p.successRateTolerance
                                     : std::log1p(p.costTolerance);
        const double boundary = higherIsBetter ? -tolerance : tolerance;
        const double total =
            canary::samplesToSettle(m.difference.estimate, boundary, m.difference.perSampleVariance,
                                    p.alpha, rho, m.difference.n);
        const double runs = (total - m.difference.n) * share;
        const bool headingWorse =
            higherIsBetter ? m.difference.estimate < boundary : m.difference.estimate > boundary;
        if (headingWorse)
            toRollBack = std::min(toRollBack, runs);
        else
            toPromote = std::max(toPromote, runs);
    }
    more = std::max(more, std::isfinite(toRollBack) ? toRollBack : toPromote);
    return more;
}

CanaryVerdict CanaryJudge::judge(const CanaryArm &s, const CanaryArm &c, const CanaryPolicy &p) {
    const double rho = canary::tunedRho(p.alpha, p.decisionRuns);
    const bool enough = s.finished >= p.minRuns && c.finished >= p.minRuns;
    CanaryVerdict v;

    CanaryMetric success;
    success.id = CanaryMetric::Id::SuccessRate;
    success.critical = true;
    success.stable = s.finished ? double(s.succeeded) / double(s.finished) : 0;
    success.canary = c.finished ? double(c.succeeded) / double(c.finished) : 0;
    success.difference = canary::proportionDifference(s.succeeded, s.finished, c.succeeded,
                                                      c.finished, p.alpha, rho);
    success.classification =
        canary::classify(success.difference, true, p.successRateTolerance, enough);
    v.metrics.push_back(success);

    // Log-scale metrics: the difference is the log of the ratio of geometric means.
    auto logMetric = [&](CanaryMetric::Id id, bool critical, const canary::Moments &ms,
                         const canary::Moments &mc, double tolerance, bool armsEnough) {
        CanaryMetric m;
        m.id = id;
        m.critical = critical;
        m.stable = ms.n ? std::exp(ms.mean) : 0;
        m.canary = mc.n ? std::exp(mc.mean) : 0;
        m.difference = canary::meanDifference(ms, mc, p.alpha, rho);
        m.classification = canary::classify(m.difference, false, std::log1p(tolerance), armsEnough);
        return m;
    };
    v.metrics.push_back(logMetric(CanaryMetric::Id::Latency, false, s.logLatencyMs, c.logLatencyMs,
                                  p.latencyTolerance, enough));
    v.metrics.push_back(logMetric(CanaryMetric::Id::CostPerSuccess, true, s.logCostOfSuccess,
                                  c.logCostOfSuccess, p.costTolerance,
                                  s.logCostOfSuccess.n >= double(p.minRuns) &&
                                      c.logCostOfSuccess.n >= double(p.minRuns)));
    CanaryMetric steps;
    steps.id = CanaryMetric::Id::Steps;
    steps.stable = s.steps.mean;
    steps.canary = c.steps.mean;
    steps.difference = canary::meanDifference(s.steps, c.steps, p.alpha, rho);
    steps.classification =
        canary::classify(steps.difference, false, p.stepsTolerance * s.steps.mean, enough);
    v.metrics.push_back(steps);

    bool criticalWorse = false, anyWorse = false, criticalSettled = true;
    for (CanaryMetric &m : v.metrics) {
        const bool logScale =
            m.id == CanaryMetric::Id::Latency || m.id == CanaryMetric::Id::CostPerSuccess;
        const QString change =
            m.id == CanaryMetric::Id::SuccessRate
                ? tr("%1 vs %2").arg(percent(m.canary), percent(m.stable))
            : logScale
                ? tr("%1 %2 (interval %3 to %4)")
                      .arg(m.difference.estimate >= 0 ? QStringLiteral("+") : QStringLiteral("−"))
                      .arg(percent(std::abs(std::expm1(m.difference.estimate))))
                      .arg(percent(std::expm1(m.difference.low)),
                           percent(std::expm1(m.difference.high)))
                : tr("%1 vs %2").arg(m.canary, 0, 'f', 1).arg(m.stable, 0, 'f', 1);
        switch (m.classification) {
        case Classification::Worse:
            m.reason = tr("worse beyond its tolerance: %1").arg(change);
            break;
        case Classification::Better:
            m.reason = tr("better: %1").arg(change);
            break;
        case Classification::Pass:
            m.reason = tr("within its tolerance: %1").arg(change);
            break;
        case Classification::NotEnoughData:
            m.reason = enough ? tr("not decided yet: %1").arg(change)
                              : tr("not enough runs yet (%1 stable and %2 canary, of %3 each)")
                                    .arg(s.finished)
                                    .arg(c.finished)
                                    .arg(p.minRuns);
            break;
        }
        anyWorse |= m.classification == Classification::Worse;
        criticalWorse |= m.critical && m.classification == Classification::Worse;
        criticalSettled &= !m.critical || m.classification == Classification::Pass ||
                           m.classification == Classification::Better;
    }
    if (criticalWorse) {
        v.decision = CanaryVerdict::Decision::RollBack;
        for (const CanaryMetric &m : v.metrics)
            if (m.critical && m.classification == Classification::Worse) {
                v.reason = tr("Roll back: %1 is %2").arg(QLatin1String(metricName(m.id)), m.reason);
                break;
            }
    } else if (!anyWorse && criticalSettled && enough) {
        v.decision = CanaryVerdict::Decision::Promote;
        v.reason = tr("Promote: no metric is worse and the critical ones are settled.");
    } else {
        v.reason = anyWorse ? tr("Hold: a metric is worse, but none that rolls back.")
                            : tr("Hold: not enough evidence yet.");
        v.moreCanaryRuns = moreCanaryRuns(v, s, c, p, rho);
    }
    return v;
}

} // namespace pitwall

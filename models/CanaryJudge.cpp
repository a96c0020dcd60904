#include "CanaryJudge.h"

#include <QStringList>

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
    case CanaryMetric::Id::LatencyTail:
        return "latency_tail";
    case CanaryMetric::Id::CostPerSuccess:
        return "cost_per_successful_run";
    case CanaryMetric::Id::CostPerRun:
        return "cost_per_run";
    case CanaryMetric::Id::CostTail:
        return "cost_tail";
    case CanaryMetric::Id::Steps:
        return "steps_per_run";
    case CanaryMetric::Id::ToolErrorRate:
        return "tool_error_rate";
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

namespace {

QString milliseconds(double ms) {
    return ms >= 1000 ? QString::number(ms / 1000, 'f', ms >= 10000 ? 0 : 1) + QStringLiteral(" s")
                      : QString::number(ms, 'f', 0) + QStringLiteral(" ms");
}

QString dollars(double micros) {
    const double usd = micros / 1e6;
    return QStringLiteral("$") + QString::number(usd, 'f', usd >= 1 ? 2 : usd >= 0.01 ? 3 : 5);
}

} // namespace

CanaryVerdict CanaryJudge::judge(const CanaryArm &s, const CanaryArm &c, const CanaryPolicy &p) {
    const double rho = canary::tunedRho(p.alpha, p.decisionRuns);
    const bool enough = s.finished >= p.minRuns && c.finished >= p.minRuns;
    CanaryVerdict v;

    // Proportions: the difference of two shares. higherIsBetter for a success rate.
    auto proportionMetric = [&](CanaryMetric::Id id, bool critical, int64_t sHits, int64_t sN,
                                int64_t cHits, int64_t cN, bool higherIsBetter, double tolerance,
                                bool armsEnough) {
        CanaryMetric m;
        m.id = id;
        m.critical = critical;
        m.stable = sN ? double(sHits) / double(sN) : 0;
        m.canary = cN ? double(cHits) / double(cN) : 0;
        m.difference = canary::proportionDifference(sHits, sN, cHits, cN, p.alpha, rho);
        m.classification = canary::classify(m.difference, higherIsBetter, tolerance,
                                            armsEnough && sN > 0 && cN > 0);
        return m;
    };
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
    // Tails: the share of each arm's runs beyond the stable arm's p95. A canary whose few runs
    // blow up (7 of 10 at 100 times the stable latency) has most of its runs there, whatever
    // its median or rank sum says.
    auto tailMetric = [&](CanaryMetric::Id id, const canary::LogHistogram &hs,
                          const canary::LogHistogram &hc) {
        const int bin = hs.quantileBin(0.95);
        return proportionMetric(id, false, bin < 0 ? 0 : hs.countAbove(bin), hs.total,
                                bin < 0 ? 0 : hc.countAbove(bin), hc.total, false, p.tailTolerance,
                                enough);
    };

    v.metrics.push_back(proportionMetric(CanaryMetric::Id::SuccessRate, true, s.succeeded,
                                         s.finished, c.succeeded, c.finished, true,
                                         p.successRateTolerance, enough));
    v.metrics.push_back(logMetric(CanaryMetric::Id::Latency, false, s.logLatencyMs, c.logLatencyMs,
                                  p.latencyTolerance, enough));
    v.metrics.push_back(tailMetric(CanaryMetric::Id::LatencyTail, s.latencyMs, c.latencyMs));
    v.metrics.push_back(logMetric(CanaryMetric::Id::CostPerSuccess, true, s.logCostOfSuccess,
                                  c.logCostOfSuccess, p.costTolerance,
                                  s.logCostOfSuccess.n >= double(p.minRuns) &&
                                      c.logCostOfSuccess.n >= double(p.minRuns)));
    v.metrics.push_back(logMetric(CanaryMetric::Id::CostPerRun, false, s.logCostPerRun,
                                  c.logCostPerRun, p.costTolerance, enough));
    v.metrics.push_back(tailMetric(CanaryMetric::Id::CostTail, s.costPerRun, c.costPerRun));
    CanaryMetric steps;
    steps.id = CanaryMetric::Id::Steps;
    steps.stable = s.steps.mean;
    steps.canary = c.steps.mean;
    steps.difference = canary::meanDifference(s.steps, c.steps, p.alpha, rho);
    steps.classification =
        canary::classify(steps.difference, false, p.stepsTolerance * s.steps.mean, enough);
    v.metrics.push_back(steps);
    v.metrics.push_back(proportionMetric(CanaryMetric::Id::ToolErrorRate, false, s.toolErrors,
                                         s.toolCalls, c.toolErrors, c.toolCalls, false,
                                         p.successRateTolerance, enough));

    bool criticalWorse = false, anyWorse = false, criticalSettled = true;
    for (CanaryMetric &m : v.metrics) {
        QString change;
        switch (m.id) {
        case CanaryMetric::Id::SuccessRate:
        case CanaryMetric::Id::ToolErrorRate:
            change = tr("%1 vs %2").arg(percent(m.canary), percent(m.stable));
            break;
        case CanaryMetric::Id::LatencyTail:
        case CanaryMetric::Id::CostTail: {
            const bool latency = m.id == CanaryMetric::Id::LatencyTail;
            const auto &hs = latency ? s.latencyMs : s.costPerRun;
            const auto &hc = latency ? c.latencyMs : c.costPerRun;
            auto shown = [&](double x) {
                return latency ? milliseconds(x) : dollars(x);
            };
            change = tr("%1 of canary runs beyond the stable p95 (stable %2); p95 %3 vs %4, "
                        "p99 %5 vs %6")
                         .arg(percent(m.canary), percent(m.stable), shown(hc.quantile(0.95)),
                              shown(hs.quantile(0.95)), shown(hc.quantile(0.99)),
                              shown(hs.quantile(0.99)));
            break;
        }
        case CanaryMetric::Id::Latency:
        case CanaryMetric::Id::CostPerSuccess:
        case CanaryMetric::Id::CostPerRun:
            change =
                tr("%1 %2 (interval %3 to %4)")
                    .arg(m.difference.estimate >= 0 ? QStringLiteral("+") : QStringLiteral("−"))
                    .arg(percent(std::abs(std::expm1(m.difference.estimate))))
                    .arg(percent(std::expm1(m.difference.low)),
                         percent(std::expm1(m.difference.high)));
            // The plain figures beside the comparison of logs: latency's median, cost's mean
            // and p95 per run.
            if (m.id == CanaryMetric::Id::Latency)
                change += tr("; p50 %1 vs %2")
                              .arg(milliseconds(c.latencyMs.quantile(0.5)),
                                   milliseconds(s.latencyMs.quantile(0.5)));
            else if (m.id == CanaryMetric::Id::CostPerRun)
                change += tr("; mean %1 vs %2, p95 %3 vs %4")
                              .arg(dollars(c.finished ? c.costMicros / double(c.finished) : 0),
                                   dollars(s.finished ? s.costMicros / double(s.finished) : 0),
                                   dollars(c.costPerRun.quantile(0.95)),
                                   dollars(s.costPerRun.quantile(0.95)));
            break;
        case CanaryMetric::Id::Steps:
            change = tr("%1 vs %2").arg(m.canary, 0, 'f', 1).arg(m.stable, 0, 'f', 1);
            break;
        }
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
            m.reason = !enough ? tr("not enough runs yet (%1 stable and %2 canary, of %3 each)")
                                     .arg(s.finished)
                                     .arg(c.finished)
                                     .arg(p.minRuns)
                       : m.difference.n == 0 ? tr("no data in one of the arms")
                                             : tr("not decided yet: %1").arg(change);
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
        QStringList worse;
        for (const CanaryMetric &m : v.metrics)
            if (m.classification == Classification::Worse)
                worse << QLatin1String(metricName(m.id));
        v.reason = anyWorse ? tr("Hold: %1 worse, but none that rolls back.")
                                  .arg(worse.join(QStringLiteral(", ")))
                            : tr("Hold: not enough evidence yet.");
        v.moreCanaryRuns = moreCanaryRuns(v, s, c, p, rho);
    }
    return v;
}

} // namespace pitwall

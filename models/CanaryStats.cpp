#include "CanaryStats.h"

#include <algorithm>
#include <cmath>

namespace pitwall::canary {

double tunedRho(double alpha, double decisionN) {
    const double l = -2 * std::log(alpha);
    return std::sqrt((l + std::log(l + 1)) / std::max(decisionN, 1.0));
}

Interval confidenceSequence(double difference, double variance, double n, double alpha,
                            double rho) {
    Interval i;
    i.estimate = difference;
    if (n <= 0 || !(variance > 0)) {
        i.low = -INFINITY;
        i.high = INFINITY;
        return i;
    }
    const double sigma2 = variance * n; // per-sample variance of the difference
    i.n = n;
    i.perSampleVariance = sigma2;
    const double nr2 = n * rho * rho;
    const double factor = 2 * (nr2 + 1) / (n * n * rho * rho);
    const double half = std::sqrt(sigma2 * factor * std::log(std::sqrt(nr2 + 1) / alpha));
    i.low = difference - half;
    i.high = difference + half;
    // The α at which the half-width equals |difference|.
    i.pValue =
        std::min(1.0, std::sqrt(nr2 + 1) * std::exp(-difference * difference / (sigma2 * factor)));
    return i;
}

double samplesToSettle(double estimate, double boundary, double perSampleVariance, double alpha,
                       double rho, double currentN) {
    const double distance = std::abs(estimate - boundary);
    if (!(distance > 0) || !(perSampleVariance > 0))
        return INFINITY;
    auto halfWidth = [&](double n) {
        const double nr2 = n * rho * rho;
        return std::sqrt(perSampleVariance * 2 * (nr2 + 1) / (n * n * rho * rho) *
                         std::log(std::sqrt(nr2 + 1) / alpha));
    };
    double low = std::max(currentN, 2.0), high = low;
    if (halfWidth(low) < distance)
        return low;
    while (halfWidth(high) >= distance) { // the half-width keeps shrinking as N grows
        high *= 2;
        if (high > 1e12)
            return INFINITY;
    }
    while (high - low > 1) {
        const double mid = std::floor((low + high) / 2);
        (halfWidth(mid) < distance ? high : low) = mid;
    }
    return high;
}

Interval proportionDifference(int64_t stableSuccesses, int64_t stableN, int64_t canarySuccesses,
                              int64_t canaryN, double alpha, double rho) {
    if (stableN <= 0 || canaryN <= 0)
        return confidenceSequence(0, 0, 0, alpha, rho);
    const double ps = double(stableSuccesses) / double(stableN);
    const double pc = double(canarySuccesses) / double(canaryN);
    // The variance of each arm from a shrunk rate, so that 0 of n or n of n is not certainty.
    auto variance = [](int64_t k, int64_t n) {
        const double p = (double(k) + 0.5) / (double(n) + 1);
        return p * (1 - p) / double(n);
    };
    return confidenceSequence(
        pc - ps, variance(stableSuccesses, stableN) + variance(canarySuccesses, canaryN),
        double(stableN + canaryN), alpha, rho);
}

Interval meanDifference(const Moments &stable, const Moments &canary, double alpha, double rho) {
    if (stable.n < 2 || canary.n < 2)
        return confidenceSequence(0, 0, 0, alpha, rho);
    return confidenceSequence(canary.mean - stable.mean,
                              stable.variance() / stable.n + canary.variance() / canary.n,
                              stable.n + canary.n, alpha, rho);
}

Classification classify(const Interval &i, bool higherIsBetter, double tolerance, bool enoughRuns) {
    if (!enoughRuns || !std::isfinite(i.low) || !std::isfinite(i.high))
        return Classification::NotEnoughData;
    // In "badness" units: how much worse the canary is.
    const double worstLow = higherIsBetter ? -i.high : i.low;
    const double worstHigh = higherIsBetter ? -i.low : i.high;
    if (worstLow > tolerance)
        return Classification::Worse;
    if (worstHigh < 0)
        return Classification::Better;
    if (worstHigh <= tolerance)
        return Classification::Pass;
    return Classification::NotEnoughData;
}

} // namespace pitwall::canary

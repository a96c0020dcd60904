#pragma once

// The statistics of the canary judge (issue 11), pure and testable: always-valid confidence
// sequences for the difference between a canary and its stable version, so that an operator may
// look at the verdict every second without raising the false-alarm rate. The method is the
// asymptotic confidence sequence of Waudby-Smith et al. (2021) as GrowthBook applies it, with the
// normal-mixture boundary of Howard et al. (2021, "Time-uniform, nonparametric, nonasymptotic
// confidence sequences", eq. 14): for an estimate D of a difference with standard error s over N
// samples, the interval D ± s·√N·√(2(Nρ²+1)/(N²ρ²) · log(√(Nρ²+1)/α)) holds at every N at once
// with probability 1 − α.

#include "CanaryRecords.h"

#include <cstdint>

namespace pitwall::canary {

// An estimate of canary minus stable with its always-valid interval and p-value.
struct Interval {
    double estimate = 0, low = 0, high = 0;
    double pValue = 1;
    double n = 0;                 // samples of both arms together
    double perSampleVariance = 0; // the difference's variance times n
};

// The mixture's ρ that makes the interval narrowest at `decisionN` samples (both arms together),
// the sample size at which a decision is usually made.
double tunedRho(double alpha, double decisionN);

// The interval around `difference`, whose variance is `variance` (the squared standard error),
// after `n` samples of both arms together. Always-valid: the p-value is the smallest α whose
// interval excludes 0.
Interval confidenceSequence(double difference, double variance, double n, double alpha, double rho);

// Canary minus stable of two proportions (e.g. success rates).
Interval proportionDifference(int64_t stableSuccesses, int64_t stableN, int64_t canarySuccesses,
                              int64_t canaryN, double alpha, double rho);
// Canary minus stable of two means (e.g. of log latency: a ratio of geometric means).
Interval meanDifference(const Moments &stable, const Moments &canary, double alpha, double rho);

// How many samples (both arms together) the interval needs to exclude `boundary`, if the estimate
// and the per-sample variance stay as they are now: the half-width shrinks with N while the
// distance |estimate − boundary| stays. Infinity when the estimate sits on the boundary; at least
// `currentN`.
double samplesToSettle(double estimate, double boundary, double perSampleVariance, double alpha,
                       double rho, double currentN);

enum class Classification { NotEnoughData, Pass, Worse, Better };

// Worse: the whole interval is beyond `tolerance` in the bad direction (a canary within the
// tolerance is not worse). Better: the whole interval is on the good side of 0. Pass: the
// interval excludes being worse by more than the tolerance. Otherwise, or below `minRuns` in
// either arm: not enough data. `tolerance` is in the difference's units, ≥ 0.
Classification classify(const Interval &interval, bool higherIsBetter, double tolerance,
                        bool enoughRuns);

} // namespace pitwall::canary

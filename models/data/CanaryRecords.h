#pragma once

// What the canary judge compares, as the store reads it: plain values, below the services that
// read them and the models that judge them.

#include <cstdint>
#include <string>

namespace pitwall {
namespace canary {

// Running mean and variance (Welford), mergeable: what one arm's metric needs.
struct Moments {
    double n = 0, mean = 0, m2 = 0;
    void add(double x) {
        n += 1;
        const double delta = x - mean;
        mean += delta / n;
        m2 += delta * (x - mean);
    }
    void merge(const Moments &o) {
        if (o.n == 0)
            return;
        const double total = n + o.n;
        const double delta = o.mean - mean;
        m2 += o.m2 + delta * delta * n * o.n / total;
        mean += delta * o.n / total;
        n = total;
    }
    double variance() const { return n > 1 ? m2 / (n - 1) : 0; }
    // From a count, a mean and a sample variance (as SQL's avg and var_samp give them).
    static Moments of(double n, double mean, double sampleVariance) {
        return {n, n > 0 ? mean : 0, n > 1 ? sampleVariance * (n - 1) : 0};
    }
};

} // namespace canary

// What one arm (the stable or the canary version of an agent) did in the window: counts by
// status, and the moments the judge compares. Latency and cost are compared on a log scale, so
// that a few huge runs do not decide, and cost per successful run only over successful runs.
struct CanaryArm {
    std::string version;
    // `finished`: ended by their own work (succeeded, failed, timeout), the success rate's
    // denominator; killed, capped and step-limited runs ended by a rule and are counted apart.
    int64_t runs = 0, finished = 0, succeeded = 0, failed = 0, killed = 0, capped = 0,
            stepLimit = 0, timeout = 0;
    canary::Moments logLatencyMs;     // finished runs: log of milliseconds
    canary::Moments logCostOfSuccess; // succeeded runs: log of (micro-dollars + 1)
    canary::Moments steps;            // finished runs
};

// An agent's rollout with its two arms over the window.
struct CanaryComparison {
    std::string agent;
    int weight = 0;
    int64_t revision = 0;
    int64_t fromUs = 0; // where the window starts: unix microseconds
    CanaryArm stable, canary;
};

} // namespace pitwall

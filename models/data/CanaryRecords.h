#pragma once

// What the canary judge compares, as the store reads it: plain values, below the services that
// read them and the models that judge them.

#include "Contract.h"
#include "RunDetails.h"
#include <algorithm>
#include <array>
#include <cmath>

#include <QMetaType>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// A fixed log-scale histogram, mergeable by adding counts: bin b holds values in
// [2^(b/6), 2^((b+1)/6)), 12.2 % wide, so the bin's geometric middle is within 6 % of any
// value in it, and of an exact quantile. Values below 1 fall in bin 0; 168 bins reach 2^28 (268
// million: 3 days in milliseconds, 268 dollars in micro-dollars); larger values fall in the last
// bin.
struct LogHistogram {
    static constexpr int kBinsPerDoubling = 6;
    static constexpr int kBins = 168;
    std::array<uint32_t, kBins> counts{};
    int64_t total = 0;

    static int binOf(double x) {
        if (!(x >= 1))
            return 0;
        return std::min(kBins - 1, static_cast<int>(std::floor(std::log2(x) * kBinsPerDoubling)));
    }
    static double lowerBound(int bin) { return std::exp2(double(bin) / kBinsPerDoubling); }
    static double middle(int bin) { return std::exp2((bin + 0.5) / kBinsPerDoubling); }
    void add(double x) {
        ++counts[size_t(binOf(x))];
        ++total;
    }
    void merge(const LogHistogram &o) {
        for (size_t i = 0; i < counts.size(); ++i)
            counts[i] += o.counts[i];
        total += o.total;
    }
    // The bin holding the q-quantile (0 < q < 1); -1 when empty.
    int quantileBin(double q) const {
        if (total == 0)
            return -1;
        const double rank = std::ceil(q * double(total));
        int64_t seen = 0;
        for (int b = 0; b < kBins; ++b) {
            seen += counts[size_t(b)];
            if (double(seen) >= rank)
                return b;
        }
        return kBins - 1;
    }
    double quantile(double q) const {
        const int b = quantileBin(q);
        return b < 0 ? 0 : middle(b);
    }
    // How many values lie in bins above `bin`.
    int64_t countAbove(int bin) const {
        int64_t n = 0;
        for (int b = bin + 1; b < kBins; ++b)
            n += counts[size_t(b)];
        return n;
    }
};

} // namespace canary

// The longest window a canary is judged over by default (the console's rollup and pitwallctl
// alike): a canary older than that is judged over its last two days.
constexpr int64_t kCanaryMaxWindowMs = int64_t(2) * 24 * 3600 * 1000;

// One ended run as the canary judge counts it.
struct RunOutcome {
    RunStatus status = RunStatus::Succeeded;
    double latencyMs = 0;
    int64_t costMicros = 0;
    int steps = 0;
    int toolCalls = 0, toolErrors = 0;
};

// What one arm (the stable or the canary version of an agent) did in the window: counts by
// status, and the moments the judge compares. Latency and cost are compared on a log scale, so
// that a few huge runs do not decide, and cost per successful run only over successful runs.
struct CanaryArm {
    std::string version;
    // `finished`: ended by their own work (succeeded, failed, timeout), the success rate's
    // denominator; killed, capped and step-limited runs ended by a rule and are counted apart.
    int64_t runs = 0, finished = 0, succeeded = 0, failed = 0, killed = 0, capped = 0,
            stepLimit = 0, timeout = 0;
    int64_t toolCalls = 0, toolErrors = 0; // finished runs
    canary::Moments logLatencyMs;          // finished runs: log of milliseconds
    canary::Moments logCostOfSuccess;      // succeeded runs: log of (micro-dollars + 1)
    canary::Moments logCostPerRun;         // finished runs: log of (micro-dollars + 1)
    canary::Moments steps;                 // finished runs
    double costMicros = 0;                 // finished runs: the sum
    canary::LogHistogram latencyMs;        // finished runs
    canary::LogHistogram costPerRun;       // finished runs, micro-dollars

    // Folds in one ended run.
    void add(const RunOutcome &run) {
        ++runs;
        switch (run.status) {
        case RunStatus::Killed:
            ++killed;
            return;
        case RunStatus::Capped:
            ++capped;
            return;
        case RunStatus::StepLimit:
            ++stepLimit;
            return;
        case RunStatus::Running:
            return; // not ended: never read as an outcome
        case RunStatus::Succeeded:
            ++succeeded;
            break;
        case RunStatus::Failed:
            ++failed;
            break;
        case RunStatus::Timeout:
            ++timeout;
            break;
        }
        ++finished;
        const double latency = std::max(run.latencyMs, 1.0);
        const double cost = double(std::max<int64_t>(run.costMicros, 0));
        logLatencyMs.add(std::log(latency));
        logCostPerRun.add(std::log(cost + 1));
        if (run.status == RunStatus::Succeeded)
            logCostOfSuccess.add(std::log(cost + 1));
        steps.add(run.steps);
        costMicros += cost;
        latencyMs.add(latency);
        costPerRun.add(cost);
        toolCalls += std::max(run.toolCalls, 0);
        toolErrors += std::clamp(run.toolErrors, 0, std::max(run.toolCalls, 0));
    }
    // Adds another window of the same version (a rollup's minute).
    void merge(const CanaryArm &o) {
        runs += o.runs;
        finished += o.finished;
        succeeded += o.succeeded;
        failed += o.failed;
        killed += o.killed;
        capped += o.capped;
        stepLimit += o.stepLimit;
        timeout += o.timeout;
        toolCalls += o.toolCalls;
        toolErrors += o.toolErrors;
        logLatencyMs.merge(o.logLatencyMs);
        logCostOfSuccess.merge(o.logCostOfSuccess);
        logCostPerRun.merge(o.logCostPerRun);
        steps.merge(o.steps);
        costMicros += o.costMicros;
        latencyMs.merge(o.latencyMs);
        costPerRun.merge(o.costPerRun);
    }
};

// How the judge decides for one agent (pitwall.canary_policy; the defaults for an agent
// without a row).
struct CanaryPolicy {
    double alpha = 0.05;
    double decisionRuns = 1000;
    int64_t minRuns = 50;
    double successRateTolerance = 0.02; // absolute: 2 points of success rate (and tool errors)
    double latencyTolerance = 0.10;     // relative: the canary may be 10 % slower
    double costTolerance = 0.10;        // relative, per successful run and per run
    double stepsTolerance = 0.10;       // relative
    double tailTolerance = 0.025;       // absolute share of runs beyond the stable arm's p95
    int64_t revision = 0;               // 0: no row, the defaults
};

// An agent's rollout with its two arms over the window.
struct CanaryComparison {
    std::string agent;
    int weight = 0;
    int64_t revision = 0;
    int64_t fromUs = 0; // where the window starts: unix microseconds
    CanaryArm stable, canary;
    CanaryPolicy policy;
};

// One minute of one arm, for the charts.
struct CanaryPoint {
    int64_t minuteMs = 0;
    int64_t finished = 0, succeeded = 0;
    double latencyMs = 0;           // geometric mean of the finished runs
    double costOfSuccessMicros = 0; // geometric mean over the successful runs
};

// A run worth opening: the slowest, the most expensive, or a failed one of an arm.
struct CanaryExampleRun {
    std::string runId, traceId, version, status, why; // why: slowest, most expensive, failed
    double latencyMs = 0;
    int64_t costMicros = 0;
    int64_t endedMs = 0;
    std::string error;
};

// One change of a rollout or its canary policy, from the audit log.
struct RolloutChange {
    std::string actionId, kind, actor, reason;
    int64_t atMs = 0;
    // The rollout before and after (empty canary: none); a policy change keeps them equal.
    std::string stableBefore, canaryBefore, stableAfter, canaryAfter;
    int weightBefore = 0, weightAfter = 0;
    std::string inFlight;   // a rollback: finish or kill (empty before schema version 4)
    int64_t killedRuns = 0; // a rollback that killed the canary's runs in flight
};

// Everything the canary page shows of one agent with a canary, read together.
struct CanaryAgentData {
    CanaryComparison comparison;
    std::vector<CanaryPoint> stableSeries, canarySeries; // by minute, oldest first
    std::vector<RolloutChange> history;                  // newest first
    // Parallel to `history`: the arms as they were when the change was made (what the judge
    // said then is judged again from them).
    std::vector<std::pair<CanaryArm, CanaryArm>> armsAtChange;
    int64_t canaryInFlight = 0;                  // runs running on the canary version now
    std::vector<std::string> canaryInFlightRuns; // the first of them, oldest first
    double runsPerMinute = 0;                    // both arms, over the last 10 minutes
    std::optional<SloTargets> slo;
};

struct CanarySnapshot {
    std::vector<CanaryAgentData> agents;
    int64_t atMs = 0;
    int64_t rolledUpRuns = 0; // runs in the rollup
    size_t buckets = 0;
    double judgeMs = 0; // merging the arms and the charts' minutes from the rollup
    std::string error;  // the stores could not be read; the page keeps what it showed
};

} // namespace pitwall

Q_DECLARE_METATYPE(pitwall::CanarySnapshot)

#pragma once

// The circuit breakers as the stores hold them (pitwall:breaker:{tool}, its minute buckets, the
// latest override in pitwall.actions, pitwall.breaker_events): plain values for the breakers
// page, the on-call home and `pitwallctl breakers`.

#include "Contract.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pitwall {

struct BreakerMinute {
    int64_t calls = 0, failures = 0, rejected = 0;
};

struct BreakerRow {
    std::string tool;
    // As a caller would see it now: closed, open, half_open, forced_open or forced_closed (an
    // override past its end no longer counts, even before an agent's call removes it).
    std::string state;
    std::string automaticState; // closed, open or half_open: what applies without an override
    int64_t sinceMs = 0;        // when the shown state began; 0 when not known
    // The override in force: who, why, since and until when (0: until cleared).
    std::string forcedBy, forcedReason;
    int64_t forcedAtMs = 0, forcedUntilMs = 0;
    int64_t failuresInRow = 0, threshold = 0, cooloffMs = 0;
    int64_t halfOpenAtMs = 0; // open: when the next call becomes the trial; else 0
    std::string lastError;
    // Oldest minute first; the last is the current minute. The window is its last
    // kBreakerWindowMinutes.
    std::array<BreakerMinute, kBreakerSparkMinutes> minutes{};
    int runsAtTool = -1; // live runs whose last step is a call of this tool; -1 when not counted

    BreakerMinute window() const {
        BreakerMinute w;
        for (size_t i = minutes.size() - kBreakerWindowMinutes; i < minutes.size(); ++i) {
            w.calls += minutes[i].calls;
            w.failures += minutes[i].failures;
            w.rejected += minutes[i].rejected;
        }
        return w;
    }
    // The failure rate over the window in [0, 1], or -1 below kBreakerMinimumCalls.
    double failureRate() const {
        const BreakerMinute w = window();
        return w.calls < kBreakerMinimumCalls ? -1.0 : double(w.failures) / double(w.calls);
    }
    bool forced() const { return state == "forced_open" || state == "forced_closed"; }
};

struct BreakerBoard {
    int64_t atMs = 0;
    std::vector<BreakerRow> rows; // most trouble first (breakerTroubleOrder)
    bool truncated = false;       // more tools than kMaxBreakerTools: the rest are not shown
    double readMs = 0;
    std::string error; // set when the board could not be read
};

// One line of a breaker's history: an automatic transition written by an agent, or an
// operator's override (actor set).
struct BreakerHistoryEntry {
    int64_t atMs = 0;
    std::string from, to;
    int64_t failures = 0;
    std::string actor, reason;
};

inline constexpr int kMaxBreakerTools = 2000;
inline constexpr int kMaxBreakerHistory = 1000;

// Open first, then half-open, forced open, forced closed, closed; within a state the highest
// failure rate (over the window) first, then by name.
inline int breakerStateRank(const std::string &state) {
    if (state == "open")
        return 0;
    if (state == "half_open")
        return 1;
    if (state == "forced_open")
        return 2;
    if (state == "forced_closed")
        return 3;
    return 4;
}

inline bool breakerTroubleOrder(const BreakerRow &a, const BreakerRow &b) {
    const int ra = breakerStateRank(a.state), rb = breakerStateRank(b.state);
    if (ra != rb)
        return ra < rb;
    const double fa = a.failureRate(), fb = b.failureRate();
    if (fa != fb)
        return fa > fb;
    return a.tool < b.tool;
}

} // namespace pitwall

#pragma once

#include "SpendRecords.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pitwall {

// What a scope's figures say about the rest of its day: pure arithmetic, tested on its own.
struct SpendOutlook {
    // Settled + reserved, what the daily cap is checked against; the ledger without a counter.
    int64_t usedMicros = 0;
    double burn15mPerHour = 0; // micro-dollars an hour at the last 15 minutes' pace
    double burn60mPerHour = 0; // ... at the last hour's pace
    double percentUsed = -1;   // of the daily cap; -1 without one
    // At midnight UTC at the last 15 minutes' pace: as that pace would take it, and stopped by
    // the daily cap (which refuses what would pass it), what the page shows.
    int64_t projectedAtPaceMicros = 0;
    int64_t projectedMicros = 0;
    std::optional<int64_t> capReachedAtMs; // today, at that pace; none if not before midnight
    int64_t driftMicros = 0;               // Redis settled − PostgreSQL ledger
    bool driftFlagged = false;             // beyond the tolerance below
    bool alertCrossed = false;             // percentUsed at or past the soft alert threshold
};

// The drift tolerated between the counter and the ledger: the ledger lags the counter by the
// guard's write batches (100 ms), so a cent or 1 % of the day, whichever is more.
int64_t driftToleranceMicros(int64_t ledgerMicros);

SpendOutlook spendOutlook(const SpendFigures &f, int64_t nowMs);

// Midnight UTC after `ms`.
int64_t endOfUtcDayMs(int64_t ms);

// What a new daily cap would change for a scope, before it is confirmed.
struct CapImpact {
    int64_t usedMicros = 0;
    int64_t headroomBeforeMicros = 0; // old cap - used; negative: over it (no cap: -1 cap)
    int64_t headroomAfterMicros = 0;
    bool unlimitedBefore = false;
    int64_t projectedBeforeMicros =
        0; // end of day at the last 15 minutes' pace, stopped by the cap
    int64_t projectedAfterMicros = 0;
    std::optional<int64_t> capReachedAfterMs; // when the new cap is reached at that pace, today
    // Subjects (users for the default user cap, else the scope itself) refused by the daily
    // cap now that the new one would let through, and those it would start refusing.
    std::vector<std::string> letThrough, newlyRefused;
    int64_t followers = 0; // subjects the change applies to that were looked at
};

// `followers`: for the default user cap, the users who follow it (their own figures); for any
// other scope, empty (the scope's own figures decide).
CapImpact capImpact(const SpendFigures &scope, const std::vector<SpendFigures> &followers,
                    int64_t newDailyMicros, int64_t nowMs);

} // namespace pitwall

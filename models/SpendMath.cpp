#include "SpendMath.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace pitwall {

int64_t endOfUtcDayMs(int64_t ms) {
    constexpr int64_t kDay = 24LL * 3600 * 1000;
    return (ms / kDay + 1) * kDay;
}

int64_t driftToleranceMicros(int64_t ledgerMicros) {
    return std::max<int64_t>(10'000, std::abs(ledgerMicros) / 100);
}

SpendOutlook spendOutlook(const SpendFigures &f, int64_t nowMs) {
    SpendOutlook o;
    // Without a counter (Redis lost it) the guard seeds one from the ledger before granting
    // anything: the ledger is what the cap is checked against.
    // A counter recreated by a settle after a loss, not seeded yet, holds only the settles
    // since: the ledger (which has them too, a batch later) is the better figure until then.
    o.usedMicros = !f.counterPresent ? f.ledgerMicros
                   : f.counterSeeded ? f.settledMicros + f.reservedMicros
                                     : std::max(f.settledMicros, f.ledgerMicros) + f.reservedMicros;
    o.burn15mPerHour = double(f.spent15mMicros) * 4;
    o.burn60mPerHour = double(f.spent60mMicros);
    const int64_t end = endOfUtcDayMs(nowMs);
    const double hoursLeft = double(end - nowMs) / 3.6e6;
    o.projectedAtPaceMicros = o.usedMicros + int64_t(std::llround(o.burn15mPerHour * hoursLeft));
    o.projectedMicros = f.dailyCapMicros < 0 ? o.projectedAtPaceMicros
                                             : std::min(o.projectedAtPaceMicros,
                                                        std::max(f.dailyCapMicros, o.usedMicros));
    if (f.dailyCapMicros >= 0) {
        o.percentUsed = f.dailyCapMicros > 0
                            ? 100.0 * double(o.usedMicros) / double(f.dailyCapMicros)
                            : (o.usedMicros > 0 ? 100.0 : 0.0);
        o.alertCrossed = f.alertPercent > 0 && o.percentUsed >= f.alertPercent;
        const int64_t left = f.dailyCapMicros - o.usedMicros;
        if (left <= 0)
            o.capReachedAtMs = nowMs;
        else if (o.burn15mPerHour > 0) {
            // In double first: a huge cap at a tiny pace is far beyond any int64.
            const double inMs = double(left) / o.burn15mPerHour * 3.6e6;
            if (inMs < double(end - nowMs))
                o.capReachedAtMs = nowMs + int64_t(inMs);
        }
    }
    o.driftMicros = f.settledMicros - f.ledgerMicros;
    o.driftFlagged =
        f.counterPresent && std::abs(o.driftMicros) > driftToleranceMicros(f.ledgerMicros);
    return o;
}

CapImpact capImpact(const SpendFigures &scope, const std::vector<SpendFigures> &followers,
                    int64_t newDailyMicros, int64_t nowMs) {
    CapImpact impact;
    const SpendOutlook o = spendOutlook(scope, nowMs);
    impact.usedMicros = o.usedMicros;
    impact.unlimitedBefore = scope.dailyCapMicros < 0;
    impact.headroomBeforeMicros = impact.unlimitedBefore ? 0 : scope.dailyCapMicros - o.usedMicros;
    impact.headroomAfterMicros = newDailyMicros - o.usedMicros;
    // A cap stops the day's spend where it is: the projection cannot pass it.
    impact.projectedBeforeMicros =
        impact.unlimitedBefore
            ? o.projectedAtPaceMicros
            : std::min(o.projectedAtPaceMicros, std::max(scope.dailyCapMicros, o.usedMicros));
    impact.projectedAfterMicros =
        std::min(o.projectedAtPaceMicros, std::max(newDailyMicros, o.usedMicros));
    SpendFigures after = scope;
    after.dailyCapMicros = newDailyMicros;
    impact.capReachedAfterMs = spendOutlook(after, nowMs).capReachedAtMs;

    auto judge = [&](const SpendFigures &f, int64_t oldCap) {
        const int64_t used = spendOutlook(f, nowMs).usedMicros;
        const bool refusedNow = oldCap >= 0 && used >= oldCap;
        const bool refusedAfter = used >= newDailyMicros;
        if (refusedNow && !refusedAfter)
            impact.letThrough.push_back(f.subject);
        else if (!refusedNow && refusedAfter)
            impact.newlyRefused.push_back(f.subject);
    };
    if (scope.scope == "user" && scope.subject == "*") {
        for (const SpendFigures &f : followers)
            if (f.capIsDefault) {
                ++impact.followers;
                judge(f, scope.dailyCapMicros);
            }
    } else {
        impact.followers = 1;
        judge(scope, scope.dailyCapMicros);
    }
    return impact;
}

} // namespace pitwall

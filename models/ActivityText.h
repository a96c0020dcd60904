#pragma once

#include "ActivitySummary.h"

#include <QCoreApplication>
#include <QString>

namespace pitwall {

// Sentences for the overview, derived from an ActivitySummary alone.
class ActivityText {
    Q_DECLARE_TR_FUNCTIONS(ActivityText)
public:
    // "$12.34 spent today + $0.50 reserved, of a $2000.00 global cap (0.6 %)"
    static QString spend(const ActivitySummary &a);
    // "Last 15 minutes: 120 succeeded · 8 failed · 3 killed" (most frequent first)
    static QString runs(const ActivitySummary &a);
    // "All breakers closed" or "payments_api open · web_search forced open"
    static QString breakers(const ActivitySummary &a);
    static QString usd(qint64 micros);
    // To the micro-dollar below a dollar ("$0.000123"), for the cost of one call.
    static QString usdFine(qint64 micros);
};

} // namespace pitwall

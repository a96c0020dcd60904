#pragma once

// The audit trail as the stores hold it (pitwall.actions): plain values for the audit page and
// `pitwallctl audit`. JSON columns travel as text: no JSON type leaves services/.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pitwall {

// Which actions: every field empty or unset means "any".
struct AuditFilter {
    std::string actor, kind, target;
    std::string text;                    // a substring of the reason, case-insensitive
    std::optional<int64_t> fromMs, toMs; // requested_at in [from, to)
    int64_t lastMs = 0;       // > 0: fromMs is "now − lastMs" at each read (AuditService sets it)
    bool pendingOnly = false; // only actions not yet applied to Redis
};

// Where the next page starts: after this action, newest first.
struct AuditCursor {
    int64_t requestedUs = 0;
    std::string actionId;
};

struct AuditEntry {
    std::string actionId;
    int64_t requestedUs = 0;
    std::string actor, kind, target, reason;
    std::string paramsJson, beforeJson, afterJson, outcomeJson; // "null" when absent
    int64_t mirroredUs = -1;           // applied to Redis then; -1 while still pending
    std::string evidenceJson = "null"; // what the console showed when it was taken (schema 6)
    // A kill_run: its run's status now ("" when the run is unknown) and how long after the
    // action the run ended (-1 while it has not).
    std::string killedRunStatus;
    int64_t killLandedMs = -1;
};

struct AuditPage {
    std::vector<AuditEntry> entries;
    std::optional<AuditCursor> next; // none on the last page
};

} // namespace pitwall

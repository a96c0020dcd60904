#pragma once

#include "AuditRecords.h"

#include <QCoreApplication>
#include <QString>

#include <string>
#include <vector>

namespace pitwall {

// The audit trail as CSV (RFC 4180: CRLF line ends; a field with a comma, a quote, a CR or an LF
// quoted, its quotes doubled), the same columns for `pitwallctl audit --csv` and the audit
// page's export. Times are ISO 8601 UTC with microseconds.
std::string auditCsvHeader();
std::string auditCsvRow(const AuditEntry &e);
std::string csvField(const std::string &value);
std::string isoTimeUs(int64_t us); // "2026-11-29T21:43:06.123456Z"; "" for a negative time

// One action as one line of JSON (JSON Lines): the CSV's columns, the JSON columns as JSON,
// and the evidence. For `pitwallctl audit --json` and the audit page's export.
std::string auditJsonLine(const AuditEntry &e);

// What an action changed, field by field: the top-level fields of its before and after (a
// value that is not an object is one field, "value"), values as compact JSON (strings bare),
// "" for a field that is absent on that side. Unchanged fields are listed too.
struct AuditChange {
    QString field, before, after;
    bool changed = false;
};
std::vector<AuditChange> auditDiff(const std::string &beforeJson, const std::string &afterJson);

class AuditText {
    Q_DECLARE_TR_FUNCTIONS(AuditText)
public:
    // What came of the action: applied to Redis when (or still pending); for a kill, whether
    // it landed and after how long, or that the agent has not honoured it.
    static QString outcome(const AuditEntry &e, int64_t nowMs);
    // The evidence as "field: value" lines; empty when there is none.
    static QString evidence(const std::string &evidenceJson);
    // "Outcome" column's short form: "applied", "pending", "landed in 240 ms", "not honoured".
    static QString outcomeShort(const AuditEntry &e, int64_t nowMs);
};

} // namespace pitwall

#pragma once

#include "AuditRecords.h"

#include <string>

namespace pitwall {

// The audit trail as CSV (RFC 4180: CRLF line ends; a field with a comma, a quote, a CR or an LF
// quoted, its quotes doubled), the same columns for `pitwallctl audit --csv` and the audit
// page's export. Times are ISO 8601 UTC with microseconds.
std::string auditCsvHeader();
std::string auditCsvRow(const AuditEntry &e);
std::string csvField(const std::string &value);
std::string isoTimeUs(int64_t us); // "2026-11-29T21:43:06.123456Z"; "" for a negative time

} // namespace pitwall

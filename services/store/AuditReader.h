#pragma once

#include "AuditRecords.h"

#include <optional>

namespace pqxx {
class connection_base;
}

namespace pitwall {

// A page of the audit trail, newest first, by keyset on (requested_at, action_id): as fast for
// the millionth action as for the first (actions_recent_idx). Throws StoreError for a filter
// out of bounds, pqxx errors for the store.
AuditPage readAudit(pqxx::connection_base &pg, const AuditFilter &filter,
                    const std::optional<AuditCursor> &after, int limit);

constexpr int kMaxAuditPage = 10'000;
constexpr size_t kMaxAuditFilterText = 200; // bytes of each filter field

} // namespace pitwall

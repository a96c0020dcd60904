#include "AuditReader.h"

#include "StoreError.h"

#include <pqxx/pqxx>

#include <algorithm>

namespace pitwall {
namespace {

// A LIKE pattern matching `text` anywhere, its specials escaped.
std::string containsLike(const std::string &text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "%";
}

void check(const std::string &value, const char *what) {
    if (value.size() > kMaxAuditFilterText)
        throw StoreError(std::string("The ") + what + " filter is at most " +
                         std::to_string(kMaxAuditFilterText) + " bytes, not " +
                         std::to_string(value.size()) + ".");
    if (value.find('\0') != std::string::npos)
        throw StoreError(std::string("The ") + what + " filter holds a NUL character.");
}

} // namespace

AuditPage readAudit(pqxx::connection_base &pg, const AuditFilter &f,
                    const std::optional<AuditCursor> &after, int limit) {
    check(f.actor, "actor");
    check(f.kind, "kind");
    check(f.target, "target");
    check(f.text, "text");
    if (after)
        check(after->actionId, "cursor");
    limit = std::clamp(limit, 1, kMaxAuditPage);
    pqxx::read_transaction tx(pg);
    // One static statement: an empty filter field matches everything. The keyset condition
    // reads actions_recent_idx from the cursor on; the ties on requested_at go by action id.
    const pqxx::result rows = tx.exec_params(
        "SELECT action_id::text, (extract(epoch FROM requested_at) * 1000000)::bigint, actor,"
        " kind, target, reason, params::text, coalesce(before::text, 'null'),"
        " coalesce(after::text, 'null'), coalesce(outcome::text, 'null'),"
        " coalesce((extract(epoch FROM mirrored_at) * 1000000)::bigint, -1),"
        // The evidence column came with schema 6: read through the row's JSON, an older
        // database answers null instead of failing.
        " coalesce((to_jsonb(a) -> 'evidence')::text, 'null'),"
        // A kill: what became of its run, by the primary key. A target that is not a run id
        // (a row written by hand) is not cast.
        " CASE WHEN kind = 'kill_run' AND target ~ "
        "'^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$' THEN (SELECT r.status"
        "   FROM pitwall.runs r WHERE r.run_id = a.target::uuid) END,"
        " CASE WHEN kind = 'kill_run' AND target ~ "
        "'^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$' THEN (SELECT"
        "   (extract(epoch FROM r.ended_at - a.requested_at) * 1000)::bigint"
        "   FROM pitwall.runs r WHERE r.run_id = a.target::uuid) END"
        " FROM pitwall.actions a"
        " WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR target = $3)"
        " AND ($4 = '' OR reason ILIKE $5)"
        // Times as whole microseconds from the epoch, never through a float: a cursor off by
        // a microsecond would skip or repeat an action.
        " AND ($6::bigint IS NULL OR requested_at >="
        "      timestamptz 'epoch' + $6::bigint * interval '1 millisecond')"
        " AND ($7::bigint IS NULL OR requested_at <"
        "      timestamptz 'epoch' + $7::bigint * interval '1 millisecond')"
        " AND ($8::bigint IS NULL OR (requested_at, action_id) <"
        "      (timestamptz 'epoch' + $8::bigint * interval '1 microsecond', $9::uuid))"
        " AND (NOT $11::boolean OR mirrored_at IS NULL)"
        " ORDER BY requested_at DESC, action_id DESC LIMIT $10",
        f.actor, f.kind, f.target, f.text, containsLike(f.text), f.fromMs, f.toMs,
        after ? std::optional<int64_t>(after->requestedUs) : std::nullopt,
        after ? after->actionId : std::string("00000000-0000-0000-0000-000000000000"), limit + 1,
        f.pendingOnly);
    AuditPage page;
    for (const auto &r : rows) {
        if (page.entries.size() == size_t(limit)) {
            const AuditEntry &last = page.entries.back();
            page.next = AuditCursor{last.requestedUs, last.actionId};
            break;
        }
        AuditEntry e;
        e.actionId = r[0].as<std::string>();
        e.requestedUs = r[1].as<int64_t>();
        e.actor = r[2].as<std::string>();
        e.kind = r[3].as<std::string>();
        e.target = r[4].as<std::string>();
        e.reason = r[5].as<std::string>();
        e.paramsJson = r[6].as<std::string>();
        e.beforeJson = r[7].as<std::string>();
        e.afterJson = r[8].as<std::string>();
        e.outcomeJson = r[9].as<std::string>();
        e.mirroredUs = r[10].as<int64_t>();
        e.evidenceJson = r[11].as<std::string>();
        e.killedRunStatus = r[12].is_null() ? std::string() : r[12].as<std::string>();
        e.killLandedMs = r[13].is_null() ? -1 : r[13].as<int64_t>();
        page.entries.push_back(std::move(e));
    }
    return page;
}

} // namespace pitwall

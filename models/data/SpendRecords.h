#pragma once

// What the spend page and `pitwallctl spend` show of one scope's day (UTC), as the stores hold
// it: Redis's counters, PostgreSQL's ledger and the cap in force. Plain values.

#include <cstdint>
#include <string>

namespace pitwall {

struct SpendFigures {
    std::string scope;   // global, agent, user
    std::string subject; // "*" for global
    int64_t atMs = 0;    // when read
    std::string day;     // yyyymmdd, UTC

    // Redis (pitwall:spend:{scope}:{subject}:{day}).
    bool counterPresent = false; // the hash exists (absent after a Redis restart, until seeded)
    int64_t settledMicros = 0, reservedMicros = 0, requests = 0, refused = 0;

    // PostgreSQL.
    int64_t ledgerMicros = 0;      // pitwall.spend_seed: runs ended today + running runs so far
    int64_t spent15mMicros = 0;    // cost of the scope's runs that ended in the last 15 minutes
    int64_t spent60mMicros = 0;    // ... in the last hour
    int64_t refusedDaily = 0;      // runs capped today by this scope's daily cap
    int64_t refusedPerRequest = 0; // ... by its per-request cap

    // The cap in force (pitwall.spend_caps; a user without one follows the default `*`).
    int64_t dailyCapMicros = -1;      // -1: no limit
    int64_t perRequestCapMicros = -1; // -1: no limit
    int64_t capRevision = 0;          // 0: no row of its own
    int64_t capExpiresMs = 0;         // a time-boxed cap: when the previous one comes back
    bool capIsDefault = false;        // the default user cap, not the user's own
};

} // namespace pitwall

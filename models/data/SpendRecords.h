#pragma once

// What the spend page and `pitwallctl spend` show of one scope's day (UTC), as the stores hold
// it: Redis's counters, PostgreSQL's ledger and the cap in force. Plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pitwall {

struct SpendFigures {
    std::string scope;   // global, agent, user
    std::string subject; // "*" for global
    int64_t atMs = 0;    // when read
    std::string day;     // yyyymmdd, UTC

    // Redis (pitwall:spend:{scope}:{subject}:{day}).
    bool counterPresent = false; // the hash exists (absent after a Redis restart, until seeded)
    // It holds the day's spend from the ledger on (seed_spend or a rebuild). A counter that a
    // settle recreated after Redis lost it is present but not seeded: it holds only the settles
    // since the loss, until the next reservation seeds it.
    bool counterSeeded = false;
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
    std::string capUpdatedBy;         // who set the cap in force

    // The soft alert threshold (pitwall.spend_alerts, schema 5): percent of the daily cap.
    double alertPercent = -1;    // -1: none
    int64_t alertRevision = 0;   // 0: no row of its own
    bool alertIsDefault = false; // the default user threshold `*`
};

// A cap as a budget owner asks for it (pitwall.act_set_cap).
struct CapChange {
    std::string scope; // user, agent, global
    std::string subject;
    int64_t dailyMicros = 0;
    std::optional<int64_t> perRequestMicros;
    std::optional<int64_t> expiresAtMs;
    std::optional<int64_t> expectedRevision; // nullopt: the revision read just before
};

// A page of top spenders of a scope (user or agent), most spent first.
struct SpenderPage {
    std::string scope;
    std::string filter; // substring of the subject; empty: all
    int offset = 0;
    int64_t total = 0;       // subjects matching the filter that spent today
    bool fromLedger = false; // the running rank was missing (Redis lost it): read from the ledger
    std::vector<SpendFigures> rows;
};

// A reservation still held by a run that ended, or whose agent stopped beating.
struct SpendHold {
    std::string runId, user, agent;
    std::string status;     // the run's status in PostgreSQL ("" when it is not there yet)
    int64_t heldMicros = 0; // the run hash's reserved_micros
    int64_t heartbeatMs = 0;
    bool ended = false; // else: no heartbeat for longer than the timeout
};

// One scope's day for the charts: cost and refusals in buckets, spend by agent per hour, and
// the cap changes as markers.
struct SpendSeries {
    std::string scope, subject, day;
    int64_t dayStartMs = 0;
    int64_t bucketMs = 0;
    std::vector<int64_t> costMicros; // spent in each bucket (runs ended in it), from dayStartMs
    std::vector<int64_t> refused;    // runs capped in each bucket (any rule, this subject's runs)
    struct AgentHours {
        std::string agent;               // "" for the agents beyond the first few
        std::vector<int64_t> costMicros; // per hour, 24 of them
    };
    std::vector<AgentHours> agents;
    struct Marker {
        int64_t atMs = 0;
        std::string kind; // set_cap, cap_expired, set_spend_alert, rebuild_spend
        std::string actor, reason, target;
        int64_t dailyMicros = -1; // a cap change: the daily cap after it; -1 none or another kind
    };
    std::vector<Marker> markers;
};

// What the spend page shows, read in one go by the spend service.
struct SpendSnapshot {
    int64_t atMs = 0;
    std::string error;          // the sentence when the stores could not be read
    double readMs = 0;          // how long the read took
    std::string latestActionAt; // the latest action's time when read (PostgreSQL's text)
    SpendFigures global;
    SpendFigures defaultUser;         // the default user cap `*` (no spend of its own)
    std::vector<SpendFigures> agents; // every agent that spent today or has a rollout
    SpenderPage users;                // the page of top spenders asked for
    std::vector<SpendFigures> alerts; // scopes at or past their soft alert threshold
    bool holdsRead = false;           // holds are read while the page shows them
    std::vector<SpendHold> holds;
    SpendFigures selected; // the scope the charts are of
    bool hasSeries = false;
    SpendSeries series;
};

} // namespace pitwall

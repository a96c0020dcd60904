#pragma once

#include "CanaryRecords.h"
#include "Contract.h"
#include "PgConnect.h"
#include "RedisEndpoint.h"
#include "SpendRecords.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

class RedisConnection;

// What an action did, as the database recorded it. JSON as text: no json type leaves services/.
struct ActionResult {
    std::string actionId;
    std::string kind;
    std::string target;
    std::string actor;
    std::string beforeJson; // "null" when there was nothing before
    std::string afterJson;
    bool replayed = false;  // the action id had been used: the first result, nothing changed
    int64_t killedRuns = 0; // a rollback that killed the runs in flight: how many
    bool mirrored = false;  // applied to Redis; false when Redis could not be reached
    std::string mirrorError;
};

// The one API for operator actions, used by the console and pitwallctl alike: each action is
// a `pitwall.act_*` call (change and audit row in one transaction), then applied to Redis,
// then marked mirrored. Refusals throw ActionRefused; unreachable stores throw StoreError.
// Blocking: the console calls it from a worker thread.
class ActionsService {
public:
    ActionsService(std::string pgConninfo, RedisEndpoint redis, std::string keyPrefix = "pitwall:");
    ~ActionsService();

    ActionResult killRun(const std::string &runId, const std::string &reason,
                         const std::string &actionId = {});
    ActionResult setCap(const CapChange &change, const std::string &reason,
                        const std::string &actionId = {});
    ActionResult setCanaryWeight(const std::string &agent, int weight,
                                 std::optional<int64_t> expectedRevision, const std::string &reason,
                                 const std::string &actionId = {});
    ActionResult promote(const std::string &agent, std::optional<int64_t> expectedRevision,
                         const std::string &reason, const std::string &actionId = {});
    // What a rollback does with the runs still running on the canary version.
    enum class InFlight { Finish, Kill };
    // With Kill, the one rollback action records the runs then in flight on the canary version
    // and applying it sets their kill flags, as kills of that action.
    ActionResult rollback(const std::string &agent, std::optional<int64_t> expectedRevision,
                          const std::string &reason, const std::string &actionId = {},
                          InFlight inFlight = InFlight::Finish);
    // The canary judge's policy of an agent (pitwall.canary_policy): for operators and budget
    // owners. expectedRevision 0 is an agent still on the defaults.
    ActionResult setCanaryPolicy(const std::string &agent, const CanaryPolicy &policy,
                                 std::optional<int64_t> expectedRevision, const std::string &reason,
                                 const std::string &actionId = {});
    // forced: "open", "closed", or empty to clear the override. A tool no agent has called (no
    // breaker in Redis, no breaker event in Postgres) is refused unless `newTool`: a breaker
    // may be forced before a tool's first call, but a typo must not pass silently.
    // With `expectedState` (closed, open, half_open, forced_open or forced_closed: what the
    // person saw), a breaker whose shown state is now another is refused (PW002) naming it.
    ActionResult overrideBreaker(const std::string &tool, const std::string &forced,
                                 std::optional<int64_t> untilMs, const std::string &reason,
                                 const std::string &actionId = {}, bool newTool = false,
                                 const std::optional<std::string> &expectedState = {});

    // What the page showed when the person acted (a JSON object, schema 6): stored with the
    // next action this service takes, through the act_* function's p_evidence overload, then
    // forgotten, also when the action is refused before it reaches the database. Empty: none.
    void setEvidence(std::string json) { m_evidence = std::move(json); }

    // Spend repairs (schema 5, pitwall_budget_owner). rebuildSpend sets a scope's counter of
    // today to the ledger: it reads the counter just before the ledger is computed, and what
    // is settled in between is kept (counted twice if it also reached the ledger: early
    // refusals, never late ones);
    // releaseHold takes a reservation still held by a run that ended or vanished out of the
    // caps; setSpendAlert sets (or, with no percentage, removes) a scope's soft threshold.
    ActionResult rebuildSpend(const std::string &scope, const std::string &subject,
                              const std::string &reason, const std::string &actionId = {});
    ActionResult releaseHold(const std::string &runId, int64_t heldMicros,
                             const std::string &reason, const std::string &actionId = {});
    ActionResult setSpendAlert(const std::string &scope, const std::string &subject,
                               std::optional<double> softPercent,
                               std::optional<int64_t> expectedRevision, const std::string &reason,
                               const std::string &actionId = {});

    // Applies to Redis every action whose mirrored_at is still null (a crash or a Redis outage
    // between the two steps loses nothing), after reverting expired time-boxed caps.
    int drainPendingMirrors();
    // What syncAllMirrors wrote back to Redis from Postgres.
    struct MirrorSync {
        int caps = 0, rollouts = 0;
        int breakerOverrides = 0; // overrides still in force that Redis no longer held
    };
    // Rewrites every cap and rollout mirror from Postgres, and restores the breaker overrides
    // still in force that Redis lost (on connect, and after Redis restarted).
    MirrorSync syncAllMirrors();

private:
    struct Row;
    ActionResult call(const std::string &sql, const std::string &actionId,
                      const std::vector<std::optional<std::string>> &params);
    void mirror(const Row &row);
    // The kill flag of one run, and the kill_requested event when `first` applies the action.
    void flagKill(RedisConnection &r, const Row &row, const std::string &runId, bool first);
    Row loadRow(const std::string &actionId);
    bool takesEvidence(); // the database is at schema 6 or later (asked once a connection)
    void mirrorAndMark(ActionResult &result);
    pqxx::connection_base &pg();
    RedisConnection &redis();

    std::string m_pgConninfo;
    RedisEndpoint m_redisEndpoint;
    RedisKeys m_keys;
    std::recursive_mutex m_mutex;
    PgConnection m_pg;
    std::unique_ptr<RedisConnection> m_redis;
    std::string m_evidence; // for the next call() only
    std::optional<bool> m_takesEvidence;
};

} // namespace pitwall

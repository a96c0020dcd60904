#include "ActionsService.h"

#include "Clock.h"
#include "Mirrors.h"
#include "Money.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "StoreError.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <thread>

namespace pitwall {
namespace {

// Evidence given for an action is for that action only: forgotten when it returns or throws.
struct ForgetEvidence {
    std::string &evidence;
    ~ForgetEvidence() { evidence.clear(); }
};

// An XADD of an event of `type` and its fields to the stream, trimmed to the contract's MAXLEN.
RedisArgs eventArgs(const std::string &stream, const char *type,
                    std::initializer_list<std::string> fields) {
    RedisArgs args{"XADD", stream,           "MAXLEN", "~", std::to_string(kEventStreamMaxLen),
                   "*",    EventField::type, type};
    args.insert(args.end(), fields);
    return args;
}
constexpr int kKillFlagTtlSeconds = 3600;

std::optional<std::string> text(const std::string &s) {
    return s;
}
std::optional<std::string> text(std::optional<int64_t> v) {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}
std::optional<std::string> usd(std::optional<int64_t> micros) {
    return micros ? std::optional<std::string>(microsToNumeric(*micros)) : std::nullopt;
}
std::optional<std::string> timestampMs(std::optional<int64_t> ms) {
    if (!ms)
        return std::nullopt;
    return microsToNumeric(*ms * 1000); // seconds with 6 decimals, for to_timestamp()
}

// "ERROR:  stale revision: ...\nCONTEXT: ..." -> "stale revision: ..."
std::string databaseSentence(const std::string &what) {
    std::string s = what;
    if (auto pos = s.find("ERROR:  "); pos != std::string::npos)
        s = s.substr(pos + 8);
    if (auto nl = s.find('\n'); nl != std::string::npos)
        s = s.substr(0, nl);
    return s;
}

} // namespace

struct ActionsService::Row {
    std::string actionId, kind, target, actor, reason;
    nlohmann::json params, after;
    int64_t requestedMs = 0;
    int64_t forcedUntilMs = 0;
    bool mirrored = false;
};

ActionsService::ActionsService(std::string pgConninfo, RedisEndpoint redis, std::string keyPrefix)
    : m_pgConninfo(std::move(pgConninfo))
    , m_redisEndpoint(std::move(redis))
    , m_keys(std::move(keyPrefix)) {}

ActionsService::~ActionsService() = default;

pqxx::connection_base &ActionsService::pg() {
    if (!m_pg || !m_pg->is_open()) {
        m_pg = connectPostgres(m_pgConninfo);
        m_takesEvidence.reset(); // a new connection: maybe migrated since
    }
    return *m_pg;
}

RedisConnection &ActionsService::redis() {
    if (!m_redis)
        m_redis = std::make_unique<RedisConnection>(m_redisEndpoint);
    return *m_redis;
}

ActionResult ActionsService::call(const std::string &sql, const std::string &actionId,
                                  const std::vector<std::optional<std::string>> &params) {
    std::vector<const char *> raw;
    const std::string id = actionId.empty() ? newUuid() : actionId;
    raw.push_back(id.c_str());
    for (const auto &p : params)
        raw.push_back(p ? p->c_str() : nullptr);
    // The evidence goes to the act_* function's overload that takes it last (schema 6); a
    // database before it records the action without: the action matters more than its
    // evidence.
    std::string evidence = std::exchange(m_evidence, {});
    if (!evidence.empty() && !takesEvidence())
        evidence.clear();
    std::string statement = sql;
    if (!evidence.empty()) {
        const size_t close = statement.rfind(")::text");
        if (close == std::string::npos)
            throw std::logic_error("an action's statement must end with \")::text\"");
        statement.insert(close, ", $" + std::to_string(raw.size() + 1) + "::jsonb");
        raw.push_back(evidence.c_str());
    }
    nlohmann::json reply;
    try {
        pqxx::work tx(pg());
        const auto row = tx.exec_params1(statement, pqxx::prepare::make_dynamic_params(raw));
        tx.commit();
        reply = nlohmann::json::parse(row[0].c_str());
    } catch (const pqxx::sql_error &e) {
        if (e.sqlstate().rfind("PW", 0) == 0)
            throw ActionRefused(e.sqlstate(), databaseSentence(e.what()));
        if (e.sqlstate() == "22P02")
            throw ActionRefused("22P02", databaseSentence(e.what()));
        throw StoreError(explainPostgresError(m_pgConninfo, e));
    } catch (const pqxx::broken_connection &e) {
        m_pg.reset();
        throw StoreError(explainPostgresError(m_pgConninfo, e));
    }
    ActionResult result;
    result.actionId = reply.value("action_id", id);
    result.kind = reply.value("kind", std::string());
    result.target = reply.value("target", std::string());
    result.actor = reply.value("actor", std::string());
    result.beforeJson = reply.contains("before") ? reply["before"].dump() : "null";
    result.afterJson = reply.contains("after") ? reply["after"].dump() : "null";
    result.replayed = reply.value("replayed", false);
    if (reply.contains("kill_runs") && reply["kill_runs"].is_number_integer())
        result.killedRuns = reply["kill_runs"].get<int64_t>();
    mirrorAndMark(result);
    return result;
}

bool ActionsService::takesEvidence() {
    if (!m_takesEvidence) {
        pqxx::read_transaction tx(pg());
        m_takesEvidence = tx.exec1("SELECT EXISTS (SELECT 1 FROM information_schema.columns"
                                   " WHERE table_schema = 'pitwall' AND table_name = 'actions'"
                                   " AND column_name = 'evidence')")[0]
                              .as<bool>();
    }
    return *m_takesEvidence;
}

ActionsService::Row ActionsService::loadRow(const std::string &actionId) {
    pqxx::read_transaction tx(pg());
    const auto r = tx.exec_params1(
        "SELECT kind, target, actor, params::text, coalesce(after::text, 'null'), reason,"
        "       (extract(epoch FROM requested_at) * 1000)::bigint, mirrored_at IS NOT NULL,"
        "       coalesce((extract(epoch FROM (after->>'forced_until')::timestamptz) * 1000)"
        "                ::bigint, 0)"
        "  FROM pitwall.actions WHERE action_id = $1",
        actionId);
    return Row{actionId,
               r[0].as<std::string>(),
               r[1].as<std::string>(),
               r[2].as<std::string>(),
               r[5].as<std::string>(),
               nlohmann::json::parse(r[3].c_str()),
               nlohmann::json::parse(r[4].c_str()),
               r[6].as<int64_t>(),
               r[8].as<int64_t>(),
               r[7].as<bool>()};
}

void ActionsService::mirrorAndMark(ActionResult &result) {
    const Row row = loadRow(result.actionId);
    if (row.mirrored) {
        result.mirrored = true;
        return;
    }
    try {
        mirror(row);
        result.mirrored = true;
    } catch (const StoreError &e) {
        m_redis.reset();
        result.mirrorError = e.what();
        return;
    }
    try {
        pqxx::work tx(pg());
        tx.exec_params("SELECT pitwall.mark_mirrored($1::uuid, $2::jsonb)", row.actionId,
                       nlohmann::json{{"mirrored_ms", nowMs()}}.dump());
        tx.commit();
    } catch (const std::exception &) {
        // The action is applied; the next drain applies it again (idempotent) and marks it.
        m_pg.reset();
    }
}

void ActionsService::flagKill(RedisConnection &r, const Row &row, const std::string &runId,
                              bool first) {
    const auto who = r.command(
        {"HMGET", m_keys.run(runId), EventField::agent, EventField::version, EventField::user});
    auto field = [&](size_t i) {
        return i < who.elements.size() ? who.elements[i].str : "";
    };
    const std::string flag = nlohmann::json{
        {EventField::actionId, row.actionId},
        {"actor", row.actor},
        {"reason", row.reason},
        {EventField::atMs,
         row.requestedMs}}.dump();
    r.command({"SET", m_keys.kill(runId), flag, "EX", std::to_string(kKillFlagTtlSeconds)});
    if (first)
        r.command(eventArgs(
            m_keys.events(), EventType::killRequested,
            {EventField::runId, runId, EventField::agent, field(0), EventField::version, field(1),
             EventField::user, field(2), EventField::atMs, std::to_string(row.requestedMs),
             EventField::actionId, row.actionId, "actor", row.actor, "reason", row.reason}));
}

void ActionsService::mirror(const Row &row) {
    RedisConnection &r = redis();
    const std::string now = std::to_string(nowMs());
    // The state below is written again whoever applies; the events only by the first applier.
    const bool first =
        !r.command({"SET", m_keys.applied(row.actionId), now, "NX", "EX", "604800"}).isNil();
    RedisArgs actionEvent = eventArgs(m_keys.events(), EventType::action,
                                      {"kind", row.kind, "target", row.target, "actor", row.actor,
                                       EventField::actionId, row.actionId, EventField::atMs, now});
    if (row.kind == "kill_run") {
        flagKill(r, row, row.target, first);
    } else if (row.kind == "set_cap" || row.kind == "cap_expired") {
        const auto colon = row.target.find(':');
        const std::string scope = row.target.substr(0, colon);
        const std::string subject = row.target.substr(colon + 1);
        CapMirror cap = [&] {
            std::lock_guard lock(m_mutex);
            return readCap(pg(), scope, subject);
        }();
        writeCapMirror(r, m_keys, cap);
        if (scope == "user" && subject == "*") {
            // Users without a cap of their own follow the default: drop their derived mirrors
            // so that the next reservation reads the new default through.
            std::string cursor = "0";
            do {
                const auto page =
                    r.command({"SCAN", cursor, "MATCH", m_keys.cap("user", "*"), "COUNT", "1000"});
                cursor = page.elements.at(0).str;
                for (const auto &key : page.elements.at(1).elements)
                    if (r.command({"HGET", key.str, "derived"}).str == "1")
                        r.command({"DEL", key.str});
            } while (cursor != "0");
        }
    } else if (row.kind == "set_canary_weight" || row.kind == "promote" || row.kind == "rollback" ||
               row.kind == "start_canary") {
        auto rollout = readRollout(pg(), row.target);
        if (rollout)
            writeRolloutMirror(r, m_keys, *rollout);
        else
            r.command({"DEL", m_keys.rollout(row.target)});
        // A rollback that kills the canary's runs in flight: their kill flags, as for kill_run.
        if (row.kind == "rollback" && row.params.contains("kill_runs") &&
            row.params["kill_runs"].is_array())
            for (const auto &id : row.params["kill_runs"])
                if (id.is_string())
                    flagKill(r, row, id.get<std::string>(), first);
    } else if (row.kind == "rebuild_spend") {
        const std::string scope = row.params.value("scope", std::string());
        const std::string subject = row.params.value("subject", std::string());
        const std::string day = row.params.value("day", std::string());
        // A rebuild applied after its day is over has nothing left to repair: the day's
        // counter no longer decides anything.
        if (day == utcDay(nowMs())) {
            RedisArgs keys{m_keys.spend(scope, subject, day), m_keys.appliedCounter(row.actionId)};
            if (scope == "user" || scope == "agent")
                keys.push_back(m_keys.spendRank(scope, day));
            r.script("rebuild_spend", keys,
                     {std::to_string(row.after.value("ledger_micros", int64_t(0))),
                      std::to_string(row.params.value("seen_settled_micros", int64_t(0))),
                      std::to_string(kSpendCounterTtlSeconds), now, subject});
        }
    } else if (row.kind == "release_hold") {
        const std::string user = row.params.value("user", std::string());
        const std::string agent = row.params.value("agent", std::string());
        // The reservation was made on the day the run last beat (its hash), else the action's.
        int64_t atMs = row.requestedMs;
        const std::string beat =
            r.command({"HGET", m_keys.run(row.target), EventField::heartbeatMs}).str;
        try {
            if (!beat.empty())
                atMs = std::stoll(beat);
        } catch (const std::exception &) {
        }
        const std::string day = utcDay(atMs);
        r.script("release_hold",
                 {m_keys.run(row.target), m_keys.spend("user", user, day),
                  m_keys.spend("agent", agent, day), m_keys.spend("global", "*", day),
                  m_keys.appliedCounter(row.actionId)},
                 {std::to_string(row.params.value("held_micros", int64_t(1))), now,
                  std::to_string(kHeartbeatTimeoutMs)});
    } else if (row.kind == "override_breaker") {
        const std::string forced = row.after.contains("forced") && row.after["forced"].is_string()
                                       ? row.after["forced"].get<std::string>()
                                       : "";
        const std::string key = m_keys.breaker(row.target);
        const std::string from = r.command({"HGET", key, "state"}).str;
        // since_ms: the shown state began with the action (its time, so that applying it
        // again changes nothing).
        if (forced.empty())
            r.pipeline({{"HDEL", key, "forced", "forced_until_ms"},
                        {"HSET", key, "since_ms", std::to_string(row.requestedMs)}});
        else
            r.command({"HSET", key, "forced", forced, "forced_until_ms",
                       std::to_string(row.forcedUntilMs), "since_ms",
                       std::to_string(row.requestedMs)});
        if (first)
            r.command(eventArgs(m_keys.events(), EventType::breaker,
                                {"tool", row.target, "from", from.empty() ? "closed" : from, "to",
                                 forced.empty() ? "automatic" : "forced_" + forced, "actor",
                                 row.actor, "reason", row.reason, EventField::atMs, now}));
    }
    if (first)
        r.command(actionEvent);
}

ActionResult ActionsService::rebuildSpend(const std::string &scope, const std::string &subject,
                                          const std::string &reason, const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    int64_t seenSettledMicros = 0;
    try {
        const std::string seen =
            redis()
                .command({"HGET", m_keys.spend(scope, subject, utcDay(nowMs())), "settled_micros"})
                .str;
        if (!seen.empty())
            seenSettledMicros = std::max<int64_t>(0, std::stoll(seen));
    } catch (const StoreError &) {
        m_redis.reset();
        throw;
    } catch (const std::exception &) {
        // A counter holding garbage: the ledger replaces all of it.
    }
    return call("SELECT pitwall.act_rebuild_spend($1::uuid, $2, $3, $4::bigint, $5)::text",
                actionId,
                {text(scope), text(subject), text(std::optional<int64_t>(seenSettledMicros)),
                 text(reason)});
}

ActionResult ActionsService::releaseHold(const std::string &runId, int64_t heldMicros,
                                         const std::string &reason, const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    // Said before anything is recorded; release_hold.lua checks the same when it applies.
    if (actionId.empty()) {
        RedisValue run;
        try {
            run = redis().command(
                {"HMGET", m_keys.run(runId), EventField::status, EventField::heartbeatMs});
        } catch (const StoreError &) {
            m_redis.reset();
            throw;
        }
        const bool gone =
            run.elements.size() < 2 || (run.elements[0].isNil() && run.elements[1].isNil());
        if (gone)
            throw ActionRefused("PW003", "run " + runId +
                                             " holds nothing in Redis any more (its hash has "
                                             "expired or never existed): nothing to release");
        const std::string status = run.elements[0].str;
        int64_t beat = 0;
        const std::string &beatText = run.elements[1].str;
        std::from_chars(beatText.data(), beatText.data() + beatText.size(), beat);
        if ((status.empty() || status == runStatusName(RunStatus::Running)) &&
            nowMs() - beat < kHeartbeatTimeoutMs)
            throw ActionRefused("PW004", "run " + runId + " is running and beat " +
                                             std::to_string((nowMs() - beat) / 1000) +
                                             " s ago: its reservation is in use, not orphaned");
    }
    return call("SELECT pitwall.act_release_hold($1::uuid, $2::uuid, $3::bigint, $4)::text",
                actionId, {text(runId), text(std::optional<int64_t>(heldMicros)), text(reason)});
}

ActionResult ActionsService::setSpendAlert(const std::string &scope, const std::string &subject,
                                           std::optional<double> softPercent,
                                           std::optional<int64_t> expectedRevision,
                                           const std::string &reason, const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    std::optional<std::string> pct;
    if (softPercent) {
        if (!std::isfinite(*softPercent))
            throw ActionRefused("PW004", "the alert threshold must be a number");
        // Not snprintf: the console runs under the user's locale, and "80,0000" is no numeric.
        char buf[64];
        const auto end =
            std::to_chars(buf, buf + sizeof buf, *softPercent, std::chars_format::fixed, 4).ptr;
        pct = std::string(buf, end);
    }
    return call("SELECT pitwall.act_set_spend_alert($1::uuid, $2, $3, $4::numeric, $5::bigint,"
                " $6)::text",
                actionId, {text(scope), text(subject), pct, text(expectedRevision), text(reason)});
}

ActionResult ActionsService::killRun(const std::string &runId, const std::string &reason,
                                     const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    const std::string id = actionId.empty() ? newUuid() : actionId;
    // Agents write runs to Postgres in batches of ~100 ms: a run that Redis already shows may
    // not be there yet. Wait for it briefly rather than call it unknown.
    for (int attempt = 0;; ++attempt) {
        try {
            return call("SELECT pitwall.act_kill_run($1::uuid, $2::uuid, $3)::text", id,
                        {text(runId), text(reason)});
        } catch (const ActionRefused &e) {
            if (e.code() != "PW003" || attempt >= 20)
                throw;
            bool live = false;
            try {
                live = redis().command({"EXISTS", m_keys.run(runId)}).toInt() == 1;
            } catch (const StoreError &) {
                m_redis.reset();
            }
            if (!live)
                throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

ActionResult ActionsService::setCap(const CapChange &c, const std::string &reason,
                                    const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    std::optional<int64_t> expected = c.expectedRevision;
    if (!expected) {
        try {
            pqxx::read_transaction tx(pg());
            auto rows = tx.exec_params(
                "SELECT revision FROM pitwall.spend_caps WHERE scope = $1 AND subject = $2",
                c.scope, c.subject);
            expected = rows.empty() ? 0 : rows[0][0].as<int64_t>();
        } catch (const pqxx::sql_error &e) {
            throw StoreError(explainPostgresError(m_pgConninfo, e));
        }
    }
    return call("SELECT pitwall.act_set_cap($1::uuid, $2, $3, $4::numeric, $5::numeric,"
                " to_timestamp($6::double precision), $7::bigint, $8)::text",
                actionId,
                {text(c.scope), text(c.subject), usd(c.dailyMicros), usd(c.perRequestMicros),
                 timestampMs(c.expiresAtMs), text(expected), text(reason)});
}

ActionResult ActionsService::setCanaryWeight(const std::string &agent, int weight,
                                             std::optional<int64_t> expectedRevision,
                                             const std::string &reason,
                                             const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    return call("SELECT pitwall.act_set_canary_weight($1::uuid, $2, $3::int, $4::bigint, $5)::text",
                actionId,
                {text(agent), text(std::to_string(weight)), text(expectedRevision), text(reason)});
}

ActionResult ActionsService::promote(const std::string &agent,
                                     std::optional<int64_t> expectedRevision,
                                     const std::string &reason, const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    return call("SELECT pitwall.act_promote($1::uuid, $2, $3::bigint, $4)::text", actionId,
                {text(agent), text(expectedRevision), text(reason)});
}

ActionResult ActionsService::rollback(const std::string &agent,
                                      std::optional<int64_t> expectedRevision,
                                      const std::string &reason, const std::string &actionId,
                                      InFlight inFlight) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    // A database before schema version 4 has only the rollback that lets runs finish.
    const bool withInFlight = [&] {
        try {
            pqxx::read_transaction tx(pg());
            return tx
                .exec1("SELECT to_regprocedure('pitwall.act_rollback(uuid, text, bigint, text,"
                       " text)') IS NOT NULL")[0]
                .as<bool>();
        } catch (const pqxx::broken_connection &e) {
            m_pg.reset();
            throw StoreError(explainPostgresError(m_pgConninfo, e));
        }
    }();
    if (!withInFlight && inFlight == InFlight::Finish)
        return call("SELECT pitwall.act_rollback($1::uuid, $2, $3::bigint, $4)::text", actionId,
                    {text(agent), text(expectedRevision), text(reason)});
    return call("SELECT pitwall.act_rollback($1::uuid, $2, $3::bigint, $4, $5)::text", actionId,
                {text(agent), text(expectedRevision), text(reason),
                 std::string(inFlight == InFlight::Kill ? "kill" : "finish")});
}

ActionResult ActionsService::setCanaryPolicy(const std::string &agent, const CanaryPolicy &policy,
                                             std::optional<int64_t> expectedRevision,
                                             const std::string &reason,
                                             const std::string &actionId) {
    std::lock_guard lock(m_mutex);
    const ForgetEvidence forget{m_evidence}; // also when refused before the database
    // Decimal text with enough digits for numeric(6,4); a NaN reaches the database as NaN and
    // is refused there with the field's name.
    auto number = [](double x) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f", x);
        return std::optional<std::string>(std::isfinite(x) ? buf : "NaN");
    };
    return call("SELECT pitwall.act_set_canary_policy($1::uuid, $2, $3::int, $4::numeric,"
                " $5::numeric, $6::numeric, $7::numeric, $8::numeric, $9::bigint, $10)::text",
                actionId,
                {text(agent), std::to_string(policy.minRuns), number(policy.successRateTolerance),
                 number(policy.latencyTolerance), number(policy.costTolerance),
                 number(policy.stepsTolerance), number(policy.tailTolerance),
                 text(expectedRevision), text(reason)});
}

ActionResult ActionsService::overrideBreaker(const std::string &tool, const std::string &forced,
                                             std::optional<int64_t> untilMs,
                                             const std::string &reason, const std::string &actionId,
                                             bool newTool,
                                             const std::optional<std::string> &expectedState) {
    std::lock_guard lock(m_mutex);
    // Kept for call(): a refusal before it must not leave the evidence to the next action.
    std::string evidence = std::exchange(m_evidence, {});
    std::optional<std::string> current;
    std::string shown = "closed"; // as a caller sees it: an override in force first
    bool inRedis = false, redisDown = false;
    try {
        const auto replies =
            redis().pipeline({{"HMGET", m_keys.breaker(tool), "state", "forced", "forced_until_ms"},
                              {"EXISTS", m_keys.breaker(tool)}});
        inRedis = replies.at(1).integer > 0;
        const auto &fields = replies.at(0).elements;
        if (fields.size() == 3) {
            if (!fields[0].isNil())
                current = fields[0].str;
            if (current == "open" || current == "half_open")
                shown = *current;
            const int64_t until = fields[2].toInt(0);
            if ((fields[1].str == "open" || fields[1].str == "closed") &&
                (until <= 0 || nowMs() < until))
                shown = "forced_" + fields[1].str;
        }
    } catch (const StoreError &) {
        m_redis.reset(); // the override is recorded anyway and mirrored by the next drain
        redisDown = true;
    }
    if (expectedState && !redisDown && *expectedState != shown) {
        auto words = [](std::string s) {
            std::replace(s.begin(), s.end(), '_', ' ');
            return s;
        };
        throw ActionRefused("PW002", "the breaker of " + tool + " is " + words(shown) +
                                         " now, not " + words(*expectedState) +
                                         " as you saw it: look at it again before overriding it");
    }
    if (!newTool && !inRedis) {
        bool known = false;
        {
            pqxx::read_transaction tx(pg());
            known = tx.exec_params1("SELECT EXISTS (SELECT 1 FROM pitwall.breaker_events"
                                    " WHERE tool = $1)",
                                    tool)[0]
                        .as<bool>();
        }
        if (!known)
            throw ActionRefused(
                "PW003", "unknown tool \"" + tool + "\": no agent has called it (" +
                             (redisDown ? "Redis cannot be reached to check its breaker, and "
                                        : "no breaker in Redis, ") +
                             "no breaker event in PostgreSQL). To force a breaker before a "
                             "tool's first call, say so with --new.");
    }
    m_evidence = std::move(evidence);
    return call("SELECT pitwall.act_override_breaker($1::uuid, $2, $3,"
                " to_timestamp($4::double precision), $5, $6)::text",
                actionId,
                {text(tool), forced.empty() ? std::nullopt : text(forced), timestampMs(untilMs),
                 current, text(reason)});
}

int ActionsService::drainPendingMirrors() {
    std::lock_guard lock(m_mutex);
    {
        pqxx::work tx(pg());
        tx.exec("SELECT pitwall.expire_caps()");
        tx.commit();
    }
    std::vector<std::string> pending;
    {
        pqxx::read_transaction tx(pg());
        // Only what this login may mark as applied (pitwall.mark_mirrored): a viewer's console
        // leaves the outbox to an operator's or a budget owner's.
        for (const auto &r :
             tx.exec("SELECT action_id FROM pitwall.actions WHERE mirrored_at IS NULL AND"
                     " CASE WHEN kind IN ('set_cap', 'cap_expired', 'rebuild_spend',"
                     " 'release_hold', 'set_spend_alert')"
                     " THEN pg_has_role(session_user, 'pitwall_budget_owner', 'MEMBER')"
                     " ELSE pg_has_role(session_user, 'pitwall_operator', 'MEMBER') END"
                     " ORDER BY requested_at LIMIT 1000"))
            pending.push_back(r[0].as<std::string>());
    }
    int applied = 0;
    for (const auto &id : pending) {
        ActionResult result;
        result.actionId = id;
        mirrorAndMark(result);
        if (!result.mirrored)
            throw StoreError(result.mirrorError);
        ++applied;
    }
    return applied;
}

ActionsService::MirrorSync ActionsService::syncAllMirrors() {
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<std::string, std::string>> caps;
    std::vector<std::string> agents, overrides;
    {
        pqxx::read_transaction tx(pg());
        for (const auto &r : tx.exec("SELECT scope, subject FROM pitwall.spend_caps"))
            caps.emplace_back(r[0].as<std::string>(), r[1].as<std::string>());
        for (const auto &r : tx.exec("SELECT agent FROM pitwall.rollouts"))
            agents.push_back(r[0].as<std::string>());
        // Each tool's latest override, if it still forces the breaker.
        for (const auto &r :
             tx.exec("SELECT action_id FROM (SELECT DISTINCT ON (target) action_id, after"
                     "  FROM pitwall.actions WHERE kind = 'override_breaker'"
                     "  ORDER BY target, requested_at DESC) latest"
                     " WHERE after->>'forced' IS NOT NULL AND (after->>'forced_until' IS NULL"
                     "   OR (after->>'forced_until')::timestamptz > now())"))
            overrides.push_back(r[0].as<std::string>());
    }
    MirrorSync done;
    for (const auto &[scope, subject] : caps)
        writeCapMirror(redis(), m_keys, readCap(pg(), scope, subject));
    done.caps = int(caps.size());
    for (const auto &agent : agents)
        if (auto r = readRollout(pg(), agent)) {
            writeRolloutMirror(redis(), m_keys, *r);
            ++done.rollouts;
        }
    for (const auto &id : overrides) {
        const Row row = loadRow(id);
        const std::string forced = row.after.value("forced", std::string());
        if (redis().command({"HGET", m_keys.breaker(row.target), "forced"}).str == forced)
            continue; // Redis still holds it
        mirror(row);
        ++done.breakerOverrides;
    }
    return done;
}

} // namespace pitwall

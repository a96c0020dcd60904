#include "SpendReader.h"

#include "Clock.h"
#include "RedisConnection.h"
#include "StoreError.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace pitwall {
namespace {

// The runs column a scope's subject is, as SQL; global has none.
std::string subjectColumn(const std::string &scope) {
    if (scope == "user")
        return "user_id";
    if (scope == "agent")
        return "agent";
    if (scope == "global")
        return "'*'::text";
    throw StoreError("A spend scope is global, agent or user, not \"" + scope.substr(0, 40) +
                     "\".");
}

// The guard's refusal sentence (spendRefusalReason) for each row's subject s.subject, as SQL.
std::string refusalSql(pqxx::transaction_base &tx, const std::string &scope,
                       const std::string &rule) {
    const std::string marker = "\x01";
    const std::string sentence = spendRefusalReason(rule, scope, marker);
    const size_t at = sentence.find(marker);
    if (at == std::string::npos)
        return tx.quote(sentence);
    return tx.quote(sentence.substr(0, at)) + " || s.subject || " +
           tx.quote(sentence.substr(at + marker.size()));
}

// A text[] literal for libpqxx 6.4, which binds no arrays: each element double-quoted, with
// backslashes and quotes escaped.
std::string arrayLiteral(const std::vector<std::string> &items) {
    std::string out = "{";
    for (size_t i = 0; i < items.size(); ++i) {
        out += i ? ",\"" : "\"";
        for (char c : items[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

int64_t field(const RedisValue &v, size_t i) {
    if (i >= v.elements.size() || v.elements[i].isNil())
        return 0;
    try {
        return std::stoll(v.elements[i].str);
    } catch (const std::exception &) {
        return 0; // a counter someone wrote by hand: shown as drift against the ledger
    }
}

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 24 * 3600 * 1000;

// The ledger, the last 15 minutes and hour, and the refusals of the global scope or of agents,
// from the rollup of the day's minutes.
void ledgerFromRollup(const SpendRollup &rollup, const std::string &scope,
                      std::vector<SpendFigures> &out, int64_t nowMs) {
    const int nowMinute = int((nowMs - rollup.dayStartMs) / kMinuteMs);
    const bool agent = scope == "agent";
    for (SpendFigures &f : out) {
        f.ledgerMicros = 0;
        auto add = [&](const std::map<int, SpendRollup::Minute> &minutes) {
            for (const auto &[minute, m] : minutes) {
                f.ledgerMicros += m.costMicros;
                if (minute >= nowMinute - 15 && minute <= nowMinute)
                    f.spent15mMicros += m.costMicros;
                if (minute >= nowMinute - 60 && minute <= nowMinute)
                    f.spent60mMicros += m.costMicros;
                f.refusedDaily += agent ? m.agentDaily : m.globalDaily;
                f.refusedPerRequest += agent ? m.agentPerRequest : m.globalPerRequest;
            }
        };
        if (!agent) {
            for (const auto &[name, minutes] : rollup.byAgent)
                add(minutes);
        } else if (auto it = rollup.byAgent.find(f.subject); it != rollup.byAgent.end()) {
            add(it->second);
        }
        for (const auto &[agent, micros] : rollup.runningMicros)
            if (scope != "agent" || agent == f.subject)
                f.ledgerMicros += micros;
    }
}

} // namespace

void refreshSpendRollup(pqxx::connection_base &pg, SpendRollup &rollup, int64_t nowMs) {
    const auto started = std::chrono::steady_clock::now();
    const std::string day = utcDay(nowMs);
    const int64_t dayStart = nowMs - nowMs % kDayMs;
    // Read into a copy and keep it only when every statement succeeded: a failed read must not
    // leave the day marked as read, or minutes dropped and not read again.
    SpendRollup next;
    int64_t from = dayStart;
    if (rollup.day == day) {
        next = rollup;
        from = std::max(dayStart, nowMs - SpendRollup::kRereadMs);
        from -= (from - dayStart) % kMinuteMs;
        const int first = int((from - dayStart) / kMinuteMs);
        for (auto &[agent, minutes] : next.byAgent)
            minutes.erase(minutes.lower_bound(first), minutes.end());
    }
    next.day = day;
    next.dayStartMs = dayStart;
    pqxx::read_transaction tx(pg);
    // Grouped in SQL: a few rows per agent and minute, whatever the number of runs.
    const pqxx::result rows = tx.exec_params(
        "SELECT agent, floor((extract(epoch FROM ended_at) * 1000 - $1) / 60000)::int,"
        " CASE WHEN status = 'capped' THEN coalesce(error, '') END,"
        " (coalesce(sum(cost_usd), 0) * 1000000)::bigint, count(*)"
        " FROM pitwall.runs WHERE ended_at >= to_timestamp($2::float8 / 1000)"
        " AND ended_at < to_timestamp($3::float8 / 1000) AND status <> 'running'"
        " GROUP BY 1, 2, 3",
        dayStart, from, dayStart + kDayMs);
    next.runsRead = 0;
    for (const auto &r : rows) {
        const std::string agent = r[0].as<std::string>();
        SpendRollup::Minute &m = next.byAgent[agent][r[1].as<int>()];
        const int64_t count = r[4].as<int64_t>();
        next.runsRead += count;
        m.costMicros += r[3].as<int64_t>();
        if (r[2].is_null())
            continue;
        const std::string error = r[2].as<std::string>();
        m.capped += count;
        if (error == spendRefusalReason("daily", "agent", agent))
            m.agentDaily += count;
        else if (error == spendRefusalReason("per_request", "agent", agent))
            m.agentPerRequest += count;
        else if (error == spendRefusalReason("daily", "global", "*"))
            m.globalDaily += count;
        else if (error == spendRefusalReason("per_request", "global", "*"))
            m.globalPerRequest += count;
    }
    // The cost so far of the runs still running, as pitwall.spend_seed counts it.
    next.runningMicros.clear();
    for (const auto &r : tx.exec_params(
             "SELECT r.agent, (coalesce(sum(x.cost), 0) * 1000000)::bigint FROM pitwall.runs r"
             " CROSS JOIN LATERAL (SELECT sum(s.cost_usd) AS cost FROM pitwall.spans s"
             " WHERE s.run_id = r.run_id) x"
             " WHERE r.status = 'running' AND r.started_at < to_timestamp($1::float8 / 1000)"
             " GROUP BY 1",
             dayStart + kDayMs))
        next.runningMicros[r[0].as<std::string>()] = r[1].as<int64_t>();
    next.refreshMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    rollup = std::move(next);
}

std::vector<SpendFigures> readSpendFigures(pqxx::connection_base &pg, RedisConnection &redis,
                                           const RedisKeys &keys, const std::string &scope,
                                           const std::vector<std::string> &subjects, int64_t nowMs,
                                           const SpendRollup *rollup) {
    const std::string column = subjectColumn(scope);
    if (subjects.size() > size_t(kMaxSpendSubjects))
        throw StoreError("At most " + std::to_string(kMaxSpendSubjects) +
                         " subjects are read at once, not " + std::to_string(subjects.size()) +
                         ".");
    const std::string day = utcDay(nowMs);
    std::vector<SpendFigures> out;
    std::map<std::string, size_t> index;
    for (const std::string &s : subjects) {
        SpendFigures f;
        f.scope = scope;
        f.subject = scope == "global" ? "*" : s;
        f.atMs = nowMs;
        f.day = day;
        index.emplace(f.subject, out.size());
        out.push_back(f);
    }
    if (out.empty())
        return out;

    // Redis: one pipeline for every subject's counter.
    std::vector<RedisArgs> commands;
    for (const SpendFigures &f : out)
        commands.push_back({"HMGET", keys.spend(scope, f.subject, day), "settled_micros",
                            "reserved_micros", "requests", "refused", "seeded"});
    const std::vector<RedisValue> replies = redis.pipeline(commands);
    for (size_t i = 0; i < out.size() && i < replies.size(); ++i) {
        const RedisValue &r = replies[i];
        out[i].counterPresent = std::any_of(r.elements.begin(), r.elements.end(),
                                            [](const RedisValue &e) { return !e.isNil(); });
        out[i].settledMicros = field(r, 0);
        out[i].reservedMicros = field(r, 1);
        out[i].requests = field(r, 2);
        out[i].refused = field(r, 3);
        out[i].counterSeeded = r.elements.size() > 4 && !r.elements[4].isNil();
    }

    std::vector<std::string> names;
    for (const SpendFigures &f : out)
        names.push_back(f.subject);
    pqxx::read_transaction tx(pg);
    const std::string now = "to_timestamp($3::float8 / 1000)";
    if (rollup && scope != "user" && rollup->day == day) {
        ledgerFromRollup(*rollup, scope, out, nowMs);
    } else {
        // The ledger, the last hour, and the day's refusals by this scope's rules.
        const pqxx::result rows = tx.exec_params(
            "SELECT s.subject, pitwall.spend_seed($1, s.subject, to_date($2, 'YYYYMMDD')),"
            " coalesce((SELECT (sum(r.cost_usd) FILTER (WHERE r.ended_at > " +
                now +
                " - interval '15 minutes') * 1000000)::bigint"
                " FROM pitwall.runs r WHERE r.ended_at > " +
                now +
                " - interval '1 hour'"
                " AND r.ended_at <= " +
                now + " AND " + column +
                " = s.subject), 0),"
                " coalesce((SELECT (sum(r.cost_usd) * 1000000)::bigint FROM pitwall.runs r"
                " WHERE r.ended_at > " +
                now + " - interval '1 hour' AND r.ended_at <= " + now + " AND " + column +
                " = s.subject), 0),"
                " (SELECT count(*) FROM pitwall.runs r WHERE r.status = 'capped'"
                " AND r.ended_at >= to_date($2, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC' AND " +
                column +
                " = s.subject"
                " AND r.error = " +
                refusalSql(tx, scope, "daily") +
                "),"
                " (SELECT count(*) FROM pitwall.runs r WHERE r.status = 'capped'"
                " AND r.ended_at >= to_date($2, 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC' AND " +
                column +
                " = s.subject"
                " AND r.error = " +
                refusalSql(tx, scope, "per_request") +
                ")"
                " FROM unnest($4::text[]) AS s(subject)",
            scope, day, nowMs, arrayLiteral(names));
        for (const auto &r : rows) {
            SpendFigures &f = out[index.at(r[0].as<std::string>())];
            f.ledgerMicros = r[1].as<int64_t>();
            f.spent15mMicros = r[2].as<int64_t>();
            f.spent60mMicros = r[3].as<int64_t>();
            f.refusedDaily = r[4].as<int64_t>();
            f.refusedPerRequest = r[5].as<int64_t>();
        }
    }
    // The caps in force: the subject's own, else (users) the default `*`. An expired time-boxed
    // cap has been replaced by its previous one by pitwall.expire_caps, or will be at the next
    // action; the mirror switches at the exact millisecond, and so does this.
    const pqxx::result caps = tx.exec_params(
        "SELECT subject, CASE WHEN expires_at IS NOT NULL AND expires_at <= " + now +
            " AND previous IS NOT NULL THEN (previous->>'daily_usd')::numeric ELSE daily_usd END,"
            " CASE WHEN expires_at IS NOT NULL AND expires_at <= " +
            now +
            " AND previous IS NOT NULL THEN (previous->>'per_request_usd')::numeric"
            " ELSE per_request_usd END, revision,"
            " CASE WHEN expires_at > " +
            now +
            " THEN (extract(epoch FROM expires_at) * 1000)::bigint ELSE 0 END, updated_by"
            " FROM pitwall.spend_caps WHERE scope = $1 AND (subject = ANY($2::text[])"
            " OR ($1 = 'user' AND subject = '*'))",
        scope, arrayLiteral(names), nowMs);
    std::map<std::string, pqxx::row> bySubject;
    for (const auto &c : caps)
        bySubject.emplace(c[0].as<std::string>(), c);
    auto micros = [](const pqxx::field &v) {
        return v.is_null() ? int64_t(-1) : int64_t(std::llround(v.as<double>() * 1e6));
    };
    for (SpendFigures &f : out) {
        auto own = bySubject.find(f.subject);
        auto cap = own;
        if (cap == bySubject.end() && scope == "user") {
            cap = bySubject.find("*");
            f.capIsDefault = cap != bySubject.end();
        }
        if (cap == bySubject.end())
            continue;
        f.dailyCapMicros = micros(cap->second[1]);
        f.perRequestCapMicros = micros(cap->second[2]);
        f.capRevision = own != bySubject.end() ? cap->second[3].as<int64_t>() : 0;
        f.capExpiresMs = cap->second[4].as<int64_t>();
        f.capUpdatedBy = cap->second[5].as<std::string>();
    }
    // The soft alert thresholds (schema 5): the subject's own, else (users) the default `*`.
    if (!tx.exec("SELECT to_regclass('pitwall.spend_alerts')")[0][0].is_null()) {
        const pqxx::result alerts = tx.exec_params(
            "SELECT subject, soft_pct::float8, revision FROM pitwall.spend_alerts"
            " WHERE scope = $1 AND (subject = ANY($2::text[]) OR ($1 = 'user' AND subject = '*'))",
            scope, arrayLiteral(names));
        std::map<std::string, std::pair<double, int64_t>> bySubject;
        for (const auto &a : alerts)
            bySubject.emplace(a[0].as<std::string>(),
                              std::make_pair(a[1].as<double>(), a[2].as<int64_t>()));
        for (SpendFigures &f : out) {
            auto own = bySubject.find(f.subject);
            auto alert = own;
            if (alert == bySubject.end() && scope == "user") {
                alert = bySubject.find("*");
                f.alertIsDefault = alert != bySubject.end();
            }
            if (alert == bySubject.end())
                continue;
            f.alertPercent = alert->second.first;
            f.alertRevision = own != bySubject.end() ? alert->second.second : 0;
        }
    }
    return out;
}

namespace {

// A glob pattern matching subjects that contain `filter` (ZSCAN MATCH), its specials escaped.
std::string containsGlob(const std::string &filter) {
    std::string out = "*";
    for (char c : filter) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "*";
}

// Fills a scope's running rank from the ledger (runs ended today) when Redis has lost it or the
// day began before the first settle of a ranked guard: ZADD GT, so that a settle racing this
// keeps its higher figure. The marker says the rank holds everyone who spent today.
void fillRankFromLedger(pqxx::connection_base &pg, RedisConnection &redis, const RedisKeys &keys,
                        const std::string &scope, const std::string &day) {
    const std::string column = subjectColumn(scope);
    pqxx::read_transaction tx(pg);
    const pqxx::result rows =
        tx.exec_params("SELECT " + column +
                           ", (sum(cost_usd) * 1000000)::bigint FROM pitwall.runs"
                           " WHERE ended_at >= to_date($1, 'YYYYMMDD')::timestamp AT TIME ZONE"
                           " 'UTC' AND ended_at < (to_date($1, 'YYYYMMDD') + 1)::timestamp AT"
                           " TIME ZONE 'UTC' GROUP BY 1",
                       day);
    const std::string rank = keys.spendRank(scope, day);
    std::vector<RedisArgs> batch;
    RedisArgs zadd{"ZADD", rank, "GT"};
    for (const auto &r : rows) {
        zadd.push_back(std::to_string(r[1].is_null() ? 0 : r[1].as<int64_t>()));
        zadd.push_back(r[0].as<std::string>());
        if (zadd.size() >= 3 + 2 * 1000) {
            batch.push_back(std::move(zadd));
            zadd = {"ZADD", rank, "GT"};
        }
    }
    if (zadd.size() > 3)
        batch.push_back(std::move(zadd));
    const std::string ttl = std::to_string(kSpendCounterTtlSeconds);
    batch.push_back({"EXPIRE", rank, ttl});
    batch.push_back({"SET", rank + ":complete", "1", "EX", ttl});
    for (const RedisValue &v : redis.pipeline(batch))
        if (v.isError())
            throw StoreError("Redis refused to write the spend rank: " + v.str);
}

} // namespace

SpenderPage readSpenderPage(pqxx::connection_base &pg, RedisConnection &redis,
                            const RedisKeys &keys, const std::string &scope,
                            const std::string &filter, int offset, int limit, int64_t nowMs,
                            const SpendRollup *rollup) {
    if (scope != "user" && scope != "agent")
        throw StoreError("Top spenders are users or agents, not \"" + scope.substr(0, 40) + "\".");
    if (filter.size() > 200)
        throw StoreError("A filter is at most 200 characters, not " +
                         std::to_string(filter.size()) + ".");
    limit = std::clamp(limit, 1, kMaxSpendSubjects);
    offset = std::clamp(offset, 0, 10'000'000);
    const std::string day = utcDay(nowMs);
    const std::string rank = keys.spendRank(scope, day);
    SpenderPage page;
    page.scope = scope;
    page.filter = filter;
    page.offset = offset;
    if (redis.command({"EXISTS", rank + ":complete"}).toInt() == 0) {
        // The rank is not known to hold everyone: read it from the ledger once, and keep it.
        fillRankFromLedger(pg, redis, keys, scope, day);
        page.fromLedger = true;
    }
    std::vector<std::string> subjects;
    if (filter.empty()) {
        const auto replies = redis.pipeline(
            {{"ZCARD", rank},
             {"ZREVRANGE", rank, std::to_string(offset), std::to_string(offset + limit - 1)}});
        page.total = replies.at(0).toInt();
        for (const RedisValue &m : replies.at(1).elements)
            subjects.push_back(m.str);
    } else {
        // Every match, then the page of them by score: bounded by the rank's size. In steps of
        // 2,000 names, so that Redis never stops for the agents for long.
        std::vector<std::pair<int64_t, std::string>> matches;
        std::string cursor = "0";
        do {
            const RedisValue reply = redis.command(
                {"ZSCAN", rank, cursor, "MATCH", containsGlob(filter), "COUNT", "2000"});
            cursor = reply.elements.at(0).str;
            const auto &items = reply.elements.at(1).elements;
            for (size_t i = 0; i + 1 < items.size(); i += 2) {
                int64_t score = 0;
                try {
                    score = std::llround(std::stod(items[i + 1].str));
                } catch (const std::exception &) {
                }
                matches.emplace_back(score, items[i].str);
            }
        } while (cursor != "0");
        std::sort(matches.begin(), matches.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        page.total = int64_t(matches.size());
        for (size_t i = size_t(offset); i < matches.size() && subjects.size() < size_t(limit); ++i)
            subjects.push_back(matches[i].second);
    }
    page.rows = readSpendFigures(pg, redis, keys, scope, subjects, nowMs, rollup);
    return page;
}

std::vector<SpendFigures> readTopSpenders(pqxx::connection_base &pg, RedisConnection &redis,
                                          const RedisKeys &keys, const std::string &scope,
                                          int limit, int64_t nowMs) {
    return readSpenderPage(pg, redis, keys, scope, {}, 0, limit, nowMs).rows;
}

std::vector<SpendFigures> readTopSpendersFromLedger(pqxx::connection_base &pg,
                                                    RedisConnection &redis, const RedisKeys &keys,
                                                    const std::string &scope, int limit,
                                                    int64_t nowMs) {
    if (scope != "user" && scope != "agent")
        throw StoreError("Top spenders are users or agents, not \"" + scope.substr(0, 40) + "\".");
    const std::string column = subjectColumn(scope);
    std::vector<std::string> subjects;
    {
        pqxx::read_transaction tx(pg);
        // runs_ended_idx: today's ended runs, grouped.
        const pqxx::result rows = tx.exec_params(
            "SELECT " + column +
                " FROM pitwall.runs WHERE ended_at >= to_date($1, 'YYYYMMDD')::timestamp"
                " AT TIME ZONE 'UTC'"
                " GROUP BY 1 ORDER BY sum(cost_usd) DESC, 1 LIMIT $2",
            utcDay(nowMs), std::clamp(limit, 1, kMaxSpendSubjects));
        for (const auto &r : rows)
            subjects.push_back(r[0].as<std::string>());
    }
    return readSpendFigures(pg, redis, keys, scope, subjects, nowMs);
}

std::vector<SpendHold> readSpendHolds(pqxx::connection_base &pg, RedisConnection &redis,
                                      const RedisKeys &keys, int64_t nowMs,
                                      int64_t heartbeatTimeoutMs, int limit) {
    limit = std::clamp(limit, 1, kMaxSpendHolds);
    // Candidates: runs in flight that stopped beating, and runs that ended within the hour
    // their hash outlives them.
    std::vector<std::string> ids;
    const RedisValue stale = redis.command({"ZRANGEBYSCORE", keys.live(), "-inf",
                                            "(" + std::to_string(nowMs - heartbeatTimeoutMs),
                                            "LIMIT", "0", std::to_string(kMaxHoldCandidates)});
    for (const RedisValue &m : stale.elements)
        ids.push_back(m.str);
    std::map<std::string, std::string> statusOf;
    {
        pqxx::read_transaction tx(pg);
        const pqxx::result ended = tx.exec_params(
            "SELECT run_id::text, status FROM pitwall.runs"
            " WHERE ended_at > to_timestamp($1::float8 / 1000) - interval '65 minutes'"
            " ORDER BY ended_at DESC LIMIT $2",
            nowMs, kMaxHoldCandidates);
        for (const auto &r : ended) {
            ids.push_back(r[0].as<std::string>());
            statusOf[r[0].as<std::string>()] = r[1].as<std::string>();
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<RedisArgs> commands;
    for (const std::string &id : ids)
        commands.push_back({"HMGET", keys.run(id), EventField::reservedMicros,
                            EventField::heartbeatMs, EventField::user, EventField::agent,
                            EventField::status});
    std::vector<SpendHold> out;
    const auto replies = redis.pipeline(commands);
    for (size_t i = 0; i < ids.size() && i < replies.size(); ++i) {
        const RedisValue &r = replies[i];
        const int64_t held = field(r, 0);
        if (held <= 0)
            continue;
        SpendHold h;
        h.runId = ids[i];
        h.heldMicros = held;
        h.heartbeatMs = field(r, 1);
        h.user = r.elements.size() > 2 ? r.elements[2].str : "";
        h.agent = r.elements.size() > 3 ? r.elements[3].str : "";
        const std::string hashStatus = r.elements.size() > 4 ? r.elements[4].str : "";
        auto pgStatus = statusOf.find(h.runId);
        h.status = pgStatus != statusOf.end() ? pgStatus->second : hashStatus;
        h.ended = (pgStatus != statusOf.end() && pgStatus->second != "running") ||
                  (!hashStatus.empty() && hashStatus != "running");
        if (!h.ended && h.heartbeatMs > nowMs - heartbeatTimeoutMs)
            continue; // a run in flight, holding what it is about to spend
        out.push_back(std::move(h));
    }
    std::sort(out.begin(), out.end(),
              [](const SpendHold &a, const SpendHold &b) { return a.heldMicros > b.heldMicros; });
    if (out.size() > size_t(limit))
        out.resize(size_t(limit));
    return out;
}

SpendSeries readSpendSeries(pqxx::connection_base &pg, const std::string &scope,
                            const std::string &subject, int64_t nowMs, const SpendRollup *rollup) {
    const std::string column = subjectColumn(scope);
    SpendSeries s;
    s.scope = scope;
    s.subject = scope == "global" ? "*" : subject;
    s.day = utcDay(nowMs);
    s.dayStartMs = nowMs - nowMs % kDayMs;
    s.bucketMs = 10 * kMinuteMs;
    const size_t buckets = size_t(kDayMs / s.bucketMs);
    s.costMicros.assign(buckets, 0);
    s.refused.assign(buckets, 0);
    pqxx::read_transaction tx(pg);
    // Spend by agent per hour: the five agents that spent most, and the others together.
    std::map<std::string, std::vector<int64_t>> byAgent;
    if (rollup && scope != "user" && rollup->day == s.day) {
        std::vector<std::pair<int64_t, std::string>> totals;
        for (const auto &[agent, minutes] : rollup->byAgent) {
            if (scope == "agent" && agent != s.subject)
                continue;
            int64_t total = 0;
            std::vector<int64_t> hours(24, 0);
            for (const auto &[minute, m] : minutes) {
                const size_t b = size_t(minute) / 10;
                if (minute < 0 || b >= buckets)
                    continue;
                s.costMicros[b] += m.costMicros;
                s.refused[b] += m.capped;
                hours[size_t(minute / 60)] += m.costMicros;
                total += m.costMicros;
            }
            totals.emplace_back(total, agent);
            byAgent[agent] = std::move(hours);
        }
        std::sort(totals.begin(), totals.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        for (size_t i = 5; i < totals.size(); ++i) {
            auto &other = byAgent[""];
            other.resize(24, 0);
            for (size_t h = 0; h < 24; ++h)
                other[h] += byAgent[totals[i].second][h];
            byAgent.erase(totals[i].second);
        }
    } else {
        const std::string day = "to_timestamp($1::float8 / 1000)";
        const std::string where = " WHERE ended_at >= " + day + " AND ended_at < " + day +
                                  " + interval '1 day' AND " + column + " = $2";
        const pqxx::result rows =
            tx.exec_params("SELECT floor((extract(epoch FROM ended_at) * 1000 - $1) / $3)::int,"
                           " (coalesce(sum(cost_usd), 0) * 1000000)::bigint,"
                           " count(*) FILTER (WHERE status = 'capped') FROM pitwall.runs" +
                               where + " GROUP BY 1",
                           s.dayStartMs, s.subject, s.bucketMs);
        for (const auto &r : rows) {
            const int b = r[0].as<int>();
            if (b < 0 || size_t(b) >= buckets)
                continue;
            s.costMicros[size_t(b)] = r[1].as<int64_t>();
            s.refused[size_t(b)] = r[2].as<int64_t>();
        }
        const pqxx::result agents = tx.exec_params(
            "WITH a AS (SELECT agent, floor((extract(epoch FROM ended_at) * 1000 - $1)"
            " / 3600000)::int AS h, coalesce(sum(cost_usd), 0) AS c FROM pitwall.runs" +
                where +
                " GROUP BY 1, 2), t AS (SELECT agent, sum(c) AS total FROM a GROUP BY 1"
                " ORDER BY 2 DESC, 1 LIMIT 5)"
                " SELECT coalesce(t.agent, ''), a.h, (sum(a.c) * 1000000)::bigint"
                " FROM a LEFT JOIN t USING (agent) GROUP BY 1, 2",
            s.dayStartMs, s.subject);
        for (const auto &r : agents) {
            const int h = r[1].as<int>();
            auto &hours = byAgent[r[0].as<std::string>()];
            hours.resize(24, 0);
            if (h >= 0 && h < 24)
                hours[size_t(h)] += r[2].as<int64_t>();
        }
    }
    for (auto &[agent, hours] : byAgent)
        if (!agent.empty())
            s.agents.push_back({agent, std::move(hours)});
    if (auto other = byAgent.find(""); other != byAgent.end())
        s.agents.push_back({"", std::move(other->second)});
    // Actions on this scope today (and, for a user, on the default user cap): cap changes, alert
    // changes, counter rebuilds.
    const pqxx::result markers = tx.exec_params(
        "SELECT (extract(epoch FROM requested_at) * 1000)::bigint, kind, actor, reason, target,"
        " CASE WHEN jsonb_typeof(after -> 'daily_usd') = 'number'"
        "      THEN ((after ->> 'daily_usd')::numeric * 1000000)::bigint ELSE -1 END"
        " FROM pitwall.actions WHERE target IN ($2, $3) AND kind IN ('set_cap', 'cap_expired',"
        " 'set_spend_alert', 'rebuild_spend')"
        " AND requested_at >= to_timestamp($1::float8 / 1000) ORDER BY requested_at LIMIT 200",
        s.dayStartMs, scope + ":" + s.subject,
        scope == "user" ? "user:*" : scope + ":" + s.subject);
    for (const auto &r : markers)
        s.markers.push_back({r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                             r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<int64_t>()});
    return s;
}

} // namespace pitwall

#include "SpendReader.h"

#include "Clock.h"
#include "RedisConnection.h"
#include "StoreError.h"

#include <pqxx/pqxx>

#include <algorithm>
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

} // namespace

std::vector<SpendFigures> readSpendFigures(pqxx::connection_base &pg, RedisConnection &redis,
                                           const RedisKeys &keys, const std::string &scope,
                                           const std::vector<std::string> &subjects,
                                           int64_t nowMs) {
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
                            "reserved_micros", "requests", "refused"});
    const std::vector<RedisValue> replies = redis.pipeline(commands);
    for (size_t i = 0; i < out.size() && i < replies.size(); ++i) {
        const RedisValue &r = replies[i];
        out[i].counterPresent = std::any_of(r.elements.begin(), r.elements.end(),
                                            [](const RedisValue &e) { return !e.isNil(); });
        out[i].settledMicros = field(r, 0);
        out[i].reservedMicros = field(r, 1);
        out[i].requests = field(r, 2);
        out[i].refused = field(r, 3);
    }

    std::vector<std::string> names;
    for (const SpendFigures &f : out)
        names.push_back(f.subject);
    pqxx::read_transaction tx(pg);
    const std::string now = "to_timestamp($3::float8 / 1000)";
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
            " AND r.ended_at >= to_date($2, 'YYYYMMDD') AND " +
            column +
            " = s.subject"
            " AND r.error = " +
            refusalSql(tx, scope, "daily") +
            "),"
            " (SELECT count(*) FROM pitwall.runs r WHERE r.status = 'capped'"
            " AND r.ended_at >= to_date($2, 'YYYYMMDD') AND " +
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
            " THEN (extract(epoch FROM expires_at) * 1000)::bigint ELSE 0 END"
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
    }
    return out;
}

std::vector<SpendFigures> readTopSpenders(pqxx::connection_base &pg, RedisConnection &redis,
                                          const RedisKeys &keys, const std::string &scope,
                                          int limit, int64_t nowMs) {
    if (scope != "user" && scope != "agent")
        throw StoreError("Top spenders are users or agents, not \"" + scope.substr(0, 40) + "\".");
    const std::string column = subjectColumn(scope);
    std::vector<std::string> subjects;
    {
        pqxx::read_transaction tx(pg);
        // runs_ended_idx: today's ended runs, grouped.
        const pqxx::result rows =
            tx.exec_params("SELECT " + column +
                               " FROM pitwall.runs WHERE ended_at >= to_date($1, 'YYYYMMDD')"
                               " GROUP BY 1 ORDER BY sum(cost_usd) DESC, 1 LIMIT $2",
                           utcDay(nowMs), std::clamp(limit, 1, kMaxSpendSubjects));
        for (const auto &r : rows)
            subjects.push_back(r[0].as<std::string>());
    }
    return readSpendFigures(pg, redis, keys, scope, subjects, nowMs);
}

} // namespace pitwall

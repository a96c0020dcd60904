#include "Mirrors.h"

#include "Money.h"
#include "RedisConnection.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace pitwall {
namespace {

int64_t micros(const pqxx::field &f) {
    if (f.is_null())
        return -1;
    return parseUsdMicros(f.c_str()).value_or(-1);
}

int64_t microsFromJson(const nlohmann::json &j, const char *key) {
    if (!j.contains(key) || j[key].is_null())
        return -1;
    const auto &v = j[key];
    return parseUsdMicros(v.is_string() ? v.get<std::string>() : v.dump()).value_or(-1);
}

} // namespace

CapMirror readCap(pqxx::connection_base &pg, const std::string &scope, const std::string &subject) {
    pqxx::read_transaction tx(pg);
    const pqxx::result rows =
        tx.exec_params("SELECT subject, daily_usd, per_request_usd, revision,"
                       "       (extract(epoch FROM expires_at) * 1000)::bigint, previous"
                       "  FROM pitwall.spend_caps"
                       " WHERE scope = $1 AND (subject = $2 OR ($1 = 'user' AND subject = '*'))"
                       " ORDER BY subject = '*' LIMIT 1",
                       scope, subject);
    CapMirror cap{scope, subject};
    if (rows.empty()) {
        cap.derived = true;
        return cap;
    }
    const auto row = rows[0];
    cap.derived = row[0].as<std::string>() != subject;
    cap.dailyMicros = micros(row[1]);
    cap.perRequestMicros = micros(row[2]);
    cap.revision = row[3].as<int64_t>();
    cap.expiresMs = row[4].is_null() ? 0 : row[4].as<int64_t>();
    if (cap.expiresMs != 0 && !row[5].is_null()) {
        const auto previous = nlohmann::json::parse(row[5].c_str());
        if (previous.is_object()) {
            cap.fallbackDailyMicros = microsFromJson(previous, "daily_usd");
            cap.fallbackPerRequestMicros = microsFromJson(previous, "per_request_usd");
        }
    }
    return cap;
}

void writeCapMirror(RedisConnection &redis, const RedisKeys &keys, const CapMirror &cap) {
    const std::string key = keys.cap(cap.scope, cap.subject);
    std::vector<RedisArgs> commands{
        {"MULTI"},
        {"DEL", key},
        {"HSET", key, "daily_micros", std::to_string(cap.dailyMicros), "per_request_micros",
         std::to_string(cap.perRequestMicros), "revision", std::to_string(cap.revision),
         "expires_ms", std::to_string(cap.expiresMs), "fallback_daily_micros",
         std::to_string(cap.fallbackDailyMicros), "fallback_per_request_micros",
         std::to_string(cap.fallbackPerRequestMicros), "derived", cap.derived ? "1" : "0"}};
    if (cap.derived)
        commands.push_back({"EXPIRE", key, "300"});
    commands.push_back({"EXEC"});
    redis.pipeline(commands);
}

std::optional<RolloutMirror> readRollout(pqxx::connection_base &pg, const std::string &agent) {
    pqxx::read_transaction tx(pg);
    const pqxx::result rows = tx.exec_params(
        "SELECT stable_version, coalesce(canary_version, ''), canary_weight, revision"
        "  FROM pitwall.rollouts WHERE agent = $1",
        agent);
    if (rows.empty())
        return std::nullopt;
    return RolloutMirror{agent, rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                         rows[0][2].as<int>(), rows[0][3].as<int64_t>()};
}

void writeRolloutMirror(RedisConnection &redis, const RedisKeys &keys, const RolloutMirror &r) {
    redis.command({"HSET", keys.rollout(r.agent), "stable", r.stable, "canary", r.canary, "weight",
                   std::to_string(r.weight), "revision", std::to_string(r.revision)});
}

} // namespace pitwall

#include "BreakerReader.h"

#include "RedisConnection.h"
#include "StoreError.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <set>

namespace pitwall {
namespace {

constexpr size_t kToolsPerPipeline = 100;

int64_t toInt(const std::unordered_map<std::string, std::string> &h, const char *field) {
    const auto it = h.find(field);
    if (it == h.end())
        return 0;
    try {
        return std::stoll(it->second);
    } catch (const std::exception &) {
        return 0; // a field an agent wrote badly reads as absent
    }
}

std::string toStr(const std::unordered_map<std::string, std::string> &h, const char *field) {
    const auto it = h.find(field);
    return it == h.end() ? std::string() : it->second;
}

struct Override {
    std::string actor, reason, forced;
    int64_t atMs = 0, untilMs = 0;
};

} // namespace

bool validToolName(const std::string &tool) {
    if (tool.empty() || tool.size() > 200)
        return false;
    return std::none_of(tool.begin(), tool.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

BreakerBoard readBreakerBoard(pqxx::connection_base &pg, RedisConnection &redis,
                              const RedisKeys &keys, int64_t nowMs) {
    BreakerBoard board;
    board.atMs = nowMs;

    // The overrides' who and why: each tool's latest override (actions_breaker_idx).
    std::map<std::string, Override> overrides;
    {
        pqxx::read_transaction tx(pg);
        for (const auto &r :
             tx.exec("SELECT DISTINCT ON (target) target, actor, reason,"
                     " (extract(epoch FROM requested_at) * 1000)::bigint, "
                     "coalesce(after->>'forced', ''),"
                     " coalesce((extract(epoch FROM (after->>'forced_until')::timestamptz) * 1000)"
                     "::bigint, 0)"
                     " FROM pitwall.actions WHERE kind = 'override_breaker'"
                     " ORDER BY target, requested_at DESC LIMIT " +
                     std::to_string(kMaxBreakerTools))) {
            Override o;
            o.actor = r[1].as<std::string>();
            o.reason = r[2].as<std::string>();
            o.atMs = r[3].as<int64_t>();
            o.forced = r[4].as<std::string>();
            o.untilMs = r[5].as<int64_t>();
            overrides.emplace(r[0].as<std::string>(), std::move(o));
        }
    }

    // The tools: the registry (SSCAN, bounded), then those with an override in force.
    std::set<std::string> tools;
    std::string cursor = "0";
    do {
        const RedisValue reply = redis.command({"SSCAN", keys.breakers(), cursor, "COUNT", "500"});
        if (reply.elements.size() != 2)
            throw StoreError("Redis answered SSCAN of the breaker registry with an unexpected "
                             "reply.");
        cursor = reply.elements[0].str;
        for (const RedisValue &member : reply.elements[1].elements)
            if (validToolName(member.str))
                tools.insert(member.str);
    } while (cursor != "0" && tools.size() <= size_t(kMaxBreakerTools));
    for (const auto &[tool, o] : overrides)
        if (!o.forced.empty() && (o.untilMs == 0 || o.untilMs > nowMs))
            tools.insert(tool);
    if (tools.size() > size_t(kMaxBreakerTools)) {
        board.truncated = true;
        tools.erase(std::next(tools.begin(), kMaxBreakerTools), tools.end());
    }

    const int64_t minute = nowMs / 60'000;
    const std::vector<std::string> names(tools.begin(), tools.end());
    for (size_t first = 0; first < names.size(); first += kToolsPerPipeline) {
        const size_t last = std::min(names.size(), first + kToolsPerPipeline);
        std::vector<RedisArgs> commands;
        for (size_t i = first; i < last; ++i) {
            commands.push_back({"HGETALL", keys.breaker(names[i])});
            for (int m = kBreakerSparkMinutes - 1; m >= 0; --m)
                commands.push_back({"HGETALL", keys.breakerCalls(names[i], minute - m)});
        }
        const std::vector<RedisValue> replies = redis.pipeline(commands);
        size_t at = 0;
        for (size_t i = first; i < last; ++i) {
            BreakerRow row;
            row.tool = names[i];
            const auto h = replies.at(at++).toMap();
            for (BreakerMinute &m : row.minutes) {
                const auto b = replies.at(at++).toMap();
                m.calls = toInt(b, "calls");
                m.failures = toInt(b, "failures");
                m.rejected = toInt(b, "rejected");
            }
            std::string automatic = toStr(h, "state");
            if (automatic != "open" && automatic != "half_open")
                automatic = "closed";
            row.automaticState = automatic;
            row.state = automatic;
            row.sinceMs = toInt(h, "since_ms");
            row.failuresInRow = toInt(h, "failures");
            row.threshold = toInt(h, "threshold");
            row.cooloffMs = toInt(h, "cooloff_ms");
            row.lastError = toStr(h, "last_error");
            if (automatic == "open")
                row.halfOpenAtMs = toInt(h, "opened_ms") + row.cooloffMs;
            const std::string forced = toStr(h, "forced");
            const int64_t until = toInt(h, "forced_until_ms");
            if ((forced == "open" || forced == "closed") && (until <= 0 || nowMs < until)) {
                row.state = "forced_" + forced;
                row.forcedUntilMs = until > 0 ? until : 0;
                const auto o = overrides.find(row.tool);
                if (o != overrides.end() && o->second.forced == forced) {
                    row.forcedBy = o->second.actor;
                    row.forcedReason = o->second.reason;
                    row.forcedAtMs = o->second.atMs;
                    row.sinceMs = o->second.atMs;
                }
            }
            board.rows.push_back(std::move(row));
        }
    }
    std::sort(board.rows.begin(), board.rows.end(), breakerTroubleOrder);
    return board;
}

std::vector<BreakerHistoryEntry> readBreakerHistory(pqxx::connection_base &pg,
                                                    const std::string &tool, int limit) {
    if (!validToolName(tool))
        throw StoreError("A tool name is 1 to 200 bytes without control characters.");
    limit = std::clamp(limit, 1, kMaxBreakerHistory);
    pqxx::read_transaction tx(pg);
    std::vector<BreakerHistoryEntry> out;
    for (const auto &r : tx.exec_params(
             "SELECT (extract(epoch FROM at) * 1000)::bigint, from_state, to_state, failures,"
             " coalesce(actor, ''), coalesce(reason, '')"
             " FROM pitwall.breaker_events WHERE tool = $1 ORDER BY at DESC, id DESC LIMIT $2",
             tool, limit)) {
        BreakerHistoryEntry e;
        e.atMs = r[0].as<int64_t>();
        e.from = r[1].as<std::string>();
        e.to = r[2].as<std::string>();
        e.failures = r[3].as<int64_t>();
        e.actor = r[4].as<std::string>();
        e.reason = r[5].as<std::string>();
        out.push_back(std::move(e));
    }
    return out;
}

std::map<std::string, int> countRunsAtTools(RedisConnection &redis, const RedisKeys &keys,
                                            int maxRuns, int *counted) {
    std::map<std::string, int> out;
    const RedisValue ids =
        redis.command({"ZREVRANGE", keys.live(), "0", std::to_string(std::max(0, maxRuns - 1))});
    constexpr size_t kChunk = 1000;
    for (size_t first = 0; first < ids.elements.size(); first += kChunk) {
        std::vector<RedisArgs> commands;
        for (size_t i = first; i < std::min(ids.elements.size(), first + kChunk); ++i)
            commands.push_back(
                {"HMGET", keys.run(ids.elements[i].str), EventField::lastSpan, EventField::status});
        for (const RedisValue &r : redis.pipeline(commands)) {
            if (r.elements.size() != 2 || r.elements[0].isNil())
                continue;
            const std::string &status = r.elements[1].str;
            if (!status.empty() && status != "running")
                continue;
            ++out[r.elements[0].str];
        }
    }
    if (counted)
        *counted = int(ids.elements.size());
    return out;
}

} // namespace pitwall

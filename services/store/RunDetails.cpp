#include "RunDetails.h"

#include "Money.h"

namespace pitwall {

RunDetails readRunDetails(RedisConnection &redis, const RedisKeys &keys, const std::string &runId,
                          size_t scan, size_t keep) {
    RunDetails d;
    d.runId = runId;
    const auto replies = redis.pipeline({{"HGETALL", keys.run(runId)}, {"GET", keys.kill(runId)}});
    const auto &hash = replies.at(0).elements;
    for (size_t i = 0; i + 1 < hash.size(); i += 2)
        d.hash.emplace_back(hash[i].str, hash[i + 1].str);
    if (!replies.at(1).isNil())
        d.killFlag = replies.at(1).str;

    // Newest first, in pages of 1000, until enough of this run's events or the scan limit.
    std::string end = "+";
    while (d.eventsScanned < scan && d.events.size() < keep) {
        const auto page = redis.command({"XREVRANGE", keys.events(), end, "-", "COUNT", "1000"});
        if (page.elements.empty())
            break;
        for (const auto &entry : page.elements) {
            const std::string &id = entry.elements.at(0).str;
            if (id == end)
                continue; // the page boundary, read already
            ++d.eventsScanned;
            const auto &kv = entry.elements.at(1).elements;
            Fields fields;
            bool ours = false;
            for (size_t i = 0; i + 1 < kv.size(); i += 2) {
                ours |= kv[i].str == "run_id" && kv[i + 1].str == runId;
                fields.emplace_back(kv[i].str, kv[i + 1].str);
            }
            if (ours && d.events.size() < keep)
                d.events.push_back(std::move(fields));
        }
        const std::string last = page.elements.back().elements.at(0).str;
        if (last == end || page.elements.size() < 1000)
            break;
        end = last;
    }
    return d;
}

std::vector<SloTargets> readSloTargets(pqxx::connection_base &pg) {
    pqxx::read_transaction tx(pg);
    std::vector<SloTargets> out;
    for (const auto &row : tx.exec("SELECT agent, p95_latency_ms, min_success_rate::float8, "
                                   "max_cost_per_request_usd::text, "
                                   "max_cost_per_user_day_usd::text, max_steps "
                                   "FROM pitwall.slo_targets ORDER BY agent")) {
        SloTargets t;
        t.agent = row[0].as<std::string>();
        t.p95LatencyMs = row[1].as<int>();
        t.minSuccessRate = row[2].as<double>();
        t.maxCostPerRequestMicros = parseUsdMicros(row[3].as<std::string>()).value_or(0);
        t.maxCostPerUserDayMicros = parseUsdMicros(row[4].as<std::string>()).value_or(0);
        t.maxSteps = row[5].as<int>();
        out.push_back(t);
    }
    return out;
}

} // namespace pitwall

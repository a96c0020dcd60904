#include "SloTargetsReader.h"

#include "Money.h"

#include <pqxx/pqxx>

namespace pitwall {

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

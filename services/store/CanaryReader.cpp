#include "CanaryReader.h"

#include <pqxx/pqxx>

namespace pitwall {
namespace {

// The runs that ended by their own work: killed, capped and step-limited runs ended by a rule,
// are counted apart, and are not in the success rate, the latency or the steps.
const std::string kDone = "status IN ('succeeded', 'failed', 'timeout')";

} // namespace

std::vector<CanaryComparison> readCanaryComparisons(pqxx::connection_base &pg,
                                                    const std::string &agent,
                                                    std::optional<int64_t> fromUs) {
    pqxx::read_transaction tx(pg);
    std::vector<CanaryComparison> out;
    const pqxx::result rollouts =
        tx.exec_params("SELECT agent, stable_version, canary_version, canary_weight, revision"
                       " FROM pitwall.rollouts WHERE canary_version IS NOT NULL"
                       " AND ($1 = '' OR agent = $1) ORDER BY agent",
                       agent);
    for (const auto &r : rollouts) {
        CanaryComparison c;
        c.agent = r[0].as<std::string>();
        c.stable.version = r[1].as<std::string>();
        c.canary.version = r[2].as<std::string>();
        c.weight = r[3].as<int>();
        c.revision = r[4].as<int64_t>();
        // The window: from the canary version's first run unless given.
        const auto from =
            tx.exec_params1("SELECT coalesce($3::bigint, (SELECT (extract(epoch FROM "
                            "min(started_at)) * 1e6)::bigint"
                            " FROM pitwall.runs WHERE agent = $1 AND version = $2), 0)",
                            c.agent, c.canary.version, fromUs);
        c.fromUs = from[0].as<int64_t>();
        const pqxx::result arms = tx.exec_params(
            "SELECT version, count(*), count(*) FILTER (WHERE " + kDone +
                "),"
                " count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = "
                "'failed'),"
                " count(*) FILTER (WHERE status = 'killed'), count(*) FILTER (WHERE status = "
                "'capped'),"
                " count(*) FILTER (WHERE status = 'step_limit'),"
                " count(*) FILTER (WHERE status = 'timeout'),"
                " avg(ln(greatest(extract(epoch FROM ended_at - started_at) * 1000, 1)))"
                "   FILTER (WHERE " +
                kDone +
                "),"
                " coalesce(var_samp(ln(greatest(extract(epoch FROM ended_at - started_at) * 1000, "
                "1)))"
                "   FILTER (WHERE " +
                kDone +
                "), 0),"
                " count(*) FILTER (WHERE status = 'succeeded'),"
                " avg(ln(cost_usd * 1000000 + 1)) FILTER (WHERE status = 'succeeded'),"
                " coalesce(var_samp(ln(cost_usd * 1000000 + 1)) FILTER (WHERE status = "
                "'succeeded'), 0),"
                " avg(steps) FILTER (WHERE " +
                kDone +
                "),"
                " coalesce(var_samp(steps) FILTER (WHERE " +
                kDone +
                "), 0)"
                " FROM pitwall.runs WHERE agent = $1 AND version IN ($2, $3)"
                " AND started_at >= to_timestamp($4::float8 / 1e6) GROUP BY version",
            c.agent, c.stable.version, c.canary.version, c.fromUs);
        for (const auto &a : arms) {
            CanaryArm &arm = a[0].as<std::string>() == c.canary.version ? c.canary : c.stable;
            arm.runs = a[1].as<int64_t>();
            arm.finished = a[2].as<int64_t>();
            arm.succeeded = a[3].as<int64_t>();
            arm.failed = a[4].as<int64_t>();
            arm.killed = a[5].as<int64_t>();
            arm.capped = a[6].as<int64_t>();
            arm.stepLimit = a[7].as<int64_t>();
            arm.timeout = a[8].as<int64_t>();
            auto number = [](const pqxx::field &f) {
                return f.is_null() ? 0.0 : f.as<double>();
            };
            arm.logLatencyMs =
                canary::Moments::of(double(arm.finished), number(a[9]), number(a[10]));
            arm.logCostOfSuccess =
                canary::Moments::of(a[11].as<double>(), number(a[12]), number(a[13]));
            arm.steps = canary::Moments::of(double(arm.finished), number(a[14]), number(a[15]));
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace pitwall

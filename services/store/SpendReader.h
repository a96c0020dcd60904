#pragma once

#include "Contract.h"
#include "SpendRecords.h"

#include <map>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

class RedisConnection;

// The day's ended runs of every agent in minutes, kept up to date on a worker so that the
// figures of the global scope and of the agents (whose ledger is a sum over the whole day's
// runs) cost a read of the last minutes instead of the day: the first refresh of a day reads the
// day once, grouped in SQL; each later one drops and re-reads the last kRereadMs. Runs whose
// end commits later than that after their end time are missed, as on the canary page.
struct SpendRollup {
    struct Minute {
        int64_t costMicros = 0;
        int64_t capped = 0; // runs refused by any cap
        int64_t agentDaily = 0, agentPerRequest = 0, globalDaily = 0, globalPerRequest = 0;
    };
    std::string day; // yyyymmdd; empty until the first refresh
    int64_t dayStartMs = 0;
    std::map<std::string, std::map<int, Minute>> byAgent; // minute of the day -> its runs
    std::map<std::string, int64_t> runningMicros;         // cost so far of running runs
    int64_t runsRead = 0;                                 // rows read by the last refresh
    double refreshMs = 0;                                 // its duration
    static constexpr int64_t kRereadMs = 3 * 60 * 1000;
};

// Brings the rollup to nowMs (a new UTC day starts it afresh).
void refreshSpendRollup(pqxx::connection_base &pg, SpendRollup &rollup, int64_t nowMs);

// Each subject's figures for today (UTC) in a scope (global: subject "*"): Redis's counters in
// one pipeline, PostgreSQL's ledger, last-hour spend, refusals and caps in one statement each,
// whatever the number of subjects (at most kMaxSubjects). Throws StoreError or pqxx errors.
// With a rollup refreshed for nowMs, the ledger, burn and refusals of the global scope and of
// agents come from it instead of a statement over the day's runs.
std::vector<SpendFigures> readSpendFigures(pqxx::connection_base &pg, RedisConnection &redis,
                                           const RedisKeys &keys, const std::string &scope,
                                           const std::vector<std::string> &subjects, int64_t nowMs,
                                           const SpendRollup *rollup = nullptr);

// A page of the subjects of a scope (agent or user) that spent the most today, most first, whose
// name contains `filter`, with their figures: ranked by the running rank in Redis
// (pitwall:spend_rank, kept by settle_spend), which is filled from the ledger first when Redis
// does not hold it whole (after a loss; fromLedger says so).
SpenderPage readSpenderPage(pqxx::connection_base &pg, RedisConnection &redis,
                            const RedisKeys &keys, const std::string &scope,
                            const std::string &filter, int offset, int limit, int64_t nowMs,
                            const SpendRollup *rollup = nullptr);

// The first page of readSpenderPage, unfiltered.
std::vector<SpendFigures> readTopSpenders(pqxx::connection_base &pg, RedisConnection &redis,
                                          const RedisKeys &keys, const std::string &scope,
                                          int limit, int64_t nowMs);

// The same ranked by a GROUP BY over the day's runs: the naive way, for the benchmark.
std::vector<SpendFigures> readTopSpendersFromLedger(pqxx::connection_base &pg,
                                                    RedisConnection &redis, const RedisKeys &keys,
                                                    const std::string &scope, int limit,
                                                    int64_t nowMs);

// Reservations still held by runs that ended within the hour or whose heartbeat is older than
// `heartbeatTimeoutMs`, largest first, at most `limit`.
std::vector<SpendHold> readSpendHolds(pqxx::connection_base &pg, RedisConnection &redis,
                                      const RedisKeys &keys, int64_t nowMs,
                                      int64_t heartbeatTimeoutMs, int limit);

// A scope's day for the charts (UTC day of nowMs).
SpendSeries readSpendSeries(pqxx::connection_base &pg, const std::string &scope,
                            const std::string &subject, int64_t nowMs,
                            const SpendRollup *rollup = nullptr);

constexpr int kMaxSpendSubjects = 1000;
constexpr int kMaxSpendHolds = 1000;
constexpr int kMaxHoldCandidates = 50'000; // of each kind: stale in flight, ended in the hour

} // namespace pitwall

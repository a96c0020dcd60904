#pragma once

#include "Contract.h"
#include "SpendRecords.h"

#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

class RedisConnection;

// Each subject's figures for today (UTC) in a scope (global: subject "*"): Redis's counters in
// one pipeline, PostgreSQL's ledger, last-hour spend, refusals and caps in one statement each,
// whatever the number of subjects (at most kMaxSubjects). Throws StoreError or pqxx errors.
std::vector<SpendFigures> readSpendFigures(pqxx::connection_base &pg, RedisConnection &redis,
                                           const RedisKeys &keys, const std::string &scope,
                                           const std::vector<std::string> &subjects, int64_t nowMs);

// A page of the subjects of a scope (agent or user) that spent the most today, most first, whose
// name contains `filter`, with their figures: ranked by the running rank in Redis
// (pitwall:spend_rank, kept by settle_spend), which is filled from the ledger first when Redis
// does not hold it whole (after a loss; fromLedger says so).
SpenderPage readSpenderPage(pqxx::connection_base &pg, RedisConnection &redis,
                            const RedisKeys &keys, const std::string &scope,
                            const std::string &filter, int offset, int limit, int64_t nowMs);

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
                            const std::string &subject, int64_t nowMs);

constexpr int kMaxSpendSubjects = 1000;
constexpr int kMaxSpendHolds = 1000;
constexpr int kMaxHoldCandidates = 50'000; // of each kind: stale in flight, ended in the hour

} // namespace pitwall

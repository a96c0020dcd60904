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

// The `limit` subjects of a scope (agent or user) that spent the most today by the ledger of
// runs ended today, most first, with their figures.
std::vector<SpendFigures> readTopSpenders(pqxx::connection_base &pg, RedisConnection &redis,
                                          const RedisKeys &keys, const std::string &scope,
                                          int limit, int64_t nowMs);

constexpr int kMaxSpendSubjects = 1000;

} // namespace pitwall

#pragma once

#include "BreakerRecords.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

class RedisConnection;

// Every tool's breaker as a caller sees it at nowMs, most trouble first: the tools of the
// registry (pitwall:breakers) and those with an override in force, at most kMaxBreakerTools.
// Redis in pipelines of a hundred tools (the hash and its kBreakerSparkMinutes buckets),
// PostgreSQL in one statement for the overrides' who and why. runsAtTool stays -1.
// Throws StoreError or pqxx errors.
BreakerBoard readBreakerBoard(pqxx::connection_base &pg, RedisConnection &redis,
                              const RedisKeys &keys, int64_t nowMs);

// A tool's transitions (pitwall.breaker_events: the agents' and the overrides') newest first,
// at most `limit` (clamped to kMaxBreakerHistory).
std::vector<BreakerHistoryEntry> readBreakerHistory(pqxx::connection_base &pg,
                                                    const std::string &tool, int limit);

// How many live runs have a call of each tool as their last step, over at most `maxRuns` runs
// (the newest heartbeats first); `counted` says how many were looked at. For the command line:
// the console counts its own table.
std::map<std::string, int> countRunsAtTools(RedisConnection &redis, const RedisKeys &keys,
                                            int maxRuns, int *counted);

// Whether `tool` is a name the board accepts: 1 to 200 bytes, no control characters.
bool validToolName(const std::string &tool);

} // namespace pitwall

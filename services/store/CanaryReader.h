#pragma once

#include "CanaryRecords.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

// Every agent with a canary (or just `agent`): its rollout, its canary policy (the defaults
// without a row) and where its window starts: `fromUs` (unix microseconds) when given, else the
// canary version's first run. The arms are left empty. Throws pqxx errors.
std::vector<CanaryComparison> readCanaryRollouts(pqxx::connection_base &pg,
                                                 const std::string &agent = {},
                                                 std::optional<int64_t> fromUs = {});

// An agent's canary policy; the defaults (revision 0) without a row.
CanaryPolicy readCanaryPolicy(pqxx::connection_base &pg, const std::string &agent);

using RunOutcomeSink = std::function<void(const std::string &agent, const std::string &version,
                                          int64_t endedMs, const RunOutcome &run)>;

// Hands `each` every run of `agent` (empty: of every agent) that ended at or after `fromMs`
// (unix milliseconds), in pages of `pageSize` by (ended_at, run_id), one statement each, so that
// no statement runs long. Returns how many runs it read. `stop` is asked between pages.
int64_t readRunOutcomes(pqxx::connection_base &pg, int64_t fromMs, const std::string &agent,
                        const RunOutcomeSink &each, const std::function<bool()> &stop = {},
                        int pageSize = 20000);

// The last `limit` (at most 1000) changes of an agent's rollout and canary policy, newest first.
std::vector<RolloutChange> readRolloutHistory(pqxx::connection_base &pg, const std::string &agent,
                                              int limit = 200);

// The two above folded together: each comparison with its arms over its window (for pitwallctl,
// which reads once; the console keeps a CanaryRollup current instead).
std::vector<CanaryComparison> readCanaryComparisons(pqxx::connection_base &pg,
                                                    const std::string &agent = {},
                                                    std::optional<int64_t> fromUs = {});

} // namespace pitwall

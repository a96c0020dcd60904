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
// With `withoutCanary`, agents without a canary too (canary version empty, no window).
std::vector<CanaryComparison> readCanaryRollouts(pqxx::connection_base &pg,
                                                 const std::string &agent = {},
                                                 std::optional<int64_t> fromUs = {},
                                                 bool withoutCanary = false);

// How many runs are running on `version` of `agent`, and the first `limit` of them.
std::pair<int64_t, std::vector<std::string>> readRunsInFlight(pqxx::connection_base &pg,
                                                              const std::string &agent,
                                                              const std::string &version,
                                                              int limit = 200);

// For each of the two versions, ended at or after `fromMs`: the `perKind` slowest, most
// expensive and latest failed runs (a run may be in more than one kind).
std::vector<CanaryExampleRun> readCanaryExamples(pqxx::connection_base &pg,
                                                 const std::string &agent,
                                                 const std::string &stableVersion,
                                                 const std::string &canaryVersion, int64_t fromMs,
                                                 int perKind = 3);

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

#pragma once

#include "CanaryRecords.h"

#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

// Every agent with a canary (or just `agent`), with what its stable and canary versions did
// since `fromUs` (unix microseconds; none: since the canary version's first run). Read from
// pitwall.runs in one statement per agent. Throws pqxx errors.
std::vector<CanaryComparison> readCanaryComparisons(pqxx::connection_base &pg,
                                                    const std::string &agent = {},
                                                    std::optional<int64_t> fromUs = {});

} // namespace pitwall

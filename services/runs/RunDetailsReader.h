#pragma once

#include "Contract.h"
#include "RedisConnection.h"
#include "RunDetails.h"

namespace pitwall {

// Reads the run's hash and kill flag, and scans back at most `scan` entries of the event
// stream for its events, keeping the newest `keep`. Throws StoreError when Redis fails.
RunDetails readRunDetails(RedisConnection &redis, const RedisKeys &keys, const std::string &runId,
                          size_t scan = 20'000, size_t keep = 40);

} // namespace pitwall

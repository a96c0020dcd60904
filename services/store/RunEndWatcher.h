#pragma once

#include "Contract.h"
#include "RedisEndpoint.h"

#include <chrono>
#include <map>
#include <set>
#include <string>

namespace pitwall {

struct RunEnding {
    std::string status; // killed, succeeded, ...
    std::chrono::steady_clock::time_point seenAt;
};

// Verifies that kills land: remembers the event stream's position when made, then waits for
// the runs' run_ended events. Blocking; the console uses it from a worker thread.
class RunEndWatcher {
public:
    RunEndWatcher(const RedisEndpoint &redis, std::string keyPrefix);
    // The runs of `runIds` that ended before the timeout, with how and when it was seen.
    std::map<std::string, RunEnding> waitFor(const std::set<std::string> &runIds,
                                             std::chrono::milliseconds timeout);

private:
    RedisEndpoint m_redis;
    RedisKeys m_keys;
    std::string m_lastId = "0-0";
};

} // namespace pitwall

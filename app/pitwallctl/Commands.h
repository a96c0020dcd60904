#pragma once

#include <string>
#include <vector>

namespace pitwall {

// Each returns the process exit code: 0 done, 1 refused or failed, 2 bad usage,
// 3 recorded in Postgres but not yet applied to Redis.
int runCommand(const std::vector<std::string> &args);
std::string usage();

} // namespace pitwall

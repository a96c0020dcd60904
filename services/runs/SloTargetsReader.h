#pragma once

#include "RunDetails.h"

#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

// Every agent's SLO targets (pitwall.slo_targets). Throws pqxx errors.
std::vector<SloTargets> readSloTargets(pqxx::connection_base &pg);

} // namespace pitwall

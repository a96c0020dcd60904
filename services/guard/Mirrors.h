#pragma once

#include "Contract.h"

#include <cstdint>
#include <optional>
#include <string>

namespace pqxx {
class connection_base;
}

namespace pitwall {

class RedisConnection;

// A spend cap as Redis holds it (`pitwall:cap:{scope}:{subject}`). -1 means no limit.
struct CapMirror {
    std::string scope;
    std::string subject;
    int64_t dailyMicros = -1;
    int64_t perRequestMicros = -1;
    int64_t revision = 0;
    int64_t expiresMs = 0; // a time-boxed cap; after it the fallback is in force
    int64_t fallbackDailyMicros = -1;
    int64_t fallbackPerRequestMicros = -1;
    // Not the subject's own row: "no cap" or the default user cap (subject `*`). Such mirrors
    // expire so that a cap created later is picked up.
    bool derived = false;
};

// Reads the cap in force for scope/subject from Postgres; for a user without a cap of its own
// the default user cap (subject `*`) applies. A missing cap gives a derived "no limit" mirror.
CapMirror readCap(pqxx::connection_base &pg, const std::string &scope, const std::string &subject);
void writeCapMirror(RedisConnection &redis, const RedisKeys &keys, const CapMirror &cap);

// A rollout as Redis holds it (`pitwall:rollout:{agent}`).
struct RolloutMirror {
    std::string agent;
    std::string stable;
    std::string canary; // empty: no canary
    int weight = 0;
    int64_t revision = 0;
};

std::optional<RolloutMirror> readRollout(pqxx::connection_base &pg, const std::string &agent);
void writeRolloutMirror(RedisConnection &redis, const RedisKeys &keys, const RolloutMirror &r);

} // namespace pitwall

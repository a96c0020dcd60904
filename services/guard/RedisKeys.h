#pragma once

#include <string>

namespace pitwall {

// The Redis key names of the contract (DESIGN.md), under a configurable prefix.
class RedisKeys {
public:
    explicit RedisKeys(std::string prefix = "pitwall:")
        : m_prefix(std::move(prefix)) {}
    const std::string &prefix() const { return m_prefix; }
    std::string run(const std::string &runId) const { return m_prefix + "run:" + runId; }
    std::string live() const { return m_prefix + "live"; }
    std::string events() const { return m_prefix + "events"; }
    std::string kill(const std::string &runId) const { return m_prefix + "kill:" + runId; }
    std::string cap(const std::string &scope, const std::string &subject) const {
        return m_prefix + "cap:" + scope + ":" + subject;
    }
    std::string spend(const std::string &scope, const std::string &subject,
                      const std::string &yyyymmdd) const {
        return m_prefix + "spend:" + scope + ":" + subject + ":" + yyyymmdd;
    }
    std::string breaker(const std::string &tool) const { return m_prefix + "breaker:" + tool; }
    std::string rollout(const std::string &agent) const { return m_prefix + "rollout:" + agent; }
    // Set (NX, for 7 days) by whoever first applies an action to Redis: a second applier (two
    // consoles draining, a retry after a failed mark) rewrites the state, which is idempotent,
    // but does not announce the action on the event stream again.
    std::string applied(const std::string &actionId) const {
        return m_prefix + "applied:" + actionId;
    }

private:
    std::string m_prefix;
};

} // namespace pitwall

#include "RunEndWatcher.h"

#include "RedisConnection.h"

namespace pitwall {

RunEndWatcher::RunEndWatcher(const RedisEndpoint &redis, std::string keyPrefix)
    : m_redis(redis)
    , m_keys(std::move(keyPrefix)) {
    RedisConnection c(m_redis);
    const auto latest = c.command({"XREVRANGE", m_keys.events(), "+", "-", "COUNT", "1"});
    if (!latest.elements.empty())
        m_lastId = latest.elements[0].elements.at(0).str;
}

std::map<std::string, RunEnding> RunEndWatcher::waitFor(const std::set<std::string> &runIds,
                                                        std::chrono::milliseconds timeout) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    std::map<std::string, RunEnding> ended;
    RedisConnection c(m_redis, timeout + std::chrono::seconds(2));
    while (ended.size() < runIds.size() && Clock::now() < deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const auto read = c.command({"XREAD", "COUNT", "1000", "BLOCK",
                                     std::to_string(std::max<long long>(1, left.count())),
                                     "STREAMS", m_keys.events(), m_lastId});
        if (read.isNil() || read.elements.empty())
            continue;
        for (const auto &entry : read.elements.at(0).elements.at(1).elements) {
            m_lastId = entry.elements.at(0).str;
            auto f = entry.elements.at(1).toMap();
            if (f[EventField::type] == EventType::runEnded && runIds.count(f[EventField::runId]))
                ended.emplace(f[EventField::runId], RunEnding{f[EventField::status], Clock::now()});
        }
    }
    return ended;
}

} // namespace pitwall

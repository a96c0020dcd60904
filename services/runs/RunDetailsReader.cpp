#include "RunDetailsReader.h"

namespace pitwall {

RunDetails readRunDetails(RedisConnection &redis, const RedisKeys &keys, const std::string &runId,
                          size_t scan, size_t keep) {
    RunDetails d;
    d.runId = runId;
    const auto replies = redis.pipeline({{"HGETALL", keys.run(runId)}, {"GET", keys.kill(runId)}});
    const auto &hash = replies.at(0).elements;
    for (size_t i = 0; i + 1 < hash.size(); i += 2)
        d.hash.emplace_back(hash[i].str, hash[i + 1].str);
    if (!replies.at(1).isNil())
        d.killFlag = replies.at(1).str;

    // Newest first, in pages of 1000, until enough of this run's events or the scan limit.
    std::string end = "+";
    while (d.eventsScanned < scan && d.events.size() < keep) {
        const auto page = redis.command({"XREVRANGE", keys.events(), end, "-", "COUNT", "1000"});
        if (page.elements.empty())
            break;
        for (const auto &entry : page.elements) {
            const std::string &id = entry.elements.at(0).str;
            if (id == end)
                continue; // the page boundary, read already
            ++d.eventsScanned;
            const auto &kv = entry.elements.at(1).elements;
            Fields fields;
            bool ours = false;
            for (size_t i = 0; i + 1 < kv.size(); i += 2) {
                ours |= kv[i].str == EventField::runId && kv[i + 1].str == runId;
                fields.emplace_back(kv[i].str, kv[i + 1].str);
            }
            if (ours && d.events.size() < keep)
                d.events.push_back(std::move(fields));
        }
        const std::string last = page.elements.back().elements.at(0).str;
        if (last == end || page.elements.size() < 1000)
            break;
        end = last;
    }
    return d;
}

} // namespace pitwall

#include "LiveFeed.h"

#include "RedisConnection.h"

#include <QThread>

#include <chrono>

namespace pitwall {
namespace {

int64_t number(const std::unordered_map<std::string, std::string> &f, const char *key) {
    auto it = f.find(key);
    if (it == f.end() || it->second.empty())
        return 0;
    try {
        return std::stoll(it->second);
    } catch (const std::exception &) {
        return 0;
    }
}

std::string field(const std::unordered_map<std::string, std::string> &f, const char *key) {
    auto it = f.find(key);
    return it == f.end() ? std::string() : it->second;
}

} // namespace

LiveFeed::LiveFeed(RedisEndpoint endpoint, std::string keyPrefix, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_keys(std::move(keyPrefix)) {
    qRegisterMetaType<pitwall::LiveRunUpdates>();
}

std::optional<LiveRunUpdate>
LiveFeed::fromEvent(const std::unordered_map<std::string, std::string> &f) {
    const std::string type = field(f, EventField::type);
    LiveRunUpdate u;
    if (type == EventType::runStarted)
        u.kind = LiveRunUpdate::Kind::Started;
    else if (type == EventType::step)
        u.kind = LiveRunUpdate::Kind::Step;
    else if (type == EventType::runEnded)
        u.kind = LiveRunUpdate::Kind::Ended;
    else if (type == EventType::killRequested)
        u.kind = LiveRunUpdate::Kind::KillRequested;
    else
        return std::nullopt;
    u.runId = field(f, EventField::runId);
    if (u.runId.empty())
        return std::nullopt;
    u.agent = field(f, EventField::agent);
    u.version = field(f, EventField::version);
    u.user = field(f, EventField::user);
    u.atMs = number(f, EventField::atMs);
    u.entryPoint = field(f, EventField::entryPoint);
    u.canary = field(f, EventField::canary) == "1";
    u.maxSteps = static_cast<int>(number(f, EventField::maxSteps));
    u.step = static_cast<int>(
        number(f, u.kind == LiveRunUpdate::Kind::Ended ? EventField::steps : EventField::step));
    u.lastSpan = field(f, EventField::lastSpan);
    u.toolRepeats = static_cast<int>(number(f, EventField::toolRepeats));
    u.status = field(f, EventField::status);
    u.costMicros = number(f, EventField::costMicros);
    if (u.kind == LiveRunUpdate::Kind::Started)
        u.startedMs = u.atMs;
    return u;
}

LiveRunUpdate LiveFeed::fromRunHash(const std::string &runId,
                                    const std::unordered_map<std::string, std::string> &f) {
    LiveRunUpdate u;
    u.kind = LiveRunUpdate::Kind::Snapshot;
    u.runId = runId;
    u.agent = field(f, EventField::agent);
    u.version = field(f, EventField::version);
    u.user = field(f, EventField::user);
    u.entryPoint = field(f, EventField::entryPoint);
    u.canary = field(f, EventField::canary) == "1";
    u.startedMs = number(f, EventField::startedMs);
    u.atMs = number(f, EventField::heartbeatMs);
    u.step = static_cast<int>(number(f, EventField::step));
    u.maxSteps = static_cast<int>(number(f, EventField::maxSteps));
    u.costMicros = number(f, EventField::costMicros);
    u.reservedMicros = number(f, EventField::reservedMicros);
    u.lastSpan = field(f, EventField::lastSpan);
    u.toolRepeats = static_cast<int>(number(f, EventField::toolRepeats));
    u.status = field(f, EventField::status);
    return u;
}

void LiveFeed::run() {
    using Clock = std::chrono::steady_clock;
    int backoffMs = 250;
    while (!m_stop) {
        try {
            RedisConnection redis(m_endpoint, std::chrono::seconds(3));
            redis.connect();
            // The stream position first, then the snapshot: events in between are read twice
            // at worst, never missed.
            std::string lastId = "0-0";
            const auto latest =
                redis.command({"XREVRANGE", m_keys.events(), "+", "-", "COUNT", "1"});
            if (!latest.elements.empty())
                lastId = latest.elements[0].elements.at(0).str;
            LiveRunUpdates snapshot;
            const auto live = redis.command({"ZRANGE", m_keys.live(), "0", "-1"});
            for (size_t i = 0; i < live.elements.size(); i += 5000) {
                std::vector<RedisArgs> reads;
                const size_t end = std::min(live.elements.size(), i + 5000);
                for (size_t k = i; k < end; ++k)
                    reads.push_back({"HGETALL", m_keys.run(live.elements[k].str)});
                const auto hashes = redis.pipeline(reads);
                for (size_t k = i; k < end; ++k) {
                    auto fields = hashes[k - i].toMap();
                    if (!fields.empty())
                        snapshot.push_back(fromRunHash(live.elements[k].str, fields));
                }
            }
            Q_EMIT connectionChanged(true, {});
            Q_EMIT updatesArrived(snapshot, true);
            backoffMs = 250;

            redis.setTimeout(std::chrono::seconds(3));
            LiveRunUpdates pending;
            auto lastEmit = Clock::now();
            while (!m_stop) {
                const auto read = redis.command(
                    {"XREAD", "COUNT", "5000", "BLOCK", "100", "STREAMS", m_keys.events(), lastId});
                if (!read.isNil() && !read.elements.empty()) {
                    for (const auto &entry : read.elements.at(0).elements.at(1).elements) {
                        lastId = entry.elements.at(0).str;
                        if (auto u = fromEvent(entry.elements.at(1).toMap()))
                            pending.push_back(std::move(*u));
                    }
                }
                if (!pending.empty() && Clock::now() - lastEmit >= std::chrono::milliseconds(100)) {
                    Q_EMIT updatesArrived(pending, false);
                    pending.clear();
                    lastEmit = Clock::now();
                }
            }
        } catch (const std::exception &e) {
            Q_EMIT connectionChanged(false, QString::fromStdString(e.what()));
            for (int waited = 0; waited < backoffMs && !m_stop; waited += 50)
                QThread::msleep(50);
            backoffMs = std::min(backoffMs * 2, 5000);
        }
    }
}

} // namespace pitwall

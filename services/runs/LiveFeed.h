#pragma once

#include "Contract.h"
#include "LiveRunUpdate.h"
#include "RedisEndpoint.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <optional>
#include <unordered_map>

Q_DECLARE_METATYPE(pitwall::LiveRunUpdates)

namespace pitwall {

// Reads live runs from Redis on its own thread: a snapshot of `live` and the run hashes
// (pipelined), then the event stream from the position taken before the snapshot, so nothing
// is missed; the model's updates are idempotent, so what both saw is not counted twice.
// Hands batches over at most 10 times a second. Move it to a QThread and invoke run();
// stop() from any thread ends it.
class LiveFeed : public QObject {
    Q_OBJECT
public:
    LiveFeed(RedisEndpoint endpoint, std::string keyPrefix, QObject *parent = nullptr);

    // Pure: an event of the stream, or a run hash, as an update (nullopt for other events).
    static std::optional<LiveRunUpdate>
    fromEvent(const std::unordered_map<std::string, std::string> &fields);
    static LiveRunUpdate fromRunHash(const std::string &runId,
                                     const std::unordered_map<std::string, std::string> &fields);

public Q_SLOTS:
    void run();
    void stop() { m_stop = true; }

Q_SIGNALS:
    // `snapshot` is true for the batch that holds a full snapshot (after each (re)connect).
    void updatesArrived(const pitwall::LiveRunUpdates &updates, bool snapshot);
    void connectionChanged(bool connected, const QString &message);

private:
    RedisEndpoint m_endpoint;
    RedisKeys m_keys;
    std::atomic<bool> m_stop{false};
};

} // namespace pitwall

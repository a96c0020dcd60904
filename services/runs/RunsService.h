#pragma once

#include "ConnectionSettings.h"
#include "LiveRunUpdate.h"
#include "RequestLane.h"
#include "RunDetails.h"

#include <QObject>
#include <QStringList>

#include <map>
#include <optional>
#include <string>
#include <vector>

class QThread;
class QTimer;

namespace pitwall {

class LiveFeed;
class StoreWorker;

// The live runs' area: the live feed, the details of the run being looked at, the agents' SLO
// targets, and kills. Reads on one worker, kills on another (a kill waits up to the kill
// deadline for the runs to end, and must not hold up the details), the feed on a thread of its
// own (a blocking read). Answers for an earlier connection or an earlier watched run are
// dropped here.
class RunsService : public QObject {
    Q_OBJECT
public:
    explicit RunsService(QObject *parent = nullptr);
    ~RunsService() override;

    void connectTo(const ConnectionSettings &settings);
    // The run whose details are wanted, polled again kDetailsPollMs after each answer (never
    // while one is in flight); empty stops the poll.
    void watchDetails(const QString &runId);
    // Records the kills, then watches for the runs to end until the kill deadline.
    void kill(const QStringList &runIds, const QString &reason);
    void reloadSloTargets();

    static constexpr int kDetailsPollMs = 2000;
    static constexpr int kSloReloadMs = 60'000;

Q_SIGNALS:
    void updatesArrived(const pitwall::LiveRunUpdates &updates, bool snapshot);
    void feedConnectionChanged(bool connected, const QString &message);
    void detailsArrived(const pitwall::RunDetails &details,
                        const std::optional<pitwall::SloTargets> &slo);
    void sloTargetsArrived(const std::vector<pitwall::SloTargets> &targets);
    // The kills PostgreSQL recorded: `applied` are set in Redis too, `pending` wait in the
    // outbox for Redis to come back.
    void killsRecorded(const QStringList &applied, const QStringList &pending, qint64 recordedMs);
    // What to tell the operator about an action: progress, then the outcome.
    void statusChanged(const QString &text);

private:
    void stopFeed();
    void startFeed();
    void pollDetails();

    ConnectionSettings m_settings;
    RequestLane m_session; // superseded by every connectTo
    RequestLane m_details;
    RequestLane m_slo;
    StoreWorker *m_reads = nullptr;
    StoreWorker *m_actions = nullptr;
    QThread *m_feedThread = nullptr;
    LiveFeed *m_feed = nullptr;
    QTimer *m_detailsPoll = nullptr;
    QTimer *m_sloReload = nullptr;
    QString m_watched;
    std::map<std::string, SloTargets> m_targets; // by agent
};

} // namespace pitwall

#pragma once

#include "ActionsService.h"
#include "ConnectionSettings.h"
#include "RequestLane.h"
#include "SpendRecords.h"

#include <QObject>
#include <QString>

#include <atomic>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QTimer;

namespace pitwall {

class StoreConnections;
class StoreWorker;

// The spend area: global, agents, the default user cap, a page of top spenders, the scopes past
// their alert threshold, the selected scope's day for the charts and (while shown) orphaned
// holds, read every kRefreshMs (re-armed after each answer) on a worker of its own. Every
// kProbeMs it asks PostgreSQL for the latest action's time, and reads again at once when it
// moved: a cap changed on another console shows here within a second or two. Cap, alert,
// rebuild and release actions run on another worker.
class SpendService : public QObject {
    Q_OBJECT
public:
    explicit SpendService(QObject *parent = nullptr);
    ~SpendService() override;

    void connectTo(const ConnectionSettings &settings);
    void refresh();
    // What to read: the scope whose day the charts show, the users page, and whether holds are
    // wanted (the reconciliation tab is shown).
    void select(const QString &scope, const QString &subject);
    void setUsersQuery(const QString &filter, int offset);
    void setHoldsWanted(bool wanted);
    // For a cap editor's preview of the default user cap: the users who follow it, among the
    // kPreviewUsers that spent most today.
    void loadFollowers();

    // `evidence`: what the page showed (a JSON object), stored with the action.
    void setCap(const CapChange &change, const QString &reason, const QString &evidence = {});
    void setAlert(const QString &scope, const QString &subject, std::optional<double> percent,
                  qint64 revision, const QString &reason);
    void rebuild(const QString &scope, const QString &subject, const QString &reason);
    void releaseHold(const QString &runId, qint64 heldMicros, const QString &reason);

    static constexpr int kRefreshMs = 2000;
    static constexpr int kProbeMs = 500;
    static constexpr int kUsersPerPage = 100;
    static constexpr int kPreviewUsers = 1000;
    static constexpr int64_t kHoldsEveryMs = 10'000;

    struct Query {
        std::string scope = "global", subject = "*";
        std::string usersFilter;
        int usersOffset = 0;
        bool holdsWanted = false;
    };
    struct State; // what was read last, on the reads worker

Q_SIGNALS:
    void snapshotArrived(const pitwall::SpendSnapshot &snapshot);
    // `error` says why they could not be read (then `users` is empty).
    void followersArrived(const std::vector<pitwall::SpendFigures> &users, const QString &error);
    void actionProgress(const QString &text);
    void actionFinished(bool ok, const QString &text);

private:
    void act(const QString &what, std::function<std::string(StoreConnections &)> action);
    void probe();

    ConnectionSettings m_settings;
    Query m_query;
    RequestLane m_session;
    RequestLane m_snapshots;
    RequestLane m_followers;
    StoreWorker *m_reads = nullptr;
    StoreWorker *m_probes = nullptr;
    StoreWorker *m_actions = nullptr;
    QTimer *m_timer = nullptr;
    QTimer *m_probeTimer = nullptr;
    bool m_reading = false;
    bool m_readAgain = false;
    std::optional<std::string> m_lastActionAt; // the latest action's time, once probed
    std::shared_ptr<std::atomic<bool>> m_probeBusy = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<State> m_state; // touched only on m_reads' thread
};

} // namespace pitwall

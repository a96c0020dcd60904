#pragma once

#include "CanaryRecords.h"
#include "ConnectionSettings.h"
#include "RequestLane.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QTimer;

namespace pitwall {

class StoreWorker;

// The canary area: every agent's rollout with its two arms, their minutes for the charts, the
// rollout's history, the canary's runs in flight and the SLO targets, read every kRefreshMs
// (re-armed after each answer) on a worker of its own; example runs on demand; rollout and
// policy actions on another worker. The runs are kept in a CanaryRollup on the worker thread,
// read once from the window's start and then only the last minutes again, so that a refresh
// over a million runs merges a few thousand minutes instead of reading the runs.
class CanaryService : public QObject {
    Q_OBJECT
public:
    explicit CanaryService(QObject *parent = nullptr);
    ~CanaryService() override;

    void connectTo(const ConnectionSettings &settings);
    void refresh(); // now, and then every kRefreshMs
    void loadExamples(const QString &agent);

    // Actions on the revision the operator saw; a stale one is refused with the current state.
    void setWeight(const QString &agent, int weight, qint64 revision, const QString &reason);
    void promote(const QString &agent, qint64 revision, const QString &reason);
    void rollBack(const QString &agent, qint64 revision, const QString &reason, bool killInFlight,
                  const QString &evidence = {});
    void setPolicy(const QString &agent, const CanaryPolicy &policy, const QString &reason);

    static constexpr int kRefreshMs = 2000;
    // How far back the rollup reaches at least (history verdicts), at most (a canary older
    // than that is judged over its last two days).
    static constexpr int64_t kHistoryMs = int64_t(24) * 3600 * 1000;
    // A minute of one version costs ~1.6 KB (two histograms): 2 days of 8 versions, ~37 MB.
    static constexpr int64_t kMaxWindowMs = kCanaryMaxWindowMs;
    // Runs whose end commits this late after their end time are still counted.
    static constexpr int64_t kLateMs = 2 * 60 * 1000;

    struct State; // the rollup and how far it reaches, on the reads worker

Q_SIGNALS:
    void snapshotArrived(const pitwall::CanarySnapshot &snapshot);
    void examplesArrived(const QString &agent, const std::vector<pitwall::CanaryExampleRun> &runs);
    // Progress, then the outcome of an action, in one sentence; `ok` false when refused or
    // not recorded.
    void actionProgress(const QString &text);
    void actionFinished(const QString &agent, bool ok, const QString &text);

private:
    void act(const QString &agent, const QString &what,
             std::function<std::string(class StoreConnections &)> action);

    ConnectionSettings m_settings;
    RequestLane m_session;
    RequestLane m_snapshots;
    RequestLane m_examples;
    StoreWorker *m_reads = nullptr;
    StoreWorker *m_actions = nullptr;
    QTimer *m_timer = nullptr;
    std::shared_ptr<State> m_state; // touched only on m_reads' thread
};

} // namespace pitwall

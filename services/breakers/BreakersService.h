#pragma once

#include "BreakerRecords.h"
#include "ConnectionSettings.h"
#include "RequestLane.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

class QTimer;

namespace pitwall {

class StoreWorker;

// The breakers area: the board, read every kRefreshMs (re-armed after each answer) on a
// worker of its own, and the selected tool's history with it (every kHistoryEveryMs, and at
// once when the selection changes or an action is taken). Overrides run on another worker.
class BreakersService : public QObject {
    Q_OBJECT
public:
    explicit BreakersService(QObject *parent = nullptr);
    ~BreakersService() override;

    void connectTo(const ConnectionSettings &settings);
    void refresh();
    void selectTool(const QString &tool); // empty: no history
    // forced: "open", "closed" or empty to clear. `seenState` is the state the person saw
    // (a breaker since changed is refused); `evidenceJson` what the page showed them.
    void override(const QString &tool, const QString &forced, std::optional<int64_t> untilMs,
                  const QString &seenState, const QString &reason, const QString &evidenceJson);

    static constexpr int kRefreshMs = 1000;
    static constexpr int64_t kHistoryEveryMs = 5000;
    static constexpr int kHistoryShown = 500;

Q_SIGNALS:
    void boardArrived(const pitwall::BreakerBoard &board);
    // `error` says why it could not be read (then `entries` is empty).
    void historyArrived(const QString &tool,
                        const std::vector<pitwall::BreakerHistoryEntry> &entries,
                        const QString &error);
    void actionProgress(const QString &text);
    void actionFinished(bool ok, const QString &text);

private:
    void readHistory();

    ConnectionSettings m_settings;
    RequestLane m_session;
    RequestLane m_boards;
    RequestLane m_histories;
    StoreWorker *m_reads = nullptr;
    StoreWorker *m_actions = nullptr;
    QTimer *m_timer = nullptr;
    QString m_tool;
    int64_t m_historyAtMs = 0;
};

} // namespace pitwall

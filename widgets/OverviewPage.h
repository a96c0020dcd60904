#pragma once

#include "ActivitySummary.h"
#include "StoreHealth.h"

#include <QDateTime>
#include <QWidget>

class QLabel;
class QTableView;

namespace pitwall {

// The first page: both stores in detail, and how many runs are in flight.
class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget *parent = nullptr);
    void showHealth(const StoreHealth &health);
    void showActivity(const ActivitySummary &activity);
    void showMessage(const QString &message);

private:
    QLabel *m_message = nullptr;
    QLabel *m_runs = nullptr;
    QLabel *m_spend = nullptr;
    QLabel *m_breakers = nullptr;
    class RecentActionsModel *m_actions = nullptr;
    QTableView *m_actionsView = nullptr;
    QLabel *m_liveRuns = nullptr;
    QLabel *m_pgState = nullptr, *m_pgServer = nullptr, *m_pgVersion = nullptr,
           *m_pgSchema = nullptr, *m_pgRole = nullptr, *m_pgRtt = nullptr;
    QLabel *m_redisState = nullptr, *m_redisServer = nullptr, *m_redisVersion = nullptr,
           *m_redisRtt = nullptr;
    QString m_activity[3];  // the lines of the last summary, as read
    QDateTime m_activityAt; // when it was read
    bool m_stale = false;   // a store is down: the lines are what they were then
    void showActivityLines();
};

} // namespace pitwall

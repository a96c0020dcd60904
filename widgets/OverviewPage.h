#pragma once

#include "ActivitySummary.h"
#include "BreakerRecords.h"
#include "StoreHealth.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QWidget>

class QBarSet;
class QChart;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QVBoxLayout;

namespace pitwall {

// The on-call home: is anything on fire? Live runs, failures in the last five minutes and
// runaways now; runs per minute by final status over the last hour; spend today against the
// global cap with the projection; canaries whose verdict says roll back; breakers not closed;
// actions still waiting in the outbox; each store in one line; the latest operator actions.
// Every item is a button that opens its page already filtered (the signals below); the stores'
// details are in the Connections dialog. Shows what it is given; it does no I/O.
class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget *parent = nullptr);
    void showHealth(const StoreHealth &health);
    void showActivity(const ActivitySummary &activity);
    void showMessage(const QString &message);
    // From the other areas, when the console has them.
    void showRunaways(int count);
    // The global scope's sentence and share of its cap (-1: no cap); `alert`: past its threshold.
    void showSpend(const QString &line, double percentUsed, bool alert);
    // Agents whose canary verdict says roll back, with the verdict's reason.
    void showCanaryRollbacks(const QList<QPair<QString, QString>> &agents);
    void showBreakers(const BreakerBoard &board);

    QPushButton *liveRunsButton() const { return m_liveRunsButton; }
    QPushButton *failedButton() const { return m_failed; }
    QPushButton *runawaysButton() const { return m_runaways; }
    QPushButton *spendButton() const { return m_spendButton; }
    QLabel *spendLine() const { return m_spendLine; }
    QPushButton *outboxButton() const { return m_outbox; }
    QList<QPushButton *> breakerButtons() const;
    QList<QPushButton *> canaryButtons() const;
    QChart *runsChart() const { return m_chart; }

Q_SIGNALS:
    void liveRunsWanted(const QString &filter);
    void runawaysWanted();
    void spendWanted();
    void canaryWanted(const QString &agent);
    void breakerWanted(const QString &tool);
    void pendingActionsWanted();
    void connectionsWanted();
    void auditWanted(const QString &kind, const QString &target);

private:
    void showActivityLines();
    void showRunsChart(const ActivitySummary &a);
    void fillButtons(QVBoxLayout *box, QList<QPushButton *> &buttons,
                     const QList<QPair<QString, QString>> &items, const QString &none,
                     void (OverviewPage::*wanted)(const QString &));

    QLabel *m_message = nullptr;
    QPushButton *m_liveRunsButton = nullptr;
    QPushButton *m_failed = nullptr;
    QPushButton *m_runaways = nullptr;
    QChart *m_chart = nullptr;
    QList<QBarSet *> m_sets;
    QLabel *m_runs = nullptr;
    QProgressBar *m_spendBar = nullptr;
    QPushButton *m_spendButton = nullptr;
    QLabel *m_spend = nullptr;
    QLabel *m_spendLine = nullptr; // the spend page's sentence for the global scope
    QVBoxLayout *m_canaryBox = nullptr;
    QList<QPushButton *> m_canaryButtons;
    QVBoxLayout *m_breakerBox = nullptr;
    QList<QPushButton *> m_breakerButtons;
    QLabel *m_breakers = nullptr;
    QPushButton *m_outbox = nullptr;
    QPushButton *m_postgres = nullptr;
    QPushButton *m_redis = nullptr;
    class RecentActionsModel *m_actions = nullptr;
    QTableView *m_actionsView = nullptr;
    bool m_boardShown = false; // the breakers page's board replaces the summary's list
    bool m_spendShown = false; // the spend page's figures replace the summary's line
    QString m_activity[3];     // the lines of the last summary, as read
    QDateTime m_activityAt;    // when it was read
    bool m_stale = false;      // a store is down: the lines are what they were then
};

} // namespace pitwall

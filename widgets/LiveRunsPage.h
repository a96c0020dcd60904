#pragma once

#include "RunDetails.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace pitwall {

class LiveRunsModel;
class RunDetailPanel;

// Every run in flight: a filter box, the table (runaways highlighted with their reason), the
// selected run's details beside it, and the kill actions: the selected runs (button, context
// menu, Delete) or every running run the filter shows (button, Shift+Delete, with the count
// typed to confirm). Shows; the session acts.
class LiveRunsPage : public QWidget {
    Q_OBJECT
public:
    explicit LiveRunsPage(LiveRunsModel *model, QWidget *parent = nullptr);

    // Whether the logged-in role may kill; when not, the buttons say why in their tooltips.
    void setKillAllowed(bool allowed, const QString &whyNot);
    void showStatus(const QString &text);
    void showDetails(const pitwall::RunDetails &details,
                     const std::optional<pitwall::SloTargets> &slo);
    QTableView *table() const { return m_table; }
    QLabel *header() const { return m_header; }
    QLineEdit *filter() const { return m_filter; }
    QPushButton *killButton() const { return m_kill; }
    QPushButton *killShownButton() const { return m_killShown; }
    RunDetailPanel *details() const { return m_details; }
    QLabel *statusLine() const { return m_status; }

Q_SIGNALS:
    void killRequested(const QStringList &runIds, const QString &reason);
    // The detail panel wants the run's state (on selection, then every two seconds).
    void detailsWanted(const QString &runId);
    // Enter or double-click on a run: open its trace.
    void traceWanted(const QString &runId);

private:
    void updateHeader();
    void askToKill();
    void askToKillShown();
    void selectionMoved();

    LiveRunsModel *m_model;
    QLabel *m_header = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_filter = nullptr;
    QTimer *m_filterDelay = nullptr;
    QTimer *m_detailsDelay = nullptr;
    QTimer *m_detailsRefresh = nullptr;
    QTableView *m_table = nullptr;
    RunDetailPanel *m_details = nullptr;
    QPushButton *m_kill = nullptr;
    QPushButton *m_killShown = nullptr;
    bool m_killAllowed = false;
};

} // namespace pitwall

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
class KillDialog;
class RunDetailPanel;

// Every run in flight: a filter box, the table (runaways highlighted with their reason), the
// selected run's details beside it, and the kill actions: the selected runs (button, context
// menu, Delete) or every running run the filter shows (button, Shift+Delete, with the count
// typed to confirm). Shows; the session acts. While the operator aims at a row the order holds
// still and a bar counts what waits ("12 new runs — show"); Pause holds it on purpose.
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
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *heldBar() const { return m_heldBar; }

Q_SIGNALS:
    void killRequested(const QStringList &runIds, const QString &reason);
    // The detail panel shows this run (empty: none, or the page is hidden): its state is wanted
    // now and then again while it stays shown.
    void detailsWanted(const QString &runId);
    // Enter or double-click on a run: open its trace.
    void traceWanted(const QString &runId);

protected:
    // Details are polled only while the page shows them.
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateHeader();
    void askToKill();
    void askToKillShown();
    void selectionMoved();
    // Holds the order still while the operator aims at a row (pointer over the table, a menu
    // or dialog open, rows selected, paused), and shows what waits in the bar.
    void updateHold();
    void updateHeldBar();
    bool eventFilter(QObject *watched, QEvent *event) override;
    // Runs the kill dialog, telling it at once when one of its runs ends meanwhile.
    bool runKillDialog(KillDialog &dialog, const QStringList &ids);

    LiveRunsModel *m_model;
    QLabel *m_header = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_filter = nullptr;
    QTimer *m_filterDelay = nullptr;
    QTimer *m_detailsDelay = nullptr;
    QTableView *m_table = nullptr;
    RunDetailPanel *m_details = nullptr;
    QPushButton *m_kill = nullptr;
    QPushButton *m_killShown = nullptr;
    bool m_killAllowed = false;
    QPushButton *m_pause = nullptr;
    QPushButton *m_heldBar = nullptr;
    bool m_pointerOver = false, m_menuOpen = false, m_dialogOpen = false;
    QTimer *m_aimIdle = nullptr; // a pointer still for this long is not aiming
};

} // namespace pitwall

#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace pitwall {

class LiveRunsModel;

// Every run in flight: a filter box, the table (runaways highlighted with their reason) and
// the kill action (button, context menu, Delete key). Shows; the session acts.
class LiveRunsPage : public QWidget {
    Q_OBJECT
public:
    explicit LiveRunsPage(LiveRunsModel *model, QWidget *parent = nullptr);

    // Whether the logged-in role may kill; when not, the button says why in its tooltip.
    void setKillAllowed(bool allowed, const QString &whyNot);
    void showStatus(const QString &text);
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void killRequested(const QStringList &runIds, const QString &reason);

private:
    void updateHeader();
    void askToKill();

    LiveRunsModel *m_model;
    QLabel *m_header = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_filter = nullptr;
    QTimer *m_filterDelay = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_kill = nullptr;
    bool m_killAllowed = false;
};

} // namespace pitwall

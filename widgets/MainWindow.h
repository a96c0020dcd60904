#pragma once

#include "ActivitySummary.h"
#include "StoreHealth.h"

#include "Alerts.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QSystemTrayIcon;
class QTabWidget;
class QTimer;

namespace pitwall {

class ConnectionsDialog;
class OverviewPage;
class StoreStatusIndicator;

// The console's frame: pages in tabs, each store's health and the live-run count in the
// status bar. Shows what it is given; it does no I/O.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    void showHealth(const pitwall::StoreHealth &health);
    void showActivity(const pitwall::ActivitySummary &activity);
    // A line for the top of the overview, e.g. "Starting a local sandbox…" or an error.
    void showMessage(const QString &message);
    int addPage(QWidget *page, const QString &title); // returns its index
    void showPage(int index);
    StoreStatusIndicator *postgresIndicator() const { return m_postgres; }
    StoreStatusIndicator *redisIndicator() const { return m_redis; }
    QLabel *liveRunsLabel() const { return m_liveRuns; }
    // A spend alert in the status bar while a scope is past its threshold; empty hides it.
    void showSpendAlert(const QString &text);
    QLabel *spendAlertLabel() const { return m_spendAlert; }
    OverviewPage *overview() const { return m_overview; }
    // Opens (or raises) the stores' details.
    void showConnections();
    ConnectionsDialog *connectionsDialog() const;
    // New incidents: the latest in the status bar for a few minutes, and, while the window is
    // not the active one, a desktop notification where the desktop has a tray. Kinds the
    // operator muted (Alerts menu, kept in the settings) are dropped.
    void raiseAlerts(const QList<pitwall::Incident> &incidents);
    bool alertsMuted(const QString &kind) const;
    void setAlertsMuted(const QString &kind, bool muted);
    QLabel *alertLabel() const { return m_alert; }
    int notificationsShown() const { return m_notifications; }

Q_SIGNALS:
    void connectRequested();

private:
    QTabWidget *m_pages = nullptr;
    OverviewPage *m_overview = nullptr;
    StoreStatusIndicator *m_postgres = nullptr;
    StoreStatusIndicator *m_redis = nullptr;
    QLabel *m_liveRuns = nullptr;
    QLabel *m_spendAlert = nullptr;
    QLabel *m_alert = nullptr;
    QTimer *m_alertClear = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QPointer<ConnectionsDialog> m_connections;
    StoreHealth m_health;
    int m_notifications = 0;
};

} // namespace pitwall

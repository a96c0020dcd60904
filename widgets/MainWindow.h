#pragma once

#include "ActivitySummary.h"
#include "StoreHealth.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace pitwall {

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

Q_SIGNALS:
    void connectRequested();

private:
    QTabWidget *m_pages = nullptr;
    OverviewPage *m_overview = nullptr;
    StoreStatusIndicator *m_postgres = nullptr;
    StoreStatusIndicator *m_redis = nullptr;
    QLabel *m_liveRuns = nullptr;
    QLabel *m_spendAlert = nullptr;
};

} // namespace pitwall

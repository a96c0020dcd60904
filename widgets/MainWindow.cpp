#include "MainWindow.h"

#include "ConnectionsDialog.h"
#include "OverviewPage.h"
#include "StoreStatusIndicator.h"
#include "StoreStatusText.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTimer>

namespace pitwall {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("Pitwall"));
    resize(1280, 800);

    m_pages = new QTabWidget(this);
    m_pages->setDocumentMode(true);
    m_overview = new OverviewPage(m_pages);
    m_pages->addTab(m_overview, tr("&Home"));
    connect(m_overview, &OverviewPage::connectionsWanted, this, &MainWindow::showConnections);
    setCentralWidget(m_pages);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction = file->addAction(tr("&Connect…"));
    connectAction->setShortcut(QKeySequence(tr("Ctrl+K")));
    connect(connectAction, &QAction::triggered, this, &MainWindow::connectRequested);
    QAction *connections = file->addAction(tr("Co&nnections…"));
    connections->setShortcut(QKeySequence(tr("Ctrl+Shift+K")));
    connect(connections, &QAction::triggered, this, &MainWindow::showConnections);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QMenu *alerts = menuBar()->addMenu(tr("&Alerts"));
    for (const QString &kind : AlertTracker::kinds()) {
        QAction *a = alerts->addAction(AlertTracker::kindName(kind));
        a->setCheckable(true);
        a->setChecked(!alertsMuted(kind));
        connect(a, &QAction::toggled, this, [this, kind](bool on) { setAlertsMuted(kind, !on); });
    }
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    connect(help->addAction(tr("&About Pitwall")), &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Pitwall"),
                           tr("Pitwall %1 — an operator console for AI agents in production.")
                               .arg(QApplication::applicationVersion()));
    });

    m_postgres = new StoreStatusIndicator(this);
    m_redis = new StoreStatusIndicator(this);
    m_liveRuns = new QLabel(this);
    m_liveRuns->setContentsMargins(6, 0, 6, 0);
    statusBar()->addWidget(m_postgres);
    statusBar()->addWidget(m_redis);
    m_spendAlert = new QLabel(this);
    m_spendAlert->setStyleSheet(QStringLiteral(
        "QLabel { background: #b00020; color: white; padding: 1px 6px; font-weight: bold; }"));
    m_spendAlert->hide();
    statusBar()->addPermanentWidget(m_spendAlert);
    m_alert = new QLabel(this);
    m_alert->setStyleSheet(QStringLiteral(
        "QLabel { background: #e65100; color: white; padding: 1px 6px; font-weight: bold; }"));
    m_alert->hide();
    statusBar()->addPermanentWidget(m_alert);
    m_alertClear = new QTimer(this);
    m_alertClear->setSingleShot(true);
    m_alertClear->setInterval(5 * 60'000);
    connect(m_alertClear, &QTimer::timeout, m_alert, &QLabel::hide);
    statusBar()->addPermanentWidget(m_liveRuns);
    showHealth(StoreHealth{});
}

void MainWindow::showHealth(const StoreHealth &health) {
    m_postgres->show(StoreStatus::postgres(health));
    m_redis->show(StoreStatus::redis(health));
    m_liveRuns->setText(StoreStatus::liveRuns(health));
    m_overview->showHealth(health);
    m_health = health;
    if (m_connections)
        m_connections->showHealth(health);
}

void MainWindow::showConnections() {
    if (!m_connections) {
        m_connections = new ConnectionsDialog(this);
        m_connections->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_connections, &ConnectionsDialog::connectRequested, this,
                &MainWindow::connectRequested);
        m_connections->showHealth(m_health);
    }
    m_connections->show();
    m_connections->raise();
    m_connections->activateWindow();
}

ConnectionsDialog *MainWindow::connectionsDialog() const {
    return m_connections.data();
}

bool MainWindow::alertsMuted(const QString &kind) const {
    return QSettings().value(QStringLiteral("alerts/muted/") + kind, false).toBool();
}

void MainWindow::setAlertsMuted(const QString &kind, bool muted) {
    QSettings().setValue(QStringLiteral("alerts/muted/") + kind, muted);
}

void MainWindow::raiseAlerts(const QList<Incident> &incidents) {
    QStringList lines;
    for (const Incident &i : incidents)
        if (!alertsMuted(i.kind))
            lines << i.text;
    if (lines.isEmpty())
        return;
    const QString at = QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm"));
    const QString shown =
        lines.size() == 1
            ? tr("%1 (%2 UTC)").arg(lines.first(), at)
            : tr("%1, and %n more (%2 UTC)", nullptr, int(lines.size() - 1)).arg(lines.first(), at);
    m_alert->setText(shown.left(160));
    m_alert->setToolTip(lines.join(QLatin1Char('\n')));
    m_alert->show();
    m_alertClear->start();
    if (isActiveWindow() || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning), this);
        m_tray->setToolTip(tr("Pitwall"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        m_tray->show();
    }
    m_tray->showMessage(tr("Pitwall: %n new incident(s)", nullptr, int(lines.size())),
                        lines.mid(0, 5).join(QLatin1Char('\n')), QSystemTrayIcon::Warning);
    ++m_notifications;
}

void MainWindow::showActivity(const ActivitySummary &activity) {
    m_overview->showActivity(activity);
}

void MainWindow::showSpendAlert(const QString &text) {
    m_spendAlert->setText(text);
    m_spendAlert->setToolTip(text);
    m_spendAlert->setVisible(!text.isEmpty());
}

int MainWindow::addPage(QWidget *page, const QString &title) {
    return m_pages->addTab(page, title);
}

void MainWindow::showPage(int index) {
    m_pages->setCurrentIndex(index);
}

void MainWindow::showMessage(const QString &message) {
    m_overview->showMessage(message);
}

} // namespace pitwall

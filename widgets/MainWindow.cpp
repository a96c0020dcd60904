#include "MainWindow.h"

#include "OverviewPage.h"
#include "StoreStatusIndicator.h"
#include "StoreStatusText.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

namespace pitwall {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("Pitwall"));
    resize(1280, 800);

    m_pages = new QTabWidget(this);
    m_pages->setDocumentMode(true);
    m_overview = new OverviewPage(m_pages);
    m_pages->addTab(m_overview, tr("&Overview"));
    setCentralWidget(m_pages);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction = file->addAction(tr("&Connect…"));
    connectAction->setShortcut(QKeySequence(tr("Ctrl+K")));
    connect(connectAction, &QAction::triggered, this, &MainWindow::connectRequested);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
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
    statusBar()->addPermanentWidget(m_liveRuns);
    showHealth(StoreHealth{});
}

void MainWindow::showHealth(const StoreHealth &health) {
    m_postgres->show(StoreStatus::postgres(health));
    m_redis->show(StoreStatus::redis(health));
    m_liveRuns->setText(StoreStatus::liveRuns(health));
    m_overview->showHealth(health);
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

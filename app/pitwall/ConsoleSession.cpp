#include "ConsoleSession.h"

#include "AuditService.h"
#include "AuditTrailPage.h"
#include "BreakerModel.h"
#include "BreakersPage.h"
#include "BreakersService.h"
#include "CanaryModel.h"
#include "CanaryPage.h"
#include "CanaryService.h"
#include "ConnectDialog.h"
#include "ConnectionStrings.h"
#include "Contract.h"
#include "HealthService.h"
#include "LiveRunsModel.h"
#include "LiveRunsPage.h"
#include "MainWindow.h"
#include "OverviewPage.h"
#include "RememberedConnection.h"
#include "RunsService.h"
#include "Sandbox.h"
#include "SandboxService.h"
#include "SpendMath.h"
#include "SpendModel.h"
#include "SpendPage.h"
#include "SpendService.h"
#include "StoreStatusText.h"
#include "TracePage.h"
#include "TracesService.h"

#include <QDateTime>
#include <QLineEdit>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>

namespace pitwall {

ConsoleSession::ConsoleSession(MainWindow *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_health(new HealthService(2000, this))
    , m_runs(new RunsService(this))
    , m_traces(new TracesService(this))
    , m_sandbox(new SandboxService(this))
    , m_canary(new CanaryService(this))
    , m_spend(new SpendService(this))
    , m_breakers(new BreakersService(this))
    , m_audit(new AuditService(this)) {
    connect(window, &MainWindow::connectRequested, this, &ConsoleSession::askForConnection);
    m_liveRuns = new LiveRunsModel(this);
    m_liveRuns->setAsync(true); // sorting a million rows must not freeze the window
    m_liveRunsPage = new LiveRunsPage(m_liveRuns, window);
    m_liveRunsPageIndex = window->addPage(m_liveRunsPage, tr("&Live runs"));
    m_tracePage = new TracePage(window);
    m_tracePageIndex = window->addPage(m_tracePage, tr("&Traces"));
    m_canaryAgents = new CanaryAgentsModel(this);
    m_canaryPage = new CanaryPage(m_canaryAgents, window);
    m_canaryPageIndex = window->addPage(m_canaryPage, tr("Ca&nary"));
    m_spendPage = new SpendPage(window);
    m_spendPageIndex = window->addPage(m_spendPage, tr("S&pend"));
    m_breakersPage = new BreakersPage(window);
    m_breakersPageIndex = window->addPage(m_breakersPage, tr("&Breakers"));
    m_auditPage = new AuditTrailPage(window);
    m_auditPageIndex = window->addPage(m_auditPage, tr("&Audit"));
    wireLiveRuns();
    wireAudit();
    wireBreakers();
    wireCanary();
    wireSpend();
    wireTraces();
    wireHealth();
    wireHome();
    connect(m_sandbox, &SandboxService::progress, window,
            [window](const QString &line) { window->showMessage(line + QStringLiteral("…")); });
    connect(m_sandbox, &SandboxService::failed, window, &MainWindow::showMessage);
    connect(m_sandbox, &SandboxService::started, this,
            [this](const ConnectionSettings &s, const QString &message) {
                m_window->showMessage(message);
                connectTo(s);
            });
}

ConsoleSession::~ConsoleSession() {
    shutdown();
}

void ConsoleSession::wireLiveRuns() {
    connect(m_liveRunsPage, &LiveRunsPage::killRequested, m_runs, &RunsService::kill);
    connect(m_liveRunsPage, &LiveRunsPage::detailsWanted, m_runs, &RunsService::watchDetails);
    connect(m_liveRunsPage, &LiveRunsPage::traceWanted, m_traces, &TracesService::openTraceOfRun);
    connect(m_runs, &RunsService::detailsArrived, m_liveRunsPage, &LiveRunsPage::showDetails);
    connect(m_runs, &RunsService::statusChanged, m_liveRunsPage, &LiveRunsPage::showStatus);
    connect(m_runs, &RunsService::updatesArrived, m_liveRuns,
            [this](const LiveRunUpdates &updates, bool snapshot) {
                m_liveRuns->apply(updates, QDateTime::currentMSecsSinceEpoch(), snapshot);
            });
    connect(m_runs, &RunsService::feedConnectionChanged, m_liveRuns,
            [this](bool connected, const QString &message) {
                // Until the fresh snapshot, the rows are what Redis held when it went away.
                m_liveRuns->setStale(!connected, QDateTime::currentMSecsSinceEpoch());
                m_liveRunsPage->showStatus(
                    connected ? QString()
                              : tr("Live feed interrupted, reconnecting: %1").arg(message));
            });
    connect(m_runs, &RunsService::sloTargetsArrived, m_liveRuns,
            [this](const std::vector<SloTargets> &targets) {
                for (const SloTargets &t : targets)
                    m_liveRuns->setLimits(
                        QString::fromStdString(t.agent),
                        RunawayLimits{t.maxSteps, t.maxCostPerRequestMicros, 30'000});
            });
    // Only what the database recorded is shown as a kill on the rows.
    connect(m_runs, &RunsService::killsRecorded, m_liveRuns,
            [this](const QStringList &applied, const QStringList &pending, qint64 recordedMs) {
                const qint64 deadline = recordedMs + kKillDeadline.count();
                m_liveRuns->markKillRequested(applied, recordedMs, deadline, true);
                m_liveRuns->markKillRequested(pending, recordedMs, deadline, false);
            });
    auto *clock = new QTimer(this); // ages, heartbeats and lingering ended runs move on
    connect(clock, &QTimer::timeout, m_liveRuns,
            [this] { m_liveRuns->tick(QDateTime::currentMSecsSinceEpoch()); });
    clock->start(1000);
}

void ConsoleSession::wireTraces() {
    connect(m_tracePage, &TracePage::traceWanted, m_traces, &TracesService::openTrace);
    connect(m_tracePage, &TracePage::runsWanted, m_traces, &TracesService::findRuns);
    connect(m_tracePage, &TracePage::spanWanted, m_traces, &TracesService::loadSpan);
    connect(m_traces, &TracesService::runsFound, m_tracePage, &TracePage::showRuns);
    connect(m_traces, &TracesService::runsFailed, m_tracePage, &TracePage::showError);
    connect(m_traces, &TracesService::traceLoading, m_tracePage,
            [this](const QString &traceId, const QString &title, qulonglong spans) {
                if (spans == 0)
                    m_window->showPage(m_tracePageIndex);
                m_tracePage->showLoading(traceId, title, spans);
            });
    connect(m_traces, &TracesService::traceLoaded, m_tracePage, &TracePage::showTrace);
    connect(m_traces, &TracesService::traceFailed, m_tracePage, &TracePage::showError);
    connect(m_traces, &TracesService::runTraceMissing, m_liveRunsPage, &LiveRunsPage::showStatus);
    connect(m_traces, &TracesService::spanLoaded, m_tracePage, &TracePage::showSpan);
}

void ConsoleSession::wireCanary() {
    connect(m_canary, &CanaryService::snapshotArrived, m_canaryPage, &CanaryPage::showSnapshot);
    connect(m_canary, &CanaryService::examplesArrived, m_canaryPage, &CanaryPage::showExamples);
    connect(m_canary, &CanaryService::actionProgress, m_canaryPage, &CanaryPage::showStatus);
    connect(m_canary, &CanaryService::actionFinished, m_canaryPage, &CanaryPage::actionFinished);
    connect(m_canaryPage, &CanaryPage::examplesWanted, m_canary, &CanaryService::loadExamples);
    connect(m_canaryPage, &CanaryPage::weightRequested, m_canary, &CanaryService::setWeight);
    connect(m_canaryPage, &CanaryPage::promoteRequested, m_canary, &CanaryService::promote);
    connect(m_canaryPage, &CanaryPage::rollbackRequested, m_canary, &CanaryService::rollBack);
    connect(m_canaryPage, &CanaryPage::policyRequested, m_canary, &CanaryService::setPolicy);
    connect(m_canaryPage, &CanaryPage::traceWanted, m_traces, &TracesService::openTrace);
}

void ConsoleSession::wireSpend() {
    connect(m_spend, &SpendService::snapshotArrived, m_spendPage, &SpendPage::showSnapshot);
    connect(m_spend, &SpendService::followersArrived, m_spendPage, &SpendPage::showFollowers);
    connect(m_spend, &SpendService::actionProgress, m_spendPage, &SpendPage::showStatus);
    connect(m_spend, &SpendService::actionFinished, m_spendPage, &SpendPage::actionFinished);
    connect(m_spendPage, &SpendPage::scopeSelected, m_spend, &SpendService::select);
    connect(m_spendPage, &SpendPage::usersQueryChanged, m_spend, &SpendService::setUsersQuery);
    connect(m_spendPage, &SpendPage::holdsWanted, m_spend, &SpendService::setHoldsWanted);
    connect(m_spendPage, &SpendPage::followersWanted, m_spend, &SpendService::loadFollowers);
    connect(m_spendPage, &SpendPage::capRequested, m_spend, &SpendService::setCap);
    connect(m_spendPage, &SpendPage::alertRequested, m_spend, &SpendService::setAlert);
    connect(m_spendPage, &SpendPage::rebuildRequested, m_spend, &SpendService::rebuild);
    connect(m_spendPage, &SpendPage::releaseRequested, m_spend, &SpendService::releaseHold);
    connect(m_spendPage, &SpendPage::alertChanged, m_window, &MainWindow::showSpendAlert);
    connect(m_spendPage, &SpendPage::userRunsWanted, this, [this](const QString &user) {
        m_window->showPage(m_tracePageIndex);
        m_tracePage->findRunsOfUser(user);
    });
}

void ConsoleSession::wireBreakers() {
    connect(m_breakers, &BreakersService::boardArrived, m_breakersPage,
            [this](const BreakerBoard &b) {
                m_breakersPage->showBoard(b);
                // The live runs at each tool, from the table this console already holds: a
                // pass over every row on the GUI thread, so only while the page is shown.
                if (m_breakersPage->isVisible())
                    m_breakersPage->showRunsAtTools(m_liveRuns->runningByLastStep());
            });
    connect(m_breakers, &BreakersService::historyArrived, m_breakersPage,
            &BreakersPage::showHistory);
    connect(m_breakers, &BreakersService::actionProgress, m_breakersPage,
            &BreakersPage::showStatus);
    connect(m_breakers, &BreakersService::actionFinished, m_breakersPage,
            &BreakersPage::actionFinished);
    connect(m_breakersPage, &BreakersPage::toolSelected, m_breakers, &BreakersService::selectTool);
    connect(m_breakersPage, &BreakersPage::overrideRequested, m_breakers,
            &BreakersService::override);
    connect(m_breakersPage, &BreakersPage::runsAtToolWanted, this, [this](const QString &tool) {
        m_window->showPage(m_liveRunsPageIndex);
        const QString name =
            tool.contains(QLatin1Char(' ')) ? QLatin1Char('"') + tool + QLatin1Char('"') : tool;
        m_liveRunsPage->filter()->setText(QStringLiteral("tool:%1 status:running").arg(name));
    });
}

void ConsoleSession::wireAudit() {
    connect(m_audit, &AuditService::pageArrived, m_auditPage, &AuditTrailPage::showPage);
    connect(m_audit, &AuditService::exportProgress, m_auditPage,
            &AuditTrailPage::showExportProgress);
    connect(m_audit, &AuditService::exportFinished, m_auditPage, &AuditTrailPage::exportFinished);
    connect(m_auditPage, &AuditTrailPage::filterChanged, m_audit, &AuditService::setFilter);
    connect(m_auditPage, &AuditTrailPage::olderWanted, m_audit, &AuditService::loadOlder);
    connect(m_auditPage, &AuditTrailPage::exportRequested, m_audit,
            [this](const QString &path, bool csv) {
                m_audit->exportTo(path, csv ? AuditService::Format::Csv
                                            : AuditService::Format::JsonLines);
            });
    connect(m_auditPage, &AuditTrailPage::exportCancelled, m_audit, &AuditService::cancelExport);
}

void ConsoleSession::showAudit(const AuditFilter &filter) {
    m_window->showPage(m_auditPageIndex);
    m_auditPage->setFilter(filter);
}

void ConsoleSession::wireHome() {
    OverviewPage *home = m_window->overview();
    connect(home, &OverviewPage::liveRunsWanted, this, [this](const QString &filter) {
        m_window->showPage(m_liveRunsPageIndex);
        m_liveRunsPage->filter()->setText(filter);
    });
    connect(home, &OverviewPage::runawaysWanted, this, [this] {
        m_window->showPage(m_liveRunsPageIndex);
        m_liveRunsPage->filter()->setText(QStringLiteral("status:running"));
        m_liveRunsPage->table()->sortByColumn(LiveRunsModel::Runaway, Qt::DescendingOrder);
    });
    connect(home, &OverviewPage::spendWanted, this, [this] {
        m_window->showPage(m_spendPageIndex);
        m_spendPage->selectScope(QStringLiteral("global"), QStringLiteral("*"));
    });
    connect(home, &OverviewPage::canaryWanted, this, [this](const QString &agent) {
        m_window->showPage(m_canaryPageIndex);
        if (!agent.isEmpty())
            m_canaryPage->selectAgent(agent);
    });
    connect(home, &OverviewPage::breakerWanted, this, [this](const QString &tool) {
        if (tool.isEmpty()) {
            m_window->showPage(m_breakersPageIndex);
            m_breakersPage->setFilterText(QString());
        } else {
            showBreaker(tool);
        }
    });
    connect(home, &OverviewPage::pendingActionsWanted, this, [this] {
        AuditFilter f;
        f.pendingOnly = true;
        showAudit(f);
    });
    connect(home, &OverviewPage::auditWanted, this,
            [this](const QString &kind, const QString &target) {
                AuditFilter f;
                f.kind = kind.toStdString();
                f.target = target.toStdString();
                showAudit(f);
            });

    // What the other areas read, on the home page and as alerts.
    connect(m_breakers, &BreakersService::boardArrived, this, [this, home](const BreakerBoard &b) {
        home->showBreakers(b);
        if (!b.error.empty())
            return;
        QList<Incident> open;
        for (const BreakerRow &r : b.rows)
            // Open and its trial calls (half-open) are one incident until it closes or an
            // operator forces it.
            if (r.state == "open" || r.state == "half_open")
                open.append(
                    {QStringLiteral("breaker"), QString::fromStdString(r.tool),
                     tr("Breaker of %1 opened: %2")
                         .arg(QString::fromStdString(r.tool), BreakerText::failureRate(r))});
        m_window->raiseAlerts(m_alerts.update(QStringLiteral("breaker"), open));
    });
    connect(m_spend, &SpendService::snapshotArrived, this, [this, home](const SpendSnapshot &s) {
        if (!s.error.empty())
            return;
        const SpendOutlook o = spendOutlook(s.global, s.atMs);
        home->showSpend(SpendText::summary(s.global, o, s.atMs),
                        s.global.dailyCapMicros < 0 ? -1.0 : o.percentUsed, o.alertCrossed);
        QList<Incident> crossed;
        for (const SpendFigures &f : s.alerts)
            crossed.append({QStringLiteral("spend"),
                            QString::fromStdString(f.scope + ":" + f.subject),
                            SpendText::alert(f, spendOutlook(f, s.atMs))});
        m_window->raiseAlerts(m_alerts.update(QStringLiteral("spend"), crossed));
    });
    connect(m_canary, &CanaryService::snapshotArrived, this, [this, home](const CanarySnapshot &s) {
        if (!s.error.empty())
            return;
        QList<QPair<QString, QString>> rollbacks;
        QList<Incident> incidents;
        for (int row = 0; row < m_canaryAgents->rowCount(); ++row) {
            const CanaryVerdict *v = m_canaryAgents->verdict(row);
            if (!v || v->decision != CanaryVerdict::Decision::RollBack)
                continue;
            const QString agent =
                QString::fromStdString(m_canaryAgents->agent(row)->comparison.agent);
            rollbacks.append({agent, v->reason});
            incidents.append({QStringLiteral("canary"), agent,
                              tr("Canary of %1 says roll back: %2").arg(agent, v->reason)});
        }
        home->showCanaryRollbacks(rollbacks);
        m_window->raiseAlerts(m_alerts.update(QStringLiteral("canary"), incidents));
    });
    auto *runaways = new QTimer(this);
    connect(runaways, &QTimer::timeout, this, [this, home] {
        home->showRunaways(m_liveRuns->runawayCount());
        QList<Incident> incidents;
        for (const auto &[run, why] : m_liveRuns->runaways(200))
            incidents.append(
                {QStringLiteral("runaway"), run, tr("Runaway run %1: %2").arg(run.left(8), why)});
        m_window->raiseAlerts(m_alerts.update(QStringLiteral("runaway"), incidents));
    });
    runaways->start(2000);
}

void ConsoleSession::showBreaker(const QString &tool) {
    m_window->showPage(m_breakersPageIndex);
    m_breakersPage->selectTool(tool);
}

void ConsoleSession::wireHealth() {
    connect(m_health, &HealthService::healthChanged, m_window, &MainWindow::showHealth);
    connect(m_health, &HealthService::activityChanged, m_window, &MainWindow::showActivity);
    connect(m_health, &HealthService::healthChanged, m_liveRunsPage, [this](const StoreHealth &h) {
        const KillPermission p = killPermission(h);
        m_liveRunsPage->setKillAllowed(p.allowed, p.whyNot);
        const KillPermission rollout = rolloutPermission(h);
        m_canaryPage->setRolloutAllowed(rollout.allowed, rollout.whyNot);
        const KillPermission policy = canaryPolicyPermission(h);
        m_canaryPage->setPolicyAllowed(policy.allowed, policy.whyNot);
        const KillPermission caps = capPermission(h);
        m_spendPage->setCapAllowed(caps.allowed, caps.whyNot);
        const KillPermission breakers = breakerPermission(h);
        m_breakersPage->setOverrideAllowed(breakers.allowed, breakers.whyNot);
    });
}

void ConsoleSession::openTrace(const QString &traceId, const QString &title) {
    if (m_traces)
        m_traces->openTrace(traceId, title);
}

void ConsoleSession::openTraceOfRun(const QString &runId) {
    if (m_traces)
        m_traces->openTraceOfRun(runId);
}

void ConsoleSession::connectTo(const ConnectionSettings &settings) {
    if (!m_health)
        return; // shut down
    m_settings = settings;
    if (!m_inSandbox) {
        const QString problem = RememberedConnection::remember(settings);
        if (!problem.isEmpty())
            m_window->statusBar()->showMessage(
                tr("%1 The password was not saved: it will be asked for again.").arg(problem),
                15000);
    }
    m_window->showHealth(StoreHealth{});
    m_liveRunsPage->setKillAllowed(false, tr("Not connected."));
    m_health->connectTo(settings);
    m_runs->connectTo(settings);
    m_traces->connectTo(settings);
    m_canary->connectTo(settings);
    m_spend->connectTo(settings);
    m_breakers->connectTo(settings);
    m_audit->connectTo(settings);
}

void ConsoleSession::askForConnection() {
    ConnectionSettings initial = m_settings;
    if (!initial.isComplete())
        initial = RememberedConnection::recall(m_settings);
    ConnectDialog dialog(initial, connectionGrammar(), m_window);
    dialog.exec();
    switch (dialog.choice()) {
    case ConnectDialog::Choice::Connect:
        m_inSandbox = false;
        connectTo(dialog.settings());
        break;
    case ConnectDialog::Choice::Sandbox:
        startSandbox(Sandbox::defaultDir(), true);
        break;
    case ConnectDialog::Choice::Cancel:
        if (!m_settings.isComplete())
            m_window->showMessage(tr("Not connected. Use File › Connect… (Ctrl+K) to choose the "
                                     "stores or start a local sandbox."));
        break;
    }
}

void ConsoleSession::startSandbox(const QString &dir, bool demo) {
    m_inSandbox = true;
    m_window->showMessage(tr("Starting a local sandbox in %1…").arg(dir));
    m_sandbox->start(dir, demo);
}

void ConsoleSession::shutdown() {
    // The services end their threads and close their connections before the sandbox's servers
    // stop under them.
    delete std::exchange(m_health, nullptr);
    delete std::exchange(m_runs, nullptr);
    delete std::exchange(m_traces, nullptr);
    delete std::exchange(m_canary, nullptr);
    delete std::exchange(m_spend, nullptr);
    delete std::exchange(m_breakers, nullptr);
    delete std::exchange(m_audit, nullptr);
    if (m_sandbox)
        m_sandbox->shutdown(); // the fleet first, then the servers the console started
}

} // namespace pitwall

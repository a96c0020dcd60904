#pragma once

#include "Alerts.h"
#include "AuditRecords.h"
#include "ConnectionSettings.h"

#include <QObject>

namespace pitwall {

class AuditService;
class AuditTrailPage;
class BreakersPage;
class BreakersService;
class CanaryAgentsModel;
class CanaryPage;
class CanaryService;
class HealthService;
class LiveRunsModel;
class LiveRunsPage;
class MainWindow;
class RunsService;
class SandboxService;
class SpendPage;
class SpendService;
class TracePage;
class TracesService;

// The console's composition root: creates the services, models and pages, connects their
// signals, and owns what the console started itself (a sandbox, a demo fleet). No I/O here:
// each area's service does its own on its own threads.
class ConsoleSession : public QObject {
    Q_OBJECT
public:
    explicit ConsoleSession(MainWindow *window, QObject *parent = nullptr);
    ~ConsoleSession() override;

    void connectTo(const ConnectionSettings &settings);
    // Starts (or reuses) the local sandbox, then connects; with `demo` also runs a simulated
    // fleet against it.
    void startSandbox(const QString &dir, bool demo);
    void askForConnection();
    void shutdown();
    LiveRunsPage *liveRunsPage() const { return m_liveRunsPage; }
    LiveRunsModel *liveRuns() const { return m_liveRuns; }
    TracePage *tracePage() const { return m_tracePage; }
    CanaryPage *canaryPage() const { return m_canaryPage; }
    SpendPage *spendPage() const { return m_spendPage; }
    BreakersPage *breakersPage() const { return m_breakersPage; }
    // Opens the breakers page on the tool.
    void showBreaker(const QString &tool);
    AuditTrailPage *auditPage() const { return m_auditPage; }
    // Opens the audit page with these filters.
    void showAudit(const pitwall::AuditFilter &filter);
    void openTrace(const QString &traceId, const QString &title);
    void openTraceOfRun(const QString &runId);

private:
    void wireLiveRuns();
    void wireTraces();
    void wireHealth();
    void wireCanary();
    void wireSpend();
    void wireBreakers();
    void wireAudit();
    void wireHome();

    MainWindow *m_window;
    HealthService *m_health = nullptr;
    RunsService *m_runs = nullptr;
    TracesService *m_traces = nullptr;
    SandboxService *m_sandbox = nullptr;
    CanaryService *m_canary = nullptr;
    SpendService *m_spend = nullptr;
    BreakersService *m_breakers = nullptr;
    AuditService *m_audit = nullptr;
    LiveRunsModel *m_liveRuns = nullptr;
    LiveRunsPage *m_liveRunsPage = nullptr;
    TracePage *m_tracePage = nullptr;
    CanaryAgentsModel *m_canaryAgents = nullptr;
    CanaryPage *m_canaryPage = nullptr;
    SpendPage *m_spendPage = nullptr;
    BreakersPage *m_breakersPage = nullptr;
    AuditTrailPage *m_auditPage = nullptr;
    int m_tracePageIndex = 0;
    int m_liveRunsPageIndex = 0;
    int m_breakersPageIndex = 0;
    int m_auditPageIndex = 0;
    int m_spendPageIndex = 0;
    int m_canaryPageIndex = 0;
    AlertTracker m_alerts;
    ConnectionSettings m_settings;
    bool m_inSandbox = false; // a sandbox's connection is not remembered
};

} // namespace pitwall

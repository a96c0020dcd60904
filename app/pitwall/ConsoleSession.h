#pragma once

#include "ConnectionSettings.h"
#include "RunDetails.h"
#include "StoreHealth.h"

#include <QFuture>
#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <vector>

namespace pitwall {

class Fleet;
class LiveFeed;
class LiveRunsModel;
class LiveRunsPage;
class MainWindow;
class StoreHealthProbe;
class TracePage;

// The console's composition root: wires the stores' services to the window, and owns what the
// console started itself (a sandbox, a demo fleet) so that it can stop them on exit.
class ConsoleSession : public QObject {
    Q_OBJECT
public:
    explicit ConsoleSession(MainWindow *window, QObject *parent = nullptr);
    ~ConsoleSession() override;

    void connectTo(const ConnectionSettings &settings);
    // Starts (or reuses) the local sandbox off the GUI thread, then connects; with `demo`
    // also runs a simulated fleet against it.
    void startSandbox(const QString &dir, bool demo);
    void askForConnection();
    void rememberConnection(const ConnectionSettings &settings);
    ConnectionSettings rememberedConnection() const;
    void shutdown();
    LiveRunsPage *liveRunsPage() const { return m_liveRunsPage; }
    LiveRunsModel *liveRuns() const { return m_liveRuns; }
    TracePage *tracePage() const { return m_tracePage; }
    // Loads a trace off the GUI thread and shows it on the traces page.
    void openTrace(const QString &traceId, const QString &title);
    void openTraceOfRun(const QString &runId);

private:
    void stopProbe(bool wait);
    void stopFeed(bool wait);
    void startFeed();
    void kill(const QStringList &runIds, const QString &reason);
    void startFleet(const QString &agentConninfo, const QString &redis);
    void loadSloTargets();
    void fetchDetails(const QString &runId);

    MainWindow *m_window;
    QThread *m_probeThread = nullptr; // owned by this; deletes itself once finished
    StoreHealthProbe *m_probe = nullptr;
    LiveRunsModel *m_liveRuns = nullptr;
    LiveRunsPage *m_liveRunsPage = nullptr;
    QThread *m_feedThread = nullptr;
    LiveFeed *m_feed = nullptr;
    ConnectionSettings m_settings;
    QString m_sandboxDir;
    std::atomic<bool> m_ownsSandbox{false};
    QFuture<void> m_sandboxStart;
    std::unique_ptr<Fleet> m_fleet;
    std::thread m_fleetThread;
    std::atomic<bool> m_stopFleet{false};
    std::map<std::string, SloTargets> m_slo; // by agent
    TracePage *m_tracePage = nullptr;
    int m_tracePageIndex = 0;
    // Asked for before a connection was chosen (a sandbox still starting): done on connecting.
    std::vector<std::function<void()>> m_whenConnected;
    // A newer open supersedes a load in flight (which then stops: the loading threads read it).
    std::shared_ptr<std::atomic<quint64>> m_traceGeneration =
        std::make_shared<std::atomic<quint64>>(0);
};

} // namespace pitwall

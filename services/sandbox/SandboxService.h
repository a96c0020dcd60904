#pragma once

#include "ConnectionSettings.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace pitwall {

class StoreWorker;

// The console's own local stores and demo fleet: starts (or reuses) a sandbox off the GUI
// thread, runs a simulated fleet against it on request, and at shutdown stops the fleet and the
// servers it started itself (not ones that were already running).
class SandboxService : public QObject {
    Q_OBJECT
public:
    explicit SandboxService(QObject *parent = nullptr);
    ~SandboxService() override; // calls shutdown()

    // `demo`: a simulated fleet runs against the sandbox once it is up.
    void start(const QString &dir, bool demo);
    void shutdown();

Q_SIGNALS:
    void progress(const QString &line);
    // The console's connection to the sandbox, and one sentence on what runs there.
    void started(const pitwall::ConnectionSettings &settings, const QString &message);
    void failed(const QString &message);

private:
    // Once per console: a simulated fleet against the sandbox, until shutdown.
    void startFleet(const QString &agentConninfo, const QString &redis);

    StoreWorker *m_sandbox = nullptr;
    StoreWorker *m_fleet = nullptr;
    QString m_dir;
    std::shared_ptr<std::atomic<bool>> m_ownsSandbox = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> m_stopFleet = std::make_shared<std::atomic<bool>>(false);
    bool m_fleetStarted = false;
};

} // namespace pitwall

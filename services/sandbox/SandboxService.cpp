#include "SandboxService.h"

#include "Fleet.h"
#include "Sandbox.h"
#include "StoreWorker.h"

#include <QPointer>

namespace pitwall {

SandboxService::SandboxService(QObject *parent)
    : QObject(parent)
    , m_sandbox(new StoreWorker(QStringLiteral("sandbox"), this))
    , m_fleet(new StoreWorker(QStringLiteral("demo-fleet"), this)) {}

SandboxService::~SandboxService() {
    shutdown();
}

namespace {

// Runs `f` on the service's thread later, if the service is still there: what a worker says.
auto tellerOf(SandboxService *service) {
    return [self = QPointer<SandboxService>(service)](auto f) {
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, f] {
                    if (self)
                        f(*self);
                },
                Qt::QueuedConnection);
    };
}

} // namespace

void SandboxService::start(const QString &dir, bool demo) {
    m_dir = dir;
    // The worker records ownership itself: a console closed while the servers start must still
    // stop them (shutdown() waits for the worker).
    m_sandbox->post([dir, demo, tell = tellerOf(this), owns = m_ownsSandbox](StoreConnections &) {
        try {
            Sandbox box(dir);
            const bool wasRunning = box.isRunning();
            const SandboxInfo info = box.up([tell](const QString &line) {
                tell([line](SandboxService &s) { Q_EMIT s.progress(line); });
            });
            if (!wasRunning)
                *owns = true;
            tell([info, demo](SandboxService &s) {
                ConnectionSettings settings;
                settings.postgres = info.console;
                settings.redis = info.redis;
                Q_EMIT s.started(
                    settings, demo ? tr("Local sandbox in %1 with a simulated fleet.").arg(info.dir)
                                   : tr("Local sandbox in %1.").arg(info.dir));
                if (demo)
                    s.startFleet(info.agent, info.redis);
            });
        } catch (const std::exception &e) {
            const QString error = QString::fromStdString(e.what());
            tell([error](SandboxService &s) {
                Q_EMIT s.failed(tr("The sandbox could not start: %1").arg(error));
            });
        }
    });
}

void SandboxService::startFleet(const QString &agentConninfo, const QString &redis) {
    if (m_fleetStarted || !m_fleet)
        return;
    m_fleetStarted = true;
    FleetOptions o;
    o.guard.pg = agentConninfo.toStdString();
    o.guard.redis = RedisEndpoint::parse(redis.toStdString());
    o.rate = 6;
    m_fleet->post([o, stop = m_stopFleet, tell = tellerOf(this)](StoreConnections &) {
        try {
            Fleet fleet(o);
            fleet.seed();
            fleet.run(*stop);
        } catch (const std::exception &e) {
            const QString error = QString::fromStdString(e.what());
            tell([error](SandboxService &s) {
                Q_EMIT s.failed(tr("The demo fleet stopped: %1").arg(error));
            });
        }
    });
}

void SandboxService::shutdown() {
    *m_stopFleet = true;
    delete std::exchange(m_fleet, nullptr);   // waits for the fleet's runs to stop
    delete std::exchange(m_sandbox, nullptr); // waits for a start in progress
    if (m_ownsSandbox->exchange(false)) {
        try {
            Sandbox(m_dir).down();
        } catch (const std::exception &) {
            // Exiting anyway; `pitwallctl sandbox down` can finish the job.
        }
    }
}

} // namespace pitwall

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

void SandboxService::start(const QString &dir, bool demo) {
    m_dir = dir;
    QPointer<SandboxService> self(this);
    auto tell = [self](auto f) {
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, f] {
                    if (self)
                        f(*self);
                },
                Qt::QueuedConnection);
    };
    // The worker records ownership itself: a console closed while the servers start must still
    // stop them (shutdown() waits for the worker).
    m_sandbox->post([dir, demo, tell, owns = m_ownsSandbox](StoreConnections &) {
        try {
            Sandbox box(dir);
            const bool wasRunning = box.isRunning();
            const SandboxInfo info = box.up([tell](const QString &line) {
                tell([line](SandboxService &s) { Q_EMIT s.progress(line); });
            });
            if (!wasRunning)
                *owns = true;
            ConnectionSettings settings;
            settings.postgres = info.console;
            settings.redis = info.redis;
            const QString agent = info.agent, redis = info.redis;
            tell([=](SandboxService &s) {
                Q_EMIT s.started(settings, demo ? tr("Local sandbox in %1 with a simulated "
                                                     "fleet.")
                                                      .arg(info.dir)
                                                : tr("Local sandbox in %1.").arg(info.dir));
                if (!demo || s.m_fleetStarted || !s.m_fleet)
                    return;
                s.m_fleetStarted = true;
                FleetOptions o;
                o.guard.pg = agent.toStdString();
                o.guard.redis = RedisEndpoint::parse(redis.toStdString());
                o.rate = 6;
                s.m_fleet->post([o, stop = s.m_stopFleet, tell](StoreConnections &) {
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
            });
        } catch (const std::exception &e) {
            const QString error = QString::fromStdString(e.what());
            tell([error](SandboxService &s) {
                Q_EMIT s.failed(tr("The sandbox could not start: %1").arg(error));
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

#include "HealthService.h"

#include "StoreHealthProbe.h"

#include <QThread>

namespace pitwall {

HealthService::HealthService(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs) {}

HealthService::~HealthService() {
    m_session.supersede();
    stopProbe();
    for (QThread *thread : findChildren<QThread *>(Qt::FindDirectChildrenOnly)) {
        thread->quit();
        thread->wait();
    }
}

void HealthService::stopProbe() {
    // The old probe may be inside a connect timeout: it finishes on its own thread, which then
    // deletes it and itself; its last words are dropped by the session check.
    if (QThread *thread = std::exchange(m_thread, nullptr))
        thread->quit();
}

void HealthService::connectTo(const ConnectionSettings &settings) {
    stopProbe();
    const RequestLane::Ticket session = m_session.next();
    auto *probe = new StoreHealthProbe(settings, m_intervalMs);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("store-health"));
    probe->moveToThread(m_thread);
    connect(m_thread, &QThread::started, probe, &StoreHealthProbe::start);
    connect(m_thread, &QThread::finished, probe, &QObject::deleteLater);
    connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    connect(probe, &StoreHealthProbe::healthChanged, this, [this, session](const StoreHealth &h) {
        if (session.stillWanted())
            Q_EMIT healthChanged(h);
    });
    connect(probe, &StoreHealthProbe::activityChanged, this,
            [this, session](const ActivitySummary &a) {
                if (session.stillWanted())
                    Q_EMIT activityChanged(a);
            });
    m_thread->start();
}

} // namespace pitwall

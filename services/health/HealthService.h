#pragma once

#include "ActivitySummary.h"
#include "ConnectionSettings.h"
#include "RequestLane.h"
#include "StoreHealth.h"

#include <QObject>

class QThread;

namespace pitwall {

class StoreHealthProbe;

// The stores' health and the fleet's activity, looked at every `intervalMs` by a
// StoreHealthProbe on a thread of its own (its next look is armed after the last one ended).
// A new connection replaces the probe; what the old one still says (it may be inside a connect
// timeout) is dropped here.
class HealthService : public QObject {
    Q_OBJECT
public:
    explicit HealthService(int intervalMs = 2000, QObject *parent = nullptr);
    ~HealthService() override;

    void connectTo(const ConnectionSettings &settings);

Q_SIGNALS:
    void healthChanged(const pitwall::StoreHealth &health);
    void activityChanged(const pitwall::ActivitySummary &activity);

private:
    void stopProbe();

    int m_intervalMs;
    RequestLane m_session;
    QThread *m_thread = nullptr;
};

} // namespace pitwall

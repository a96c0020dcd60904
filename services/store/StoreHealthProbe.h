#pragma once

#include "ActivitySummary.h"
#include "ConnectionSettings.h"
#include "PgConnect.h"
#include "StoreHealth.h"

#include <QDateTime>
#include <QObject>

#include <memory>

class QTimer;

namespace pqxx {
class connection_base;
}

namespace pitwall {

class ActionsService;
class RedisConnection;

// Looks at both stores every couple of seconds from its own thread (move it to a QThread and
// invoke start()), publishes StoreHealth, and, while both are up, applies actions that are
// not yet mirrored to Redis. Re-arms its timer only after a look has finished, so slow servers
// never pile up requests.
class StoreHealthProbe : public QObject {
    Q_OBJECT
public:
    explicit StoreHealthProbe(ConnectionSettings settings, int intervalMs = 2000,
                              QObject *parent = nullptr);
    ~StoreHealthProbe() override;

public Q_SLOTS:
    void start();
    void probeNow();
    void stop();

Q_SIGNALS:
    void healthChanged(const pitwall::StoreHealth &health);
    // Only while both stores are up.
    void activityChanged(const pitwall::ActivitySummary &activity);

private:
    void probePostgres(StoreHealth &h);
    void probeRedis(StoreHealth &h);
    void drain(StoreHealth &h);
    ActivitySummary readActivity();

    ConnectionSettings m_settings;
    int m_intervalMs;
    QTimer *m_timer = nullptr;
    PgConnection m_pg;
    std::unique_ptr<RedisConnection> m_redis;
    std::unique_ptr<ActionsService> m_actions;
    bool m_mirrorsSynced = false;
    std::string m_redisRunId;     // INFO server's run_id: it changes when Redis restarts
    QDateTime m_redisRestartedAt; // when a restart was noticed (invalid: none)
    QString m_mirrorNote;
};

} // namespace pitwall

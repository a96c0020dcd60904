#pragma once

#include "ActivitySummary.h"
#include "ConnectionSettings.h"
#include "MirrorKeeper.h"
#include "PgConnect.h"
#include "StoreHealth.h"

#include <QDateTime>
#include <QObject>

#include <map>
#include <memory>

class QTimer;

namespace pqxx {
class connection_base;
}

namespace pitwall {

class RedisConnection;

// Looks at both stores every couple of seconds from its own thread (move it to a QThread and
// invoke start()) and publishes StoreHealth and the fleet's activity; while both are up, its
// MirrorKeeper keeps Redis's mirrors true to PostgreSQL. Re-arms its timer only after a look has
// finished, so slow servers never pile up requests.
class StoreHealthProbe : public QObject {
    Q_OBJECT
public:
    explicit StoreHealthProbe(ConnectionSettings settings, int intervalMs = 2000,
                              QObject *parent = nullptr);
    ~StoreHealthProbe() override;

    // The sentence on a schema this console cannot use; empty when `version` is `latest`.
    static QString schemaProblem(int version, int latest, const QString &server);

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
    ActivitySummary readActivity();

    ConnectionSettings m_settings;
    int m_intervalMs;
    QTimer *m_timer = nullptr;
    PgConnection m_pg;
    std::unique_ptr<RedisConnection> m_redis;
    MirrorKeeper m_mirrors;
    // Runs ended per minute and status, kept between reads: each read takes the last
    // kRereadMinutes again, the first the whole hour.
    std::map<qint64, QMap<QString, qint64>> m_minutes;
    static constexpr int kRereadMinutes = 3;
    qint64 m_lastMinuteRead = 0; // the minute of the last read that succeeded; 0 before it
    std::string m_redisRunId;    // INFO server's run_id: it changes when Redis restarts
};

} // namespace pitwall

#include "StoreHealthProbe.h"

#include "ActionsService.h"
#include "Migrator.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "StoreError.h"

#include <QElapsedTimer>
#include <QTimer>

#include <pqxx/pqxx>

namespace pitwall {
namespace {

QString q(const std::string &s) {
    return QString::fromStdString(s);
}

double elapsedMs(const QElapsedTimer &t) {
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

} // namespace

StoreHealthProbe::StoreHealthProbe(ConnectionSettings settings, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_intervalMs(intervalMs) {
    qRegisterMetaType<pitwall::StoreHealth>();
}

StoreHealthProbe::~StoreHealthProbe() = default;

void StoreHealthProbe::start() {
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &StoreHealthProbe::probeNow);
    }
    probeNow();
}

void StoreHealthProbe::stop() {
    if (m_timer)
        m_timer->stop();
}

void StoreHealthProbe::probeNow() {
    StoreHealth h;
    probePostgres(h);
    probeRedis(h);
    if (h.postgres == StoreHealth::State::Healthy && h.redis == StoreHealth::State::Healthy &&
        h.schemaVersion > 0)
        drain(h);
    else
        m_mirrorsSynced = false; // re-sync every mirror once both are back
    Q_EMIT healthChanged(h);
    if (m_timer)
        m_timer->start(m_intervalMs);
}

void StoreHealthProbe::probePostgres(StoreHealth &h) {
    const std::string conninfo = m_settings.postgres.toStdString();
    h.postgresServer = q(describePostgres(conninfo));
    try {
        if (!m_pg || !m_pg->is_open())
            m_pg = connectPostgres(conninfo, 3);
        QElapsedTimer timer;
        timer.start();
        {
            pqxx::nontransaction tx(*m_pg);
            tx.exec("SELECT 1");
        }
        h.postgresRttMs = elapsedMs(timer);
        pqxx::read_transaction tx(*m_pg);
        const auto row = tx.exec1(
            "SELECT current_setting('server_version'), session_user,"
            " coalesce((SELECT string_agg(replace(r.rolname, 'pitwall_', ''), ', ' ORDER BY"
            "   r.rolname) FROM pg_roles r WHERE r.rolname IN ('pitwall_viewer',"
            "   'pitwall_operator', 'pitwall_budget_owner', 'pitwall_agent')"
            "   AND pg_has_role(session_user, r.oid, 'MEMBER')), 'no pitwall role')");
        h.postgresVersion = q(row[0].as<std::string>()).section(QLatin1Char(' '), 0, 0);
        h.role = q(row[1].as<std::string>()) + QStringLiteral(" (") + q(row[2].as<std::string>()) +
                 QLatin1Char(')');
        tx.commit();
        h.schemaVersion = Migrator::currentVersion(*m_pg);
        h.postgres = StoreHealth::State::Healthy;
        if (h.schemaVersion <= 0)
            h.postgresError = tr("%1 has no Pitwall schema: run `pitwallctl migrate` against it.")
                                  .arg(h.postgresServer);
        else if (h.schemaVersion > Migrator::latestVersion())
            h.postgresError = tr("The schema (version %1) is newer than this console (%2): "
                                 "upgrade Pitwall.")
                                  .arg(h.schemaVersion)
                                  .arg(Migrator::latestVersion());
    } catch (const StoreError &e) {
        m_pg.reset();
        h.postgres = StoreHealth::State::Down;
        h.postgresError = q(e.what());
    } catch (const std::exception &e) {
        m_pg.reset();
        h.postgres = StoreHealth::State::Down;
        h.postgresError = q(explainPostgresError(conninfo, e));
    }
}

void StoreHealthProbe::probeRedis(StoreHealth &h) {
    try {
        const RedisEndpoint endpoint = RedisEndpoint::parse(m_settings.redis.toStdString());
        h.redisServer = q(endpoint.display());
        if (!m_redis)
            m_redis = std::make_unique<RedisConnection>(endpoint, std::chrono::milliseconds(1500));
        QElapsedTimer timer;
        timer.start();
        m_redis->command({"PING"});
        h.redisRttMs = elapsedMs(timer);
        const auto replies = m_redis->pipeline(
            {{"INFO", "server"}, {"ZCARD", m_settings.keyPrefix.toStdString() + "live"}});
        const std::string info = replies[0].str;
        const auto pos = info.find("redis_version:");
        if (pos != std::string::npos)
            h.redisVersion = q(info.substr(pos + 14, info.find('\r', pos) - pos - 14));
        h.liveRuns = replies[1].toInt(-1);
        h.redis = StoreHealth::State::Healthy;
    } catch (const std::exception &e) {
        m_redis.reset();
        h.redis = StoreHealth::State::Down;
        h.redisError = q(e.what());
    }
}

void StoreHealthProbe::drain(StoreHealth &h) {
    try {
        if (!m_actions)
            m_actions = std::make_unique<ActionsService>(
                m_settings.postgres.toStdString(),
                RedisEndpoint::parse(m_settings.redis.toStdString()),
                m_settings.keyPrefix.toStdString());
        if (!m_mirrorsSynced) {
            m_actions->syncAllMirrors();
            m_mirrorsSynced = true;
        }
        h.pendingMirrors = m_actions->drainPendingMirrors();
    } catch (const std::exception &) {
        // A viewer without rights, or a store that just went away: the next look retries.
        m_actions.reset();
    }
}

} // namespace pitwall

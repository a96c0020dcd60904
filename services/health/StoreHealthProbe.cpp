#include "StoreHealthProbe.h"

#include "BreakerReader.h"

#include "Clock.h"
#include "Contract.h"
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
    , m_settings(settings)
    , m_intervalMs(intervalMs)
    , m_mirrors(std::move(settings)) {
    qRegisterMetaType<pitwall::StoreHealth>();
    qRegisterMetaType<pitwall::ActivitySummary>();
}

StoreHealthProbe::~StoreHealthProbe() = default;

QString StoreHealthProbe::schemaProblem(int version, int latest, const QString &server) {
    if (version <= 0)
        return tr("%1 has no Pitwall schema: run `pitwallctl migrate` against it.").arg(server);
    if (version < latest)
        return tr("The schema (version %1) is older than this console (%2): run `pitwallctl "
                  "migrate` against it.")
            .arg(version)
            .arg(latest);
    if (version > latest)
        return tr("The schema (version %1) is newer than this console (%2): upgrade Pitwall.")
            .arg(version)
            .arg(latest);
    return {};
}

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
        m_mirrors.keep(h);
    else
        m_mirrors.storesLost(); // re-sync every mirror once both are back
    Q_EMIT healthChanged(h);
    if (h.postgres == StoreHealth::State::Healthy && h.redis == StoreHealth::State::Healthy &&
        h.schemaVersion > 0) {
        try {
            Q_EMIT activityChanged(readActivity());
        } catch (const std::exception &) {
            // A store went away in between: the next look reports it.
        }
    }
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
        h.roles = q(row[2].as<std::string>()).split(QStringLiteral(", "));
        h.role = q(row[1].as<std::string>()) + QStringLiteral(" (") + q(row[2].as<std::string>()) +
                 QLatin1Char(')');
        tx.commit();
        h.schemaVersion = Migrator::currentVersion(*m_pg);
        h.postgres = StoreHealth::State::Healthy;
        h.postgresError =
            schemaProblem(h.schemaVersion, Migrator::latestVersion(), h.postgresServer);
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
            {{"INFO", "server"}, {"ZCARD", RedisKeys(m_settings.keyPrefix.toStdString()).live()}});
        const std::string info = replies[0].str;
        const auto pos = info.find("redis_version:");
        if (pos != std::string::npos)
            h.redisVersion = q(info.substr(pos + 14, info.find('\r', pos) - pos - 14));
        // A restarted Redis has a new run_id and may have lost every mirror (no persistence),
        // even when it came back between two looks: then every mirror is written again.
        if (const auto id = info.find("run_id:"); id != std::string::npos) {
            const std::string runId = info.substr(id + 7, info.find('\r', id) - id - 7);
            if (!m_redisRunId.empty() && runId != m_redisRunId)
                m_mirrors.redisRestarted(QDateTime::currentDateTime());
            m_redisRunId = runId;
        }
        h.liveRuns = replies[1].toInt(-1);
        h.redis = StoreHealth::State::Healthy;
    } catch (const std::exception &e) {
        m_redis.reset();
        h.redis = StoreHealth::State::Down;
        h.redisError = q(e.what());
    }
}

} // namespace pitwall

namespace pitwall {

ActivitySummary StoreHealthProbe::readActivity() {
    ActivitySummary a;
    {
        pqxx::read_transaction tx(*m_pg);
        for (const auto &r : tx.exec("SELECT status, count(*) FROM pitwall.runs"
                                     " WHERE started_at > now() - interval '15 minutes'"
                                     " GROUP BY status"))
            a.runsByStatus.insert(q(r[0].as<std::string>()), r[1].as<qint64>());
        // Runs per minute and final status over the last hour (runs_ended_idx); the minutes
        // before the last few are kept from the reads before. From a few minutes before the
        // last read that succeeded: a probe that could not read for a while (a store away, the
        // laptop asleep) reads the gap too.
        const qint64 nowMinute = nowMs() / 60'000 * 60'000;
        const qint64 hourStart = nowMinute - 59 * 60'000;
        const qint64 from =
            m_lastMinuteRead == 0
                ? hourStart
                : std::max(hourStart, m_lastMinuteRead - (kRereadMinutes - 1) * 60'000);
        for (auto it = m_minutes.begin(); it != m_minutes.end();)
            it = it->first >= from || it->first < hourStart ? m_minutes.erase(it) : std::next(it);
        for (const auto &r : tx.exec_params(
                 "SELECT (extract(epoch FROM date_trunc('minute', ended_at)) * 1000)::bigint,"
                 " status, count(*) FROM pitwall.runs"
                 " WHERE ended_at >= timestamptz 'epoch' + $1::bigint * interval '1 millisecond'"
                 " AND status <> 'running' GROUP BY 1, 2",
                 from))
            m_minutes[r[0].as<qint64>()][q(r[1].as<std::string>())] = r[2].as<qint64>();
        m_lastMinuteRead = nowMinute;
        for (qint64 m = nowMinute - 59 * 60'000; m <= nowMinute; m += 60'000) {
            const auto it = m_minutes.find(m);
            a.runsPerMinute.append(
                {m, it == m_minutes.end() ? QMap<QString, qint64>() : it->second});
        }
        a.failedLast5m = tx.exec1("SELECT count(*) FROM pitwall.runs WHERE status = 'failed'"
                                  " AND ended_at > now() - interval '5 minutes'")[0]
                             .as<qint64>();
        const auto pending =
            tx.exec1("SELECT count(*), coalesce((extract(epoch FROM min(requested_at)) * 1000)"
                     "::bigint, 0) FROM pitwall.actions WHERE mirrored_at IS NULL");
        a.pendingActions = pending[0].as<qint64>();
        a.oldestPendingMs = pending[1].as<qint64>();
        for (const auto &r : tx.exec("SELECT (extract(epoch FROM requested_at) * 1000)::bigint,"
                                     " actor, kind, target, reason, mirrored_at IS NOT NULL"
                                     " FROM pitwall.actions ORDER BY requested_at DESC LIMIT 20"))
            a.recentActions.append({QDateTime::fromMSecsSinceEpoch(r[0].as<qint64>()),
                                    q(r[1].as<std::string>()), q(r[2].as<std::string>()),
                                    q(r[3].as<std::string>()), q(r[4].as<std::string>()),
                                    r[5].as<bool>()});
    }
    const RedisKeys keys(m_settings.keyPrefix.toStdString());
    const auto replies = m_redis->pipeline(
        {{"HMGET", keys.spend("global", "*", utcDay(nowMs())), "settled_micros", "reserved_micros"},
         {"HGET", keys.cap("global", "*"), "daily_micros"}});
    a.spentTodayMicros = replies[0].elements.at(0).toInt(0);
    a.reservedMicros = replies[0].elements.at(1).toInt(0);
    a.globalCapMicros = replies[1].isNil() ? -1 : replies[1].toInt(-1);
    // The breakers through their registry (schema 6): a SCAN would miss them among a million
    // run hashes.
    // A failure here is said for the breakers alone: the rest of the summary stands.
    try {
        for (const BreakerRow &r : readBreakerBoard(*m_pg, *m_redis, keys, nowMs()).rows)
            if (r.state != "closed")
                a.breakersNotClosed.append({q(r.tool), q(r.automaticState),
                                            r.forced() ? q(r.state.substr(7)) : QString()});
    } catch (const std::exception &e) {
        a.breakersError = QString::fromUtf8(e.what());
    }
    return a;
}

} // namespace pitwall

#include "SpendService.h"

#include "ActionRun.h"
#include "Clock.h"
#include "Migrator.h"
#include "SpendMath.h"
#include "SpendModel.h"
#include "SpendReader.h"
#include "StoreError.h"
#include "StoreWorker.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>

namespace pitwall {

struct SpendService::State {
    SpendRollup rollup;
    int64_t holdsAtMs = 0;
    std::vector<SpendHold> holds;
};

namespace {

constexpr int kSchemaVersion = 5;
// The time of the latest action anywhere (actions_recent_idx): what the probe compares.
constexpr const char *kLatestActionSql =
    "SELECT coalesce(max(requested_at)::text, '') FROM pitwall.actions";
constexpr int kAgentsRead = 200;
constexpr int kDefaultAlertUsers = 50; // the top spenders checked against the default alert

SpendSnapshot readSnapshot(StoreConnections &c, const SpendService::Query &q,
                           SpendService::State &state) {
    QElapsedTimer timer;
    timer.start();
    pqxx::connection_base &pg = c.postgres();
    RedisConnection &redis = c.redis();
    const RedisKeys &keys = c.keys();
    const int version = Migrator::currentVersion(pg);
    if (version < kSchemaVersion)
        throw StoreError("The database is at Pitwall schema version " + std::to_string(version) +
                         "; the spend page needs version 5 (spend alerts, counter repairs): "
                         "run `pitwallctl migrate`.");
    const int64_t now = nowMs();
    SpendSnapshot s;
    s.atMs = now;
    refreshSpendRollup(pg, state.rollup, now);
    const SpendRollup *rollup = &state.rollup;
    s.global = readSpendFigures(pg, redis, keys, "global", {"*"}, now, rollup).at(0);
    s.defaultUser = readSpendFigures(pg, redis, keys, "user", {"*"}, now).at(0);

    // Agents: those that spent most today and those with a rollout, in one read.
    std::vector<std::string> agentNames;
    {
        std::set<std::string> seen;
        for (const SpendFigures &f :
             readSpenderPage(pg, redis, keys, "agent", {}, 0, kAgentsRead, now, rollup).rows)
            if (seen.insert(f.subject).second)
                agentNames.push_back(f.subject);
        pqxx::read_transaction tx(pg);
        for (const auto &r : tx.exec("SELECT agent FROM pitwall.rollouts ORDER BY agent LIMIT " +
                                     std::to_string(kMaxSpendSubjects - kAgentsRead)))
            if (seen.insert(r[0].as<std::string>()).second)
                agentNames.push_back(r[0].as<std::string>());
    }
    s.agents = readSpendFigures(pg, redis, keys, "agent", agentNames, now, rollup);
    std::stable_sort(s.agents.begin(), s.agents.end(),
                     [now](const SpendFigures &a, const SpendFigures &b) {
                         return spendOutlook(a, now).usedMicros > spendOutlook(b, now).usedMicros;
                     });
    s.users = readSpenderPage(pg, redis, keys, "user", q.usersFilter, q.usersOffset,
                              SpendService::kUsersPerPage, now);

    // Alerts: every scope with a threshold of its own, and the top spenders for the default.
    std::map<std::string, std::vector<std::string>> alertScopes;
    bool defaultUserAlert = false;
    {
        pqxx::read_transaction tx(pg);
        for (const auto &r : tx.exec("SELECT scope, subject FROM pitwall.spend_alerts"
                                     " ORDER BY scope, subject LIMIT " +
                                     std::to_string(kMaxSpendSubjects))) {
            const std::string scope = r[0].as<std::string>(), subject = r[1].as<std::string>();
            if (scope == "user" && subject == "*")
                defaultUserAlert = true;
            else
                alertScopes[scope].push_back(subject);
        }
    }
    std::set<std::pair<std::string, std::string>> alerted;
    auto addAlerts = [&](const std::vector<SpendFigures> &figures) {
        for (const SpendFigures &f : figures)
            if (spendOutlook(f, now).alertCrossed && alerted.emplace(f.scope, f.subject).second)
                s.alerts.push_back(f);
    };
    // The global scope and the agents are read already; only the other scopes are read again.
    std::map<std::pair<std::string, std::string>, const SpendFigures *> read{
        {{"global", "*"}, &s.global}};
    for (const SpendFigures &f : s.agents)
        read[{f.scope, f.subject}] = &f;
    for (const auto &[scope, subjects] : alertScopes) {
        std::vector<std::string> missing;
        for (const std::string &subject : subjects) {
            if (auto known = read.find({scope, subject}); known != read.end())
                addAlerts({*known->second});
            else
                missing.push_back(subject);
        }
        if (!missing.empty())
            addAlerts(readSpendFigures(pg, redis, keys, scope, missing, now, rollup));
    }
    if (defaultUserAlert)
        addAlerts(
            q.usersFilter.empty() && q.usersOffset == 0
                ? s.users.rows
                : readSpenderPage(pg, redis, keys, "user", {}, 0, kDefaultAlertUsers, now).rows);

    if (q.holdsWanted) {
        if (now - state.holdsAtMs >= SpendService::kHoldsEveryMs) {
            state.holds = readSpendHolds(pg, redis, keys, now, kHeartbeatTimeoutMs, kMaxSpendHolds);
            state.holdsAtMs = now;
        }
        s.holdsRead = true;
        s.holds = state.holds;
    } else {
        state.holdsAtMs = 0; // read afresh when shown again
    }

    s.selected = readSpendFigures(pg, redis, keys, q.scope, {q.subject}, now, rollup).at(0);
    s.series = readSpendSeries(pg, q.scope, q.subject, now, rollup);
    {
        pqxx::read_transaction tx(pg);
        s.latestActionAt = tx.exec1(kLatestActionSql)[0].as<std::string>();
    }
    s.hasSeries = true;
    s.readMs = double(timer.nsecsElapsed()) / 1e6;
    return s;
}

// "user alice", "global", "default user cap": the page's words, in the action's sentence.
std::string scopeName(const std::string &scope, const std::string &subject) {
    SpendFigures f;
    f.scope = scope;
    f.subject = subject;
    return SpendText::scopeName(f).toStdString();
}

std::string usd(int64_t micros) {
    return SpendText::usd(micros).toStdString();
}

} // namespace

SpendService::SpendService(QObject *parent)
    : QObject(parent)
    , m_reads(new StoreWorker(QStringLiteral("spend-reads"), this))
    , m_probes(new StoreWorker(QStringLiteral("spend-probe"), this))
    , m_actions(new StoreWorker(QStringLiteral("spend-actions"), this))
    , m_timer(new QTimer(this))
    , m_probeTimer(new QTimer(this))
    , m_state(std::make_shared<State>()) {
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &SpendService::refresh);
    m_probeTimer->setInterval(kProbeMs);
    connect(m_probeTimer, &QTimer::timeout, this, &SpendService::probe);
}

SpendService::~SpendService() {
    m_session.supersede();
    delete std::exchange(m_actions, nullptr);
    delete std::exchange(m_probes, nullptr);
    delete std::exchange(m_reads, nullptr);
}

void SpendService::connectTo(const ConnectionSettings &settings) {
    m_settings = settings;
    m_session.supersede();
    m_snapshots.supersede();
    m_followers.supersede();
    m_reads->setSettings(settings);
    m_probes->setSettings(settings);
    m_actions->setSettings(settings);
    m_state = std::make_shared<State>();
    m_lastActionAt.reset();
    m_probeTimer->start();
    refresh();
}

void SpendService::refresh() {
    m_timer->stop();
    if (!m_settings.isComplete())
        return;
    auto state = m_state;
    const Query query = m_query;
    m_reads->request<SpendSnapshot>(
        m_snapshots.next(), this,
        [state, query](StoreConnections &c) { return readSnapshot(c, query, *state); },
        [](const QString &error) {
            SpendSnapshot s;
            s.atMs = nowMs();
            s.error = error.toStdString();
            return s;
        },
        [this](const SpendSnapshot &s) {
            if (s.error.empty())
                m_lastActionAt = s.latestActionAt; // what this snapshot includes
            Q_EMIT snapshotArrived(s);
            m_timer->start(kRefreshMs); // re-armed after the answer: never two in flight
        });
}

void SpendService::probe() {
    if (!m_settings.isComplete())
        return;
    // One probe at a time: while PostgreSQL is slow they must not pile up on the worker.
    if (m_probeBusy->exchange(true))
        return;
    QPointer<SpendService> self(this);
    const RequestLane::Ticket session = m_session.current();
    m_probes->post([self, session, busy = m_probeBusy](StoreConnections &c) {
        struct Done {
            std::atomic<bool> &busy;
            ~Done() { busy = false; }
        } done{*busy};
        std::string latest;
        try {
            pqxx::read_transaction tx(c.postgres());
            latest = tx.exec1(kLatestActionSql)[0].as<std::string>();
            c.succeeded();
        } catch (const std::exception &e) {
            c.failed(e.what());
            return;
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, session, latest] {
                if (!self || !session.stillWanted())
                    return;
                // The first answer only sets the mark: "" is a database without actions yet.
                const bool moved = self->m_lastActionAt && latest != *self->m_lastActionAt;
                self->m_lastActionAt = latest;
                if (moved)
                    self->refresh(); // an action somewhere: read now rather than in 2 s
            },
            Qt::QueuedConnection);
    });
}

void SpendService::select(const QString &scope, const QString &subject) {
    const std::string s = scope.toStdString(), sub = subject.toStdString();
    if (s == m_query.scope && sub == m_query.subject)
        return;
    m_query.scope = s;
    m_query.subject = sub;
    refresh();
}

void SpendService::setUsersQuery(const QString &filter, int offset) {
    const std::string f = filter.toStdString();
    if (f == m_query.usersFilter && offset == m_query.usersOffset)
        return;
    m_query.usersFilter = f;
    m_query.usersOffset = std::max(0, offset);
    refresh();
}

void SpendService::setHoldsWanted(bool wanted) {
    if (wanted == m_query.holdsWanted)
        return;
    m_query.holdsWanted = wanted;
    if (wanted)
        refresh();
}

void SpendService::loadFollowers() {
    if (!m_settings.isComplete())
        return;
    struct Answer {
        std::vector<SpendFigures> users;
        QString error;
    };
    m_reads->request<Answer>(
        m_followers.next(), this,
        [](StoreConnections &c) {
            Answer out;
            for (SpendFigures &f : readSpenderPage(c.postgres(), c.redis(), c.keys(), "user", {}, 0,
                                                   kPreviewUsers, nowMs())
                                       .rows)
                if (f.capIsDefault)
                    out.users.push_back(std::move(f));
            return out;
        },
        [](const QString &error) {
            return Answer{{}, error};
        },
        [this](const Answer &a) { Q_EMIT followersArrived(a.users, a.error); });
}

void SpendService::act(const QString &what, std::function<std::string(StoreConnections &)> action) {
    Q_EMIT actionProgress(what);
    const RequestLane::Ticket session = m_session.current();
    runAction(m_actions, this, std::move(action), [this, session](bool ok, const QString &text) {
        Q_EMIT actionFinished(ok, text);
        if (session.stillWanted())
            refresh();
    });
}

void SpendService::setCap(const CapChange &change, const QString &reason, const QString &evidence) {
    const std::string name = scopeName(change.scope, change.subject);
    act(tr("Setting the daily cap of %1…").arg(QString::fromStdString(name)),
        [change, name, r = reason.toStdString(), e = evidence.toStdString()](StoreConnections &c) {
            c.actions().setEvidence(e);
            return actionOutcome(c.actions().setCap(change, r),
                                 name + ": daily cap set to " + usd(change.dailyMicros) +
                                     (change.expiresAtMs ? " until it expires" : ""));
        });
}

void SpendService::setAlert(const QString &scope, const QString &subject,
                            std::optional<double> percent, qint64 revision, const QString &reason) {
    const std::string s = scope.toStdString(), sub = subject.toStdString();
    const std::string name = scopeName(s, sub);
    act(tr("Saving the spend alert of %1…").arg(QString::fromStdString(name)),
        [s, sub, name, percent, revision, r = reason.toStdString()](StoreConnections &c) {
            return actionOutcome(c.actions().setSpendAlert(s, sub, percent, revision, r),
                                 name + (percent ? ": alert at " + std::to_string(int(*percent)) +
                                                       " % of the daily cap"
                                                 : ": alert removed"));
        });
}

void SpendService::rebuild(const QString &scope, const QString &subject, const QString &reason) {
    const std::string s = scope.toStdString(), sub = subject.toStdString();
    const std::string name = scopeName(s, sub);
    act(tr("Rebuilding the counter of %1 from the ledger…").arg(QString::fromStdString(name)),
        [s, sub, name, r = reason.toStdString()](StoreConnections &c) {
            return actionOutcome(c.actions().rebuildSpend(s, sub, r),
                                 name + ": counter rebuilt from the ledger");
        });
}

void SpendService::releaseHold(const QString &runId, qint64 heldMicros, const QString &reason) {
    const std::string id = runId.toStdString();
    act(tr("Releasing the reservation of run %1…").arg(runId),
        [id, heldMicros, r = reason.toStdString()](StoreConnections &c) {
            return actionOutcome(c.actions().releaseHold(id, heldMicros, r),
                                 "run " + id + ": " + usd(heldMicros) + " reservation released");
        });
}

} // namespace pitwall

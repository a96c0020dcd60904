#include "CanaryService.h"

#include "ActionRun.h"
#include "ActionsService.h"
#include "CanaryReader.h"
#include "CanaryRollup.h"
#include "Clock.h"
#include "Migrator.h"
#include "SloTargetsReader.h"
#include "StoreError.h"
#include "StoreWorker.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <map>

namespace pitwall {

struct CanaryService::State {
    CanaryRollup rollup;
    // Each agent's history and the arms at each change, read again only when its rollout or
    // policy revision moves.
    struct History {
        int64_t revision = -1, policyRevision = -1;
        std::vector<RolloutChange> changes;
        std::vector<std::pair<CanaryArm, CanaryArm>> arms;
    };
    std::map<std::string, History> histories;
    bool loaded = false;
    int64_t coveredFromMs = 0; // the rollup holds every run that ended from here on
    int64_t latestEndedMs = 0; // the latest end read so far
};

namespace {

std::vector<CanaryPoint> pointsOf(const CanaryRollup &rollup, const std::string &agent,
                                  const std::string &version, int64_t fromMs) {
    std::vector<CanaryPoint> out;
    if (version.empty())
        return out;
    for (const auto &[minute, arm] : rollup.minutes(agent, version, fromMs)) {
        CanaryPoint p;
        p.minuteMs = minute;
        p.finished = arm->finished;
        p.succeeded = arm->succeeded;
        p.latencyMs = arm->logLatencyMs.n ? std::exp(arm->logLatencyMs.mean) : 0;
        p.costOfSuccessMicros =
            arm->logCostOfSuccess.n ? std::exp(arm->logCostOfSuccess.mean) - 1 : 0;
        out.push_back(p);
    }
    return out;
}

// The agent's runs per minute over the last 10 whole minutes, both arms.
double runsPerMinute(const CanaryRollup &rollup, const CanaryComparison &c, int64_t nowMs) {
    const int64_t to = CanaryRollup::minuteOf(nowMs);
    const int64_t from = to - 10 * CanaryRollup::kMinuteMs;
    double runs = double(rollup.arm(c.agent, c.stable.version, from, to).runs);
    if (!c.canary.version.empty())
        runs += double(rollup.arm(c.agent, c.canary.version, from, to).runs);
    return runs / 10;
}

CanarySnapshot readSnapshot(StoreConnections &c, CanaryService::State &state);

} // namespace

CanaryService::CanaryService(QObject *parent)
    : QObject(parent)
    , m_reads(new StoreWorker(QStringLiteral("canary-reads"), this))
    , m_actions(new StoreWorker(QStringLiteral("canary-actions"), this))
    , m_timer(new QTimer(this))
    , m_state(std::make_shared<State>()) {
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &CanaryService::refresh);
}

CanaryService::~CanaryService() {
    m_session.supersede();
    delete std::exchange(m_actions, nullptr);
    delete std::exchange(m_reads, nullptr);
}

void CanaryService::connectTo(const ConnectionSettings &settings) {
    m_settings = settings;
    m_session.supersede();
    m_snapshots.supersede();
    m_examples.supersede();
    m_reads->setSettings(settings);
    m_actions->setSettings(settings);
    m_state = std::make_shared<State>(); // another database: another rollup
    refresh();
}

void CanaryService::refresh() {
    m_timer->stop();
    if (!m_settings.isComplete())
        return;
    auto state = m_state;
    m_reads->request<CanarySnapshot>(
        m_snapshots.next(), this, [state](StoreConnections &c) { return readSnapshot(c, *state); },
        [](const QString &error) {
            CanarySnapshot s;
            s.error = error.toStdString();
            return s;
        },
        [this](const CanarySnapshot &s) {
            Q_EMIT snapshotArrived(s);
            m_timer->start(kRefreshMs); // re-armed after the answer: never two in flight
        });
}

void CanaryService::loadExamples(const QString &agentName) {
    if (!m_settings.isComplete())
        return;
    using Answer = std::vector<CanaryExampleRun>;
    const std::string agent = agentName.toStdString();
    m_reads->request<Answer>(
        m_examples.next(), this,
        [agent](StoreConnections &c) {
            const auto rollouts = readCanaryRollouts(c.postgres(), agent, {}, true);
            if (rollouts.empty())
                return Answer();
            const CanaryComparison &r = rollouts.front();
            const int64_t from = r.canary.version.empty() ? nowMs() - kHistoryMs : r.fromUs / 1000;
            return readCanaryExamples(c.postgres(), agent, r.stable.version, r.canary.version,
                                      from);
        },
        [](const QString &) { return Answer(); },
        [this, agentName](const Answer &runs) { Q_EMIT examplesArrived(agentName, runs); });
}

void CanaryService::act(const QString &agent, const QString &what,
                        std::function<std::string(StoreConnections &)> action) {
    Q_EMIT actionProgress(what);
    const RequestLane::Ticket session = m_session.current();
    runAction(m_actions, this, std::move(action),
              [this, session, agent](bool ok, const QString &text) {
                  // The page waits for this whatever the connection is now.
                  Q_EMIT actionFinished(agent, ok, text);
                  if (session.stillWanted())
                      refresh(); // the new state, or the state that made it stale
              });
}

void CanaryService::setWeight(const QString &agent, int weight, qint64 revision,
                              const QString &reason) {
    act(agent, tr("Setting the canary weight of %1 to %2 %…").arg(agent).arg(weight),
        [a = agent.toStdString(), weight, revision, r = reason.toStdString()](StoreConnections &c) {
            return actionOutcome(c.actions().setCanaryWeight(a, weight, revision, r),
                                 a + ": canary weight set to " + std::to_string(weight) + " %");
        });
}

void CanaryService::promote(const QString &agent, qint64 revision, const QString &reason) {
    act(agent, tr("Promoting the canary of %1…").arg(agent),
        [a = agent.toStdString(), revision, r = reason.toStdString()](StoreConnections &c) {
            return actionOutcome(c.actions().promote(a, revision, r),
                                 a + ": the canary is promoted to stable");
        });
}

void CanaryService::rollBack(const QString &agent, qint64 revision, const QString &reason,
                             bool killInFlight, const QString &evidence) {
    act(agent, tr("Rolling back the canary of %1…").arg(agent),
        [a = agent.toStdString(), revision, r = reason.toStdString(), killInFlight,
         e = evidence.toStdString()](StoreConnections &c) {
            c.actions().setEvidence(e);
            const ActionResult result = c.actions().rollback(
                a, revision, r, {},
                killInFlight ? ActionsService::InFlight::Kill : ActionsService::InFlight::Finish);
            return actionOutcome(result,
                                 a + ": rolled back to stable" +
                                     (killInFlight ? "; " + std::to_string(result.killedRuns) +
                                                         " canary run(s) in flight asked to stop"
                                                   : "; the canary's runs in flight finish"));
        });
}

void CanaryService::setPolicy(const QString &agent, const CanaryPolicy &policy,
                              const QString &reason) {
    act(agent, tr("Saving the canary policy of %1…").arg(agent),
        [a = agent.toStdString(), policy, r = reason.toStdString()](StoreConnections &c) {
            return actionOutcome(c.actions().setCanaryPolicy(a, policy, policy.revision, r),
                                 a + ": canary policy saved");
        });
}

namespace {

CanarySnapshot readSnapshot(StoreConnections &c, CanaryService::State &state) {
    pqxx::connection_base &pg = c.postgres();
    const int64_t now = nowMs();
    const int version = Migrator::currentVersion(pg);
    if (version < 4)
        throw StoreError("The database is at Pitwall schema version " + std::to_string(version) +
                         "; the canary page needs version 4 (canary policies, tool counts): "
                         "run `pitwallctl migrate`.");
    std::vector<CanaryComparison> rollouts = readCanaryRollouts(pg, {}, {}, true);

    // What the rollup must cover: the last day, and every canary's window (up to a week).
    int64_t wantFrom = now - CanaryService::kHistoryMs;
    for (const auto &r : rollouts)
        if (!r.canary.version.empty() && r.fromUs > 0)
            wantFrom =
                std::min(wantFrom, std::max(r.fromUs / 1000, now - CanaryService::kMaxWindowMs));
    wantFrom = CanaryRollup::minuteOf(wantFrom);

    auto add = [&state](const std::string &a, const std::string &v, int64_t endedMs,
                        const RunOutcome &run) {
        state.rollup.add(a, v, endedMs, run);
        state.latestEndedMs = std::max(state.latestEndedMs, endedMs);
    };
    if (!state.loaded || wantFrom < state.coveredFromMs) {
        state.rollup.clear();
        state.latestEndedMs = wantFrom;
        readRunOutcomes(pg, wantFrom, {}, add);
        state.coveredFromMs = wantFrom;
        state.loaded = true;
    } else {
        // The last minutes again, whole: runs whose end committed late are not missed.
        const int64_t from = CanaryRollup::minuteOf(
            std::max(state.coveredFromMs, state.latestEndedMs - CanaryService::kLateMs));
        state.rollup.dropFrom(from);
        readRunOutcomes(pg, from, {}, add);
    }

    std::vector<SloTargets> slos = readSloTargets(pg);
    CanarySnapshot snapshot;
    snapshot.atMs = now;
    QElapsedTimer judged;
    double judgeNs = 0;
    for (CanaryComparison &r : rollouts) {
        CanaryAgentData d;
        const bool hasCanary = !r.canary.version.empty();
        int64_t from = std::max(r.fromUs / 1000, now - CanaryService::kMaxWindowMs);
        if (!hasCanary)
            from = now - CanaryService::kHistoryMs;
        judged.start();
        r.stable =
            r.stable.version.empty() ? r.stable : state.rollup.arm(r.agent, r.stable.version, from);
        if (hasCanary)
            r.canary = state.rollup.arm(r.agent, r.canary.version, from);
        d.stableSeries = pointsOf(state.rollup, r.agent, r.stable.version, from);
        d.canarySeries = pointsOf(state.rollup, r.agent, r.canary.version, from);
        d.runsPerMinute = runsPerMinute(state.rollup, r, now);
        judgeNs += double(judged.nsecsElapsed());
        d.history = readRolloutHistory(pg, r.agent, 50);
        for (const RolloutChange &h : d.history) {
            // The arms when the change was made: from the canary's first minute then.
            if (h.canaryBefore.empty() || h.atMs < state.coveredFromMs) {
                d.armsAtChange.emplace_back();
                continue;
            }
            const auto minutes = state.rollup.minutes(r.agent, h.canaryBefore, 0, h.atMs);
            const int64_t start = minutes.empty() ? h.atMs : minutes.front().first;
            d.armsAtChange.emplace_back(state.rollup.arm(r.agent, h.stableBefore, start, h.atMs),
                                        state.rollup.arm(r.agent, h.canaryBefore, start, h.atMs));
        }
        if (hasCanary) {
            auto [count, ids] = readRunsInFlight(pg, r.agent, r.canary.version, 200);
            d.canaryInFlight = count;
            d.canaryInFlightRuns = std::move(ids);
        }
        for (const SloTargets &t : slos)
            if (t.agent == r.agent)
                d.slo = t;
        r.fromUs = from * 1000;
        d.comparison = std::move(r);
        snapshot.agents.push_back(std::move(d));
    }
    snapshot.rolledUpRuns = state.rollup.runs();
    snapshot.buckets = state.rollup.buckets();
    snapshot.judgeMs = judgeNs / 1e6;
    return snapshot;
}

} // namespace

} // namespace pitwall

#include "BreakersService.h"

#include "ActionRun.h"
#include "BreakerModel.h"
#include "BreakerReader.h"
#include "Clock.h"
#include "Migrator.h"
#include "StoreError.h"
#include "StoreWorker.h"

#include <QElapsedTimer>
#include <QTimer>

namespace pitwall {

namespace {
constexpr int kSchemaVersion = 6;
} // namespace

BreakersService::BreakersService(QObject *parent)
    : QObject(parent)
    , m_reads(new StoreWorker(QStringLiteral("breakers-reads"), this))
    , m_actions(new StoreWorker(QStringLiteral("breakers-actions"), this))
    , m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &BreakersService::refresh);
}

BreakersService::~BreakersService() {
    m_session.supersede();
    delete std::exchange(m_actions, nullptr);
    delete std::exchange(m_reads, nullptr);
}

void BreakersService::connectTo(const ConnectionSettings &settings) {
    m_settings = settings;
    m_session.supersede();
    m_boards.supersede();
    m_histories.supersede();
    m_reads->setSettings(settings);
    m_actions->setSettings(settings);
    m_historyAtMs = 0;
    refresh();
}

void BreakersService::refresh() {
    m_timer->stop();
    if (!m_settings.isComplete())
        return;
    m_reads->request<BreakerBoard>(
        m_boards.next(), this,
        [](StoreConnections &c) {
            QElapsedTimer timer;
            timer.start();
            const int version = Migrator::currentVersion(c.postgres());
            if (version < kSchemaVersion)
                throw StoreError("The database is at Pitwall schema version " +
                                 std::to_string(version) +
                                 "; the breakers page needs version 6 (the breaker board's "
                                 "indexes): run `pitwallctl migrate`.");
            BreakerBoard b = readBreakerBoard(c.postgres(), c.redis(), c.keys(), nowMs());
            b.readMs = double(timer.nsecsElapsed()) / 1e6;
            return b;
        },
        [](const QString &error) {
            BreakerBoard b;
            b.atMs = nowMs();
            b.error = error.toStdString();
            return b;
        },
        [this](const BreakerBoard &b) {
            Q_EMIT boardArrived(b);
            if (!m_tool.isEmpty() && nowMs() - m_historyAtMs >= kHistoryEveryMs)
                readHistory();
            m_timer->start(kRefreshMs); // re-armed after the answer: never two in flight
        });
}

void BreakersService::selectTool(const QString &tool) {
    if (tool == m_tool)
        return;
    m_tool = tool;
    m_histories.supersede();
    if (!m_tool.isEmpty())
        readHistory();
}

void BreakersService::readHistory() {
    if (!m_settings.isComplete() || m_tool.isEmpty())
        return;
    m_historyAtMs = nowMs();
    struct Answer {
        std::vector<BreakerHistoryEntry> entries;
        QString error;
    };
    const QString tool = m_tool;
    m_reads->request<Answer>(
        m_histories.next(), this,
        [tool](StoreConnections &c) {
            return Answer{readBreakerHistory(c.postgres(), tool.toStdString(), kHistoryShown), {}};
        },
        [](const QString &error) {
            return Answer{{}, error};
        },
        [this, tool](const Answer &a) { Q_EMIT historyArrived(tool, a.entries, a.error); });
}

void BreakersService::override(const QString &tool, const QString &forced,
                               std::optional<int64_t> untilMs, const QString &seenState,
                               const QString &reason, const QString &evidenceJson) {
    const QString what = forced.isEmpty() ? tr("Clearing the override of %1…").arg(tool)
                                          : tr("Forcing %1 %2…").arg(tool, forced);
    Q_EMIT actionProgress(what);
    const RequestLane::Ticket session = m_session.current();
    const std::string t = tool.toStdString(), f = forced.toStdString();
    const std::string seen = seenState.toStdString(), evidence = evidenceJson.toStdString();
    const std::string done =
        forced.isEmpty() ? t + ": override cleared, the breaker is automatic again"
                         : t + ": forced " + f +
                               (untilMs ? " until " + BreakerText::time(*untilMs).toStdString()
                                        : " until cleared");
    runAction(
        m_actions, this,
        [t, f, untilMs, seen, evidence, done, r = reason.toStdString()](StoreConnections &c) {
            c.actions().setEvidence(evidence);
            return actionOutcome(
                c.actions().overrideBreaker(t, f, untilMs, r, {}, false,
                                            seen.empty() ? std::nullopt : std::optional(seen)),
                done);
        },
        [this, session](bool ok, const QString &text) {
            Q_EMIT actionFinished(ok, text);
            if (session.stillWanted()) {
                m_historyAtMs = 0;
                refresh();
            }
        });
}

} // namespace pitwall

#include "RunsService.h"

#include "ActionsService.h"
#include "LiveFeed.h"
#include "RunDetailsReader.h"
#include "RunEndWatcher.h"
#include "SloTargetsReader.h"
#include "StoreError.h"
#include "StoreWorker.h"

#include <QDateTime>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <set>

namespace pitwall {

RunsService::RunsService(QObject *parent)
    : QObject(parent)
    , m_reads(new StoreWorker(QStringLiteral("runs-reads"), this))
    , m_actions(new StoreWorker(QStringLiteral("runs-actions"), this))
    , m_detailsPoll(new QTimer(this))
    , m_sloReload(new QTimer(this)) {
    m_detailsPoll->setSingleShot(true);
    connect(m_detailsPoll, &QTimer::timeout, this, &RunsService::pollDetails);
    m_sloReload->setSingleShot(true);
    connect(m_sloReload, &QTimer::timeout, this, &RunsService::reloadSloTargets);
}

RunsService::~RunsService() {
    m_session.supersede();
    // The workers end before anything they may reply to goes away.
    delete std::exchange(m_actions, nullptr);
    delete std::exchange(m_reads, nullptr);
    stopFeed();
    // Feeds of earlier connections may still be ending their read.
    for (QThread *thread : findChildren<QThread *>(Qt::FindDirectChildrenOnly)) {
        thread->quit();
        thread->wait();
    }
}

void RunsService::connectTo(const ConnectionSettings &settings) {
    m_settings = settings;
    m_session.supersede();
    m_details.supersede();
    m_slo.supersede();
    m_targets.clear();
    m_reads->setSettings(settings);
    m_actions->setSettings(settings);
    stopFeed();
    startFeed();
    reloadSloTargets();
    if (!m_watched.isEmpty())
        pollDetails();
}

void RunsService::stopFeed() {
    if (!m_feedThread)
        return;
    m_feed->stop(); // thread-safe: ends its read loop within 100 ms
    QObject::disconnect(m_feed, nullptr, this, nullptr);
    QThread *thread = std::exchange(m_feedThread, nullptr);
    m_feed = nullptr;
    thread->quit(); // deletes the feed and itself once the read has ended
}

void RunsService::startFeed() {
    RedisEndpoint endpoint;
    try {
        endpoint = RedisEndpoint::parse(m_settings.redis.toStdString());
    } catch (const StoreError &e) {
        Q_EMIT feedConnectionChanged(false, QString::fromStdString(e.what()));
        return;
    }
    m_feed = new LiveFeed(endpoint, m_settings.keyPrefix.toStdString());
    m_feedThread = new QThread(this);
    m_feedThread->setObjectName(QStringLiteral("live-feed"));
    m_feed->moveToThread(m_feedThread);
    connect(m_feedThread, &QThread::started, m_feed, &LiveFeed::run);
    connect(m_feedThread, &QThread::finished, m_feed, &QObject::deleteLater);
    connect(m_feedThread, &QThread::finished, m_feedThread, &QObject::deleteLater);
    // Batches already queued when the feed was replaced belong to the old connection.
    const RequestLane::Ticket session = m_session.current();
    connect(m_feed, &LiveFeed::updatesArrived, this,
            [this, session](const LiveRunUpdates &updates, bool snapshot) {
                if (session.stillWanted())
                    Q_EMIT updatesArrived(updates, snapshot);
            });
    connect(m_feed, &LiveFeed::connectionChanged, this,
            [this, session](bool connected, const QString &message) {
                if (session.stillWanted())
                    Q_EMIT feedConnectionChanged(connected, message);
            });
    m_feedThread->start();
}

void RunsService::watchDetails(const QString &runId) {
    m_watched = runId;
    m_detailsPoll->stop();
    m_details.supersede();
    if (!runId.isEmpty())
        pollDetails();
}

void RunsService::pollDetails() {
    if (m_watched.isEmpty() || !m_settings.isComplete())
        return;
    const std::string id = m_watched.toStdString();
    m_reads->request<RunDetails>(
        m_details.next(), this,
        [id](StoreConnections &c) { return readRunDetails(c.redis(), c.keys(), id); },
        [id](const QString &error) {
            RunDetails d;
            d.runId = id;
            d.error = error.toStdString();
            return d;
        },
        [this](const RunDetails &d) {
            std::optional<SloTargets> slo;
            for (const auto &[k, v] : d.hash)
                if (k == EventField::agent && m_targets.count(v))
                    slo = m_targets.at(v);
            Q_EMIT detailsArrived(d, slo);
            m_detailsPoll->start(kDetailsPollMs); // re-armed only after an answer
        });
}

void RunsService::reloadSloTargets() {
    m_sloReload->stop();
    if (!m_settings.isComplete())
        return;
    using Answer = std::optional<std::vector<SloTargets>>;
    m_reads->request<Answer>(
        m_slo.next(), this,
        [](StoreConnections &c) { return Answer(readSloTargets(c.postgres())); },
        // The health probe reports an unreachable store; the targets stay as they were.
        [](const QString &) { return Answer(); },
        [this](const Answer &targets) {
            if (targets) {
                m_targets.clear();
                for (const SloTargets &t : *targets)
                    m_targets[t.agent] = t;
                Q_EMIT sloTargetsArrived(*targets);
            }
            m_sloReload->start(kSloReloadMs); // targets change rarely; a minute late is fine
        });
}

void RunsService::kill(const QStringList &runIds, const QString &reason) {
    Q_EMIT statusChanged(
        tr("Recording the kill of %n run(s)…", nullptr, static_cast<int>(runIds.size())));
    const RequestLane::Ticket session = m_session.current();
    QPointer<RunsService> self(this);
    // Once a reply is queued, `self` is checked on this thread, where the service lives.
    auto reply = [self, session](auto f) {
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, session, f] {
                if (self && session.stillWanted())
                    f(*self);
            },
            Qt::QueuedConnection);
    };
    m_actions->post([runIds, reason, reply](StoreConnections &c) {
        QStringList applied, pending, lines;
        std::set<std::string> requested;
        std::optional<RunEndWatcher> watcher;
        try {
            try { // before the kills: their ends must not be missed
                watcher.emplace(RedisEndpoint::parse(c.settings().redis.toStdString()),
                                c.keys().prefix());
            } catch (const std::exception &) {
                // Redis is down: the kills are recorded all the same and wait in the outbox.
            }
            ActionsService &actions = c.actions();
            for (const QString &id : runIds) {
                try {
                    const ActionResult r = actions.killRun(id.toStdString(), reason.toStdString());
                    if (r.mirrored) {
                        applied << id;
                        requested.insert(id.toStdString());
                    } else {
                        pending << id;
                        lines << tr("%1: kill recorded; Redis cannot be reached (%2), so it waits "
                                    "to be applied.")
                                     .arg(id, QString::fromStdString(r.mirrorError));
                    }
                } catch (const ActionRefused &e) {
                    lines << tr("%1: refused: %2").arg(id, QString::fromStdString(e.what()));
                } catch (const StoreError &e) {
                    lines << tr("%1: not recorded: %2").arg(id, QString::fromStdString(e.what()));
                }
            }
        } catch (const std::exception &e) {
            c.failed(e.what());
            lines << QString::fromStdString(e.what());
        }
        const qint64 recordedMs = QDateTime::currentMSecsSinceEpoch();
        const auto started = std::chrono::steady_clock::now();
        if (!applied.isEmpty() || !pending.isEmpty())
            reply([applied, pending, recordedMs](RunsService &s) {
                Q_EMIT s.killsRecorded(applied, pending, recordedMs);
            });
        if (watcher && !requested.empty()) {
            try {
                const auto ended = watcher->waitFor(requested, kKillDeadline);
                for (const auto &id : requested) {
                    const QString run = QString::fromStdString(id);
                    if (auto it = ended.find(id); it == ended.end())
                        lines << tr("%1: still running %2 s after the kill: its agent is not "
                                    "honouring kills.")
                                     .arg(run)
                                     .arg(kKillDeadline.count() / 1000);
                    else
                        lines << tr("%1: %2 after %3 ms.")
                                     .arg(run, QString::fromStdString(it->second.status))
                                     .arg(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              it->second.seenAt - started)
                                              .count());
                }
            } catch (const std::exception &e) {
                lines << tr("The kills were applied, but their ends could not be watched: %1")
                             .arg(QString::fromStdString(e.what()));
            }
        }
        const QString text = lines.join(QLatin1Char('\n'));
        reply([text](RunsService &s) { Q_EMIT s.statusChanged(text); });
    });
}

} // namespace pitwall

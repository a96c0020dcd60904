#include "ConsoleSession.h"

#include "ActionsService.h"
#include "Clock.h"
#include "ConnectDialog.h"
#include "Fleet.h"
#include "LiveFeed.h"
#include "LiveRunsModel.h"
#include "LiveRunsPage.h"
#include "MainWindow.h"
#include "PgConnect.h"
#include "RunDetails.h"
#include "RunEndWatcher.h"
#include "Sandbox.h"
#include "SecretStore.h"
#include "StoreError.h"
#include "StoreHealthProbe.h"
#include "TracePage.h"
#include "TraceStore.h"

#include <QDateTime>
#include <QPointer>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <QtConcurrent/QtConcurrentRun>
#include <utility>

namespace pitwall {

ConsoleSession::ConsoleSession(MainWindow *window, QObject *parent)
    : QObject(parent)
    , m_window(window) {
    connect(window, &MainWindow::connectRequested, this, &ConsoleSession::askForConnection);
    m_liveRuns = new LiveRunsModel(this);
    m_liveRuns->setAsync(true); // sorting a million rows must not freeze the window
    m_liveRunsPage = new LiveRunsPage(m_liveRuns, window);
    window->addPage(m_liveRunsPage, tr("&Live runs"));
    connect(m_liveRunsPage, &LiveRunsPage::killRequested, this, &ConsoleSession::kill);
    connect(m_liveRunsPage, &LiveRunsPage::detailsWanted, this, &ConsoleSession::fetchDetails);
    m_tracePage = new TracePage(window);
    m_tracePageIndex = window->addPage(m_tracePage, tr("&Traces"));
    connect(m_liveRunsPage, &LiveRunsPage::traceWanted, this, &ConsoleSession::openTraceOfRun);
    connect(m_tracePage, &TracePage::traceWanted, this, &ConsoleSession::openTrace);
    connect(m_tracePage, &TracePage::runsWanted, this,
            [this](const RunFilter &filter, const std::optional<RunCursor> &after) {
                if (!m_settings.isComplete()) { // the runs show once connected
                    m_whenConnected.push_back(
                        [this, filter, after] { Q_EMIT m_tracePage->runsWanted(filter, after); });
                    return;
                }
                const std::string pg = m_settings.postgres.toStdString();
                QtConcurrent::run([pg, filter, after] {
                    std::pair<RunPage, QString> out;
                    try {
                        out.first = PgTraceStore(pg).findRuns(filter, after, 200);
                    } catch (const std::exception &e) {
                        out.second = QString::fromStdString(e.what());
                    }
                    return out;
                })
                    .then(this, [this, append = after.has_value()](
                                    const std::pair<RunPage, QString> &out) {
                        if (!out.second.isEmpty())
                            m_tracePage->showError(tr("Could not list runs: %1").arg(out.second));
                        else
                            m_tracePage->showRuns(out.first, append);
                    });
            });
    connect(m_tracePage, &TracePage::spanWanted, this,
            [this](const QString &traceId, const QString &spanId) {
                const std::string pg = m_settings.postgres.toStdString();
                QtConcurrent::run([pg, trace = traceId.toStdString(), span = spanId.toStdString()] {
                    SpanView v;
                    v.details.spanId = span;
                    try {
                        if (auto d = PgTraceStore(pg).loadSpan(trace, span))
                            v = prepareSpanView(*d);
                        else
                            v.error = tr("The span is no longer in the store.");
                    } catch (const std::exception &e) {
                        v.error =
                            tr("Could not load the span: %1").arg(QString::fromStdString(e.what()));
                    }
                    return v;
                }).then(this, [this](const SpanView &v) { m_tracePage->showSpan(v); });
            });
    auto *slo = new QTimer(this); // targets change rarely; a minute late is fine
    connect(slo, &QTimer::timeout, this, &ConsoleSession::loadSloTargets);
    slo->start(60'000);
    auto *clock = new QTimer(this); // ages, heartbeats and lingering ended runs move on
    connect(clock, &QTimer::timeout, this,
            [this] { m_liveRuns->tick(QDateTime::currentMSecsSinceEpoch()); });
    clock->start(1000);
}

ConsoleSession::~ConsoleSession() {
    shutdown();
}

void ConsoleSession::stopProbe(bool wait) {
    if (!m_probeThread)
        return;
    // The old probe may be inside a connect timeout: let it finish on its own thread rather
    // than freeze the window, and make sure nothing it still says reaches the window.
    QObject::disconnect(m_probe, nullptr, m_window, nullptr);
    QThread *thread = std::exchange(m_probeThread, nullptr);
    m_probe = nullptr;
    thread->quit();
    if (wait)
        thread->wait();
}

void ConsoleSession::stopFeed(bool wait) {
    if (!m_feedThread)
        return;
    m_feed->stop(); // thread-safe: ends its read loop within 100 ms
    QObject::disconnect(m_feed, nullptr, this, nullptr);
    QThread *thread = std::exchange(m_feedThread, nullptr);
    m_feed = nullptr;
    thread->quit();
    if (wait)
        thread->wait();
}

void ConsoleSession::startFeed() {
    RedisEndpoint endpoint;
    try {
        endpoint = RedisEndpoint::parse(m_settings.redis.toStdString());
    } catch (const StoreError &e) {
        m_liveRunsPage->showStatus(QString::fromStdString(e.what()));
        return;
    }
    m_feed = new LiveFeed(endpoint, m_settings.keyPrefix.toStdString());
    m_feedThread = new QThread(this);
    m_feedThread->setObjectName(QStringLiteral("live-feed"));
    m_feed->moveToThread(m_feedThread);
    connect(m_feedThread, &QThread::started, m_feed, &LiveFeed::run);
    connect(m_feedThread, &QThread::finished, m_feed, &QObject::deleteLater);
    connect(m_feedThread, &QThread::finished, m_feedThread, &QObject::deleteLater);
    connect(m_feed, &LiveFeed::updatesArrived, this,
            [this](const LiveRunUpdates &updates, bool snapshot) {
                m_liveRuns->apply(updates, QDateTime::currentMSecsSinceEpoch(), snapshot);
            });
    connect(
        m_feed, &LiveFeed::connectionChanged, this, [this](bool connected, const QString &message) {
            // Until the fresh snapshot, the rows are what Redis held when it went away.
            m_liveRuns->setStale(!connected, QDateTime::currentMSecsSinceEpoch());
            m_liveRunsPage->showStatus(
                connected ? QString() : tr("Live feed interrupted, reconnecting: %1").arg(message));
        });
    m_feedThread->start();
}

void ConsoleSession::loadSloTargets() {
    if (!m_settings.isComplete())
        return;
    const std::string pg = m_settings.postgres.toStdString();
    QtConcurrent::run([pg] {
        try {
            auto c = connectPostgres(pg);
            return readSloTargets(*c);
        } catch (const std::exception &) {
            return std::vector<SloTargets>{}; // the health probe reports an unreachable store
        }
    }).then(this, [this](const std::vector<SloTargets> &targets) {
        for (const SloTargets &t : targets) {
            m_slo[t.agent] = t;
            m_liveRuns->setLimits(QString::fromStdString(t.agent),
                                  RunawayLimits{t.maxSteps, t.maxCostPerRequestMicros, 30'000});
        }
    });
}

void ConsoleSession::fetchDetails(const QString &runId) {
    const ConnectionSettings s = m_settings;
    const std::string id = runId.toStdString();
    QtConcurrent::run([s, id] {
        RunDetails d;
        d.runId = id;
        try {
            RedisConnection redis(RedisEndpoint::parse(s.redis.toStdString()),
                                  std::chrono::seconds(2));
            redis.connect();
            d = readRunDetails(redis, RedisKeys(s.keyPrefix.toStdString()), id);
        } catch (const std::exception &e) {
            d.error = e.what();
        }
        return d;
    }).then(this, [this](const RunDetails &d) {
        std::optional<SloTargets> slo;
        for (const auto &[k, v] : d.hash)
            if (k == "agent" && m_slo.count(v))
                slo = m_slo.at(v);
        m_liveRunsPage->showDetails(d, slo);
    });
}

void ConsoleSession::openTrace(const QString &traceId, const QString &title) {
    if (!m_settings.isComplete()) {
        m_whenConnected.push_back([this, traceId, title] { openTrace(traceId, title); });
        return;
    }
    const quint64 generation = ++*m_traceGeneration;
    m_window->showPage(m_tracePageIndex);
    m_tracePage->showLoading(traceId, title, 0);
    const std::string pg = m_settings.postgres.toStdString();
    QPointer<TracePage> page = m_tracePage;
    QtConcurrent::run([pg, trace = traceId.toStdString(), traceId, title, page, generation,
                       latest = m_traceGeneration] {
        std::pair<LoadedTrace, QString> out;
        try {
            PgTraceStore store(pg);
            Trace loaded = loadTrace(
                store, trace, traceLoadParts(),
                [&](size_t spans) {
                    QMetaObject::invokeMethod(page, [page, traceId, title, spans] {
                        if (page)
                            page->showLoading(traceId, title, spans);
                    });
                },
                [&] { return latest->load() != generation; }); // another trace was opened
            if (loaded.spans.empty())
                out.second = tr("%1 has no spans in the store yet: a live run writes each span "
                                "when it ends. Reload with F5.")
                                 .arg(title);
            else
                out.first = prepareTrace(std::move(loaded), title);
        } catch (const TraceLoadCancelled &) {
            // Superseded: nothing to show.
        } catch (const std::exception &e) {
            out.second = tr("Could not load the trace: %1").arg(QString::fromStdString(e.what()));
        }
        return out;
    }).then(this, [this, generation](const std::pair<LoadedTrace, QString> &out) {
        if (generation != *m_traceGeneration)
            return; // another trace was opened meanwhile
        if (!out.second.isEmpty())
            m_tracePage->showError(out.second);
        else
            m_tracePage->showTrace(out.first);
    });
}

void ConsoleSession::openTraceOfRun(const QString &runId) {
    if (!m_settings.isComplete()) {
        m_whenConnected.push_back([this, runId] { openTraceOfRun(runId); });
        return;
    }
    const std::string pg = m_settings.postgres.toStdString();
    QtConcurrent::run([pg, run = runId.toStdString()] {
        std::pair<std::optional<std::string>, QString> out;
        try {
            out.first = PgTraceStore(pg).traceOfRun(run);
        } catch (const std::exception &e) {
            out.second = QString::fromStdString(e.what());
        }
        return out;
    }).then(this, [this, runId](const std::pair<std::optional<std::string>, QString> &out) {
        if (!out.second.isEmpty()) {
            m_liveRunsPage->showStatus(
                tr("Could not look up the trace of run %1: %2").arg(runId, out.second));
            return;
        }
        if (!out.first) {
            m_liveRunsPage->showStatus(tr("Run %1 is not in PostgreSQL yet.").arg(runId));
            return;
        }
        openTrace(QString::fromStdString(*out.first), tr("Run %1").arg(runId));
    });
}

namespace {

// What became of a kill of several runs, per run: only what the database recorded is shown
// as a kill on the rows.
struct KillOutcome {
    QStringList applied; // recorded and set in Redis
    QStringList pending; // recorded, waiting in the outbox for Redis
    QStringList lines;   // what to tell the operator
    qint64 recordedMs = 0;
};

} // namespace

void ConsoleSession::kill(const QStringList &runIds, const QString &reason) {
    m_liveRunsPage->showStatus(
        tr("Recording the kill of %n run(s)…", nullptr, static_cast<int>(runIds.size())));
    const ConnectionSettings s = m_settings;
    QPointer<ConsoleSession> self(this);
    // Recorded first, then marked on the rows as the stores hold it; then watched.
    QtConcurrent::run([s, runIds, reason, self] {
        KillOutcome out;
        try {
            const RedisEndpoint redis = RedisEndpoint::parse(s.redis.toStdString());
            ActionsService actions(s.postgres.toStdString(), redis, s.keyPrefix.toStdString());
            std::optional<RunEndWatcher> watcher;
            try {
                watcher.emplace(redis, s.keyPrefix.toStdString());
            } catch (const std::exception &) {
                // Redis is down: the kills are recorded all the same and wait in the outbox.
            }
            const auto started = std::chrono::steady_clock::now();
            std::set<std::string> requested;
            for (const QString &id : runIds) {
                try {
                    const ActionResult r = actions.killRun(id.toStdString(), reason.toStdString());
                    if (r.mirrored) {
                        out.applied << id;
                        requested.insert(id.toStdString());
                    } else {
                        out.pending << id;
                        out.lines << tr("%1: kill recorded; Redis cannot be reached (%2), so it "
                                        "waits to be applied.")
                                         .arg(id, QString::fromStdString(r.mirrorError));
                    }
                } catch (const ActionRefused &e) {
                    out.lines << tr("%1: refused: %2").arg(id, QString::fromStdString(e.what()));
                } catch (const StoreError &e) {
                    out.lines
                        << tr("%1: not recorded: %2").arg(id, QString::fromStdString(e.what()));
                }
            }
            out.recordedMs = QDateTime::currentMSecsSinceEpoch();
            if (self && (!out.applied.isEmpty() || !out.pending.isEmpty()))
                QMetaObject::invokeMethod(self.data(), [self, out] {
                    if (!self)
                        return;
                    self->m_liveRuns->markKillRequested(out.applied, out.recordedMs,
                                                        out.recordedMs + 5000, true);
                    self->m_liveRuns->markKillRequested(out.pending, out.recordedMs,
                                                        out.recordedMs + 5000, false);
                });
            if (watcher && !requested.empty()) {
                const auto ended = watcher->waitFor(requested, std::chrono::seconds(5));
                for (const auto &id : requested) {
                    auto it = ended.find(id);
                    const QString run = QString::fromStdString(id);
                    if (it == ended.end())
                        out.lines << tr("%1: still running 5 s after the kill: its agent is not "
                                        "honouring kills.")
                                         .arg(run);
                    else
                        out.lines << tr("%1: %2 after %3 ms.")
                                         .arg(run, QString::fromStdString(it->second.status))
                                         .arg(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  it->second.seenAt - started)
                                                  .count());
                }
            }
        } catch (const std::exception &e) {
            out.lines << QString::fromStdString(e.what());
        }
        return out.lines.join(QLatin1Char('\n'));
    }).then(this, [this](const QString &outcome) { m_liveRunsPage->showStatus(outcome); });
}

void ConsoleSession::connectTo(const ConnectionSettings &settings) {
    stopProbe(false);
    stopFeed(false);
    m_settings = settings;
    if (m_sandboxDir.isEmpty())
        rememberConnection(settings);
    m_window->showHealth(StoreHealth{});
    m_probe = new StoreHealthProbe(settings);
    m_probeThread = new QThread(this);
    m_probeThread->setObjectName(QStringLiteral("store-health"));
    m_probe->moveToThread(m_probeThread);
    connect(m_probeThread, &QThread::started, m_probe, &StoreHealthProbe::start);
    connect(m_probeThread, &QThread::finished, m_probe, &QObject::deleteLater);
    connect(m_probeThread, &QThread::finished, m_probeThread, &QObject::deleteLater);
    connect(m_probe, &StoreHealthProbe::healthChanged, m_window, &MainWindow::showHealth);
    connect(m_probe, &StoreHealthProbe::activityChanged, m_window, &MainWindow::showActivity);
    connect(m_probe, &StoreHealthProbe::healthChanged, m_liveRunsPage,
            [this](const StoreHealth &h) {
                if (h.postgres != StoreHealth::State::Healthy)
                    m_liveRunsPage->setKillAllowed(false, tr("PostgreSQL is not reachable."));
                else if (!h.roles.contains(QStringLiteral("operator")))
                    m_liveRunsPage->setKillAllowed(false, tr("%1 may not kill runs: that needs the "
                                                             "pitwall_operator role.")
                                                              .arg(h.role));
                else
                    m_liveRunsPage->setKillAllowed(true, {});
            });
    m_probeThread->start();
    startFeed();
    loadSloTargets();
    if (m_settings.isComplete())
        for (auto todo : std::exchange(m_whenConnected, {}))
            todo();
}

// The addresses go to the settings file, the passwords to the system keychain; without a
// keychain they are not kept at all (the dialog asks again), and the window says so.
void ConsoleSession::rememberConnection(const ConnectionSettings &settings) {
    const auto pg = ConnectionSettings::splitPostgres(settings.postgres);
    const auto redis = ConnectionSettings::splitRedis(settings.redis);
    QSettings stored;
    stored.setValue(QStringLiteral("connection/postgres"), pg.address);
    stored.setValue(QStringLiteral("connection/redis"), redis.address);
    SecretStore keychain;
    QString problem;
    for (const auto &[kind, c] :
         {std::pair{QStringLiteral("postgres "), pg}, std::pair{QStringLiteral("redis "), redis}}) {
        if (c.address.isEmpty())
            continue;
        if (c.password.isEmpty())
            keychain.remove(kind + c.address);
        else if (!keychain.write(kind + c.address, c.password))
            problem = keychain.lastError();
    }
    if (!problem.isEmpty())
        m_window->statusBar()->showMessage(
            tr("%1 The password was not saved: it will be asked for again.").arg(problem), 15000);
}

ConnectionSettings ConsoleSession::rememberedConnection() const {
    ConnectionSettings s = m_settings;
    QSettings stored;
    const QString pg = stored.value(QStringLiteral("connection/postgres")).toString();
    const QString redis = stored.value(QStringLiteral("connection/redis")).toString();
    SecretStore keychain;
    s.postgres = ConnectionSettings::joinPostgres(
        pg, pg.isEmpty() ? QString()
                         : keychain.read(QStringLiteral("postgres ") + pg).value_or(QString()));
    s.redis = ConnectionSettings::joinRedis(
        redis, redis.isEmpty()
                   ? QString()
                   : keychain.read(QStringLiteral("redis ") + redis).value_or(QString()));
    return s;
}

void ConsoleSession::askForConnection() {
    ConnectionSettings initial = m_settings;
    if (!initial.isComplete())
        initial = rememberedConnection();
    ConnectDialog dialog(initial, m_window);
    dialog.exec();
    switch (dialog.choice()) {
    case ConnectDialog::Choice::Connect:
        connectTo(dialog.settings());
        break;
    case ConnectDialog::Choice::Sandbox:
        startSandbox(Sandbox::defaultDir(), true);
        break;
    case ConnectDialog::Choice::Cancel:
        if (!m_settings.isComplete())
            m_window->showMessage(tr("Not connected. Use File › Connect… (Ctrl+K) to choose the "
                                     "stores or start a local sandbox."));
        break;
    }
}

void ConsoleSession::startSandbox(const QString &dir, bool demo) {
    m_sandboxDir = dir;
    m_window->showMessage(tr("Starting a local sandbox in %1…").arg(dir));
    auto progress = [window = m_window](const QString &line) {
        QMetaObject::invokeMethod(
            window, [window, line] { window->showMessage(line + QStringLiteral("…")); });
    };
    struct Outcome {
        SandboxInfo info;
        QString error;
        bool wasRunning = false;
    };
    // The worker records ownership itself: a console closed while the servers start must
    // still stop them (shutdown() waits for this future).
    auto start = QtConcurrent::run([this, dir, progress] {
        Outcome o;
        try {
            Sandbox box(dir);
            o.wasRunning = box.isRunning();
            o.info = box.up(progress);
            if (!o.wasRunning)
                m_ownsSandbox = true;
        } catch (const std::exception &e) {
            o.error = QString::fromStdString(e.what());
        }
        return o;
    });
    m_sandboxStart = QFuture<void>(start);
    start.then(this, [this, demo](const Outcome &o) {
        if (!o.error.isEmpty()) {
            m_window->showMessage(tr("The sandbox could not start: %1").arg(o.error));
            return;
        }
        m_window->showMessage(
            demo ? tr("Local sandbox in %1 with a simulated fleet.").arg(o.info.dir)
                 : tr("Local sandbox in %1.").arg(o.info.dir));
        ConnectionSettings s;
        s.postgres = o.info.console;
        s.redis = o.info.redis;
        connectTo(s);
        if (demo)
            startFleet(o.info.agent, o.info.redis);
    });
}

void ConsoleSession::startFleet(const QString &agentConninfo, const QString &redis) {
    if (m_fleetThread.joinable())
        return;
    m_stopFleet = false;
    FleetOptions o;
    o.guard.pg = agentConninfo.toStdString();
    o.guard.redis = RedisEndpoint::parse(redis.toStdString());
    o.rate = 6;
    m_fleetThread = std::thread([this, o] {
        try {
            Fleet fleet(o);
            fleet.seed();
            fleet.run(m_stopFleet);
        } catch (const std::exception &e) {
            const QString error = QString::fromStdString(e.what());
            QMetaObject::invokeMethod(m_window, [w = m_window, error] {
                w->showMessage(ConsoleSession::tr("The demo fleet stopped: %1").arg(error));
            });
        }
    });
}

void ConsoleSession::shutdown() {
    m_sandboxStart.waitForFinished();
    stopProbe(true);
    stopFeed(true);
    // Probes of earlier connections may still be finishing a connect timeout.
    const auto threads = findChildren<QThread *>();
    for (QThread *thread : threads) {
        thread->quit();
        thread->wait();
    }
    m_stopFleet = true;
    if (m_fleetThread.joinable())
        m_fleetThread.join();
    if (m_ownsSandbox.exchange(false)) {
        try {
            Sandbox(m_sandboxDir).down();
        } catch (const std::exception &) {
            // Exiting anyway; `pitwallctl sandbox down` can finish the job.
        }
    }
}

} // namespace pitwall

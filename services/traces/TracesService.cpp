#include "TracesService.h"

#include "StoreWorker.h"
#include "TraceLoader.h"
#include "TraceStore.h"

#include <QPointer>

namespace pitwall {

TracesService::TracesService(QObject *parent)
    : QObject(parent)
    , m_reads(new StoreWorker(QStringLiteral("traces-reads"), this))
    , m_loads(new StoreWorker(QStringLiteral("traces-loads"), this)) {}

TracesService::~TracesService() {
    m_trace.supersede(); // a load in flight stops at its next few thousand spans
    delete std::exchange(m_loads, nullptr);
    delete std::exchange(m_reads, nullptr);
}

void TracesService::connectTo(const ConnectionSettings &settings) {
    m_settings = settings;
    m_runs.supersede();
    m_trace.supersede();
    m_span.supersede();
    m_reads->setSettings(settings);
    m_loads->setSettings(settings);
    if (m_settings.isComplete())
        for (auto &todo : std::exchange(m_whenConnected, {}))
            todo();
}

void TracesService::whenConnected(std::function<void()> todo) {
    m_whenConnected.push_back(std::move(todo));
}

void TracesService::findRuns(const RunFilter &filter, const std::optional<RunCursor> &after) {
    if (!m_settings.isComplete())
        return whenConnected([this, filter, after] { findRuns(filter, after); });
    struct Answer {
        RunPage page;
        QString error;
    };
    // A "More runs" and a new search share one lane: whichever came last is the one answered.
    m_reads->request<Answer>(
        m_runs.next(), this,
        [filter, after](StoreConnections &c) {
            return Answer{c.traceStore().findRuns(filter, after, kRunsPerPage), {}};
        },
        [](const QString &error) {
            return Answer{{}, error};
        },
        [this, append = after.has_value()](const Answer &a) {
            if (!a.error.isEmpty())
                Q_EMIT runsFailed(tr("Could not list runs: %1").arg(a.error));
            else
                Q_EMIT runsFound(a.page, append);
        });
}

void TracesService::loadSpan(const QString &traceId, const QString &spanId) {
    if (!m_settings.isComplete())
        return whenConnected([this, traceId, spanId] { loadSpan(traceId, spanId); });
    const std::string trace = traceId.toStdString(), span = spanId.toStdString();
    m_reads->request<SpanView>(
        m_span.next(), this,
        [trace, span](StoreConnections &c) {
            if (auto d = c.traceStore().loadSpan(trace, span))
                return prepareSpanView(*d);
            SpanView v;
            v.details.spanId = span;
            v.error = tr("The span is no longer in the store.");
            return v;
        },
        [span](const QString &error) {
            SpanView v;
            v.details.spanId = span;
            v.error = tr("Could not load the span: %1").arg(error);
            return v;
        },
        [this](const SpanView &v) { Q_EMIT spanLoaded(v); });
}

void TracesService::openTrace(const QString &traceId, const QString &title) {
    if (!m_settings.isComplete())
        return whenConnected([this, traceId, title] { openTrace(traceId, title); });
    const RequestLane::Ticket ticket = m_trace.next();
    Q_EMIT traceLoading(traceId, title, 0);
    load(ticket, traceId, QString(), title);
}

void TracesService::openTraceOfRun(const QString &runId) {
    if (!m_settings.isComplete())
        return whenConnected([this, runId] { openTraceOfRun(runId); });
    load(m_trace.next(), QString(), runId, tr("Run %1").arg(runId));
}

namespace {

struct TraceAnswer {
    LoadedTrace trace;
    QString error;
    bool runMissing = false; // the error is about finding the run's trace
};

} // namespace

// With a run id, the run's trace is looked up first, on the same thread.
void TracesService::load(RequestLane::Ticket ticket, const QString &traceId, const QString &runId,
                         const QString &title) {
    QPointer<TracesService> self(this);
    m_loads->request<TraceAnswer>(
        ticket, this,
        [ticket, traceId, runId, title, self](StoreConnections &c) {
            TraceAnswer out;
            QString id = traceId;
            if (!runId.isEmpty()) {
                try {
                    const auto found = c.traceStore().traceOfRun(runId.toStdString());
                    if (!found) {
                        out.runMissing = true;
                        out.error = tr("Run %1 is not in PostgreSQL yet.").arg(runId);
                        return out;
                    }
                    id = QString::fromStdString(*found);
                } catch (const std::exception &e) {
                    c.failed(e.what());
                    out.runMissing = true;
                    out.error = tr("Could not look up the trace of run %1: %2")
                                    .arg(runId, QString::fromStdString(e.what()));
                    return out;
                }
            }
            // Progress reaches the page only while this load is the latest one.
            auto progress = [ticket, self, id, title](size_t spans) {
                if (!ticket.stillWanted() || !self)
                    return;
                QMetaObject::invokeMethod(
                    self.data(),
                    [ticket, self, id, title, spans] {
                        if (self && ticket.stillWanted())
                            Q_EMIT self->traceLoading(id, title, spans);
                    },
                    Qt::QueuedConnection);
            };
            if (!runId.isEmpty())
                progress(0);
            try {
                Trace loaded = loadTrace(c.traceStore(), id.toStdString(), traceLoadParts(),
                                         progress, [ticket] { return !ticket.stillWanted(); });
                if (loaded.spans.empty())
                    out.error = tr("%1 has no spans in the store yet: a live run writes each span "
                                   "when it ends. Reload with F5.")
                                    .arg(title);
                else
                    out.trace = prepareTrace(std::move(loaded), title);
            } catch (const TraceLoadCancelled &) {
                // Superseded: the answer is dropped.
            }
            return out;
        },
        [](const QString &error) {
            return TraceAnswer{{}, tr("Could not load the trace: %1").arg(error), false};
        },
        [this](const TraceAnswer &a) {
            if (a.runMissing)
                Q_EMIT runTraceMissing(a.error);
            else if (!a.error.isEmpty())
                Q_EMIT traceFailed(a.error);
            else if (a.trace.trace)
                Q_EMIT traceLoaded(a.trace);
        });
}

} // namespace pitwall

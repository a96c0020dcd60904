#pragma once

#include "ConnectionSettings.h"
#include "LoadedTrace.h"
#include "RequestLane.h"
#include "TraceRecords.h"

#include <QObject>

#include <functional>
#include <optional>
#include <vector>

namespace pitwall {

class StoreWorker;

// The traces' area: the run finder, trace loads and span details. Loads run on a worker of
// their own (a million spans take a second or two, and read their parts on threads of their
// own), the finder and span details on another. A new request of a kind supersedes the one
// before it: its answer and its progress are dropped here, and a superseded load stops.
// Requests made before a connection is chosen (a sandbox still starting) run once it is.
class TracesService : public QObject {
    Q_OBJECT
public:
    explicit TracesService(QObject *parent = nullptr);
    ~TracesService() override;

    void connectTo(const ConnectionSettings &settings);
    // `after` empty: a new search; else the page after it ("More runs").
    void findRuns(const RunFilter &filter, const std::optional<RunCursor> &after);
    void openTrace(const QString &traceId, const QString &title);
    void openTraceOfRun(const QString &runId);
    void loadSpan(const QString &traceId, const QString &spanId);

    static constexpr int kRunsPerPage = 200;

Q_SIGNALS:
    void runsFound(const pitwall::RunPage &page, bool append);
    void runsFailed(const QString &error);
    // A load started (spans 0), and how far it has come; only for the latest load.
    void traceLoading(const QString &traceId, const QString &title, qulonglong spans);
    void traceLoaded(const pitwall::LoadedTrace &trace);
    void traceFailed(const QString &error);
    // The run's trace could not be found: the run is not in PostgreSQL yet, or it failed.
    void runTraceMissing(const QString &message);
    void spanLoaded(const pitwall::SpanView &span);

private:
    void whenConnected(std::function<void()> todo);
    void load(RequestLane::Ticket ticket, const QString &traceId, const QString &runId,
              const QString &title);

    ConnectionSettings m_settings;
    RequestLane m_runs, m_trace, m_span;
    StoreWorker *m_reads = nullptr;
    StoreWorker *m_loads = nullptr;
    std::vector<std::function<void()>> m_whenConnected;
};

} // namespace pitwall

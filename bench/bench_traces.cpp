// Trace viewer at 10k, 100k and 1M spans: skeleton load from PostgreSQL, layout (the per-depth
// index), bytes per span, first paint, and the time of a frame (p50/p99) fully zoomed out, at
// a mid zoom and zoomed into one span. Needs a sandbox: PITWALL_BENCH_AGENT_PG (to write the
// giant traces) and PITWALL_BENCH_PG (to read them); scripts/bench-traces.sh sets both.
#include "GiantTrace.h"
#include "LoadedTrace.h"
#include "PgConnect.h"
#include "TimelineLayout.h"
#include "TimelineView.h"
#include "Trace.h"
#include "TraceLoader.h"
#include "TracePage.h"
#include "TraceStore.h"
#include "TraceText.h"

#include <QApplication>

#include <QImage>
#include <QPainter>
#include <QPlainTextEdit>
#include <libpq-fe.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

using namespace pitwall;

namespace {

std::map<int64_t, std::string> traces; // spans -> trace id, written once per run

const std::string *traceOf(benchmark::State &state) {
    const QByteArray writer = qgetenv("PITWALL_BENCH_AGENT_PG");
    if (writer.isEmpty() || qEnvironmentVariableIsEmpty("PITWALL_BENCH_PG")) {
        state.SkipWithError("set PITWALL_BENCH_AGENT_PG and PITWALL_BENCH_PG (a sandbox)");
        return nullptr;
    }
    auto &id = traces[state.range(0)];
    if (id.empty()) {
        // Reuse a giant trace of this size from an earlier run: every new one makes the
        // spans table, and so every scan of it, bigger.
        auto pg = connectPostgres(writer.toStdString());
        {
            pqxx::read_transaction tx(*pg);
            const auto r =
                tx.exec("SELECT trace_id FROM pitwall.runs WHERE trace_id LIKE " +
                        tx.quote("giant-" + std::to_string(state.range(0)) + "-%") + " LIMIT 1");
            if (!r.empty())
                id = r[0][0].as<std::string>();
        }
        if (id.empty())
            id = writeGiantTrace(*pg, size_t(state.range(0)), 7).traceId;
    }
    return &id;
}

std::shared_ptr<const Trace> load(const std::string &traceId) {
    PgTraceStore store(qgetenv("PITWALL_BENCH_PG").toStdString());
    return std::make_shared<const Trace>(loadTrace(store, traceId, traceLoadParts()));
}

double ms(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

// The skeleton loaded and built, in one part (one connection) and in as many parts as
// the console uses here (traceLoadParts()).
void BM_SkeletonLoad(benchmark::State &state) {
    const std::string *id = traceOf(state);
    if (!id)
        return;
    size_t spans = 0;
    for (auto _ : state) {
        PgTraceStore store(qgetenv("PITWALL_BENCH_PG").toStdString());
        spans = loadTrace(store, *id, int(state.range(1))).spans.size();
    }
    state.counters["spans"] = double(spans);
}

// Baseline: the same COPY read with libpq and thrown away, no parsing, nothing built. What the
// server and the socket cost; the skeleton load cannot be faster.
void BM_BaselineBareCopy(benchmark::State &state) {
    const std::string *id = traceOf(state);
    if (!id)
        return;
    for (auto _ : state) {
        PGconn *c = PQconnectdb(qgetenv("PITWALL_BENCH_PG").constData());
        const std::string sql =
            "COPY (SELECT span_id, parent_span_id, started_at, ended_at, "
            "name, kind, status, model, tool, input_tokens, output_tokens, "
            "(cost_usd * 1000000)::bigint, args_hash FROM pitwall.spans WHERE trace_id = '" +
            *id + "') TO STDOUT";
        PQclear(PQexec(c, sql.c_str()));
        size_t rows = 0;
        char *row = nullptr;
        while (PQgetCopyData(c, &row, 0) >= 0) {
            PQfreemem(row);
            ++rows;
        }
        PQclear(PQgetResult(c));
        PQfinish(c);
        benchmark::DoNotOptimize(rows);
    }
}

void BM_Layout(benchmark::State &state) {
    const std::string *id = traceOf(state);
    if (!id)
        return;
    const auto trace = load(*id);
    size_t bytes = 0;
    for (auto _ : state) {
        TimelineIndex index(*trace);
        benchmark::DoNotOptimize(
            index.layout(TimeAxis::fit(trace->startUs, trace->endUs, 1600), 1600, 0, 30));
        bytes = index.bytes();
    }
    state.counters["bytes_per_span"] = double(trace->bytes() + bytes) / double(trace->spans.size());
}

// From nothing to the first frame on screen, as the console does it: load the skeleton from
// PostgreSQL (in parts over several connections) and build the trace, prepare it (timeline index,
// tool loops, critical path, summary; on a worker in the console), show it on the traces page
// (tree, timeline, header) and paint the page. The phases are printed as counters (milliseconds,
// means over the iterations).
void BM_FirstPaint(benchmark::State &state) {
    const std::string *id = traceOf(state);
    if (!id)
        return;
    TracePage page;
    page.resize(1600, 1000);
    page.show();
    QImage image(page.size(), QImage::Format_ARGB32_Premultiplied);
    double load = 0, prepare = 0, show = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        PgTraceStore store(qgetenv("PITWALL_BENCH_PG").toStdString());
        Trace trace = loadTrace(store, *id, traceLoadParts());
        const auto t1 = std::chrono::steady_clock::now();
        const LoadedTrace loaded = prepareTrace(std::move(trace), QStringLiteral("giant"));
        const auto t2 = std::chrono::steady_clock::now();
        page.showTrace(loaded);
        QPainter painter(&image);
        page.render(&painter);
        painter.end();
        const auto t3 = std::chrono::steady_clock::now();
        load += ms(t1 - t0);
        prepare += ms(t2 - t1);
        show += ms(t3 - t2);
    }
    const auto n = double(state.iterations());
    state.counters["load_ms"] = load / n;
    state.counters["prepare_ms"] = prepare / n;
    state.counters["show_paint_ms"] = show / n;
}

// Frames while panning (every frame a new range, so the geometry cache never helps) at three
// zoom levels; p50 and p99 of the frame times.
void BM_Frame(benchmark::State &state) {
    const std::string *id = traceOf(state);
    if (!id)
        return;
    static std::map<int64_t,
                    std::pair<std::shared_ptr<const Trace>, std::shared_ptr<const TimelineIndex>>>
        loaded;
    auto &l = loaded[state.range(0)];
    if (!l.first) {
        l.first = load(*id);
        l.second = std::make_shared<const TimelineIndex>(*l.first);
    }
    TimelineView view;
    view.resize(1600, 600);
    view.setTrace(l.first, l.second, {});
    const Trace &t = *l.first;
    switch (state.range(1)) {
    case 0: // the whole trace
        view.fitAll();
        break;
    case 1: // a hundredth of it
        view.setAxis(TimeAxis::fit(
            t.startUs + (t.endUs - t.startUs) / 2,
            t.startUs + (t.endUs - t.startUs) / 2 + (t.endUs - t.startUs) / 100, 1600));
        break;
    default: // one LLM call in the middle
        view.fitSpan(uint32_t(t.spans.size() / 2));
        break;
    }
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> frames;
    int step = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        view.setAxis(view.axis().panned(++step % 2 ? 3 : -2));
        QPainter painter(&image);
        view.render(&painter);
        painter.end();
        frames.push_back(ms(std::chrono::steady_clock::now() - start));
    }
    std::sort(frames.begin(), frames.end());
    state.counters["p50_ms"] = frames[frames.size() / 2];
    state.counters["p99_ms"] = frames[size_t(double(frames.size() - 1) * 0.99)];
    state.counters["boxes"] = double(view.boxesDrawn());
}

// A span's payload on screen: pretty-print (off the GUI thread in the console) and the part on
// the GUI thread, setting the text and painting it; 1 MB and 10 MB of JSON.
void BM_ShowPayload(benchmark::State &state) {
    std::string json = "{\"messages\":[";
    while (json.size() < size_t(state.range(0)))
        json += R"({"role":"user","content":"a line of the conversation, <b>not markup</b>"},)";
    json += R"({"role":"assistant"}]})";
    QPlainTextEdit view;
    view.resize(900, 400);
    view.setReadOnly(true);
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    double worker = 0, gui = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        const Payload p = formatPayload(json, true);
        const auto formatted = std::chrono::steady_clock::now();
        view.setPlainText(p.shown);
        QPainter painter(&image);
        view.render(&painter);
        painter.end();
        worker += ms(formatted - start);
        gui += ms(std::chrono::steady_clock::now() - formatted);
    }
    state.counters["worker_ms"] = worker / double(state.iterations());
    state.counters["gui_thread_ms"] = gui / double(state.iterations());
}

} // namespace

BENCHMARK(BM_ShowPayload)->Arg(1 << 20)->Arg(10 << 20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SkeletonLoad)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, traceLoadParts()}})
    ->ArgNames({"spans", "parts"})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselineBareCopy)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Layout)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FirstPaint)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Frame)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {0, 1, 2}})
    ->ArgNames({"spans", "zoom"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(300);

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The offscreen platform says so on every show(): not a figure.
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &message) {
        if (!message.contains(QLatin1String("propagateSizeHints")))
            fprintf(stderr, "%s\n", qPrintable(message));
    });
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

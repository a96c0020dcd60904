// Live runs table at 100k and 1M runs: bytes per run, applying updates, filter, sort, paint of
// the visible rows, and (with a sandbox) the latency from an event written by the fleet to the
// model holding it. QSortFilterProxyModel over the same model is the baseline.
#include "Fleet.h"
#include "LiveFeed.h"
#include "LiveRunsModel.h"
#include "LiveRunsPage.h"

#include <QApplication>
#include <QDateTime>
#include <QHeaderView>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QThread>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <random>

using namespace pitwall;

namespace {

constexpr int64_t kT0 = 1'800'000'000'000;
const char *const kAgents[] = {"support-bot", "research-agent", "code-review", "billing-helper"};
const char *const kSpans[] = {"llm:plan",   "tool:crm_lookup",   "tool:web_search",
                              "llm:answer", "tool:payments_api", "tool:kb_search"};

std::string runId(uint64_t n) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%08llx-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(n * 2654435761u & 0xffffffffu),
                  static_cast<unsigned long long>(n % 1'000'000'000'000ull));
    return buf;
}

LiveRunUpdate startOf(uint64_t n, std::mt19937_64 &rng, int users) {
    LiveRunUpdate u;
    u.kind = LiveRunUpdate::Kind::Started;
    u.runId = runId(n);
    const auto agent = n % 4;
    u.agent = kAgents[agent];
    u.version = "v" + std::to_string(agent * 3 + (n % 7 == 0 ? 2 : 1));
    u.canary = n % 7 == 0;
    // Zipf-like users: a few heavy ones, a long tail.
    const double x = std::uniform_real_distribution<double>(0, 1)(rng);
    u.user = "user-" + std::to_string(static_cast<int>(std::pow(x, 3) * users));
    u.entryPoint = n % 3 ? "http" : "slack";
    u.atMs = u.startedMs = kT0 + static_cast<int64_t>(n % 600'000);
    u.maxSteps = 30;
    return u;
}

LiveRunUpdate stepOf(uint64_t n, int step) {
    LiveRunUpdate u;
    u.kind = LiveRunUpdate::Kind::Step;
    u.runId = runId(n);
    u.step = step;
    u.costMicros = step * 1'700;
    u.lastSpan = kSpans[(n + step) % 6];
    u.toolRepeats = step % 5 == 0 ? 3 : 0;
    u.atMs = kT0 + 600'000 + step * 100;
    return u;
}

// One model per size, built once and shared by the benchmarks of that size; the tables on them.
// Both are cleared before the application goes.
std::map<int64_t, std::unique_ptr<LiveRunsModel>> models;
std::map<QAbstractItemModel *, std::unique_ptr<LiveRunsPage>> views;

LiveRunsModel &modelOf(int64_t runs) {
    auto &m = models[runs];
    if (!m) {
        m = std::make_unique<LiveRunsModel>();
        std::mt19937_64 rng(7);
        LiveRunUpdates batch;
        for (int64_t n = 0; n < runs; ++n) {
            batch.push_back(startOf(uint64_t(n), rng, static_cast<int>(runs / 20)));
            batch.push_back(stepOf(uint64_t(n), 1 + int(n % 20)));
            if (batch.size() >= 20'000) {
                m->apply(batch, kT0 + 600'000);
                batch.clear();
            }
        }
        m->apply(batch, kT0 + 600'000);
    }
    return *m;
}

void BM_BytesPerRun(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    for (auto _ : state)
        benchmark::DoNotOptimize(model.bytesPerRun());
    const auto m = model.memory();
    const double runs = double(state.range(0));
    state.counters["bytes_per_run"] = model.bytesPerRun();
    state.counters["rows"] = double(m.rows) / runs; // 56-byte rows and the vector's slack
    state.counters["id_index"] = double(m.index) / runs;
    state.counters["view"] = double(m.view) / runs;
    state.counters["strings"] = double(m.strings) / runs; // users are 1 in 20 runs here
}

// 10k step updates in 10 batches of 1k, as the feed hands them over in a second at 10k/s:
// the CPU time is the share of one core that rate costs.
void BM_Apply10kUpdates(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    const int64_t runs = state.range(0);
    std::mt19937_64 rng(11);
    int step = 21;
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<LiveRunUpdates> batches(10);
        for (auto &b : batches)
            for (int i = 0; i < 1000; ++i)
                b.push_back(stepOf(rng() % uint64_t(runs), step));
        ++step;
        state.ResumeTiming();
        for (const auto &b : batches)
            model.apply(b, kT0 + 600'000 + step * 100);
    }
    state.counters["core_share_at_10k_per_s"] = benchmark::Counter(
        double(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// A whole filter change, computed in place: copy the rows, match every one, sort the matches
// by age, install the view.
void BM_Filter(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    model.setFilterText(QStringLiteral("support user-1"));
    for (auto _ : state) {
        model.setFilterText(state.iterations() % 2 ? QStringLiteral("support user-1")
                                                   : QStringLiteral("version:v2 running"));
        benchmark::DoNotOptimize(model.rowCount());
    }
    state.counters["rows_shown"] = model.rowCount();
    model.setFilterText(QString());
}

// The worker's part alone: match every row of a copy, sort the matches by age.
void BM_FilterOnWorker(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    LiveRunsViewInput input = model.viewInput();
    for (auto _ : state) {
        input.filter =
            LiveRunsFilter::parse(state.iterations() % 2 ? QStringLiteral("support user-1")
                                                         : QStringLiteral("version:v2 running"));
        benchmark::DoNotOptimize(computeLiveRunsView(input).size());
    }
}

void BM_Sort(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    int column = LiveRunsModel::Spend;
    for (auto _ : state) {
        model.sort(column, Qt::DescendingOrder);
        column = column == LiveRunsModel::Spend ? LiveRunsModel::User : LiveRunsModel::Spend;
    }
    model.sort(LiveRunsModel::Age, Qt::AscendingOrder);
}

// What a rebuild costs the GUI thread: the copy of the rows handed to the worker.
void BM_RebuildCopyOnGuiThread(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    for (auto _ : state)
        benchmark::DoNotOptimize(model.viewInput().rows->data());
}

QTableView &tableOf(QAbstractItemModel *model) {
    auto &v = views[model];
    if (!v) {
        // The console's own page around the model, at the size of a large window.
        v = std::make_unique<LiveRunsPage>(static_cast<LiveRunsModel *>(model));
        v->resize(1600, 900);
        v->show();
        QApplication::processEvents();
    }
    return *v->table();
}

// Jump to a random place and paint the visible rows (about 40 of 12 columns).
void BM_JumpAndPaint(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    QTableView &view = tableOf(&model);
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    std::mt19937_64 rng(3);
    for (auto _ : state) {
        view.verticalScrollBar()->setValue(int(rng() % uint64_t(model.rowCount())));
        QPainter painter(&image);
        view.viewport()->render(&painter);
    }
}

// Paint the visible rows where they are (a repaint after an update batch).
void BM_Paint(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    QTableView &view = tableOf(&model);
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        QPainter painter(&image);
        view.viewport()->render(&painter);
    }
}

// Baseline: the same paint with Qt's general delegate (a text layout per cell).
void BM_BaselinePaintStyledDelegate(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    QTableView &view = tableOf(&model);
    QAbstractItemDelegate *own = view.itemDelegate();
    QStyledItemDelegate styled;
    view.setItemDelegate(&styled);
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        QPainter painter(&image);
        view.viewport()->render(&painter);
    }
    view.setItemDelegate(own);
}

// Baseline: QSortFilterProxyModel sorting the same model by spend.
void BM_BaselineProxySort(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    int column = LiveRunsModel::Spend;
    for (auto _ : state) {
        proxy.sort(column, Qt::DescendingOrder);
        column = column == LiveRunsModel::Spend ? LiveRunsModel::User : LiveRunsModel::Spend;
    }
}

void BM_BaselineProxyFilter(benchmark::State &state) {
    LiveRunsModel &model = modelOf(state.range(0));
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilterKeyColumn(-1);
    for (auto _ : state) {
        proxy.setFilterFixedString(state.iterations() % 2 ? QStringLiteral("user-1")
                                                          : QStringLiteral("support"));
        benchmark::DoNotOptimize(proxy.rowCount());
    }
}

// The fleet at a high rate against the sandbox in PITWALL_BENCH_AGENT_PG / PITWALL_BENCH_REDIS,
// the live feed on its thread, the model on this one: from the event's at_ms (written by the
// guard just before XADD) to the model holding it.
void BM_FeedEventToModel(benchmark::State &state) {
    const QByteArray pg = qgetenv("PITWALL_BENCH_AGENT_PG");
    const QByteArray redis = qgetenv("PITWALL_BENCH_REDIS");
    if (pg.isEmpty() || redis.isEmpty()) {
        state.SkipWithError("set PITWALL_BENCH_AGENT_PG and PITWALL_BENCH_REDIS (a sandbox)");
        return;
    }
    FleetOptions o;
    o.guard.pg = pg.toStdString();
    o.guard.redis = RedisEndpoint::parse(redis.toStdString());
    o.rate = double(state.range(0));
    o.latencyScale = 0.1;
    o.maxConcurrentRuns = 600;
    o.durationSeconds = 0;
    std::atomic<bool> stop{false};
    Fleet fleet(o);
    fleet.seed();
    std::thread fleetThread([&] { fleet.run(stop); });

    LiveRunsModel model;
    model.setAsync(true);
    std::vector<int64_t> delays;
    int64_t events = 0;
    auto *feed = new LiveFeed(o.guard.redis, "pitwall:");
    QThread thread;
    feed->moveToThread(&thread);
    QObject::connect(&thread, &QThread::started, feed, &LiveFeed::run);
    QObject::connect(&thread, &QThread::finished, feed, &QObject::deleteLater);
    QObject::connect(feed, &LiveFeed::updatesArrived, &model,
                     [&](const LiveRunUpdates &updates, bool snapshot) {
                         const int64_t now = QDateTime::currentMSecsSinceEpoch();
                         model.apply(updates, now, snapshot);
                         if (snapshot)
                             return;
                         for (const auto &u : updates)
                             delays.push_back(now - u.atMs);
                         events += int64_t(updates.size());
                     });
    thread.start();
    for (auto _ : state) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < until)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    feed->stop();
    thread.quit();
    thread.wait();
    stop = true;
    fleetThread.join();
    std::sort(delays.begin(), delays.end());
    auto at = [&](double q) {
        return delays.empty() ? 0.0 : double(delays[size_t(q * double(delays.size() - 1))]);
    };
    state.counters["events_per_s"] = double(events) / 20.0;
    state.counters["p50_ms"] = at(0.5);
    state.counters["p99_ms"] = at(0.99);
    state.counters["runs_in_model"] = model.runCount();
}

} // namespace

BENCHMARK(BM_BytesPerRun)->Arg(100'000)->Arg(1'000'000)->Iterations(1);
BENCHMARK(BM_Apply10kUpdates)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Filter)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FilterOnWorker)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Sort)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RebuildCopyOnGuiThread)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JumpAndPaint)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Paint)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselinePaintStyledDelegate)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselineProxyFilter)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_BaselineProxySort)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_FeedEventToModel)->Arg(300)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    views.clear();
    models.clear();
    return 0;
}

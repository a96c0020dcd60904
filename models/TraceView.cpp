#include "TraceView.h"

#include <QThread>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace pitwall {
namespace {

struct Stopped {}; // thrown out of a part's sink when another part failed

} // namespace

int traceLoadParts() {
    return std::clamp(QThread::idealThreadCount(), 1, 4);
}

Trace loadTrace(TraceStore &store, const std::string &traceId, int parts,
                const std::function<void(size_t)> &progress) {
    parts = std::max(parts, 1);
    std::vector<TraceBuilder> builders;
    for (int i = 0; i < parts; ++i)
        builders.emplace_back(traceId);
    std::atomic<size_t> total{0};
    std::atomic<bool> failed{false};
    std::mutex errorLock;
    std::exception_ptr error;
    auto load = [&](int i) {
        size_t reported = 0;
        try {
            TraceBuilder &builder = builders[size_t(i)];
            store.loadSkeleton(
                traceId,
                [&](const SkeletonSpan &s) {
                    if (failed.load(std::memory_order_relaxed))
                        throw Stopped{};
                    builder.add(s);
                },
                [&](size_t loaded) {
                    const size_t sum = total += loaded - reported;
                    reported = loaded;
                    if (progress)
                        progress(sum);
                },
                SkeletonPart{i, parts});
            builder.sort(); // on this part's thread, side by side with the others
        } catch (const Stopped &) {
        } catch (...) {
            std::lock_guard<std::mutex> lock(errorLock);
            if (!error)
                error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < parts; ++i)
        threads.emplace_back(load, i);
    load(0);
    for (std::thread &t : threads)
        t.join();
    if (error)
        std::rethrow_exception(error);
    return TraceBuilder::build(std::move(builders));
}

LoadedTrace prepareTrace(Trace &&trace, const QString &title) {
    LoadedTrace l;
    auto t = std::make_shared<const Trace>(std::move(trace));
    l.trace = t;
    l.title = title;
    // Two halves of about equal work (at a million spans), side by side.
    std::thread other([&l, &t] {
        l.onPath.assign(t->spans.size(), 0);
        for (uint32_t s : criticalPath(*t))
            l.onPath[s] = 1;
        l.summary = summarize(*t);
    });
    l.index = std::make_shared<const TimelineIndex>(*t);
    l.loops = findToolLoops(*t);
    l.inLoop.assign(t->spans.size(), 0);
    for (const ToolLoop &loop : l.loops)
        for (uint32_t s : loop.spans)
            l.inLoop[s] = 1;
    other.join();
    return l;
}

SpanView prepareSpanView(const SpanDetails &details) {
    SpanView v;
    v.details = details;
    v.input = formatPayload(details.input, details.hasInput);
    v.output = formatPayload(details.output, details.hasOutput);
    v.attributes = attributeRows(details.attributesJson);
    return v;
}

} // namespace pitwall

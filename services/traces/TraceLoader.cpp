#include "TraceLoader.h"

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
                const std::function<void(size_t)> &progress,
                const std::function<bool()> &cancelled) {
    // The parts read one snapshot: spans written meanwhile are in all of them or in none.
    const std::unique_ptr<SkeletonPlan> plan = store.planSkeleton(traceId, std::max(parts, 1));
    parts = int(plan->parts.size());
    std::vector<TraceBuilder> builders;
    for (int i = 0; i < parts; ++i)
        builders.emplace_back(traceId);
    std::atomic<size_t> total{0};
    size_t shown = 0; // under progressLock
    std::mutex progressLock;
    std::atomic<bool> failed{false};
    std::mutex errorLock;
    std::exception_ptr error;
    auto fail = [&](std::exception_ptr e) {
        std::lock_guard<std::mutex> lock(errorLock);
        if (!error)
            error = std::move(e);
        failed = true;
    };
    auto load = [&](int i) {
        size_t reported = 0, seen = 0;
        try {
            TraceBuilder &builder = builders[size_t(i)];
            store.loadSkeleton(
                traceId,
                [&](const SkeletonSpan &s) {
                    if (failed.load(std::memory_order_relaxed))
                        throw Stopped{};
                    if (cancelled && ++seen % 4096 == 0 && cancelled())
                        throw TraceLoadCancelled();
                    builder.add(s);
                },
                [&](size_t loaded) {
                    const size_t sum = total += loaded - reported;
                    reported = loaded;
                    // Only a new high, one call at a time: sums from two threads may
                    // arrive out of order.
                    std::lock_guard<std::mutex> lock(progressLock);
                    if (progress && sum > shown) {
                        shown = sum;
                        progress(sum);
                    }
                },
                plan->parts[size_t(i)]);
            builder.sort(); // on this part's thread, side by side with the others
        } catch (const Stopped &) {
        } catch (...) {
            fail(std::current_exception());
        }
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < parts; ++i) {
        try {
            threads.emplace_back(load, i);
        } catch (...) { // no thread to be had: this part fails, the started ones stop
            fail(std::current_exception());
            break;
        }
    }
    load(0);
    for (std::thread &t : threads)
        t.join();
    if (error)
        std::rethrow_exception(error);
    if (cancelled && cancelled())
        throw TraceLoadCancelled();
    return TraceBuilder::build(std::move(builders));
}

} // namespace pitwall

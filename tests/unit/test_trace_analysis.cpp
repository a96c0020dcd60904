#include "LoadedTrace.h"
#include "SpanId.h"
#include "TimeAxis.h"
#include "TimelineLayout.h"
#include "Trace.h"
#include "TraceAnalysis.h"
#include "TraceLoader.h"
#include "TraceText.h"
#include "TraceTreeModel.h"

#include <QAbstractItemModelTester>

#include <QTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <stdexcept>

using namespace pitwall;

Q_DECLARE_METATYPE(std::vector<uint64_t>)

namespace {

// A skeleton in memory, as a store would stream it, with names, models and tools that repeat
// (so each part of a parted load interns them again).
struct MemorySpan {
    uint64_t id, parent;
    int64_t start, end;
    std::string name, kind, model, tool;
    bool error;
    uint64_t args = 0, cost = 0;
    uint32_t tokensIn = 0, tokensOut = 0;
};

std::vector<MemorySpan> randomTree(size_t n) {
    std::vector<MemorySpan> spans;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    const char *kinds[] = {"agent", "llm", "tool", "retrieval"};
    for (uint64_t i = 1; i <= n; ++i) {
        const int64_t start = 1'000 + int64_t(next() % 400) * 10; // many equal starts
        const char *kind = kinds[next() % 4];
        spans.push_back({i * 7919, i == 1 ? 0 : (1 + next() % (i - 1)) * 7919, start,
                         start + int64_t(next() % 500), "step " + std::to_string(next() % 50), kind,
                         std::string(kind) == "llm" ? "model-" + std::to_string(next() % 3) : "",
                         std::string(kind) == "tool" ? "tool-" + std::to_string(next() % 4) : "",
                         next() % 17 == 0});
        MemorySpan &m = spans.back();
        m.args = m.kind == "tool" ? next() % 3 + 1 : 0;
        m.cost = next() % 1000;
        m.tokensIn = uint32_t(next() % 5000);
        m.tokensOut = uint32_t(next() % 500);
    }
    return spans;
}

TraceBuilder::Raw rawOf(const MemorySpan &m) {
    TraceBuilder::Raw r;
    r.spanId = m.id;
    r.parentId = m.parent;
    r.startUs = m.start;
    r.endUs = m.end;
    r.name = m.name;
    r.kindText = m.kind;
    r.model = m.model;
    r.tool = m.tool;
    r.error = m.error;
    r.argsHash = m.args;
    r.costMicros = m.cost;
    r.inputTokens = m.tokensIn;
    r.outputTokens = m.tokensOut;
    return r;
}

Trace wholeTrace(const std::vector<MemorySpan> &spans) {
    TraceBuilder whole("t");
    for (const MemorySpan &m : spans)
        whole.add(rawOf(m));
    return std::move(whole).build();
}

// The store's side of a parted load, in memory: part i of n holds the spans whose id (as
// text) falls in the i-th of n ranges; the part's number travels as its "snapshot".
class MemoryTraceStore : public TraceStore {
public:
    explicit MemoryTraceStore(std::vector<MemorySpan> spans, int failingPart = -1)
        : m_spans(std::move(spans))
        , m_failingPart(failingPart) {}
    RunPage findRuns(const RunFilter &, const std::optional<RunCursor> &, int) override {
        return {};
    }
    std::unique_ptr<SkeletonPlan> planSkeleton(const std::string &, int parts) override {
        auto plan = std::make_unique<SkeletonPlan>();
        uint64_t most = 0;
        for (const MemorySpan &m : m_spans)
            most = std::max(most, m.id);
        std::string from;
        for (int i = 0; i < parts; ++i) {
            const std::string to =
                i + 1 < parts ? spanIdText(most / uint64_t(parts) * uint64_t(i + 1)) : "";
            plan->parts.push_back({from, to, std::to_string(i)});
            from = to;
        }
        return plan;
    }
    size_t loadSkeleton(const std::string &, const std::function<void(const SkeletonSpan &)> &sink,
                        const std::function<void(size_t)> &progress, SkeletonPart part) override {
        const int index = part.snapshot.empty() ? 0 : std::stoi(part.snapshot);
        size_t loaded = 0;
        for (const MemorySpan &m : m_spans) {
            const std::string id = spanIdText(m.id);
            if ((!part.fromSpanId.empty() && id < part.fromSpanId) ||
                (!part.toSpanId.empty() && id >= part.toSpanId))
                continue;
            if (index == m_failingPart && loaded == 10) {
                {
                    std::lock_guard lock(m_failureLock);
                    m_failed = true;
                }
                m_failure.notify_all();
                throw std::runtime_error("the server went away");
            }
            // The other parts, a hundred spans in, wait for the failure: whatever they read
            // after it is what the load failed to stop.
            if (m_failingPart >= 0 && index != m_failingPart && loaded == 100) {
                std::unique_lock lock(m_failureLock);
                m_failure.wait_for(lock, std::chrono::seconds(30), [this] { return m_failed; });
            }
            // The failure is signalled just before the failing part throws; the load sees it
            // once that exception has unwound to it. Until then the other parts give way at
            // each span, so that on a busy machine they do not read thousands of spans while
            // the failing thread waits for a core (a CI run read 13,000).
            if (m_failingPart >= 0 && index != m_failingPart && loaded >= 100)
                std::this_thread::yield();
            sink(rawOf(m));
            ++m_delivered;
            if (++loaded % 100 == 0 && progress)
                progress(loaded);
        }
        if (progress)
            progress(loaded);
        return loaded;
    }
    std::optional<SpanDetails> loadSpan(const std::string &, const std::string &) override {
        return std::nullopt;
    }
    std::optional<std::string> traceOfRun(const std::string &) override { return std::nullopt; }
    size_t delivered() const { return m_delivered; } // spans handed to the sinks, all parts

private:
    std::vector<MemorySpan> m_spans;
    int m_failingPart;
    std::atomic<size_t> m_delivered{0};
    std::mutex m_failureLock;
    std::condition_variable m_failure;
    bool m_failed = false; // under m_failureLock
};

// Two traces are the same: every span with its times, texts, parent, depth and children.
void compareTraces(const Trace &a, const Trace &b) {
    QCOMPARE(a.spans.size(), b.spans.size());
    QCOMPARE(a.roots, b.roots);
    QCOMPARE(a.children, b.children);
    QCOMPARE(a.childBegin, b.childBegin);
    QCOMPARE(a.errors, b.errors);
    QCOMPARE(a.strings.size(), b.strings.size()); // each text once, whatever the parts
    for (size_t i = 0; i < a.spans.size(); ++i) {
        const TraceSpan &x = a.spans[i], &y = b.spans[i];
        QCOMPARE(x.spanId, y.spanId);
        QCOMPARE(x.startUs, y.startUs);
        QCOMPARE(x.endUs, y.endUs);
        QCOMPARE(x.parent, y.parent);
        QCOMPARE(x.depth, y.depth);
        QCOMPARE(x.kind, y.kind);
        QCOMPARE(x.status, y.status);
        QCOMPARE(x.argsHash, y.argsHash);
        QCOMPARE(x.costMicros, y.costMicros);
        QCOMPARE(x.inputTokens, y.inputTokens);
        QCOMPARE(x.outputTokens, y.outputTokens);
        QCOMPARE(a.text(x.name), b.text(y.name));
        QCOMPARE(a.text(x.label), b.text(y.label));
    }
}

} // namespace

// Pure functions of the trace viewer: the time-to-pixel mapping, level-of-detail bucketing,
// the critical path and loop detection, on traces of known shapes.
class TestTraceAnalysis : public QObject {
    Q_OBJECT

    struct S {
        uint64_t id, parent;
        int64_t start, end;
        const char *kind = "other";
        const char *tool = "";
        uint64_t args = 0;
        bool error = false;
    };
    static Trace traceOf(const std::vector<S> &spans) {
        std::vector<MemorySpan> memory;
        for (const S &s : spans)
            memory.push_back({s.id, s.parent, s.start, s.end, "span-" + std::to_string(s.id),
                              s.kind, "", s.tool, s.error, s.args});
        return wholeTrace(memory);
    }
    static std::vector<uint64_t> idsOf(const Trace &t, const std::vector<uint32_t> &spans) {
        std::vector<uint64_t> ids;
        for (uint32_t s : spans)
            ids.push_back(t.spans[s].spanId);
        return ids;
    }

private Q_SLOTS:
    void axisZoomKeepsTheTimeUnderTheCursor_data() {
        QTest::addColumn<double>("factor");
        QTest::addColumn<double>("atX");
        QTest::newRow("in at the left") << 2.0 << 0.0;
        QTest::newRow("in mid-way") << 4.0 << 400.0;
        QTest::newRow("out at the right") << 0.5 << 799.0;
    }
    void axisZoomKeepsTheTimeUnderTheCursor() {
        QFETCH(double, factor);
        QFETCH(double, atX);
        const TimeAxis a = TimeAxis::fit(1'000'000, 2'000'000, 800);
        QCOMPARE(a.x(1'000'000), 0.0);
        QCOMPARE(a.x(2'000'000), 800.0);
        const TimeAxis z = a.zoomed(factor, atX);
        QCOMPARE(z.us(atX), a.us(atX));
        QCOMPARE(z.usPerPixel, a.usPerPixel / factor);
        const TimeAxis p = a.panned(100);
        QCOMPARE(p.x(1'000'000), 100.0);
        const TimeAxis m = TimeAxis::fit(0, 1000, 120, 10);
        QCOMPARE(m.x(0), 10.0);
        QCOMPARE(m.x(1000), 110.0);
    }

    void rulerSteps_data() {
        QTest::addColumn<double>("usPerPixel");
        QTest::addColumn<double>("step");
        QTest::newRow("1 us/px") << 1.0 << 100.0;
        QTest::newRow("3 us/px") << 3.0 << 500.0;
        QTest::newRow("12 us/px") << 12.0 << 1000.0;
        QTest::newRow("20 ms/px") << 20'000.0 << 2'000'000.0;
    }
    void rulerSteps() {
        QFETCH(double, usPerPixel);
        QTEST(rulerStepUs(usPerPixel, 80), "step");
    }

    void theTreeIsBuiltWhateverTheOrder() {
        // Children stream in before their parents; one parent is missing (its child is a root).
        const Trace t = traceOf(
            {{3, 2, 30, 40}, {2, 1, 20, 50}, {1, 0, 10, 100}, {4, 1, 60, 90}, {5, 99, 70, 80}});
        QCOMPARE(t.spans.size(), size_t(5));
        QCOMPARE(idsOf(t, t.roots), (std::vector<uint64_t>{1, 5}));
        QCOMPARE(t.spans[0].spanId, uint64_t(1)); // time order
        QCOMPARE(t.childCount(0), size_t(2));
        QCOMPARE(t.depthCount(), 3);
        QCOMPARE(t.spans[2].depth, uint16_t(2)); // span 3 under 2 under 1
        QCOMPARE(t.startUs, int64_t(10));
        // A span without a model or tool has no label: id 0, the empty string.
        QCOMPARE(t.spans[0].label, 0u);
        QCOMPARE(t.text(0), QString());
        QCOMPARE(t.text(t.spans[0].name), QStringLiteral("span-1"));
        QCOMPARE(t.endUs, int64_t(100));
        QCOMPARE(parseSpanId("00f067aa0ba902b7"), uint64_t(0x00f067aa0ba902b7));
        QCOMPARE(parseSpanId("xyz"), uint64_t(0));
        QCOMPARE(parseSpanId("00F067AA0BA902B7"), uint64_t(0x00f067aa0ba902b7));
        QCOMPARE(parseSpanId("00f067aa0ba902bg"), uint64_t(0)); // not hex at the end
        QCOMPARE(parseSpanId("g0f067aa0ba902b7"), uint64_t(0));
        QCOMPARE(spanIdText(0x00f067aa0ba902b7), std::string("00f067aa0ba902b7"));
    }

    // A payload cut for display never ends in half a character (an emoji is two UTF-16 units).
    void aCutPayloadKeepsWholeCharacters() {
        const std::string emoji = "\xf0\x9f\x98\x80"; // U+1F600
        const Payload p = formatPayload("ab" + emoji + "cd", true, 3);
        QVERIFY(p.truncated);
        QCOMPARE(p.shown, QStringLiteral("ab"));
        QCOMPARE(p.full, QString::fromUtf8("ab\xf0\x9f\x98\x80"
                                           "cd"));
    }

    // Broken data: parent links that form a cycle, of any length, with or without a real root,
    // and a span that is its own parent. The trace must still be a tree: each cycle is cut at
    // its earliest span, which becomes a root and says which parent it named; every walk
    // (depth, critical path, the tree model) ends.
    void parentCyclesAreBroken_data() {
        QTest::addColumn<std::vector<uint64_t>>("spec"); // id, parent, start: triples
        QTest::addColumn<std::vector<uint64_t>>("roots");
        QTest::addColumn<std::vector<uint64_t>>("cut"); // span id, the parent id it named
        QTest::newRow("two spans, each the other's parent")
            << std::vector<uint64_t>{1, 2, 10, 2, 1, 20} << std::vector<uint64_t>{1}
            << std::vector<uint64_t>{1, 2};
        QTest::newRow("own parent") << std::vector<uint64_t>{7, 7, 10} << std::vector<uint64_t>{7}
                                    << std::vector<uint64_t>{7, 7};
        QTest::newRow("cycle of three below nothing, a real root beside it")
            << std::vector<uint64_t>{1, 0, 5, 2, 4, 30, 3, 2, 20, 4, 3, 40, 5, 1, 50}
            << std::vector<uint64_t>{1, 3} << std::vector<uint64_t>{3, 2};
        QTest::newRow("a tail hanging off a cycle, and two cycles")
            << std::vector<uint64_t>{1, 2, 10, 2, 1, 11, 3, 1, 12, 4, 3, 13, 5, 6, 14, 6, 5, 15}
            << std::vector<uint64_t>{1, 5} << std::vector<uint64_t>{1, 2, 5, 6};
    }
    void parentCyclesAreBroken() {
        QFETCH(std::vector<uint64_t>, spec);
        QFETCH(std::vector<uint64_t>, roots);
        QFETCH(std::vector<uint64_t>, cut);
        std::vector<S> spans;
        for (size_t i = 0; i + 2 < spec.size(); i += 3)
            spans.push_back(
                {spec[i], spec[i + 1], int64_t(spec[i + 2]), int64_t(spec[i + 2]) + 100});
        const Trace t = traceOf(spans);
        QCOMPARE(idsOf(t, t.roots), roots);
        std::vector<uint64_t> cutIds;
        for (const CutParent &c : t.cutParents) {
            cutIds.push_back(t.spans[c.span].spanId);
            cutIds.push_back(c.parentId);
            QCOMPARE(t.cutParentOf(c.span), c.parentId);
        }
        QCOMPARE(cutIds, cut);
        // A tree: every span is reached once from the roots, and each parent chain ends.
        size_t reached = 0;
        std::vector<uint32_t> stack(t.roots.begin(), t.roots.end());
        while (!stack.empty() && reached <= t.spans.size()) {
            const uint32_t s = stack.back();
            stack.pop_back();
            ++reached;
            for (size_t c = t.childBegin[s]; c < t.childBegin[s + 1]; ++c)
                stack.push_back(t.children[c]);
        }
        QCOMPARE(reached, t.spans.size());
        QCOMPARE(t.children.size() + t.roots.size(), t.spans.size());
        QVERIFY(criticalPath(t).size() <= t.spans.size());
        TraceTreeModel model;
        QAbstractItemModelTester tester(&model);
        model.setTrace(std::make_shared<const Trace>(t));
    }

    // Spans in any order, with many equal start times and a wide time range, come out in
    // (start, id) order.
    void timeOrderWithTiesAndAWideRange() {
        std::vector<S> spans;
        uint64_t x = 88172645463325252ull; // xorshift: the same every run
        auto next = [&x] {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            return x;
        };
        for (uint64_t i = 0; i < 20'000; ++i) {
            const int64_t start = int64_t(next() % 500) * 7'000'000'000 + 1'700'000'000'000'000;
            spans.push_back({next() | 1, 0, start, start + 5});
        }
        const Trace t = traceOf(spans);
        QCOMPARE(t.spans.size(), spans.size());
        for (size_t i = 1; i < t.spans.size(); ++i) {
            const TraceSpan &a = t.spans[i - 1], &b = t.spans[i];
            QVERIFY(a.startUs < b.startUs || (a.startUs == b.startUs && a.spanId < b.spanId));
        }
    }

    // A trace loaded in parts (each part's parents may be in another part, its texts interned
    // again) is the same trace as one loaded whole; sorted parts and unsorted ones alike.
    void partsMakeTheSameTrace() {
        const std::vector<MemorySpan> spans = randomTree(3000);
        const Trace expected = wholeTrace(spans);
        QCOMPARE(expected.roots.size(), size_t(1));
        QVERIFY(expected.depthCount() > 3);

        std::vector<TraceBuilder> parts;
        for (int p = 0; p < 3; ++p)
            parts.emplace_back("t");
        for (const MemorySpan &m : spans)
            parts[m.id % 3].add(rawOf(m));
        parts[0].sort();
        parts[2].sort(); // part 1 is left for build() to sort
        compareTraces(TraceBuilder::build(std::move(parts)), expected);
    }

    void loadTraceInPartsAndTheProgressAddsUp() {
        const std::vector<MemorySpan> spans = randomTree(2000);
        const Trace expected = wholeTrace(spans);
        MemoryTraceStore store(spans);
        std::atomic<size_t> lastProgress{0};
        const Trace loaded = loadTrace(store, "t", 4, [&](size_t n) {
            size_t seen = lastProgress.load();
            while (n > seen && !lastProgress.compare_exchange_weak(seen, n)) {
            }
        });
        compareTraces(loaded, expected);
        QCOMPARE(lastProgress.load(), spans.size());
    }

    // One part failing (the calling thread's own, or another's) fails the whole load with that
    // part's error, and the other parts stop at their next span.
    void aFailingPartFailsTheLoad_data() {
        QTest::addColumn<int>("failing");
        QTest::newRow("the calling thread's part") << 0;
        QTest::newRow("another thread's part") << 2;
    }
    void aFailingPartFailsTheLoad() {
        QFETCH(int, failing);
        MemoryTraceStore store(randomTree(20'000), failing);
        try {
            loadTrace(store, "t", 3);
            QFAIL("the load did not fail");
        } catch (const std::runtime_error &e) {
            QCOMPARE(std::string(e.what()), std::string("the server went away"));
        }
        // The other two parts hold some 13,300 spans and wait, 100 spans in, for the failure;
        // then they stop once the load has seen it, long before their end.
        QVERIFY2(store.delivered() < 13'000, "the other parts read on after the failure");
    }

    // Cancelled (a newer trace was opened): the load stops early and says so.
    void aCancelledLoadStops() {
        MemoryTraceStore store(randomTree(50'000));
        std::atomic<int> asked{0};
        try {
            loadTrace(store, "t", 2, {}, [&asked] { return ++asked > 2; });
            QFAIL("the load was not cancelled");
        } catch (const TraceLoadCancelled &) {
        }
        QVERIFY2(store.delivered() < 50'000, "the parts read on to their end");
    }

    // The attribute table: plain values one row each, lists of plain values one row, objects
    // and lists of objects a row per member, list positions in number order.
    void attributeRowsOpenNestedValues() {
        const auto rows = attributeRows(
            R"({"b": 2, "a": "x", "flag": true, "none": null, "big": 1736935207410000,
                "ratio": 0.25, "tags": ["p", "q"], "empty": {}, "kv": {"k": "v"},
                "list": [{"n": 0}, {"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}, {"n": 6},
                         {"n": 7}, {"n": 8}, {"n": 9}, {"n": 10}], "l١": 1, "l2": 2})");
        std::vector<std::pair<QString, QString>> head(rows.begin(), rows.begin() + 5);
        QCOMPARE(head, (std::vector<std::pair<QString, QString>>{
                           {QStringLiteral("a"), QStringLiteral("x")},
                           {QStringLiteral("b"), QStringLiteral("2")},
                           {QStringLiteral("big"), QStringLiteral("1736935207410000")},
                           {QStringLiteral("empty"), QStringLiteral("{}")},
                           {QStringLiteral("flag"), QStringLiteral("true")}}));
        QMap<QString, QString> byKey;
        QStringList order;
        for (const auto &[k, v] : rows) {
            byKey.insert(k, v);
            order << k;
        }
        QCOMPARE(byKey.value(QStringLiteral("kv.k")), QStringLiteral("v"));
        QCOMPARE(byKey.value(QStringLiteral("none")), QStringLiteral("null"));
        QCOMPARE(byKey.value(QStringLiteral("ratio")), QStringLiteral("0.25"));
        QCOMPARE(byKey.value(QStringLiteral("tags")), QStringLiteral("[\"p\",\"q\"]"));
        QCOMPARE(byKey.value(QStringLiteral("list[10].n")), QStringLiteral("10"));
        QVERIFY(order.indexOf(QStringLiteral("list[2].n")) <
                order.indexOf(QStringLiteral("list[10].n")));
        QCOMPARE(rows.size(), size_t(22));
    }

    void wideSpansAreBoxesOfTheirOwn() {
        const Trace t = traceOf({{1, 0, 0, 1000}, {2, 1, 100, 300}, {3, 1, 500, 900, "llm"}});
        TimelineIndex index(t);
        const auto boxes = index.layout(TimeAxis::fit(0, 1000, 1000), 1000, 0, 10);
        QCOMPARE(boxes.size(), size_t(3));
        QCOMPARE(boxes[1].x0, 100.f);
        QCOMPARE(boxes[1].x1, 300.f);
        QCOMPARE(boxes[2].kind, uint8_t(TraceSpan::Llm));
        QCOMPARE(boxes[2].count, uint32_t(1));
    }

    // A thousand spans in ten pixels become at most one box per pixel column, and none is lost.
    void narrowSpansMergePerPixelColumn() {
        std::vector<S> spans{{1, 0, 0, 10'000}};
        for (uint64_t i = 0; i < 1000; ++i)
            spans.push_back(
                {i + 2, 1, int64_t(i * 10), int64_t(i * 10 + 5), "tool", "crm", 0, i == 555});
        const Trace t = traceOf(spans);
        TimelineIndex index(t);
        const auto boxes = index.layout(TimeAxis::fit(0, 10'000, 10), 10, 1, 1);
        QVERIFY(boxes.size() <= 10);
        uint32_t total = 0;
        int errors = 0;
        for (const TimelineBox &b : boxes) {
            total += b.count;
            errors += b.error;
            QVERIFY(b.x1 - b.x0 >= 1);
        }
        QCOMPARE(total, uint32_t(1000));
        QCOMPARE(errors, 1);
    }

    void aSpanReachingIntoTheViewIsShownAndOneEndedBeforeIsNot() {
        const Trace t = traceOf({{1, 0, 0, 10'000}, {2, 1, 0, 100}, {3, 1, 200, 5000}});
        TimelineIndex index(t);
        TimeAxis view; // 1000..2000 across 100 px
        view.originUs = 1000;
        view.usPerPixel = 10;
        const auto boxes = index.layout(view, 100, 1, 1);
        QCOMPARE(boxes.size(), size_t(1));
        QCOMPARE(t.spans[boxes[0].span].spanId, uint64_t(3));
        QCOMPARE(boxes[0].x0, 0.f);
        QCOMPARE(boxes[0].x1, 100.f);
    }

    void criticalPaths_data() {
        QTest::addColumn<std::vector<uint64_t>>("path");
        QTest::addColumn<int>("shape");
        // 0: sequential children, each on the path.
        QTest::newRow("sequential") << std::vector<uint64_t>{1, 2, 3} << 0;
        // 1: parallel children: the one that ends last decides; the short one is not on it.
        QTest::newRow("parallel") << std::vector<uint64_t>{1, 2, 4} << 1;
        // 2: nested: the child running while the parent waited (2, up to 10), the last child,
        // and inside it its last child (4) and the one before that (5), not the one hidden
        // under 4 (6). In time order.
        QTest::newRow("nested") << std::vector<uint64_t>{1, 2, 3, 5, 4} << 2;
        // 3: two children ending together: the longer one (2) explains the wait, the shorter
        // one (3) overlaps it and is not on the path.
        QTest::newRow("equal ends") << std::vector<uint64_t>{1, 2} << 3;
    }
    void criticalPaths() {
        QFETCH(int, shape);
        std::vector<S> spans;
        if (shape == 0)
            spans = {{1, 0, 0, 100}, {2, 1, 0, 40}, {3, 1, 50, 100}};
        else if (shape == 1)
            spans = {{1, 0, 0, 100}, {2, 1, 0, 90}, {3, 1, 10, 50}, {4, 1, 92, 100}};
        else if (shape == 2)
            spans = {{1, 0, 0, 100}, {2, 1, 0, 20}, {3, 1, 10, 95}, {4, 3, 60, 90}, {5, 3, 20, 30}};
        else
            spans = {{1, 0, 0, 100}, {2, 1, 0, 100}, {3, 1, 40, 100}};
        const Trace t = traceOf(spans);
        QTEST(idsOf(t, criticalPath(t)), "path");
    }

    void repetitions_data() {
        QTest::addColumn<std::vector<uint64_t>>("keys");
        QTest::addColumn<QString>("found"); // first:period×repeats, ...
        QTest::newRow("one call thrice") << std::vector<uint64_t>{5, 7, 7, 7, 9} << "1:1x3";
        QTest::newRow("twice is not a loop") << std::vector<uint64_t>{7, 7, 9} << "";
        QTest::newRow("four, period 1") << std::vector<uint64_t>{7, 7, 7, 7} << "0:1x4";
        QTest::newRow("a pair repeated") << std::vector<uint64_t>{1, 2, 1, 2, 1, 2, 3} << "0:2x3";
        QTest::newRow("two loops")
            << std::vector<uint64_t>{4, 4, 4, 1, 2, 3, 1, 2, 3, 1, 2, 3} << "0:1x3,3:3x3";
        QTest::newRow("no key") << std::vector<uint64_t>{0, 0, 0, 0} << "";
    }
    void repetitions() {
        QFETCH(std::vector<uint64_t>, keys);
        QStringList found;
        for (const Repetition &r : findRepetitions(keys, 3, 4))
            found << QStringLiteral("%1:%2x%3").arg(r.first).arg(r.period).arg(r.repeats);
        QTEST(found.join(QLatin1Char(',')), "found");
    }

    // The tree over the trace's arrays, checked by Qt's model tester, and kept in step with
    // the spans: a span's index leads back to it, through its parents to its root.
    void theTreeModelIsAProperModel() {
        auto t = std::make_shared<const Trace>(traceOf({{1, 0, 0, 100},
                                                        {2, 1, 0, 40, "llm"},
                                                        {3, 1, 50, 100, "tool", "crm"},
                                                        {4, 3, 60, 70, "retrieval"},
                                                        {5, 0, 200, 300, "other", "", 0, true}}));
        TraceTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTrace(t);
        QCOMPARE(model.rowCount(), 2); // two roots
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(model.rowCount(root), 2);
        const QModelIndex tool = model.index(1, 0, root);
        QCOMPARE(tool.data().toString(), QStringLiteral("span-3"));
        QCOMPARE(model.index(0, 0, tool).data().toString(), QStringLiteral("span-4"));
        QCOMPARE(model.parent(model.index(0, 0, tool)), tool);
        for (uint32_t s = 0; s < t->spans.size(); ++s)
            QCOMPARE(TraceTreeModel::spanOf(model.indexOf(s)), s);
        QCOMPARE(model.index(1, TraceTreeModel::Kind).data().toString(),
                 QStringLiteral("other (error)"));
        QCOMPARE(model.index(0, TraceTreeModel::Duration).data().toString(),
                 QStringLiteral("100 µs"));
        model.setTrace(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void steppingInTimeOrder() {
        const Trace t = traceOf({{1, 0, 0, 100},
                                 {2, 1, 10, 20, "llm"},
                                 {3, 1, 20, 30, "tool", "crm", 0, true},
                                 {4, 1, 30, 40, "llm"},
                                 {5, 1, 40, 50, "tool", "crm", 0, true}});
        auto llm = [](const TraceSpan &s) {
            return s.kind == TraceSpan::Llm;
        };
        auto failed = [](const TraceSpan &s) {
            return s.status == TraceSpan::Error;
        };
        QCOMPARE(stepTo(t, 0, 1, llm), 1u);
        QCOMPARE(stepTo(t, 1, 1, llm), 3u);
        QCOMPARE(stepTo(t, 3, 1, llm), TraceSpan::kNone);
        QCOMPARE(stepTo(t, 4, -1, failed), 2u);
        QCOMPARE(stepTo(t, TraceSpan::kNone, 1, failed), 2u);
        QCOMPARE(stepTo(t, TraceSpan::kNone, -1, failed), 4u);
    }

    void toolLoopsNeedTheSameArguments() {
        const Trace t = traceOf({{1, 0, 0, 100},
                                 {2, 1, 10, 20, "tool", "crm", 42},
                                 {3, 1, 20, 30, "tool", "crm", 42},
                                 {4, 1, 30, 40, "llm"},
                                 {5, 1, 40, 50, "tool", "crm", 42},
                                 {6, 1, 50, 60, "tool", "crm", 43},
                                 {7, 1, 60, 70, "tool", "crm", 43}});
        const auto loops = findToolLoops(t);
        QCOMPARE(loops.size(), size_t(1));
        QCOMPARE(idsOf(t, loops[0].spans), (std::vector<uint64_t>{2, 3, 5}));
        QCOMPARE(loops[0].repeats, size_t(3));
    }
};

QTEST_GUILESS_MAIN(TestTraceAnalysis)
#include "test_trace_analysis.moc"

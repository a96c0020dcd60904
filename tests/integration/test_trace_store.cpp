#include "LoadedTrace.h"
#include "OtlpImport.h"
#include "PgConnect.h"
#include "TestStores.h"
#include "Trace.h"
#include "TraceAnalysis.h"
#include "TraceLoader.h"
#include "TraceStore.h"

#include <QTest>

#include <pqxx/pqxx>

#include <set>

using namespace pitwall;
using test::TestStores;

// The trace store against real PostgreSQL: keyset pages, filters, the streamed skeleton and
// a span's details.
class TestTraceStore : public QObject {
    Q_OBJECT

    static void exec(TestStores &stores, const std::string &sql) {
        auto c = connectPostgres(stores.pg());
        pqxx::work tx(*c);
        tx.exec(sql);
        tx.commit();
    }
    static std::vector<std::string> column(TestStores &stores, const std::string &sql) {
        auto c = connectPostgres(stores.pg());
        pqxx::read_transaction tx(*c);
        std::vector<std::string> out;
        for (const auto &row : tx.exec(sql))
            out.push_back(row[0].as<std::string>());
        return out;
    }
    // 250 runs; three share each start time (ties), spread over agents, costs and steps.
    static void seedRuns(TestStores &stores) {
        exec(stores,
             "INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, entry_point, "
             "status, started_at, ended_at, steps, cost_usd) "
             "SELECT gen_random_uuid(), 'trace-' || i, 'agent-' || (i % 3), 'v' || (i % 2), "
             "'user-' || (i % 7), 'http', CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'succeeded' END, "
             "timestamptz '2026-11-01 10:00:00.123456+00' + (i / 3) * interval '1.000001 second', "
             "timestamptz '2026-11-01 11:00:00+00', i % 20, i * 0.01 "
             "FROM generate_series(1, 250) i");
    }

private Q_SLOTS:
    // Enter on a live run looks its trace up by the uuid primary key, not by a scan of every
    // run; an id that is no uuid finds nothing (and no error).
    void theTraceOfARunIsFoundByItsKey() {
        TestStores stores;
        seedRuns(stores);
        PgTraceStore store(stores.pg(TestStores::kViewer));
        const std::string runId = column(stores, "SELECT run_id::text FROM pitwall.runs "
                                                 "WHERE trace_id = 'trace-7'")
                                      .at(0);
        QCOMPARE(store.traceOfRun(runId), std::optional<std::string>("trace-7"));
        QCOMPARE(store.traceOfRun("not-a-run"), std::optional<std::string>());
        QCOMPARE(store.traceOfRun(std::string(36, 'x')), std::optional<std::string>());
        auto c = connectPostgres(stores.pg());
        pqxx::work tx(*c);
        tx.exec("SET LOCAL enable_seqscan = off"); // a plan that can use the key will
        std::string plan;
        for (const auto &row :
             tx.exec_params(std::string("EXPLAIN ") + PgTraceStore::kTraceOfRunSql, runId))
            plan += row[0].as<std::string>() + "\n";
        QVERIFY2(plan.find("Index") != std::string::npos, plan.c_str());
        QVERIFY2(plan.find("Seq Scan") == std::string::npos, plan.c_str());
    }

    // Traces a real OpenTelemetry SDK wrote, imported and read back; all or nothing.
    void importedOtlpTracesAreRunsWithTrees() {
        TestStores stores;
        const std::string dir = QFINDTESTDATA("data/otlp").toStdString();
        const OtlpBatch run = readOtlpFiles({dir + "/agent-run.json"});
        {
            auto pg = connectPostgres(stores.pg(TestStores::kAgent));
            writeOtlpBatch(*pg, run);
        }
        PgTraceStore store(stores.pg(TestStores::kViewer));
        RunFilter f;
        f.agent = "support-bot";
        const RunPage page = store.findRuns(f, std::nullopt, 10);
        QCOMPARE(page.runs.size(), size_t(1));
        QCOMPARE(page.runs[0].traceId, std::string("a617bebbee1472aa588ab61cb0db4429"));
        QCOMPARE(page.runs[0].version, std::string("v41"));
        TraceBuilder builder(page.runs[0].traceId);
        store.loadSkeleton(page.runs[0].traceId,
                           [&builder](const SkeletonSpan &s) { builder.add(s); });
        const Trace t = std::move(builder).build();
        QCOMPARE(t.spans.size(), size_t(15));
        QCOMPARE(t.roots.size(), size_t(1));
        QCOMPARE(t.errors, 1);
        // crm_lookup three times with the same arguments: a loop.
        const auto loops = findToolLoops(t);
        QCOMPARE(loops.size(), size_t(1));
        QCOMPARE(t.text(t.spans[loops[0].spans[0]].label), QStringLiteral("crm_lookup"));

        // The Collector's file holds that trace again and two new ones: refused, and the new
        // ones are not half there.
        const OtlpBatch again = readOtlpFiles({dir + "/collector-file-exporter.jsonl"});
        bool refused = false;
        try {
            auto pg = connectPostgres(stores.pg(TestStores::kAgent));
            writeOtlpBatch(*pg, again);
        } catch (const OtlpError &e) {
            refused = QString::fromLatin1(e.what()).contains(QLatin1String("already"));
        }
        QVERIFY(refused);
        QCOMPARE(column(stores, "SELECT count(*) FROM pitwall.spans")[0], std::string("15"));
        QCOMPARE(column(stores, "SELECT count(*) FROM pitwall.runs")[0], std::string("1"));
    }

    void keysetPagesCoverEveryRunOnce() {
        TestStores stores;
        seedRuns(stores);
        PgTraceStore store(stores.pg(TestStores::kViewer));
        std::vector<std::string> seen;
        std::optional<RunCursor> cursor;
        int pages = 0;
        do {
            const RunPage page = store.findRuns({}, cursor, 17);
            for (const RunSummary &r : page.runs)
                seen.push_back(r.runId);
            cursor = page.next;
            ++pages;
            QVERIFY(pages < 100);
        } while (cursor);
        QCOMPARE(pages, 15); // 250 / 17, rounded up
        QCOMPARE(seen, column(stores, "SELECT run_id::text FROM pitwall.runs "
                                      "ORDER BY started_at DESC, run_id DESC"));
        QCOMPARE(std::set<std::string>(seen.begin(), seen.end()).size(), size_t(250));
    }

    void filtersNarrowThePages() {
        TestStores stores;
        seedRuns(stores);
        PgTraceStore store(stores.pg(TestStores::kViewer));
        RunFilter f;
        f.agent = "agent-1";
        f.status = "succeeded";
        f.minCostMicros = 1'000'000;
        f.minSteps = 5;
        std::vector<std::string> seen;
        std::optional<RunCursor> cursor;
        do {
            const RunPage page = store.findRuns(f, cursor, 7);
            for (const RunSummary &r : page.runs) {
                QCOMPARE(r.agent, std::string("agent-1"));
                QVERIFY(r.costMicros >= 1'000'000);
                QVERIFY(r.steps >= 5);
                QVERIFY(r.endedUs > r.startedUs);
                seen.push_back(r.runId);
            }
            cursor = page.next;
        } while (cursor);
        const auto expected = column(
            stores, "SELECT run_id::text FROM pitwall.runs WHERE agent = 'agent-1' AND status = "
                    "'succeeded' AND cost_usd >= 1 AND steps >= 5 ORDER BY started_at DESC, "
                    "run_id DESC");
        QVERIFY(expected.size() > 10);
        QCOMPARE(seen, expected);

        // A time window, to the microsecond: [start of run 30, start of run 60).
        RunFilter window;
        const auto bounds = column(
            stores, "SELECT (extract(epoch from date_trunc('second', started_at)))::bigint * "
                    "1000000 + extract(microseconds from started_at)::bigint % 1000000 FROM "
                    "pitwall.runs WHERE trace_id IN ('trace-30', 'trace-60') ORDER BY 1");
        window.fromUs = std::stoll(bounds[0]);
        window.toUs = std::stoll(bounds[1]);
        const RunPage page = store.findRuns(window, std::nullopt, 1000);
        QCOMPARE(page.runs.size(), size_t(30)); // runs 30..59
        QVERIFY(!page.next);
        QCOMPARE(page.runs.back().startedUs, *window.fromUs);
    }

    void aSkeletonStreamsAndBuildsTheTree() {
        TestStores stores;
        // A 10-ary tree of 1000 spans; every third a tool call, the same arguments for some;
        // one error.
        exec(stores,
             "INSERT INTO pitwall.spans (trace_id, span_id, parent_span_id, name, kind, "
             "started_at, ended_at, status, tool, input, input_tokens, cost_usd) "
             "SELECT 'big', lpad(to_hex(i), 16, '0'), "
             "CASE WHEN i = 1 THEN NULL ELSE lpad(to_hex(greatest(i / 10, 1)), 16, '0') END, "
             "CASE WHEN i = 7 THEN E'span\\t7 \\\\ \\n' ELSE 'span ' || i END, "
             "CASE WHEN i % 3 = 0 THEN 'tool' ELSE 'llm' END, 1000000 + i * 10, "
             "CASE WHEN i = 1000 THEN NULL ELSE 1000000 + i * 10 + 5 END, "
             "CASE WHEN i = 500 THEN 'error' ELSE 'ok' END, "
             "CASE WHEN i % 3 = 0 THEN 'crm_lookup' END, "
             "CASE WHEN i % 3 = 0 THEN '{\"q\":' || (i % 2) || '}' END, i, 0.000123 "
             "FROM generate_series(1, 1000) i");
        PgTraceStore store(stores.pg(TestStores::kViewer));
        TraceBuilder builder("big");
        std::vector<size_t> progress;
        const size_t n = store.loadSkeleton(
            "big", [&builder](const SkeletonSpan &s) { builder.add(s); },
            [&progress](size_t loaded) { progress.push_back(loaded); });
        QCOMPARE(n, size_t(1000));
        QCOMPARE(progress.back(), size_t(1000));
        const Trace t = std::move(builder).build();
        QCOMPARE(t.roots.size(), size_t(1));
        QCOMPARE(t.depthCount(), 4);
        QCOMPARE(t.errors, 1);
        QCOMPARE(t.spans[0].costMicros, 123u);
        QCOMPARE(t.text(t.spans[2].label), QStringLiteral("crm_lookup")); // span 3
        // Tool calls with the same arguments hash alike, different ones differently.
        QCOMPARE(t.spans[2].argsHash, t.spans[8].argsHash);  // spans 3 and 9: {"q":1}
        QVERIFY(t.spans[2].argsHash != t.spans[5].argsHash); // span 6: {"q":0}
        QCOMPARE(t.spans[1].argsHash, uint64_t(0));          // an LLM span
        QCOMPARE(t.spans[998].endUs, t.spans[998].startUs + 5);
        QCOMPARE(t.spans[999].endUs, t.spans[999].startUs); // not ended yet
        // COPY escapes a tab, a backslash and a newline; they come back as they were.
        QCOMPARE(t.text(t.spans[6].name), QStringLiteral("span\t7 \\ \n"));

        // The same trace loaded in three parts over three connections at once.
        const Trace parted = loadTrace(store, "big", 3);
        QCOMPARE(parted.spans.size(), t.spans.size());
        for (size_t i = 0; i < t.spans.size(); ++i) {
            QCOMPARE(parted.spans[i].spanId, t.spans[i].spanId);
            QCOMPARE(parted.spans[i].parent, t.spans[i].parent);
            QCOMPARE(parted.spans[i].argsHash, t.spans[i].argsHash);
            QCOMPARE(parted.text(parted.spans[i].name), t.text(t.spans[i].name));
            QCOMPARE(parted.text(parted.spans[i].label), t.text(t.spans[i].label));
        }
        QCOMPARE(parted.children, t.children);
        // Every span is in exactly one part, and the parts are about equal.
        auto count = [&store](const SkeletonPart &part) {
            return store.loadSkeleton(
                "big", [](const SkeletonSpan &) {}, {}, part);
        };
        {
            const std::unique_ptr<SkeletonPlan> plan = store.planSkeleton("big", 3);
            QCOMPARE(plan->parts.size(), size_t(3));
            size_t sum = 0;
            for (const SkeletonPart &part : plan->parts) {
                const size_t n = count(part);
                QVERIFY2(n > 250 && n < 420, qPrintable(QString::number(n)));
                sum += n;
            }
            QCOMPARE(sum, size_t(1000));

            // The parts of one load read one snapshot: a span written after it was taken (a
            // live run goes on) is in none of them, and in the next load.
            exec(stores, "INSERT INTO pitwall.spans (trace_id, span_id, parent_span_id, name, "
                         "kind, started_at) VALUES ('big', 'ffffffffffffffff', "
                         "'0000000000000001', 'late', 'llm', 2000000)");
            sum = 0;
            for (const SkeletonPart &part : plan->parts)
                sum += count(part);
            QCOMPARE(sum, size_t(1000));
        }
        QCOMPARE(count(SkeletonPart{}), size_t(1001));
        // A trace without spans, or one span: one part.
        QCOMPARE(store.planSkeleton("nothing", 3)->parts.size(), size_t(1));
        QCOMPARE(loadTrace(store, "big", 3).spans.size(), size_t(1001));
    }

    // A database still at schema 1 (no stored argument hash): traces open all the same, with
    // the hashes computed as they are read.
    void aSchema1DatabaseStillOpensTraces() {
        TestStores stores;
        exec(stores, "INSERT INTO pitwall.spans (trace_id, span_id, name, kind, started_at, "
                     "input) VALUES ('old', '0000000000000001', 'execute_tool crm', 'tool', 1, "
                     "'{\"q\":1}'), ('old', '0000000000000002', 'execute_tool crm', 'tool', 2, "
                     "'{\"q\":1}'), ('old', '0000000000000003', 'execute_tool crm', 'tool', 3, "
                     "'{\"q\":2}')");
        PgTraceStore store(stores.pg(TestStores::kViewer));
        const Trace stored = loadTrace(store, "old", 1);
        exec(stores, "ALTER TABLE pitwall.spans DROP COLUMN args_hash");
        const Trace computed = loadTrace(store, "old", 2);
        QCOMPARE(computed.spans.size(), size_t(3));
        for (size_t i = 0; i < 3; ++i)
            QCOMPARE(computed.spans[i].argsHash, stored.spans[i].argsHash);
        QCOMPARE(computed.spans[0].argsHash, computed.spans[1].argsHash);
        QVERIFY(computed.spans[0].argsHash != computed.spans[2].argsHash);
    }

    void aSpansDetailsComeAsStored() {
        TestStores stores;
        exec(stores, "INSERT INTO pitwall.spans (trace_id, span_id, name, kind, started_at, "
                     "ended_at, attributes, input, output) VALUES ('t1', '00f067aa0ba902b7', "
                     "'chat', 'llm', 10, 20, '{\"gen_ai.request.model\": \"gpt-4o\"}', "
                     "E'<b>bold</b>\\x01', NULL)");
        PgTraceStore store(stores.pg(TestStores::kViewer));
        const auto d = store.loadSpan("t1", "00f067aa0ba902b7");
        QVERIFY(d);
        QCOMPARE(d->input, std::string("<b>bold</b>\x01"));
        QVERIFY(d->hasInput);
        QVERIFY(!d->hasOutput);
        QVERIFY(d->attributesJson.find("gpt-4o") != std::string::npos);
        QCOMPARE(d->endUs, int64_t(20));
        QVERIFY(!store.loadSpan("t1", "0000000000000000"));
    }
};

QTEST_GUILESS_MAIN(TestTraceStore)
#include "test_trace_store.moc"

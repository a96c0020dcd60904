#include "OtlpImport.h"
#include "TraceText.h"

#include <QTest>

#include <algorithm>

using namespace pitwall;

// The OTLP/JSON reader on files the OpenTelemetry JS SDK wrote (through its OTLP/HTTP JSON
// exporter; tests/data/otlp/generator), on the Collector's JSON Lines, and on broken files.
class TestOtlpImport : public QObject {
    Q_OBJECT

    static std::string data(const char *name) {
        return QFINDTESTDATA(QStringLiteral("data/otlp/") + QLatin1String(name)).toStdString();
    }
    static const OtlpSpan &named(const OtlpBatch &b, const std::string &name, int nth = 0) {
        for (const OtlpSpan &s : b.spans)
            if (s.name == name && nth-- == 0)
                return s;
        throw std::runtime_error("no span " + name);
    }
    // The span's attributes as the details pane lists them: key -> text.
    static QMap<QString, QString> rowsOf(const OtlpSpan &s) {
        QMap<QString, QString> rows;
        for (const auto &[key, text] : attributeRows(s.attributesJson))
            rows.insert(key, text);
        return rows;
    }
    static QString inlineError(const std::string &spanJson) {
        try {
            readOtlpText(R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + spanJson + "]}]}]}",
                         "inline");
        } catch (const OtlpError &e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }
    static QString errorOf(const std::string &file) {
        try {
            readOtlpFiles({data(file.c_str())});
        } catch (const OtlpError &e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private Q_SLOTS:
    void anAgentRunFromTheSdk() {
        const OtlpBatch b = readOtlpFiles({data("agent-run.json")});
        QCOMPARE(b.spans.size(), size_t(15));
        QCOMPARE(b.runs.size(), size_t(1));
        const OtlpSpan &root = named(b, "invoke_agent support-bot");
        QCOMPARE(root.kind, std::string("agent"));
        QVERIFY(root.parentSpanId.empty());
        QCOMPARE(root.status, std::string("ok"));
        const OtlpSpan &chat = named(b, "chat gpt-4o-mini");
        QCOMPARE(chat.kind, std::string("llm"));
        QCOMPARE(chat.model, std::string("gpt-4o-mini"));
        QVERIFY(chat.inputTokens > 0 && chat.outputTokens > 0);
        const OtlpSpan &tool = named(b, "execute_tool crm_lookup");
        QCOMPARE(tool.kind, std::string("tool"));
        QCOMPARE(tool.tool, std::string("crm_lookup"));
        QCOMPARE(tool.input, std::string(R"({"customer":"C-1042"})"));
        QVERIFY(tool.hasOutput);
        QCOMPARE(named(b, "retrieval support-kb").kind, std::string("retrieval"));
        QCOMPARE(named(b, "embeddings text-embedding-3-small").model,
                 std::string("text-embedding-3-small"));
        QCOMPARE(named(b, "GET").kind, std::string("other"));
        const OtlpSpan &failed = named(b, "execute_tool create_ticket");
        QCOMPARE(failed.status, std::string("error"));
        QVERIFY(failed.attributesJson.find("HTTP 503") != std::string::npos);
        // The exception the SDK recorded on it, with its stack trace, is kept as an event.
        const QMap<QString, QString> rows = rowsOf(failed);
        QCOMPARE(rows.value(QStringLiteral("otel.events[0].name")), QStringLiteral("exception"));
        QCOMPARE(rows.value(QStringLiteral("otel.events[0].attributes.exception.type")),
                 QStringLiteral("TicketServiceError"));
        QVERIFY2(
            rows.value(QStringLiteral("otel.events[0].attributes.exception.stacktrace"))
                .contains(QStringLiteral("at createTicket (/app/tools/create_ticket.js:41:11)")),
            qPrintable(
                rows.value(QStringLiteral("otel.events[0].attributes.exception.stacktrace"))));
        QCOMPARE(rows.value(QStringLiteral("otel.events[0].time_us")),
                 QStringLiteral("1736935207410000"));
        // Nanoseconds as strings, to the microsecond.
        QCOMPARE(named(b, "embeddings text-embedding-3-small").startUs, int64_t(1736935200015000));

        const OtlpRun &run = b.runs[0];
        QCOMPARE(run.agent, std::string("support-bot"));
        QCOMPARE(run.version, std::string("v41"));
        QCOMPARE(run.status, std::string("succeeded"));
        QCOMPARE(run.runId, std::string("a617bebb-ee14-72aa-588a-b61cb0db4429"));
        QCOMPARE(run.steps, int(std::count_if(b.spans.begin(), b.spans.end(),
                                              [](const OtlpSpan &s) { return s.kind == "llm"; })));
        QCOMPARE(run.startedUs, root.startUs);
    }

    void severalTracesAndTheCollectorsJsonLines() {
        QCOMPARE(readOtlpFiles({data("two-traces.json")}).runs.size(), size_t(2));
        const OtlpBatch lines = readOtlpFiles({data("collector-file-exporter.jsonl")});
        QCOMPARE(lines.runs.size(), size_t(3));
        QCOMPARE(lines.spans.size(), size_t(18));
    }

    // The SDK's span links (to a span of another trace) and a prompt and completion logged as
    // span events (the older GenAI convention).
    void linksAndEventsFromTheSdk() {
        const OtlpBatch b = readOtlpFiles({data("two-traces.json")});
        const OtlpSpan &billing = named(b, "invoke_agent billing-bot");
        const OtlpSpan &followUp = named(b, "chat gpt-4o-mini", 1);
        QVERIFY(followUp.traceId != billing.traceId);
        const QMap<QString, QString> rows = rowsOf(followUp);
        QCOMPARE(rows.value(QStringLiteral("otel.links[0].trace_id")),
                 QString::fromStdString(billing.traceId));
        QCOMPARE(rows.value(QStringLiteral("otel.links[0].span_id")),
                 QString::fromStdString(billing.spanId));
        QCOMPARE(rows.value(QStringLiteral("otel.links[0].attributes.link.reason")),
                 QStringLiteral("follow-up of the billing run"));
        QVERIFY(followUp.hasInput && followUp.hasOutput);
        QCOMPARE(followUp.input,
                 std::string(R"([{"role":"user","content":"Was invoice 7 paid?"}])"));
        QCOMPARE(followUp.output,
                 std::string(R"([{"role":"assistant","content":"Yes, on 3 March."}])"));
        QCOMPARE(rows.value(QStringLiteral("otel.events[1].name")),
                 QStringLiteral("gen_ai.content.completion"));
    }

    // A failed root without a status message: the run's error is the recorded exception's.
    void anExceptionEventExplainsAFailure() {
        const OtlpBatch b = readOtlpText(
            R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10",
              "spanId":"0102030405060708","name":"invoke_agent x","startTimeUnixNano":"1000",
              "endTimeUnixNano":"2000","status":{"code":2},
              "events":[{"name":"exception","timeUnixNano":"1500","attributes":[
                {"key":"exception.message","value":{"stringValue":"budget exhausted"}}]}]}]}]}]})",
            "inline");
        QCOMPARE(b.runs[0].status, std::string("failed"));
        QCOMPARE(b.runs[0].error, std::string("budget exhausted"));
        // proto3 JSON may write an empty list as null.
        const OtlpBatch none = readOtlpText(
            R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10",
              "spanId":"0102030405060708","name":"x","startTimeUnixNano":"1000",
              "events":null,"links":null}]}]}]})",
            "inline");
        QCOMPARE(none.spans[0].attributesJson.find("otel."), std::string::npos);
    }

    void brokenEventsAndLinksSayWhere_data() {
        QTest::addColumn<QString>("span");
        QTest::addColumn<QString>("says");
        const QString head = QStringLiteral(
            R"({"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708",)"
            R"("name":"x","startTimeUnixNano":"1000",)");
        QTest::newRow("events not a list")
            << head + QStringLiteral(R"("events":{}})") << "spans[0].events: expected an array";
        QTest::newRow("event time not a number")
            << head + QStringLiteral(R"("events":[{"name":"e","timeUnixNano":"soon"}]})")
            << "spans[0].events[0].timeUnixNano";
        QTest::newRow("link span id")
            << head +
                   QStringLiteral(
                       R"("links":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"xyz"}]})")
            << "spans[0].links[0].spanId: \"xyz\" is not 16 hex digits";
        QTest::newRow("link without trace")
            << head + QStringLiteral(R"("links":[{"spanId":"0102030405060708"}]})")
            << "spans[0].links[0].traceId: missing";
    }
    void brokenEventsAndLinksSayWhere() {
        QFETCH(QString, span);
        QFETCH(QString, says);
        const QString error = inlineError(span.toStdString());
        QVERIFY2(error.contains(says), qPrintable(error));
    }

    // Other writers (the Collector, Go, Java) put 64-bit integers in strings and enums as names.
    void integersAsStringsAndStatusNames() {
        const std::string text = R"({"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"billing"}}]},
          "scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10",
            "spanId":"0102030405060708","name":"chat","startTimeUnixNano":1736935200000000000,
            "endTimeUnixNano":"1736935200500000000","status":{"code":"STATUS_CODE_ERROR"},
            "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
              {"key":"gen_ai.usage.input_tokens","value":{"intValue":"120"}}]}]}]}]})";
        const OtlpBatch b = readOtlpText(text, "inline");
        QCOMPARE(b.spans[0].inputTokens, int64_t(120));
        QCOMPARE(b.spans[0].endUs - b.spans[0].startUs, int64_t(500000));
        QCOMPARE(b.spans[0].status, std::string("error"));
        QCOMPARE(b.runs[0].status, std::string("failed"));
        QCOMPARE(b.runs[0].agent, std::string("billing"));
    }

    void brokenFilesSayWhereAndWhat_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("says");
        QTest::newRow("truncated") << "broken-truncated.json"
                                   << "line 1, column 7241: not valid JSON";
        QTest::newRow("bad hex") << "broken-bad-hex.json"
                                 << "$.resourceSpans[0].scopeSpans[0].spans[0].traceId: "
                                    "\"zzd85b63127c65cdee86950894e0b8ff\" is not 32 hex digits";
        QTest::newRow("not OTLP") << "broken-not-otlp.json"
                                  << "no \"resourceSpans\"";
    }
    void brokenFilesSayWhereAndWhat() {
        QFETCH(QString, file);
        QFETCH(QString, says);
        const QString error = errorOf(file.toStdString());
        QVERIFY2(error.contains(says), qPrintable(error));
        QVERIFY(error.startsWith(QString::fromStdString(data(file.toUtf8().constData()))));
    }

    // Hostile input: each is refused with a sentence naming the place, in bounded memory and
    // without recursing on the input's depth (100,000 levels crashed the importer before).
    void hostileInputIsRefused_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");
        const QByteArray span =
            R"({"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"x","startTimeUnixNano":"1000")";
        auto inSpan = [&](const QByteArray &more) -> QByteArray {
            return R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + span + more + "}]}]}]}";
        };
        auto nestedArrays = [](int depth) -> QByteArray {
            return QByteArray(R"({"key":"deep","value":)") +
                   QByteArray(R"({"arrayValue":{"values":[)").repeated(depth) +
                   QByteArray(R"({"stringValue":"x"})") + QByteArray("]}}").repeated(depth) + "}";
        };
        QTest::newRow("100,000 levels of arrayValue")
            << inSpan(",\"attributes\":[" + nestedArrays(100'000) + "]")
            << "nested deeper than 100 levels";
        QTest::newRow("17 levels of arrayValue")
            << inSpan(",\"attributes\":[" + nestedArrays(17) + "]")
            << "spans[0].attributes[0].value.arrayValue.values[0].arrayValue.values[0]";
        QTest::newRow("17 levels say the limit")
            << inSpan(",\"attributes\":[" + nestedArrays(17) + "]")
            << "nested deeper than 16 levels: an attribute value may nest at most 16";
        QTest::newRow("nested arrays in an intValue")
            << inSpan(R"(,"attributes":[{"key":"n","value":{"intValue":)" +
                      QByteArray(100'000, '[') + QByteArray(100'000, ']') + "}}]")
            << "nested deeper than 100 levels";
        QTest::newRow("an array where a resource entry belongs")
            << QByteArray(R"({"resourceSpans":[[{"scopeSpans":[]}]]})")
            << "$.resourceSpans[0]: expected an object";
        QTest::newRow("a number where the spans belong")
            << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":7}]}]})")
            << "$.resourceSpans[0].scopeSpans[0].spans: expected an array";
        QTest::newRow("a string where a span belongs")
            << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":["x"]}]}]})")
            << "spans[0]: expected an object";
        QTest::newRow("not an object at all") << QByteArray("[1,2]") << "no \"resourceSpans\"";
        QTest::newRow("doubleValue not a number")
            << inSpan(R"(,"attributes":[{"key":"d","value":{"doubleValue":"abc"}}])")
            << "spans[0].attributes[0].value.doubleValue: expected a number, found \"abc\"";
        QTest::newRow("int64 token count")
            << inSpan(
                   R"(,"attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"9223372036854775807"}}])")
            << "gen_ai.usage.input_tokens: 9223372036854775807 is not a token count";
        QTest::newRow("negative token count")
            << inSpan(
                   R"(,"attributes":[{"key":"gen_ai.usage.output_tokens","value":{"intValue":"-5"}}])")
            << "is not a token count (a whole number from 0 to 2147483647)";
        QTest::newRow("cost 1e300")
            << inSpan(
                   R"(,"attributes":[{"key":"gen_ai.usage.cost","value":{"doubleValue":1e300}}])")
            << "gen_ai.usage.cost: 1e+300 is not a cost (dollars from 0 to 99999999.999999)";
        QTest::newRow("negative cost")
            << inSpan(R"(,"attributes":[{"key":"gen_ai.usage.cost","value":{"doubleValue":-0.5}}])")
            << "is not a cost";
        QTest::newRow("intValue beyond 64 bits")
            << inSpan(R"(,"attributes":[{"key":"n","value":{"intValue":"99999999999999999999"}}])")
            << "intValue: expected a 64-bit integer";
        QTest::newRow("ends before it starts")
            << inSpan(R"(,"endTimeUnixNano":"10")") << "the span ends before it starts";
        QTest::newRow("a time after 2200")
            << inSpan(R"(,"endTimeUnixNano":"9000000000000000000")")
            << "endTimeUnixNano: 9000000000000000000 is not a time between 1970 and 2200";
        QTest::newRow("a time before 1970")
            << QByteArray(
                   R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"x","startTimeUnixNano":"-1000"}]}]}]})")
            << "startTimeUnixNano: -1000 is not a time between 1970 and 2200";
        QTest::newRow("an event's time")
            << inSpan(R"(,"events":[{"name":"e","timeUnixNano":"99999999999999999999"}])")
            << "events[0].timeUnixNano: expected a 64-bit integer";
        QTest::newRow("a span given twice")
            << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + span + "}," + span +
                          "}]}]}]}")
            << "spans[1].spanId: span 0102030405060708 of trace "
               "0102030405060708090a0b0c0d0e0f10 is given twice";
        QTest::newRow("a resource that is a string")
            << QByteArray(R"({"resourceSpans":[{"resource":"x","scopeSpans":[]}]})")
            << "$.resourceSpans[0].resource: expected an object";
        QTest::newRow("a list member without a key")
            << inSpan(
                   R"(,"attributes":[{"key":"l","value":{"kvlistValue":{"values":[{"value":{"stringValue":"v"}}]}}}])")
            << "kvlistValue.values[0]: a list member needs a string \"key\"";
        QTest::newRow("a number beyond a double")
            << QByteArray(R"({"resourceSpans":[{"x":1e309}]})")
            << "line 1, column 28: not valid JSON (number overflow parsing '1e309')";
        QTest::newRow("JSON Lines: the second line broken")
            << QByteArray(R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + span + "}]}]}]}\n" +
                          R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]})")
            << "line 2: $.resourceSpans[0].scopeSpans[0].spans[0].traceId";
    }
    void hostileInputIsRefused() {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        QString error;
        try {
            readOtlpText(text.toStdString(), "hostile.json");
        } catch (const OtlpError &e) {
            error = QString::fromStdString(e.what());
        }
        QVERIFY2(error.startsWith(QLatin1String("hostile.json: ")), qPrintable(error));
        QVERIFY2(error.contains(says), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error)); // one sentence
    }

    // What is within the limits is read: 16 levels, a resource written after its spans, a
    // value too long to keep (cut, and marked as cut), proto3's names for special doubles.
    void withinTheLimits() {
        const std::string span =
            R"({"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"x","startTimeUnixNano":"1000",)";
        std::string deep = R"({"stringValue":"leaf"})";
        for (int i = 0; i < 16; ++i)
            deep = R"({"arrayValue":{"values":[)" + deep + "]}}";
        const std::string huge(5 << 20, 'a');
        const OtlpBatch b =
            readOtlpText(R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + span +
                             R"("attributes":[{"key":"deep","value":)" + deep +
                             R"(},{"key":"gen_ai.input.messages","value":{"stringValue":")" + huge +
                             R"("}},{"key":"ratio","value":{"doubleValue":"NaN"}}]}]}],
                "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late"}}]}}]})",
                         "limits.json");
        QCOMPARE(b.spans.size(), size_t(1));
        QCOMPARE(b.runs[0].agent, std::string("late"));
        QCOMPARE(b.spans[0].input.size(), size_t(4 << 20));
        const QMap<QString, QString> rows = rowsOf(b.spans[0]);
        QCOMPARE(rows.value(QStringLiteral("pitwall.truncated[0].bytes")),
                 QString::number(5 << 20));
        QCOMPARE(rows.value(QStringLiteral("pitwall.truncated[0].at")),
                 QStringLiteral("attributes[1].value.stringValue"));
        QCOMPARE(rows.value(QStringLiteral("ratio")), QStringLiteral("NaN"));
        const QString leaf = QStringLiteral("deep") + QStringLiteral("[0]").repeated(15);
        QCOMPARE(rows.value(leaf), QStringLiteral(R"(["leaf"])"));
    }

    // Inputs the fuzzer (scripts/fuzz.sh) made crash, kept as regression cases: nested
    // attribute lists read a key through a dangling reference; an arrayValue that is not an
    // object was read as one.
    void fuzzerFindings_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("says"); // empty: imports
        QTest::newRow("nested lists") << "fuzz/nested-lists-dangling-key.json" << QString();
        QTest::newRow("arrayValue 5") << "fuzz/array-value-not-an-object.json"
                                      << "value.arrayValue: expected an object with \"values\"";
    }
    void fuzzerFindings() {
        QFETCH(QString, file);
        QFETCH(QString, says);
        const QString error = errorOf(file.toStdString());
        if (says.isEmpty()) {
            QCOMPARE(error, QString());
            const OtlpBatch b = readOtlpFiles({data(file.toUtf8().constData())});
            const QMap<QString, QString> rows = rowsOf(b.spans.at(0));
            QCOMPARE(rows.value(QStringLiteral("a[0][0][0]")), QStringLiteral("[1]"));
        } else {
            QVERIFY2(error.contains(says), qPrintable(error));
        }
    }

    void anyBrokenFileStopsTheWholeImport() {
        bool refused = false;
        try {
            readOtlpFiles({data("agent-run.json"), data("broken-not-otlp.json")});
        } catch (const OtlpError &) {
            refused = true;
        }
        QVERIFY(refused);
    }
};

QTEST_GUILESS_MAIN(TestOtlpImport)
#include "test_otlp_import.moc"

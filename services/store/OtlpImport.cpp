#include "OtlpImport.h"

#include "Clock.h"
#include "Money.h"
#include "OtlpStream.h"

#include <nlohmann/json.hpp>

#include <pqxx/stream_to>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <unordered_set>

namespace pitwall {
namespace {

using json = nlohmann::json;

struct Place {
    const std::string &file;
    std::string path;
    [[noreturn]] void fail(const std::string &what) const {
        throw OtlpError(file + ": " + path + ": " + what);
    }
    Place operator/(const std::string &key) const { return {file, path + "." + key}; }
    Place operator[](size_t i) const { return {file, path + "[" + std::to_string(i) + "]"}; }
};

// A value as it appeared, short enough for a sentence.
std::string shown(const json &v) {
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

bool isHex(const std::string &s, size_t length) {
    return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// OTLP/JSON writes 64-bit integers as strings (proto3 JSON) or as numbers (some SDKs).
int64_t integer(const json &v, const Place &at) {
    if (v.is_number_integer())
        return v.get<int64_t>();
    if (v.is_number_unsigned()) {
        if (v.get<uint64_t>() > uint64_t(INT64_MAX))
            at.fail("expected a 64-bit integer, found " + shown(v));
        return int64_t(v.get<uint64_t>());
    }
    if (v.is_string()) {
        const std::string &s = v.get_ref<const std::string &>();
        int64_t n = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty())
            return n;
    }
    at.fail("expected a 64-bit integer, found " + shown(v));
}

// A time in nanoseconds since 1970, as microseconds; refused outside 1970 to 2200.
int64_t timeUs(const json &v, const Place &at) {
    constexpr int64_t kYear2200Ns = 7'258'118'400'000'000'000;
    const int64_t ns = integer(v, at);
    if (ns < 0 || ns >= kYear2200Ns)
        at.fail(std::to_string(ns) + " is not a time between 1970 and 2200 (nanoseconds since "
                                     "1970)");
    return ns / 1000;
}

std::string text(const json &o, const char *key, const Place &at, bool required) {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
        if (required)
            (at / key).fail("missing");
        return {};
    }
    if (!it->is_string())
        (at / key).fail("expected a string, found " + it->dump());
    return it->get<std::string>();
}

// An AnyValue as plain JSON. `depth` counts the arrays and lists around it: bounded, so the
// recursion is too (the reader already bounds the document's nesting).
json anyValue(const json &v, const Place &at, int depth = 0) {
    if (!v.is_object() || v.empty())
        return nullptr;
    // Not `*v.items().begin()`: its key would refer into a temporary (found by the fuzzer).
    const auto first = v.begin();
    const std::string &key = first.key();
    const json &value = first.value();
    if (key == "stringValue" || key == "boolValue" || key == "bytesValue")
        return value;
    if (key == "intValue")
        return integer(value, at / key);
    if (key == "doubleValue") {
        if (value.is_number())
            return value;
        if (value.is_string()) {
            // proto3 JSON writes NaN and the infinities as these strings; JSON has no number
            // for them, so they stay text.
            const std::string &s = value.get_ref<const std::string &>();
            if (s == "NaN" || s == "Infinity" || s == "-Infinity")
                return s;
            double d = 0;
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
            if (ec == std::errc() && end == s.data() + s.size() && !s.empty() && std::isfinite(d))
                return d;
        }
        (at / key).fail("expected a number, found " + shown(value));
    }
    if (key == "arrayValue" || key == "kvlistValue") {
        if (depth >= OtlpLimits::kMaxValueDepth)
            (at / key).fail("nested deeper than " + std::to_string(OtlpLimits::kMaxValueDepth) +
                            " levels: an attribute value may nest at most " +
                            std::to_string(OtlpLimits::kMaxValueDepth) + " arrays or lists");
        const bool list = key == "kvlistValue";
        json out = list ? json::object() : json::array();
        if (!value.is_object())
            (at / key).fail("expected an object with \"values\"");
        const auto values = value.find("values");
        if (values == value.end() || values->is_null())
            return out;
        if (!values->is_array())
            (at / key / "values").fail("expected an array");
        for (size_t i = 0; i < values->size(); ++i) {
            const json &member = (*values)[i];
            const Place p = (at / key / "values")[i];
            if (!list) {
                out.push_back(anyValue(member, p, depth + 1));
                continue;
            }
            if (!member.is_object() || !member.contains("key") || !member["key"].is_string())
                p.fail("a list member needs a string \"key\"");
            const auto inner = member.find("value");
            out[member["key"].get<std::string>()] =
                inner == member.end() ? json(nullptr) : anyValue(*inner, p / "value", depth + 1);
        }
        return out;
    }
    at.fail("unknown attribute value \"" + key + "\"");
}

const json &member(const json &o, const char *key) {
    static const json none;
    if (!o.is_object())
        return none;
    const auto it = o.find(key);
    return it == o.end() ? none : *it;
}

json attributes(const json &list, const Place &at) {
    json out = json::object();
    if (list.is_null())
        return out;
    if (!list.is_array())
        at.fail("expected an array");
    for (size_t i = 0; i < list.size(); ++i) {
        const json &kv = list[i];
        if (!kv.is_object() || !kv.contains("key") || !kv["key"].is_string())
            at[i].fail("an attribute needs a string \"key\"");
        out[kv["key"].get<std::string>()] = anyValue(member(kv, "value"), at[i] / "value");
    }
    return out;
}

std::string str(const json &attrs, const char *key) {
    const auto it = attrs.find(key);
    if (it == attrs.end() || it->is_null())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

// A token count: a whole number that fits the spans' int column.
int64_t tokens(const json &attrs, std::initializer_list<const char *> keys, const Place &at) {
    for (const char *key : keys) {
        const auto it = attrs.find(key);
        if (it == attrs.end() || !it->is_number())
            continue;
        const double d = it->get<double>();
        if (!(d >= 0 && d <= double(INT32_MAX)) || (it->is_number_float() && d != std::floor(d)))
            (at / "attributes" / key)
                .fail(shown(*it) + " is not a token count (a whole number from 0 to 2147483647)");
        return int64_t(d);
    }
    return 0;
}

std::string kindOf(const json &attrs, const std::string &name) {
    const std::string op = lower(str(attrs, "gen_ai.operation.name"));
    if (op == "chat" || op == "text_completion" || op == "generate_content" || op == "embeddings")
        return "llm";
    if (op == "execute_tool")
        return "tool";
    if (op == "invoke_agent" || op == "create_agent")
        return "agent";
    if (op == "retrieval" || attrs.contains("db.system") || attrs.contains("db.system.name"))
        return "retrieval";
    if (attrs.contains("gen_ai.tool.name"))
        return "tool";
    if (attrs.contains("gen_ai.request.model"))
        return "llm";
    return name.rfind("invoke_agent", 0) == 0 ? "agent" : "other";
}

// A span's list under `key` (events, links), each member an object made into JSON by `make`.
template <typename Make>
json listOf(const json &span, const char *key, const Place &at, Make make) {
    json out = json::array();
    const json &list = member(span, key); // absent or null, as proto3 JSON may write: none
    if (list.is_null())
        return out;
    if (!list.is_array())
        (at / key).fail("expected an array");
    for (size_t i = 0; i < list.size(); ++i) {
        const Place p = (at / key)[i];
        if (!list[i].is_object())
            p.fail("expected an object");
        out.push_back(make(list[i], p));
    }
    return out;
}

// A span's events (an exception recorded on it, a prompt logged as an event, ...) as
// [{"name", "time_us", "attributes"}], kept with the span's attributes.
json spanEvents(const json &span, const Place &at) {
    return listOf(span, "events", at, [](const json &event, const Place &p) {
        json e = json::object();
        e["name"] = text(event, "name", p, false);
        if (event.contains("timeUnixNano"))
            e["time_us"] = timeUs(event["timeUnixNano"], p / "timeUnixNano");
        e["attributes"] = attributes(member(event, "attributes"), p / "attributes");
        return e;
    });
}

// A span's links to other spans (of this trace or others) as
// [{"trace_id", "span_id", "attributes"}].
json spanLinks(const json &span, const Place &at) {
    return listOf(span, "links", at, [](const json &link, const Place &p) {
        const std::string traceId = lower(text(link, "traceId", p, true));
        const std::string spanId = lower(text(link, "spanId", p, true));
        if (!isHex(traceId, 32))
            (p / "traceId").fail("\"" + traceId + "\" is not 32 hex digits");
        if (!isHex(spanId, 16))
            (p / "spanId").fail("\"" + spanId + "\" is not 16 hex digits");
        return json{{"trace_id", traceId},
                    {"span_id", spanId},
                    {"attributes", attributes(member(link, "attributes"), p / "attributes")}};
    });
}

// The run each trace stands for, summed up span by span as they are read.
using Runs = std::map<std::string, OtlpRun>;

void addToRun(Runs &runs, const OtlpSpan &s, const json &attrs, const Place &at) {
    auto [it, fresh] = runs.try_emplace(s.traceId);
    OtlpRun &r = it->second;
    if (fresh) {
        r.traceId = s.traceId;
        r.runId = uuidFromHex(s.traceId);
        r.startedUs = s.startUs;
        r.endedUs = s.endUs;
        r.status = "succeeded";
    }
    r.startedUs = std::min(r.startedUs, s.startUs);
    r.endedUs = std::max(r.endedUs, s.endUs);
    r.steps += s.kind == "llm";
    r.inputTokens += s.inputTokens;
    r.outputTokens += s.outputTokens;
    r.costMicros += s.costMicros;
    if (r.costMicros > kMaxUsdMicros)
        at.fail("the spans of trace " + s.traceId + " cost more than " + kMaxUsdText +
                " dollars together, more than a run can record");
    if (r.version.empty())
        r.version = str(attrs, "service.version");
    if (s.parentSpanId.empty()) {
        // The root says who ran and how it ended.
        if (s.status == "error") {
            r.status = "failed";
            r.error = str(attrs, "otel.status_description");
        }
        if (const std::string agent = str(attrs, "gen_ai.agent.name"); !agent.empty())
            r.agent = agent;
        for (const char *key : {"enduser.id", "user.id", "gen_ai.conversation.user"})
            if (r.user.empty())
                r.user = str(attrs, key);
    }
    if (r.agent.empty()) // else the service that wrote the spans
        r.agent = str(attrs, "service.name");
}

// One span of the export, with the attributes of its resource.
OtlpSpan readSpan(const json &in, const Place &p, const json &resource, json &attrs) {
    OtlpSpan o;
    o.traceId = lower(text(in, "traceId", p, true));
    if (!isHex(o.traceId, 32) || o.traceId == std::string(32, '0'))
        (p / "traceId").fail("\"" + o.traceId + "\" is not 32 hex digits");
    o.spanId = lower(text(in, "spanId", p, true));
    if (!isHex(o.spanId, 16) || o.spanId == std::string(16, '0'))
        (p / "spanId").fail("\"" + o.spanId + "\" is not 16 hex digits");
    o.parentSpanId = lower(text(in, "parentSpanId", p, false));
    if (!o.parentSpanId.empty() && !isHex(o.parentSpanId, 16))
        (p / "parentSpanId").fail("\"" + o.parentSpanId + "\" is not 16 hex digits");
    o.name = text(in, "name", p, true);
    if (!in.contains("startTimeUnixNano"))
        (p / "startTimeUnixNano").fail("missing");
    o.startUs = timeUs(in["startTimeUnixNano"], p / "startTimeUnixNano");
    o.endUs = in.contains("endTimeUnixNano") && !in["endTimeUnixNano"].is_null()
                  ? timeUs(in["endTimeUnixNano"], p / "endTimeUnixNano")
                  : o.startUs;
    if (o.endUs < o.startUs)
        (p / "endTimeUnixNano").fail("the span ends before it starts");
    const json &status = member(in, "status");
    if (!status.is_null() && !status.is_object())
        (p / "status").fail("expected an object");
    const json &code = member(status, "code");
    const std::string codeText = code.is_string() ? code.get<std::string>() : "";
    const int64_t codeNumber = code.is_number_integer() ? code.get<int64_t>() : -1;
    o.status = codeNumber == 2 || codeText == "STATUS_CODE_ERROR" ? "error"
               : codeNumber == 1 || codeText == "STATUS_CODE_OK"  ? "ok"
                                                                  : "unset";
    attrs = attributes(member(in, "attributes"), p / "attributes");
    const json events = spanEvents(in, p), links = spanLinks(in, p);
    if (o.status == "error") {
        // Why it failed: the status message, else the exception recorded on it.
        std::string why = status.is_object() ? str(status, "message") : "";
        for (const json &e : events)
            if (why.empty() && e["name"] == "exception")
                why = str(e["attributes"], "exception.message");
        if (!why.empty())
            attrs["otel.status_description"] = why;
    }
    o.kind = kindOf(attrs, o.name);
    o.model = str(attrs, "gen_ai.request.model");
    if (o.model.empty())
        o.model = str(attrs, "gen_ai.response.model");
    o.tool = str(attrs, "gen_ai.tool.name");
    o.inputTokens = tokens(attrs, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"}, p);
    o.outputTokens =
        tokens(attrs, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"}, p);
    for (const char *key : {"gen_ai.tool.call.arguments", "gen_ai.input.messages", "gen_ai.prompt"})
        if (attrs.contains(key)) {
            o.input = str(attrs, key);
            o.hasInput = true;
            break;
        }
    for (const char *key :
         {"gen_ai.tool.call.result", "gen_ai.output.messages", "gen_ai.completion"})
        if (attrs.contains(key)) {
            o.output = str(attrs, key);
            o.hasOutput = true;
            break;
        }
    // Else prompts and completions logged as events (the older GenAI convention).
    for (const json &e : events) {
        const json &a = e["attributes"];
        if (!o.hasInput && e["name"] == "gen_ai.content.prompt" && a.contains("gen_ai.prompt")) {
            o.input = str(a, "gen_ai.prompt");
            o.hasInput = true;
        }
        if (!o.hasOutput && e["name"] == "gen_ai.content.completion" &&
            a.contains("gen_ai.completion")) {
            o.output = str(a, "gen_ai.completion");
            o.hasOutput = true;
        }
    }
    if (const auto cost = attrs.find("gen_ai.usage.cost"); cost != attrs.end()) {
        const double usd = cost->is_number() ? cost->get<double>() : -1;
        if (!(usd >= 0 && usd * 1e6 <= double(kMaxUsdMicros)))
            (p / "attributes" / "gen_ai.usage.cost")
                .fail(shown(*cost) + " is not a cost (dollars from 0 to " + kMaxUsdText + ")");
        o.costMicros = int64_t(std::llround(usd * 1e6));
    }
    for (const char *key : {"service.name", "service.version"})
        if (resource.contains(key))
            attrs[key] = resource[key];
    if (!events.empty())
        attrs["otel.events"] = events;
    if (!links.empty())
        attrs["otel.links"] = links;
    return o;
}

// A span's (trace id, span id) as three words, to find a span given twice.
struct SpanKey {
    uint64_t trace[2], span;
    bool operator==(const SpanKey &o) const {
        return trace[0] == o.trace[0] && trace[1] == o.trace[1] && span == o.span;
    }
};
struct SpanKeyHash {
    size_t operator()(const SpanKey &k) const {
        return size_t((k.trace[0] * 0x9e3779b97f4a7c15ull) ^ (k.trace[1] * 0xc2b2ae3d27d4eb4full) ^
                      k.span);
    }
};
uint64_t hex64(std::string_view s) {
    uint64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v, 16);
    return v;
}

// Reads files span by span and hands each, checked and mapped, to a sink; sums up the runs.
class OtlpSpanReader {
public:
    explicit OtlpSpanReader(std::function<void(OtlpSpan &&)> sink)
        : m_sink(std::move(sink)) {}

    void read(std::istream &in, const std::string &name) {
        const size_t before = m_spans;
        OtlpStreamReader reader(
            name,
            [&](OtlpPiece &&resource) {
                const Place at{name, resource.place};
                if (!resource.value.is_object())
                    at.fail("expected an object");
                m_resource = attributes(member(resource.value, "attributes"), at / "attributes");
            },
            [&](OtlpPiece &&piece) { span(std::move(piece), name); });
        reader.read(in);
        if (m_spans == before)
            throw OtlpError(name + ": holds no spans");
        ++m_files;
    }

    std::vector<OtlpRun> finish() {
        std::vector<OtlpRun> out;
        for (auto &[trace, r] : m_runs) {
            for (std::string *field : {&r.agent, &r.version, &r.user})
                if (field->empty())
                    *field = "unknown";
            out.push_back(std::move(r));
        }
        m_runs.clear();
        return out;
    }

    size_t spans() const { return m_spans; }
    size_t files() const { return m_files; }

private:
    void span(OtlpPiece &&piece, const std::string &name) {
        const Place at{name, piece.place};
        json attrs;
        OtlpSpan o = readSpan(piece.value, at, m_resource, attrs);
        if (!piece.truncated.empty())
            attrs["pitwall.truncated"] = std::move(piece.truncated);
        const SpanKey key{{hex64(std::string_view(o.traceId).substr(0, 16)),
                           hex64(std::string_view(o.traceId).substr(16))},
                          hex64(o.spanId)};
        if (!m_seen.insert(key).second)
            (at / "spanId")
                .fail("span " + o.spanId + " of trace " + o.traceId +
                      " is given twice: a span id must be unique in its trace");
        addToRun(m_runs, o, attrs, at);
        o.attributesJson = attrs.dump(-1, ' ', false, json::error_handler_t::replace);
        ++m_spans;
        m_sink(std::move(o));
    }

    std::function<void(OtlpSpan &&)> m_sink;
    json m_resource = json::object();
    Runs m_runs;
    std::unordered_set<SpanKey, SpanKeyHash> m_seen;
    size_t m_spans = 0, m_files = 0;
};

std::ifstream openFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw OtlpError(path + ": cannot be read");
    return in;
}

// Writes spans into pitwall.spans in batches (COPY), inside the caller's transaction, and
// refuses a trace that the store held before this import.
class SpanWriter {
public:
    explicit SpanWriter(pqxx::work &tx)
        : m_tx(tx) {}

    void add(OtlpSpan &&s) {
        m_batch.push_back(std::move(s));
        if (m_batch.size() >= 2000)
            flush();
    }

    void flush() {
        if (m_batch.empty())
            return;
        std::string fresh;
        for (const OtlpSpan &s : m_batch)
            if (m_checked.insert(s.traceId).second)
                fresh += (fresh.empty() ? "" : ",") + s.traceId; // hex: nothing to quote
        if (!fresh.empty()) {
            const pqxx::result present = m_tx.exec_params(
                "SELECT trace_id FROM pitwall.spans WHERE trace_id = ANY($1::text[])"
                " LIMIT 1",
                "{" + fresh + "}");
            if (!present.empty())
                throw OtlpError("the trace " + present[0][0].as<std::string>() +
                                " is already in the store; nothing was imported");
        }
        pqxx::stream_to out(m_tx, "pitwall.spans",
                            std::vector<std::string>{
                                "trace_id", "span_id", "parent_span_id", "run_id", "name", "kind",
                                "started_at", "ended_at", "status", "model", "tool", "input_tokens",
                                "output_tokens", "cost_usd", "attributes", "input", "output"});
        for (const OtlpSpan &s : m_batch) {
            out << std::make_tuple(
                s.traceId, s.spanId, s.parentSpanId.empty() ? nullptr : s.parentSpanId.c_str(),
                uuidFromHex(s.traceId), s.name, s.kind, s.startUs, s.endUs, s.status,
                s.model.empty() ? nullptr : s.model.c_str(),
                s.tool.empty() ? nullptr : s.tool.c_str(), s.inputTokens, s.outputTokens,
                microsToNumeric(s.costMicros), s.attributesJson,
                s.hasInput ? s.input.c_str() : nullptr, s.hasOutput ? s.output.c_str() : nullptr);
        }
        out.complete();
        m_batch.clear();
    }

    void finish(const std::vector<OtlpRun> &runs) {
        flush();
        for (const OtlpRun &r : runs)
            m_tx.exec_params(
                "INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, entry_point, "
                "status, started_at, ended_at, steps, input_tokens, output_tokens, cost_usd, "
                "error) VALUES ($1, $2, $3, $4, $5, 'http', $6, 'epoch'::timestamptz + $7 * "
                "interval '1 microsecond', 'epoch'::timestamptz + $8 * interval '1 microsecond', "
                "$9, $10, $11, $12::numeric, NULLIF($13, '')) ON CONFLICT (run_id) DO NOTHING",
                r.runId, r.traceId, r.agent, r.version, r.user, r.status, r.startedUs, r.endedUs,
                r.steps, r.inputTokens, r.outputTokens, microsToNumeric(r.costMicros), r.error);
    }

private:
    pqxx::work &m_tx;
    std::vector<OtlpSpan> m_batch;
    std::unordered_set<std::string> m_checked;
};

} // namespace

OtlpBatch readOtlpText(const std::string &content, const std::string &name) {
    OtlpBatch batch;
    OtlpSpanReader reader([&batch](OtlpSpan &&s) { batch.spans.push_back(std::move(s)); });
    std::istringstream in(content);
    reader.read(in, name);
    batch.runs = reader.finish();
    batch.files = reader.files();
    return batch;
}

// A trace split over several files is one run: the runs are summed over all of them.
OtlpBatch readOtlpFiles(const std::vector<std::string> &paths) {
    OtlpBatch batch;
    OtlpSpanReader reader([&batch](OtlpSpan &&s) { batch.spans.push_back(std::move(s)); });
    for (const std::string &path : paths) {
        std::ifstream in = openFile(path);
        reader.read(in, path);
    }
    batch.runs = reader.finish();
    batch.files = reader.files();
    return batch;
}

void writeOtlpBatch(pqxx::connection_base &pg, const OtlpBatch &batch) {
    pqxx::work tx(pg);
    SpanWriter writer(tx);
    for (OtlpSpan s : batch.spans)
        writer.add(std::move(s));
    writer.finish(batch.runs);
    tx.commit();
}

OtlpImportSummary importOtlpFiles(pqxx::connection_base &pg,
                                  const std::vector<std::string> &paths) {
    for (const std::string &path : paths)
        openFile(path); // every file readable before anything is read
    pqxx::work tx(pg);
    SpanWriter writer(tx);
    OtlpSpanReader reader([&writer](OtlpSpan &&s) { writer.add(std::move(s)); });
    for (const std::string &path : paths) {
        std::ifstream in = openFile(path);
        reader.read(in, path);
    }
    OtlpImportSummary summary;
    summary.runs = reader.finish();
    writer.finish(summary.runs);
    tx.commit();
    summary.spans = reader.spans();
    summary.files = reader.files();
    return summary;
}

} // namespace pitwall

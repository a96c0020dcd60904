#include "OtlpImport.h"

#include "Clock.h"

#include <nlohmann/json.hpp>

#include <pqxx/stream_to>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

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

// "line 3, column 17" for a byte offset of the text.
std::string lineAndColumn(const std::string &text, size_t byte) {
    byte = std::min(byte, text.size());
    const size_t line = size_t(std::count(text.begin(), text.begin() + ptrdiff_t(byte), '\n')) + 1;
    const size_t lineStart = text.rfind('\n', byte == 0 ? 0 : byte - 1);
    const size_t column = byte - (lineStart == std::string::npos ? 0 : lineStart + 1) + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
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
    if (v.is_number_unsigned())
        return int64_t(v.get<uint64_t>());
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        try {
            size_t used = 0;
            const long long n = std::stoll(s, &used);
            if (used == s.size())
                return n;
        } catch (const std::exception &) {
        }
    }
    at.fail("expected an integer, found " + v.dump());
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

// An AnyValue as plain JSON.
json anyValue(const json &v, const Place &at) {
    if (!v.is_object() || v.empty())
        return nullptr;
    const auto &[key, value] = *v.items().begin();
    if (key == "stringValue")
        return value;
    if (key == "boolValue")
        return value;
    if (key == "intValue")
        return integer(value, at / key);
    if (key == "doubleValue")
        return value.is_string() ? json(std::stod(value.get<std::string>())) : value;
    if (key == "bytesValue")
        return value;
    if (key == "arrayValue") {
        json out = json::array();
        const auto values = value.value("values", json::array());
        for (size_t i = 0; i < values.size(); ++i)
            out.push_back(anyValue(values[i], (at / key / "values")[i]));
        return out;
    }
    if (key == "kvlistValue") {
        json out = json::object();
        const auto values = value.value("values", json::array());
        for (size_t i = 0; i < values.size(); ++i)
            out[values[i].value("key", "")] =
                anyValue(values[i].value("value", json::object()), (at / key / "values")[i]);
        return out;
    }
    at.fail("unknown attribute value \"" + key + "\"");
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
        out[kv["key"].get<std::string>()] =
            anyValue(kv.value("value", json::object()), at[i] / "value");
    }
    return out;
}

std::string str(const json &attrs, const char *key) {
    const auto it = attrs.find(key);
    if (it == attrs.end() || it->is_null())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

int64_t num(const json &attrs, std::initializer_list<const char *> keys) {
    for (const char *key : keys) {
        const auto it = attrs.find(key);
        if (it != attrs.end() && it->is_number())
            return it->is_number_integer() ? it->get<int64_t>() : int64_t(it->get<double>());
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
    const json list = span.value(key, json::array()); // null, as proto3 JSON may write: none
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
            e["time_us"] = integer(event["timeUnixNano"], p / "timeUnixNano") / 1000;
        e["attributes"] = attributes(event.value("attributes", json::array()), p / "attributes");
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
        return json{
            {"trace_id", traceId},
            {"span_id", spanId},
            {"attributes", attributes(link.value("attributes", json::array()), p / "attributes")}};
    });
}

// The run each trace stands for, summed up span by span as they are read.
using Runs = std::map<std::string, OtlpRun>;

void addToRun(Runs &runs, const OtlpSpan &s, const json &attrs) {
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

void finishRuns(Runs &runs, OtlpBatch &batch) {
    for (auto &[trace, r] : runs) {
        for (std::string *field : {&r.agent, &r.version, &r.user})
            if (field->empty())
                *field = "unknown";
        batch.runs.push_back(std::move(r));
    }
}

void readRequest(const json &request, const Place &at, OtlpBatch &batch, Runs &runs) {
    if (!request.is_object() || !request.contains("resourceSpans"))
        at.fail("not an OTLP trace export: no \"resourceSpans\"");
    const json &resources = request["resourceSpans"];
    if (!resources.is_array())
        (at / "resourceSpans").fail("expected an array");
    for (size_t r = 0; r < resources.size(); ++r) {
        const Place rp = (at / "resourceSpans")[r];
        const json resource = attributes(
            resources[r].value("resource", json::object()).value("attributes", json::array()),
            rp / "resource" / "attributes");
        const json scopes = resources[r].value("scopeSpans", json::array());
        for (size_t s = 0; s < scopes.size(); ++s) {
            const Place sp = (rp / "scopeSpans")[s];
            const json spans = scopes[s].value("spans", json::array());
            if (!spans.is_array())
                (sp / "spans").fail("expected an array");
            for (size_t i = 0; i < spans.size(); ++i) {
                const Place p = (sp / "spans")[i];
                const json &in = spans[i];
                if (!in.is_object())
                    p.fail("expected an object");
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
                o.startUs = integer(in["startTimeUnixNano"], p / "startTimeUnixNano") / 1000;
                o.endUs = in.contains("endTimeUnixNano")
                              ? integer(in["endTimeUnixNano"], p / "endTimeUnixNano") / 1000
                              : o.startUs;
                if (o.endUs < o.startUs)
                    (p / "endTimeUnixNano").fail("the span ends before it starts");
                const json status = in.value("status", json::object());
                const json code = status.value("code", json(0));
                const std::string codeText = code.is_string() ? code.get<std::string>() : "";
                const int64_t codeNumber = code.is_number() ? code.get<int64_t>() : -1;
                o.status = codeNumber == 2 || codeText == "STATUS_CODE_ERROR" ? "error"
                           : codeNumber == 1 || codeText == "STATUS_CODE_OK"  ? "ok"
                                                                              : "unset";
                json attrs = attributes(in.value("attributes", json::array()), p / "attributes");
                const json events = spanEvents(in, p), links = spanLinks(in, p);
                if (o.status == "error") {
                    // Why it failed: the status message, else the exception recorded on it.
                    std::string why = str(status, "message");
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
                o.inputTokens =
                    num(attrs, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"});
                o.outputTokens =
                    num(attrs, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"});
                for (const char *key :
                     {"gen_ai.tool.call.arguments", "gen_ai.input.messages", "gen_ai.prompt"})
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
                    if (!o.hasInput && e["name"] == "gen_ai.content.prompt" &&
                        a.contains("gen_ai.prompt")) {
                        o.input = str(a, "gen_ai.prompt");
                        o.hasInput = true;
                    }
                    if (!o.hasOutput && e["name"] == "gen_ai.content.completion" &&
                        a.contains("gen_ai.completion")) {
                        o.output = str(a, "gen_ai.completion");
                        o.hasOutput = true;
                    }
                }
                if (attrs.contains("gen_ai.usage.cost"))
                    o.costMicros = int64_t(attrs["gen_ai.usage.cost"].is_number()
                                               ? attrs["gen_ai.usage.cost"].get<double>() * 1e6
                                               : 0);
                for (const char *key : {"service.name", "service.version"})
                    if (resource.contains(key))
                        attrs[key] = resource[key];
                if (!events.empty())
                    attrs["otel.events"] = events;
                if (!links.empty())
                    attrs["otel.links"] = links;
                o.attributesJson = attrs.dump();
                addToRun(runs, o, attrs);
                batch.spans.push_back(std::move(o));
            }
        }
    }
}

} // namespace

namespace {

// Reads one file's text into the batch and the runs.
void readText(const std::string &content, const std::string &name, OtlpBatch &batch, Runs &runs) {
    const size_t spansBefore = batch.spans.size();
    auto notJson = [&](const json::parse_error &e, size_t base) {
        const std::string what = e.what();
        const size_t colon = what.rfind(": ");
        return OtlpError(name + ": " + lineAndColumn(content, base + (e.byte ? e.byte - 1 : 0)) +
                         ": not valid JSON (" +
                         (colon == std::string::npos ? what : what.substr(colon + 2)) + ")");
    };
    // One JSON document, or JSON Lines (a complete document on each line).
    const size_t firstLineEnd = content.find('\n');
    const bool lines = firstLineEnd != std::string::npos && firstLineEnd + 1 < content.size() &&
                       !json::parse(content.substr(0, firstLineEnd), nullptr, false).is_discarded();
    if (!lines) {
        try {
            readRequest(json::parse(content), Place{name, "$"}, batch, runs);
        } catch (const json::parse_error &e) {
            throw notJson(e, 0);
        }
    } else {
        std::istringstream in(content);
        std::string line;
        size_t number = 0, offset = 0;
        while (std::getline(in, line)) {
            ++number;
            const size_t lineOffset = offset;
            offset += line.size() + 1;
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            json request;
            try {
                request = json::parse(line);
            } catch (const json::parse_error &e) {
                throw notJson(e, lineOffset);
            }
            readRequest(request, Place{name, "line " + std::to_string(number)}, batch, runs);
        }
    }
    if (batch.spans.size() == spansBefore)
        throw OtlpError(name + ": holds no spans");
    ++batch.files;
}

} // namespace

OtlpBatch readOtlpText(const std::string &content, const std::string &name) {
    OtlpBatch batch;
    Runs runs;
    readText(content, name, batch, runs);
    finishRuns(runs, batch);
    return batch;
}

// A trace split over several files is one run: the runs are summed over all of them.
OtlpBatch readOtlpFiles(const std::vector<std::string> &paths) {
    OtlpBatch batch;
    Runs runs;
    for (const std::string &path : paths) {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw OtlpError(path + ": cannot be read");
        std::ostringstream content;
        content << in.rdbuf();
        readText(content.str(), path, batch, runs);
    }
    finishRuns(runs, batch);
    return batch;
}

void writeOtlpBatch(pqxx::connection_base &pg, const OtlpBatch &batch) {
    pqxx::work tx(pg);
    std::string traces;
    for (const OtlpRun &r : batch.runs)
        traces += (traces.empty() ? "" : ",") + tx.quote(r.traceId);
    if (!traces.empty()) {
        const pqxx::result present = tx.exec(
            "SELECT DISTINCT trace_id FROM pitwall.spans WHERE trace_id IN (" + traces + ")");
        if (!present.empty())
            throw OtlpError("the trace " + present[0][0].as<std::string>() +
                            " is already in the store; nothing was imported");
    }
    {
        pqxx::stream_to out(tx, "pitwall.spans",
                            std::vector<std::string>{
                                "trace_id", "span_id", "parent_span_id", "run_id", "name", "kind",
                                "started_at", "ended_at", "status", "model", "tool", "input_tokens",
                                "output_tokens", "cost_usd", "attributes", "input", "output"});
        for (const OtlpSpan &s : batch.spans) {
            const std::string runId = uuidFromHex(s.traceId);
            const std::string cost = std::to_string(double(s.costMicros) / 1e6);
            out << std::make_tuple(
                s.traceId, s.spanId, s.parentSpanId.empty() ? nullptr : s.parentSpanId.c_str(),
                runId, s.name, s.kind, s.startUs, s.endUs, s.status,
                s.model.empty() ? nullptr : s.model.c_str(),
                s.tool.empty() ? nullptr : s.tool.c_str(), s.inputTokens, s.outputTokens, cost,
                s.attributesJson, s.hasInput ? s.input.c_str() : nullptr,
                s.hasOutput ? s.output.c_str() : nullptr);
        }
        out.complete();
    }
    for (const OtlpRun &r : batch.runs)
        tx.exec_params(
            "INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, entry_point, "
            "status, started_at, ended_at, steps, input_tokens, output_tokens, cost_usd, error) "
            "VALUES ($1, $2, $3, $4, $5, 'http', $6, 'epoch'::timestamptz + $7 * interval "
            "'1 microsecond', 'epoch'::timestamptz + $8 * interval '1 microsecond', $9, $10, $11, "
            "$12 / 1000000.0, NULLIF($13, '')) ON CONFLICT (run_id) DO NOTHING",
            r.runId, r.traceId, r.agent, r.version, r.user, r.status, r.startedUs, r.endedUs,
            r.steps, r.inputTokens, r.outputTokens, r.costMicros, r.error);
    tx.commit();
}

} // namespace pitwall

#include "FleetProfileJson.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>

namespace pitwall {
namespace {

using json = nlohmann::json;
using Limits = FleetProfileLimits;

// A sentence without the file's name; parseFleetProfile adds it.
class Refusal : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

[[noreturn]] void refuse(const std::string &sentence) {
    throw Refusal(sentence);
}

std::string child(const std::string &path, const std::string &key) {
    return path.empty() ? key : path + "." + key;
}

std::string indexed(const std::string &path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

std::string number(double d) {
    std::ostringstream out;
    out << d;
    return out.str();
}

// Quoted and escaped, and short: it may be any text of the file.
std::string quoted(const std::string &text) {
    const size_t max = 60;
    const std::string head = text.size() > max ? text.substr(0, max) : text;
    return json(head).dump(-1, ' ', true, json::error_handler_t::replace) +
           (text.size() > max ? "..." : "");
}

std::string kindOf(const json &v) {
    switch (v.type()) {
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return v.get<bool>() ? "true" : "false";
    case json::value_t::null:
        return "null";
    default:
        return "a number";
    }
}

// An object whose keys are all known: a misspelt key is refused rather than ignored.
class Fields {
public:
    Fields(const json &v, std::string path, std::initializer_list<const char *> known)
        : m_v(v)
        , m_path(std::move(path)) {
        if (!v.is_object())
            refuse(where() + " must be an object, not " + kindOf(v));
        std::set<std::string> names(known.begin(), known.end());
        for (const auto &[key, value] : v.items()) {
            if (names.count(key))
                continue;
            std::string list;
            for (const char *k : known)
                list += (list.empty() ? "" : ", ") + std::string(k);
            refuse(where() + " has an unknown key " + quoted(key) + " (the keys are " + list + ")");
        }
    }
    const json *optional(const char *key) const {
        const auto it = m_v.find(key);
        return it == m_v.end() ? nullptr : &*it;
    }
    const json &required(const char *key) const {
        if (const json *v = optional(key))
            return *v;
        refuse(path(key) + " is missing");
    }
    std::string path(const char *key) const { return child(m_path, key); }

private:
    std::string where() const { return m_path.empty() ? std::string("the file") : m_path; }

    const json &m_v;
    std::string m_path;
};

size_t utf8Chars(const std::string &s) {
    size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// Names of agents, versions, models and tools end up in keys, SQL rows and terminal lines:
// printable ASCII without spaces.
std::string name(const json &v, const std::string &path) {
    if (!v.is_string())
        refuse(path + " must be a string, not " + kindOf(v));
    const std::string s = v.get<std::string>();
    if (s.empty())
        refuse(path + " must not be empty");
    if (utf8Chars(s) > Limits::kMaxNameChars)
        refuse(path + " may be at most " + std::to_string(Limits::kMaxNameChars) +
               " characters, not " + std::to_string(utf8Chars(s)));
    for (const char c : s)
        if (c < 0x21 || c > 0x7E)
            refuse(path + " may hold only visible ASCII characters, no spaces or control " +
                   "characters, not " + quoted(s));
    return s;
}

enum class Bound { Closed, Open };

double real(const json &v, const std::string &path, double lo, double hi,
            Bound low = Bound::Closed) {
    const std::string range = low == Bound::Open
                                  ? "more than " + number(lo) + " and at most " + number(hi)
                                  : "between " + number(lo) + " and " + number(hi);
    if (!v.is_number())
        refuse(path + " must be a number " + range + ", not " + kindOf(v));
    const double d = v.get<double>();
    if (!std::isfinite(d))
        refuse(path + " must be a finite number " + range);
    if ((low == Bound::Open ? d <= lo : d < lo) || d > hi)
        refuse(path + " must be " + range + ", not " + v.dump());
    return d;
}

int whole(const json &v, const std::string &path, int lo, int hi) {
    const std::string range =
        "a whole number between " + std::to_string(lo) + " and " + std::to_string(hi);
    if (!v.is_number())
        refuse(path + " must be " + range + ", not " + kindOf(v));
    if (!v.is_number_integer())
        refuse(path + " must be " + range + ", not " +
               (std::isfinite(v.get<double>()) ? v.dump() : std::string("an infinite number")));
    // An unsigned number may be too large for int64_t: then it is out of range anyway.
    const bool fits = !v.is_number_unsigned() || v.get<uint64_t>() <= static_cast<uint64_t>(hi);
    const int64_t x = fits ? v.get<int64_t>() : int64_t{hi} + 1;
    if (x < lo || x > hi)
        refuse(path + " must be " + range + ", not " + v.dump());
    return static_cast<int>(x);
}

// A non-empty array of at most `max` items.
const json &array(const json &v, const std::string &path, size_t max, const char *what) {
    if (!v.is_array())
        refuse(path + " must be an array, not " + kindOf(v));
    if (v.empty())
        refuse(path + " must not be empty");
    if (v.size() > max)
        refuse(path + " may list at most " + std::to_string(max) + " " + what + ", not " +
               std::to_string(v.size()));
    return v;
}

// Prices are USD per million tokens.
ModelPrice model(const json &v, const std::string &path) {
    const Fields f(v, path, {"name", "input_usd_per_million", "output_usd_per_million"});
    ModelPrice m;
    m.model = name(f.required("name"), f.path("name"));
    m.inputUsdPerMillion =
        real(f.required("input_usd_per_million"), f.path("input_usd_per_million"), 0, 10000);
    m.outputUsdPerMillion =
        real(f.required("output_usd_per_million"), f.path("output_usd_per_million"), 0, 10000);
    return m;
}

struct Arm {
    std::string version;
    ModelPrice model;
    double success, latencyScale, costScale;
};

Arm arm(const json &v, const std::string &path, const Arm &defaults) {
    const Fields f(v, path, {"version", "model", "success", "latency_factor", "cost_factor"});
    Arm a = defaults;
    a.version = name(f.required("version"), f.path("version"));
    a.model = model(f.required("model"), f.path("model"));
    if (const json *s = f.optional("success"))
        a.success = real(*s, f.path("success"), 0, 1);
    if (const json *s = f.optional("latency_factor"))
        a.latencyScale = real(*s, f.path("latency_factor"), 0, 100, Bound::Open);
    if (const json *s = f.optional("cost_factor"))
        a.costScale = real(*s, f.path("cost_factor"), 0, 100, Bound::Open);
    return a;
}

void slo(const json &v, const std::string &path, AgentProfile &a) {
    const Fields f(v, path,
                   {"p95_latency_ms", "min_success_rate", "max_cost_per_request_usd",
                    "max_cost_per_user_day_usd", "max_steps"});
    if (const json *s = f.optional("p95_latency_ms"))
        a.p95LatencyMs = whole(*s, f.path("p95_latency_ms"), 1, 3'600'000);
    if (const json *s = f.optional("min_success_rate"))
        a.minSuccessRate = real(*s, f.path("min_success_rate"), 0, 1);
    if (const json *s = f.optional("max_cost_per_request_usd"))
        a.maxCostPerRequestUsd = real(*s, f.path("max_cost_per_request_usd"), 0, 10'000);
    if (const json *s = f.optional("max_cost_per_user_day_usd"))
        a.maxCostPerUserDayUsd = real(*s, f.path("max_cost_per_user_day_usd"), 0, 1'000'000);
    if (const json *s = f.optional("max_steps"))
        a.maxSteps = whole(*s, f.path("max_steps"), 1, 10'000);
}

AgentProfile agent(const json &v, const std::string &path) {
    const Fields f(v, path,
                   {"name", "traffic_share", "canary_weight", "tools", "mean_steps", "stable",
                    "canary", "slo"});
    AgentProfile a;
    a.name = name(f.required("name"), f.path("name"));
    if (const json *s = f.optional("traffic_share"))
        a.trafficShare = real(*s, f.path("traffic_share"), 0, 1000, Bound::Open);
    if (const json *s = f.optional("canary_weight"))
        a.canaryWeight = whole(*s, f.path("canary_weight"), 0, 100);
    const json &tools =
        array(f.required("tools"), f.path("tools"), Limits::kMaxToolsPerAgent, "tools");
    for (size_t i = 0; i < tools.size(); ++i) {
        const std::string tool = name(tools[i], indexed(f.path("tools"), i));
        for (size_t j = 0; j < a.tools.size(); ++j)
            if (a.tools[j] == tool)
                refuse(indexed(f.path("tools"), i) + " repeats " + indexed(f.path("tools"), j) +
                       " (" + tool + ")");
        a.tools.push_back(tool);
    }
    if (const json *s = f.optional("mean_steps"))
        a.meanSteps = whole(*s, f.path("mean_steps"), 1, 1000);

    const Arm stable = arm(f.required("stable"), f.path("stable"),
                           {{}, {}, a.stableSuccess, a.stableLatencyScale, a.stableCostScale});
    const Arm canary = arm(f.required("canary"), f.path("canary"),
                           {{}, {}, a.canarySuccess, a.canaryLatencyScale, a.canaryCostScale});
    if (stable.version == canary.version)
        refuse(child(f.path("canary"), "version") + " must differ from " +
               child(f.path("stable"), "version") + " (both are " + stable.version + ")");
    for (const auto &[which, version] :
         {std::pair{"stable", stable.version}, std::pair{"canary", canary.version}})
        if (a.name.size() + version.size() > Limits::kMaxAgentAndVersionChars)
            refuse(f.path("name") + " and " + child(f.path(which), "version") +
                   " together may be at most " + std::to_string(Limits::kMaxAgentAndVersionChars) +
                   " characters, not " + std::to_string(a.name.size() + version.size()) +
                   " (the version's fingerprint sha256:AGENT-VERSION is kept to 200)");
    a.stableVersion = stable.version;
    a.stableModel = stable.model;
    a.stableSuccess = stable.success;
    a.stableLatencyScale = stable.latencyScale;
    a.stableCostScale = stable.costScale;
    a.canaryVersion = canary.version;
    a.canaryModel = canary.model;
    a.canarySuccess = canary.success;
    a.canaryLatencyScale = canary.latencyScale;
    a.canaryCostScale = canary.costScale;

    if (const json *s = f.optional("slo"))
        slo(*s, f.path("slo"), a);
    return a;
}

ToolProfile tool(const json &v, const std::string &path) {
    const Fields f(v, path, {"name", "failure_rate", "client_error_rate", "mean_latency_ms"});
    ToolProfile t;
    t.name = name(f.required("name"), f.path("name"));
    if (const json *s = f.optional("failure_rate"))
        t.failureRate = real(*s, f.path("failure_rate"), 0, 1);
    if (const json *s = f.optional("client_error_rate"))
        t.clientErrorRate = real(*s, f.path("client_error_rate"), 0, 1);
    if (t.failureRate + t.clientErrorRate > 1)
        refuse(f.path("failure_rate") + " and " + f.path("client_error_rate") +
               " together may be at most 1, not " + number(t.failureRate + t.clientErrorRate));
    if (const json *s = f.optional("mean_latency_ms"))
        t.meanLatencyMs = whole(*s, f.path("mean_latency_ms"), 1, 600'000);
    return t;
}

FleetProfileFile profile(const json &root) {
    const Fields f(root, {}, {"agents", "tools"});
    FleetProfileFile out;

    const json *tools = f.optional("tools");
    if (tools) {
        array(*tools, "tools", Limits::kMaxTools, "tools");
        std::map<std::string, size_t> seen;
        for (size_t i = 0; i < tools->size(); ++i) {
            out.tools.push_back(tool((*tools)[i], indexed("tools", i)));
            const auto [it, added] = seen.emplace(out.tools.back().name, i);
            if (!added)
                refuse(child(indexed("tools", i), "name") + " repeats " +
                       child(indexed("tools", it->second), "name") + " (" + it->first + ")");
        }
    } else {
        out.tools = defaultTools();
    }
    std::set<std::string> toolNames;
    for (const ToolProfile &t : out.tools)
        toolNames.insert(t.name);

    const json &agents = array(f.required("agents"), "agents", Limits::kMaxAgents, "agents");
    std::map<std::string, size_t> seen;
    for (size_t i = 0; i < agents.size(); ++i) {
        const std::string path = indexed("agents", i);
        out.agents.push_back(agent(agents[i], path));
        const AgentProfile &a = out.agents.back();
        const auto [it, added] = seen.emplace(a.name, i);
        if (!added)
            refuse(child(path, "name") + " repeats " +
                   child(indexed("agents", it->second), "name") + " (" + a.name + ")");
        for (size_t t = 0; t < a.tools.size(); ++t)
            if (!toolNames.count(a.tools[t]))
                refuse(indexed(child(path, "tools"), t) + " names the tool " + a.tools[t] +
                       (tools ? ", which tools does not list"
                              : ", which is not a built-in tool (list it under tools)"));
    }
    return out;
}

std::string tooLarge() {
    return "the file is larger than 1 MiB (" + std::to_string(Limits::kMaxBytes) +
           " bytes), the most a fleet profile may have";
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: ..." without the tag.
std::string withoutTag(const json::exception &e) {
    const std::string what = e.what();
    const size_t cut = what.find("] ");
    return cut == std::string::npos ? what : what.substr(cut + 2);
}

// Parses with the nesting bounded and duplicate keys refused (the parser would keep the last).
json parseBounded(std::string_view text) {
    int depth = 0;
    std::vector<std::set<std::string>> keys;
    const json::parser_callback_t bound = [&](int, json::parse_event_t event, json &parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            if (++depth > Limits::kMaxDepth)
                refuse("the file nests arrays and objects deeper than " +
                       std::to_string(Limits::kMaxDepth) + " levels");
            if (event == json::parse_event_t::object_start)
                keys.emplace_back();
            break;
        case json::parse_event_t::object_end:
            keys.pop_back();
            --depth;
            break;
        case json::parse_event_t::array_end:
            --depth;
            break;
        case json::parse_event_t::key:
            if (!keys.back().insert(parsed.get<std::string>()).second)
                refuse("the key " + quoted(parsed.get<std::string>()) +
                       " appears twice in one object");
            break;
        case json::parse_event_t::value:
            break;
        }
        return true;
    };
    try {
        return json::parse(text.begin(), text.end(), bound);
    } catch (const json::parse_error &e) {
        refuse("the file is not valid JSON: " + withoutTag(e));
    } catch (const json::out_of_range &e) { // 1e999
        refuse("the file holds a number out of range: " + withoutTag(e));
    }
}

} // namespace

FleetProfileFile parseFleetProfile(std::string_view text, const std::string &source) {
    try {
        if (text.size() > Limits::kMaxBytes)
            refuse(tooLarge());
        return profile(parseBounded(text));
    } catch (const Refusal &e) {
        throw FleetProfileError(source + ": " + e.what() + ".");
    } catch (const json::exception &e) { // a check above missed a type: still refused
        throw FleetProfileError(source + ": the fleet profile could not be read (" + e.what() +
                                ").");
    }
}

FleetProfileFile loadFleetProfile(const std::string &path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw FleetProfileError(path + " is a directory, not a fleet profile.");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FleetProfileError(path + " could not be opened: " + std::strerror(errno) + ".");
    // One byte past the limit tells a file that is too large without reading all of it.
    std::string text(Limits::kMaxBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        throw FleetProfileError(path + " could not be read: " + std::strerror(errno) + ".");
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > Limits::kMaxBytes)
        throw FleetProfileError(path + ": " + tooLarge() + ".");
    return parseFleetProfile(text, path);
}

} // namespace pitwall

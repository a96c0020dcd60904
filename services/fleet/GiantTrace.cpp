#include "GiantTrace.h"

#include "Clock.h"

#include <pqxx/stream_to>

#include <random>
#include <tuple>

namespace pitwall {
namespace {} // namespace

GiantTraceInfo writeGiantTrace(pqxx::connection_base &pg, size_t spans, uint64_t seed) {
    std::mt19937_64 rng(seed);
    GiantTraceInfo info;
    info.runId = newUuid();
    info.traceId = "giant-" + std::to_string(spans) + "-" + info.runId.substr(0, 8);
    const int64_t t0 = nowMs() * 1000 - int64_t(spans) * 3000; // it ended about now
    pqxx::work tx(pg);
    pqxx::stream_to out(tx, "pitwall.spans",
                        std::vector<std::string>{"trace_id", "span_id", "parent_span_id", "run_id",
                                                 "name", "kind", "started_at", "ended_at", "status",
                                                 "model", "tool", "input_tokens", "output_tokens",
                                                 "cost_usd", "input", "output"});
    const char *tools[] = {"web_search", "crm_lookup", "kb_search", "calendar", "payments_api"};
    uint64_t next = 1;
    int64_t at = t0;
    int64_t costMicros = 0;
    int steps = 0;
    auto write = [&](uint64_t id, uint64_t parent, const std::string &name, const char *kind,
                     int64_t start, int64_t end, bool error, const char *model, const char *tool,
                     int in, int outTokens, int64_t micros, const std::string *input,
                     const char *output) {
        const std::string parentText = parent ? spanIdText(parent) : std::string();
        out << std::make_tuple(info.traceId, spanIdText(id), parent ? parentText.c_str() : nullptr,
                               info.runId, name, kind, start, end, error ? "error" : "ok", model,
                               tool, in, outTokens, std::to_string(double(micros) / 1e6),
                               input ? input->c_str() : nullptr, output);
    };
    const uint64_t root = next++;
    // Steps until the budget of spans is spent; the root is written last, when its end is known.
    const size_t loopFrom = spans * 2 / 5,
                 loopTo = spans * 2 / 5 + std::max<size_t>(30, spans / 100);
    auto room = [&](size_t ids) {
        return next + ids - 1 <= spans;
    };
    while (room(2)) {
        const uint64_t step = next++;
        const int64_t stepStart = at;
        ++steps;
        // The LLM call.
        const uint64_t llm = next++;
        const int64_t llmEnd = at + 800 + int64_t(rng() % 2400);
        const int in = 400 + int(rng() % 3000), outTokens = 20 + int(rng() % 400);
        const int64_t llmCost = in / 4 + outTokens;
        const std::string prompt =
            R"({"messages":[{"role":"user","content":"step )" + std::to_string(steps) + R"("}]})";
        write(llm, step, "chat gpt-4o-mini", "llm", at + 50, llmEnd, false, "gpt-4o-mini", nullptr,
              in, outTokens, llmCost, &prompt, R"({"role":"assistant"})");
        costMicros += llmCost;
        at = llmEnd + 30;
        // Most steps call a tool; in the loop stretch, always the same call.
        const bool looping = next >= loopFrom && next < loopTo;
        if (room(1) && (looping || rng() % 10 < 8)) {
            const uint64_t call = next++;
            const char *tool = looping ? "crm_lookup" : tools[rng() % 5];
            const std::string args =
                looping ? std::string(R"({"customer":"C-1042"})")
                        : R"({"q":"item )" + std::to_string(rng() % 5000) + R"("})";
            const int64_t callEnd = at + 300 + int64_t(rng() % 1500);
            const bool failed = !looping && rng() % 400 == 0;
            // Some tool calls search a knowledge base on the way.
            if (room(1) && rng() % 4 == 0) {
                const uint64_t retrieval = next++;
                write(retrieval, call, "retrieve kb", "retrieval", at + 40, at + 200, false,
                      nullptr, nullptr, 0, 0, 0, nullptr, nullptr);
            }
            write(call, step, std::string("execute_tool ") + tool, "tool", at, callEnd, failed,
                  nullptr, tool, 0, 0, 0, &args, failed ? nullptr : R"({"ok":true})");
            at = callEnd + 20;
        }
        write(step, root, "step " + std::to_string(steps), "agent", stepStart, at, false, nullptr,
              nullptr, 0, 0, 0, nullptr, nullptr);
        at += 10;
    }
    if (room(1)) { // one id left: a closing summary
        write(next++, root, "chat summarize", "llm", at, at + 500, false, "gpt-4o-mini", nullptr,
              200, 100, 150, nullptr, nullptr);
        at += 510;
    }
    write(root, 0, "invoke_agent research-agent", "agent", t0, at, false, nullptr, nullptr, 0, 0, 0,
          nullptr, nullptr);
    out.complete();
    info.spans = next - 1;
    info.durationUs = at - t0;
    tx.exec_params("INSERT INTO pitwall.runs (run_id, trace_id, agent, version, user_id, "
                   "entry_point, status, started_at, ended_at, steps, cost_usd) VALUES ($1, $2, "
                   "'research-agent', 'v7', 'user-0001', 'queue', 'succeeded', "
                   "to_timestamp($3 / 1e6), to_timestamp($4 / 1e6), $5, $6 / 1e6)",
                   info.runId, info.traceId, t0, at, steps, costMicros);
    tx.commit();
    return info;
}

} // namespace pitwall

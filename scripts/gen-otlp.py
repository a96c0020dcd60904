#!/usr/bin/env python3
"""Writes a large OTLP/JSON trace export for the import benchmark: TARGET_MB of spans (agent,
LLM and tool calls with GenAI attributes and payloads), in one document, or with --lines one
request per trace (the Collector's JSON Lines), or with --nest DEPTH one span whose attribute
nests DEPTH arrayValues (hostile input)."""
import argparse, json, os, random, sys

p = argparse.ArgumentParser()
p.add_argument("path")
p.add_argument("--mb", type=float, default=200)
p.add_argument("--lines", action="store_true")
p.add_argument("--nest", type=int, default=0)
a = p.parse_args()
rnd = random.Random(8 if a.lines else 7)
hexd = lambda n: "%0*x" % (n, rnd.getrandbits(4 * n))

def attr(k, v):
    if isinstance(v, int):
        return {"key": k, "value": {"intValue": str(v)}}
    return {"key": k, "value": {"stringValue": v}}

def trace_spans(trace_id, n):
    root = hexd(16)
    t0 = 1736935200000000000 + rnd.randrange(10**12)
    spans = [{"traceId": trace_id, "spanId": root, "name": "invoke_agent support-bot", "kind": 1,
              "startTimeUnixNano": str(t0), "endTimeUnixNano": str(t0 + n * 10**6),
              "attributes": [attr("gen_ai.operation.name", "invoke_agent"),
                             attr("gen_ai.agent.name", "support-bot"), attr("enduser.id", "u%d" % rnd.randrange(1000))],
              "status": {"code": 1}}]
    for i in range(1, n):
        s = t0 + i * 10**6
        if i % 2:
            attrs = [attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", "gpt-4o-mini"),
                     attr("gen_ai.usage.input_tokens", rnd.randrange(100, 3000)),
                     attr("gen_ai.usage.output_tokens", rnd.randrange(10, 500)),
                     attr("gen_ai.input.messages", json.dumps([{"role": "user", "content": "lorem ipsum " * 20}]))]
            name = "chat gpt-4o-mini"
        else:
            attrs = [attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", "crm_lookup"),
                     attr("gen_ai.tool.call.arguments", json.dumps({"customer": "C-%d" % rnd.randrange(10**4)}))]
            name = "execute_tool crm_lookup"
        spans.append({"traceId": trace_id, "spanId": hexd(16), "parentSpanId": root, "name": name,
                      "kind": 3, "startTimeUnixNano": str(s), "endTimeUnixNano": str(s + 900000),
                      "attributes": attrs, "status": {}})
    return spans

def request(spans):
    return {"resourceSpans": [{"resource": {"attributes": [attr("service.name", "support-bot"),
                                                           attr("service.version", "v41")]},
                               "scopeSpans": [{"scope": {"name": "bench"}, "spans": spans}]}]}

with open(a.path, "w") as out:
    if a.nest:
        v = {"stringValue": "x"}
        text = '{"arrayValue":{"values":[' * a.nest + '{"stringValue":"x"}' + ']}}' * a.nest
        span = trace_spans(hexd(32), 1)[0]
        body = json.dumps(request([span]))
        out.write(body.replace('"attributes": [', '"attributes": [{"key":"deep","value":' + text + '},', 1))
        sys.exit(0)
    target = int(a.mb * 1e6)
    written = 0
    if a.lines:
        while written < target:
            line = json.dumps(request(trace_spans(hexd(32), 200)), separators=(",", ":")) + "\n"
            out.write(line)
            written += len(line)
    else:
        out.write('{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"support-bot"}}]},"scopeSpans":[{"spans":[')
        first = True
        while written < target:
            for s in trace_spans(hexd(32), 200):
                t = ("" if first else ",") + json.dumps(s, separators=(",", ":"))
                first = False
                out.write(t)
                written += len(t)
        out.write("]}]}]}\n")

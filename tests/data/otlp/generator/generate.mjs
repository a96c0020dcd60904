// Writes the OTLP/JSON trace fixtures in ../ with the real OpenTelemetry JS SDK.
//
// Spans are made with the SDK's TracerProvider (explicit start/end times and
// seeded ids, so the output is the same on every run), then handed to the real
// OTLP/HTTP JSON exporter (@opentelemetry/exporter-trace-otlp-http), which POSTs
// them to a throw-away HTTP server on 127.0.0.1. The bytes it received are the
// fixture. As a cross-check they must equal JsonTraceSerializer.serializeRequest().
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION, ATTR_SERVER_ADDRESS, ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import * as inc from '@opentelemetry/semantic-conventions/incubating';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..');

// Seeded, deterministic ids (mulberry32); same format as RandomIdGenerator.
function idGenerator(seed) {
  let s = seed >>> 0;
  const byte = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
  const hex = n => Array.from({ length: n }, () => byte().toString(16).padStart(2, '0')).join('');
  return { generateTraceId: () => hex(16), generateSpanId: () => hex(8) };
}

// A fixed clock: HrTime [seconds, nanoseconds] at `ms` (plus `ns`) after BASE.
const BASE_S = Date.UTC(2025, 0, 15, 10, 0, 0) / 1000;
const at = (ms, ns = 0) => {
  const total = Math.round(ms * 1e6) + ns;
  return [BASE_S + Math.floor(total / 1e9), total % 1e9];
};

function makeProvider(seed, attrs) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes(attrs)),
    idGenerator: idGenerator(seed),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  return { provider, memory };
}

// startSpan under `parent` (or as a root), from t0 to t1 (ms after BASE).
function span(tracer, name, parent, t0, t1, kind, attributes, body) {
  const ctx = parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  const s = tracer.startSpan(name, { kind, attributes, startTime: at(t0, 123) }, ctx);
  if (body) body(s);
  return { s, end: () => s.end(at(t1, 456)) };
}

const GEN = inc.ATTR_GEN_AI_OPERATION_NAME;

function chat(tracer, parent, t0, t1, n, input, output, finish, extra = {}) {
  const c = span(tracer, 'chat gpt-4o-mini', parent, t0, t1, SpanKind.CLIENT, {
    [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_CHAT,
    [inc.ATTR_GEN_AI_SYSTEM]: 'openai',
    [inc.ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
    [inc.ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
    [inc.ATTR_GEN_AI_REQUEST_TEMPERATURE]: 0.2,
    [ATTR_SERVER_ADDRESS]: 'api.openai.com',
    ...extra,
  });
  c.s.setAttributes({
    [inc.ATTR_GEN_AI_RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
    [inc.ATTR_GEN_AI_RESPONSE_ID]: `chatcmpl-AQ7x${n}kZ`,
    [inc.ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: [finish],
    [inc.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: input,
    [inc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: output,
  });
  c.end();
}

function crmLookup(tracer, parent, t0, t1, n) {
  const args = '{"customer":"C-1042"}';
  const t = span(tracer, 'execute_tool crm_lookup', parent, t0, t1, SpanKind.INTERNAL, {
    [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    [inc.ATTR_GEN_AI_TOOL_NAME]: 'crm_lookup',
    [inc.ATTR_GEN_AI_TOOL_TYPE]: 'function',
    [inc.ATTR_GEN_AI_TOOL_CALL_ID]: `call_crm_${n}`,
    [inc.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: args,
  });
  // Level 3: the HTTP call the tool makes.
  const h = span(tracer, 'GET', t.s, t0 + 5, t1 - 5, SpanKind.CLIENT, {
    [ATTR_HTTP_REQUEST_METHOD]: 'GET',
    [ATTR_URL_FULL]: 'https://crm.internal.example/api/customers/C-1042',
    [ATTR_SERVER_ADDRESS]: 'crm.internal.example',
  });
  h.s.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, 200);
  h.end();
  t.s.setAttribute(inc.ATTR_GEN_AI_TOOL_CALL_RESULT, '{"customer":"C-1042","plan":"pro","open_tickets":2}');
  t.end();
}

function agentRun() {
  const { provider, memory } = makeProvider(41, {
    [ATTR_SERVICE_NAME]: 'support-bot',
    [ATTR_SERVICE_VERSION]: 'v41',
  });
  const tracer = provider.getTracer('support-bot.agent', '0.9.3');
  const root = span(tracer, 'invoke_agent support-bot', null, 0, 9800, SpanKind.INTERNAL, {
    [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
    [inc.ATTR_GEN_AI_AGENT_NAME]: 'support-bot',
    [inc.ATTR_GEN_AI_AGENT_ID]: 'asst_support_bot_v41',
    [inc.ATTR_GEN_AI_CONVERSATION_ID]: 'conv_5f0c2a',
    [inc.ATTR_GEN_AI_SYSTEM]: 'openai',
    [inc.ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
  });
  // Retrieval with an embeddings call below it (levels 2 and 3).
  const r = span(tracer, 'retrieval support-kb', root.s, 10, 420, SpanKind.INTERNAL, {
    [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL,
    [inc.ATTR_GEN_AI_DATA_SOURCE_ID]: 'support-kb',
    [inc.ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT]: 'customer C-1042 cannot log in after password reset',
  });
  const e = span(tracer, 'embeddings text-embedding-3-small', r.s, 15, 180, SpanKind.CLIENT, {
    [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
    [inc.ATTR_GEN_AI_SYSTEM]: 'openai',
    [inc.ATTR_GEN_AI_PROVIDER_NAME]: 'openai',
    [inc.ATTR_GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
    [inc.ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]: 1536,
    [ATTR_SERVER_ADDRESS]: 'api.openai.com',
  });
  e.s.setAttributes({
    [inc.ATTR_GEN_AI_RESPONSE_MODEL]: 'text-embedding-3-small',
    [inc.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 11,
  });
  e.end();
  r.end();

  // The agent loop: the model asks for the same lookup three times in a row.
  chat(tracer, root.s, 430, 1630, 1, 812, 24, 'tool_calls');
  crmLookup(tracer, root.s, 1640, 1960, 1);
  chat(tracer, root.s, 1970, 3010, 2, 901, 22, 'tool_calls');
  crmLookup(tracer, root.s, 3020, 3330, 2);
  chat(tracer, root.s, 3340, 4410, 3, 989, 23, 'tool_calls');
  crmLookup(tracer, root.s, 4420, 4700, 3);
  chat(tracer, root.s, 4710, 5900, 4, 1077, 41, 'tool_calls');

  // A failing tool: status ERROR and an exception event.
  const f = span(tracer, 'execute_tool create_ticket', root.s, 5910, 7420, SpanKind.INTERNAL, {
    [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    [inc.ATTR_GEN_AI_TOOL_NAME]: 'create_ticket',
    [inc.ATTR_GEN_AI_TOOL_TYPE]: 'function',
    [inc.ATTR_GEN_AI_TOOL_CALL_ID]: 'call_ticket_1',
    [inc.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: '{"customer":"C-1042","subject":"Login fails after password reset"}',
  });
  const err = new Error('ticket service returned HTTP 503: upstream unavailable');
  err.name = 'TicketServiceError';
  err.stack = 'TicketServiceError: ticket service returned HTTP 503: upstream unavailable\n' +
    '    at createTicket (/app/tools/create_ticket.js:41:11)\n' +
    '    at async runTool (/app/agent/loop.js:88:20)';
  f.s.recordException(err, at(7410));
  f.s.setAttribute(ATTR_ERROR_TYPE, 'TicketServiceError');
  f.s.setStatus({ code: SpanStatusCode.ERROR, message: 'ticket service returned HTTP 503: upstream unavailable' });
  f.end();

  chat(tracer, root.s, 7430, 9790, 5, 1203, 187, 'stop');
  root.s.setAttributes({
    [inc.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 812 + 901 + 989 + 1077 + 1203,
    [inc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 24 + 22 + 23 + 41 + 187,
  });
  root.s.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return memory.getFinishedSpans();
}

function twoTraces() {
  const { provider, memory } = makeProvider(7, {
    [ATTR_SERVICE_NAME]: 'billing-bot',
    [ATTR_SERVICE_VERSION]: 'v3',
  });
  const tracer = provider.getTracer('billing-bot.agent', '0.2.0');
  const a = span(tracer, 'invoke_agent billing-bot', null, 20000, 21500, SpanKind.INTERNAL, {
    [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
    [inc.ATTR_GEN_AI_AGENT_NAME]: 'billing-bot',
  });
  chat(tracer, a.s, 20010, 21490, 11, 350, 60, 'stop');
  a.end();
  // A follow-up call in a trace of its own, linked to the first run's root, that logs its
  // prompt and completion as span events (the older GenAI convention some instrumentations
  // still write).
  const b = {
    s: tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        [GEN]: inc.GEN_AI_OPERATION_NAME_VALUE_CHAT,
        [inc.ATTR_GEN_AI_SYSTEM]: 'openai',
        [inc.ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      },
      links: [{ context: a.s.spanContext(), attributes: { 'link.reason': 'follow-up of the billing run' } }],
      startTime: at(30000, 123),
    }, ROOT_CONTEXT),
  };
  b.end = () => b.s.end(at(30900, 456));
  b.s.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': '[{"role":"user","content":"Was invoice 7 paid?"}]' }, at(30001));
  b.s.addEvent('gen_ai.content.completion', { 'gen_ai.completion': '[{"role":"assistant","content":"Yes, on 3 March."}]' }, at(30899));
  b.s.setAttributes({
    [inc.ATTR_GEN_AI_RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
    [inc.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 120,
    [inc.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 9,
  });
  b.end();
  return memory.getFinishedSpans();
}

// Export spans with the real OTLP/HTTP JSON exporter to a local server; return the body.
async function exportOverHttp(spans) {
  let received;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      received = { path: req.url, headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise(ok => server.listen(0, '127.0.0.1', ok));
  const exporter = new OTLPTraceExporter({
    url: `http://127.0.0.1:${server.address().port}/v1/traces`,
    compression: 'none',
    keepAlive: false,
  });
  const result = await new Promise(ok => exporter.export(spans, ok));
  await exporter.shutdown();
  server.close();
  if (result.code !== 0 || !received) throw new Error(`export failed: ${result.error}`);
  if (received.headers['content-type'] !== 'application/json') throw new Error('not JSON');
  const direct = Buffer.from(JsonTraceSerializer.serializeRequest(spans));
  if (!direct.equals(received.body)) throw new Error('HTTP body differs from JsonTraceSerializer');
  console.log(`exported ${spans.length} spans: POST ${received.path}, ` +
    `Content-Type ${received.headers['content-type']}, ${received.body.length} bytes`);
  return received.body.toString('utf8');
}

const agent = await exportOverHttp(agentRun());
const two = await exportOverHttp(twoTraces());

// Exactly the bytes sent (compact, no trailing newline).
writeFileSync(join(OUT, 'agent-run.json'), agent);
// Same content, re-indented, to cover multi-line JSON.
writeFileSync(join(OUT, 'two-traces.json'), JSON.stringify(JSON.parse(two), null, 2) + '\n');
// Collector file exporter layout: one ExportTraceServiceRequest per line.
writeFileSync(join(OUT, 'collector-file-exporter.jsonl'), agent + '\n' + two + '\n');

// Broken variants for the importer's error paths.
writeFileSync(join(OUT, 'broken-truncated.json'), agent.slice(0, Math.floor(agent.length / 2)));
const bad = JSON.parse(two);
// 32 characters, but not hex.
const badSpan = bad.resourceSpans[0].scopeSpans[0].spans[0];
badSpan.traceId = 'zz' + badSpan.traceId.slice(2);
writeFileSync(join(OUT, 'broken-bad-hex.json'), JSON.stringify(bad, null, 2) + '\n');
writeFileSync(join(OUT, 'broken-not-otlp.json'), JSON.stringify({
  data: [{ traceID: '5b8aa5a2d2c872e8321cf37308d69df2', spanID: '051581bf3cb55c13',
    operationName: 'chat gpt-4o-mini', startTime: 1736935200000000, duration: 1200000 }],
  total: 1,
}, null, 2) + '\n');
console.log('wrote fixtures to', OUT);

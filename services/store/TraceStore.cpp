#include "TraceStore.h"

#include "SpanId.h"

#include <cctype>

#include "PgConnect.h"
#include "StoreError.h"

#include <libpq-fe.h>

#include <algorithm>

#include <pqxx/pqxx>

namespace pitwall {
namespace {

// Postgres timestamps as unix microseconds, exactly (no floating point on the way).
const char *const kMicros = "(extract(epoch from date_trunc('second', %1)))::bigint * 1000000 + "
                            "extract(microseconds from %1)::bigint % 1000000";

std::string micros(const std::string &column) {
    std::string s = kMicros;
    for (size_t at; (at = s.find("%1")) != std::string::npos;)
        s.replace(at, 2, column);
    return s;
}

std::string fromMicros(int64_t us) {
    return "('epoch'::timestamptz + " + std::to_string(us) + " * interval '1 microsecond')";
}

} // namespace

struct PgTraceStore::Connection {
    PgConnection pg;
};

PgTraceStore::PgTraceStore(std::string conninfo)
    : m_conninfo(std::move(conninfo)) {}

PgTraceStore::~PgTraceStore() = default;

PgTraceStore::Connection &PgTraceStore::connection() {
    if (!m_connection || !m_connection->pg || !m_connection->pg->is_open())
        m_connection = std::make_unique<Connection>(Connection{connectPostgres(m_conninfo)});
    return *m_connection;
}

RunPage PgTraceStore::findRuns(const RunFilter &f, const std::optional<RunCursor> &after,
                               int limit) {
    pqxx::read_transaction tx(*connection().pg);
    std::string where = "true";
    auto equal = [&](const char *column, const std::string &value) {
        if (!value.empty())
            where += std::string(" AND ") + column + " = " + tx.quote(value);
    };
    equal("agent", f.agent);
    equal("version", f.version);
    equal("user_id", f.user);
    equal("status", f.status);
    if (f.fromUs)
        where += " AND started_at >= " + fromMicros(*f.fromUs);
    if (f.toUs)
        where += " AND started_at < " + fromMicros(*f.toUs);
    if (f.minCostMicros > 0)
        where += " AND cost_usd >= " + std::to_string(f.minCostMicros) + " / 1000000.0";
    if (f.minSteps > 0)
        where += " AND steps >= " + std::to_string(f.minSteps);
    if (after)
        where += " AND (started_at, run_id) < (" + fromMicros(after->startedUs) + ", " +
                 tx.quote(after->runId) + "::uuid)";
    const std::string sql =
        "SELECT run_id::text, trace_id, agent, version, user_id, entry_point, status, "
        "coalesce(error, ''), " +
        micros("started_at") + ", CASE WHEN ended_at IS NULL THEN -1 ELSE " + micros("ended_at") +
        " END, steps, input_tokens, output_tokens, (cost_usd * 1000000)::bigint "
        "FROM pitwall.runs WHERE " +
        where + " ORDER BY started_at DESC, run_id DESC LIMIT " + std::to_string(limit + 1);
    RunPage page;
    for (const auto &row : tx.exec(sql)) {
        if (int(page.runs.size()) == limit) {
            const RunSummary &last = page.runs.back();
            page.next = RunCursor{last.startedUs, last.runId};
            break;
        }
        RunSummary r;
        r.runId = row[0].as<std::string>();
        r.traceId = row[1].as<std::string>();
        r.agent = row[2].as<std::string>();
        r.version = row[3].as<std::string>();
        r.user = row[4].as<std::string>();
        r.entryPoint = row[5].as<std::string>();
        r.status = row[6].as<std::string>();
        r.error = row[7].as<std::string>();
        r.startedUs = row[8].as<int64_t>();
        r.endedUs = row[9].as<int64_t>();
        r.steps = row[10].as<int>();
        r.inputTokens = row[11].as<int64_t>();
        r.outputTokens = row[12].as<int64_t>();
        r.costMicros = row[13].as<int64_t>();
        page.runs.push_back(std::move(r));
    }
    return page;
}

namespace {

// One field of a COPY text row, unescaped; `null` is set for \N.
struct CopyField {
    const char *begin = nullptr, *end = nullptr;
    bool null = false, escaped = false; // escaped: holds a backslash sequence
    // The field's text: a view of the row itself, or, when COPY escaped something in it
    // (rare: a tab, a newline or a backslash in a name), of `scratch` holding it unescaped.
    std::string_view text(std::string &scratch) const {
        if (null)
            return {};
        if (!escaped)
            return {begin, size_t(end - begin)};
        scratch.clear();
        for (const char *c = begin; c < end; ++c) {
            if (*c != '\\' || c + 1 == end) {
                scratch += *c;
                continue;
            }
            switch (*++c) {
            case 't':
                scratch += '\t';
                break;
            case 'n':
                scratch += '\n';
                break;
            case 'r':
                scratch += '\r';
                break;
            case 'b':
                scratch += '\b';
                break;
            case 'f':
                scratch += '\f';
                break;
            case 'v':
                scratch += '\v';
                break;
            default:
                scratch += *c; // \\ and anything else stand for themselves
            }
        }
        return scratch;
    }
    uint64_t spanId() const {
        return null ? 0 : parseSpanId(std::string_view(begin, size_t(end - begin)));
    }
    int64_t number() const { // NULL reads as 0
        if (null)
            return 0;
        int64_t v = 0;
        bool negative = false;
        const char *c = begin;
        if (c < end && *c == '-') {
            negative = true;
            ++c;
        }
        for (; c < end && *c >= '0' && *c <= '9'; ++c)
            v = v * 10 + (*c - '0');
        return negative ? -v : v;
    }
};

size_t splitCopyRow(const char *row, int length, CopyField *fields, size_t max) {
    size_t n = 0;
    const char *start = row, *end = row + length;
    if (end > start && end[-1] == '\n')
        --end;
    // One pass finds the tabs and notes the fields that hold an escape.
    bool escaped = false;
    for (const char *c = start;; ++c) {
        if (c == end || *c == '\t') {
            if (n < max) {
                fields[n].begin = start;
                fields[n].end = c;
                fields[n].null = c - start == 2 && start[0] == '\\' && start[1] == 'N';
                fields[n].escaped = escaped && !fields[n].null;
            }
            ++n;
            if (c == end)
                break;
            start = c + 1;
            escaped = false;
        } else if (*c == '\\') {
            escaped = true;
        }
    }
    return n;
}

struct PgConnDeleter {
    void operator()(PGconn *c) const { PQfinish(c); }
};

using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;
using PgResult = std::unique_ptr<PGresult, void (*)(PGresult *)>;

PgConn connectRaw(const std::string &conninfo) {
    PgConn conn(PQconnectdb(withTimeout(conninfo).c_str()));
    if (PQstatus(conn.get()) != CONNECTION_OK)
        throw StoreError(
            explainPostgresError(conninfo, std::runtime_error(PQerrorMessage(conn.get()))));
    // The same limits as every other connection; a million-span load takes about 2 s.
    PgResult set(PQexec(conn.get(), limitsStatement(PgLimits{}).c_str()), PQclear);
    if (PQresultStatus(set.get()) != PGRES_COMMAND_OK)
        throw StoreError(
            explainPostgresError(conninfo, std::runtime_error(PQerrorMessage(conn.get()))));
    return conn;
}

std::string literal(PGconn *conn, const std::string &text) {
    char *quoted = PQescapeLiteral(conn, text.c_str(), text.size());
    std::string out = quoted ? quoted : "''";
    PQfreemem(quoted);
    return out;
}

// Runs `sql` (several statements: the last one's result counts) and throws unless it ends in
// `expected`.
PgResult run(PGconn *conn, const std::string &sql, ExecStatusType expected, const char *what) {
    PgResult r(PQexec(conn, sql.c_str()), PQclear);
    if (PQresultStatus(r.get()) != expected)
        throw StoreError(std::string(what) + ": " + PQerrorMessage(conn));
    return r;
}

struct PgSkeletonPlan : SkeletonPlan {
    PgConn conn{nullptr}; // its transaction holds the snapshot; closing it ends both
};

} // namespace

std::unique_ptr<SkeletonPlan> PgTraceStore::planSkeleton(const std::string &traceId, int parts) {
    auto plan = std::make_unique<PgSkeletonPlan>();
    if (parts <= 1) {
        plan->parts.emplace_back();
        return plan;
    }
    plan->conn = connectRaw(m_conninfo);
    PGconn *conn = plan->conn.get();
    const std::string trace = literal(conn, traceId);
    const PgResult r = run(
        conn,
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT "
        "pg_export_snapshot(), (SELECT min(span_id) FROM pitwall.spans WHERE "
        "trace_id = " +
            trace + "), (SELECT max(span_id) FROM pitwall.spans WHERE trace_id = " + trace + ")",
        PGRES_TUPLES_OK, ("Could not plan the load of the trace " + traceId).c_str());
    const std::string snapshot = PQgetvalue(r.get(), 0, 0);
    // Span ids are 16 hex digits (OpenTelemetry's, the guard's): split the range between the
    // least and the greatest evenly. Any other ids load in one part.
    const uint64_t least = parseSpanId(PQgetvalue(r.get(), 0, 1));
    const uint64_t greatest = parseSpanId(PQgetvalue(r.get(), 0, 2));
    std::vector<std::string> bounds;
    if (least && greatest > least && greatest - least >= uint64_t(parts)) {
        const uint64_t step = (greatest - least) / uint64_t(parts);
        for (int i = 1; i < parts; ++i)
            bounds.push_back(spanIdText(least + step * uint64_t(i)));
        // The ranges are the server's: its collation must order the bounds as numbers.
        std::string ordered = "SELECT true";
        for (size_t i = 1; i < bounds.size(); ++i)
            ordered += " AND " + literal(conn, bounds[i - 1]) + " < " + literal(conn, bounds[i]);
        const PgResult check = run(conn, ordered, PGRES_TUPLES_OK, "Could not plan the load");
        if (std::string(PQgetvalue(check.get(), 0, 0)) != "t")
            bounds.clear();
    }
    std::string from;
    for (const std::string &to : bounds) {
        plan->parts.push_back({from, to, snapshot});
        from = to;
    }
    plan->parts.push_back({from, {}, snapshot});
    return plan;
}

size_t PgTraceStore::loadSkeleton(const std::string &traceId,
                                  const std::function<void(const SkeletonSpan &)> &sink,
                                  const std::function<void(size_t)> &progress, SkeletonPart part) {
    // COPY through libpq itself: a million rows parsed in place, while the server still
    // produces the rest, rather than a result set materialized batch by batch.
    const PgConn conn = connectRaw(m_conninfo);
    const std::string failed = "Could not read the trace " + traceId;
    // One read-only transaction: its settings end with it (SET LOCAL), and the parts of one
    // load read the snapshot they share. The plan for a big trace, as the planner would not
    // choose it by itself:
    // - its rows through the primary key (a bitmap scan reads just the pages that hold them):
    //   a trace that is a fifth of the table made the planner scan all of it, in every part;
    // - no parallel workers: they would only scan and pass every row to this backend, which
    //   formats them all anyway, with CPU taken from the other parts;
    // - no JIT: compiling the expressions costs more than it saves on a million rows.
    // And whether the stored argument hash is there (schema 2), or must be computed.
    std::string begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ";
    if (!part.snapshot.empty())
        begin += "SET TRANSACTION SNAPSHOT " + literal(conn.get(), part.snapshot) + "; ";
    begin += "SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0; "
             "SET LOCAL jit = off; SELECT count(*) FROM pg_attribute WHERE attrelid = "
             "'pitwall.spans'::regclass AND attname = 'args_hash' AND NOT attisdropped";
    const PgResult settings = run(conn.get(), begin, PGRES_TUPLES_OK, failed.c_str());
    const bool storedHash = std::string(PQgetvalue(settings.get(), 0, 0)) == "1";
    std::string where = "trace_id = " + literal(conn.get(), traceId);
    // One backend formats the rows of one part: parts on several connections use the server's
    // cores, where a single COPY is bound by one. A range of the primary key: each part's
    // backend reads just its own rows.
    if (!part.fromSpanId.empty())
        where += " AND span_id >= " + literal(conn.get(), part.fromSpanId);
    if (!part.toSpanId.empty())
        where += " AND span_id < " + literal(conn.get(), part.toSpanId);
    const std::string sql =
        "COPY (SELECT span_id, parent_span_id, started_at, ended_at, name, kind, status, model, "
        "tool, input_tokens, output_tokens, (cost_usd * 1000000)::bigint, " +
        std::string(storedHash ? "args_hash"
                               : "CASE WHEN kind = 'tool' THEN hashtextextended(coalesce(input, "
                                 "''), 0) END") +
        " FROM pitwall.spans WHERE " + where + ") TO STDOUT";
    run(conn.get(), sql, PGRES_COPY_OUT, failed.c_str());
    size_t loaded = 0;
    CopyField f[13];
    SkeletonSpan s;
    std::string scratch[4]; // unescaped texts, rarely used
    for (;;) {
        char *row = nullptr;
        const int length = PQgetCopyData(conn.get(), &row, 0);
        if (length < 0)
            break;
        std::unique_ptr<char, void (*)(void *)> owned(row, PQfreemem);
        if (splitCopyRow(row, length, f, 13) != 13)
            throw StoreError(failed + ": a malformed row");
        s.spanId = f[0].spanId();
        s.parentId = f[1].spanId();
        s.startUs = f[2].number();
        s.endUs = f[3].null ? s.startUs : f[3].number(); // not ended yet
        s.name = f[4].text(scratch[0]);
        s.kindText = f[5].text(scratch[1]);
        s.error = f[6].end - f[6].begin == 5 && std::equal(f[6].begin, f[6].end, "error");
        s.ok = f[6].end - f[6].begin == 2 && std::equal(f[6].begin, f[6].end, "ok");
        s.model = f[7].text(scratch[2]);
        s.tool = f[8].text(scratch[3]);
        s.inputTokens = uint32_t(std::max<int64_t>(0, f[9].number()));
        s.outputTokens = uint32_t(std::max<int64_t>(0, f[10].number()));
        s.costMicros = uint64_t(std::max<int64_t>(0, f[11].number()));
        s.argsHash = uint64_t(f[12].number());
        sink(s);
        if (++loaded % 50'000 == 0 && progress)
            progress(loaded);
    }
    const PgResult done(PQgetResult(conn.get()), PQclear);
    if (PQresultStatus(done.get()) != PGRES_COMMAND_OK)
        throw StoreError(failed + ": " + PQerrorMessage(conn.get()));
    run(conn.get(), "COMMIT", PGRES_COMMAND_OK, failed.c_str());
    if (progress)
        progress(loaded);
    return loaded;
}

std::optional<SpanDetails> PgTraceStore::loadSpan(const std::string &traceId,
                                                  const std::string &spanId) {
    pqxx::read_transaction tx(*connection().pg);
    const pqxx::result r = tx.exec(
        "SELECT trace_id, span_id, coalesce(parent_span_id, ''), coalesce(run_id::text, ''), "
        "name, kind, status, coalesce(model, ''), coalesce(tool, ''), started_at, "
        "coalesce(ended_at, -1), input_tokens, output_tokens, (cost_usd * 1000000)::bigint, "
        "attributes::text, input, output FROM pitwall.spans WHERE trace_id = " +
        tx.quote(traceId) + " AND span_id = " + tx.quote(spanId));
    if (r.empty())
        return std::nullopt;
    const auto row = r[0];
    SpanDetails d;
    d.traceId = row[0].as<std::string>();
    d.spanId = row[1].as<std::string>();
    d.parentSpanId = row[2].as<std::string>();
    d.runId = row[3].as<std::string>();
    d.name = row[4].as<std::string>();
    d.kind = row[5].as<std::string>();
    d.status = row[6].as<std::string>();
    d.model = row[7].as<std::string>();
    d.tool = row[8].as<std::string>();
    d.startUs = row[9].as<int64_t>();
    d.endUs = row[10].as<int64_t>();
    d.inputTokens = row[11].as<int64_t>();
    d.outputTokens = row[12].as<int64_t>();
    d.costMicros = row[13].as<int64_t>();
    d.attributesJson = row[14].as<std::string>();
    d.hasInput = !row[15].is_null();
    d.hasOutput = !row[16].is_null();
    if (d.hasInput)
        d.input = row[15].as<std::string>();
    if (d.hasOutput)
        d.output = row[16].as<std::string>();
    return d;
}

bool PgTraceStore::isUuidText(std::string_view text) {
    if (text.size() != 36)
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

std::optional<std::string> PgTraceStore::traceOfRun(const std::string &runId) {
    if (!isUuidText(runId)) // no run has such an id; the cast would fail
        return std::nullopt;
    pqxx::read_transaction tx(*connection().pg);
    const pqxx::result r = tx.exec_params(kTraceOfRunSql, runId);
    if (r.empty())
        return std::nullopt;
    return r[0][0].as<std::string>();
}

} // namespace pitwall

#include "Commands.h"

#include "ActionRules.h"
#include "ActionsService.h"
#include "AuditReader.h"
#include "AuditText.h"
#include "BreakerModel.h"
#include "BreakerReader.h"
#include "CanaryJudge.h"
#include "CanaryModel.h"
#include "CanaryReader.h"
#include "CanaryRollup.h"
#include "Clock.h"
#include "CommandLine.h"
#include "Fleet.h"
#include "FleetProfileJson.h"
#include "GiantTrace.h"
#include "Migrator.h"
#include "Money.h"
#include "OtlpImport.h"
#include "RedisConnection.h"
#include "RunEndWatcher.h"
#include "Sandbox.h"
#include "SpendMath.h"
#include "SpendReader.h"
#include "StoreError.h"
#include "TerminalText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <charconv>
#include <cmath>
#include <csignal>
#include <iostream>
#include <limits>

namespace pitwall {
namespace {

std::atomic<bool> g_interrupted{false};

std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

std::string postgresFrom(const CommandLine &cl, std::initializer_list<const char *> vars) {
    if (auto v = cl.value("pg"))
        return *v;
    for (const char *var : vars)
        if (!env(var).empty())
            return env(var);
    // libpq's own ways to keep a password (and the rest) out of argv: a service file, or the
    // PG* variables; an empty string makes libpq read them.
    for (const char *var : {"PGSERVICE", "PGHOST", "PGDATABASE"})
        if (!env(var).empty())
            return "";
    throw UsageError("no PostgreSQL connection: pass --pg, or set PITWALL_PG or PGSERVICE "
                     "(`pitwallctl sandbox env` prints the lines for a local sandbox)");
}

RedisEndpoint redisFrom(const CommandLine &cl) {
    std::string url = cl.value("redis").value_or(env("PITWALL_REDIS"));
    if (url.empty())
        throw UsageError("no Redis connection: pass --redis or set PITWALL_REDIS "
                         "(`pitwallctl sandbox env` prints the lines for a local sandbox)");
    return RedisEndpoint::parse(url);
}

std::string prefixFrom(const CommandLine &cl) {
    return cl.value("prefix").value_or(
        env("PITWALL_REDIS_PREFIX").empty() ? "pitwall:" : env("PITWALL_REDIS_PREFIX"));
}

std::string reasonFrom(const CommandLine &cl) {
    auto reason = cl.value("reason");
    if (!reason)
        throw UsageError("--reason is required: say why, it goes into the audit log");
    // The database checks the same (every client goes through it); saying it here saves a
    // round trip and shows the reason as it was received.
    if (const std::string why = reasonProblem(*reason); !why.empty())
        throw UsageError("--reason \"" + *reason + "\": " + why);
    return *reason;
}

std::optional<int64_t> revisionFrom(const CommandLine &cl) {
    return cl.integer("revision", 0, std::numeric_limits<int64_t>::max());
}

int report(const ActionResult &r) {
    // Everything here comes from the database, and some of it from a person: printed escaped.
    std::cout << printable(r.kind) << " " << printable(r.target)
              << (r.replayed ? " (already done: replayed)" : "") << "\n  action "
              << printable(r.actionId) << " by " << printable(r.actor)
              << "\n  before: " << printable(r.beforeJson)
              << "\n  after:  " << printable(r.afterJson) << "\n";
    if (!r.mirrored) {
        std::cout << "  recorded, but not yet applied to Redis: " << printable(r.mirrorError)
                  << "\n  It will be applied by the next `pitwallctl drain` or by any console.\n";
        return 3;
    }
    std::cout << "  applied to Redis\n";
    return 0;
}

const std::set<std::string> kConnection{"pg", "redis", "prefix"};

std::set<std::string> with(std::set<std::string> s, std::initializer_list<std::string> more) {
    s.insert(more);
    return s;
}

int migrate(const std::vector<std::string> &args) {
    CommandLine cl(args, {"pg"});
    const std::string pg = postgresFrom(cl, {"PITWALL_PG"});
    MigrationReport r = Migrator::migrate(pg);
    if (r.applied.empty())
        std::cout << "The schema is up to date (version " << r.toVersion << ").\n";
    for (const auto &name : r.applied)
        std::cout << "Applied " << name << "\n";
    if (!r.applied.empty())
        std::cout << "Schema version " << r.fromVersion << " -> " << r.toVersion << ".\n";
    return 0;
}

int sandbox(const std::vector<std::string> &args) {
    CommandLine cl(args, {"dir"});
    const auto &pos = cl.positional();
    if (pos.empty())
        throw UsageError("sandbox needs up, down or env");
    Sandbox box(
        QString::fromStdString(cl.value("dir").value_or(Sandbox::defaultDir().toStdString())));
    if (pos[0] == "up") {
        SandboxInfo info = box.up([](const QString &s) { std::cerr << s.toStdString() << "\n"; });
        std::cout << info.environment().toStdString();
        return 0;
    }
    if (pos[0] == "env") {
        if (!box.isRunning()) {
            std::cerr << "No sandbox is running in " << box.dir().toStdString()
                      << ": start one with `pitwallctl sandbox up`.\n";
            return 1;
        }
        std::cout << box.info().environment().toStdString();
        return 0;
    }
    if (pos[0] == "down") {
        box.down();
        std::cerr << "Sandbox in " << box.dir().toStdString() << " stopped.\n";
        return 0;
    }
    throw UsageError("sandbox needs up, down or env, not " + pos[0]);
}

int fleet(const std::vector<std::string> &args) {
    CommandLine cl(args,
                   with(kConnection, {"agents", "profile", "users", "rate", "duration", "seed",
                                      "latency-scale", "runaway-rate", "giant-trace"}));
    const auto profile = cl.value("profile");
    if (profile && cl.value("giant-trace"))
        throw UsageError("--profile and --giant-trace cannot be combined: a giant trace is one "
                         "run, not a fleet");
    if (profile && cl.value("agents"))
        throw UsageError("--agents and --profile cannot be combined: the profile lists the agents");
    if (const auto giant = cl.integer("giant-trace", 2, 50'000'000)) {
        // One COPY of up to 50M spans: no statement timeout.
        auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_AGENT_PG", "PITWALL_PG"}), 5,
                                  PgLimits::bulk());
        const auto started = std::chrono::steady_clock::now();
        const GiantTraceInfo info = writeGiantTrace(
            *pg, static_cast<size_t>(*giant),
            static_cast<uint64_t>(
                cl.integer("seed", 0, std::numeric_limits<long long>::max()).value_or(1)));
        std::cerr << "wrote " << info.spans << " spans in "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()
                  << " ms\n";
        std::cout << "run " << info.runId << "\ntrace " << info.traceId << "\n";
        return 0;
    }
    FleetOptions o;
    if (profile) { // read before connecting: a refused file needs no servers to be told
        FleetProfileFile file = loadFleetProfile(*profile);
        o.agentProfiles = std::move(file.agents);
        o.toolProfiles = std::move(file.tools);
    }
    o.guard.pg = postgresFrom(cl, {"PITWALL_AGENT_PG", "PITWALL_PG"});
    o.guard.redis = redisFrom(cl);
    o.guard.keyPrefix = prefixFrom(cl);
    o.agents = static_cast<int>(cl.integer("agents", 1, 1000).value_or(o.agents));
    o.users = static_cast<int>(cl.integer("users", 1, 10'000'000).value_or(o.users));
    o.rate = cl.number("rate", 0.001, 100'000).value_or(o.rate);
    o.durationSeconds = cl.number("duration", 0, 30 * 86'400).value_or(0);
    o.seed = static_cast<uint64_t>(
        cl.integer("seed", 0, std::numeric_limits<long long>::max()).value_or(0));
    o.latencyScale = cl.number("latency-scale", 0.001, 1000).value_or(1.0);
    o.runawayRate = cl.number("runaway-rate", 0, 1).value_or(o.runawayRate);
    o.log = [](const std::string &line) {
        std::cerr << line << "\n";
    };
    Fleet f(o);
    f.seed();
    std::signal(SIGINT, [](int) { g_interrupted = true; });
    std::signal(SIGTERM, [](int) { g_interrupted = true; });
    std::cerr << "fleet: "
              << (profile ? std::to_string(o.agentProfiles.size()) + " agents of " + *profile
                          : std::to_string(o.agents) + " agents")
              << ", " << o.users << " users, " << o.rate << " runs/s"
              << (o.durationSeconds > 0
                      ? ", for " + std::to_string(static_cast<int>(o.durationSeconds)) + " s"
                      : ", until Ctrl+C")
              << "\n";
    FleetSummary s = f.run(g_interrupted);
    std::cout << s.toText();
    return 0;
}

int kill(const std::vector<std::string> &args) {
    CommandLine cl(args, with(kConnection, {"reason", "action-id", "wait"}));
    if (cl.positional().empty())
        throw UsageError("kill needs at least one RUN_ID");
    const std::string reason = reasonFrom(cl);
    const auto waitSeconds = cl.number("wait", 0.001, 3600);
    const RedisEndpoint redis = redisFrom(cl);
    ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redis, prefixFrom(cl));
    // With Redis down, a kill is recorded all the same (exit 3: the outbox applies it once
    // Redis is back), with or without --wait; --wait then says it cannot watch.
    std::optional<RunEndWatcher> watcher;
    std::string cannotWatch;
    if (waitSeconds) {
        try {
            watcher.emplace(redis, prefixFrom(cl)); // the stream's position before the kills
        } catch (const StoreError &e) {
            cannotWatch = e.what();
        }
    }
    const auto started = std::chrono::steady_clock::now();
    int code = 0;
    std::set<std::string> requested;
    for (const auto &run : cl.positional()) {
        try {
            const std::string id =
                cl.positional().size() == 1 ? cl.value("action-id").value_or("") : "";
            const int reported = report(actions.killRun(run, reason, id));
            code = std::max(code, reported);
            if (reported == 0)
                requested.insert(run);
        } catch (const ActionRefused &e) {
            std::cerr << "Refused: " << printable(e.what()) << "\n";
            code = std::max(code, 1);
        }
    }
    if (!cannotWatch.empty() && code != 1)
        std::cout << "cannot wait for the runs to end: " << printable(cannotWatch) << "\n";
    if (!watcher || requested.empty())
        return code;
    const auto ended = watcher->waitFor(
        requested, std::chrono::milliseconds(static_cast<long long>(*waitSeconds * 1000)));
    for (const auto &run : requested) {
        auto it = ended.find(run);
        if (it == ended.end()) {
            std::cout << "run " << run << " is still running " << *waitSeconds
                      << " s after the kill: its agent is not honouring kills\n";
            code = std::max(code, 4);
            continue;
        }
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(it->second.seenAt - started)
                .count();
        std::cout << "run " << run << " ended as " << it->second.status << " " << ms
                  << " ms after the kill was requested\n";
    }
    return code;
}

int64_t usdOption(const CommandLine &cl, const std::string &name) {
    const std::string text = cl.required(name);
    bool tooLarge = false;
    auto micros = parseUsdMicros(text, &tooLarge);
    if (tooLarge)
        throw UsageError("--" + name + " may be at most " + kMaxUsdText + " dollars, not \"" +
                         text + "\"");
    if (!micros || *micros < 0)
        throw UsageError("--" + name + " takes an amount in dollars such as 25 or 0.50, not \"" +
                         text + "\"");
    return *micros;
}

QJsonValue usdOrNull(int64_t micros) {
    return micros < 0 ? QJsonValue() : QJsonValue(double(micros) / 1e6);
}

QString isoOrEmpty(int64_t ms) {
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

QJsonObject spendJson(const SpendFigures &f, const SpendOutlook &o) {
    return QJsonObject{
        {QStringLiteral("scope"), QString::fromStdString(f.scope)},
        {QStringLiteral("subject"), QString::fromStdString(f.subject)},
        {QStringLiteral("day"), QString::fromStdString(f.day)},
        {QStringLiteral("settled_usd"), double(f.settledMicros) / 1e6},
        {QStringLiteral("reserved_usd"), double(f.reservedMicros) / 1e6},
        {QStringLiteral("used_usd"), double(o.usedMicros) / 1e6},
        {QStringLiteral("daily_cap_usd"), usdOrNull(f.dailyCapMicros)},
        {QStringLiteral("per_request_cap_usd"), usdOrNull(f.perRequestCapMicros)},
        {QStringLiteral("cap_revision"), qint64(f.capRevision)},
        {QStringLiteral("cap_is_default"), f.capIsDefault},
        {QStringLiteral("cap_expires_at"),
         f.capExpiresMs ? QJsonValue(isoOrEmpty(f.capExpiresMs)) : QJsonValue()},
        {QStringLiteral("percent_used"), o.percentUsed < 0 ? QJsonValue() : o.percentUsed},
        {QStringLiteral("burn_15m_usd_per_hour"), o.burn15mPerHour / 1e6},
        {QStringLiteral("burn_60m_usd_per_hour"), o.burn60mPerHour / 1e6},
        {QStringLiteral("projected_end_of_day_usd"), double(o.projectedMicros) / 1e6},
        {QStringLiteral("projected_at_pace_usd"), double(o.projectedAtPaceMicros) / 1e6},
        {QStringLiteral("cap_reached_at"),
         o.capReachedAtMs ? QJsonValue(isoOrEmpty(*o.capReachedAtMs)) : QJsonValue()},
        {QStringLiteral("refused"),
         QJsonObject{{QStringLiteral("daily"), qint64(f.refusedDaily)},
                     {QStringLiteral("per_request"), qint64(f.refusedPerRequest)},
                     {QStringLiteral("counter"), qint64(f.refused)}}},
        {QStringLiteral("ledger_usd"), double(f.ledgerMicros) / 1e6},
        {QStringLiteral("counter_present"), f.counterPresent},
        {QStringLiteral("drift_usd"), double(o.driftMicros) / 1e6},
        {QStringLiteral("drift_flagged"), o.driftFlagged},
        {QStringLiteral("alert_percent"), f.alertPercent < 0 ? QJsonValue() : f.alertPercent},
        {QStringLiteral("alert_is_default"), f.alertIsDefault},
        {QStringLiteral("alert_crossed"), o.alertCrossed}};
}

std::string usdText(int64_t micros) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "$%.4f", double(micros) / 1e6);
    return buf;
}

void printSpend(const SpendFigures &f, const SpendOutlook &o) {
    std::cout << f.scope << (f.scope == "global" ? "" : " " + printable(f.subject)) << ": used "
              << usdText(o.usedMicros) << " (settled " << usdText(f.settledMicros) << ", reserved "
              << usdText(f.reservedMicros) << ") of "
              << (f.dailyCapMicros < 0 ? std::string("no daily cap")
                                       : usdText(f.dailyCapMicros) +
                                             (f.capIsDefault ? " (the default user cap)" : ""))
              << "\n  burn " << usdText(int64_t(o.burn15mPerHour)) << "/h (15 min), "
              << usdText(int64_t(o.burn60mPerHour)) << "/h (1 h); end of day at that pace "
              << usdText(o.projectedMicros)
              << (o.projectedAtPaceMicros != o.projectedMicros
                      ? " (the cap stops it; " + usdText(o.projectedAtPaceMicros) + " without it)"
                      : std::string())
              << (o.capReachedAtMs ? "; cap reached at about " +
                                         QDateTime::fromMSecsSinceEpoch(*o.capReachedAtMs, Qt::UTC)
                                             .toString(QStringLiteral("HH:mm"))
                                             .toStdString() +
                                         " UTC"
                                   : std::string())
              << "\n  refused today: " << f.refusedDaily << " by the daily cap, "
              << f.refusedPerRequest << " by the per-request cap; ledger "
              << usdText(f.ledgerMicros) << ", drift " << usdText(o.driftMicros)
              << (o.driftFlagged ? " (beyond the tolerance: rebuild the counter from the ledger)"
                                 : "")
              << (f.counterPresent ? "" : " (no counter in Redis yet)") << "\n";
    if (f.alertPercent > 0)
        std::cout << "  alert at " << f.alertPercent << " % of the daily cap"
                  << (f.alertIsDefault ? " (the default user alert)" : "")
                  << (o.alertCrossed ? ": CROSSED" : "") << "\n";
}

// pitwallctl spend holds [--json]: reservations held by runs that ended or stopped beating.
int spendHolds(const CommandLine &cl) {
    auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_PG"}));
    RedisConnection redis(redisFrom(cl));
    const RedisKeys keys(prefixFrom(cl));
    const int64_t now = nowMs();
    const auto holds = readSpendHolds(*pg, redis, keys, now, kHeartbeatTimeoutMs, kMaxSpendHolds);
    QJsonArray json;
    for (const SpendHold &h : holds) {
        json.append(QJsonObject{{QStringLiteral("run_id"), QString::fromStdString(h.runId)},
                                {QStringLiteral("user"), QString::fromStdString(h.user)},
                                {QStringLiteral("agent"), QString::fromStdString(h.agent)},
                                {QStringLiteral("status"), QString::fromStdString(h.status)},
                                {QStringLiteral("held_usd"), double(h.heldMicros) / 1e6},
                                {QStringLiteral("held_micros"), qint64(h.heldMicros)},
                                {QStringLiteral("heartbeat_at"), isoOrEmpty(h.heartbeatMs)},
                                {QStringLiteral("why"), h.ended ? QStringLiteral("ended")
                                                                : QStringLiteral("no_heartbeat")}});
        if (!cl.flag("json"))
            std::cout << "run " << printable(h.runId) << " (" << printable(h.agent) << ", user "
                      << printable(h.user) << ") holds " << usdText(h.heldMicros) << ": "
                      << (h.ended ? "it ended as " + printable(h.status)
                                  : "no heartbeat since " + isoOrEmpty(h.heartbeatMs).toStdString())
                      << "\n";
    }
    if (cl.flag("json"))
        std::cout << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
    else if (holds.empty())
        std::cout << "No reservation is held by a run that ended or stopped beating.\n";
    return 0;
}

// pitwallctl spend [--scope S] [--subject X] [--top N] [--json]: the spend page's figures;
// spend rebuild, holds and release: the reconciliation's actions.
int spendCommand(const std::vector<std::string> &args) {
    CommandLine cl(
        args,
        with(kConnection, {"scope", "subject", "top", "filter", "reason", "held", "action-id"}),
        {"json"});
    const auto &pos = cl.positional();
    if (!pos.empty() && pos[0] == "holds") {
        if (pos.size() != 1)
            throw UsageError("spend holds [--json]");
        return spendHolds(cl);
    }
    if (!pos.empty() && pos[0] == "rebuild") {
        if (pos.size() != 3 || (pos[1] != "user" && pos[1] != "agent" && pos[1] != "global"))
            throw UsageError("spend rebuild (user|agent|global) SUBJECT --reason TEXT");
        const std::string reason = reasonFrom(cl);
        ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redisFrom(cl), prefixFrom(cl));
        return report(
            actions.rebuildSpend(pos[1], pos[2], reason, cl.value("action-id").value_or("")));
    }
    if (!pos.empty() && pos[0] == "release") {
        if (pos.size() != 2)
            throw UsageError("spend release RUN_ID [--held USD] --reason TEXT");
        if (QUuid::fromString(QString::fromStdString(pos[1])).isNull())
            throw UsageError("a run id is a UUID, not \"" + pos[1] + "\"");
        const std::string reason = reasonFrom(cl);
        int64_t held = 0;
        if (cl.value("held")) {
            held = usdOption(cl, "held");
            if (held <= 0)
                throw UsageError("--held is the amount to release: more than 0");
        } else {
            RedisConnection redis(redisFrom(cl));
            const RedisKeys keys(prefixFrom(cl));
            const std::string v =
                redis.command({"HGET", keys.run(pos[1]), EventField::reservedMicros}).str;
            const auto parsed = std::from_chars(v.data(), v.data() + v.size(), held);
            if (parsed.ec != std::errc() || parsed.ptr != v.data() + v.size())
                held = 0; // missing, or not a whole number of micro-dollars
            if (held <= 0)
                throw UsageError("run " + pos[1] +
                                 " holds no reservation in Redis (`pitwallctl spend holds` lists "
                                 "those that do); --held USD releases an amount all the same");
        }
        ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redisFrom(cl), prefixFrom(cl));
        return report(
            actions.releaseHold(pos[1], held, reason, cl.value("action-id").value_or("")));
    }
    if (!pos.empty())
        throw UsageError("spend [--scope global|agent|user] [--subject S] [--top N] "
                         "[--filter TEXT] [--json] | spend (rebuild|holds|release) ...");
    const std::string scope = cl.value("scope").value_or("");
    if (!scope.empty() && scope != "global" && scope != "agent" && scope != "user")
        throw UsageError("--scope is global, agent or user, not \"" + scope + "\"");
    int top = 10;
    if (const auto n = cl.value("top")) {
        char *end = nullptr;
        const long v = std::strtol(n->c_str(), &end, 10);
        if (n->empty() || end != n->c_str() + n->size() || v < 1 || v > kMaxSpendSubjects)
            throw UsageError("--top is a whole number from 1 to " +
                             std::to_string(kMaxSpendSubjects) + ", not \"" + *n + "\"");
        top = int(v);
    }
    const auto subject = cl.value("subject");
    if (subject && (scope.empty() || scope == "global"))
        throw UsageError("--subject goes with --scope agent or --scope user");
    auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_PG"}));
    RedisConnection redis(redisFrom(cl));
    const RedisKeys keys(prefixFrom(cl));
    const int64_t now = nowMs();
    std::vector<SpendFigures> all;
    auto add = [&](std::vector<SpendFigures> figures) {
        all.insert(all.end(), figures.begin(), figures.end());
    };
    if (subject)
        add(readSpendFigures(*pg, redis, keys, scope, {*subject}, now));
    else if (scope == "agent" || scope == "user")
        add(readSpenderPage(*pg, redis, keys, scope, cl.value("filter").value_or(""), 0, top, now)
                .rows);
    else {
        add(readSpendFigures(*pg, redis, keys, "global", {"*"}, now));
        if (scope.empty()) {
            add(readTopSpenders(*pg, redis, keys, "agent", top, now));
            add(readTopSpenders(*pg, redis, keys, "user", top, now));
        }
    }
    QJsonArray json;
    for (const SpendFigures &f : all) {
        const SpendOutlook o = spendOutlook(f, now);
        json.append(spendJson(f, o));
        if (!cl.flag("json"))
            printSpend(f, o);
    }
    if (cl.flag("json"))
        std::cout << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
    return 0;
}

int cap(const std::vector<std::string> &args) {
    CommandLine cl(args,
                   with(kConnection, {"daily", "per-request", "until", "reason", "revision",
                                      "action-id", "percent"}),
                   {"json", "off"});
    const auto &pos = cl.positional();
    if (pos.size() == 3 && pos[0] == "show") {
        // The cap in force and the day so far: what `cap set` would change.
        if (pos[1] != "user" && pos[1] != "agent" && pos[1] != "global")
            throw UsageError("the scope is user, agent or global, not \"" + pos[1] + "\"");
        std::vector<std::string> spendArgs{"--scope", pos[1], "--subject", pos[2]};
        for (const std::string &o : kConnection)
            if (const auto v = cl.value(o))
                spendArgs.insert(spendArgs.end(), {"--" + o, *v});
        if (cl.flag("json"))
            spendArgs.push_back("--json");
        return spendCommand(spendArgs);
    }
    if (pos.size() == 3 && pos[0] == "alert") {
        if (pos[1] != "user" && pos[1] != "agent" && pos[1] != "global")
            throw UsageError("the scope is user, agent or global, not \"" + pos[1] + "\"");
        std::optional<double> percent;
        if (cl.flag("off") == bool(cl.value("percent")))
            throw UsageError("cap alert takes --percent P (1 to 100) to set the alert, or --off "
                             "to remove it: one of the two");
        if (!cl.flag("off")) {
            const std::string text = *cl.value("percent");
            double v = 0;
            // from_chars, not strtod: the decimal point is '.', whatever the locale.
            const auto parsed = std::from_chars(text.data(), text.data() + text.size(), v);
            if (text.empty() || parsed.ec != std::errc() ||
                parsed.ptr != text.data() + text.size() || !(v >= 1 && v <= 100))
                throw UsageError("--percent is a number from 1 to 100, not \"" + text + "\"");
            percent = v;
        }
        const std::string reason = reasonFrom(cl);
        ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redisFrom(cl), prefixFrom(cl));
        return report(actions.setSpendAlert(pos[1], pos[2], percent, revisionFrom(cl), reason,
                                            cl.value("action-id").value_or("")));
    }
    if (pos.size() != 3 || pos[0] != "set")
        throw UsageError("cap (set|show|alert) (user|agent|global) SUBJECT [--daily USD ...]");
    if (pos[1] != "user" && pos[1] != "agent" && pos[1] != "global")
        throw UsageError("the scope is user, agent or global, not \"" + pos[1] + "\"");
    CapChange c;
    c.scope = pos[1];
    c.subject = pos[2];
    c.dailyMicros = usdOption(cl, "daily");
    if (cl.value("per-request"))
        c.perRequestMicros = usdOption(cl, "per-request");
    if (auto until = cl.value("until"))
        c.expiresAtMs = parseTimeMs(*until);
    c.expectedRevision = revisionFrom(cl);
    const std::string reason = reasonFrom(cl);
    ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redisFrom(cl), prefixFrom(cl));
    return report(actions.setCap(c, reason, cl.value("action-id").value_or("")));
}

int rollout(const std::vector<std::string> &args) {
    CommandLine cl(args, with(kConnection, {"reason", "revision", "action-id", "in-flight"}));
    const auto &pos = cl.positional();
    if (pos.size() < 2)
        throw UsageError("rollout (weight AGENT PERCENT | promote AGENT | rollback AGENT)");
    const std::string reason = reasonFrom(cl);
    const std::string id = cl.value("action-id").value_or("");
    ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redisFrom(cl), prefixFrom(cl));
    if (pos[0] == "weight") {
        if (pos.size() != 3)
            throw UsageError("rollout weight AGENT PERCENT");
        int weight = -1;
        try {
            size_t used = 0;
            weight = std::stoi(pos[2], &used);
            if (used != pos[2].size())
                weight = -1;
        } catch (const std::exception &) {
        }
        if (weight < 0 || weight > 100)
            throw UsageError("the canary weight is a whole percent from 0 to 100, not \"" + pos[2] +
                             "\"");
        return report(actions.setCanaryWeight(pos[1], weight, revisionFrom(cl), reason, id));
    }
    if (pos[0] == "promote")
        return report(actions.promote(pos[1], revisionFrom(cl), reason, id));
    if (pos[0] == "rollback") {
        auto inFlight = ActionsService::InFlight::Finish;
        if (const auto v = cl.value("in-flight")) {
            if (*v == "kill")
                inFlight = ActionsService::InFlight::Kill;
            else if (*v != "finish")
                throw UsageError("--in-flight is finish (let the canary's runs in flight end) or "
                                 "kill, not \"" +
                                 *v + "\"");
        }
        return report(actions.rollback(pos[1], revisionFrom(cl), reason, id, inFlight));
    }
    throw UsageError("rollout takes weight, promote or rollback, not " + pos[0]);
}

int breaker(const std::vector<std::string> &args) {
    CommandLine cl(args, with(kConnection, {"for", "reason", "action-id", "expect"}), {"new"});
    const auto &pos = cl.positional();
    if (pos.size() != 2)
        throw UsageError("breaker (force-open|force-closed|clear) TOOL [--for DURATION] [--new] "
                         "[--expect STATE]");
    std::string forced;
    if (pos[0] == "force-open")
        forced = "open";
    else if (pos[0] == "force-closed")
        forced = "closed";
    else if (pos[0] != "clear")
        throw UsageError("breaker takes force-open, force-closed or clear, not " + pos[0]);
    std::optional<int64_t> until;
    if (auto d = cl.value("for")) {
        if (forced.empty())
            throw UsageError("--for goes with force-open or force-closed");
        until = nowMs() + parseDurationMs(*d);
    }
    const std::optional<std::string> expect = cl.value("expect");
    if (expect && breakerStateRank(*expect) == 4 && *expect != "closed")
        throw UsageError("--expect takes closed, open, half_open, forced_open or forced_closed, "
                         "not " +
                         *expect);
    const std::string reason = reasonFrom(cl);
    ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redisFrom(cl), prefixFrom(cl));
    return report(actions.overrideBreaker(
        pos[1], forced, until, reason, cl.value("action-id").value_or(""), cl.flag("new"), expect));
}

QJsonObject breakerJson(const BreakerRow &r, int64_t now) {
    const BreakerMinute w = r.window();
    QJsonArray minutes;
    for (const BreakerMinute &m : r.minutes)
        minutes.append(QJsonObject{{QStringLiteral("calls"), qint64(m.calls)},
                                   {QStringLiteral("failures"), qint64(m.failures)},
                                   {QStringLiteral("rejected"), qint64(m.rejected)}});
    auto timeOrNull = [](int64_t ms) {
        return ms > 0 ? QJsonValue(isoOrEmpty(ms)) : QJsonValue();
    };
    auto textOrNull = [](const std::string &s) {
        return s.empty() ? QJsonValue() : QJsonValue(QString::fromStdString(s));
    };
    const double rate = r.failureRate();
    return QJsonObject{
        {QStringLiteral("tool"), QString::fromStdString(r.tool)},
        {QStringLiteral("state"), QString::fromStdString(r.state)},
        {QStringLiteral("automatic_state"), QString::fromStdString(r.automaticState)},
        {QStringLiteral("since"), timeOrNull(r.sinceMs)},
        {QStringLiteral("forced_by"), textOrNull(r.forcedBy)},
        {QStringLiteral("forced_reason"), textOrNull(r.forcedReason)},
        {QStringLiteral("forced_at"), timeOrNull(r.forcedAtMs)},
        {QStringLiteral("forced_until"), timeOrNull(r.forcedUntilMs)},
        {QStringLiteral("failure_rate"), rate < 0 ? QJsonValue() : QJsonValue(rate)},
        {QStringLiteral("failure_rate_text"), BreakerText::failureRate(r)},
        {QStringLiteral("window_minutes"), kBreakerWindowMinutes},
        {QStringLiteral("minimum_calls"), kBreakerMinimumCalls},
        {QStringLiteral("calls"), qint64(w.calls)},
        {QStringLiteral("failures"), qint64(w.failures)},
        {QStringLiteral("rejected"), qint64(w.rejected)},
        {QStringLiteral("failures_in_row"), qint64(r.failuresInRow)},
        {QStringLiteral("threshold"), qint64(r.threshold)},
        {QStringLiteral("cooloff_ms"), qint64(r.cooloffMs)},
        {QStringLiteral("half_open_at"), r.automaticState == "open" && !r.forced()
                                             ? timeOrNull(std::max(r.halfOpenAtMs, now))
                                             : QJsonValue()},
        {QStringLiteral("runs_at_tool"), r.runsAtTool},
        {QStringLiteral("last_error"), textOrNull(r.lastError)},
        {QStringLiteral("minutes"), minutes}};
}

// pitwallctl breakers [--filter TEXT] [--json]: the breakers page's board;
// breakers history TOOL [--limit N] [--json]: one tool's transitions and overrides.
int breakersCommand(const std::vector<std::string> &args) {
    CommandLine cl(args, with(kConnection, {"filter", "limit", "runs"}), {"json"});
    const auto &pos = cl.positional();
    auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_PG"}));
    if (!pos.empty() && pos[0] == "history") {
        if (pos.size() != 2)
            throw UsageError("breakers history TOOL [--limit N] [--json]");
        const int limit = int(cl.integer("limit", 1, kMaxBreakerHistory).value_or(100));
        const auto history = readBreakerHistory(*pg, pos[1], limit);
        QJsonArray json;
        for (const BreakerHistoryEntry &e : history) {
            json.append(QJsonObject{
                {QStringLiteral("at"), isoOrEmpty(e.atMs)},
                {QStringLiteral("from"), QString::fromStdString(e.from)},
                {QStringLiteral("to"), QString::fromStdString(e.to)},
                {QStringLiteral("failures"), qint64(e.failures)},
                {QStringLiteral("actor"),
                 e.actor.empty() ? QJsonValue() : QJsonValue(QString::fromStdString(e.actor))},
                {QStringLiteral("reason"), QString::fromStdString(e.reason)}});
            if (!cl.flag("json"))
                std::cout << printable(BreakerText::history(e).toStdString()) << "\n";
        }
        if (cl.flag("json"))
            std::cout << QJsonDocument(json).toJson(QJsonDocument::Indented).toStdString();
        else if (history.empty())
            std::cout << "No transition or override of " << printable(pos[1]) << " is recorded.\n";
        return 0;
    }
    if (!pos.empty())
        throw UsageError("breakers takes history TOOL, or nothing, not " + pos[0]);
    RedisConnection redis(redisFrom(cl));
    const RedisKeys keys(prefixFrom(cl));
    const int64_t now = nowMs();
    BreakerBoard board = readBreakerBoard(*pg, redis, keys, now);
    int counted = 0;
    const int maxRuns = int(cl.integer("runs", 0, 1'000'000).value_or(100'000));
    const auto runs = countRunsAtTools(redis, keys, maxRuns, &counted);
    for (BreakerRow &r : board.rows)
        r.runsAtTool = runs.count(r.tool) ? runs.at(r.tool) : 0;
    BreakerTableModel model;
    model.setBoard(board);
    model.setFilterText(QString::fromStdString(cl.value("filter").value_or("")));
    QJsonArray rows;
    for (int i = 0; i < model.shownCount(); ++i) {
        const BreakerRow &r = *model.breaker(i);
        rows.append(breakerJson(r, now));
        if (cl.flag("json"))
            continue;
        std::cout << printable(r.tool) << ": " << BreakerText::state(r.state).toStdString();
        if (const QString since = BreakerText::since(r, now); !since.isEmpty())
            std::cout << " " << since.toStdString();
        std::cout << "\n  " << BreakerText::failureRate(r).toStdString() << "; "
                  << BreakerText::window(r).toStdString() << "; " << r.failuresInRow
                  << " failure(s) in a row, opens at " << r.threshold << "\n";
        if (r.forced())
            std::cout << "  " << printable(BreakerText::forced(r, now).toStdString()) << "\n";
        if (const QString h = BreakerText::halfOpen(r, now); !h.isEmpty())
            std::cout << "  tries a call " << h.toStdString() << "\n";
        if (r.runsAtTool > 0)
            std::cout << "  " << r.runsAtTool << " live run(s) at this tool\n";
        if (!r.lastError.empty())
            std::cout << "  last error: " << printable(r.lastError.substr(0, 300)) << "\n";
    }
    if (cl.flag("json")) {
        const QJsonObject out{{QStringLiteral("at"), isoOrEmpty(now)},
                              {QStringLiteral("breakers"), rows},
                              {QStringLiteral("truncated"), board.truncated},
                              {QStringLiteral("runs_counted"), counted}};
        std::cout << QJsonDocument(out).toJson(QJsonDocument::Indented).toStdString();
    } else if (rows.isEmpty()) {
        std::cout << (board.rows.empty() ? "No tool has a breaker yet: no agent has called one.\n"
                                         : "No breaker matches the filter.\n");
    } else if (board.truncated) {
        std::cout << "(only the first " << kMaxBreakerTools << " tools by name are read)\n";
    }
    return 0;
}

int drain(const std::vector<std::string> &args) {
    CommandLine cl(args, kConnection);
    ActionsService actions(postgresFrom(cl, {"PITWALL_PG"}), redisFrom(cl), prefixFrom(cl));
    // Mirrors Redis lost (a restart without persistence) first, then the outbox.
    const ActionsService::MirrorSync synced = actions.syncAllMirrors();
    std::cout << "Wrote " << synced.caps << " cap and " << synced.rollouts
              << " rollout mirror(s) from PostgreSQL; restored " << synced.breakerOverrides
              << " breaker override(s) Redis had lost.\n";
    const int n = actions.drainPendingMirrors();
    std::cout << "Applied " << n << " pending action" << (n == 1 ? "" : "s") << " to Redis.\n";
    return 0;
}

} // namespace

std::string usage() {
    return R"(pitwallctl: the command-line twin of the Pitwall console

  pitwallctl migrate [--pg CONN]
  pitwallctl sandbox (up|down|env) [--dir DIR]
  pitwallctl fleet [--agents N | --profile FILE] [--users N] [--rate RUNS_PER_SECOND]
        [--duration SECONDS] [--seed N]
                              (--profile: the agents and tools of a JSON file, as in
                              resources/fleet/*.json and docs/fleet-profile.md)
  pitwallctl fleet --giant-trace SPANS [--seed N]   (one finished run with a trace of SPANS spans)
  pitwallctl kill RUN_ID... --reason TEXT [--wait SECONDS]
  pitwallctl cap set (user|agent|global) SUBJECT --daily USD [--per-request USD] [--until TIME] --reason TEXT
  pitwallctl rollout weight AGENT PERCENT --reason TEXT
  pitwallctl rollout promote AGENT --reason TEXT
  pitwallctl rollout rollback AGENT [--in-flight finish|kill] --reason TEXT
                              (kill: the canary's runs in flight are killed by the rollback)
  pitwallctl canary [AGENT] [--window DURATION] [--json]
  pitwallctl canary history AGENT [--limit N] [--json]
  pitwallctl canary policy AGENT [--min-runs N] [--success-tolerance SHARE]
        [--latency-tolerance SHARE] [--cost-tolerance SHARE] [--steps-tolerance SHARE]
        [--tail-tolerance SHARE] --reason TEXT      (values not given stay as they are)
  pitwallctl cap show (user|agent|global) SUBJECT [--json]
  pitwallctl cap alert (user|agent|global) SUBJECT (--percent P | --off) --reason TEXT
                              (a soft alert when the scope has used P % of its daily cap)
  pitwallctl spend [--scope global|agent|user] [--subject S] [--top N] [--filter TEXT] [--json]
                              (settled, reserved, cap, burn rate, projection, refusals, drift,
                              alert)
  pitwallctl spend rebuild (user|agent|global) SUBJECT --reason TEXT
                              (the day's counter set to the ledger in PostgreSQL)
  pitwallctl spend holds [--json]  reservations held by runs that ended or stopped beating
  pitwallctl spend release RUN_ID [--held USD] --reason TEXT   (release such a reservation)
  pitwallctl breaker (force-open|force-closed|clear) TOOL [--for DURATION] [--new]
        [--expect STATE] --reason TEXT
                              (--new: a tool no agent has called yet; --expect: refused unless
                              the breaker is in STATE, e.g. open or forced_closed)
  pitwallctl breakers [--filter TEXT] [--runs N] [--json]
                              every tool's breaker, most trouble first: state, failure rate
                              over the last 5 minutes, calls, override, live runs at the tool
                              (counted over the N newest live runs, 100,000 by default)
  pitwallctl breakers history TOOL [--limit N] [--json]   transitions and overrides
  pitwallctl audit [--actor A] [--kind K] [--target T] [--text S] [--since TIME] [--until TIME]
        [--pending] [--limit N] [--csv|--json]   the audit trail, newest first (--json: JSON Lines;
                              --csv: RFC 4180)
  pitwallctl drain            rewrite the mirrors from PostgreSQL (caps, rollouts, breaker
                              overrides in force), then apply the actions not yet mirrored
  pitwallctl import-otlp FILE...   OpenTelemetry traces in OTLP/JSON (a request per file, or
                                   one per line as the Collector's file exporter writes them)

Connections: --pg (libpq string or URI) and --redis (redis://[user:password@]host[:port][/db] or
unix:///path.sock), else PITWALL_PG and PITWALL_REDIS; the fleet prefers PITWALL_AGENT_PG.
Actions also take --revision N (refused if the target changed since) and --action-id UUID (a
retry with the same id changes nothing). TIME is ISO 8601 or +DURATION; DURATION is 90s, 10m, 2h, 1d.
`kill --wait` waits for each run to end and says how long the kill took to land. With Redis
down a kill is still recorded (exit 3, with or without --wait) and applied when Redis is back.
Every PostgreSQL session is bounded: statement_timeout 30 s, lock_timeout 5 s,
idle_in_transaction_session_timeout 60 s, TCP keepalives; the message names the one that fired.
Passwords in --pg/--redis are visible to every local user in `ps`: prefer PGPASSFILE, a
service file (PGSERVICE), or PITWALL_PG/PITWALL_REDIS in the environment.
Exit codes: 0 done, 1 refused or failed, 2 bad usage, 3 recorded but not yet applied to Redis,
4 a killed run still running after --wait.
)";
}

int importOtlp(const std::vector<std::string> &args) {
    CommandLine cl(args, kConnection);
    if (cl.positional().empty())
        throw UsageError("import-otlp needs at least one FILE");
    auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_AGENT_PG", "PITWALL_PG"}));
    // Streamed into one transaction: all of the files, or nothing.
    const OtlpImportSummary batch = importOtlpFiles(*pg, cl.positional());
    std::cout << "imported " << batch.spans << " spans of " << batch.runs.size()
              << " trace(s) from " << batch.files << " file(s)\n";
    for (const OtlpRun &r : batch.runs)
        std::cout << "run " << r.runId << " trace " << r.traceId << " (" << printable(r.agent)
                  << ", " << r.status << ")\n";
    return 0;
}

QJsonObject armJson(const CanaryArm &a) {
    return QJsonObject{{QStringLiteral("version"), QString::fromStdString(a.version)},
                       {QStringLiteral("runs"), qint64(a.runs)},
                       {QStringLiteral("finished"), qint64(a.finished)},
                       {QStringLiteral("succeeded"), qint64(a.succeeded)},
                       {QStringLiteral("failed"), qint64(a.failed)},
                       {QStringLiteral("timeout"), qint64(a.timeout)},
                       {QStringLiteral("killed"), qint64(a.killed)},
                       {QStringLiteral("capped"), qint64(a.capped)},
                       {QStringLiteral("step_limit"), qint64(a.stepLimit)},
                       {QStringLiteral("latency_ms"),
                        QJsonObject{{QStringLiteral("p50"), a.latencyMs.quantile(0.5)},
                                    {QStringLiteral("p95"), a.latencyMs.quantile(0.95)},
                                    {QStringLiteral("p99"), a.latencyMs.quantile(0.99)}}},
                       {QStringLiteral("cost_usd"),
                        QJsonObject{{QStringLiteral("mean"),
                                     a.finished ? a.costMicros / double(a.finished) / 1e6 : 0},
                                    {QStringLiteral("p95"), a.costPerRun.quantile(0.95) / 1e6}}},
                       {QStringLiteral("tool_calls"), qint64(a.toolCalls)},
                       {QStringLiteral("tool_errors"), qint64(a.toolErrors)}};
}

QJsonObject verdictJson(const CanaryComparison &c, const CanaryVerdict &v) {
    QJsonArray metrics;
    for (const CanaryMetric &m : v.metrics)
        metrics.append(QJsonObject{
            {QStringLiteral("name"), QLatin1String(CanaryJudge::metricName(m.id))},
            {QStringLiteral("critical"), m.critical},
            {QStringLiteral("stable"), m.stable},
            {QStringLiteral("canary"), m.canary},
            {QStringLiteral("difference"), m.difference.estimate},
            {QStringLiteral("interval"), QJsonArray{m.difference.low, m.difference.high}},
            {QStringLiteral("p_value"), m.difference.pValue},
            {QStringLiteral("classification"),
             QLatin1String(CanaryJudge::classificationName(m.classification))},
            {QStringLiteral("reason"), m.reason}});
    const CanaryPolicy &p = c.policy;
    return QJsonObject{
        {QStringLiteral("agent"), QString::fromStdString(c.agent)},
        {QStringLiteral("stable"), QString::fromStdString(c.stable.version)},
        {QStringLiteral("canary"), QString::fromStdString(c.canary.version)},
        {QStringLiteral("weight"), c.weight},
        {QStringLiteral("revision"), qint64(c.revision)},
        {QStringLiteral("window_from_us"), qint64(c.fromUs)},
        {QStringLiteral("runs"), QJsonObject{{QStringLiteral("stable"), qint64(c.stable.runs)},
                                             {QStringLiteral("canary"), qint64(c.canary.runs)}}},
        {QStringLiteral("arms"), QJsonObject{{QStringLiteral("stable"), armJson(c.stable)},
                                             {QStringLiteral("canary"), armJson(c.canary)}}},
        {QStringLiteral("policy"),
         QJsonObject{{QStringLiteral("min_runs"), qint64(p.minRuns)},
                     {QStringLiteral("success_rate_tolerance"), p.successRateTolerance},
                     {QStringLiteral("latency_tolerance"), p.latencyTolerance},
                     {QStringLiteral("cost_tolerance"), p.costTolerance},
                     {QStringLiteral("steps_tolerance"), p.stepsTolerance},
                     {QStringLiteral("tail_tolerance"), p.tailTolerance},
                     {QStringLiteral("revision"), qint64(p.revision)}}},
        {QStringLiteral("verdict"), QLatin1String(CanaryJudge::decisionName(v.decision))},
        {QStringLiteral("reason"), v.reason},
        {QStringLiteral("more_canary_runs"),
         std::isfinite(v.moreCanaryRuns) ? QJsonValue(std::ceil(v.moreCanaryRuns)) : QJsonValue()},
        {QStringLiteral("metrics"), metrics}};
}

double toleranceOption(const CommandLine &cl, const std::string &name, double current, double max) {
    const auto v = cl.value(name);
    if (!v)
        return current;
    char *end = nullptr;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || end != v->c_str() + v->size() || !std::isfinite(x) || x < 0 || x > max)
        throw UsageError("--" + name + " is a number from 0 to " +
                         std::to_string(max).substr(0, 3) + ", not \"" + *v + "\"");
    return x;
}

// pitwallctl canary policy AGENT [--min-runs N] [--success-tolerance X] ...: values not given stay.
int canaryPolicy(const std::vector<std::string> &args) {
    CommandLine cl(args,
                   with(kConnection, {"reason", "revision", "action-id", "min-runs",
                                      "success-tolerance", "latency-tolerance", "cost-tolerance",
                                      "steps-tolerance", "tail-tolerance"}),
                   {"json"});
    const auto &pos = cl.positional();
    if (pos.size() != 1)
        throw UsageError("canary policy AGENT [--min-runs N] [--success-tolerance SHARE] "
                         "[--latency-tolerance SHARE] [--cost-tolerance SHARE] "
                         "[--steps-tolerance SHARE] [--tail-tolerance SHARE] --reason TEXT");
    const std::string pgConn = postgresFrom(cl, {"PITWALL_PG"});
    auto pg = connectPostgres(pgConn);
    CanaryPolicy p = readCanaryPolicy(*pg, pos[0]); // the defaults without a row
    if (const auto n = cl.value("min-runs")) {
        char *end = nullptr;
        const long long v = std::strtoll(n->c_str(), &end, 10);
        if (n->empty() || end != n->c_str() + n->size() || v < 10 || v > 100000)
            throw UsageError("--min-runs is a whole number from 10 to 100000, not \"" + *n + "\"");
        p.minRuns = v;
    }
    p.successRateTolerance = toleranceOption(cl, "success-tolerance", p.successRateTolerance, 0.5);
    p.latencyTolerance = toleranceOption(cl, "latency-tolerance", p.latencyTolerance, 5);
    p.costTolerance = toleranceOption(cl, "cost-tolerance", p.costTolerance, 5);
    p.stepsTolerance = toleranceOption(cl, "steps-tolerance", p.stepsTolerance, 5);
    p.tailTolerance = toleranceOption(cl, "tail-tolerance", p.tailTolerance, 0.5);
    const std::string reason = reasonFrom(cl);
    ActionsService actions(pgConn, redisFrom(cl), prefixFrom(cl));
    const auto expected = revisionFrom(cl);
    return report(actions.setCanaryPolicy(pos[0], p, expected ? expected : p.revision, reason,
                                          cl.value("action-id").value_or("")));
}

// pitwallctl canary history AGENT: every change of the rollout, with the verdict the judge gave
// over the runs that had ended by then.
int canaryHistory(const std::vector<std::string> &args) {
    CommandLine cl(args, with(kConnection, {"limit"}), {"json"});
    const auto &pos = cl.positional();
    if (pos.size() != 1)
        throw UsageError("canary history AGENT [--limit N] [--json]");
    int limit = 50;
    if (const auto n = cl.value("limit")) {
        char *end = nullptr;
        const long v = std::strtol(n->c_str(), &end, 10);
        if (n->empty() || end != n->c_str() + n->size() || v < 1 || v > 1000)
            throw UsageError("--limit is a whole number from 1 to 1000, not \"" + *n + "\"");
        limit = int(v);
    }
    auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_PG"}));
    const auto changes = readRolloutHistory(*pg, pos[0], limit);
    const auto policies = readCanaryRollouts(*pg, pos[0]);
    const CanaryPolicy policy = policies.empty() ? CanaryPolicy{} : policies.front().policy;
    // The judge's verdict at each change of the last week, over at most the two days before it.
    const int64_t horizonMs = nowMs() - 7 * 24 * 3600 * 1000LL;
    int64_t oldest = nowMs();
    for (const RolloutChange &c : changes)
        if (c.atMs >= horizonMs)
            oldest = std::min(oldest, c.atMs);
    CanaryRollup rollup;
    readRunOutcomes(*pg, oldest - kCanaryMaxWindowMs, pos[0],
                    [&](const std::string &a, const std::string &v, int64_t at,
                        const RunOutcome &r) { rollup.add(a, v, at, r); });
    QJsonArray all;
    for (const RolloutChange &c : changes) {
        QJsonObject o{
            {QStringLiteral("action_id"), QString::fromStdString(c.actionId)},
            {QStringLiteral("kind"), QString::fromStdString(c.kind)},
            {QStringLiteral("actor"), QString::fromStdString(c.actor)},
            {QStringLiteral("reason"), QString::fromStdString(c.reason)},
            {QStringLiteral("at_ms"), qint64(c.atMs)},
            {QStringLiteral("before"),
             QJsonObject{{QStringLiteral("stable"), QString::fromStdString(c.stableBefore)},
                         {QStringLiteral("canary"), QString::fromStdString(c.canaryBefore)},
                         {QStringLiteral("weight"), c.weightBefore}}},
            {QStringLiteral("after"),
             QJsonObject{{QStringLiteral("stable"), QString::fromStdString(c.stableAfter)},
                         {QStringLiteral("canary"), QString::fromStdString(c.canaryAfter)},
                         {QStringLiteral("weight"), c.weightAfter}}},
            {QStringLiteral("in_flight"), QString::fromStdString(c.inFlight)},
            {QStringLiteral("killed_runs"), qint64(c.killedRuns)}};
        QString verdictText;
        if (!c.canaryBefore.empty() && c.atMs >= horizonMs) {
            const auto canaryMinutes = rollup.minutes(pos[0], c.canaryBefore, 0, c.atMs);
            const int64_t from = canaryMinutes.empty() ? c.atMs : canaryMinutes.front().first;
            const CanaryVerdict v =
                CanaryJudge::judge(rollup.arm(pos[0], c.stableBefore, from, c.atMs),
                                   rollup.arm(pos[0], c.canaryBefore, from, c.atMs), policy);
            o.insert(QStringLiteral("verdict"),
                     QLatin1String(CanaryJudge::decisionName(v.decision)));
            o.insert(QStringLiteral("verdict_reason"), v.reason);
            verdictText = QLatin1String(CanaryJudge::decisionName(v.decision));
        }
        all.append(o);
        if (!cl.flag("json"))
            std::cout << QDateTime::fromMSecsSinceEpoch(c.atMs, Qt::UTC)
                             .toString(Qt::ISODate)
                             .toStdString()
                      << "  " << printable(c.kind) << " by " << printable(c.actor) << ": "
                      << printable(c.canaryBefore.empty() ? "-" : c.canaryBefore) << " "
                      << c.weightBefore << " % -> "
                      << printable(c.canaryAfter.empty() ? "no canary" : c.canaryAfter) << " "
                      << c.weightAfter << " %"
                      << (verdictText.isEmpty()
                              ? ""
                              : "  (judge then: " + verdictText.toStdString() + ")")
                      << "\n    " << printable(c.reason) << "\n";
    }
    if (cl.flag("json"))
        std::cout << QJsonDocument(all).toJson(QJsonDocument::Indented).toStdString();
    else if (changes.empty())
        std::cout << "No change of the rollout of \"" << printable(pos[0]) << "\" is recorded.\n";
    return 0;
}

// The canary judge's verdict per agent with a canary: docs/canary-judge.md says how it decides.
int canaryCommand(const std::vector<std::string> &args) {
    if (!args.empty() && args[0] == "policy")
        return canaryPolicy({args.begin() + 1, args.end()});
    if (!args.empty() && args[0] == "history")
        return canaryHistory({args.begin() + 1, args.end()});
    CommandLine cl(args, with(kConnection, {"window"}), {"json"});
    const auto &pos = cl.positional();
    if (pos.size() > 1)
        throw UsageError("canary [AGENT] [--window DURATION] [--json]");
    std::optional<int64_t> fromUs;
    if (const auto window = cl.value("window"))
        fromUs = (nowMs() - parseDurationMs(*window)) * 1000;
    auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_PG"}));
    const auto comparisons = readCanaryComparisons(*pg, pos.empty() ? "" : pos[0], fromUs);
    if (!pos.empty() && comparisons.empty())
        throw StoreError("Agent \"" + pos[0] + "\" has no canary.");
    QJsonArray all;
    for (const CanaryComparison &c : comparisons) {
        const CanaryVerdict v = CanaryJudge::judge(c.stable, c.canary, c.policy);
        all.append(verdictJson(c, v));
        if (cl.flag("json"))
            continue;
        std::cout << printable(c.agent) << ": " << CanaryJudge::decisionName(v.decision) << " ("
                  << printable(c.canary.version) << " at " << c.weight << " % vs "
                  << printable(c.stable.version) << "; finished runs: " << c.canary.finished
                  << " canary, " << c.stable.finished << " stable)\n  "
                  << printable(v.reason.toStdString());
        if (v.decision == CanaryVerdict::Decision::Hold) {
            // The page's sentence, at the canary's pace over its window.
            const double minutes = std::max(1.0, double(nowMs() * 1000 - c.fromUs) / 60e6);
            std::cout << " "
                      << printable(CanaryText::moreRuns(v, double(c.canary.finished) / minutes)
                                       .toStdString());
        }
        std::cout << "\n";
        for (const CanaryMetric &m : v.metrics)
            std::cout << "  " << CanaryJudge::metricName(m.id) << ": "
                      << CanaryJudge::classificationName(m.classification) << ", "
                      << printable(m.reason.toStdString()) << " (p " << m.difference.pValue
                      << ")\n";
    }
    if (cl.flag("json"))
        std::cout << QJsonDocument(all).toJson(QJsonDocument::Indented).toStdString();
    else if (comparisons.empty())
        std::cout << "No agent has a canary.\n";
    return 0;
}

// pitwallctl audit [filters] [--limit N] [--csv|--json]: the audit trail, newest first.
int auditCommand(const std::vector<std::string> &args) {
    CommandLine cl(
        args, with(kConnection, {"actor", "kind", "target", "text", "since", "until", "limit"}),
        {"csv", "json", "pending"});
    if (!cl.positional().empty())
        throw UsageError("audit [--actor A] [--kind K] [--target T] [--text S] [--since TIME] "
                         "[--until TIME] [--pending] [--limit N] [--csv|--json]");
    if (cl.flag("csv") && cl.flag("json"))
        throw UsageError("audit prints --csv or --json, not both");
    AuditFilter filter;
    filter.actor = cl.value("actor").value_or("");
    filter.kind = cl.value("kind").value_or("");
    filter.target = cl.value("target").value_or("");
    filter.text = cl.value("text").value_or("");
    filter.pendingOnly = cl.flag("pending");
    for (const auto &[name, value] : {std::pair{"actor", &filter.actor},
                                      {"kind", &filter.kind},
                                      {"target", &filter.target},
                                      {"text", &filter.text}})
        if (value->size() > kMaxAuditFilterText)
            throw UsageError(std::string("--") + name + " is at most " +
                             std::to_string(kMaxAuditFilterText) + " bytes");
    if (const auto since = cl.value("since"))
        filter.fromMs = parseTimeMs(*since);
    if (const auto until = cl.value("until"))
        filter.toMs = parseTimeMs(*until);
    const long long limit = cl.integer("limit", 1, 1'000'000).value_or(100);
    auto pg = connectPostgres(postgresFrom(cl, {"PITWALL_PG"}));
    if (cl.flag("csv"))
        std::cout << auditCsvHeader();
    long long printed = 0;
    std::optional<AuditCursor> after;
    do {
        const AuditPage page =
            readAudit(*pg, filter, after, int(std::min<long long>(kMaxAuditPage, limit - printed)));
        for (const AuditEntry &e : page.entries) {
            if (cl.flag("csv")) {
                std::cout << auditCsvRow(e);
            } else if (cl.flag("json")) {
                std::cout << auditJsonLine(e);
            } else {
                std::cout << isoTimeUs(e.requestedUs) << "  " << printable(e.actor) << "  "
                          << printable(e.kind) << " " << printable(e.target) << "\n    "
                          << printable(e.reason) << "\n";
                for (const AuditChange &c : auditDiff(e.beforeJson, e.afterJson))
                    if (c.changed)
                        std::cout << "    " << printable(c.field.toStdString()) << ": "
                                  << printable(c.before.isEmpty() ? "(none)"
                                                                  : c.before.toStdString())
                                  << " -> "
                                  << printable(c.after.isEmpty() ? "(none)" : c.after.toStdString())
                                  << "\n";
                for (const QString &line : AuditText::outcome(e, nowMs()).split(QLatin1Char('\n')))
                    std::cout << "    " << line.toStdString() << "\n";
                const QString evidence = AuditText::evidence(e.evidenceJson);
                if (!evidence.isEmpty())
                    std::cout << "    the console showed: "
                              << printable(evidence.toStdString().substr(0, 2000)) << "\n";
            }
            ++printed;
        }
        after = page.next;
    } while (after && printed < limit);
    if (!cl.flag("csv") && !cl.flag("json") && printed == 0)
        std::cout << "No action matches.\n";
    return 0;
}

int runCommand(const std::vector<std::string> &args) {
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        std::cout << usage();
        return args.empty() ? 2 : 0;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        const std::string &c = args[0];
        if (c == "migrate")
            return migrate(rest);
        if (c == "sandbox")
            return sandbox(rest);
        if (c == "fleet")
            return fleet(rest);
        if (c == "kill")
            return kill(rest);
        if (c == "cap")
            return cap(rest);
        if (c == "spend")
            return spendCommand(rest);
        if (c == "rollout")
            return rollout(rest);
        if (c == "canary")
            return canaryCommand(rest);
        if (c == "breaker")
            return breaker(rest);
        if (c == "breakers")
            return breakersCommand(rest);
        if (c == "drain")
            return drain(rest);
        if (c == "audit")
            return auditCommand(rest);
        if (c == "import-otlp")
            return importOtlp(rest);
        throw UsageError("unknown command " + c);
    } catch (const UsageError &e) {
        std::cerr << "pitwallctl: " << printable(e.what()) << "\n\n" << usage();
        return 2;
    } catch (const ActionRefused &e) {
        std::cerr << "Refused: " << printable(e.what()) << "\n";
        return 1;
    } catch (const StoreError &e) {
        std::cerr << printable(e.what()) << "\n";
        return 1;
    } catch (const OtlpError &e) {
        std::cerr << "Not imported: " << printable(e.what()) << "\n";
        return 1;
    } catch (const std::exception &e) {
        std::cerr << "pitwallctl: " << printable(e.what()) << "\n";
        return 1;
    }
}

} // namespace pitwall

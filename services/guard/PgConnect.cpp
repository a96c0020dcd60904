#include "PgConnect.h"

#include "StoreError.h"

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include <utility>
#include <vector>

namespace pitwall {
namespace {

std::string firstLine(std::string text) {
    for (const char *prefix : {"FATAL:  ", "ERROR:  "}) {
        auto pos = text.find(prefix);
        if (pos != std::string::npos) {
            text = text.substr(pos + std::string_view(prefix).size());
            break;
        }
    }
    auto nl = text.find('\n');
    if (nl != std::string::npos)
        text = text.substr(0, nl);
    while (!text.empty() && (text.back() == ' ' || text.back() == '.'))
        text.pop_back();
    return text;
}

bool contains(const std::string &text, const char *needle) {
    return text.find(needle) != std::string::npos;
}

} // namespace

std::string withTimeout(const std::string &conninfo, int timeoutSeconds) {
    // A dead peer is noticed within about a minute (30 s idle, then 3 probes 10 s apart);
    // libpq ignores keepalives on unix sockets.
    std::vector<std::pair<std::string, std::string>> settings{
        {"connect_timeout", std::to_string(timeoutSeconds)},
        {"keepalives", "1"},
        {"keepalives_idle", "30"},
        {"keepalives_interval", "10"},
        {"keepalives_count", "3"}};
    const bool uri =
        conninfo.rfind("postgres://", 0) == 0 || conninfo.rfind("postgresql://", 0) == 0;
    std::string out = conninfo;
    for (const auto &[key, value] : settings) {
        if (contains(conninfo, key.c_str()))
            continue;
        if (uri)
            out += (contains(out, "?") ? "&" : "?") + key + "=" + value;
        else
            out += (out.empty() ? "" : " ") + key + "=" + value;
    }
    return out;
}

std::string limitsStatement(const PgLimits &limits) {
    return "SET statement_timeout = " + std::to_string(limits.statementMs) +
           "; SET lock_timeout = " + std::to_string(limits.lockMs) +
           "; SET idle_in_transaction_session_timeout = " +
           std::to_string(limits.idleInTransactionMs);
}

void PgConnectionDeleter::operator()(pqxx::connection_base *c) const noexcept {
    delete static_cast<pqxx::connection *>(c);
}

std::string describePostgres(const std::string &conninfo) {
    char *err = nullptr;
    PQconninfoOption *options = PQconninfoParse(conninfo.c_str(), &err);
    if (!options) {
        std::string why = err ? err : "unreadable";
        PQfreemem(err);
        return "PostgreSQL (connection string not readable: " + firstLine(why) + ")";
    }
    std::string host, port, db, user;
    for (auto *o = options; o->keyword; ++o) {
        const std::string key = o->keyword;
        const std::string value = o->val ? o->val : "";
        if (key == "host")
            host = value;
        else if (key == "port")
            port = value;
        else if (key == "dbname")
            db = value;
        else if (key == "user")
            user = value;
    }
    PQconninfoFree(options);
    auto env = [](const char *name) {
        const char *v = std::getenv(name);
        return std::string(v ? v : "");
    };
    if (host.empty())
        host = env("PGHOST");
    if (host.empty())
        host = "/var/run/postgresql";
    if (port.empty())
        port = env("PGPORT").empty() ? "5432" : env("PGPORT");
    if (user.empty())
        user = env("PGUSER");
    if (db.empty())
        db = env("PGDATABASE").empty() ? user : env("PGDATABASE");
    std::string where = host[0] == '/' ? host + " (port " + port + ")" : host + ":" + port;
    std::string s = "PostgreSQL at " + where;
    if (!db.empty())
        s += ", database " + db;
    if (!user.empty())
        s += ", user " + user;
    return s;
}

std::string explainPostgresError(const std::string &conninfo, const std::exception &e) {
    const std::string server = describePostgres(conninfo);
    const std::string text = e.what();
    const std::string line = firstLine(text);
    if (contains(text, "password authentication failed") || contains(text, "no password supplied"))
        return server + " refused the login: " + line +
               ". Check the user and password in --pg or PITWALL_PG.";
    if (contains(text, "does not exist") &&
        (contains(text, "schema \"pitwall\"") || contains(text, "relation \"pitwall.") ||
         contains(text, "function pitwall.")))
        return server + " has no Pitwall schema, or an older one: run `pitwallctl migrate` "
                        "against it.";
    if (contains(text, "permission denied for schema pitwall"))
        return server + ": this login holds no Pitwall role. Grant it pitwall_viewer, "
                        "pitwall_operator, pitwall_budget_owner or pitwall_agent.";
    if (contains(text, "does not exist") && contains(text, "database"))
        return server + ": " + line + ". Create it, or name another database in --pg.";
    if (contains(text, "role") && contains(text, "does not exist"))
        return server + ": " + line + ". Log in as an existing user.";
    // Which limit fired (PgLimits), by the server's words; each leaves the data as it was.
    if (contains(text, "canceling statement due to statement timeout"))
        return server + ": a statement ran longer than the statement_timeout and was cancelled; "
                        "nothing it was doing was saved. The server may be overloaded.";
    if (contains(text, "canceling statement due to lock timeout"))
        return server + ": waited longer than the lock_timeout for a row another session holds "
                        "locked, and gave up without changing anything. Try again.";
    if (contains(text, "idle-in-transaction timeout"))
        return server + ": the session sat in an open transaction longer than the "
                        "idle_in_transaction_session_timeout, and the server closed it.";
    if (contains(text, "timeout expired"))
        return "Cannot reach " + server +
               ": no answer within the connect timeout. Is the server up and the address right?";
    if (dynamic_cast<const pqxx::broken_connection *>(&e))
        return "Cannot reach " + server + ": " + line +
               ". Is the server running? Check --pg or PITWALL_PG.";
    return server + ": " + line + ".";
}

PgConnection connectPostgres(const std::string &conninfo, int timeoutSeconds, PgLimits limits) {
    try {
        PgConnection c(new pqxx::connection(withTimeout(conninfo, timeoutSeconds)));
        pqxx::nontransaction(*c).exec(limitsStatement(limits));
        return c;
    } catch (const std::exception &e) {
        throw StoreError(explainPostgresError(conninfo, e));
    }
}

} // namespace pitwall

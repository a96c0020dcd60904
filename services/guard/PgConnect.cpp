#include "PgConnect.h"

#include "StoreError.h"

#include <libpq-fe.h>
#include <pqxx/pqxx>

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
    if (contains(conninfo, "connect_timeout"))
        return conninfo;
    const std::string setting = "connect_timeout=" + std::to_string(timeoutSeconds);
    if (conninfo.rfind("postgres://", 0) == 0 || conninfo.rfind("postgresql://", 0) == 0)
        return conninfo + (contains(conninfo, "?") ? "&" : "?") + setting;
    return conninfo.empty() ? setting : conninfo + " " + setting;
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
    if (contains(text, "timeout expired"))
        return "Cannot reach " + server +
               ": no answer within the connect timeout. Is the server up and the address right?";
    if (dynamic_cast<const pqxx::broken_connection *>(&e))
        return "Cannot reach " + server + ": " + line +
               ". Is the server running? Check --pg or PITWALL_PG.";
    return server + ": " + line + ".";
}

PgConnection connectPostgres(const std::string &conninfo, int timeoutSeconds) {
    try {
        return PgConnection(new pqxx::connection(withTimeout(conninfo, timeoutSeconds)));
    } catch (const std::exception &e) {
        throw StoreError(explainPostgresError(conninfo, e));
    }
}

} // namespace pitwall

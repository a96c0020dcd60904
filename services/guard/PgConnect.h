#pragma once

#include <memory>
#include <string>

namespace pqxx {
class connection_base;
}

namespace pitwall {

// pqxx 6 names its connection type with a typedef, which cannot be forward-declared; callers
// see the base class, and this deleter knows the real type.
struct PgConnectionDeleter {
    void operator()(pqxx::connection_base *c) const noexcept;
};
using PgConnection = std::unique_ptr<pqxx::connection_base, PgConnectionDeleter>;

// What bounds a session, so that nothing waits for ever: a statement blocked behind a row
// lock, a transaction left open, a peer that vanished. Set on every connection right after it
// opens (a SET, which poolers pass through, rather than a startup option they may refuse).
// 0 means no limit; bulk writers (migrations, giant traces) lift the statement timeout only.
struct PgLimits {
    int statementMs = 30'000;
    int lockMs = 5'000;
    int idleInTransactionMs = 60'000;
    static PgLimits bulk() { return {0, 5'000, 60'000}; }
};

// Opens a libpq connection with a connect timeout (unless the string sets one) and TCP
// keepalives, sets the limits, and turns libpq's failure text into one sentence that names the
// server and says what to do.
PgConnection connectPostgres(const std::string &conninfo, int timeoutSeconds = 5,
                             PgLimits limits = {});

// The connection string with connect_timeout and keepalives added unless it sets them (for raw
// libpq use).
std::string withTimeout(const std::string &conninfo, int timeoutSeconds = 5);
// The SET statement that applies `limits` to a session (for raw libpq use).
std::string limitsStatement(const PgLimits &limits);

// "host:port/db as user" or "socket dir/db as user", for messages; never the password.
std::string describePostgres(const std::string &conninfo);

// Turns an exception from pqxx into a sentence for a person (used outside connect too).
std::string explainPostgresError(const std::string &conninfo, const std::exception &e);

} // namespace pitwall

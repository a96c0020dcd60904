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

// Opens a libpq connection with a connect timeout (unless the string sets one) and turns
// libpq's failure text into one sentence that names the server and says what to do.
PgConnection connectPostgres(const std::string &conninfo, int timeoutSeconds = 5);

// The connection string with connect_timeout added unless it sets one (for raw libpq use).
std::string withTimeout(const std::string &conninfo, int timeoutSeconds = 5);

// "host:port/db as user" or "socket dir/db as user", for messages; never the password.
std::string describePostgres(const std::string &conninfo);

// Turns an exception from pqxx into a sentence for a person (used outside connect too).
std::string explainPostgresError(const std::string &conninfo, const std::exception &e);

} // namespace pitwall

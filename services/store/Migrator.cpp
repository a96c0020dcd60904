#include "Migrator.h"

#include "PgConnect.h"
#include "StoreError.h"
#include "contract.h"

#include <pqxx/pqxx>

namespace pitwall {
namespace {

int versionOf(std::string_view name) {
    return std::atoi(std::string(name.substr(0, 4)).c_str());
}

// Any number will do, as long as every migrator uses the same one.
constexpr long long kMigrationLock = 0x7069747761ll;

} // namespace

int Migrator::latestVersion() {
    int latest = 0;
    for (const auto &m : contract::migrations())
        latest = std::max(latest, versionOf(m.name));
    return latest;
}

int Migrator::currentVersion(pqxx::connection_base &connection) {
    pqxx::read_transaction tx(connection);
    const auto exists = tx.exec1("SELECT to_regclass('pitwall.schema_migrations') IS NOT NULL,"
                                 " EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'pitwall')");
    if (!exists[0].as<bool>())
        return exists[1].as<bool>() ? 0 : -1;
    return tx.exec1("SELECT coalesce(max(version), 0) FROM pitwall.schema_migrations")[0].as<int>();
}

MigrationReport Migrator::migrate(const std::string &conninfo) {
    // A migration may rewrite a big table (0002 does): no statement timeout, but it gives up
    // rather than wait behind another session's lock.
    auto connection = connectPostgres(conninfo, 5, PgLimits::bulk());
    const std::string server = describePostgres(conninfo);
    MigrationReport report;
    try {
        pqxx::work tx(*connection);
        tx.exec("SET LOCAL client_min_messages = warning");
        tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")");
        tx.exec("CREATE SCHEMA IF NOT EXISTS pitwall");
        tx.exec("CREATE TABLE IF NOT EXISTS pitwall.schema_migrations ("
                " version int PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())");
        report.fromVersion =
            tx.exec1("SELECT coalesce(max(version), 0) FROM pitwall.schema_migrations")[0]
                .as<int>();
        const int latest = latestVersion();
        if (report.fromVersion > latest)
            throw StoreError(server + " has Pitwall schema version " +
                             std::to_string(report.fromVersion) +
                             ", newer than this program knows (" + std::to_string(latest) +
                             "): upgrade Pitwall, or point it at another database.");
        for (const auto &m : contract::migrations()) {
            const int version = versionOf(m.name);
            if (version <= report.fromVersion)
                continue;
            tx.exec(std::string(m.text));
            tx.exec_params("INSERT INTO pitwall.schema_migrations (version, name) VALUES ($1, $2)",
                           version, std::string(m.name));
            report.applied.emplace_back(m.name);
        }
        // The console shows the schema version to every role.
        tx.exec("GRANT USAGE ON SCHEMA pitwall TO pitwall_viewer, pitwall_agent");
        tx.exec("GRANT SELECT ON pitwall.schema_migrations TO pitwall_viewer, pitwall_agent");
        report.toVersion = std::max(report.fromVersion, latest);
        tx.commit();
    } catch (const StoreError &) {
        throw;
    } catch (const pqxx::sql_error &e) {
        if (e.sqlstate() == "42501")
            throw StoreError(server + " refused the migration (" + e.what() +
                             "): run `pitwallctl migrate` as the database owner or a superuser.");
        throw StoreError("Migrating " + server +
                         " failed, nothing was changed: " + explainPostgresError(conninfo, e));
    } catch (const std::exception &e) {
        throw StoreError(explainPostgresError(conninfo, e));
    }
    return report;
}

} // namespace pitwall

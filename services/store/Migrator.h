#pragma once

#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace pitwall {

struct MigrationReport {
    int fromVersion = 0;
    int toVersion = 0;
    std::vector<std::string> applied; // names of the migrations applied by this call
};

// Applies resources/sql migrations in one transaction, records them in
// pitwall.schema_migrations, and refuses a database whose schema is newer than this program.
class Migrator {
public:
    static int latestVersion();
    // Throws StoreError with a sentence for a person.
    static MigrationReport migrate(const std::string &conninfo);
    // -1: no pitwall schema at all; 0: schema without migrations; otherwise the version.
    static int currentVersion(pqxx::connection_base &connection);
};

} // namespace pitwall

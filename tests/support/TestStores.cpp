#include "TestStores.h"

#include "Clock.h"
#include "Migrator.h"
#include "PgConnect.h"
#include "RedisConnection.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <stdexcept>

namespace pitwall::test {
namespace {

std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
}

std::string uniqueName(const std::string &stem) {
    std::string id = newUuid();
    id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
    return stem + id.substr(0, 12);
}

} // namespace

TestStores::TestStores()
    : m_admin(env("PITWALL_TEST_PG"))
    , m_redisUrl(env("PITWALL_TEST_REDIS")) {
    if (m_admin.empty() || m_redisUrl.empty())
        throw std::runtime_error("PITWALL_TEST_PG and PITWALL_TEST_REDIS are not set: run the "
                                 "tests with scripts/test.sh, which starts the servers.");
    m_redis = RedisEndpoint::parse(m_redisUrl);
    m_prefix = uniqueName("pwtest:") + ":";
    m_database = createDatabase();
    Migrator::migrate(pg());
    auto c = connectPostgres(pg());
    pqxx::work tx(*c);
    tx.exec(R"sql(
DO $$
DECLARE
  logins text[][] := ARRAY[['pw_test_viewer', 'pitwall_viewer'],
    ['pw_test_operator', 'pitwall_operator'], ['pw_test_budget', 'pitwall_budget_owner'],
    ['pw_test_agent', 'pitwall_agent'], ['pw_test_nobody', '']];
  i int;
BEGIN
  FOR i IN 1 .. array_length(logins, 1) LOOP
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = logins[i][1]) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', logins[i][1]);
        IF logins[i][2] <> '' THEN
          EXECUTE format('GRANT %I TO %I', logins[i][2], logins[i][1]);
        END IF;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- another test process created it at the same moment
    END;
  END LOOP;
END $$;
)sql");
    tx.commit();
}

TestStores::~TestStores() {
    try {
        auto c = connectPostgres(m_admin);
        pqxx::nontransaction tx(*c);
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(m_database) + " WITH (FORCE)");
        for (const auto &db : m_extraDatabases)
            tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(db) + " WITH (FORCE)");
    } catch (const std::exception &) {
    }
    try {
        RedisConnection r(m_redis);
        std::string cursor = "0";
        do {
            auto page = r.command({"SCAN", cursor, "MATCH", m_prefix + "*", "COUNT", "1000"});
            cursor = page.elements.at(0).str;
            for (const auto &key : page.elements.at(1).elements)
                r.command({"DEL", key.str});
        } while (cursor != "0");
    } catch (const std::exception &) {
    }
}

std::string TestStores::createEmptyDatabase() {
    return m_admin + " dbname=" + createDatabase();
}

std::string TestStores::createDatabase() {
    const std::string name = uniqueName("pw_test_");
    auto c = connectPostgres(m_admin);
    pqxx::nontransaction tx(*c);
    tx.exec("CREATE DATABASE " + tx.quote_name(name));
    if (!m_database.empty())
        m_extraDatabases.push_back(name);
    return name;
}

std::string TestStores::pg(const std::string &user) const {
    std::string s = m_admin + " dbname=" + m_database;
    if (!user.empty())
        s += " user=" + user;
    return s;
}

} // namespace pitwall::test

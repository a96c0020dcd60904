#pragma once

#include "RedisEndpoint.h"

#include <string>
#include <vector>

namespace pitwall::test {

// A fresh, migrated database and a private Redis key prefix for one test, on the servers
// that scripts/test.sh started. Dropped and deleted again on destruction.
class TestStores {
public:
    // Logins created once per cluster, each holding one role ("nobody" holds none).
    static constexpr const char *kViewer = "pw_test_viewer";
    static constexpr const char *kOperator = "pw_test_operator";
    static constexpr const char *kBudgetOwner = "pw_test_budget";
    static constexpr const char *kAgent = "pw_test_agent";
    static constexpr const char *kNobody = "pw_test_nobody";

    TestStores(); // throws std::runtime_error with a sentence when the servers are missing
    ~TestStores();
    TestStores(const TestStores &) = delete;
    TestStores &operator=(const TestStores &) = delete;

    // A connection string to the test database as `user` (the superuser when empty).
    std::string pg(const std::string &user = {}) const;
    // Another database, empty and not migrated (dropped with the rest): its connection string.
    std::string createEmptyDatabase();
    const RedisEndpoint &redis() const { return m_redis; }
    const std::string &redisUrl() const { return m_redisUrl; }
    const std::string &prefix() const { return m_prefix; }

private:
    std::string createDatabase();

    std::string m_admin;
    std::string m_redisUrl;
    RedisEndpoint m_redis;
    std::string m_database;
    std::string m_prefix;
    std::vector<std::string> m_extraDatabases;
};

} // namespace pitwall::test

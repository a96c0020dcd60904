#pragma once

// A GUI test's whole console against the test's own stores, with a simulated fleet writing
// through the guard until the test ends: the setting of every page test.

#include "ConsoleFixture.h"
#include "ConsoleSession.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "PgConnect.h"
#include "TestStores.h"

#include <QTest>

#include <pqxx/pqxx>

#include <atomic>
#include <string>
#include <thread>

namespace pitwall::test {

class ConsoleWithFleet {
public:
    TestStores stores;
    MainWindow window;
    ConsoleSession session{&window};

    ConsoleWithFleet() { window.resize(1500, 950); }
    ~ConsoleWithFleet() {
        session.shutdown();
        m_stop = true;
        if (m_fleet.joinable())
            m_fleet.join();
    }

    // Starts the fleet (options from quietFleet(stores), the test's changes made) and returns
    // once it has registered its agents.
    void startFleet(const FleetOptions &options) {
        m_fleet = std::thread([this, options] {
            Fleet f(options);
            f.seed();
            m_seeded = true;
            f.run(m_stop);
        });
        QTRY_VERIFY_WITH_TIMEOUT(m_seeded.load(), 20000);
    }
    // Shows the window on `page` and connects the console as `login`.
    void connectAs(const char *login, int page) {
        window.show();
        window.showPage(page);
        session.connectTo(consoleSettings(stores, login));
    }
    // The first column of the first row of a query as the superuser, "" for none or null.
    std::string sql(const std::string &query) {
        auto c = connectPostgres(stores.pg());
        pqxx::read_transaction tx(*c);
        const auto r = tx.exec(query);
        return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
    }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_seeded{false};
    std::thread m_fleet;
};

} // namespace pitwall::test

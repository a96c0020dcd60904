#include "Migrator.h"
#include "PgConnect.h"
#include "StoreError.h"
#include "TestStores.h"
#include "contract.h"

#include <QTest>

#include <pqxx/pqxx>

using namespace pitwall;

class TestMigrations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void freshDatabaseTwice() {
        test::TestStores stores;
        const std::string db = stores.createEmptyDatabase();
        {
            auto c = connectPostgres(db);
            QCOMPARE(Migrator::currentVersion(*c), -1);
        }
        const MigrationReport first = Migrator::migrate(db);
        QCOMPARE(first.fromVersion, 0);
        QCOMPARE(first.toVersion, Migrator::latestVersion());
        QVERIFY(!first.applied.empty());
        QCOMPARE(first.applied.front(), std::string("0001_contract"));

        const MigrationReport second = Migrator::migrate(db);
        QVERIFY2(second.applied.empty(), "the second run applied something again");
        QCOMPARE(second.fromVersion, Migrator::latestVersion());

        auto c = connectPostgres(db);
        pqxx::read_transaction tx(*c);
        QCOMPARE(tx.exec1("SELECT count(*) FROM pitwall.schema_migrations")[0].as<int>(),
                 Migrator::latestVersion());
        // Every table and action function of the contract is there.
        for (const char *table : {"agent_versions", "rollouts", "slo_targets", "runs", "spans",
                                  "spend_caps", "breaker_events", "actions", "canary_policy"})
            QVERIFY2(tx.exec_params1("SELECT to_regclass($1) IS NOT NULL",
                                     std::string("pitwall.") + table)[0]
                         .as<bool>(),
                     table);
        for (const char *fn :
             {"act_kill_run", "act_set_cap", "act_set_canary_weight", "act_promote", "act_rollback",
              "act_override_breaker", "act_set_canary_policy"})
            QVERIFY2(tx.exec_params1("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON"
                                     " n.oid = p.pronamespace WHERE n.nspname = 'pitwall' AND"
                                     " p.proname = $1 AND p.prosecdef",
                                     std::string(fn))[0]
                             .as<int>() >= 1,
                     fn);
        for (const char *role :
             {"pitwall_viewer", "pitwall_operator", "pitwall_budget_owner", "pitwall_agent"})
            QVERIFY2(!tx.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", std::string(role))
                          .empty(),
                     role);
    }

    // A database at schema version 1 with spans in it: migration 0002 adds the tool-argument
    // hash to the spans already there, and every later write (insert or update) keeps it.
    void version1WithSpansIsUpgraded() {
        test::TestStores stores;
        const std::string db = stores.createEmptyDatabase();
        {
            auto c = connectPostgres(db);
            pqxx::work tx(*c);
            tx.exec("SET LOCAL client_min_messages = warning");
            tx.exec("CREATE SCHEMA pitwall");
            tx.exec("CREATE TABLE pitwall.schema_migrations (version int PRIMARY KEY, name text "
                    "NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            for (const auto &m : contract::migrations())
                if (m.name == "0001_contract")
                    tx.exec(std::string(m.text));
            tx.exec("INSERT INTO pitwall.schema_migrations VALUES (1, '0001_contract')");
            tx.exec("INSERT INTO pitwall.spans (trace_id, span_id, name, kind, started_at, input) "
                    "VALUES ('t', 'a', 'execute_tool crm', 'tool', 1, '{\"customer\":\"C-1\"}'), "
                    "('t', 'b', 'chat', 'llm', 2, 'hello'), ('t', 'c', 'execute_tool x', 'tool', "
                    "3, NULL)");
            tx.commit();
        }
        const MigrationReport report = Migrator::migrate(db);
        QCOMPARE(report.fromVersion, 1);
        QCOMPARE(report.applied,
                 (std::vector<std::string>{"0002_span_args_hash", "0003_hardening", "0004_canary",
                                           "0005_spend", "0006_board"}));
        auto c = connectPostgres(db);
        pqxx::work tx(*c);
        auto hashOf = [&tx](const char *span) {
            return tx
                .exec1(std::string("SELECT coalesce(args_hash::text, 'null') FROM "
                                   "pitwall.spans WHERE span_id = '") +
                       span + "'")[0]
                .as<std::string>();
        };
        auto hashText = [&tx](const char *text) {
            return tx.exec1(std::string("SELECT hashtextextended(") + text + ", 0)::text")[0]
                .as<std::string>();
        };
        QCOMPARE(hashOf("a"), hashText("'{\"customer\":\"C-1\"}'"));
        QCOMPARE(hashOf("b"), std::string("null")); // not a tool call
        QCOMPARE(hashOf("c"), hashText("''"));      // a tool call without arguments
        tx.exec("UPDATE pitwall.spans SET input = 'other' WHERE span_id = 'a'");
        QCOMPARE(hashOf("a"), hashText("'other'"));
        tx.exec("INSERT INTO pitwall.spans (trace_id, span_id, name, kind, started_at, input) "
                "VALUES ('t', 'd', 'execute_tool crm', 'tool', 4, 'other')");
        QCOMPARE(hashOf("d"), hashOf("a"));
    }

    void newerSchemaIsRefused() {
        test::TestStores stores;
        {
            auto c = connectPostgres(stores.pg());
            pqxx::work tx(*c);
            tx.exec("INSERT INTO pitwall.schema_migrations (version, name) VALUES (999, 'future')");
            tx.commit();
        }
        try {
            Migrator::migrate(stores.pg());
            QFAIL("a newer schema was accepted");
        } catch (const StoreError &e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(QStringLiteral("version 999")), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("newer than this program")),
                     qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("PostgreSQL at")), qPrintable(message));
        }
    }

    void failedMigrationChangesNothing() {
        test::TestStores stores;
        // A viewer may not create anything: the migration fails as a whole, with a clear message.
        const std::string db = stores.createEmptyDatabase();
        try {
            Migrator::migrate(db + " user=" + test::TestStores::kViewer);
            QFAIL("a viewer could migrate");
        } catch (const StoreError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("PostgreSQL at")),
                     e.what());
        }
        auto c = connectPostgres(db);
        QCOMPARE(Migrator::currentVersion(*c), -1);
    }

    void unreachableServerIsOneSentence() {
        try {
            Migrator::migrate("host=/nonexistent/socket/dir dbname=x user=y");
            QFAIL("connected to nothing");
        } catch (const StoreError &e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith(QStringLiteral("Cannot reach PostgreSQL at /nonexistent")),
                     qPrintable(message));
            QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("PITWALL_PG")), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "test_migrations.moc"

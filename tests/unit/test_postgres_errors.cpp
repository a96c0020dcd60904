#include "PgConnect.h"

#include <QTest>

#include <pqxx/except>

using namespace pitwall;

// libpq's and the server's texts become one sentence that names the server and says what to
// do. The texts below are what libpq 15 and PostgreSQL 15 really print.
class TestPostgresErrors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void explains_data() {
        QTest::addColumn<bool>("broken");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong password")
            << true
            << "connection to server at \"db.internal\" (10.0.0.7), port 5432 failed: FATAL:  "
               "password authentication failed for user \"oncall\"\n"
            << "PostgreSQL at db.internal:5432, database agents, user oncall refused the login: "
               "password authentication failed for user \"oncall\". Check the user and password "
               "in --pg or PITWALL_PG.";
        QTest::newRow("server down")
            << true
            << "connection to server at \"db.internal\" (10.0.0.7), port 5432 failed: Connection "
               "refused\n\tIs the server running on that host and accepting TCP/IP connections?\n"
            << "Cannot reach PostgreSQL at db.internal:5432, database agents, user oncall: "
               "connection to server at \"db.internal\" (10.0.0.7), port 5432 failed: Connection "
               "refused. Is the server running? Check --pg or PITWALL_PG.";
        QTest::newRow("timeout") << true << "timeout expired\n"
                                 << "Cannot reach PostgreSQL at db.internal:5432, database agents, "
                                    "user oncall: no answer within the connect timeout. Is the "
                                    "server up and the address right?";
        QTest::newRow("no schema")
            << false << "ERROR:  function pitwall.act_kill_run(uuid, uuid, text) does not exist\n"
            << "PostgreSQL at db.internal:5432, database agents, user oncall has no Pitwall "
               "schema, or an older one: run `pitwallctl migrate` against it.";
        QTest::newRow("no role") << false << "ERROR:  permission denied for schema pitwall\n"
                                 << "PostgreSQL at db.internal:5432, database agents, user oncall: "
                                    "this login holds no Pitwall role. Grant it pitwall_viewer, "
                                    "pitwall_operator, pitwall_budget_owner or pitwall_agent.";
        QTest::newRow("no database")
            << true
            << "connection to server at \"db.internal\" (10.0.0.7), port 5432 failed: FATAL:  "
               "database \"agents\" does not exist\n"
            << "PostgreSQL at db.internal:5432, database agents, user oncall: database \"agents\" "
               "does not exist. Create it, or name another database in --pg.";
    }
    void explains() {
        QFETCH(bool, broken);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string conninfo = "host=db.internal dbname=agents user=oncall password=hunter2";
        const std::string sentence =
            broken ? explainPostgresError(conninfo, pqxx::broken_connection(text.toStdString()))
                   : explainPostgresError(conninfo, pqxx::sql_error(text.toStdString()));
        QCOMPARE(QString::fromStdString(sentence), expected);
        QVERIFY(!QString::fromStdString(sentence).contains(QStringLiteral("hunter2")));
        QVERIFY(!QString::fromStdString(sentence).contains(QLatin1Char('\n')));
    }
};

QTEST_GUILESS_MAIN(TestPostgresErrors)
#include "test_postgres_errors.moc"

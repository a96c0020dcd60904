#include "Sandbox.h"

#include "Migrator.h"
#include "PgConnect.h"
#include "RedisConnection.h"
#include "StoreError.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <pqxx/pqxx>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pitwall {
namespace {

bool isRoot() {
    return ::geteuid() == 0;
}

// The unprivileged user that runs the servers when we are root.
const char *kServerUser = "postgres";

QString serverUserHome() {
    return QStringLiteral("/");
}

[[noreturn]] void fail(const QString &sentence) {
    throw StoreError(sentence.toStdString());
}

QString conninfo(const QString &dir, const QString &user) {
    return QStringLiteral("host=%1/pg dbname=pitwall user=%2").arg(dir, user);
}

void chownToServerUser(const QString &path) {
    if (!isRoot())
        return;
    const passwd *pw = ::getpwnam(kServerUser);
    if (pw && ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) != 0)
        fail(
            QStringLiteral("Cannot hand %1 to the %2 user.").arg(path, QLatin1String(kServerUser)));
}

} // namespace

QString SandboxInfo::environment() const {
    return QStringLiteral("export PITWALL_PG='%1'\nexport PITWALL_REDIS='%2'\n"
                          "export PITWALL_AGENT_PG='%3'\n"
                          "# other logins: viewer '%4', operator '%5', budget owner '%6', "
                          "superuser '%7'\n")
        .arg(console, redis, agent, viewer, operatorLogin, budgetOwner, admin);
}

Sandbox::Sandbox(QString dir)
    : m_dir(QDir(dir).absolutePath()) {}

QString Sandbox::defaultDir() {
    // As root the home folder is closed to the server user: use a folder it can enter.
    if (isRoot())
        return QStringLiteral("/var/tmp/pitwall-sandbox");
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return data + QStringLiteral("/pitwall/sandbox");
}

SandboxInfo Sandbox::info() const {
    SandboxInfo i;
    i.dir = m_dir;
    i.redis = QStringLiteral("unix://%1/redis/redis.sock").arg(m_dir);
    i.console = conninfo(m_dir, QStringLiteral("oncall"));
    i.agent = conninfo(m_dir, QStringLiteral("agent"));
    i.viewer = conninfo(m_dir, QStringLiteral("viewer"));
    i.operatorLogin = conninfo(m_dir, QStringLiteral("operator"));
    i.budgetOwner = conninfo(m_dir, QStringLiteral("budget_owner"));
    i.admin = conninfo(m_dir, QStringLiteral("postgres"));
    return i;
}

QString Sandbox::pgBin(const QString &tool) const {
    QDir lib(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = lib.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : versions) {
        const QString path = lib.filePath(v + QStringLiteral("/bin/") + tool);
        if (QFileInfo(path).isExecutable())
            return path;
    }
    const QString onPath = QStandardPaths::findExecutable(tool);
    if (onPath.isEmpty())
        fail(QStringLiteral("The PostgreSQL server (%1) is not installed: install the package "
                            "postgresql (sudo apt-get install postgresql).")
                 .arg(tool));
    return onPath;
}

void Sandbox::run(const QString &program, const QStringList &args, const QString &what) const {
    QProcess p;
    p.setWorkingDirectory(serverUserHome());
    if (isRoot()) {
        p.setProgram(QStringLiteral("runuser"));
        p.setArguments(QStringList{QStringLiteral("-u"), QLatin1String(kServerUser),
                                   QStringLiteral("--"), program} +
                       args);
    } else {
        p.setProgram(program);
        p.setArguments(args);
    }
    p.start();
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        const QString out =
            QString::fromLocal8Bit(p.readAllStandardError() + p.readAllStandardOutput())
                .trimmed()
                .section(QLatin1Char('\n'), -3);
        fail(QStringLiteral("Could not %1: %2").arg(what, out.isEmpty() ? p.errorString() : out));
    }
}

bool Sandbox::isRunning() const {
    return QFileInfo::exists(m_dir + QStringLiteral("/pg/data/postmaster.pid")) &&
           QFileInfo::exists(m_dir + QStringLiteral("/redis/redis.sock"));
}

SandboxInfo Sandbox::up(const Progress &progress) {
    auto say = [&](const QString &s) {
        if (progress)
            progress(s);
    };
    if (m_dir.size() > 80)
        fail(QStringLiteral("The sandbox folder %1 is too long for unix sockets (80 characters at "
                            "most): choose a shorter one with --dir.")
                 .arg(m_dir));
    if (!QDir().mkpath(m_dir))
        fail(QStringLiteral("Cannot create the sandbox folder %1.").arg(m_dir));
    if (isRoot()) {
        if (!::getpwnam(kServerUser))
            fail(QStringLiteral("There is no %1 user to run the servers as: install the package "
                                "postgresql.")
                     .arg(QLatin1String(kServerUser)));
        // The server user must be able to walk down to the folder.
        for (QString p = m_dir; p != QLatin1String("/"); p = QFileInfo(p).path()) {
            struct stat st {};
            if (::stat(QFile::encodeName(p).constData(), &st) == 0 && !(st.st_mode & S_IXOTH)) {
                if (p == m_dir)
                    ::chmod(QFile::encodeName(p).constData(), st.st_mode | S_IXOTH | S_IROTH);
                else
                    fail(QStringLiteral("The %1 user cannot enter %2, a parent of the sandbox "
                                        "folder: choose a folder under /var/tmp with --dir.")
                             .arg(QLatin1String(kServerUser), p));
            }
        }
    }
    startPostgres(progress);
    startRedis(progress);
    prepareDatabase(progress);
    say(QStringLiteral("Sandbox ready in %1").arg(m_dir));
    return info();
}

void Sandbox::startPostgres(const Progress &progress) {
    const QString pgDir = m_dir + QStringLiteral("/pg");
    const QString data = pgDir + QStringLiteral("/data");
    QDir().mkpath(pgDir);
    chownToServerUser(pgDir);
    if (!QFileInfo::exists(data + QStringLiteral("/PG_VERSION"))) {
        if (progress)
            progress(QStringLiteral("Creating a PostgreSQL cluster in %1").arg(data));
        run(pgBin(QStringLiteral("initdb")),
            {QStringLiteral("-D"), data, QStringLiteral("-U"), QStringLiteral("postgres"),
             QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
             QStringLiteral("--locale=C.UTF-8")},
            QStringLiteral("create the PostgreSQL cluster"));
    }
    if (QFileInfo::exists(data + QStringLiteral("/postmaster.pid")) &&
        QFileInfo::exists(pgDir + QStringLiteral("/.s.PGSQL.5432")))
        return;
    if (progress)
        progress(QStringLiteral("Starting PostgreSQL"));
    run(pgBin(QStringLiteral("pg_ctl")),
        {QStringLiteral("-D"), data, QStringLiteral("-l"), pgDir + QStringLiteral("/log"),
         QStringLiteral("-w"), QStringLiteral("-o"),
         QStringLiteral("-k %1 -c listen_addresses='' -c fsync=off -c max_connections=200")
             .arg(pgDir),
         QStringLiteral("start")},
        QStringLiteral("start PostgreSQL (see %1/log)").arg(pgDir));
}

void Sandbox::startRedis(const Progress &progress) {
    const QString redisDir = m_dir + QStringLiteral("/redis");
    const QString socket = redisDir + QStringLiteral("/redis.sock");
    if (QFileInfo::exists(socket))
        return;
    const QString server = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (server.isEmpty())
        fail(QStringLiteral("The Redis server is not installed: install the package redis-server "
                            "(sudo apt-get install redis-server)."));
    QDir().mkpath(redisDir);
    chownToServerUser(redisDir);
    if (progress)
        progress(QStringLiteral("Starting Redis"));
    run(server,
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--unixsocket"), socket,
         QStringLiteral("--unixsocketperm"), QStringLiteral("770"), QStringLiteral("--save"),
         QString(), QStringLiteral("--appendonly"), QStringLiteral("no"),
         QStringLiteral("--daemonize"), QStringLiteral("yes"), QStringLiteral("--pidfile"),
         redisDir + QStringLiteral("/redis.pid"), QStringLiteral("--logfile"),
         redisDir + QStringLiteral("/log"), QStringLiteral("--dir"), redisDir},
        QStringLiteral("start Redis (see %1/log)").arg(redisDir));
    for (int i = 0; i < 100 && !QFileInfo::exists(socket); ++i)
        QThread::msleep(20);
    if (!QFileInfo::exists(socket))
        fail(
            QStringLiteral("Redis did not open its socket %1 (see %2/log).").arg(socket, redisDir));
}

void Sandbox::prepareDatabase(const Progress &progress) {
    const QString adminDb = QStringLiteral("host=%1/pg dbname=postgres user=postgres").arg(m_dir);
    {
        auto c = connectPostgres(adminDb.toStdString());
        pqxx::nontransaction tx(*c);
        if (tx.exec("SELECT 1 FROM pg_database WHERE datname = 'pitwall'").empty())
            tx.exec("CREATE DATABASE pitwall");
    }
    if (progress)
        progress(QStringLiteral("Migrating the database"));
    const SandboxInfo i = info();
    Migrator::migrate(i.admin.toStdString());
    auto c = connectPostgres(i.admin.toStdString());
    pqxx::work tx(*c);
    tx.exec(R"sql(
DO $$
DECLARE
  logins text[][] := ARRAY[
    ['oncall', 'pitwall_operator, pitwall_budget_owner'],
    ['viewer', 'pitwall_viewer'], ['operator', 'pitwall_operator'],
    ['budget_owner', 'pitwall_budget_owner'], ['agent', 'pitwall_agent']];
  i int;
BEGIN
  FOR i IN 1 .. array_length(logins, 1) LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = logins[i][1]) THEN
      EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %s', logins[i][1], logins[i][2]);
    END IF;
  END LOOP;
END $$;
)sql");
    // Defaults a new user can see and change: a global and a per-user daily cap.
    if (tx.exec("SELECT 1 FROM pitwall.spend_caps").empty()) {
        tx.exec("SELECT pitwall.act_set_cap(gen_random_uuid(), 'global', '*', 2000, NULL, NULL,"
                " 0, 'sandbox default')");
        tx.exec("SELECT pitwall.act_set_cap(gen_random_uuid(), 'user', '*', 5, 1, NULL, 0,"
                " 'sandbox default: every user without a cap of their own')");
    }
    tx.commit();
    QFile env(m_dir + QStringLiteral("/env"));
    if (env.open(QIODevice::WriteOnly | QIODevice::Truncate))
        env.write(i.environment().toUtf8());
}

void Sandbox::down() {
    const QString pgDir = m_dir + QStringLiteral("/pg");
    if (QFileInfo::exists(pgDir + QStringLiteral("/data/postmaster.pid")))
        run(pgBin(QStringLiteral("pg_ctl")),
            {QStringLiteral("-D"), pgDir + QStringLiteral("/data"), QStringLiteral("-m"),
             QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("stop")},
            QStringLiteral("stop PostgreSQL"));
    const QString socket = m_dir + QStringLiteral("/redis/redis.sock");
    if (QFileInfo::exists(socket)) {
        RedisEndpoint endpoint;
        endpoint.socketPath = socket.toStdString();
        try {
            RedisConnection(endpoint).command({"SHUTDOWN", "NOSAVE"});
        } catch (const StoreError &) {
            // SHUTDOWN closes the connection without a reply: that is the success case.
        }
        QFile::remove(socket);
    }
}

} // namespace pitwall

#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace pitwall {

// Connection strings of a running sandbox, one per login the sandbox creates.
struct SandboxInfo {
    QString dir;
    QString redis;   // unix:///DIR/redis/redis.sock
    QString console; // oncall: operator and budget owner, what the console uses
    QString agent;   // what agents and the fleet use
    QString viewer;
    QString operatorLogin;
    QString budgetOwner;
    QString admin; // the superuser, for migrations and tests

    // `export PITWALL_PG=...` lines for a shell.
    QString environment() const;
};

// Private PostgreSQL and Redis servers on unix sockets in a folder, started from the installed
// binaries, migrated, with a login per role. As root the servers run as the `postgres` user.
class Sandbox {
public:
    using Progress = std::function<void(const QString &)>;

    explicit Sandbox(QString dir = defaultDir());
    static QString defaultDir();

    // Starts what is not running (idempotent). Throws StoreError saying what is missing.
    SandboxInfo up(const Progress &progress = {});
    void down();
    bool isRunning() const;
    SandboxInfo info() const;
    const QString &dir() const { return m_dir; }

private:
    QString pgBin(const QString &tool) const;
    void run(const QString &program, const QStringList &args, const QString &what) const;
    void startPostgres(const Progress &progress);
    void startRedis(const Progress &progress);
    void prepareDatabase(const Progress &progress);

    QString m_dir;
};

} // namespace pitwall

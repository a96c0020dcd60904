#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace pitwall::test {

// A Redis server of a test's own, on a unix socket in a private folder, to stop and start
// again (the shared test server must stay up for the other tests).
class PrivateRedis {
public:
    PrivateRedis()
        : m_dir(QStringLiteral("/tmp/pw-redis-XXXXXX")) {}
    ~PrivateRedis() { stop(); }
    bool start() {
        return QProcess::execute(
                   QStringLiteral("redis-server"),
                   {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--unixsocket"),
                    socket(), QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                    QStringLiteral("no"), QStringLiteral("--daemonize"), QStringLiteral("yes"),
                    QStringLiteral("--pidfile"), m_dir.filePath(QStringLiteral("r.pid")),
                    QStringLiteral("--dir"), m_dir.path()}) == 0;
    }
    void stop() {
        QProcess::execute(
            QStringLiteral("redis-cli"),
            {QStringLiteral("-s"), socket(), QStringLiteral("shutdown"), QStringLiteral("nosave")});
    }
    QString socket() const { return m_dir.filePath(QStringLiteral("r.sock")); }
    QString url() const { return QStringLiteral("unix://") + socket(); }

private:
    QTemporaryDir m_dir;
};

} // namespace pitwall::test

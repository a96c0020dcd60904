#include "ConnectionStrings.h"

#include "RedisEndpoint.h"

#include <QStringList>

#include <libpq-fe.h>

namespace pitwall {
namespace {

// A value for a libpq keyword=value string: quoted, with ' and \ escaped.
QString quoted(const QString &value) {
    QString v = value;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    v.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

bool plain(const QString &value) {
    if (value.isEmpty())
        return false;
    for (QChar c : value)
        if (c.isSpace() || c == QLatin1Char('\'') || c == QLatin1Char('\\'))
            return false;
    return true;
}

} // namespace

void fillFromEnvironment(ConnectionSettings &s) {
    if (s.postgres.isEmpty())
        s.postgres = qEnvironmentVariable("PITWALL_PG");
    // A libpq service file keeps the password out of argv and environment alike.
    if (s.postgres.isEmpty() && !qEnvironmentVariable("PGSERVICE").isEmpty())
        s.postgres = QStringLiteral("service=") + qEnvironmentVariable("PGSERVICE");
    if (s.redis.isEmpty())
        s.redis = qEnvironmentVariable("PITWALL_REDIS");
    const QString prefix = qEnvironmentVariable("PITWALL_REDIS_PREFIX");
    if (!prefix.isEmpty())
        s.keyPrefix = prefix;
}

ConnectionSettings::Credential splitPostgres(const QString &conninfo) {
    ConnectionSettings::Credential c;
    char *error = nullptr;
    const QByteArray text = conninfo.toUtf8();
    PQconninfoOption *options = PQconninfoParse(text.constData(), &error);
    if (!options) {
        PQfreemem(error);
        return c;
    }
    QStringList parts;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString key = QString::fromUtf8(o->keyword), value = QString::fromUtf8(o->val);
        if (key == QLatin1String("password")) {
            c.password = value;
            continue;
        }
        parts << key + QLatin1Char('=') + (plain(value) ? value : quoted(value));
    }
    PQconninfoFree(options);
    c.address = parts.join(QLatin1Char(' '));
    return c;
}

ConnectionSettings::Credential splitRedis(const QString &url) {
    ConnectionSettings::Credential c;
    try {
        const RedisEndpoint e = RedisEndpoint::parse(url.toStdString());
        c.address = QString::fromStdString(e.url(false));
        c.password = QString::fromStdString(e.password);
    } catch (const std::exception &) {
        // Not readable: nothing is stored.
    }
    return c;
}

QString joinPostgres(const QString &address, const QString &password) {
    if (password.isEmpty())
        return address;
    return address + (address.isEmpty() ? QString() : QStringLiteral(" ")) +
           QStringLiteral("password=") + quoted(password);
}

QString joinRedis(const QString &address, const QString &password) {
    if (password.isEmpty())
        return address;
    try {
        RedisEndpoint e = RedisEndpoint::parse(address.toStdString());
        e.password = password.toStdString();
        return QString::fromStdString(e.url(true));
    } catch (const std::exception &) {
        return address;
    }
}

ConnectionGrammar connectionGrammar() {
    ConnectionGrammar g;
    g.splitPostgres = splitPostgres;
    g.splitRedis = splitRedis;
    g.joinPostgres = joinPostgres;
    g.joinRedis = joinRedis;
    g.redisProblem = [](const QString &url) {
        try {
            RedisEndpoint::parse(url.toStdString());
            return QString();
        } catch (const std::exception &e) {
            return QString::fromStdString(e.what());
        }
    };
    return g;
}

} // namespace pitwall

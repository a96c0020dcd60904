#include "RememberedConnection.h"

#include "ConnectionStrings.h"
#include "SecretStore.h"

#include <QSettings>

#include <utility>

namespace pitwall {

QString RememberedConnection::remember(const ConnectionSettings &settings) {
    const auto pg = splitPostgres(settings.postgres);
    const auto redis = splitRedis(settings.redis);
    QSettings stored;
    stored.setValue(QStringLiteral("connection/postgres"), pg.address);
    stored.setValue(QStringLiteral("connection/redis"), redis.address);
    SecretStore keychain;
    QString problem;
    for (const auto &[kind, c] :
         {std::pair{QStringLiteral("postgres "), pg}, std::pair{QStringLiteral("redis "), redis}}) {
        if (c.address.isEmpty())
            continue;
        if (c.password.isEmpty())
            keychain.remove(kind + c.address);
        else if (!keychain.write(kind + c.address, c.password))
            problem = keychain.lastError();
    }
    return problem;
}

ConnectionSettings RememberedConnection::recall(ConnectionSettings s) {
    QSettings stored;
    const QString pg = stored.value(QStringLiteral("connection/postgres")).toString();
    const QString redis = stored.value(QStringLiteral("connection/redis")).toString();
    SecretStore keychain;
    auto password = [&](const QString &kind, const QString &address) {
        return address.isEmpty() ? QString() : keychain.read(kind + address).value_or(QString());
    };
    s.postgres = joinPostgres(pg, password(QStringLiteral("postgres "), pg));
    s.redis = joinRedis(redis, password(QStringLiteral("redis "), redis));
    return s;
}

} // namespace pitwall

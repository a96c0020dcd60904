#include "ConnectionSettings.h"

#include <QRegularExpression>

namespace pitwall {
namespace {

// key=value form: password=secret or password='se cret'
const QRegularExpression &keywordPassword() {
    static const QRegularExpression re(
        QStringLiteral(R"((^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+))"));
    return re;
}

// URI form: scheme://user:secret@host
const QRegularExpression &uriPassword() {
    static const QRegularExpression re(QStringLiteral(R"(^([a-z]+://[^:/@]*):([^@/]*)@)"));
    return re;
}

// URI query: ?password=secret
const QRegularExpression &queryPassword() {
    static const QRegularExpression re(QStringLiteral(R"([?&]password=([^&]*))"));
    return re;
}

} // namespace

void ConnectionSettings::fillFromEnvironment() {
    if (postgres.isEmpty())
        postgres = qEnvironmentVariable("PITWALL_PG");
    if (redis.isEmpty())
        redis = qEnvironmentVariable("PITWALL_REDIS");
    const QString prefix = qEnvironmentVariable("PITWALL_REDIS_PREFIX");
    if (!prefix.isEmpty())
        keyPrefix = prefix;
}

QString ConnectionSettings::postgresWithoutPassword(const QString &conninfo) {
    QString s = conninfo;
    s.replace(keywordPassword(), QString());
    s.replace(uriPassword(), QStringLiteral("\\1@"));
    s.replace(queryPassword(), QString());
    return s.trimmed();
}

QString ConnectionSettings::redisWithoutPassword(const QString &url) {
    QString s = url;
    if (uriPassword().match(s).hasMatch())
        return s.replace(uriPassword(), QStringLiteral("\\1@"));
    static const QRegularExpression onlyPassword(QStringLiteral(R"(^(redis://)([^:@/]+)@)"));
    return s.replace(onlyPassword, QStringLiteral("\\1"));
}

} // namespace pitwall

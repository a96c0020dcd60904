#include "Alerts.h"

namespace pitwall {

QList<Incident> AlertTracker::update(const QString &kind, const QList<Incident> &current) {
    QSet<QString> &active = m_active[kind];
    QSet<QString> now;
    QList<Incident> fresh;
    for (const Incident &i : current) {
        if (now.contains(i.key))
            continue;
        now.insert(i.key);
        if (!active.contains(i.key))
            fresh.append(i);
    }
    active = std::move(now);
    return fresh;
}

QStringList AlertTracker::kinds() {
    return {QStringLiteral("runaway"), QStringLiteral("spend"), QStringLiteral("breaker"),
            QStringLiteral("canary")};
}

QString AlertTracker::kindName(const QString &kind) {
    if (kind == QLatin1String("runaway"))
        return tr("A runaway run appears");
    if (kind == QLatin1String("spend"))
        return tr("A scope passes its spend alert");
    if (kind == QLatin1String("breaker"))
        return tr("A circuit breaker opens");
    if (kind == QLatin1String("canary"))
        return tr("A canary verdict says roll back");
    return kind;
}

} // namespace pitwall

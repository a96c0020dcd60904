#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace pitwall {

// Something an on-call operator must hear about: a runaway run, a scope past its spend alert,
// a breaker that opened, a canary whose verdict says roll back.
struct Incident {
    QString kind; // one of Alerts::kinds()
    QString key;  // what makes it this incident: a run id, a scope, a tool, an agent
    QString text; // one sentence
};

// Decides which incidents are new: each is announced once, when it first appears; one that
// ends and comes back later is a new incident. Pure; the window shows what it returns.
class AlertTracker {
    Q_DECLARE_TR_FUNCTIONS(AlertTracker)
public:
    // The incidents of `kind` now; returns those that were not there at the kind's last update.
    QList<Incident> update(const QString &kind, const QList<Incident> &current);
    // Kinds in the order of the mute menu, and their names there.
    static QStringList kinds();
    static QString kindName(const QString &kind);

private:
    QHash<QString, QSet<QString>> m_active; // kind -> keys now
};

} // namespace pitwall

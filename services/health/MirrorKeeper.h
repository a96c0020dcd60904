#pragma once

#include "ConnectionSettings.h"
#include "StoreHealth.h"

#include <QCoreApplication>
#include <QDateTime>

#include <memory>

namespace pitwall {

class ActionsService;

// Keeps Redis's mirrors true to PostgreSQL while both stores are up: re-writes every mirror
// once after they came back (or Redis restarted, which may lose them all) and applies the
// actions still waiting in the outbox (mirrored_at null). Used by the health probe's thread
// after each look, on connections of its own.
class MirrorKeeper {
    Q_DECLARE_TR_FUNCTIONS(MirrorKeeper)
public:
    explicit MirrorKeeper(ConnectionSettings settings);
    ~MirrorKeeper();

    // Both stores answered: sync if needed, drain, and fill in h.pendingMirrors and
    // h.mirrorNote.
    void keep(StoreHealth &h);
    // A store went away: every mirror is written again once both are back.
    void storesLost() { m_synced = false; }
    void redisRestarted(const QDateTime &at) {
        m_synced = false;
        m_redisRestartedAt = at;
    }

private:
    ConnectionSettings m_settings;
    std::unique_ptr<ActionsService> m_actions;
    bool m_synced = false;
    QDateTime m_redisRestartedAt; // invalid: no restart seen
    QString m_note;
};

} // namespace pitwall

#include "MirrorKeeper.h"

#include "ActionsService.h"

namespace pitwall {

MirrorKeeper::MirrorKeeper(ConnectionSettings settings)
    : m_settings(std::move(settings)) {}

MirrorKeeper::~MirrorKeeper() = default;

void MirrorKeeper::keep(StoreHealth &h) {
    try {
        if (!m_actions)
            m_actions = std::make_unique<ActionsService>(
                m_settings.postgres.toStdString(),
                RedisEndpoint::parse(m_settings.redis.toStdString()),
                m_settings.keyPrefix.toStdString());
        if (!m_synced) {
            const ActionsService::MirrorSync done = m_actions->syncAllMirrors();
            m_synced = true;
            if (m_redisRestartedAt.isValid())
                m_note = tr("Redis restarted at %1: %n mirror(s) restored from PostgreSQL", nullptr,
                            done.caps + done.rollouts + done.breakerOverrides)
                             .arg(m_redisRestartedAt.toString(QStringLiteral("HH:mm:ss"))) +
                         (done.breakerOverrides ? tr(", including %n forced breaker(s)", nullptr,
                                                     done.breakerOverrides)
                                                : QString());
        }
        h.mirrorNote = m_note;
        h.pendingMirrors = m_actions->drainPendingMirrors();
    } catch (const std::exception &) {
        // A viewer without rights, or a store that just went away: the next look retries.
        m_actions.reset();
    }
}

} // namespace pitwall

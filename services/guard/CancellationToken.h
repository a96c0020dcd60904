#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace pitwall {

// Fired by the guard when a kill flag appears while a step is in flight. An agent's long call
// waits on it (waitFor) or polls it (isCancelled) and gives up as soon as it fires.
class CancellationToken {
public:
    void cancel(const std::string &reason) {
        {
            std::lock_guard lock(m_mutex);
            if (m_cancelled)
                return;
            m_cancelled = true;
            m_reason = reason;
        }
        m_changed.notify_all();
    }
    bool isCancelled() const {
        std::lock_guard lock(m_mutex);
        return m_cancelled;
    }
    std::string reason() const {
        std::lock_guard lock(m_mutex);
        return m_reason;
    }
    // Sleeps for `duration` unless cancelled first; returns true when cancelled.
    bool waitFor(std::chrono::milliseconds duration) const {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, duration, [this] { return m_cancelled; });
    }

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    bool m_cancelled = false;
    std::string m_reason;
};

} // namespace pitwall

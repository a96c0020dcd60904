#pragma once

#include <QtGlobal>

#include <atomic>
#include <memory>

namespace pitwall {

// One kind of request of a service (the run finder, a trace load, the details poll): each new
// request supersedes the ones before it. The worker skips a request that was superseded before
// it started, long work asks stillWanted() to stop early, and the service drops an answer whose
// generation is no longer the latest, so no receiver ever sees a stale answer.
class RequestLane {
public:
    using Generation = quint64;
    struct Ticket {
        std::shared_ptr<const std::atomic<Generation>> latest;
        Generation generation = 0;
        // Callable from any thread.
        bool stillWanted() const { return latest->load() == generation; }
    };

    Ticket next() { return {m_latest, ++*m_latest}; }
    // A ticket for the latest request, which it does not supersede: for answers that belong to
    // a session (a connection) rather than to one request.
    Ticket current() const { return {m_latest, m_latest->load()}; }
    // Every request in flight becomes stale (new settings, shutdown).
    void supersede() { ++*m_latest; }

private:
    std::shared_ptr<std::atomic<Generation>> m_latest =
        std::make_shared<std::atomic<Generation>>(0);
};

} // namespace pitwall

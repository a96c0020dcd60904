#pragma once

#include "RequestLane.h"
#include "StoreConnections.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

class QThread;

namespace pitwall {

// The one way the console moves I/O off the GUI thread: a thread of its own with the
// connections of one service (StoreConnections), to which requests are queued in order. A
// service owns one worker per kind of work that must not wait behind another (reads, actions).
// The global thread pool is left to pure computation (sorting the live runs, laying out a
// trace), so that slow servers never stall it.
class StoreWorker : public QObject {
    Q_OBJECT
public:
    explicit StoreWorker(const QString &name, QObject *parent = nullptr);
    // Stops the thread after the request it is running, and closes its connections.
    ~StoreWorker() override;

    // Requests queued after this use the new settings; the old connections are closed.
    void setSettings(const ConnectionSettings &settings);

    // Runs `work` on the worker's thread unless `ticket` was superseded before it started.
    // What it returns reaches `done` on `receiver`'s thread, unless the ticket was superseded
    // meanwhile or the receiver is gone. An exception out of `work` drops the connections (the
    // next request opens them again after a backoff) and is turned into a result by `failed`.
    template <typename Result>
    void request(RequestLane::Ticket ticket, QObject *receiver,
                 std::function<Result(StoreConnections &)> work,
                 std::function<Result(const QString &error)> failed,
                 std::function<void(const Result &)> done) {
        post([ticket, receiver = QPointer<QObject>(receiver), work = std::move(work),
              failed = std::move(failed), done = std::move(done)](StoreConnections &c) {
            if (!ticket.stillWanted())
                return;
            auto result = std::make_shared<Result>(run(c, work, failed));
            if (!receiver)
                return;
            QMetaObject::invokeMethod(
                receiver.data(),
                [ticket, result, done] {
                    if (ticket.stillWanted())
                        done(*result);
                },
                Qt::QueuedConnection);
        });
    }

    // Runs `work` on the worker's thread, in order with the requests.
    void post(std::function<void(StoreConnections &)> work);

private:
    template <typename Result>
    static Result run(StoreConnections &c, const std::function<Result(StoreConnections &)> &work,
                      const std::function<Result(const QString &)> &failed) {
        try {
            Result r = work(c);
            c.succeeded();
            return r;
        } catch (const std::exception &e) {
            c.failed(e.what());
            return failed(QString::fromStdString(e.what()));
        }
    }

    class Context;
    QThread *m_thread = nullptr;
    Context *m_context = nullptr; // lives on m_thread
};

} // namespace pitwall

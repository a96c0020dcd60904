#include "StoreWorker.h"

#include <QThread>

namespace pitwall {

class StoreWorker::Context : public QObject {
public:
    std::unique_ptr<StoreConnections> connections =
        std::make_unique<StoreConnections>(ConnectionSettings{});
};

StoreWorker::StoreWorker(const QString &name, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_context(new Context) {
    m_thread->setObjectName(name);
    m_context->moveToThread(m_thread);
    m_thread->start();
}

StoreWorker::~StoreWorker() {
    // Requests still queued are dropped with the event loop; the one running finishes first.
    m_thread->quit();
    m_thread->wait();
    delete m_context; // closes the connections
}

void StoreWorker::setSettings(const ConnectionSettings &settings) {
    QMetaObject::invokeMethod(
        m_context,
        [context = m_context, settings] {
            context->connections = std::make_unique<StoreConnections>(settings);
        },
        Qt::QueuedConnection);
}

void StoreWorker::post(std::function<void(StoreConnections &)> work) {
    QMetaObject::invokeMethod(
        m_context, [context = m_context, work = std::move(work)] { work(*context->connections); },
        Qt::QueuedConnection);
}

} // namespace pitwall

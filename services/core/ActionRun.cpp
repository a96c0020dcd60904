#include "ActionRun.h"

#include "StoreError.h"
#include "StoreWorker.h"

#include <QCoreApplication>
#include <QPointer>

namespace pitwall {

std::string actionOutcome(const ActionResult &r, const std::string &done) {
    if (r.replayed)
        return done + " (already recorded: the same action id was used before).";
    if (!r.mirrored)
        return done + ", recorded; Redis cannot be reached (" + r.mirrorError +
               "), so the agents see it when it is applied from the outbox.";
    return done + ".";
}

void runAction(StoreWorker *worker, QObject *receiver,
               std::function<std::string(StoreConnections &)> action,
               std::function<void(bool ok, const QString &text)> finished) {
    QPointer<QObject> target(receiver);
    worker->post(
        [target, action = std::move(action), finished = std::move(finished)](StoreConnections &c) {
            bool ok = false;
            QString text;
            try {
                text = QString::fromStdString(action(c));
                ok = true;
            } catch (const ActionRefused &e) {
                text = e.code() == "PW002"
                           ? QCoreApplication::translate(
                                 "ActionRun", "Refused: someone changed it first (%1). The page "
                                              "now shows the current state; decide again.")
                                 .arg(QString::fromStdString(e.what()))
                           : QCoreApplication::translate("ActionRun", "Refused: %1")
                                 .arg(QString::fromStdString(e.what()));
            } catch (const std::exception &e) {
                c.failed(e.what());
                text = QCoreApplication::translate("ActionRun", "Not recorded: %1")
                           .arg(QString::fromStdString(e.what()));
            }
            if (!target)
                return;
            QMetaObject::invokeMethod(
                target.data(),
                [target, finished, ok, text] {
                    if (target)
                        finished(ok, text);
                },
                Qt::QueuedConnection);
        });
}

} // namespace pitwall

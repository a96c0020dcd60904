#pragma once

#include "ActionsService.h"

#include <QObject>
#include <QString>

#include <functional>
#include <string>

namespace pitwall {

class StoreConnections;
class StoreWorker;

// What a recorded action did, in one sentence for a page: `done`, or that it was a replay, or
// that Redis could not be reached and the outbox applies it later.
std::string actionOutcome(const ActionResult &result, const std::string &done);

// Runs an operator action on `worker`; then, on `receiver`'s thread if it still exists,
// `finished(ok, text)`: the action's sentence, or why it was refused (a stale revision says
// the page now shows the current state) or not recorded. Every page's actions go through here.
void runAction(StoreWorker *worker, QObject *receiver,
               std::function<std::string(StoreConnections &)> action,
               std::function<void(bool ok, const QString &text)> finished);

} // namespace pitwall

#pragma once

#include "RunDetails.h"

#include <QString>
#include <QWidget>

#include <optional>

class QLabel;
class QTreeWidget;

namespace pitwall {

// The selected run in detail: its Redis hash, its agent's SLO targets, its kill flag and its
// latest events. Shows what it is given; the session reads the stores.
class RunDetailPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunDetailPanel(QWidget *parent = nullptr);

    // A run was selected (empty: none); its details are on their way.
    void showRun(const QString &runId);
    // Ignored unless they are the shown run's.
    void showDetails(const pitwall::RunDetails &details,
                     const std::optional<pitwall::SloTargets> &slo);
    QString runId() const { return m_runId; }
    QTreeWidget *tree() const { return m_tree; }

private:
    QString m_runId;
    QLabel *m_title = nullptr;
    QLabel *m_note = nullptr;
    QTreeWidget *m_tree = nullptr;
};

} // namespace pitwall

#include "RunListModel.h"

#include "ActivityText.h"
#include "LiveRunsView.h"
#include "TraceTreeModel.h"

#include <QDateTime>

namespace pitwall {

void RunListModel::setRuns(std::vector<RunSummary> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

void RunListModel::appendRuns(const std::vector<RunSummary> &runs) {
    if (runs.empty())
        return;
    beginInsertRows({}, int(m_runs.size()), int(m_runs.size() + runs.size()) - 1);
    m_runs.insert(m_runs.end(), runs.begin(), runs.end());
    endInsertRows();
}

int RunListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const RunSummary &r = m_runs[size_t(index.row())];
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Started:
        return QDateTime::fromMSecsSinceEpoch(r.startedUs / 1000)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Agent:
        return QString::fromStdString(r.agent);
    case Version:
        return QString::fromStdString(r.version);
    case User:
        return QString::fromStdString(r.user);
    case Status:
        if (const auto status = parseRunStatus(r.status))
            return liveRunStatusText(uint8_t(*status));
        return QString::fromStdString(r.status);
    case Steps:
        return r.steps;
    case Cost:
        return ActivityText::usdFine(r.costMicros);
    case Duration:
        return r.endedUs < 0 ? tr("running") : durationText(r.endedUs - r.startedUs);
    case Run:
        return QString::fromStdString(r.runId);
    default:
        return {};
    }
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {
        QT_TR_NOOP("Started"), QT_TR_NOOP("Agent"),    QT_TR_NOOP("Version"),
        QT_TR_NOOP("User"),    QT_TR_NOOP("Status"),   QT_TR_NOOP("Steps"),
        QT_TR_NOOP("Cost"),    QT_TR_NOOP("Duration"), QT_TR_NOOP("Run")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace pitwall

#include "RecentActionsModel.h"

namespace pitwall {
namespace {

bool same(const ActivitySummary::Action &a, const ActivitySummary::Action &b) {
    return a.at == b.at && a.actor == b.actor && a.kind == b.kind && a.target == b.target &&
           a.reason == b.reason && a.mirrored == b.mirrored;
}

} // namespace

RecentActionsModel::RecentActionsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void RecentActionsModel::apply(const QList<ActivitySummary::Action> &actions) {
    if (actions.size() != m_actions.size()) {
        beginResetModel();
        m_actions = actions;
        endResetModel();
        return;
    }
    int first = -1, last = -1;
    for (int i = 0; i < actions.size(); ++i) {
        if (!same(actions[i], m_actions[i])) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    m_actions = actions;
    if (first >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int RecentActionsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_actions.size());
}

int RecentActionsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RecentActionsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &a = m_actions.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Reason)
        return a.reason;
    if (role == Qt::UserRole) // as stored: what the audit filters by
        return index.column() == Kind ? a.kind : index.column() == Target ? a.target : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(index.column())) {
    case When:
        return a.at.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    case Actor:
        return a.actor;
    case Kind:
        return QString(a.kind).replace(QLatin1Char('_'), QLatin1Char(' '));
    case Target:
        return a.target;
    case Reason:
        return a.reason;
    case Applied:
        return a.mirrored ? tr("applied") : tr("pending");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RecentActionsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case When:
        return tr("When");
    case Actor:
        return tr("Who");
    case Kind:
        return tr("Action");
    case Target:
        return tr("Target");
    case Reason:
        return tr("Why");
    case Applied:
        return tr("Redis");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace pitwall

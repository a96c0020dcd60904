#include "AuditModel.h"

#include "AuditText.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace pitwall {

AuditTableModel::AuditTableModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void AuditTableModel::setPage(const AuditPage &page, bool append, int64_t nowMs) {
    m_nowMs = nowMs;
    m_next = page.next;
    if (append) {
        if (page.entries.empty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.entries.size()) - 1);
        m_rows.insert(m_rows.end(), page.entries.begin(), page.entries.end());
        endInsertRows();
        return;
    }
    beginResetModel();
    m_rows = page.entries;
    endResetModel();
}

const AuditEntry *AuditTableModel::entry(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

int AuditTableModel::rowOf(const std::string &actionId) const {
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].actionId == actionId)
            return int(i);
    return -1;
}

int AuditTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuditTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex &index, int role) const {
    const AuditEntry *e = entry(index.row());
    if (!e)
        return {};
    if (role == Qt::ForegroundRole && index.column() == Outcome) {
        const QString o = AuditText::outcomeShort(*e, m_nowMs);
        if (o == tr("pending") || o == tr("not honoured"))
            return QBrush(QColor(0xb0, 0x00, 0x20));
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Reason)
        return QString::fromStdString(e->reason);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e->requestedUs / 1000, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Actor:
        return QString::fromStdString(e->actor);
    case Kind:
        return QString::fromStdString(e->kind);
    case Target:
        return QString::fromStdString(e->target);
    case Reason:
        // One line: a reason may hold newlines.
        return QString::fromStdString(e->reason).simplified().left(300);
    case Outcome:
        return AuditText::outcomeShort(*e, m_nowMs);
    }
    return {};
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("When (UTC)");
    case Actor:
        return tr("Who");
    case Kind:
        return tr("Action");
    case Target:
        return tr("Target");
    case Reason:
        return tr("Reason");
    case Outcome:
        return tr("Outcome");
    }
    return {};
}

} // namespace pitwall

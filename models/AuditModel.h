#pragma once

#include "AuditRecords.h"

#include <QAbstractTableModel>

#include <vector>

namespace pitwall {

// The audit trail as the audit page lists it: newest first, a page at a time (older pages are
// appended as they are read).
class AuditTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Actor, Kind, Target, Reason, Outcome, ColumnCount };
    explicit AuditTableModel(QObject *parent = nullptr);

    // `append`: an older page after the rows shown; else the rows are replaced.
    void setPage(const AuditPage &page, bool append, int64_t nowMs);
    const AuditEntry *entry(int row) const;
    int rowOf(const std::string &actionId) const;
    bool hasMore() const { return m_next.has_value(); }
    const std::optional<AuditCursor> &next() const { return m_next; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<AuditEntry> m_rows;
    std::optional<AuditCursor> m_next;
    int64_t m_nowMs = 0;
};

} // namespace pitwall

#pragma once

#include "ActivitySummary.h"

#include <QAbstractTableModel>

namespace pitwall {

// The newest operator actions, as the audit log holds them.
class RecentActionsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { When, Actor, Kind, Target, Reason, Applied, ColumnCount };
    // Qt::UserRole of Kind and Target: the values as stored (the display words them).

    explicit RecentActionsModel(QObject *parent = nullptr);
    // Replaces the rows; rows that did not change are not reported as changed.
    void apply(const QList<ActivitySummary::Action> &actions);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ActivitySummary::Action> m_actions;
};

} // namespace pitwall

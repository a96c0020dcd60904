#pragma once

#include "TraceRecords.h"

#include <QAbstractTableModel>

#include <vector>

namespace pitwall {

// Runs the trace store found, page after page (keyset): the run finder's table.
class RunListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Started, Agent, Version, User, Status, Steps, Cost, Duration, Run, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    void setRuns(std::vector<RunSummary> runs);
    void appendRuns(const std::vector<RunSummary> &runs);
    const RunSummary &run(int row) const { return m_runs[size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<RunSummary> m_runs;
};

} // namespace pitwall

#pragma once

#include "Trace.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace pitwall {

// The spans of a trace as a tree (roots, then children in time order), straight over the
// Trace's arrays: no item per span, so a million spans cost 4 bytes more each (the row of each
// span under its parent). Columns: name, kind, duration, tokens, cost, model or tool.
class TraceTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Kind, Duration, Tokens, Cost, Label, ColumnCount };

    explicit TraceTreeModel(QObject *parent = nullptr);
    void setTrace(std::shared_ptr<const Trace> trace);
    const Trace *trace() const { return m_trace.get(); }
    QModelIndex indexOf(uint32_t span, int column = 0) const;
    static uint32_t spanOf(const QModelIndex &index);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Trace> m_trace;
    std::vector<uint32_t> m_row; // each span's row under its parent (or among the roots)
};

// "1.234 s", "850 ms", "12 µs".
QString durationText(int64_t us);

} // namespace pitwall

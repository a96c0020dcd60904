#include "TraceTreeModel.h"

#include "ActivityText.h"

#include <QBrush>
#include <QColor>

namespace pitwall {

QString durationText(int64_t us) {
    if (us >= 1'000'000)
        return TraceTreeModel::tr("%1 s").arg(double(us) / 1e6, 0, 'f', 3);
    if (us >= 1000)
        return TraceTreeModel::tr("%1 ms").arg(double(us) / 1e3, 0, 'f', us >= 100'000 ? 0 : 1);
    return TraceTreeModel::tr("%1 µs").arg(us);
}

TraceTreeModel::TraceTreeModel(QObject *parent)
    : QAbstractItemModel(parent) {}

void TraceTreeModel::setTrace(std::shared_ptr<const Trace> trace) {
    beginResetModel();
    m_trace = std::move(trace);
    m_row.assign(m_trace ? m_trace->spans.size() : 0, 0);
    if (m_trace) {
        for (uint32_t r = 0; r < m_trace->roots.size(); ++r)
            m_row[m_trace->roots[r]] = r;
        for (size_t p = 0; p < m_trace->spans.size(); ++p)
            for (uint32_t c = m_trace->childBegin[p]; c < m_trace->childBegin[p + 1]; ++c)
                m_row[m_trace->children[c]] = c - m_trace->childBegin[p];
    }
    endResetModel();
}

uint32_t TraceTreeModel::spanOf(const QModelIndex &index) {
    return index.isValid() ? uint32_t(index.internalId() - 1) : TraceSpan::kNone;
}

QModelIndex TraceTreeModel::indexOf(uint32_t span, int column) const {
    if (!m_trace || span >= m_trace->spans.size())
        return {};
    return createIndex(int(m_row[span]), column, quintptr(span) + 1);
}

QModelIndex TraceTreeModel::index(int row, int column, const QModelIndex &parent) const {
    if (!m_trace || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return size_t(row) < m_trace->roots.size() ? indexOf(m_trace->roots[size_t(row)], column)
                                                   : QModelIndex();
    const uint32_t p = spanOf(parent);
    if (size_t(row) >= m_trace->childCount(p))
        return {};
    return indexOf(m_trace->children[m_trace->childBegin[p] + uint32_t(row)], column);
}

QModelIndex TraceTreeModel::parent(const QModelIndex &child) const {
    const uint32_t s = spanOf(child);
    if (!m_trace || s >= m_trace->spans.size())
        return {};
    const uint32_t p = m_trace->spans[s].parent;
    return p == TraceSpan::kNone ? QModelIndex() : indexOf(p, 0);
}

int TraceTreeModel::rowCount(const QModelIndex &parent) const {
    if (!m_trace)
        return 0;
    if (!parent.isValid())
        return int(m_trace->roots.size());
    return parent.column() == 0 ? int(m_trace->childCount(spanOf(parent))) : 0;
}

int TraceTreeModel::columnCount(const QModelIndex &) const {
    return ColumnCount;
}

QVariant TraceTreeModel::data(const QModelIndex &index, int role) const {
    const uint32_t s = spanOf(index);
    if (!m_trace || s >= m_trace->spans.size())
        return {};
    const TraceSpan &span = m_trace->spans[s];
    if (role == Qt::ForegroundRole && span.status == TraceSpan::Error)
        return QBrush(QColor(0xc0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole && index.column() >= Duration && index.column() <= Cost)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return m_trace->text(span.name);
    case Kind:
        return span.status == TraceSpan::Error
                   ? tr("%1 (error)").arg(QLatin1String(spanKindText(span.kind)))
                   : QString::fromLatin1(spanKindText(span.kind));
    case Duration:
        return durationText(span.endUs - span.startUs);
    case Tokens:
        return span.inputTokens + span.outputTokens
                   ? tr("%1 → %2").arg(span.inputTokens).arg(span.outputTokens)
                   : QString();
    case Cost:
        return span.costMicros ? ActivityText::usdFine(span.costMicros) : QString();
    case Label:
        return m_trace->text(span.label);
    default:
        return {};
    }
}

QVariant TraceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("Span"),     QT_TR_NOOP("Kind"),
                                        QT_TR_NOOP("Duration"), QT_TR_NOOP("Tokens"),
                                        QT_TR_NOOP("Cost"),     QT_TR_NOOP("Model or tool")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace pitwall

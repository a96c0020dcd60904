#include "BreakerModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QPointF>
#include <QVariantList>

#include <cmath>

namespace pitwall {

QString BreakerText::state(const std::string &state) {
    if (state == "open")
        return tr("open");
    if (state == "half_open")
        return tr("half-open");
    if (state == "forced_open")
        return tr("forced open");
    if (state == "forced_closed")
        return tr("forced closed");
    if (state == "closed")
        return tr("closed");
    if (state == "automatic")
        return tr("automatic");
    return QString::fromStdString(state);
}

QString BreakerText::failureRate(const BreakerRow &row) {
    const BreakerMinute w = row.window();
    if (w.calls < kBreakerMinimumCalls)
        return tr("not enough calls (%1 of the minimum %2)").arg(w.calls).arg(kBreakerMinimumCalls);
    return tr("%1 % of %2 calls")
        .arg(std::lround(100.0 * double(w.failures) / double(w.calls)))
        .arg(w.calls);
}

QString BreakerText::inARow(const BreakerRow &row) {
    if (row.threshold <= 0)
        return {};
    return tr("%1 (opens at %2)").arg(row.failuresInRow).arg(row.threshold);
}

QString BreakerText::window(const BreakerRow &row) {
    const BreakerMinute w = row.window();
    return tr("%1 calls, %2 failed, %3 refused in %4 min")
        .arg(w.calls)
        .arg(w.failures)
        .arg(w.rejected)
        .arg(kBreakerWindowMinutes);
}

QString BreakerText::duration(int64_t ms) {
    const int64_t s = std::max<int64_t>(0, (ms + 999) / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min").arg(s / 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s / 60) % 60);
    return tr("%1 d %2 h").arg(s / 86400).arg((s / 3600) % 24);
}

QString BreakerText::since(const BreakerRow &row, int64_t nowMs) {
    if (row.sinceMs <= 0)
        return {};
    return tr("for %1").arg(duration(nowMs - row.sinceMs));
}

QString BreakerText::halfOpen(const BreakerRow &row, int64_t nowMs) {
    if (row.automaticState != "open" || row.forced()) // an override runs no trial call
        return {};
    if (row.halfOpenAtMs <= nowMs)
        return tr("at the next call");
    return tr("in %1").arg(duration(row.halfOpenAtMs - nowMs));
}

QString BreakerText::time(int64_t ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("HH:mm:ss")) +
           tr(" UTC");
}

QString BreakerText::forced(const BreakerRow &row, int64_t nowMs) {
    if (!row.forced())
        return {};
    const QString by = row.forcedBy.empty()
                           ? tr("forced (by whom is not recorded)")
                           : tr("forced by %1").arg(QString::fromStdString(row.forcedBy));
    const QString until = row.forcedUntilMs > 0 ? tr("until %1 (in %2)")
                                                      .arg(time(row.forcedUntilMs),
                                                           duration(row.forcedUntilMs - nowMs))
                                                : tr("until cleared");
    QString s = by + QLatin1Char(' ') + until;
    if (!row.forcedReason.empty())
        s += QStringLiteral(": ") + QString::fromStdString(row.forcedReason);
    return s;
}

QString BreakerText::details(const BreakerRow &row, int64_t nowMs) {
    QStringList lines;
    QString head = tr("%1 is %2").arg(QString::fromStdString(row.tool), state(row.state));
    if (const QString s = since(row, nowMs); !s.isEmpty())
        head += QLatin1Char(' ') + s;
    lines << head;
    if (row.forced()) {
        lines << forced(row, nowMs);
        lines << tr("Without the override it would be %1.").arg(state(row.automaticState));
    }
    lines << tr("Failure rate: %1 over %2 min; %3 failures in a row (it opens at %4).")
                 .arg(failureRate(row))
                 .arg(kBreakerWindowMinutes)
                 .arg(row.failuresInRow)
                 .arg(row.threshold);
    lines << window(row);
    if (const QString h = halfOpen(row, nowMs); !h.isEmpty())
        lines << tr("It lets a trial call through %1.").arg(h);
    if (row.runsAtTool >= 0)
        lines << tr("%n live run(s) at this tool now.", nullptr, row.runsAtTool);
    if (!row.lastError.empty())
        lines << tr("Last error: %1").arg(QString::fromStdString(row.lastError));
    return lines.join(QLatin1Char('\n'));
}

QString BreakerText::history(const BreakerHistoryEntry &e) {
    QString s = QDateTime::fromMSecsSinceEpoch(e.atMs, Qt::UTC)
                    .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                tr(" UTC") + QStringLiteral("  ") + state(e.from) + QStringLiteral(" → ") +
                state(e.to);
    if (!e.actor.empty())
        s += tr("  by %1").arg(QString::fromStdString(e.actor));
    else if (e.failures > 0)
        s += tr("  (%1 failures)").arg(e.failures);
    if (!e.reason.empty())
        s += QStringLiteral(": ") + QString::fromStdString(e.reason);
    return s;
}

BreakerTableModel::BreakerTableModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void BreakerTableModel::setBoard(BreakerBoard board) {
    beginResetModel();
    m_board = std::move(board);
    for (BreakerRow &r : m_board.rows)
        r.runsAtTool = runsAt(r);
    refilter();
    endResetModel();
}

void BreakerTableModel::setRunsAtTools(QHash<QString, int> runs) {
    m_runs = std::move(runs);
    m_runsKnown = true;
    for (BreakerRow &r : m_board.rows)
        r.runsAtTool = runsAt(r);
    if (!m_shown.empty())
        Q_EMIT dataChanged(index(0, RunsAtTool), index(int(m_shown.size()) - 1, RunsAtTool));
}

int BreakerTableModel::runsAt(const BreakerRow &row) const {
    return m_runsKnown ? m_runs.value(QString::fromStdString(row.tool), 0) : -1;
}

void BreakerTableModel::setFilterText(const QString &text) {
    if (text.trimmed() == m_filter)
        return;
    beginResetModel();
    m_filter = text.trimmed();
    refilter();
    endResetModel();
}

void BreakerTableModel::refilter() {
    m_shown.clear();
    QString needle = m_filter;
    bool stateOnly = false;
    if (needle.startsWith(QLatin1String("state:"), Qt::CaseInsensitive)) {
        // The contract's name, whichever way it is written: half_open, half-open, "half open".
        needle = needle.mid(6)
                     .replace(QLatin1Char('-'), QLatin1Char('_'))
                     .replace(QLatin1Char(' '), QLatin1Char('_'));
        stateOnly = true;
    }
    for (int i = 0; i < int(m_board.rows.size()); ++i) {
        const BreakerRow &r = m_board.rows[size_t(i)];
        const QString state = BreakerText::state(r.state);
        const bool match =
            needle.isEmpty() ||
            (stateOnly
                 ? QString::fromStdString(r.state).compare(needle, Qt::CaseInsensitive) == 0
                 : QString::fromStdString(r.tool).contains(needle, Qt::CaseInsensitive) ||
                       state.contains(needle, Qt::CaseInsensitive) ||
                       QString::fromStdString(r.lastError).contains(needle, Qt::CaseInsensitive));
        if (match)
            m_shown.push_back(i);
    }
}

const BreakerRow *BreakerTableModel::breaker(int row) const {
    if (row < 0 || row >= int(m_shown.size()))
        return nullptr;
    return &m_board.rows[size_t(m_shown[size_t(row)])];
}

int BreakerTableModel::rowOf(const std::string &tool) const {
    for (int i = 0; i < int(m_shown.size()); ++i)
        if (m_board.rows[size_t(m_shown[size_t(i)])].tool == tool)
            return i;
    return -1;
}

int BreakerTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_shown.size());
}

int BreakerTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakerTableModel::data(const QModelIndex &index, int role) const {
    const BreakerRow *r = breaker(index.row());
    if (!r)
        return {};
    const int64_t now = m_board.atMs;
    if (role == SparkRole && index.column() == Activity) {
        QVariantList points;
        for (const BreakerMinute &m : r->minutes)
            points.append(QPointF(double(m.calls), double(m.failures)));
        return points;
    }
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (r->state == "open" || r->state == "forced_open")
            return QBrush(QColor(0xb0, 0x00, 0x20));
        if (r->state == "half_open")
            return QBrush(QColor(0xa0, 0x60, 0x00));
        return {};
    }
    if (role == Qt::ToolTipRole)
        return BreakerText::details(*r, now);
    if (role == Qt::TextAlignmentRole && index.column() >= Calls && index.column() <= RunsAtTool)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const BreakerMinute w = r->window();
    switch (index.column()) {
    case Tool:
        return QString::fromStdString(r->tool);
    case State:
        return BreakerText::state(r->state);
    case Since:
        return r->forced() ? BreakerText::forced(*r, now) : BreakerText::since(*r, now);
    case FailureRate:
        return BreakerText::failureRate(*r);
    case Calls:
        return qlonglong(w.calls);
    case Failed:
        return qlonglong(w.failures);
    case Refused:
        return qlonglong(w.rejected);
    case InARow:
        return BreakerText::inARow(*r);
    case HalfOpen:
        return BreakerText::halfOpen(*r, now);
    case RunsAtTool:
        return r->runsAtTool < 0 ? QVariant() : QVariant(r->runsAtTool);
    case Activity:
        return {};
    case LastError:
        return QString::fromStdString(r->lastError).left(300);
    }
    return {};
}

QVariant BreakerTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Tool:
        return tr("Tool");
    case State:
        return tr("State");
    case Since:
        return tr("Since / override");
    case FailureRate:
        return tr("Failure rate (%1 min)").arg(kBreakerWindowMinutes);
    case Calls:
        return tr("Calls");
    case Failed:
        return tr("Failed");
    case Refused:
        return tr("Refused");
    case InARow:
        return tr("Failures in a row");
    case HalfOpen:
        return tr("Tries again");
    case RunsAtTool:
        return tr("Runs at tool");
    case Activity:
        return tr("Last %1 min").arg(kBreakerSparkMinutes);
    case LastError:
        return tr("Last error");
    }
    return {};
}

} // namespace pitwall

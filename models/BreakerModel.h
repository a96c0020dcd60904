#pragma once

#include "BreakerRecords.h"

#include <QAbstractTableModel>
#include <QCoreApplication>
#include <QHash>
#include <QString>

#include <vector>

namespace pitwall {

// The breaker board's words, pure: a state, the failure rate against the breaker's rule, how
// long a state has lasted, an override's who and until when, when an open breaker tries again.
class BreakerText {
    Q_DECLARE_TR_FUNCTIONS(BreakerText)
public:
    static QString state(const std::string &state); // "open", "half-open", "forced closed"
    // "38 % of 13 calls" or "not enough calls (3 of the minimum 10)".
    static QString failureRate(const BreakerRow &row);
    // "7 (opens at 5)": failures in a row against the threshold
    static QString inARow(const BreakerRow &row);
    static QString window(const BreakerRow &row);               // "13 calls, 5 failed, 3 refused"
    static QString duration(int64_t ms);                        // "42 s", "3 min", "2 h 5 min"
    static QString since(const BreakerRow &row, int64_t nowMs); // "for 3 min", or empty
    // "in 42 s", "at the next call"; empty unless open.
    static QString halfOpen(const BreakerRow &row, int64_t nowMs);
    // "forced by alice until 14:30 UTC (in 12 min): vendor outage"; empty unless forced.
    static QString forced(const BreakerRow &row, int64_t nowMs);
    static QString time(int64_t ms); // "14:30:05 UTC"
    // The board's details of one tool, several lines.
    static QString details(const BreakerRow &row, int64_t nowMs);
    // One line of history: "14:02:11 UTC  closed → open (5 failures)" or an override.
    static QString history(const BreakerHistoryEntry &e);
};

// The board: one row per tool, most trouble first, filtered by a text (tool name, state, or
// last error, case-insensitive; "state:open" matches the state only). Rows keep their order
// from the board; a refresh keeps the selected tool through toolAt/rowOf.
class BreakerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Tool,
        State,
        Since,
        FailureRate,
        Calls,
        Failed,
        Refused,
        InARow,
        HalfOpen,
        RunsAtTool,
        Activity,
        LastError,
        ColumnCount
    };
    // Activity's data: the calls and failures of each minute, oldest first, as a QVariantList
    // of QPointF(calls, failures).
    static constexpr int SparkRole = Qt::UserRole + 1;

    explicit BreakerTableModel(QObject *parent = nullptr);
    void setBoard(BreakerBoard board);
    void setRunsAtTools(QHash<QString, int> runs); // live runs per last step's name
    void setFilterText(const QString &text);
    const BreakerBoard &board() const { return m_board; }
    const BreakerRow *breaker(int row) const;
    int rowOf(const std::string &tool) const;
    int shownCount() const { return int(m_shown.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void refilter();
    int runsAt(const BreakerRow &row) const;

    BreakerBoard m_board;
    QHash<QString, int> m_runs;
    bool m_runsKnown = false;
    QString m_filter;
    std::vector<int> m_shown; // indexes into m_board.rows
};

} // namespace pitwall

#pragma once

#include "LiveRunUpdate.h"
#include "RunawayRules.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace pitwall {

// Every live run, held compactly (one 64-byte row per run, strings interned), fed the live
// feed's updates in batches. The view shows m_visible, a vector of row numbers in the current
// sort order and filter, so no proxy model stands between the table and a million rows.
class LiveRunsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Run,
        Agent,
        Version,
        User,
        EntryPoint,
        Status,
        Step,
        Age,
        Spend,
        LastSpan,
        Heartbeat,
        Runaway,
        ColumnCount
    };
    enum Role { RunIdRole = Qt::UserRole + 1, RunawayRole, EndedRole };

    struct Row {
        std::array<uint8_t, 16> id{};
        int64_t startedMs = 0;
        int64_t costMicros = 0;
        int32_t heartbeatOffsetMs = 0; // heartbeat - start
        int32_t endedOffsetMs = -1;    // end - start; -1 while running
        int32_t reservedMicros = 0;
        uint32_t user = 0;
        uint16_t agent = 0, version = 0, lastSpan = 0, entryPoint = 0;
        uint16_t step = 0, maxSteps = 0;
        uint8_t status = 0, flags = 0, runaway = 0, toolRepeats = 0;
    };
    static_assert(sizeof(Row) == 64, "a live run must stay within 64 bytes");

    explicit LiveRunsModel(QObject *parent = nullptr);

    // Limits of the runaway rules per agent (from slo_targets).
    void setLimits(const QString &agent, const RunawayLimits &limits);
    void apply(const LiveRunUpdates &updates, int64_t nowMs);
    // Drops runs that ended more than `lingerMs` ago and re-evaluates heartbeats.
    void tick(int64_t nowMs, int64_t lingerMs = 180'000);
    void setSortColumn(int column, Qt::SortOrder order);
    void setFilterText(const QString &text); // matches run, agent, version, user, status

    int runCount() const { return static_cast<int>(m_rows.size()); }
    int runawayCount() const;
    const Row *find(const std::string &runId) const;
    QString statusText(const Row &row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    enum Flag : uint8_t { Canary = 1, KillRequested = 2 };
    uint32_t intern(const std::string &s);
    const QString &text(uint32_t id) const { return m_strings[id]; }
    Row &rowFor(const LiveRunUpdate &u, bool *created);
    void evaluateRunaway(Row &row, int64_t nowMs);
    bool matches(const Row &row) const;
    bool lessThan(const Row &a, const Row &b) const;
    void rebuildView();

    std::vector<Row> m_rows;
    std::unordered_map<std::string, uint32_t> m_rowOf; // run id text -> row
    std::vector<uint32_t> m_visible;
    std::vector<QString> m_strings;
    std::unordered_map<std::string, uint32_t> m_stringIds;
    QHash<uint32_t, RunawayLimits> m_limits; // by interned agent
    int m_sortColumn = Age;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder; // youngest first
    QStringList m_filterWords;                      // every word must match
    int64_t m_nowMs = 0;
};

} // namespace pitwall

#pragma once

#include "LiveRun.h"
#include "LiveRunUpdate.h"
#include "LiveRunsView.h"
#include "RunIdIndex.h"
#include "RunawayRules.h"
#include "StringTable.h"

#include <QAbstractTableModel>
#include <QFuture>
#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace pitwall {

// Every live run, held compactly (a 56-byte row per run, strings interned, an open-addressing
// id index), fed the live feed's updates in batches. The view shows m_visible, a vector of
// row numbers in the current sort order and filter, so no proxy model stands between the
// table and a million rows. With setAsync(true) the full re-sort and re-filter run on a worker
// thread over a copy of the rows and are published in one step; new runs are merged in at once.
class LiveRunsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Run = RunColumn,
        Agent = AgentColumn,
        Version = VersionColumn,
        User = UserColumn,
        EntryPoint = EntryPointColumn,
        Status = StatusColumn,
        Step = StepColumn,
        Age = AgeColumn,
        Spend = SpendColumn,
        LastSpan = LastSpanColumn,
        Heartbeat = HeartbeatColumn,
        Runaway = RunawayColumn,
        ColumnCount = LiveRunColumnCount
    };
    enum Role {
        RunIdRole = Qt::UserRole + 1,
        RunawayRole,
        EndedRole,
        KillStateRole, // KillState below, as an int
        AgentNameRole, // the agent without decoration
        VersionNameRole,
        UserNameRole,
        SpendMicrosRole, // settled + reserved
    };
    // Pending: recorded in PostgreSQL but not yet applied to Redis (the outbox: Redis was
    // unreachable); the agent does not know of it until a console or `drain` applies it.
    enum class KillState { None, Requested, Landed, NotHonoured, Pending };

    explicit LiveRunsModel(QObject *parent = nullptr);
    ~LiveRunsModel() override;

    // Limits of the runaway rules per agent (from slo_targets).
    void setLimits(const QString &agent, const RunawayLimits &limits);
    // `snapshot`: the batch is a full snapshot of the live runs (after a (re)connect): a run
    // still shown as running but absent from it ended while the feed was away.
    void apply(const LiveRunUpdates &updates, int64_t nowMs, bool snapshot = false);
    // Drops runs that ended more than `lingerMs` ago and re-evaluates heartbeats and kills.
    void tick(int64_t nowMs, int64_t lingerMs = 180'000);
    void setSortColumn(int column, Qt::SortOrder order);
    void setFilterText(const QString &text);
    QString filterError() const { return m_filter.error; }
    // The kill was recorded at `nowMs`; the row says whether it landed by `deadlineMs`.
    // `applied`: set in Redis too; else it waits in the outbox (KillState::Pending), and the
    // deadline counts from when the stream says it was applied. Only kills the database
    // recorded are marked: a refused one leaves the row as it was.
    void markKillRequested(const QStringList &runIds, int64_t nowMs, int64_t deadlineMs,
                           bool applied = true);
    // While the feed is down the rows are what Redis held at `sinceMs`: ages stop, no run is
    // judged by its heartbeat, rows are greyed, and staleSinceMs() says since when (-1: live).
    void setStale(bool stale, int64_t sinceMs);
    // Held: the visible order stays as it is (an operator is aiming at a row: pointer over the
    // table, a menu or dialog open, rows selected, or paused). Rows still update in place; new
    // runs, re-sorts and lingering ended runs leaving wait, counted by heldNewRuns() and
    // hasHeldChanges(). A change of sort or filter, the operator's own, applies at once; an
    // empty table (nothing to aim at) is never held.
    void setHeld(bool held);
    bool isHeld() const { return m_held; }
    int heldNewRuns() const { return m_heldNewRuns; }
    bool hasHeldChanges() const { return m_heldNewRuns > 0 || m_heldResort; }
    // Shows what waits once (the "12 new runs — show" bar), and holds again.
    void showHeldChanges();
    int64_t staleSinceMs() const { return m_staleSinceMs; }

    // Off: every re-sort and re-filter happens at once on the calling thread (tests). On: they
    // run on a worker and land with viewRebuilt(); rowCount() shows the previous view until then.
    void setAsync(bool async) { m_async = async; }
    bool isRebuilding() const { return m_inFlight; }
    // A copy of what a view rebuild works on (the rows, the tables, the filter and the sort).
    LiveRunsViewInput viewInput();
    // Bytes held, by part; bytesPerRun() is their sum divided by the runs.
    struct Memory {
        size_t rows = 0, index = 0, view = 0, strings = 0;
    };
    Memory memory() const;
    double bytesPerRun() const;

    int runCount() const { return static_cast<int>(m_rows.size() - m_goneCount); }
    // How many running runs have each name as their last step (a tool's name for a tool
    // call): the breaker board's "runs at this tool". One pass over the rows.
    QHash<QString, int> runningByLastStep() const;
    // The running runaways (at most `limit`), run id and the reason as the table words it.
    QList<QPair<QString, QString>> runaways(int limit) const;
    static QString runawayText(const LiveRun &row); // "near step cap, same tool call ×7"
    int runawayCount() const { return m_runawayCount; }
    int runningCount() const { return m_runningCount; }
    const LiveRun *find(const std::string &runId) const;
    QString statusText(const LiveRun &row) const;
    // The running rows of the current view (what "kill every run shown" would kill), read off
    // the rows directly: at a million rows, a QVariant per cell would take seconds.
    struct RunningShown {
        QStringList ids;
        int users = 0;
        qint64 spendMicros = 0;
        std::vector<int> firstRows; // view positions of the first `listed` of them
    };
    RunningShown runningShown(int listed) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void viewRebuilt();
    void heldChangesChanged(); // heldNewRuns() or hasHeldChanges() changed

private:
    struct Kill {
        int64_t requestedMs = 0;
        int64_t deadlineMs = 0;
        int64_t endedSeenMs = -1;
        bool pending = false; // recorded, not yet applied to Redis
    };
    LiveRun &rowFor(const LiveRunUpdate &u, bool *created);
    int32_t relative(int64_t ms);
    int64_t absolute(const LiveRun &r) const { return m_epochMs + r.startedMs; }
    void evaluateRunaway(LiveRun &row, int64_t nowMs);
    KillState killState(const LiveRun &row, const Kill **kill = nullptr) const;
    void requestRebuild();
    void heldChangesShown();
    void compact();
    void installView(std::vector<uint32_t> view);
    void mergeIntoView(std::vector<uint32_t> rows);
    void mergeRowsFrom(size_t first); // the rows from `first` on that match the filter
    void allRowsChanged();
    const QString &name(uint16_t id) const { return m_names->at(id); }

    std::vector<LiveRun> m_rows;
    RunIdIndex m_index;
    std::vector<uint32_t> m_visible;
    std::unique_ptr<StringTable> m_users, m_names;
    QHash<uint16_t, RunawayLimits> m_limits; // by agent name id
    std::map<RunIdIndex::Id, Kill> m_kills;
    int64_t m_staleSinceMs = -1;
    bool m_held = false;
    int m_heldNewRuns = 0;
    bool m_heldResort = false;
    bool m_installOnce = false;         // showHeldChanges(): the next rebuild lands held or not
    uint64_t m_installedGeneration = 0; // of the view shown (sort and filter)
    LiveRunsFilter m_filter;
    std::unique_ptr<LiveRunsMatcher> m_matcher; // for runs merged in on this thread
    int m_sortColumn = Age;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder; // youngest first
    int64_t m_epochMs = 0;
    int64_t m_nowMs = 0;
    size_t m_goneCount = 0;
    int m_runawayCount = 0;
    int m_runningCount = 0;
    bool m_async = false;
    bool m_inFlight = false;
    bool m_rebuildAgain = false;
    uint64_t m_generation = 0; // bumped by every filter or sort change
    QFuture<void> m_worker;
    std::shared_ptr<std::vector<LiveRun>> m_copy; // reused: a fresh 56 MB buffer page-faults
};

} // namespace pitwall

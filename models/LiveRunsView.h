#pragma once

#include "LiveRun.h"
#include "StringTable.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

namespace pitwall {

// The columns of the live runs table.
enum LiveRunColumn {
    RunColumn,
    AgentColumn,
    VersionColumn,
    UserColumn,
    EntryPointColumn,
    StatusColumn,
    StepColumn,
    AgeColumn,
    SpendColumn,
    LastSpanColumn,
    HeartbeatColumn,
    RunawayColumn,
    LiveRunColumnCount
};

// What the filter box holds: free words, each of which must match some field (a substring of
// the agent, version, user, entry point, last span or status, "canary", or the start of the
// run id), and `field:value` terms that must match that field exactly, ignoring case
// (agent:, version:, user:, status:, run: (prefix), entry:). "version:v7 status:running" is
// every running run of version v7 and nothing of v70.
struct LiveRunsFilter {
    enum class Field { Any, Agent, Version, User, Status, Run, Entry, Tool };
    struct Term {
        Field field = Field::Any;
        QString text;
    };
    std::vector<Term> terms;
    QString error; // set when the text could not be used as given

    static LiveRunsFilter parse(const QString &text);
    bool isEmpty() const { return terms.empty(); }
};

// A row's status as a code: the ended status (0 while running, which LiveRun::Status numbers),
// 8 lost (no heartbeat), 9 kill requested. The table shows, filters and sorts by it.
enum : uint8_t { kStatusLost = 8, kStatusKillRequested = 9, kStatusCodes = 10 };
uint8_t liveRunStatusCode(const LiveRun &row);
// Its text, as the table shows it and the filter matches it.
QString liveRunStatusText(uint8_t code);
// Its place in the order of those texts: what sorting by status means.
uint32_t liveRunStatusRank(uint8_t code);

// Decides which rows match a filter. Each distinct string is tested once and remembered, so a
// million rows cost a few table lookups each. Not thread-safe: one per thread.
class LiveRunsMatcher {
public:
    LiveRunsMatcher(LiveRunsFilter filter, const StringTable *users, const StringTable *names);
    bool matches(const LiveRun &row);
    // Tests every string of the tables at once (for a pass over all rows): matches() then
    // only looks bits up.
    void prepare();
    bool isEmpty() const { return m_filter.isEmpty(); }

private:
    uint64_t bitsOf(std::vector<uint64_t> &cache, const StringTable *table, uint32_t id);
    uint64_t statusBits(const LiveRun &row);
    uint64_t termBits(const QString &s) const;

    LiveRunsFilter m_filter;
    const StringTable *m_users;
    const StringTable *m_names;
    std::vector<uint64_t> m_userBits, m_nameBits, m_statusBits;
    std::vector<std::vector<uint8_t>> m_runPrefixes; // per term, the id prefix as nibbles
    std::vector<uint8_t> m_canaryTerm;               // per term, whether "canary" contains it
    uint32_t m_all = 0;                              // every term's bit
    bool m_prepared = false;
};

// The one order of the live runs table, used by the full rebuild and by the merge of new rows
// alike: by the sort column's key (text columns by the case-insensitive order of their
// strings), then the youngest run first, then the run id, so the order is total and rows do not
// jump between rebuilds. The string ranks are taken when it is made: make a new one when the
// tables have grown.
class LiveRunsOrder {
public:
    // `rankText`: rank the sorted text column's strings once, for sorting many rows by key();
    // without, before() compares the strings themselves, for placing a few new rows. Both give
    // the same order (strings equal but for case share a rank).
    LiveRunsOrder(int column, bool ascending, const StringTable *users, const StringTable *names,
                  bool rankText = true);
    // Already reversed for a descending order: smaller keys come first. A text column's key
    // needs `rankText`.
    uint64_t key(const LiveRun &r) const;
    bool before(const LiveRun &a, const LiveRun &b) const;
    static bool tieBefore(int32_t startedA, const std::array<uint8_t, 16> &idA, int32_t startedB,
                          const std::array<uint8_t, 16> &idB) {
        return startedA != startedB ? startedA > startedB : idA < idB;
    }

private:
    const QString *text(const LiveRun &r) const; // the sorted text column's string, or null

    int m_column;
    bool m_ascending;
    const StringTable *m_users, *m_names;
    bool m_ranked;
    std::vector<uint32_t> m_nameRank, m_userRank;
};

// Everything the view computation needs, safe to hand to another thread: a copy of the rows,
// and string tables that are only read below the sizes taken with the copy.
struct LiveRunsViewInput {
    std::shared_ptr<const std::vector<LiveRun>> rows;
    const StringTable *users = nullptr;
    const StringTable *names = nullptr;
    LiveRunsFilter filter;
    int sortColumn = AgeColumn;
    bool ascending = true;
};

// Pure: the row numbers that match the filter, in sort order. Equal keys fall back to the
// youngest run first, then the id, so the order is total and rows do not jump between rebuilds.
std::vector<uint32_t> computeLiveRunsView(const LiveRunsViewInput &input);

} // namespace pitwall

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
    enum class Field { Any, Agent, Version, User, Status, Run, Entry };
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

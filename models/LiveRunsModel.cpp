#include "LiveRunsModel.h"

#include "ActivityText.h"

#include <QBrush>
#include <QColor>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace pitwall {
namespace {

uint8_t statusCode(const std::string &s) {
    // An unknown end is shown as failed.
    return uint8_t(parseRunStatus(s).value_or(RunStatus::Failed));
}

RunIdIndex::Id uuidBytes(const std::string &text) {
    RunIdIndex::Id bytes{};
    size_t n = 0;
    int high = -1;
    for (char c : text) {
        int v = -1;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        if (v < 0 || n >= 16)
            continue;
        if (high < 0) {
            high = v;
        } else {
            bytes[n++] = static_cast<uint8_t>(high << 4 | v);
            high = -1;
        }
    }
    return bytes;
}

QString uuidText(const RunIdIndex::Id &b) {
    static const char *hex = "0123456789abcdef";
    QString s;
    s.reserve(36);
    for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            s += QLatin1Char('-');
        s += QLatin1Char(hex[b[i] >> 4]);
        s += QLatin1Char(hex[b[i] & 0xf]);
    }
    return s;
}

QString seconds(int64_t ms) {
    if (ms < 60'000)
        return LiveRunsModel::tr("%1 s").arg(ms / 1000);
    return LiveRunsModel::tr("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60);
}

int32_t offset(int64_t at, int64_t start) {
    return static_cast<int32_t>(std::clamp<int64_t>(at - start, 0, INT32_MAX));
}

uint32_t micros(int64_t v) {
    return static_cast<uint32_t>(std::clamp<int64_t>(v, 0, UINT32_MAX));
}

constexpr uint32_t kNameLimit = 65536; // names are 16-bit ids

} // namespace

LiveRunsModel::LiveRunsModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_users(std::make_unique<StringTable>())
    , m_names(std::make_unique<StringTable>(kNameLimit))
    , m_matcher(std::make_unique<LiveRunsMatcher>(LiveRunsFilter{}, m_users.get(), m_names.get())) {
}

LiveRunsModel::~LiveRunsModel() {
    m_worker.waitForFinished(); // it reads the string tables
}

void LiveRunsModel::setLimits(const QString &agent, const RunawayLimits &limits) {
    m_limits.insert(static_cast<uint16_t>(m_names->intern(agent.toStdString())), limits);
}

int32_t LiveRunsModel::relative(int64_t ms) {
    if (m_epochMs == 0)
        m_epochMs = ms;
    const int64_t r = ms - m_epochMs;
    if (r > INT32_MAX / 2) {
        // The console has run for weeks: move the epoch forward (rows too old for the new
        // range are pinned to its start; they ended long ago).
        const int64_t shift = r - INT32_MAX / 4;
        for (LiveRun &row : m_rows)
            row.startedMs =
                static_cast<int32_t>(std::max<int64_t>(row.startedMs - shift, INT32_MIN));
        m_epochMs += shift;
        return relative(ms);
    }
    return static_cast<int32_t>(std::max<int64_t>(r, INT32_MIN));
}

LiveRun &LiveRunsModel::rowFor(const LiveRunUpdate &u, bool *created) {
    const RunIdIndex::Id id = uuidBytes(u.runId);
    auto idOf = [this](uint32_t row) -> const RunIdIndex::Id & {
        return m_rows[row].id;
    };
    const uint32_t found = m_index.find(id, idOf);
    *created = found == RunIdIndex::kEmpty;
    if (!*created)
        return m_rows[found];
    LiveRun row;
    row.id = id;
    row.startedMs = relative(u.startedMs ? u.startedMs : u.atMs);
    row.agent = static_cast<uint16_t>(m_names->intern(u.agent));
    row.version = static_cast<uint16_t>(m_names->intern(u.version));
    row.user = m_users->intern(u.user);
    row.maxSteps = static_cast<uint16_t>(std::clamp(u.maxSteps, 0, 65535));
    if (m_rows.size() == m_rows.capacity()) // grow by a quarter: doubling wastes up to 56 B a run
        m_rows.reserve(m_rows.size() + m_rows.size() / 4 + 1024);
    m_rows.push_back(row);
    ++m_runningCount;
    m_index.insert(id, static_cast<uint32_t>(m_rows.size() - 1), idOf);
    return m_rows.back();
}

void LiveRunsModel::evaluateRunaway(LiveRun &row, int64_t nowMs) {
    const bool was = row.runaway != 0;
    RunawayLimits effective = m_limits.value(row.agent, RunawayLimits{});
    if (row.maxSteps)
        effective.maxSteps = row.maxSteps;
    const RunawayInput in{row.step, int64_t(row.costMicros) + row.reservedMicros, row.toolRepeats,
                          nowMs - (absolute(row) + row.heartbeatOffsetMs), row.running()};
    row.runaway = (row.flags & LiveRun::Gone) ? 0 : runawayReasons(in, effective);
    m_runawayCount += int(row.runaway != 0) - int(was);
}

void LiveRunsModel::apply(const LiveRunUpdates &updates, int64_t nowMs, bool snapshot) {
    m_nowMs = nowMs;
    const size_t before = m_rows.size();
    std::vector<uint8_t> seen(snapshot ? before : 0, 0);
    for (const LiveRunUpdate &u : updates) {
        bool created = false;
        LiveRun &row = rowFor(u, &created);
        const uint32_t number = static_cast<uint32_t>(&row - m_rows.data());
        if (snapshot && number < before)
            seen[number] = 1;
        const bool ended = !row.running() && !(row.flags & LiveRun::Unobserved);
        const int64_t start = absolute(row);
        switch (u.kind) {
        case LiveRunUpdate::Kind::Snapshot:
        case LiveRunUpdate::Kind::Started:
            if (u.startedMs && created)
                row.startedMs = relative(u.startedMs);
            if (u.maxSteps)
                row.maxSteps = static_cast<uint16_t>(std::clamp(u.maxSteps, 0, 65535));
            row.entryPoint = static_cast<uint16_t>(m_names->intern(u.entryPoint));
            row.flags = static_cast<uint8_t>(u.canary ? row.flags | LiveRun::Canary
                                                      : row.flags & ~LiveRun::Canary);
            if (u.kind == LiveRunUpdate::Kind::Snapshot) {
                row.step = static_cast<uint16_t>(std::max<int>(row.step, u.step));
                row.costMicros = micros(u.costMicros);
                row.reservedMicros = micros(u.reservedMicros);
                row.lastSpan = static_cast<uint16_t>(m_names->intern(u.lastSpan));
                row.toolRepeats = static_cast<uint8_t>(std::min(u.toolRepeats, 255));
                if (!u.status.empty() && u.status != runStatusName(RunStatus::Running) &&
                    row.running()) {
                    row.endedOffsetMs = offset(u.atMs, start);
                    --m_runningCount;
                }
                if (!u.status.empty())
                    row.status = statusCode(u.status);
            }
            row.heartbeatOffsetMs = std::max(row.heartbeatOffsetMs, offset(u.atMs, start));
            break;
        case LiveRunUpdate::Kind::Step:
            if (ended || u.step < row.step)
                break; // late or repeated delivery: the run has moved on
            row.step = static_cast<uint16_t>(std::min(u.step, 65535));
            row.costMicros = std::max(row.costMicros, micros(u.costMicros));
            row.lastSpan = static_cast<uint16_t>(m_names->intern(u.lastSpan));
            row.toolRepeats = static_cast<uint8_t>(std::min(u.toolRepeats, 255));
            row.heartbeatOffsetMs = std::max(row.heartbeatOffsetMs, offset(u.atMs, start));
            break;
        case LiveRunUpdate::Kind::Ended:
            if (ended)
                break;
            if (row.running())
                --m_runningCount;
            row.flags &= ~LiveRun::Unobserved;
            row.status = statusCode(u.status);
            row.endedOffsetMs = offset(u.atMs, start);
            row.step = static_cast<uint16_t>(std::max<int>(row.step, u.step));
            row.costMicros = micros(u.costMicros);
            row.reservedMicros = 0;
            if (auto it = m_kills.find(row.id); it != m_kills.end() && it->second.endedSeenMs < 0)
                it->second.endedSeenMs = nowMs;
            break;
        case LiveRunUpdate::Kind::KillRequested: {
            row.flags |= LiveRun::KillRequested;
            auto [it, fresh] =
                m_kills.try_emplace(row.id, Kill{nowMs, nowMs + kKillDeadline.count(), -1});
            if (!fresh && it->second.pending) // applied from the outbox: the clock starts now
                it->second = Kill{nowMs, nowMs + kKillDeadline.count(), -1};
            break;
        }
        }
        evaluateRunaway(row, nowMs);
    }
    if (snapshot) {
        // Runs the model still shows as running but the fresh snapshot does not hold ended
        // while the feed was away: their end event is gone, so they end here, unobserved.
        for (size_t i = 0; i < before; ++i) {
            LiveRun &row = m_rows[i];
            if (!seen[i] && row.running() && !(row.flags & LiveRun::Gone)) {
                row.status = LiveRun::Ended;
                row.flags |= LiveRun::Unobserved;
                --m_runningCount;
                row.endedOffsetMs = offset(nowMs, absolute(row));
                row.reservedMicros = 0;
                evaluateRunaway(row, nowMs);
            }
        }
    }
    mergeRowsFrom(before);
    if (!updates.empty())
        allRowsChanged(); // one repaint of the visible rows per batch
}

void LiveRunsModel::setStale(bool stale, int64_t sinceMs) {
    if (stale == (m_staleSinceMs >= 0))
        return;
    m_staleSinceMs = stale ? sinceMs : -1;
    allRowsChanged();
}

void LiveRunsModel::tick(int64_t nowMs, int64_t lingerMs) {
    if (m_staleSinceMs >= 0)
        return; // what Redis held when the feed went away: nothing ages, nothing is judged
    m_nowMs = nowMs;
    bool removed = false;
    for (LiveRun &row : m_rows) {
        if (row.flags & LiveRun::Gone)
            continue;
        if (!m_held && !row.running() && nowMs - (absolute(row) + row.endedOffsetMs) > lingerMs) {
            row.flags |= LiveRun::Gone;
            ++m_goneCount;
            removed = true;
            m_kills.erase(row.id);
        }
        evaluateRunaway(row, nowMs);
    }
    if (removed) {
        std::vector<uint32_t> kept;
        kept.reserve(m_visible.size());
        for (uint32_t r : m_visible)
            if (!(m_rows[r].flags & LiveRun::Gone))
                kept.push_back(r);
        installView(std::move(kept));
    }
    allRowsChanged();
    // Steps, spend, heartbeats and statuses move rows in the order of their columns and in and
    // out of a filter; age and run id do not (new runs are merged in as they come), so sorted
    // by those with no filter only a compaction is worth a pass over the rows.
    const bool fixedOrder = (m_sortColumn == Age || m_sortColumn == Run) && m_filter.isEmpty();
    if (m_held) {
        if (!fixedOrder && !m_heldResort) {
            m_heldResort = true;
            Q_EMIT heldChangesChanged();
        }
        return;
    }
    if (!fixedOrder || m_goneCount * 4 > m_rows.size() || !m_async)
        requestRebuild();
}

void LiveRunsModel::setHeld(bool held) {
    if (held == m_held)
        return;
    m_held = held;
    if (!held && hasHeldChanges())
        requestRebuild(); // the fresh order, with the new runs merged in
}

void LiveRunsModel::showHeldChanges() {
    if (!hasHeldChanges())
        return;
    m_installOnce = true;
    requestRebuild();
}

void LiveRunsModel::compact() {
    if (m_goneCount == 0)
        return;
    std::vector<uint32_t> newNumber(m_rows.size(), RunIdIndex::kEmpty);
    size_t kept = 0;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].flags & LiveRun::Gone)
            continue;
        newNumber[i] = static_cast<uint32_t>(kept);
        m_rows[kept++] = m_rows[i];
    }
    m_rows.resize(kept);
    m_goneCount = 0;
    m_index.rebuild(static_cast<uint32_t>(kept),
                    [this](uint32_t row) -> const RunIdIndex::Id & { return m_rows[row].id; });
    // The view holds no gone rows (tick took them out), so its positions stay as they are.
    for (uint32_t &r : m_visible)
        r = newNumber[r];
}

LiveRunsViewInput LiveRunsModel::viewInput() {
    // The worker holds the last copy until it is done; reuse its pages when it has let go.
    if (!m_copy || m_copy.use_count() > 1)
        m_copy = std::make_shared<std::vector<LiveRun>>();
    m_copy->assign(m_rows.begin(), m_rows.end());
    LiveRunsViewInput input;
    input.rows = m_copy;
    input.users = m_users.get();
    input.names = m_names.get();
    input.filter = m_filter;
    input.sortColumn = m_sortColumn;
    input.ascending = m_sortOrder == Qt::AscendingOrder;
    return input;
}

void LiveRunsModel::requestRebuild() {
    if (m_inFlight) {
        m_rebuildAgain = true;
        return;
    }
    // Compact when a quarter of the rows are gone (or always when synchronous): renumbering
    // rehashes every id, so it is not worth doing for a few.
    if (!m_async || m_goneCount * 4 > m_rows.size())
        compact();
    const LiveRunsViewInput input = viewInput();
    if (!m_async) {
        if (m_held && !m_installOnce && !m_visible.empty() &&
            m_generation == m_installedGeneration) {
            m_heldResort = true;
            Q_EMIT heldChangesChanged();
            return;
        }
        installView(computeLiveRunsView(input));
        m_installedGeneration = m_generation;
        heldChangesShown();
        Q_EMIT viewRebuilt();
        return;
    }
    m_inFlight = true;
    m_rebuildAgain = false;
    const uint64_t generation = m_generation;
    const size_t rowsSeen = m_rows.size();
    auto future = QtConcurrent::run([input] { return computeLiveRunsView(input); });
    m_worker = future.then(this, [this, generation, rowsSeen](std::vector<uint32_t> view) {
        m_inFlight = false;
        if (generation == m_generation && m_held && !m_installOnce && !m_visible.empty() &&
            generation == m_installedGeneration) {
            // The operator is aiming at a row: this re-sort waits to be shown.
            if (!m_heldResort) {
                m_heldResort = true;
                Q_EMIT heldChangesChanged();
            }
        } else if (generation == m_generation) {
            // Drop what left since the copy was taken; merge in what arrived meanwhile.
            view.erase(
                std::remove_if(view.begin(), view.end(),
                               [this](uint32_t r) { return m_rows[r].flags & LiveRun::Gone; }),
                view.end());
            installView(std::move(view));
            m_installedGeneration = generation;
            heldChangesShown();
            mergeRowsFrom(rowsSeen);
            Q_EMIT viewRebuilt();
        } else {
            m_rebuildAgain = true; // the filter or sort changed meanwhile
        }
        if (std::exchange(m_rebuildAgain, false))
            requestRebuild();
    });
}

void LiveRunsModel::mergeRowsFrom(size_t first) {
    std::vector<uint32_t> added;
    for (size_t i = first; i < m_rows.size(); ++i)
        if (m_matcher->matches(m_rows[i]))
            added.push_back(static_cast<uint32_t>(i));
    if (added.empty())
        return;
    if (m_held && !m_installOnce && !m_visible.empty()) {
        // Counted, not inserted: a row would move under the pointer. The next rebuild (when
        // released, or on "show") merges them with everything else.
        m_heldNewRuns += static_cast<int>(added.size());
        Q_EMIT heldChangesChanged();
        return;
    }
    mergeIntoView(std::move(added));
}

void LiveRunsModel::heldChangesShown() {
    m_installOnce = false;
    if (m_heldNewRuns == 0 && !m_heldResort)
        return;
    m_heldNewRuns = 0;
    m_heldResort = false;
    Q_EMIT heldChangesChanged();
}

void LiveRunsModel::allRowsChanged() {
    if (!m_visible.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void LiveRunsModel::mergeIntoView(std::vector<uint32_t> rows) {
    // A few new rows: their strings are compared, not every string of the tables ranked.
    const LiveRunsOrder order(m_sortColumn, m_sortOrder == Qt::AscendingOrder, m_users.get(),
                              m_names.get(), false);
    auto before = [this, &order](uint32_t x, uint32_t y) {
        return order.before(m_rows[x], m_rows[y]);
    };
    std::sort(rows.begin(), rows.end(), before);
    // The view may have drifted from its order since the last rebuild (rows change); the merge
    // still places each new run next to its neighbours, and the next rebuild settles the rest.
    std::vector<uint32_t> merged;
    merged.reserve(m_visible.size() + rows.size());
    std::merge(m_visible.begin(), m_visible.end(), rows.begin(), rows.end(),
               std::back_inserter(merged), before);
    installView(std::move(merged));
}

void LiveRunsModel::installView(std::vector<uint32_t> view) {
    Q_EMIT layoutAboutToBeChanged();
    const QModelIndexList persistent = persistentIndexList();
    std::vector<uint32_t> rowsOf;
    rowsOf.reserve(static_cast<size_t>(persistent.size()));
    for (const QModelIndex &i : persistent)
        rowsOf.push_back(i.row() < int(m_visible.size()) ? m_visible[size_t(i.row())]
                                                         : RunIdIndex::kEmpty);
    m_visible = std::move(view);
    if (!persistent.isEmpty()) {
        std::vector<int32_t> positionOf(m_rows.size(), -1);
        for (size_t p = 0; p < m_visible.size(); ++p)
            positionOf[m_visible[p]] = static_cast<int32_t>(p);
        QModelIndexList after;
        after.reserve(persistent.size());
        for (qsizetype k = 0; k < persistent.size(); ++k) {
            const uint32_t r = rowsOf[size_t(k)];
            const int32_t p = r < positionOf.size() ? positionOf[r] : -1;
            after.append(p < 0 ? QModelIndex() : index(p, persistent[k].column()));
        }
        changePersistentIndexList(persistent, after);
    }
    Q_EMIT layoutChanged();
}

void LiveRunsModel::setSortColumn(int column, Qt::SortOrder order) {
    if (column == m_sortColumn && order == m_sortOrder && !m_visible.empty())
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    ++m_generation;
    requestRebuild();
}

void LiveRunsModel::sort(int column, Qt::SortOrder order) {
    setSortColumn(column, order);
}

void LiveRunsModel::setFilterText(const QString &text) {
    m_filter = LiveRunsFilter::parse(text);
    m_matcher = std::make_unique<LiveRunsMatcher>(m_filter, m_users.get(), m_names.get());
    ++m_generation;
    requestRebuild();
}

void LiveRunsModel::markKillRequested(const QStringList &runIds, int64_t nowMs, int64_t deadlineMs,
                                      bool applied) {
    for (const QString &text : runIds) {
        const RunIdIndex::Id id = uuidBytes(text.toStdString());
        const uint32_t r = m_index.find(
            id, [this](uint32_t row) -> const RunIdIndex::Id & { return m_rows[row].id; });
        if (r == RunIdIndex::kEmpty)
            continue;
        m_rows[r].flags |= LiveRun::KillRequested;
        auto existing = m_kills.find(id);
        if (existing != m_kills.end() && !existing->second.pending && !applied)
            continue; // the stream already said it was applied
        m_kills[id] = Kill{nowMs, deadlineMs, m_rows[r].running() ? -1 : nowMs, !applied};
    }
    allRowsChanged();
}

LiveRunsModel::KillState LiveRunsModel::killState(const LiveRun &row, const Kill **kill) const {
    if (!(row.flags & LiveRun::KillRequested))
        return KillState::None;
    auto it = m_kills.find(row.id);
    if (it == m_kills.end())
        return KillState::Requested;
    if (kill)
        *kill = &it->second;
    if (it->second.pending)
        return row.running() ? KillState::Pending : KillState::None; // it ended by itself
    if (!row.running())
        return KillState::Landed;
    return m_nowMs > it->second.deadlineMs ? KillState::NotHonoured : KillState::Requested;
}

LiveRunsModel::Memory LiveRunsModel::memory() const {
    return {m_rows.capacity() * sizeof(LiveRun), m_index.bytes(),
            m_visible.capacity() * sizeof(uint32_t), m_users->bytes() + m_names->bytes()};
}

double LiveRunsModel::bytesPerRun() const {
    const Memory m = memory();
    return double(m.rows + m.index + m.view + m.strings) /
           double(std::max<size_t>(1, m_rows.size()));
}

QHash<QString, int> LiveRunsModel::runningByLastStep() const {
    std::vector<int> counts(m_names->size(), 0);
    for (const LiveRun &row : m_rows)
        if (row.running() && !(row.flags & LiveRun::Gone) && row.lastSpan < counts.size())
            ++counts[row.lastSpan];
    QHash<QString, int> out;
    for (uint32_t id = 1; id < counts.size(); ++id)
        if (counts[id] > 0)
            out.insert(m_names->at(id), counts[id]);
    return out;
}

QString LiveRunsModel::runawayText(const LiveRun &row) {
    QStringList why;
    if (row.runaway & NearStepCap)
        why << tr("near step cap");
    if (row.runaway & OverCostPerRequest)
        why << tr("over cost per request");
    if (row.runaway & RepeatingToolCall)
        why << tr("same tool call ×%1").arg(row.toolRepeats);
    if (row.runaway & NoHeartbeat)
        why << tr("no heartbeat");
    return why.join(QStringLiteral(", "));
}

QList<QPair<QString, QString>> LiveRunsModel::runaways(int limit) const {
    QList<QPair<QString, QString>> out;
    for (const LiveRun &row : m_rows) {
        if (out.size() >= limit)
            break;
        if (row.running() && row.runaway && !(row.flags & LiveRun::Gone))
            out.append({uuidText(row.id), runawayText(row)});
    }
    return out;
}

const LiveRun *LiveRunsModel::find(const std::string &runId) const {
    const uint32_t r =
        m_index.find(uuidBytes(runId),
                     [this](uint32_t row) -> const RunIdIndex::Id & { return m_rows[row].id; });
    return r == RunIdIndex::kEmpty || (m_rows[r].flags & LiveRun::Gone) ? nullptr : &m_rows[r];
}

QString LiveRunsModel::statusText(const LiveRun &row) const {
    const Kill *kill = nullptr;
    switch (killState(row, &kill)) {
    case KillState::Landed:
        if (kill && kill->endedSeenMs >= 0)
            return tr("%1 after %2 ms")
                .arg(liveRunStatusText(liveRunStatusCode(row)))
                .arg(std::max<int64_t>(0, kill->endedSeenMs - kill->requestedMs));
        break;
    case KillState::NotHonoured:
        return tr("still running %1 after the kill")
            .arg(seconds(m_nowMs - (kill ? kill->requestedMs : m_nowMs)));
    case KillState::Pending:
        return tr("kill recorded, waiting for Redis");
    case KillState::Requested:
    case KillState::None:
        break;
    }
    if (row.flags & LiveRun::Unobserved)
        return tr("ended while the feed was down");
    return liveRunStatusText(liveRunStatusCode(row));
}

LiveRunsModel::RunningShown LiveRunsModel::runningShown(int listed) const {
    RunningShown shown;
    std::vector<uint8_t> userSeen(m_users->size(), 0);
    for (size_t p = 0; p < m_visible.size(); ++p) {
        const LiveRun &row = m_rows[m_visible[p]];
        if (!row.running())
            continue;
        shown.ids << uuidText(row.id);
        shown.users += !std::exchange(userSeen[row.user], 1);
        shown.spendMicros += qint64(row.costMicros) + row.reservedMicros;
        if (int(shown.firstRows.size()) < listed)
            shown.firstRows.push_back(int(p));
    }
    return shown;
}

int LiveRunsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_visible.size());
}

int LiveRunsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveRunsModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LiveRun &row = m_rows[m_visible[static_cast<size_t>(index.row())]];
    const bool ended = !row.running();
    switch (role) {
    case RunIdRole:
        return uuidText(row.id);
    case RunawayRole:
        return int(row.runaway);
    case EndedRole:
        return ended;
    case KillStateRole:
        return int(killState(row));
    case AgentNameRole:
        return name(row.agent);
    case VersionNameRole:
        return name(row.version);
    case UserNameRole:
        return m_users->at(row.user);
    case SpendMicrosRole:
        return qint64(row.costMicros) + row.reservedMicros;
    case Qt::ForegroundRole:
        if (index.column() == Status && killState(row) == KillState::NotHonoured)
            return QBrush(QColor(0xb0, 0x00, 0x20));
        return ended || m_staleSinceMs >= 0 ? QVariant(QBrush(QColor(0x88, 0x88, 0x88)))
                                            : QVariant();
    case Qt::BackgroundRole:
        return row.runaway ? QVariant(QBrush(QColor(0xfd, 0xe2, 0xdf))) : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == Status && killState(row) == KillState::Pending)
            return tr("The kill is recorded in PostgreSQL and waits to be applied to Redis, "
                      "which cannot be reached: the agent will stop once a console or "
                      "`pitwallctl drain` applies it.");
        if (index.column() == Status && killState(row) == KillState::NotHonoured)
            return tr("The kill flag is set but the run keeps going: its agent is not honouring "
                      "kills. Check that it runs the Pitwall guard.");
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    const int64_t start = absolute(row);
    const int64_t end = ended ? start + row.endedOffsetMs : m_nowMs;
    switch (static_cast<Column>(index.column())) {
    case Run:
        return uuidText(row.id);
    case Agent:
        return name(row.agent);
    case Version:
        return row.flags & LiveRun::Canary ? tr("%1 (canary)").arg(name(row.version))
                                           : name(row.version);
    case User:
        return m_users->at(row.user);
    case EntryPoint:
        return name(row.entryPoint);
    case Status:
        return statusText(row);
    case Step:
        return row.maxSteps ? tr("%1 / %2").arg(row.step).arg(row.maxSteps)
                            : QString::number(row.step);
    case Age:
        return seconds(std::max<int64_t>(0, end - start));
    case Spend:
        return row.reservedMicros ? tr("%1 (+%2)")
                                        .arg(ActivityText::usd(row.costMicros),
                                             ActivityText::usd(row.reservedMicros))
                                  : ActivityText::usd(row.costMicros);
    case LastSpan:
        return name(row.lastSpan);
    case Heartbeat:
        return ended ? QString()
                     : tr("%1 ago").arg(seconds(
                           std::max<int64_t>(0, m_nowMs - (start + row.heartbeatOffsetMs))));
    case Runaway:
        return runawayText(row);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant LiveRunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {
        QT_TR_NOOP("Run"),       QT_TR_NOOP("Agent"),     QT_TR_NOOP("Version"),
        QT_TR_NOOP("User"),      QT_TR_NOOP("Entry"),     QT_TR_NOOP("Status"),
        QT_TR_NOOP("Step"),      QT_TR_NOOP("Age"),       QT_TR_NOOP("Spend (+reserved)"),
        QT_TR_NOOP("Last span"), QT_TR_NOOP("Heartbeat"), QT_TR_NOOP("Runaway")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace pitwall

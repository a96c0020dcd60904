#include "LiveRunsModel.h"

#include "ActivityText.h"

#include <QBrush>
#include <QColor>
#include <QStringList>

#include <algorithm>

namespace pitwall {
namespace {

const char *const kStatuses[] = {"running", "succeeded",  "failed", "killed",
                                 "capped",  "step_limit", "timeout"};

uint8_t statusCode(const std::string &s) {
    for (uint8_t i = 0; i < std::size(kStatuses); ++i)
        if (s == kStatuses[i])
            return i;
    return 2; // an unknown end is shown as failed
}

std::array<uint8_t, 16> uuidBytes(const std::string &text) {
    std::array<uint8_t, 16> bytes{};
    size_t n = 0;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    int high = -1;
    for (char c : text) {
        const int v = nibble(c);
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

QString uuidText(const std::array<uint8_t, 16> &b) {
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

} // namespace

LiveRunsModel::LiveRunsModel(QObject *parent)
    : QAbstractTableModel(parent) {
    intern({}); // id 0: the empty string
}

uint32_t LiveRunsModel::intern(const std::string &s) {
    auto it = m_stringIds.find(s);
    if (it != m_stringIds.end())
        return it->second;
    const auto id = static_cast<uint32_t>(m_strings.size());
    m_strings.push_back(QString::fromStdString(s));
    m_stringIds.emplace(s, id);
    return id;
}

void LiveRunsModel::setLimits(const QString &agent, const RunawayLimits &limits) {
    m_limits.insert(intern(agent.toStdString()), limits);
}

LiveRunsModel::Row &LiveRunsModel::rowFor(const LiveRunUpdate &u, bool *created) {
    auto it = m_rowOf.find(u.runId);
    *created = it == m_rowOf.end();
    if (!*created)
        return m_rows[it->second];
    Row row;
    row.id = uuidBytes(u.runId);
    row.startedMs = u.startedMs ? u.startedMs : u.atMs;
    row.agent = static_cast<uint16_t>(intern(u.agent));
    row.version = static_cast<uint16_t>(intern(u.version));
    row.user = intern(u.user);
    row.maxSteps = static_cast<uint16_t>(u.maxSteps);
    m_rowOf.emplace(u.runId, static_cast<uint32_t>(m_rows.size()));
    m_rows.push_back(row);
    return m_rows.back();
}

void LiveRunsModel::evaluateRunaway(Row &row, int64_t nowMs) {
    const RunawayLimits limits = m_limits.value(row.agent, RunawayLimits{});
    RunawayLimits effective = limits;
    if (row.maxSteps)
        effective.maxSteps = row.maxSteps;
    const RunawayInput in{row.step, row.costMicros + row.reservedMicros, row.toolRepeats,
                          nowMs - (row.startedMs + row.heartbeatOffsetMs), row.endedOffsetMs < 0};
    row.runaway = runawayReasons(in, effective);
}

void LiveRunsModel::apply(const LiveRunUpdates &updates, int64_t nowMs) {
    m_nowMs = nowMs;
    bool inserted = false;
    std::vector<uint32_t> changed;
    for (const LiveRunUpdate &u : updates) {
        bool created = false;
        Row &row = rowFor(u, &created);
        inserted |= created;
        const bool ended = row.endedOffsetMs >= 0;
        switch (u.kind) {
        case LiveRunUpdate::Kind::Snapshot:
        case LiveRunUpdate::Kind::Started:
            if (u.startedMs)
                row.startedMs = u.startedMs;
            if (u.maxSteps)
                row.maxSteps = static_cast<uint16_t>(u.maxSteps);
            row.entryPoint = static_cast<uint16_t>(intern(u.entryPoint));
            row.flags = static_cast<uint8_t>(u.canary ? row.flags | Canary : row.flags & ~Canary);
            if (u.kind == LiveRunUpdate::Kind::Snapshot) {
                row.step = static_cast<uint16_t>(std::max<int>(row.step, u.step));
                row.costMicros = u.costMicros;
                row.reservedMicros = static_cast<int32_t>(u.reservedMicros);
                row.lastSpan = static_cast<uint16_t>(intern(u.lastSpan));
                row.toolRepeats = static_cast<uint8_t>(std::min(u.toolRepeats, 255));
                if (!u.status.empty() && u.status != "running" && !ended)
                    row.endedOffsetMs = offset(u.atMs, row.startedMs);
                if (!u.status.empty())
                    row.status = statusCode(u.status);
            }
            row.heartbeatOffsetMs = std::max(row.heartbeatOffsetMs, offset(u.atMs, row.startedMs));
            break;
        case LiveRunUpdate::Kind::Step:
            if (ended || u.step < row.step)
                break; // late or repeated delivery: the run has moved on
            row.step = static_cast<uint16_t>(u.step);
            row.costMicros = std::max(row.costMicros, u.costMicros);
            row.lastSpan = static_cast<uint16_t>(intern(u.lastSpan));
            row.toolRepeats = static_cast<uint8_t>(std::min(u.toolRepeats, 255));
            row.heartbeatOffsetMs = std::max(row.heartbeatOffsetMs, offset(u.atMs, row.startedMs));
            break;
        case LiveRunUpdate::Kind::Ended:
            if (ended)
                break;
            row.status = statusCode(u.status);
            row.endedOffsetMs = offset(u.atMs, row.startedMs);
            row.step = static_cast<uint16_t>(std::max<int>(row.step, u.step));
            row.costMicros = u.costMicros;
            row.reservedMicros = 0;
            break;
        case LiveRunUpdate::Kind::KillRequested:
            row.flags |= KillRequested;
            break;
        }
        evaluateRunaway(row, nowMs);
        changed.push_back(static_cast<uint32_t>(&row - m_rows.data()));
    }
    if (inserted) {
        rebuildView();
        return;
    }
    // Coalesce the visible rows that changed into ranges for dataChanged.
    std::vector<int> positions;
    std::vector<int> positionOf(m_rows.size(), -1);
    for (size_t i = 0; i < m_visible.size(); ++i)
        positionOf[m_visible[i]] = static_cast<int>(i);
    for (uint32_t r : changed)
        if (positionOf[r] >= 0)
            positions.push_back(positionOf[r]);
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    for (size_t i = 0; i < positions.size();) {
        size_t j = i;
        while (j + 1 < positions.size() && positions[j + 1] == positions[j] + 1)
            ++j;
        Q_EMIT dataChanged(index(positions[i], 0), index(positions[j], ColumnCount - 1));
        i = j + 1;
    }
}

void LiveRunsModel::tick(int64_t nowMs, int64_t lingerMs) {
    m_nowMs = nowMs;
    std::vector<Row> kept;
    kept.reserve(m_rows.size());
    for (Row &row : m_rows) {
        if (row.endedOffsetMs >= 0 && nowMs - (row.startedMs + row.endedOffsetMs) > lingerMs)
            continue;
        evaluateRunaway(row, nowMs);
        kept.push_back(row);
    }
    if (kept.size() != m_rows.size()) {
        m_rows = std::move(kept);
        m_rowOf.clear();
        for (uint32_t i = 0; i < m_rows.size(); ++i)
            m_rowOf.emplace(uuidText(m_rows[i].id).toStdString(), i);
    }
    rebuildView(); // ages, heartbeats and the order move with the clock
}

bool LiveRunsModel::matches(const Row &row) const {
    for (const QString &word : m_filterWords) {
        const bool found = text(row.agent).contains(word, Qt::CaseInsensitive) ||
                           text(row.version).contains(word, Qt::CaseInsensitive) ||
                           text(row.user).contains(word, Qt::CaseInsensitive) ||
                           statusText(row).contains(word, Qt::CaseInsensitive) ||
                           uuidText(row.id).startsWith(word, Qt::CaseInsensitive);
        if (!found)
            return false;
    }
    return true;
}

bool LiveRunsModel::lessThan(const Row &a, const Row &b) const {
    switch (m_sortColumn) {
    case Agent:
        return text(a.agent) < text(b.agent);
    case Version:
        return text(a.version) < text(b.version);
    case User:
        return text(a.user) < text(b.user);
    case EntryPoint:
        return text(a.entryPoint) < text(b.entryPoint);
    case Status:
        return statusText(a) < statusText(b);
    case Step:
        return a.step < b.step;
    case Spend:
        return a.costMicros + a.reservedMicros < b.costMicros + b.reservedMicros;
    case LastSpan:
        return text(a.lastSpan) < text(b.lastSpan);
    case Heartbeat:
        return a.startedMs + a.heartbeatOffsetMs > b.startedMs + b.heartbeatOffsetMs;
    case Runaway:
        return a.runaway < b.runaway;
    case Run:
        return a.id < b.id;
    case Age:
    default:
        return a.startedMs > b.startedMs; // younger first: ascending age
    }
}

void LiveRunsModel::rebuildView() {
    Q_EMIT layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    std::vector<std::array<uint8_t, 16>> ids;
    ids.reserve(before.size());
    for (const QModelIndex &i : before)
        ids.push_back(m_rows[m_visible[i.row()]].id);

    std::vector<uint32_t> visible;
    visible.reserve(m_rows.size());
    for (uint32_t i = 0; i < m_rows.size(); ++i)
        if (matches(m_rows[i]))
            visible.push_back(i);
    // Equal keys fall back to the youngest run first, then the id: the order is total, so rows
    // do not jump around between rebuilds.
    std::sort(visible.begin(), visible.end(), [this](uint32_t x, uint32_t y) {
        const Row &a = m_rows[x], &b = m_rows[y];
        const bool ascending = m_sortOrder == Qt::AscendingOrder;
        if (lessThan(a, b))
            return ascending;
        if (lessThan(b, a))
            return !ascending;
        if (a.startedMs != b.startedMs)
            return a.startedMs > b.startedMs;
        return a.id < b.id;
    });
    m_visible = std::move(visible);

    QModelIndexList after;
    after.reserve(before.size());
    std::unordered_map<std::string, int> positionOf;
    if (!before.isEmpty())
        for (size_t p = 0; p < m_visible.size(); ++p)
            positionOf.emplace(uuidText(m_rows[m_visible[p]].id).toStdString(),
                               static_cast<int>(p));
    for (int k = 0; k < before.size(); ++k) {
        auto it = positionOf.find(uuidText(ids[static_cast<size_t>(k)]).toStdString());
        after.append(it == positionOf.end() ? QModelIndex()
                                            : index(it->second, before[k].column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged();
}

void LiveRunsModel::setSortColumn(int column, Qt::SortOrder order) {
    m_sortColumn = column;
    m_sortOrder = order;
    rebuildView();
}

void LiveRunsModel::sort(int column, Qt::SortOrder order) {
    setSortColumn(column, order);
}

void LiveRunsModel::setFilterText(const QString &text) {
    m_filterWords = text.split(QLatin1Char(' '), Qt::SkipEmptyParts); // once, not per row
    rebuildView();
}

int LiveRunsModel::runawayCount() const {
    return static_cast<int>(
        std::count_if(m_rows.begin(), m_rows.end(), [](const Row &r) { return r.runaway != 0; }));
}

const LiveRunsModel::Row *LiveRunsModel::find(const std::string &runId) const {
    auto it = m_rowOf.find(runId);
    return it == m_rowOf.end() ? nullptr : &m_rows[it->second];
}

QString LiveRunsModel::statusText(const Row &row) const {
    if (row.endedOffsetMs >= 0)
        return QString::fromLatin1(kStatuses[row.status])
            .replace(QLatin1Char('_'), QLatin1Char(' '));
    if (row.runaway & NoHeartbeat)
        return tr("lost");
    if (row.flags & KillRequested)
        return tr("kill requested");
    return tr("running");
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
    const Row &row = m_rows[m_visible[static_cast<size_t>(index.row())]];
    const bool ended = row.endedOffsetMs >= 0;
    switch (role) {
    case RunIdRole:
        return uuidText(row.id);
    case RunawayRole:
        return int(row.runaway);
    case EndedRole:
        return ended;
    case Qt::ForegroundRole:
        return ended ? QVariant(QBrush(QColor(0x88, 0x88, 0x88))) : QVariant();
    case Qt::BackgroundRole:
        return row.runaway ? QVariant(QBrush(QColor(0xfd, 0xe2, 0xdf))) : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    const int64_t end = ended ? row.startedMs + row.endedOffsetMs : m_nowMs;
    switch (static_cast<Column>(index.column())) {
    case Run:
        return uuidText(row.id);
    case Agent:
        return text(row.agent);
    case Version:
        return row.flags & Canary ? tr("%1 (canary)").arg(text(row.version)) : text(row.version);
    case User:
        return text(row.user);
    case EntryPoint:
        return text(row.entryPoint);
    case Status:
        return statusText(row);
    case Step:
        return row.maxSteps ? tr("%1 / %2").arg(row.step).arg(row.maxSteps)
                            : QString::number(row.step);
    case Age:
        return seconds(std::max<int64_t>(0, end - row.startedMs));
    case Spend:
        return row.reservedMicros ? tr("%1 (+%2 reserved)")
                                        .arg(ActivityText::usd(row.costMicros),
                                             ActivityText::usd(row.reservedMicros))
                                  : ActivityText::usd(row.costMicros);
    case LastSpan:
        return text(row.lastSpan);
    case Heartbeat:
        return ended ? QString()
                     : tr("%1 ago").arg(seconds(std::max<int64_t>(
                           0, m_nowMs - (row.startedMs + row.heartbeatOffsetMs))));
    case Runaway: {
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
        QT_TR_NOOP("Step"),      QT_TR_NOOP("Age"),       QT_TR_NOOP("Spend"),
        QT_TR_NOOP("Last span"), QT_TR_NOOP("Heartbeat"), QT_TR_NOOP("Runaway")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace pitwall

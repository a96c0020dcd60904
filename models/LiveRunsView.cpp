#include "LiveRunsView.h"

#include "RunawayRules.h"

#include <QCoreApplication>

#include <algorithm>

namespace pitwall {
namespace {

constexpr uint64_t kKnown = 1ull << 63;

int nibble(QChar c) {
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

// The id prefix a word stands for, as nibbles; empty when the word is not a run id prefix.
std::vector<uint8_t> idPrefix(const QString &word) {
    std::vector<uint8_t> nibbles;
    for (QChar c : word) {
        if (c == QLatin1Char('-'))
            continue;
        const int v = nibble(c);
        if (v < 0 || nibbles.size() == 32)
            return {};
        nibbles.push_back(static_cast<uint8_t>(v));
    }
    return nibbles;
}

bool hasPrefix(const LiveRun &row, const std::vector<uint8_t> &nibbles) {
    if (nibbles.empty())
        return false;
    for (size_t i = 0; i < nibbles.size(); ++i) {
        const uint8_t byte = row.id[i / 2];
        if ((i % 2 == 0 ? byte >> 4 : byte & 0xf) != nibbles[i])
            return false;
    }
    return true;
}

struct SortItem {
    uint64_t key;
    int32_t started;
    uint32_t row;
};

} // namespace

LiveRunsFilter LiveRunsFilter::parse(const QString &text) {
    LiveRunsFilter f;
    static const std::pair<const char *, Field> keys[] = {
        {"agent", Field::Agent},   {"version", Field::Version}, {"user", Field::User},
        {"status", Field::Status}, {"run", Field::Run},         {"entry", Field::Entry},
        {"tool", Field::Tool}};
    // Words split at spaces, except inside double quotes (tool:"web search"); the quotes go.
    QStringList words;
    QString current;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        else if (c == QLatin1Char(' ') && !quoted) {
            if (!current.isEmpty())
                words.append(std::exchange(current, QString()));
        } else
            current += c;
    }
    if (!current.isEmpty())
        words.append(current);
    for (const QString &word : words) {
        Term term;
        term.text = word;
        const qsizetype colon = word.indexOf(QLatin1Char(':'));
        if (colon > 0) {
            const QString key = word.left(colon).toLower();
            for (const auto &[name, field] : keys)
                if (key == QLatin1String(name)) {
                    term.field = field;
                    term.text = word.mid(colon + 1);
                    // "status:step_limit" is the status shown as "step limit"; a name keeps
                    // its underscores (tool:payments_api).
                    if (field == Field::Status)
                        term.text.replace(QLatin1Char('_'), QLatin1Char(' '));
                }
            if (term.field == Field::Any)
                f.error = QCoreApplication::translate(
                              "LiveRunsFilter",
                              "Unknown field \"%1\": use agent:, version:, user:, status:, run:, "
                              "entry: or tool:; the word is matched as plain text.")
                              .arg(word.left(colon));
        }
        if (term.text.isEmpty())
            continue;
        if (term.field == Field::Run && idPrefix(term.text).empty()) {
            f.error = QCoreApplication::translate("LiveRunsFilter",
                                                  "\"%1\" is not the start of a run id.")
                          .arg(term.text);
        }
        if (f.terms.size() < 31)
            f.terms.push_back(term);
        else
            f.error =
                QCoreApplication::translate("LiveRunsFilter", "Only the first 31 words are used.");
    }
    return f;
}

uint8_t liveRunStatusCode(const LiveRun &row) {
    if (!row.running())
        return std::min<uint8_t>(row.status, LiveRun::Ended);
    if (row.runaway & NoHeartbeat)
        return kStatusLost;
    return row.flags & LiveRun::KillRequested ? uint8_t(kStatusKillRequested)
                                              : uint8_t(LiveRun::Running);
}

QString liveRunStatusText(uint8_t code) {
    static const char *const names[] = {QT_TRANSLATE_NOOP("LiveRunsModel", "running"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "succeeded"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "failed"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "killed"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "capped"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "step limit"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "timeout"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "ended"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "lost"),
                                        QT_TRANSLATE_NOOP("LiveRunsModel", "kill requested")};
    return QCoreApplication::translate("LiveRunsModel",
                                       names[std::min<uint8_t>(code, kStatusCodes - 1)]);
}

uint32_t liveRunStatusRank(uint8_t code) {
    static const std::vector<uint32_t> ranks = [] {
        std::vector<std::pair<QString, uint8_t>> texts;
        for (uint8_t c = 0; c < kStatusCodes; ++c)
            texts.emplace_back(liveRunStatusText(c), c);
        std::sort(texts.begin(), texts.end());
        std::vector<uint32_t> r(kStatusCodes);
        for (uint32_t i = 0; i < texts.size(); ++i)
            r[texts[i].second] = i;
        return r;
    }();
    return ranks[std::min<uint8_t>(code, kStatusCodes - 1)];
}

LiveRunsMatcher::LiveRunsMatcher(LiveRunsFilter filter, const StringTable *users,
                                 const StringTable *names)
    : m_filter(std::move(filter))
    , m_users(users)
    , m_names(names) {
    for (size_t t = 0; t < m_filter.terms.size(); ++t) {
        m_all |= 1u << t;
        const auto &term = m_filter.terms[t];
        m_runPrefixes.push_back(term.field == LiveRunsFilter::Field::Any ||
                                        term.field == LiveRunsFilter::Field::Run
                                    ? idPrefix(term.text)
                                    : std::vector<uint8_t>{});
        m_canaryTerm.push_back(term.field == LiveRunsFilter::Field::Any &&
                               QStringLiteral("canary").contains(term.text, Qt::CaseInsensitive));
    }
}

// Low 32 bits: the terms the string contains; high bits: the terms it equals.
uint64_t LiveRunsMatcher::termBits(const QString &s) const {
    uint64_t bits = 0;
    for (size_t t = 0; t < m_filter.terms.size(); ++t) {
        const QString &word = m_filter.terms[t].text;
        if (s.contains(word, Qt::CaseInsensitive))
            bits |= 1ull << t;
        if (s.compare(word, Qt::CaseInsensitive) == 0)
            bits |= 1ull << (32 + t);
    }
    return bits;
}

void LiveRunsMatcher::prepare() {
    if (m_filter.isEmpty())
        return;
    for (auto [cache, table] : {std::pair{&m_userBits, m_users}, std::pair{&m_nameBits, m_names}}) {
        cache->resize(table->size());
        for (uint32_t id = 0; id < table->size(); ++id)
            (*cache)[id] = kKnown | termBits(table->at(id));
    }
    m_prepared = true;
}

uint64_t LiveRunsMatcher::bitsOf(std::vector<uint64_t> &cache, const StringTable *table,
                                 uint32_t id) {
    if (id >= cache.size())
        cache.resize(std::max<size_t>(id + 1, cache.size() * 2), 0);
    uint64_t &bits = cache[id];
    if (bits & kKnown)
        return bits;
    bits = kKnown | termBits(table->at(id));
    return bits;
}

uint64_t LiveRunsMatcher::statusBits(const LiveRun &row) {
    // Status texts are few: cache them by code.
    const uint8_t code = liveRunStatusCode(row);
    if (m_statusBits.empty())
        m_statusBits.assign(kStatusCodes, 0);
    uint64_t &bits = m_statusBits[code];
    if (bits & kKnown)
        return bits;
    bits = kKnown | termBits(liveRunStatusText(code));
    return bits;
}

bool LiveRunsMatcher::matches(const LiveRun &row) {
    if (m_filter.isEmpty())
        return true;
    using Field = LiveRunsFilter::Field;
    uint64_t agent, version, entry, span, user;
    if (m_prepared) { // the pass over every row: plain lookups
        agent = m_nameBits[row.agent];
        version = m_nameBits[row.version];
        entry = m_nameBits[row.entryPoint];
        span = m_nameBits[row.lastSpan];
        user = m_userBits[row.user];
    } else {
        agent = bitsOf(m_nameBits, m_names, row.agent);
        version = bitsOf(m_nameBits, m_names, row.version);
        entry = bitsOf(m_nameBits, m_names, row.entryPoint);
        span = bitsOf(m_nameBits, m_names, row.lastSpan);
        user = bitsOf(m_userBits, m_users, row.user);
    }
    const uint64_t status = statusBits(row);
    uint32_t found = 0;
    for (size_t t = 0; t < m_filter.terms.size(); ++t) {
        const uint64_t contains = 1ull << t, equals = 1ull << (32 + t);
        bool ok = false;
        switch (m_filter.terms[t].field) {
        case Field::Any:
            ok = ((agent | version | entry | span | user | status) & contains) ||
                 hasPrefix(row, m_runPrefixes[t]) ||
                 ((row.flags & LiveRun::Canary) && m_canaryTerm[t]);
            break;
        case Field::Agent:
            ok = agent & equals;
            break;
        case Field::Version:
            ok = version & equals;
            break;
        case Field::User:
            ok = user & equals;
            break;
        case Field::Status:
            ok = status & equals;
            break;
        case Field::Entry:
            ok = entry & equals;
            break;
        case Field::Tool: // the last step's name: a tool call, or an LLM call's label
            ok = span & equals;
            break;
        case Field::Run:
            ok = hasPrefix(row, m_runPrefixes[t]);
            break;
        }
        if (!ok)
            return false;
        found |= 1u << t;
    }
    return found == m_all;
}

namespace {

// Each string's place in the case-insensitive order of the table.
std::vector<uint32_t> ranks(const StringTable *table) {
    std::vector<uint32_t> order(table->size());
    for (uint32_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [table](uint32_t a, uint32_t b) {
        return table->at(a).compare(table->at(b), Qt::CaseInsensitive) < 0;
    });
    std::vector<uint32_t> rank(order.size());
    for (uint32_t r = 0; r < order.size(); ++r) // equal but for case: one rank
        rank[order[r]] =
            r > 0 && table->at(order[r]).compare(table->at(order[r - 1]), Qt::CaseInsensitive) == 0
                ? rank[order[r - 1]]
                : r;
    return rank;
}

uint32_t rankOf(const std::vector<uint32_t> &rank, uint32_t id) {
    return id < rank.size() ? rank[id] : uint32_t(rank.size()); // newer than the ranks: last
}

} // namespace

LiveRunsOrder::LiveRunsOrder(int column, bool ascending, const StringTable *users,
                             const StringTable *names, bool rankText)
    : m_column(column)
    , m_ascending(ascending)
    , m_users(users)
    , m_names(names)
    , m_ranked(rankText) {
    if (!rankText)
        return;
    switch (column) {
    case AgentColumn:
    case VersionColumn:
    case EntryPointColumn:
    case LastSpanColumn:
        m_nameRank = ranks(names);
        break;
    case UserColumn:
        m_userRank = ranks(users);
        break;
    default:
        break;
    }
}

const QString *LiveRunsOrder::text(const LiveRun &r) const {
    switch (m_column) {
    case AgentColumn:
        return &m_names->at(r.agent);
    case VersionColumn:
        return &m_names->at(r.version);
    case EntryPointColumn:
        return &m_names->at(r.entryPoint);
    case LastSpanColumn:
        return &m_names->at(r.lastSpan);
    case UserColumn:
        return &m_users->at(r.user);
    default:
        return nullptr;
    }
}

bool LiveRunsOrder::before(const LiveRun &a, const LiveRun &b) const {
    if (const QString *ta = m_ranked ? nullptr : text(a)) {
        const int c = ta->compare(*text(b), Qt::CaseInsensitive);
        if (c != 0)
            return m_ascending ? c < 0 : c > 0;
        return tieBefore(a.startedMs, a.id, b.startedMs, b.id);
    }
    const uint64_t ka = key(a), kb = key(b);
    return ka != kb ? ka < kb : tieBefore(a.startedMs, a.id, b.startedMs, b.id);
}

uint64_t LiveRunsOrder::key(const LiveRun &r) const {
    uint64_t key = 0;
    switch (m_column) {
    case RunColumn:
        for (size_t b = 0; b < 8; ++b) // the rest of the id decides ties
            key = key << 8 | r.id[b];
        break;
    case AgentColumn:
        key = rankOf(m_nameRank, r.agent);
        break;
    case VersionColumn:
        key = rankOf(m_nameRank, r.version);
        break;
    case EntryPointColumn:
        key = rankOf(m_nameRank, r.entryPoint);
        break;
    case LastSpanColumn:
        key = rankOf(m_nameRank, r.lastSpan);
        break;
    case UserColumn:
        key = rankOf(m_userRank, r.user);
        break;
    case StatusColumn:
        key = liveRunStatusRank(liveRunStatusCode(r));
        break;
    case StepColumn:
        key = r.step;
        break;
    case SpendColumn:
        key = uint64_t(r.costMicros) + r.reservedMicros;
        break;
    case HeartbeatColumn: // ascending: the freshest heartbeat first
        key = uint64_t(int64_t(INT32_MAX) * 2 -
                       (int64_t(r.startedMs) + r.heartbeatOffsetMs + INT32_MAX));
        break;
    case RunawayColumn:
        key = r.runaway;
        break;
    case AgeColumn: // ascending: the youngest first
    default:
        key = uint64_t(int64_t(INT32_MAX) - r.startedMs);
        break;
    }
    return m_ascending ? key : ~key;
}

std::vector<uint32_t> computeLiveRunsView(const LiveRunsViewInput &in) {
    const std::vector<LiveRun> &rows = *in.rows;
    LiveRunsMatcher matcher(in.filter, in.users, in.names);
    matcher.prepare();
    const LiveRunsOrder order(in.sortColumn, in.ascending, in.users, in.names);
    std::vector<SortItem> items;
    items.reserve(rows.size());
    for (uint32_t i = 0; i < rows.size(); ++i) {
        const LiveRun &r = rows[i];
        if ((r.flags & LiveRun::Gone) || !matcher.matches(r))
            continue;
        items.push_back({order.key(r), r.startedMs, i});
    }
    // The keys are computed once per row; the comparison is LiveRunsOrder::before's.
    std::sort(items.begin(), items.end(), [&rows](const SortItem &a, const SortItem &b) {
        if (a.key != b.key)
            return a.key < b.key;
        return LiveRunsOrder::tieBefore(a.started, rows[a.row].id, b.started, rows[b.row].id);
    });
    std::vector<uint32_t> view(items.size());
    for (size_t i = 0; i < items.size(); ++i)
        view[i] = items[i].row;
    return view;
}

} // namespace pitwall

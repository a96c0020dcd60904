#include "Trace.h"

#include <algorithm>
#include <stdexcept>

namespace pitwall {

TraceSpan::Kind spanKindFromText(std::string_view kind) {
    static const char *const names[] = {"agent", "llm", "tool", "retrieval", "guard", "other"};
    for (uint8_t i = 0; i < 6; ++i)
        if (kind == names[i])
            return static_cast<TraceSpan::Kind>(i);
    return TraceSpan::Other;
}

const char *spanKindText(uint8_t kind) {
    static const char *const names[] = {"agent", "llm", "tool", "retrieval", "guard", "other"};
    return names[std::min<uint8_t>(kind, 5)];
}

size_t Trace::bytes() const {
    size_t b = spans.capacity() * sizeof(TraceSpan) + childBegin.capacity() * 4 +
               children.capacity() * 4 + roots.capacity() * 4 +
               cutParents.capacity() * sizeof(CutParent) + strings.capacity() * sizeof(QString);
    for (const auto &d : byDepth)
        b += d.capacity() * 4;
    for (const QString &s : strings)
        b += size_t(s.capacity()) * 2;
    return b;
}

uint64_t Trace::cutParentOf(uint32_t span) const {
    const auto it = std::lower_bound(cutParents.begin(), cutParents.end(), span,
                                     [](const CutParent &c, uint32_t s) { return c.span < s; });
    return it != cutParents.end() && it->span == span ? it->parentId : 0;
}

TraceBuilder::TraceBuilder(std::string traceId)
    : m_traceId(std::move(traceId)) {
    m_strings.emplace_back(); // id 0: the empty string, "none"
    m_offsets = {0, 0};
    m_slots.assign(1024, 0);
}

// Open addressing over (id, hash) pairs: a million lookups, most of them hits, without the
// node chasing of an unordered_map. A slot is id << 32 | the low 32 bits of the hash; ids start
// at 1 (0 is ""), so 0 marks an empty slot.
uint32_t TraceBuilder::intern(std::string_view s, QString *text) {
    if (s.empty())
        return 0;
    const auto h = uint32_t(std::hash<std::string_view>{}(s));
    const size_t mask = m_slots.size() - 1;
    for (size_t at = h & mask;; at = (at + 1) & mask) {
        const uint64_t slot = m_slots[at];
        if (slot == 0)
            break;
        const auto id = uint32_t(slot >> 32);
        if (uint32_t(slot) == h && raw(id) == s)
            return id;
    }
    if (m_bytes.size() + s.size() > UINT32_MAX)
        throw std::length_error("a trace's names, models and tools exceed 4 GB");
    const auto id = static_cast<uint32_t>(m_strings.size());
    m_strings.push_back(text ? std::move(*text) : QString::fromUtf8(s.data(), qsizetype(s.size())));
    m_bytes.append(s);
    m_offsets.push_back(uint32_t(m_bytes.size()));
    if ((m_strings.size() + 1) * 2 > m_slots.size()) {
        std::vector<uint64_t> old = std::move(m_slots);
        m_slots.assign(old.size() * 2, 0);
        for (uint64_t slot : old)
            if (slot)
                place(slot);
    }
    place(uint64_t(id) << 32 | h);
    return id;
}

void TraceBuilder::place(uint64_t slot) {
    const size_t mask = m_slots.size() - 1;
    size_t at = uint32_t(slot) & mask;
    while (m_slots[at])
        at = (at + 1) & mask;
    m_slots[at] = slot;
}

void TraceBuilder::add(const Raw &r) {
    TraceSpan s;
    s.spanId = r.spanId;
    s.startUs = r.startUs;
    s.endUs = std::max(r.endUs, r.startUs);
    s.argsHash = r.argsHash;
    s.name = intern(r.name);
    s.kind = spanKindFromText(r.kindText);
    s.label = intern(s.kind == TraceSpan::Tool ? r.tool : r.model.empty() ? r.tool : r.model);
    s.costMicros = static_cast<uint32_t>(std::min<uint64_t>(r.costMicros, UINT32_MAX));
    s.inputTokens = r.inputTokens;
    s.outputTokens = r.outputTokens;
    s.status = r.error ? TraceSpan::Error : r.ok ? TraceSpan::Ok : TraceSpan::Unset;
    m_spans.push_back(s);
    m_sorted = false;
    m_parentIds.push_back(r.parentId);
}

void TraceBuilder::sort() {
    if (m_sorted)
        return;
    const size_t n = m_spans.size();
    // The keys are sorted contiguously (an indirect sort of a million spans misses the cache on
    // every comparison), and kept small: 16 bytes.
    struct Key {
        int64_t start;
        uint32_t index;
    };
    std::vector<Key> keys;
    keys.reserve(n);
    int64_t minStart = n ? m_spans[0].startUs : 0, maxStart = minStart;
    for (uint32_t i = 0; i < n; ++i) {
        keys.push_back({m_spans[i].startUs, i});
        minStart = std::min(minStart, m_spans[i].startUs);
        maxStart = std::max(maxStart, m_spans[i].startUs);
    }
    // LSD radix sort on the start time (11 bits a pass, as many passes as the time range
    // needs: three for a trace of up to 100 days), then runs of equal starts by id. A comparison
    // sort of a million keys costs several times more.
    const uint64_t range = uint64_t(maxStart - minStart);
    std::vector<Key> other(n);
    for (int shift = 0; shift < 64 && (range >> shift) != 0; shift += 11) {
        std::vector<uint32_t> counts(2049, 0);
        for (const Key &k : keys)
            ++counts[((uint64_t(k.start - minStart) >> shift) & 2047) + 1];
        for (size_t b = 1; b < counts.size(); ++b)
            counts[b] += counts[b - 1];
        for (const Key &k : keys)
            other[counts[(uint64_t(k.start - minStart) >> shift) & 2047]++] = k;
        keys.swap(other);
    }
    other = {};
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && keys[j].start == keys[i].start)
            ++j;
        if (j - i > 1)
            std::sort(keys.begin() + ptrdiff_t(i), keys.begin() + ptrdiff_t(j),
                      [this](const Key &a, const Key &b) {
                          return m_spans[a.index].spanId < m_spans[b.index].spanId;
                      });
        i = j;
    }
    std::vector<TraceSpan> spans;
    std::vector<uint64_t> parentIds;
    spans.reserve(n);
    parentIds.reserve(n);
    for (const Key &k : keys) {
        spans.push_back(m_spans[k.index]);
        parentIds.push_back(m_parentIds[k.index]);
    }
    m_spans.swap(spans);
    m_parentIds.swap(parentIds);
    m_sorted = true;
}

// Every span has at most one parent, so each weakly connected part holds at most one cycle.
// Walking up from each span not yet seen finds it in O(n) overall; the cycle is broken at its
// earliest span (the lowest index: start time, then id), which becomes a root. A span that is
// its own parent is a cycle of one. Returns the cut spans with the parent ids they named.
std::vector<CutParent> breakParentCycles(std::vector<uint32_t> &parentOf,
                                         const std::vector<uint64_t> &parentIds) {
    std::vector<CutParent> cut;
    const auto n = uint32_t(parentOf.size());
    std::vector<uint32_t> walkOf(n, 0); // 0: not seen; else the walk that first reached it
    uint32_t walk = 0;
    for (uint32_t i = 0; i < n; ++i) {
        if (walkOf[i])
            continue;
        ++walk;
        uint32_t s = i;
        while (s != TraceSpan::kNone && !walkOf[s]) {
            walkOf[s] = walk;
            s = parentOf[s];
        }
        if (s == TraceSpan::kNone || walkOf[s] != walk)
            continue; // reached a root, or a part already made acyclic
        uint32_t earliest = s;
        for (uint32_t c = parentOf[s]; c != s; c = parentOf[c])
            earliest = std::min(earliest, c);
        cut.push_back({earliest, parentIds[earliest]});
        parentOf[earliest] = TraceSpan::kNone;
    }
    std::sort(cut.begin(), cut.end(),
              [](const CutParent &a, const CutParent &b) { return a.span < b.span; });
    return cut;
}

Trace TraceBuilder::build() && {
    std::vector<TraceBuilder> parts;
    parts.push_back(std::move(*this));
    return build(std::move(parts));
}

Trace TraceBuilder::build(std::vector<TraceBuilder> &&parts) {
    Trace t;
    if (parts.empty())
        return t;
    TraceBuilder &first = parts.front();
    t.traceId = first.m_traceId;
    // The other parts' strings join the first part's table.
    std::vector<std::vector<uint32_t>> remap(parts.size());
    for (size_t p = 1; p < parts.size(); ++p) {
        remap[p].assign(parts[p].m_strings.size(), 0);
        for (uint32_t i = 1; i < remap[p].size(); ++i)
            remap[p][i] = first.intern(parts[p].raw(i), &parts[p].m_strings[i]);
    }
    size_t n = 0;
    for (TraceBuilder &part : parts) {
        part.sort(); // nothing to do for parts sorted on their own threads
        n += part.m_spans.size();
    }
    // Time order, ties by id: the order of stepping and of the tree's siblings. The sorted parts
    // are merged.
    std::vector<uint64_t> parentIds;
    if (parts.size() == 1) {
        t.spans = std::move(first.m_spans);
        parentIds = std::move(first.m_parentIds);
    } else {
        t.spans.reserve(n);
        parentIds.reserve(n);
        std::vector<size_t> at(parts.size(), 0);
        for (size_t i = 0; i < n; ++i) {
            size_t best = parts.size();
            for (size_t p = 0; p < parts.size(); ++p) {
                if (at[p] == parts[p].m_spans.size())
                    continue;
                const TraceSpan &s = parts[p].m_spans[at[p]];
                if (best == parts.size())
                    best = p;
                else {
                    const TraceSpan &b = parts[best].m_spans[at[best]];
                    if (s.startUs < b.startUs || (s.startUs == b.startUs && s.spanId < b.spanId))
                        best = p;
                }
            }
            TraceSpan s = parts[best].m_spans[at[best]];
            if (best > 0) {
                s.name = remap[best][s.name];
                s.label = remap[best][s.label];
            }
            t.spans.push_back(s);
            parentIds.push_back(parts[best].m_parentIds[at[best]++]);
        }
        first.m_spans = {};
        first.m_parentIds = {};
        for (size_t p = 1; p < parts.size(); ++p)
            parts[p] = TraceBuilder(std::string());
    }
    // Span id -> index: open addressing over 4-byte idSlots (index + 1; 0 is empty).
    size_t capacity = 16;
    while (capacity < n * 2)
        capacity *= 2;
    std::vector<uint32_t> idSlots(capacity, 0);
    auto slotOf = [capacity](uint64_t id) {
        return size_t((id * 0x9e3779b97f4a7c15ull) >> 20) & (capacity - 1);
    };
    for (uint32_t i = 0; i < n; ++i) {
        size_t at = slotOf(t.spans[i].spanId);
        while (idSlots[at])
            at = (at + 1) & (capacity - 1);
        idSlots[at] = i + 1;
    }
    auto find = [&](uint64_t id) -> uint32_t {
        for (size_t at = slotOf(id); idSlots[at]; at = (at + 1) & (capacity - 1))
            if (t.spans[idSlots[at] - 1].spanId == id)
                return idSlots[at] - 1;
        return TraceSpan::kNone;
    };
    std::vector<uint32_t> parentOf(n);
    for (uint32_t i = 0; i < n; ++i)
        parentOf[i] = parentIds[i] ? find(parentIds[i]) : TraceSpan::kNone;
    t.cutParents = breakParentCycles(parentOf, parentIds);
    std::vector<uint32_t> childCount(n + 1, 0);
    for (uint32_t i = 0; i < n; ++i) {
        if (parentOf[i] != TraceSpan::kNone) {
            t.spans[i].parent = parentOf[i];
            ++childCount[parentOf[i]];
        } else {
            t.roots.push_back(i);
        }
    }
    parentIds = {};
    // Children in time order (CSR).
    t.childBegin.assign(n + 1, 0);
    for (size_t i = 0; i < n; ++i)
        t.childBegin[i + 1] = t.childBegin[i] + childCount[i];
    t.children.resize(n - t.roots.size());
    std::vector<uint32_t> fill(t.childBegin.begin(), t.childBegin.end() - 1);
    for (uint32_t i = 0; i < n; ++i)
        if (t.spans[i].parent != TraceSpan::kNone)
            t.children[fill[t.spans[i].parent]++] = i;
    // Depth from the roots down (iterative: a million-span chain must not overflow a stack).
    std::vector<uint32_t> stack(t.roots.rbegin(), t.roots.rend());
    while (!stack.empty()) {
        const uint32_t s = stack.back();
        stack.pop_back();
        const uint16_t d =
            t.spans[s].parent == TraceSpan::kNone
                ? 0
                : static_cast<uint16_t>(std::min<int>(t.spans[t.spans[s].parent].depth + 1, 65535));
        t.spans[s].depth = d;
        for (size_t c = t.childBegin[s]; c < t.childBegin[s + 1]; ++c)
            stack.push_back(t.children[c]);
    }
    int maxDepth = -1;
    for (const TraceSpan &s : t.spans)
        maxDepth = std::max<int>(maxDepth, s.depth);
    t.byDepth.resize(size_t(maxDepth + 1));
    for (uint32_t i = 0; i < n; ++i) {
        t.byDepth[t.spans[i].depth].push_back(i);
        t.errors += t.spans[i].status == TraceSpan::Error;
    }
    if (n) {
        t.startUs = t.spans.front().startUs;
        t.endUs = t.startUs;
        for (const TraceSpan &s : t.spans)
            t.endUs = std::max(t.endUs, s.endUs);
    }
    t.strings = std::move(first.m_strings);
    return t;
}

} // namespace pitwall

#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace pitwall {

// Run id -> row number, open addressing with linear probing over 4-byte slots. The ids live in
// the rows, not here, so a run costs 4 bytes divided by the load factor (between 0.25 and 0.5):
// 8 to 16 bytes, against about 100 for an unordered_map keyed by the id text.
class RunIdIndex {
public:
    using Id = std::array<uint8_t, 16>;
    static constexpr uint32_t kEmpty = 0xffffffffu;

    // `idOf(row)` gives the id held in a row; the index asks for it to compare on probes.
    template <typename IdOf> uint32_t find(const Id &id, IdOf idOf) const {
        if (m_slots.empty())
            return kEmpty;
        for (size_t s = slotFor(id);; s = (s + 1) & (m_slots.size() - 1)) {
            const uint32_t row = m_slots[s];
            if (row == kEmpty || idOf(row) == id)
                return row;
        }
    }
    // The caller has checked that `id` is not present.
    template <typename IdOf> void insert(const Id &id, uint32_t row, IdOf idOf) {
        if ((m_count + 1) * 2 > m_slots.size())
            grow(idOf);
        place(id, row);
        ++m_count;
    }
    // Rebuilds the index for rows 0..count-1 (after rows were removed and renumbered).
    template <typename IdOf> void rebuild(uint32_t count, IdOf idOf) {
        size_t capacity = 16;
        while (capacity < size_t(count) * 2)
            capacity *= 2;
        m_slots.assign(capacity, kEmpty);
        m_count = count;
        for (uint32_t row = 0; row < count; ++row)
            place(idOf(row), row);
    }
    size_t bytes() const { return m_slots.capacity() * sizeof(uint32_t); }

private:
    size_t slotFor(const Id &id) const {
        uint64_t h = 0;
        for (size_t i = 0; i < 16; ++i)
            h = (h ^ id[i]) * 0x100000001b3ull; // FNV-1a: ids need not be random
        return static_cast<size_t>(h ^ (h >> 29)) & (m_slots.size() - 1);
    }
    void place(const Id &id, uint32_t row) {
        size_t s = slotFor(id);
        while (m_slots[s] != kEmpty)
            s = (s + 1) & (m_slots.size() - 1);
        m_slots[s] = row;
    }
    template <typename IdOf> void grow(IdOf idOf) {
        const uint32_t count = static_cast<uint32_t>(m_count);
        std::vector<uint32_t> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 16 : old.size() * 2, kEmpty);
        for (uint32_t row : old)
            if (row != kEmpty)
                place(idOf(row), row);
        m_count = count;
    }

    std::vector<uint32_t> m_slots;
    size_t m_count = 0;
};

} // namespace pitwall

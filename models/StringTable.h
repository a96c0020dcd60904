#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace pitwall {

// Interned strings, append-only. The owning thread interns; other threads may read every id
// below a size they were handed (the strings never move: they live in fixed chunks), which is
// how the view is rebuilt off the GUI thread without copying the table.
class StringTable {
public:
    static constexpr uint32_t kChunkBits = 12;
    static constexpr uint32_t kChunkSize = 1u << kChunkBits;
    static constexpr uint32_t kMaxChunks = 1u << 12; // 16.7M strings

    // `limit`: ids at or above it are not handed out; the last id is returned instead
    // (it reads "…"). Used for the 16-bit name ids.
    explicit StringTable(uint32_t limit = kChunkSize * kMaxChunks)
        : m_limit(limit)
        , m_chunks(new std::unique_ptr<QString[]>[kMaxChunks]) {
        intern({});
    }

    uint32_t intern(const std::string &s) {
        auto it = m_ids.find(s);
        if (it != m_ids.end())
            return it->second;
        if (m_size + 1 >= m_limit) {
            if (m_size + 1 == m_limit)
                append(QStringLiteral("…"));
            return m_limit - 1;
        }
        const uint32_t id = append(QString::fromStdString(s));
        m_ids.emplace(s, id);
        return id;
    }
    const QString &at(uint32_t id) const {
        return m_chunks[id >> kChunkBits][id & (kChunkSize - 1)];
    }
    uint32_t size() const { return m_size; }
    size_t bytes() const {
        return size_t(m_size) * (sizeof(QString) + 48) + m_ids.size() * 64 +
               kMaxChunks * sizeof(void *);
    }

private:
    uint32_t append(QString s) {
        const uint32_t id = m_size;
        auto &chunk = m_chunks[id >> kChunkBits];
        if (!chunk)
            chunk.reset(new QString[kChunkSize]);
        chunk[id & (kChunkSize - 1)] = std::move(s);
        ++m_size;
        return id;
    }

    uint32_t m_limit;
    std::unique_ptr<std::unique_ptr<QString[]>[]> m_chunks;
    uint32_t m_size = 0;
    std::unordered_map<std::string, uint32_t> m_ids;
};

} // namespace pitwall

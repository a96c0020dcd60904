#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pitwall {

// A span id as 16 hex digits, and back ("00f067aa0ba902b7" <-> 0x00f067aa0ba902b7; 0 for text
// that is not 16 hex digits).
inline std::string spanIdText(uint64_t id) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i, id >>= 4)
        s[size_t(i)] = digits[id & 15];
    return s;
}

inline uint64_t parseSpanId(std::string_view text) {
    if (text.size() != 16)
        return 0;
    uint64_t v = 0;
    for (char c : text) {
        unsigned d;
        if (c >= '0' && c <= '9')
            d = unsigned(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = unsigned(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = unsigned(c - 'A' + 10);
        else
            return 0;
        v = v << 4 | d;
    }
    return v;
}

} // namespace pitwall

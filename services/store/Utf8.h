#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pitwall {

// The length of the UTF-8 sequence at text[i] with its code point in `cp`, or 0 when it is not
// valid UTF-8 (overlong, a surrogate, beyond U+10FFFF, cut short).
inline size_t decodeUtf8(std::string_view text, size_t i, uint32_t &cp) {
    const auto b = static_cast<unsigned char>(text[i]);
    const size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size())
        return 0;
    cp = n == 1 ? b : n == 2 ? (b & 0x1fu) : n == 3 ? (b & 0x0fu) : (b & 0x07u);
    for (size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(text[i + k]);
        if ((c >> 6) != 2)
            return 0;
        cp = cp << 6 | (c & 0x3fu);
    }
    constexpr uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

} // namespace pitwall

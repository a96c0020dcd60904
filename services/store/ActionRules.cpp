#include "ActionRules.h"

#include "Utf8.h"

namespace pitwall {

// The same list as pitwall.has_visible_char (migration 0003): white space, controls, Unicode
// spaces, default-ignorable format characters, Hangul fillers, the Braille blank.
bool isInvisible(uint32_t cp) {
    struct Range {
        uint32_t first, last;
    };
    static constexpr Range ranges[] = {
        {0x0000, 0x0020},   {0x007f, 0x00a0},  {0x00ad, 0x00ad}, {0x034f, 0x034f},
        {0x061c, 0x061c},   {0x115f, 0x1160},  {0x1680, 0x1680}, {0x17b4, 0x17b5},
        {0x180b, 0x180f},   {0x2000, 0x200f},  {0x2028, 0x202f}, {0x205f, 0x206f},
        {0x2800, 0x2800},   {0x3000, 0x3000},  {0x3164, 0x3164}, {0xfe00, 0xfe0f},
        {0xfeff, 0xfeff},   {0xffa0, 0xffa0},  {0xfff0, 0xfffb}, {0x1bca0, 0x1bca3},
        {0x1d173, 0x1d17a}, {0xe0000, 0xe0fff}};
    for (const Range &r : ranges)
        if (cp >= r.first && cp <= r.last)
            return true;
    return false;
}

std::string reasonProblem(std::string_view reason) {
    size_t chars = 0;
    bool visible = false;
    for (size_t i = 0; i < reason.size();) {
        uint32_t cp = 0;
        const size_t n = decodeUtf8(reason, i, cp);
        if (n == 0)
            return "it is not valid UTF-8 text";
        visible |= !isInvisible(cp);
        ++chars;
        i += n;
    }
    if (!visible)
        return "a reason must contain a visible character (say why: it goes into the audit log)";
    if (chars > kMaxReasonChars)
        return "a reason may be at most " + std::to_string(kMaxReasonChars) + " characters, not " +
               std::to_string(chars);
    return {};
}

} // namespace pitwall

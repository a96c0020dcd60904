#include "ActionRules.h"

#include "Utf8.h"

namespace pitwall {

bool isInvisible(uint32_t cp) {
    return cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad || cp == 0x034f || cp == 0x061c ||
           cp == 0x115f || cp == 0x1160 || cp == 0x1680 || cp == 0x180e ||
           (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
           (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 || cp == 0x3164 || cp == 0xfeff ||
           cp == 0xffa0 || (cp >= 0xfff0 && cp <= 0xfff8);
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

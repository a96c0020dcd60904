#include "TerminalText.h"

#include "ActionRules.h"
#include "Utf8.h"

#include <cstdint>
#include <cstdio>

namespace pitwall {
namespace {

void hexEscape(std::string &out, const char *format, uint32_t value) {
    char buffer[12];
    std::snprintf(buffer, sizeof buffer, format, value);
    out += buffer;
}

} // namespace

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        uint32_t cp = 0;
        const size_t n = decodeUtf8(text, i, cp);
        if (n == 0) {
            hexEscape(out, "\\x%02x", static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (cp == '\\')
            out += "\\\\";
        else if (cp == '\n')
            out += "\\n";
        else if (cp == '\t')
            out += "\\t";
        else if (cp == '\r')
            out += "\\r";
        else if (cp != ' ' && isInvisible(cp)) // controls, C1, bidi, zero-width, no-break
            hexEscape(out, cp < 0x100 ? "\\x%02x" : "\\u%04x", cp);
        else
            out.append(text.substr(i, n));
        i += n;
    }
    return out;
}

} // namespace pitwall

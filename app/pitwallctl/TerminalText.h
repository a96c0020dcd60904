#pragma once

#include <string>
#include <string_view>

namespace pitwall {

// Text from a store or an argument, made safe to print on a terminal: control characters (C0,
// DEL, C1, which includes the 8-bit CSI), line and paragraph separators and the bidirectional
// overrides, and characters that show nothing (a zero-width or no-break space) are written as
// \n, \x1b, \u202e, \u200b, …; bytes that are not UTF-8 as \xNN; a backslash
// as \\. Printable text, non-ASCII letters included, is unchanged. An ANSI escape sequence in a
// reason can then neither recolour the terminal nor hide what follows it.
std::string printable(std::string_view text);

} // namespace pitwall

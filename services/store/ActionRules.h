#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pitwall {

// The rules every operator action's reason follows. The database enforces them (in
// pitwall.begin_action, for every client); clients check first only to answer sooner.
inline constexpr size_t kMaxReasonChars = 2000;

// Empty when `reason` may be recorded; else why not, as a sentence's end ("it must contain a
// visible character": spaces, control and format characters such as a no-break or zero-width
// space are not visible).
std::string reasonProblem(std::string_view reason);

// A code point that shows nothing: white space, control and format characters.
bool isInvisible(uint32_t cp);

} // namespace pitwall

#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace pitwall {

inline int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

inline int64_t nowUs() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// The UTC day of a time in milliseconds as yyyymmdd, the suffix of the spend keys.
std::string utcDay(int64_t ms);

// A random version 4 UUID in its text form.
std::string newUuid();
// 16 random hex digits, an OpenTelemetry span id.
std::string newSpanId();

} // namespace pitwall

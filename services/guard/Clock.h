#pragma once

#include "SpanId.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

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
// 32 hex digits (an OpenTelemetry trace id) in the 8-4-4-4-12 form of a UUID.
std::string uuidFromHex(std::string_view hex32);

} // namespace pitwall

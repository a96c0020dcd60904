#include "Clock.h"

#include <array>

#include <cstdio>
#include <ctime>
#include <random>

namespace pitwall {
namespace {

std::mt19937_64 &generator() {
    // One random_device word is only 32 bits: with a thread per run, ids would collide after
    // tens of thousands of runs. Seed the whole state.
    thread_local std::mt19937_64 gen = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(),
                           device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    return gen;
}

std::string hex(uint64_t value, int digits) {
    static const char *chars = "0123456789abcdef";
    std::string s(static_cast<size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, value >>= 4)
        s[static_cast<size_t>(i)] = chars[value & 0xf];
    return s;
}

} // namespace

std::string utcDay(int64_t ms) {
    std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

std::string newUuid() {
    uint64_t hi = generator()();
    uint64_t lo = generator()();
    hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
    return uuidFromHex(hex(hi, 16) + hex(lo, 16));
}

std::string uuidFromHex(std::string_view h) {
    std::string s(h.substr(0, 8));
    s.append("-").append(h.substr(8, 4)).append("-").append(h.substr(12, 4)).append("-");
    s.append(h.substr(16, 4)).append("-").append(h.substr(20, 12));
    return s;
}

std::string newSpanId() {
    return hex(generator()(), 16);
}

} // namespace pitwall

#include "Money.h"

namespace pitwall {

std::optional<int64_t> parseUsdMicros(const std::string &text, bool *tooLarge) {
    if (tooLarge)
        *tooLarge = false;
    if (text.empty())
        return std::nullopt;
    size_t i = 0;
    bool negative = false;
    if (text[0] == '-' || text[0] == '+') {
        negative = text[0] == '-';
        i = 1;
    }
    // At most 8 significant whole digits (numeric(14,6)); counting them, rather than
    // multiplying first, means no amount can wrap around into a small one.
    int64_t whole = 0;
    int digits = 0, significant = 0;
    for (; i < text.size() && text[i] != '.'; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        if (significant || text[i] != '0')
            ++significant;
        if (significant <= 8)
            whole = whole * 10 + (text[i] - '0');
        ++digits;
    }
    int64_t fraction = 0;
    int places = 0;
    if (i < text.size()) {
        for (++i; i < text.size(); ++i) {
            if (text[i] < '0' || text[i] > '9')
                return std::nullopt;
            if (places == 6) {
                if (text[i] != '0') // numeric(14,6) never has more; refuse rather than round
                    return std::nullopt;
                continue;
            }
            fraction = fraction * 10 + (text[i] - '0');
            ++places;
            ++digits;
        }
    }
    if (digits == 0)
        return std::nullopt;
    if (significant > 8) {
        if (tooLarge)
            *tooLarge = true;
        return std::nullopt;
    }
    for (; places < 6; ++places)
        fraction *= 10;
    const int64_t micros = whole * 1'000'000 + fraction; // at most kMaxUsdMicros
    return negative ? -micros : micros;
}

std::string microsToNumeric(int64_t micros) {
    std::string sign = micros < 0 ? "-" : "";
    uint64_t m = micros < 0 ? static_cast<uint64_t>(-micros) : static_cast<uint64_t>(micros);
    std::string frac = std::to_string(m % 1'000'000);
    frac.insert(0, 6 - frac.size(), '0');
    return sign + std::to_string(m / 1'000'000) + "." + frac;
}

std::string formatUsd(int64_t micros) {
    std::string s = microsToNumeric(micros);
    while (s.size() > 3 && s.back() == '0' && s[s.size() - 3] != '.')
        s.pop_back();
    return s;
}

} // namespace pitwall

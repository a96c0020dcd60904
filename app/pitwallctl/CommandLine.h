#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace pitwall {

// A bad command line: the message says what is wrong; the caller prints usage.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `--name value` options, `--flag` switches and positional words, in any order.
class CommandLine {
public:
    CommandLine(std::vector<std::string> args, const std::set<std::string> &valued,
                const std::set<std::string> &flags = {});
    const std::vector<std::string> &positional() const { return m_positional; }
    std::optional<std::string> value(const std::string &name) const;
    std::string required(const std::string &name) const;
    bool flag(const std::string &name) const { return m_flags.count(name) > 0; }
    // A finite number within [min, max]; else UsageError naming the range.
    std::optional<double> number(const std::string &name, double min, double max) const;
    // A whole number within [min, max], written as digits; else UsageError naming the range.
    std::optional<long long> integer(const std::string &name, long long min, long long max) const;

private:
    std::vector<std::string> m_positional;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
};

// The longest duration an override or a time-boxed cap may last.
inline constexpr long long kMaxDurationMs = 366LL * 86'400'000;

// "90s", "10m", "2h", "1d" (at most 366 days) -> milliseconds; throws UsageError.
long long parseDurationMs(const std::string &text);
// An ISO 8601 time ("2026-12-01T08:00:00Z", before 2200) or "+DURATION" from now -> epoch ms.
long long parseTimeMs(const std::string &text);

} // namespace pitwall

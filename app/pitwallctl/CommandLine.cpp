#include "CommandLine.h"

#include "Clock.h"

#include <QDateTime>
#include <QString>

#include <charconv>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace pitwall {

CommandLine::CommandLine(std::vector<std::string> args, const std::set<std::string> &valued,
                         const std::set<std::string> &flags) {
    for (size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            m_positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        bool hasValue = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            hasValue = true;
        }
        if (flags.count(name)) {
            m_flags.insert(name);
        } else if (valued.count(name)) {
            if (!hasValue) {
                if (i + 1 >= args.size())
                    throw UsageError("--" + name + " needs a value");
                value = args[++i];
            }
            m_values[name] = value;
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::optional<std::string> CommandLine::value(const std::string &name) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::string CommandLine::required(const std::string &name) const {
    auto v = value(name);
    if (!v)
        throw UsageError("--" + name + " is required");
    return *v;
}

namespace {

std::string shown(double d) {
    std::ostringstream out;
    out << std::setprecision(15) << d;
    return out.str();
}

} // namespace

// Messages quote what was typed as it was: the one place that prints them escapes them.
std::optional<double> CommandLine::number(const std::string &name, double min, double max) const {
    auto v = value(name);
    if (!v)
        return std::nullopt;
    double d = 0;
    const char *end = v->data() + v->size();
    const auto [ptr, ec] = std::from_chars(v->data(), end, d);
    if (ec != std::errc() || ptr != end || !std::isfinite(d) || d < min || d > max)
        throw UsageError("--" + name + " takes a number from " + shown(min) + " to " + shown(max) +
                         ", not \"" + *v + "\"");
    return d;
}

std::optional<long long> CommandLine::integer(const std::string &name, long long min,
                                              long long max) const {
    auto v = value(name);
    if (!v)
        return std::nullopt;
    long long n = 0;
    const char *end = v->data() + v->size();
    const auto [ptr, ec] = std::from_chars(v->data(), end, n);
    if (ec != std::errc() || ptr != end || n < min || n > max)
        throw UsageError("--" + name + " takes a whole number from " + std::to_string(min) +
                         " to " + std::to_string(max) + ", not \"" + *v + "\"");
    return n;
}

long long parseDurationMs(const std::string &text) {
    const std::string usage =
        "\"" + text + "\" is not a duration: write 90s, 10m, 2h or 1d (at most 366d)";
    if (text.size() < 2)
        throw UsageError(usage);
    const char unit = text.back();
    const long long scale = unit == 's'   ? 1000
                            : unit == 'm' ? 60000
                            : unit == 'h' ? 3600000
                            : unit == 'd' ? 86400000
                                          : 0;
    double amount = 0;
    const char *begin = text.data(), *end = text.data() + text.size() - 1;
    const auto [ptr, ec] = std::from_chars(begin, end, amount);
    if (scale == 0 || ec != std::errc() || ptr != end || !std::isfinite(amount) || amount <= 0)
        throw UsageError(usage);
    const double ms = amount * static_cast<double>(scale);
    if (ms > double(kMaxDurationMs))
        throw UsageError("\"" + text + "\" is too long: a duration may be at most 366 days");
    if (ms < 1000)
        throw UsageError("\"" + text + "\" is too short: a duration must be at least 1 second");
    return static_cast<long long>(ms);
}

long long parseTimeMs(const std::string &text) {
    if (!text.empty() && text[0] == '+')
        return nowMs() + parseDurationMs(text.substr(1));
    QDateTime t = QDateTime::fromString(QString::fromStdString(text), Qt::ISODate);
    if (!t.isValid())
        throw UsageError("\"" + text +
                         "\" is not a time: write 2026-12-01T08:00:00Z, or +2h for two hours "
                         "from now");
    if (t.date().year() < 1970 || t.date().year() >= 2200)
        throw UsageError("\"" + text +
                         "\" is out of range: a time must be between 1970 "
                         "and 2200");
    return t.toMSecsSinceEpoch();
}

} // namespace pitwall

#include "CommandLine.h"

#include "Clock.h"

#include <QDateTime>
#include <QString>

#include <cmath>

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

std::optional<double> CommandLine::number(const std::string &name) const {
    auto v = value(name);
    if (!v)
        return std::nullopt;
    try {
        size_t used = 0;
        double d = std::stod(*v, &used);
        if (used == v->size() && std::isfinite(d))
            return d;
    } catch (const std::exception &) {
    }
    throw UsageError("--" + name + " takes a number, not \"" + *v + "\"");
}

long long parseDurationMs(const std::string &text) {
    if (text.size() < 2)
        throw UsageError("\"" + text + "\" is not a duration: write 90s, 10m, 2h or 1d");
    const char unit = text.back();
    const long long scale = unit == 's'   ? 1000
                            : unit == 'm' ? 60000
                            : unit == 'h' ? 3600000
                            : unit == 'd' ? 86400000
                                          : 0;
    double amount = 0;
    try {
        size_t used = 0;
        amount = std::stod(text.substr(0, text.size() - 1), &used);
        if (used != text.size() - 1)
            amount = -1;
    } catch (const std::exception &) {
        amount = -1;
    }
    if (scale == 0 || amount <= 0)
        throw UsageError("\"" + text + "\" is not a duration: write 90s, 10m, 2h or 1d");
    return static_cast<long long>(amount * static_cast<double>(scale));
}

long long parseTimeMs(const std::string &text) {
    if (!text.empty() && text[0] == '+')
        return nowMs() + parseDurationMs(text.substr(1));
    QDateTime t = QDateTime::fromString(QString::fromStdString(text), Qt::ISODate);
    if (!t.isValid())
        throw UsageError("\"" + text +
                         "\" is not a time: write 2026-12-01T08:00:00Z, or +2h for two hours "
                         "from now");
    return t.toMSecsSinceEpoch();
}

} // namespace pitwall

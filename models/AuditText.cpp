#include "AuditText.h"

#include <cstdio>
#include <ctime>

namespace pitwall {

std::string csvField(const std::string &value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string isoTimeUs(int64_t us) {
    if (us < 0)
        return {};
    const std::time_t seconds = std::time_t(us / 1'000'000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(us % 1'000'000));
    return buf;
}

std::string auditCsvHeader() {
    return "action_id,requested_at,actor,kind,target,reason,params,before,after,outcome,"
           "mirrored_at\r\n";
}

std::string auditCsvRow(const AuditEntry &e) {
    std::string row;
    const std::string *fields[] = {&e.actionId,  nullptr,       &e.actor,      &e.kind,
                                   &e.target,    &e.reason,     &e.paramsJson, &e.beforeJson,
                                   &e.afterJson, &e.outcomeJson};
    for (const std::string *field : fields) {
        row += field ? csvField(*field) : isoTimeUs(e.requestedUs);
        row += ',';
    }
    row += isoTimeUs(e.mirroredUs);
    return row + "\r\n";
}

} // namespace pitwall

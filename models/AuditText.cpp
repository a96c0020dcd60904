#include "AuditText.h"

#include "Contract.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

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

namespace {

// A JSON text as a value; null when it is not JSON (never thrown: rows are written by people).
QJsonValue jsonValue(const std::string &text) {
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray::fromStdString("[" + text + "]"));
    return d.isArray() && !d.array().isEmpty() ? d.array().at(0) : QJsonValue();
}

QString valueText(const QJsonValue &v) {
    switch (v.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

} // namespace

std::string auditJsonLine(const AuditEntry &e) {
    QJsonObject o{
        {QStringLiteral("action_id"), QString::fromStdString(e.actionId)},
        {QStringLiteral("requested_at"), QString::fromStdString(isoTimeUs(e.requestedUs))},
        {QStringLiteral("actor"), QString::fromStdString(e.actor)},
        {QStringLiteral("kind"), QString::fromStdString(e.kind)},
        {QStringLiteral("target"), QString::fromStdString(e.target)},
        {QStringLiteral("reason"), QString::fromStdString(e.reason)},
        {QStringLiteral("params"), jsonValue(e.paramsJson)},
        {QStringLiteral("before"), jsonValue(e.beforeJson)},
        {QStringLiteral("after"), jsonValue(e.afterJson)},
        {QStringLiteral("outcome"), jsonValue(e.outcomeJson)},
        {QStringLiteral("mirrored_at"),
         e.mirroredUs < 0 ? QJsonValue()
                          : QJsonValue(QString::fromStdString(isoTimeUs(e.mirroredUs)))},
        {QStringLiteral("evidence"), jsonValue(e.evidenceJson)}};
    if (e.kind == "kill_run") {
        o.insert(QStringLiteral("run_status"),
                 e.killedRunStatus.empty() ? QJsonValue()
                                           : QJsonValue(QString::fromStdString(e.killedRunStatus)));
        o.insert(QStringLiteral("landed_after_ms"),
                 e.killLandedMs < 0 ? QJsonValue() : QJsonValue(qint64(e.killLandedMs)));
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString() + "\n";
}

std::vector<AuditChange> auditDiff(const std::string &beforeJson, const std::string &afterJson) {
    const QJsonValue before = jsonValue(beforeJson), after = jsonValue(afterJson);
    std::vector<AuditChange> out;
    if (!before.isObject() && !after.isObject()) {
        if (before.isNull() && after.isNull())
            return out;
        out.push_back(
            {QStringLiteral("value"), valueText(before), valueText(after), before != after});
        return out;
    }
    const QJsonObject b = before.toObject(), a = after.toObject();
    QStringList fields = b.keys();
    for (const QString &k : a.keys())
        if (!b.contains(k))
            fields.append(k);
    for (const QString &k : fields) {
        const QJsonValue vb = b.contains(k) ? b.value(k) : QJsonValue(QJsonValue::Undefined);
        const QJsonValue va = a.contains(k) ? a.value(k) : QJsonValue(QJsonValue::Undefined);
        out.push_back({k, valueText(vb), valueText(va), vb != va});
    }
    return out;
}

QString AuditText::outcome(const AuditEntry &e, int64_t nowMs) {
    QStringList lines;
    if (e.mirroredUs >= 0)
        lines << tr("Applied to Redis at %1 (%2 ms after it was recorded).")
                     .arg(QString::fromStdString(isoTimeUs(e.mirroredUs)))
                     .arg(std::max<int64_t>(0, (e.mirroredUs - e.requestedUs) / 1000));
    else
        lines << tr("Recorded, not yet applied to Redis: the outbox applies it when a console "
                    "or `pitwallctl drain` reaches Redis.");
    if (e.kind == "kill_run") {
        const int64_t ageMs = nowMs - e.requestedUs / 1000;
        if (e.killedRunStatus == "killed" && e.killLandedMs >= 0)
            lines << tr("The kill landed: the run ended as killed %1 ms after it.")
                         .arg(e.killLandedMs);
        else if (e.killedRunStatus.empty())
            lines << tr("The run is not in PostgreSQL.");
        else if (e.killedRunStatus != "running")
            lines << tr("The run ended as %1 before the kill landed.")
                         .arg(QString::fromStdString(e.killedRunStatus));
        else if (ageMs > kKillDeadline.count())
            lines << tr("Not honoured: the run is still running %1 s after the kill.")
                         .arg(ageMs / 1000);
        else
            lines << tr("Waiting for the agent to stop the run.");
    }
    return lines.join(QLatin1Char('\n'));
}

QString AuditText::outcomeShort(const AuditEntry &e, int64_t nowMs) {
    if (e.kind == "kill_run") {
        if (e.killedRunStatus == "killed" && e.killLandedMs >= 0)
            return tr("landed in %1 ms").arg(e.killLandedMs);
        if (e.killedRunStatus == "running" && nowMs - e.requestedUs / 1000 > kKillDeadline.count())
            return tr("not honoured");
        if (!e.killedRunStatus.empty() && e.killedRunStatus != "running")
            return tr("run ended as %1").arg(QString::fromStdString(e.killedRunStatus));
    }
    return e.mirroredUs >= 0 ? tr("applied") : tr("pending");
}

QString AuditText::evidence(const std::string &evidenceJson) {
    const QJsonValue v = jsonValue(evidenceJson);
    if (!v.isObject())
        return {};
    QStringList lines;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        lines << it.key() + QStringLiteral(": ") + valueText(it.value());
    return lines.join(QLatin1Char('\n'));
}

} // namespace pitwall

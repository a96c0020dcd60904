#include "TraceText.h"

#include "ActivityText.h"
#include "TraceTreeModel.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace pitwall {

QString visibleText(const QString &text) {
    QString out;
    out.reserve(text.size());
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u == '\n' || u == '\t')
            out += c;
        else if (u < 0x20)
            out += QChar(char16_t(0x2400 + u));
        else if (u == 0x7f)
            out += QChar(char16_t(0x2421));
        else
            out += c;
    }
    return out;
}

Payload formatPayload(const std::string &raw, bool present, qsizetype limit) {
    Payload p;
    p.present = present;
    p.bytes = qint64(raw.size());
    if (!present)
        return p;
    const QByteArray bytes = QByteArray::fromStdString(raw);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error == QJsonParseError::NoError && (doc.isObject() || doc.isArray())) {
        p.json = true;
        p.full = QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    } else {
        p.full = QString::fromUtf8(bytes);
    }
    p.full = visibleText(p.full);
    p.truncated = p.full.size() > limit;
    // Never half a character: a cut between the two halves of a surrogate pair steps back.
    qsizetype cut = limit;
    if (p.truncated && cut > 0 && cut < p.full.size() && p.full.at(cut - 1).isHighSurrogate())
        --cut;
    p.shown = p.truncated ? p.full.left(cut) : p.full;
    return p;
}

namespace {

bool isAsciiDigit(QChar c) {
    return c >= u'0' && c <= u'9';
}

// Code point order, except that runs of ASCII digits compare as numbers.
bool naturalLess(const QString &a, const QString &b) {
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isAsciiDigit(a[i]) && isAsciiDigit(b[j])) {
            qsizetype ei = i, ej = j;
            while (ei < a.size() && isAsciiDigit(a[ei]))
                ++ei;
            while (ej < b.size() && isAsciiDigit(b[ej]))
                ++ej;
            const QStringView x = QStringView(a).mid(i, ei - i), y = QStringView(b).mid(j, ej - j);
            if (x.size() != y.size())
                return x.size() < y.size(); // no leading zeros in list positions
            if (const int c = x.compare(y); c != 0)
                return c < 0;
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j];
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

// One row per value; objects, and lists holding objects (an imported span's events and links),
// open into a row per member ("otel.events[0].attributes.exception.message"), so a stack trace
// or a link reads on a row of its own. Lists of plain values stay one row.
void addAttributeRows(std::vector<std::pair<QString, QString>> &rows, const QString &key,
                      const QJsonValue &v) {
    if (v.isObject() && !v.toObject().isEmpty()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            addAttributeRows(rows, key + QLatin1Char('.') + it.key(), it.value());
        return;
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        const bool nested = std::any_of(
            a.begin(), a.end(), [](const QJsonValue &e) { return e.isObject() || e.isArray(); });
        if (nested) {
            for (qsizetype i = 0; i < a.size(); ++i)
                addAttributeRows(rows, key + QStringLiteral("[%1]").arg(i), a.at(i));
            return;
        }
    }
    QString text;
    if (v.isString())
        text = v.toString();
    else if (const double d = v.toDouble();
             v.isDouble() && d == std::trunc(d) && std::abs(d) < 9e15)
        text = QString::number(qint64(d)); // a time in microseconds reads whole, not as 1.7e+15
    else if (v.isDouble())
        text = QString::number(d, 'g', 15);
    else if (v.isBool())
        text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    else if (v.isNull())
        text = QStringLiteral("null");
    else if (v.isObject())
        text = QStringLiteral("{}");
    else
        text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    rows.emplace_back(visibleText(key), visibleText(text));
}

} // namespace

std::vector<std::pair<QString, QString>> attributeRows(const std::string &json) {
    std::vector<std::pair<QString, QString>> rows;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        addAttributeRows(rows, it.key(), it.value());
    // By key, with list positions in number order ([2] before [10]).
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto &a, const auto &b) { return naturalLess(a.first, b.first); });
    return rows;
}

TraceSummary summarize(const Trace &t) {
    TraceSummary s;
    s.durationUs = t.endUs - t.startUs;
    s.spans = t.spans.size();
    for (const TraceSpan &span : t.spans) {
        s.llmCalls += span.kind == TraceSpan::Llm;
        s.toolCalls += span.kind == TraceSpan::Tool;
        s.errors += span.status == TraceSpan::Error;
        if (span.kind == TraceSpan::Llm) {
            s.llmInputTokens += span.inputTokens;
            s.llmOutputTokens += span.outputTokens;
        }
        s.costMicros[std::min<uint8_t>(span.kind, 5)] += span.costMicros;
        s.totalCostMicros += span.costMicros;
    }
    return s;
}

QString summaryText(const TraceSummary &s) {
    auto tr = [](const char *text) {
        return QCoreApplication::translate("TraceSummary", text);
    };
    QString text = tr("%1 · %2 spans · %3 LLM calls (%4 → %5 tokens) · %6 tool calls · %7")
                       .arg(durationText(s.durationUs))
                       .arg(QLocale().toString(qulonglong(s.spans)))
                       .arg(QLocale().toString(qulonglong(s.llmCalls)))
                       .arg(QLocale().toString(qulonglong(s.llmInputTokens)))
                       .arg(QLocale().toString(qulonglong(s.llmOutputTokens)))
                       .arg(QLocale().toString(qulonglong(s.toolCalls)))
                       .arg(ActivityText::usdFine(qint64(s.totalCostMicros)));
    QStringList byKind;
    for (uint8_t k = 0; k < 6; ++k)
        if (s.costMicros[k] && s.costMicros[k] != s.totalCostMicros)
            byKind << QStringLiteral("%1 %2").arg(QLatin1String(spanKindText(k)),
                                                  ActivityText::usdFine(qint64(s.costMicros[k])));
    if (!byKind.isEmpty())
        text += QStringLiteral(" (") + byKind.join(QStringLiteral(", ")) + QLatin1Char(')');
    text += s.errors ? tr(" · %1 errors").arg(QLocale().toString(qulonglong(s.errors)))
                     : tr(" · no errors");
    return text;
}

} // namespace pitwall

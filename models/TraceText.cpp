#include "TraceText.h"

#include "ActivityText.h"
#include "TraceTreeModel.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

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
    p.shown = p.truncated ? p.full.left(limit) : p.full;
    return p;
}

std::vector<std::pair<QString, QString>> attributeRows(const std::string &json) {
    std::vector<std::pair<QString, QString>> rows;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        QString text;
        if (v.isString())
            text = v.toString();
        else if (v.isDouble())
            text = QString::number(v.toDouble(), 'g', 15);
        else if (v.isBool())
            text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else if (v.isNull())
            text = QStringLiteral("null");
        else
            text = QString::fromUtf8(
                (v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(v.toArray()))
                    .toJson(QJsonDocument::Compact));
        rows.emplace_back(visibleText(it.key()), visibleText(text));
    }
    std::sort(rows.begin(), rows.end());
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

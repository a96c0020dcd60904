#pragma once

#include "Trace.h"

#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace pitwall {

// Text that is always shown as text: control characters (other than newline and tab) become
// their visible Control Pictures (U+2400…), so a payload can neither hide content nor be
// mistaken for markup; the widgets showing it never interpret HTML.
QString visibleText(const QString &text);

// A payload ready to show: pretty-printed when it is JSON, as it is otherwise, cut to `limit`
// bytes for display (the full text stays available to copy).
struct Payload {
    QString shown;
    QString full;
    bool json = false;
    bool truncated = false;
    qint64 bytes = 0;
    bool present = false;
};
Payload formatPayload(const std::string &raw, bool present, qsizetype limit = 256 << 10);

// A span's attributes (a JSON object) as sorted (key, value) rows; nested values as JSON.
std::vector<std::pair<QString, QString>> attributeRows(const std::string &json);

// What the summary header says of a trace.
struct TraceSummary {
    int64_t durationUs = 0;
    size_t spans = 0, llmCalls = 0, toolCalls = 0, errors = 0;
    uint64_t llmInputTokens = 0, llmOutputTokens = 0;
    uint64_t costMicros[6] = {}; // by kind
    uint64_t totalCostMicros = 0;
};
TraceSummary summarize(const Trace &trace);
QString summaryText(const TraceSummary &summary);

} // namespace pitwall

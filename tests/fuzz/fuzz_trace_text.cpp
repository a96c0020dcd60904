// Feeds any bytes to what the traces page shows of a span: its payloads (cut at a small and at
// the default limit), its attribute rows, and text made visible. None of them needs a
// QCoreApplication. A crash, a sanitizer's finding or a broken promise of TraceText.h aborts.
#include "FuzzCheck.h"
#include "TraceText.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

// What visibleText promises: nothing that could hide content, one character for one.
bool isVisible(const QString &text) {
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\n' && u != u'\t') || u == 0x7f)
            return false;
    }
    return true;
}

void checkPayload(const std::string &raw, qsizetype limit) {
    const pitwall::Payload p = pitwall::formatPayload(raw, true, limit);
    FUZZ_CHECK(p.present);
    FUZZ_CHECK(p.bytes == qint64(raw.size()));
    FUZZ_CHECK(p.truncated == (p.full.size() > limit));
    FUZZ_CHECK(p.shown.size() <= limit);
    FUZZ_CHECK(p.full.startsWith(p.shown));
    FUZZ_CHECK(isVisible(p.full));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string raw(reinterpret_cast<const char *>(data), size);

    checkPayload(raw, 16);
    checkPayload(raw, 256 << 10);
    const pitwall::Payload absent = pitwall::formatPayload(raw, false);
    FUZZ_CHECK(!absent.present && absent.shown.isEmpty() && absent.full.isEmpty());

    for (const auto &[key, value] : pitwall::attributeRows(raw))
        FUZZ_CHECK(isVisible(key) && isVisible(value));

    const QString text = QString::fromUtf8(raw.data(), qsizetype(raw.size()));
    const QString shown = pitwall::visibleText(text);
    FUZZ_CHECK(shown.size() == text.size());
    FUZZ_CHECK(isVisible(shown));
    return 0;
}

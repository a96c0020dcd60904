#include "StoreStatusIndicator.h"

namespace pitwall {
namespace {

QString colourOf(StoreStatusText::Tone tone) {
    switch (tone) {
    case StoreStatusText::Tone::Good:
        return QStringLiteral("#2e9d4b");
    case StoreStatusText::Tone::Warning:
        return QStringLiteral("#d49a00");
    case StoreStatusText::Tone::Bad:
        return QStringLiteral("#d03a2f");
    case StoreStatusText::Tone::Neutral:
        break;
    }
    return QStringLiteral("#888888");
}

} // namespace

StoreStatusIndicator::StoreStatusIndicator(QWidget *parent)
    : QLabel(parent) {
    setTextFormat(Qt::RichText);
    setContentsMargins(6, 0, 6, 0);
}

void StoreStatusIndicator::show(const StoreStatusText &status) {
    m_tone = status.tone;
    setText(QStringLiteral("<span style=\"color:%1\">●</span> %2")
                .arg(colourOf(status.tone), status.label.toHtmlEscaped()));
    setToolTip(status.tooltip);
    setAccessibleName(status.label);
}

} // namespace pitwall

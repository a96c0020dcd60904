#pragma once

#include "StoreStatusText.h"

#include <QLabel>

namespace pitwall {

// A coloured dot and a line of text in the status bar; details in the tooltip.
class StoreStatusIndicator : public QLabel {
    Q_OBJECT
public:
    explicit StoreStatusIndicator(QWidget *parent = nullptr);
    void show(const StoreStatusText &status);
    StoreStatusText::Tone tone() const { return m_tone; }

private:
    StoreStatusText::Tone m_tone = StoreStatusText::Tone::Neutral;
};

} // namespace pitwall

#include "PlainTextDelegate.h"

#include <QApplication>
#include <QPainter>

namespace pitwall {

void PlainTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const {
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    if (selected) {
        painter->fillRect(option.rect, option.palette.brush(group, QPalette::Highlight));
    } else {
        const QVariant background = index.data(Qt::BackgroundRole);
        if (background.isValid())
            painter->fillRect(option.rect, background.value<QBrush>());
    }
    const QString text = index.data(Qt::DisplayRole).toString();
    if (!text.isEmpty()) {
        QColor colour =
            option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        const QVariant foreground = index.data(Qt::ForegroundRole);
        if (!selected && foreground.isValid())
            colour = foreground.value<QBrush>().color();
        const int margin = option.fontMetrics.horizontalAdvance(QLatin1Char(' '));
        const QRect box = option.rect.adjusted(margin, 0, -margin, 0);
        painter->setPen(colour);
        painter->setFont(option.font);
        painter->drawText(box, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine,
                          option.fontMetrics.elidedText(text, Qt::ElideRight, box.width()));
    }
    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(option.palette.color(group, QPalette::Highlight).darker(130));
        painter->drawRect(option.rect.adjusted(0, 0, -1, -1));
    }
}

} // namespace pitwall

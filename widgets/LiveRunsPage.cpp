#include "LiveRunsPage.h"

#include "KillDialog.h"
#include "LiveRunsModel.h"
#include "PlainTextDelegate.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace pitwall {

LiveRunsPage::LiveRunsPage(LiveRunsModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model) {
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_header = new QLabel(this);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    bar->addWidget(m_header);
    bar->addStretch(1);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter: agent, version, user, status, run id…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(320);
    bar->addWidget(m_filter);
    m_kill = new QPushButton(tr("&Kill…"), this);
    bar->addWidget(m_kill);
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setModel(model);
    m_table->setItemDelegate(new PlainTextDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(LiveRunsModel::Age, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    layout->addWidget(m_table, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    // Typing is debounced: at a million rows each filter pass is real work.
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this,
            [this] { m_model->setFilterText(m_filter->text()); });

    auto *killAction = new QAction(tr("Kill selected runs…"), this);
    killAction->setShortcut(QKeySequence::Delete);
    killAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(killAction);
    connect(killAction, &QAction::triggered, this, &LiveRunsPage::askToKill);
    connect(m_kill, &QPushButton::clicked, this, &LiveRunsPage::askToKill);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this, killAction](QPoint at) {
        QMenu menu(this);
        menu.addAction(killAction);
        killAction->setEnabled(m_killAllowed && m_table->selectionModel()->hasSelection());
        menu.exec(m_table->viewport()->mapToGlobal(at));
    });
    connect(model, &QAbstractItemModel::layoutChanged, this, &LiveRunsPage::updateHeader);
    connect(model, &QAbstractItemModel::dataChanged, this, &LiveRunsPage::updateHeader);
    setKillAllowed(false, tr("Not connected."));
    updateHeader();
}

void LiveRunsPage::setKillAllowed(bool allowed, const QString &whyNot) {
    m_killAllowed = allowed;
    m_kill->setEnabled(allowed);
    m_kill->setToolTip(allowed ? tr("Kill the selected runs (Delete)") : whyNot);
}

void LiveRunsPage::showStatus(const QString &text) {
    m_status->setText(text);
}

void LiveRunsPage::updateHeader() {
    m_header->setText(tr("%1 live runs shown of %2 · %3 runaways")
                          .arg(m_model->rowCount())
                          .arg(m_model->runCount())
                          .arg(m_model->runawayCount()));
}

void LiveRunsPage::askToKill() {
    if (!m_killAllowed)
        return;
    QStringList ids, lines;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(LiveRunsModel::Run);
    for (const QModelIndex &row : rows) {
        if (row.data(LiveRunsModel::EndedRole).toBool())
            continue;
        const QString id = row.data(LiveRunsModel::RunIdRole).toString();
        ids << id;
        lines << tr("%1 · %2 · %3 · %4")
                     .arg(id, row.siblingAtColumn(LiveRunsModel::Agent).data().toString(),
                          row.siblingAtColumn(LiveRunsModel::User).data().toString(),
                          row.siblingAtColumn(LiveRunsModel::Spend).data().toString());
    }
    if (ids.isEmpty()) {
        showStatus(tr("Select one or more running runs to kill."));
        return;
    }
    KillDialog dialog(lines, this);
    if (dialog.exec() == QDialog::Accepted)
        Q_EMIT killRequested(ids, dialog.reason());
}

} // namespace pitwall

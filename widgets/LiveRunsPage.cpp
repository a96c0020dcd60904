#include "LiveRunsPage.h"

#include "ActivityText.h"
#include "KillDialog.h"
#include "LiveRun.h"
#include "LiveRunsModel.h"
#include "PlainTextDelegate.h"
#include "RunDetailPanel.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSet>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace pitwall {
namespace {

// At most this many runs are listed one by one in the dialog; the rest are counted.
constexpr int kListedRuns = 300;

} // namespace

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
    m_filter->setPlaceholderText(tr("Filter: words, or agent: version: user: status: run:"));
    m_filter->setToolTip(
        tr("Free words match the agent, version, user, entry point, last span, status or the "
           "start of the run id. Field terms match exactly: version:v7 status:running."));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(360);
    bar->addWidget(m_filter);
    m_kill = new QPushButton(tr("&Kill…"), this);
    bar->addWidget(m_kill);
    m_killShown = new QPushButton(tr("Kill all &shown…"), this);
    bar->addWidget(m_killShown);
    m_pause = new QPushButton(tr("&Pause"), this);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold the table still: new runs and re-sorts wait until resumed "
                           "(Pause key or Alt+P)"));
    auto *pauseKey = new QShortcut(QKeySequence(Qt::Key_Pause), this);
    pauseKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(pauseKey, &QShortcut::activated, m_pause, &QPushButton::toggle);
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_pause->setText(paused ? tr("Resume (&P)") : tr("&Pause"));
        updateHold();
    });
    bar->addWidget(m_pause);
    layout->addLayout(bar);
    // What waits while the table holds still; one click (or Enter on it) shows it.
    m_heldBar = new QPushButton(this);
    m_heldBar->setFlat(true);
    m_heldBar->setStyleSheet(
        QStringLiteral("QPushButton { background: #fff4d6; text-align: left; padding: 3px; }"));
    m_heldBar->hide();
    connect(m_heldBar, &QPushButton::clicked, m_model, &LiveRunsModel::showHeldChanges);
    connect(m_model, &LiveRunsModel::heldChangesChanged, this, &LiveRunsPage::updateHeldBar);
    layout->addWidget(m_heldBar);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(split);
    m_table->setModel(model);
    m_table->setItemDelegate(new PlainTextDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(LiveRunsModel::Age, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setWordWrap(false);
    // Widths for a typical row, so that every column fits a laptop screen; the run id is
    // elided (its start is enough to tell runs apart; the detail panel has it in full).
    const QFontMetrics metrics = m_table->fontMetrics();
    const std::pair<int, const char *> widths[] = {{LiveRunsModel::Run, "0000000000"},
                                                   {LiveRunsModel::Agent, "research-agent"},
                                                   {LiveRunsModel::Version, "v13 (canary)"},
                                                   {LiveRunsModel::User, "user-00000"},
                                                   {LiveRunsModel::EntryPoint, "webhook"},
                                                   {LiveRunsModel::Status, "kill requested"},
                                                   {LiveRunsModel::Step, "00 / 00"},
                                                   {LiveRunsModel::Age, "00 min 00 s"},
                                                   {LiveRunsModel::Spend, "Spend (+reserved)"},
                                                   {LiveRunsModel::LastSpan, "payments_api"},
                                                   {LiveRunsModel::Heartbeat, "00 s ago"}};
    for (const auto &[column, sample] : widths)
        m_table->setColumnWidth(column, metrics.horizontalAdvance(QLatin1String(sample)) +
                                            metrics.height());
    // Why a run looks like a runaway matters more than its last span: show it next to the status.
    m_table->horizontalHeader()->moveSection(LiveRunsModel::Runaway, LiveRunsModel::Status + 1);
    m_table->setColumnWidth(LiveRunsModel::Runaway,
                            metrics.horizontalAdvance(QStringLiteral("same tool call ×00")) +
                                metrics.height());
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->viewport()->installEventFilter(this);
    m_table->viewport()->setMouseTracking(true);
    m_aimIdle = new QTimer(this);
    m_aimIdle->setSingleShot(true);
    m_aimIdle->setInterval(3000);
    connect(m_aimIdle, &QTimer::timeout, this, [this] {
        m_pointerOver = false;
        updateHold();
    });
    m_details = new RunDetailPanel(split);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({1000, 460});
    layout->addWidget(split, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    // Typing is debounced: at a million rows each filter pass is real work.
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(300);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, [this] {
        m_model->setFilterText(m_filter->text());
        updateHeader();
    });

    auto *killAction = new QAction(tr("Kill selected runs…"), this);
    killAction->setShortcut(QKeySequence::Delete);
    killAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(killAction);
    auto *killShownAction = new QAction(tr("Kill every running run shown…"), this);
    killShownAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Delete));
    killShownAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(killShownAction);
    connect(killAction, &QAction::triggered, this, &LiveRunsPage::askToKill);
    connect(killShownAction, &QAction::triggered, this, &LiveRunsPage::askToKillShown);
    connect(m_kill, &QPushButton::clicked, this, &LiveRunsPage::askToKill);
    connect(m_killShown, &QPushButton::clicked, this, &LiveRunsPage::askToKillShown);
    connect(m_table, &QWidget::customContextMenuRequested, this,
            [this, killAction, killShownAction](QPoint at) {
                QMenu menu(this);
                menu.addAction(killAction);
                menu.addAction(killShownAction);
                killAction->setEnabled(m_killAllowed && m_table->selectionModel()->hasSelection());
                killShownAction->setEnabled(m_killAllowed);
                m_menuOpen = true;
                updateHold();
                menu.exec(m_table->viewport()->mapToGlobal(at));
                m_menuOpen = false;
                updateHold();
                killAction->setEnabled(true);
                killShownAction->setEnabled(true);
            });

    // The detail panel follows the current row (debounced while arrowing through the table)
    // and refreshes every two seconds while a run is shown.
    m_detailsDelay = new QTimer(this);
    m_detailsDelay->setSingleShot(true);
    m_detailsDelay->setInterval(150);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, m_detailsDelay,
            qOverload<>(&QTimer::start));
    connect(m_detailsDelay, &QTimer::timeout, this, &LiveRunsPage::selectionMoved);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LiveRunsPage::updateHold);

    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT traceWanted(index.data(LiveRunsModel::RunIdRole).toString());
    });
    connect(model, &QAbstractItemModel::layoutChanged, this, &LiveRunsPage::updateHeader);
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            &LiveRunsPage::updateHeader); // "sorting…" while the worker sorts
    connect(model, &QAbstractItemModel::dataChanged, this, &LiveRunsPage::updateHeader);
    setKillAllowed(false, tr("Not connected."));
    updateHeader();
}

void LiveRunsPage::selectionMoved() {
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const QString runId =
        current.isValid() ? current.data(LiveRunsModel::RunIdRole).toString() : QString();
    m_details->showRun(runId);
    Q_EMIT detailsWanted(runId);
}

void LiveRunsPage::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    if (!m_details->runId().isEmpty())
        Q_EMIT detailsWanted(m_details->runId());
}

void LiveRunsPage::hideEvent(QHideEvent *event) {
    QWidget::hideEvent(event);
    Q_EMIT detailsWanted(QString());
}

void LiveRunsPage::showDetails(const RunDetails &details, const std::optional<SloTargets> &slo) {
    m_details->showDetails(details, slo);
}

void LiveRunsPage::setKillAllowed(bool allowed, const QString &whyNot) {
    m_killAllowed = allowed;
    m_kill->setEnabled(allowed);
    m_kill->setToolTip(allowed ? tr("Kill the selected runs (Delete)") : whyNot);
    m_killShown->setEnabled(allowed);
    m_killShown->setToolTip(allowed ? tr("Kill every running run the filter shows "
                                         "(Shift+Delete), after typing their number")
                                    : whyNot);
}

void LiveRunsPage::showStatus(const QString &text) {
    m_status->setText(text);
}

void LiveRunsPage::updateHeader() {
    QString header = tr("%1 running · %2 runaways · %3 of %4 runs shown (ended runs stay 3 min)")
                         .arg(m_model->runningCount())
                         .arg(m_model->runawayCount())
                         .arg(m_model->rowCount())
                         .arg(m_model->runCount());
    if (m_model->isRebuilding())
        header += tr(" · sorting…");
    if (m_model->staleSinceMs() >= 0)
        header = tr("As of %1, the feed is down: ")
                     .arg(QDateTime::fromMSecsSinceEpoch(m_model->staleSinceMs())
                              .toString(QStringLiteral("HH:mm:ss"))) +
                 header;
    m_header->setText(header);
    m_filter->setStyleSheet(m_model->filterError().isEmpty()
                                ? QString()
                                : QStringLiteral("QLineEdit { border: 1px solid #c0392b; }"));
    if (!m_model->filterError().isEmpty())
        m_filter->setToolTip(m_model->filterError());
}

namespace {

// A line of the kill dialog for a row of the table.
QString killLine(const QModelIndex &row) {
    return LiveRunsPage::tr("%1 · %2 · %3 · %4")
        .arg(row.data(LiveRunsModel::RunIdRole).toString(),
             row.siblingAtColumn(LiveRunsModel::Agent).data().toString(),
             row.siblingAtColumn(LiveRunsModel::User).data().toString(),
             row.siblingAtColumn(LiveRunsModel::Spend).data().toString());
}

QString killTotals(qsizetype runs, qsizetype users, qint64 spendMicros) {
    return LiveRunsPage::tr("%n run(s) of %1 user(s), %2 spent so far", nullptr, int(runs))
        .arg(users)
        .arg(ActivityText::usd(spendMicros));
}

} // namespace

void LiveRunsPage::askToKill() {
    if (!m_killAllowed)
        return;
    QStringList ids, lines;
    QSet<QString> users;
    qint64 spendMicros = 0;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(LiveRunsModel::Run);
    for (const QModelIndex &row : rows) {
        if (row.data(LiveRunsModel::EndedRole).toBool())
            continue;
        ids << row.data(LiveRunsModel::RunIdRole).toString();
        users.insert(row.data(LiveRunsModel::UserNameRole).toString());
        spendMicros += row.data(LiveRunsModel::SpendMicrosRole).toLongLong();
        if (lines.size() < kListedRuns)
            lines << killLine(row);
    }
    if (ids.isEmpty()) {
        showStatus(tr("Select one or more running runs to kill."));
        return;
    }
    KillDialog dialog(lines, killTotals(ids.size(), users.size(), spendMicros), 0, this);
    if (runKillDialog(dialog, ids))
        Q_EMIT killRequested(dialog.stillRunning(), dialog.reason());
}

void LiveRunsPage::askToKillShown() {
    if (!m_killAllowed)
        return;
    const LiveRunsModel::RunningShown shown = m_model->runningShown(kListedRuns);
    if (shown.ids.isEmpty()) {
        showStatus(tr("The filter shows no running run."));
        return;
    }
    QStringList lines;
    for (int row : shown.firstRows)
        lines << killLine(m_model->index(row, LiveRunsModel::Run));
    const QString totals = killTotals(shown.ids.size(), shown.users, shown.spendMicros);
    const QString filter = m_filter->text().trimmed();
    const QString what = filter.isEmpty()
                             ? tr("Every running run: %1").arg(totals)
                             : tr("Every running run shown by \"%1\": %2").arg(filter, totals);
    KillDialog dialog(lines, what, static_cast<int>(shown.ids.size()), this);
    if (runKillDialog(dialog, shown.ids))
        Q_EMIT killRequested(dialog.stillRunning(), dialog.reason());
}

bool LiveRunsPage::runKillDialog(KillDialog &dialog, const QStringList &ids) {
    dialog.setRuns(ids);
    // The costliest runaway is often near its step cap: it may end while the reason is typed.
    auto check = [this, &dialog] {
        for (const QString &id : dialog.stillRunning())
            if (const LiveRun *run = m_model->find(id.toStdString()); !run || !run->running())
                dialog.runEnded(id, run ? m_model->statusText(*run) : tr("ended"));
    };
    const QMetaObject::Connection watch =
        connect(m_model, &QAbstractItemModel::dataChanged, &dialog, check);
    m_dialogOpen = true;
    updateHold();
    const bool accepted = dialog.exec() == QDialog::Accepted && !dialog.stillRunning().isEmpty();
    disconnect(watch);
    m_dialogOpen = false;
    updateHold();
    return accepted;
}

// Aiming is a pointer moving over the table: one resting there (the operator looked away)
// holds nothing once it has been still for a few seconds.
bool LiveRunsPage::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_table->viewport()) {
        if (event->type() == QEvent::MouseMove || event->type() == QEvent::Enter) {
            m_aimIdle->start();
            if (!m_pointerOver) {
                m_pointerOver = true;
                updateHold();
            }
        } else if (event->type() == QEvent::Leave && m_pointerOver) {
            m_aimIdle->stop();
            m_pointerOver = false;
            updateHold();
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LiveRunsPage::updateHold() {
    m_model->setHeld(m_pointerOver || m_menuOpen || m_dialogOpen || m_pause->isChecked() ||
                     m_table->selectionModel()->hasSelection());
    updateHeldBar();
}

void LiveRunsPage::updateHeldBar() {
    if (!m_model->isHeld() || !m_model->hasHeldChanges()) {
        m_heldBar->hide();
        return;
    }
    const int fresh = m_model->heldNewRuns();
    m_heldBar->setText(fresh > 0 ? tr("%n new run(s) and changes in order wait while the table "
                                      "holds still — show",
                                      nullptr, fresh)
                                 : tr("The order changed while the table holds still — show"));
    m_heldBar->show();
}

} // namespace pitwall

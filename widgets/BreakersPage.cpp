#include "BreakersPage.h"

#include "BreakerModel.h"
#include "ViewSetup.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace pitwall {
namespace {

// Calls per minute as grey bars, failures over them in red, scaled to the busiest minute.
class SparklineDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyledItemDelegate::paint(painter, option, index);
        const QVariantList points = index.data(BreakerTableModel::SparkRole).toList();
        if (points.isEmpty())
            return;
        double most = 1;
        for (const QVariant &p : points)
            most = std::max(most, p.toPointF().x());
        const QRectF r = QRectF(option.rect).adjusted(2, 3, -2, -3);
        const double w = r.width() / double(points.size());
        painter->save();
        painter->setPen(Qt::NoPen);
        for (int i = 0; i < points.size(); ++i) {
            const QPointF p = points[i].toPointF();
            const double x = r.left() + i * w;
            const double calls = r.height() * p.x() / most;
            const double failures = r.height() * p.y() / most;
            painter->setBrush(QColor(0x9e, 0x9e, 0x9e));
            painter->drawRect(QRectF(x + 0.5, r.bottom() - calls, std::max(1.0, w - 1), calls));
            painter->setBrush(QColor(0xc6, 0x28, 0x28));
            painter->drawRect(
                QRectF(x + 0.5, r.bottom() - failures, std::max(1.0, w - 1), failures));
        }
        painter->restore();
    }
    QSize sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const override {
        return {kBreakerSparkMinutes * 6, 20};
    }
};

QString evidenceOf(const BreakerRow &r, int64_t nowMs) {
    const BreakerMinute w = r.window();
    const double rate = r.failureRate();
    QJsonObject o{{QStringLiteral("state"), QString::fromStdString(r.state)},
                  {QStringLiteral("failure_rate"), rate < 0 ? QJsonValue() : QJsonValue(rate)},
                  {QStringLiteral("window_minutes"), kBreakerWindowMinutes},
                  {QStringLiteral("calls"), qint64(w.calls)},
                  {QStringLiteral("failures"), qint64(w.failures)},
                  {QStringLiteral("rejected"), qint64(w.rejected)},
                  {QStringLiteral("failures_in_row"), qint64(r.failuresInRow)},
                  {QStringLiteral("threshold"), qint64(r.threshold)},
                  {QStringLiteral("runs_at_tool"), r.runsAtTool},
                  {QStringLiteral("last_error"), QString::fromStdString(r.lastError).left(500)},
                  {QStringLiteral("seen_at"),
                   QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(Qt::ISODateWithMs)}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

BreakersPage::BreakersPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new BreakerTableModel(this)) {
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    m_filter = new QLineEdit(this);
    m_filter->setMaxLength(200);
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("tool, state or error text; state:open for one state"));
    filterLabel->setBuddy(m_filter);
    m_summary = new QLabel(this);
    top->addWidget(filterLabel);
    top->addWidget(m_filter, 1);
    top->addWidget(m_summary, 2);
    layout->addLayout(top);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->hide();
    layout->addWidget(m_status);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_table = rowTable(m_model, split);
    m_table->setItemDelegateForColumn(BreakerTableModel::Activity, new SparklineDelegate(m_table));
    m_table->setColumnWidth(BreakerTableModel::Tool, 130);
    m_table->setColumnWidth(BreakerTableModel::State, 95);
    m_table->setColumnWidth(BreakerTableModel::Since, 190);
    m_table->setColumnWidth(BreakerTableModel::FailureRate, 150);
    m_table->setColumnWidth(BreakerTableModel::InARow, 120);
    m_table->setColumnWidth(BreakerTableModel::HalfOpen, 90);
    m_table->setColumnWidth(BreakerTableModel::RunsAtTool, 90);
    m_table->setColumnWidth(BreakerTableModel::Activity, kBreakerSparkMinutes * 7);
    for (int c : {BreakerTableModel::Calls, BreakerTableModel::Failed, BreakerTableModel::Refused})
        m_table->setColumnWidth(c, 60);

    auto *lower = new QWidget(split);
    auto *lowerLayout = new QHBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    auto *left = new QVBoxLayout;
    m_details = new QLabel(tr("Select a tool to see its breaker."), lower);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setWordWrap(true);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    left->addWidget(m_details);
    auto *buttons = new QHBoxLayout;
    m_forceOpen = new QPushButton(tr("Force &open…"), lower);
    m_forceClosed = new QPushButton(tr("Force &closed…"), lower);
    m_clear = new QPushButton(tr("C&lear override…"), lower);
    m_runs = new QPushButton(tr("Show live &runs at this tool"), lower);
    for (QPushButton *b : {m_forceOpen, m_forceClosed, m_clear, m_runs})
        buttons->addWidget(b);
    buttons->addStretch();
    left->addLayout(buttons);
    m_denied = new QLabel(lower);
    m_denied->setStyleSheet(QStringLiteral("color: #757575"));
    m_denied->setWordWrap(true);
    left->addWidget(m_denied);
    left->addStretch(1);
    lowerLayout->addLayout(left, 2);
    auto *right = new QVBoxLayout;
    m_historyTitle = new QLabel(tr("History"), lower);
    right->addWidget(m_historyTitle);
    m_history = new QTreeWidget(lower);
    m_history->setRootIsDecorated(false);
    m_history->setHeaderLabels({tr("When (UTC)"), tr("Change"), tr("By"), tr("Reason")});
    m_history->setColumnWidth(0, 150);
    m_history->setColumnWidth(1, 200);
    m_history->setColumnWidth(2, 120);
    right->addWidget(m_history, 1);
    lowerLayout->addLayout(right, 3);
    split->addWidget(m_table);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 300});
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, this, &BreakersPage::setFilterText);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BreakersPage::selectionChanged);
    connect(m_forceOpen, &QPushButton::clicked, this,
            [this] { askOverride(QStringLiteral("open")); });
    connect(m_forceClosed, &QPushButton::clicked, this,
            [this] { askOverride(QStringLiteral("closed")); });
    connect(m_clear, &QPushButton::clicked, this, [this] { askOverride(QString()); });
    connect(m_runs, &QPushButton::clicked, this, [this] {
        if (!m_selected.empty())
            Q_EMIT runsAtToolWanted(QString::fromStdString(m_selected));
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (index.column() == BreakerTableModel::RunsAtTool && !m_selected.empty())
            Q_EMIT runsAtToolWanted(QString::fromStdString(m_selected));
    });
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    updateButtons();
}

QDialog *BreakersPage::overrideDialog() const {
    return m_dialog.data();
}

QString BreakersPage::selectedTool() const {
    return QString::fromStdString(m_selected);
}

void BreakersPage::showBoard(const BreakerBoard &board) {
    if (!board.error.empty()) {
        m_summary->setText(tr("Not read: %1").arg(QString::fromStdString(board.error)));
        m_summary->setToolTip(QString::fromStdString(board.error));
        return; // the board shown stays, as it was
    }
    const std::string keep = m_selected;
    m_model->setBoard(board);
    int open = 0, forced = 0, halfOpen = 0;
    for (const BreakerRow &r : board.rows) {
        open += r.state == "open";
        halfOpen += r.state == "half_open";
        forced += r.forced();
    }
    QString s = tr("%n tool(s): ", nullptr, int(board.rows.size())) +
                tr("%1 open, %2 half-open, %3 forced").arg(open).arg(halfOpen).arg(forced);
    if (m_model->shownCount() != int(board.rows.size()))
        s += tr(" · %1 shown").arg(m_model->shownCount());
    if (board.truncated)
        s += tr(" · only the first %1 tools by name").arg(kMaxBreakerTools);
    m_summary->setText(s);
    m_summary->setToolTip(
        tr("Read at %1 in %2 ms").arg(BreakerText::time(board.atMs)).arg(board.readMs, 0, 'f', 1));
    const int row = m_model->rowOf(keep);
    if (row >= 0) {
        const QSignalBlocker block(m_table->selectionModel());
        m_table->selectRow(row);
        m_table->selectionModel()->setCurrentIndex(
            m_model->index(row, 0), QItemSelectionModel::Rows | QItemSelectionModel::Select);
    }
    m_selected = row >= 0 ? keep : std::string();
    showDetails();
}

void BreakersPage::showRunsAtTools(const QHash<QString, int> &runs) {
    m_model->setRunsAtTools(runs);
    showDetails();
}

void BreakersPage::setFilterText(const QString &text) {
    if (m_filter->text() != text) {
        m_filter->setText(text); // comes back here through textChanged
        return;
    }
    const std::string keep = m_selected;
    m_model->setFilterText(text);
    const int row = m_model->rowOf(keep);
    if (row >= 0)
        m_table->selectRow(row);
    else
        selectionChanged();
}

bool BreakersPage::selectTool(const QString &tool) {
    int row = m_model->rowOf(tool.toStdString());
    if (row < 0 && !m_filter->text().isEmpty()) {
        setFilterText(QString());
        row = m_model->rowOf(tool.toStdString());
    }
    if (row < 0)
        return false;
    m_table->setCurrentIndex(m_model->index(row, BreakerTableModel::Tool));
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
    m_table->setFocus();
    return true;
}

void BreakersPage::selectionChanged() {
    const BreakerRow *r = m_model->breaker(m_table->currentIndex().row());
    const std::string tool = r ? r->tool : std::string();
    if (tool != m_selected) {
        m_selected = tool;
        m_history->clear();
        m_historyTitle->setText(
            tool.empty() ? tr("History")
                         : tr("History of %1 (reading…)").arg(QString::fromStdString(tool)));
        Q_EMIT toolSelected(QString::fromStdString(tool));
    }
    showDetails();
}

void BreakersPage::showDetails() {
    const int row = m_model->rowOf(m_selected);
    const BreakerRow *r = m_model->breaker(row);
    m_details->setText(r ? BreakerText::details(*r, m_model->board().atMs)
                         : tr("Select a tool to see its breaker."));
    m_runs->setText(r && r->runsAtTool >= 0
                        ? tr("Show live &runs at this tool (%1)").arg(r->runsAtTool)
                        : tr("Show live &runs at this tool"));
    updateButtons();
}

void BreakersPage::showHistory(const QString &tool, const std::vector<BreakerHistoryEntry> &entries,
                               const QString &error) {
    if (tool.toStdString() != m_selected)
        return;
    m_history->clear();
    if (!error.isEmpty()) {
        m_historyTitle->setText(tr("History of %1 not read: %2").arg(tool, error));
        return;
    }
    m_historyTitle->setText(
        tr("History of %1: %n transition(s) and override(s)", nullptr, int(entries.size()))
            .arg(tool));
    QList<QTreeWidgetItem *> items;
    for (const BreakerHistoryEntry &e : entries) {
        QString change =
            BreakerText::state(e.from) + QStringLiteral(" → ") + BreakerText::state(e.to);
        if (e.actor.empty() && e.failures > 0)
            change += tr(" (%1 failures)").arg(e.failures);
        auto *item = new QTreeWidgetItem(
            {QDateTime::fromMSecsSinceEpoch(e.atMs, Qt::UTC)
                 .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
             change, e.actor.empty() ? tr("(automatic)") : QString::fromStdString(e.actor),
             QString::fromStdString(e.reason)});
        item->setToolTip(3, QString::fromStdString(e.reason));
        if (!e.actor.empty()) {
            QFont bold = item->font(1);
            bold.setBold(true);
            for (int c = 0; c < 4; ++c)
                item->setFont(c, bold);
        }
        items.append(item);
    }
    m_history->addTopLevelItems(items);
}

void BreakersPage::showStatus(const QString &text) {
    m_status->setStyleSheet(QString());
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void BreakersPage::actionFinished(bool ok, const QString &text) {
    showOutcome(m_status, ok, text);
}

void BreakersPage::setOverrideAllowed(bool allowed, const QString &whyNot) {
    m_allowed = allowed;
    m_whyNot = whyNot;
    updateButtons();
}

void BreakersPage::updateButtons() {
    const BreakerRow *r = m_model->breaker(m_model->rowOf(m_selected));
    m_forceOpen->setEnabled(m_allowed && r && r->state != "forced_open");
    m_forceClosed->setEnabled(m_allowed && r && r->state != "forced_closed");
    m_clear->setEnabled(m_allowed && r && r->forced());
    m_runs->setEnabled(r != nullptr);
    const QString why = m_allowed ? QString() : m_whyNot;
    for (QPushButton *b : {m_forceOpen, m_forceClosed, m_clear})
        b->setToolTip(why);
    m_denied->setText(why);
    m_denied->setVisible(!why.isEmpty());
}

void BreakersPage::askOverride(const QString &forced) {
    const BreakerRow *r = m_model->breaker(m_model->rowOf(m_selected));
    if (!r || !m_allowed || m_dialog)
        return;
    const BreakerRow row = *r;
    const int64_t seenAt = m_model->board().atMs;
    const QString tool = QString::fromStdString(row.tool);
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("breakerOverrideDialog"));
    const QString title = forced == QLatin1String("open") ? tr("Force %1 open").arg(tool)
                          : forced == QLatin1String("closed")
                              ? tr("Force %1 closed").arg(tool)
                              : tr("Clear the override of %1").arg(tool);
    dialog->setWindowTitle(title);
    auto *layout = new QVBoxLayout(dialog);
    const QString effect =
        forced == QLatin1String("open")
            ? tr("Every call of %1 is refused at once, by every agent, until the override ends.")
                  .arg(tool)
        : forced == QLatin1String("closed")
            ? tr("Every call of %1 goes through, whatever its failures, until the override ends.")
                  .arg(tool)
            : tr("The breaker of %1 goes back to its automatic state (%2 now).")
                  .arg(tool, BreakerText::state(row.automaticState));
    auto *effectLabel = new QLabel(
        effect + QStringLiteral("\n") +
            tr("Now: %1; %2.").arg(BreakerText::state(row.state), BreakerText::failureRate(row)),
        dialog);
    effectLabel->setWordWrap(true);
    effectLabel->setTextFormat(Qt::PlainText);
    layout->addWidget(effectLabel);
    auto *form = new QFormLayout;
    QComboBox *duration = nullptr;
    if (!forced.isEmpty()) {
        duration = new QComboBox(dialog);
        duration->setObjectName(QStringLiteral("duration"));
        duration->addItem(tr("15 minutes"), qint64(15 * 60'000));
        duration->addItem(tr("1 hour"), qint64(3600'000));
        duration->addItem(tr("4 hours"), qint64(4 * 3600'000));
        duration->addItem(tr("24 hours"), qint64(24 * 3600'000));
        duration->addItem(tr("until cleared"), qint64(0));
        duration->setCurrentIndex(1);
        form->addRow(tr("&For:"), duration);
    }
    auto *reason = new QLineEdit(dialog);
    reason->setObjectName(QStringLiteral("reason"));
    reason->setMaxLength(2000);
    reason->setPlaceholderText(tr("e.g. the vendor confirmed the outage is over"));
    form->addRow(tr("&Reason (kept in the audit log):"), reason);
    layout->addLayout(form);
    auto *missing = new QLabel(tr("Give a reason first."), dialog);
    missing->setStyleSheet(QStringLiteral("color: #757575"));
    layout->addWidget(missing);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Cancel, dialog);
    QPushButton *confirm =
        box->addButton(forced.isEmpty() ? tr("Clear") : tr("Force"), QDialogButtonBox::AcceptRole);
    confirm->setDefault(true);
    confirm->setEnabled(false);
    layout->addWidget(box);
    connect(reason, &QLineEdit::textChanged, dialog, [reason, confirm, missing] {
        const bool ok = !reason->text().trimmed().isEmpty();
        confirm->setEnabled(ok);
        missing->setVisible(!ok);
    });
    connect(box, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(box, &QDialogButtonBox::accepted, dialog, [=, this] {
        if (reason->text().trimmed().isEmpty())
            return;
        std::optional<qint64> until;
        if (duration && duration->currentData().toLongLong() > 0)
            until = QDateTime::currentMSecsSinceEpoch() + duration->currentData().toLongLong();
        Q_EMIT overrideRequested(tool, forced, until, QString::fromStdString(row.state),
                                 reason->text().trimmed(), evidenceOf(row, seenAt));
        dialog->accept();
    });
    dialog->resize(560, 240);
    reason->setFocus();
    m_dialog = dialog;
    dialog->open();
}

} // namespace pitwall

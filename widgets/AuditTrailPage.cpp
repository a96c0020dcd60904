#include "AuditTrailPage.h"

#include "AuditModel.h"
#include "AuditText.h"
#include "ViewSetup.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace pitwall {
namespace {

// The "since" choices, in milliseconds back from now (0: any time).
const std::pair<const char *, int64_t> kSince[] = {
    {QT_TRANSLATE_NOOP("AuditTrailPage", "any time"), 0},
    {QT_TRANSLATE_NOOP("AuditTrailPage", "last 15 minutes"), 15 * 60'000},
    {QT_TRANSLATE_NOOP("AuditTrailPage", "last hour"), 3600'000},
    {QT_TRANSLATE_NOOP("AuditTrailPage", "last 24 hours"), 24 * 3600'000},
    {QT_TRANSLATE_NOOP("AuditTrailPage", "last 7 days"), 7 * 24 * 3600'000LL},
    {QT_TRANSLATE_NOOP("AuditTrailPage", "last 30 days"), 30 * 24 * 3600'000LL},
};

const char *const kKinds[] = {"kill_run",          "set_cap",       "cap_expired",
                              "set_spend_alert",   "rebuild_spend", "release_hold",
                              "set_canary_weight", "promote",       "rollback",
                              "set_canary_policy", "start_canary",  "override_breaker"};

} // namespace

AuditTrailPage::AuditTrailPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new AuditTableModel(this))
    , m_debounce(new QTimer(this)) {
    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    auto addField = [&](const QString &label, QWidget *field, int stretch) {
        auto *l = new QLabel(label, this);
        l->setBuddy(field);
        filters->addWidget(l);
        filters->addWidget(field, stretch);
    };
    m_actor = new QLineEdit(this);
    m_kind = new QComboBox(this);
    m_target = new QLineEdit(this);
    m_text = new QLineEdit(this);
    m_since = new QComboBox(this);
    for (QLineEdit *e : {m_actor, m_target, m_text}) {
        e->setMaxLength(200); // the reader's bound
        e->setClearButtonEnabled(true);
    }
    m_actor->setPlaceholderText(tr("any role"));
    m_target->setPlaceholderText(tr("any target"));
    m_text->setPlaceholderText(tr("words of the reason"));
    m_kind->addItem(tr("any action"), QString());
    for (const char *k : kKinds)
        m_kind->addItem(QString::fromLatin1(k), QString::fromLatin1(k));
    for (const auto &[label, ms] : kSince)
        m_since->addItem(tr(label), qint64(ms));
    addField(tr("&Who:"), m_actor, 2);
    addField(tr("A&ction:"), m_kind, 2);
    addField(tr("Tar&get:"), m_target, 2);
    addField(tr("R&eason:"), m_text, 3);
    addField(tr("&When:"), m_since, 2);
    m_pending = new QCheckBox(tr("&Not yet applied"), this);
    m_pending->setToolTip(tr("Only the actions still waiting in the outbox for Redis"));
    filters->addWidget(m_pending);
    layout->addLayout(filters);

    auto *bar = new QHBoxLayout;
    m_count = new QLabel(this);
    m_older = new QPushButton(tr("Show older (Alt+&M)"), this);
    m_exportCsv = new QPushButton(tr("Export C&SV…"), this);
    m_exportJson = new QPushButton(tr("Export &JSON Lines…"), this);
    m_cancelExport = new QPushButton(tr("Cancel export"), this);
    m_cancelExport->hide();
    bar->addWidget(m_count, 1);
    bar->addWidget(m_older);
    bar->addWidget(m_exportCsv);
    bar->addWidget(m_exportJson);
    bar->addWidget(m_cancelExport);
    layout->addLayout(bar);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->hide();
    layout->addWidget(m_status);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_table = rowTable(m_model, split);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(AuditTableModel::Reason,
                                                      QHeaderView::Stretch);
    m_table->setColumnWidth(AuditTableModel::Time, 150);
    m_table->setColumnWidth(AuditTableModel::Actor, 120);
    m_table->setColumnWidth(AuditTableModel::Kind, 130);
    m_table->setColumnWidth(AuditTableModel::Target, 220);
    m_table->setColumnWidth(AuditTableModel::Outcome, 130);

    auto *detail = new QWidget(split);
    auto *detailLayout = new QHBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    auto *left = new QVBoxLayout;
    m_header = new QLabel(tr("Select an action to see what it changed."), detail);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    left->addWidget(m_header);
    m_diff = new QTableWidget(0, 3, detail);
    m_diff->setHorizontalHeaderLabels({tr("Field"), tr("Before"), tr("After")});
    m_diff->verticalHeader()->hide();
    m_diff->horizontalHeader()->setStretchLastSection(true);
    m_diff->setColumnWidth(0, 140);
    m_diff->setColumnWidth(1, 260);
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    left->addWidget(m_diff, 1);
    detailLayout->addLayout(left, 3);
    auto *right = new QVBoxLayout;
    auto *outcomeTitle = new QLabel(tr("<b>Outcome</b>"), detail);
    m_outcome = new QLabel(detail);
    m_evidence = new QLabel(detail);
    for (QLabel *l : {m_outcome, m_evidence}) {
        l->setWordWrap(true);
        l->setTextFormat(Qt::PlainText);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    }
    auto *evidenceTitle = new QLabel(tr("<b>What the console showed</b>"), detail);
    right->addWidget(outcomeTitle);
    right->addWidget(m_outcome);
    right->addWidget(evidenceTitle);
    right->addWidget(m_evidence, 1);
    detailLayout->addLayout(right, 2);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setSizes({550, 300});
    layout->addWidget(split, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, &AuditTrailPage::emitFilter);
    for (QLineEdit *e : {m_actor, m_target, m_text})
        connect(e, &QLineEdit::textChanged, this, [this] {
            if (!m_settingFilter)
                m_debounce->start();
        });
    connect(m_pending, &QCheckBox::toggled, this, [this] {
        if (!m_settingFilter)
            m_debounce->start();
    });
    for (QComboBox *b : {m_kind, m_since})
        connect(b, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_settingFilter)
                m_debounce->start();
        });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const AuditEntry *e = m_model->entry(m_table->currentIndex().row());
        m_selected = e ? e->actionId : std::string();
        showSelected();
    });
    connect(m_older, &QPushButton::clicked, this, [this] {
        if (m_model->next()) {
            m_older->setEnabled(false);
            Q_EMIT olderWanted(*m_model->next());
        }
    });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { askExport(true); });
    connect(m_exportJson, &QPushButton::clicked, this, [this] { askExport(false); });
    connect(m_cancelExport, &QPushButton::clicked, this, &AuditTrailPage::exportCancelled);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_actor->setFocus();
        m_actor->selectAll();
    });
    auto *saveCsv = new QShortcut(QKeySequence::Save, this);
    connect(saveCsv, &QShortcut::activated, this, [this] { askExport(true); });
    auto *saveJson = new QShortcut(QKeySequence(tr("Ctrl+Shift+S")), this);
    connect(saveJson, &QShortcut::activated, this, [this] { askExport(false); });
    m_older->setEnabled(false);
}

AuditFilter AuditTrailPage::filter() const {
    AuditFilter f;
    f.actor = m_actor->text().trimmed().toStdString();
    f.kind = m_kind->currentData().toString().toStdString();
    if (f.kind.empty() && m_kind->currentIndex() != 0)
        f.kind = m_kind->currentText().toStdString();
    f.target = m_target->text().trimmed().toStdString();
    f.text = m_text->text().trimmed().toStdString();
    const qint64 back = m_since->currentData().toLongLong();
    f.lastMs = back; // the service moves the start with the clock
    f.pendingOnly = m_pending->isChecked();
    return f;
}

void AuditTrailPage::setFilter(const AuditFilter &f) {
    m_settingFilter = true;
    m_actor->setText(QString::fromStdString(f.actor));
    const int kind = m_kind->findData(QString::fromStdString(f.kind));
    m_kind->setCurrentIndex(std::max(0, kind));
    m_target->setText(QString::fromStdString(f.target));
    m_text->setText(QString::fromStdString(f.text));
    m_since->setCurrentIndex(0);
    m_pending->setChecked(f.pendingOnly);
    m_settingFilter = false;
    emitFilter();
}

void AuditTrailPage::emitFilter() {
    m_debounce->stop();
    m_count->setText(tr("Reading…"));
    Q_EMIT filterChanged(filter());
}

void AuditTrailPage::showPage(const pitwall::AuditPage &page, bool older, const QString &error) {
    m_older->setEnabled(true);
    if (!error.isEmpty()) {
        m_count->setText(tr("Not read: %1").arg(error));
        return;
    }
    const std::string keep = m_selected;
    m_model->setPage(page, older, QDateTime::currentMSecsSinceEpoch());
    m_older->setEnabled(m_model->hasMore());
    m_count->setText(m_model->rowCount() == 0
                         ? tr("No action matches.")
                         : tr("%n action(s) shown", nullptr, m_model->rowCount()) +
                               (m_model->hasMore() ? tr(", older ones on request") : QString()));
    // The newest action is selected until the person selects another.
    const int row = keep.empty() && m_model->rowCount() > 0 ? 0 : m_model->rowOf(keep);
    if (row >= 0 && !older) {
        const QSignalBlocker block(m_table->selectionModel());
        m_table->selectRow(row);
        m_table->selectionModel()->setCurrentIndex(
            m_model->index(row, 0), QItemSelectionModel::Rows | QItemSelectionModel::Select);
    }
    if (!older)
        m_selected = row >= 0 ? m_model->entry(row)->actionId : std::string();
    showSelected();
}

void AuditTrailPage::showSelected() {
    const AuditEntry *e = m_model->entry(m_model->rowOf(m_selected));
    m_diff->setRowCount(0);
    if (!e) {
        m_header->setText(tr("Select an action to see what it changed."));
        m_outcome->clear();
        m_evidence->clear();
        return;
    }
    m_header->setText(tr("%1 by %2 at %3 on %4\nReason: %5\nAction id %6")
                          .arg(QString::fromStdString(e->kind), QString::fromStdString(e->actor),
                               QString::fromStdString(isoTimeUs(e->requestedUs)),
                               QString::fromStdString(e->target), QString::fromStdString(e->reason),
                               QString::fromStdString(e->actionId)));
    const std::vector<AuditChange> changes = auditDiff(e->beforeJson, e->afterJson);
    m_diff->setRowCount(int(changes.size()));
    for (int i = 0; i < int(changes.size()); ++i) {
        const AuditChange &c = changes[size_t(i)];
        const QString cells[] = {c.field, c.before.isEmpty() ? tr("(none)") : c.before,
                                 c.after.isEmpty() ? tr("(none)") : c.after};
        for (int col = 0; col < 3; ++col) {
            auto *item = new QTableWidgetItem(cells[col]);
            item->setToolTip(cells[col]);
            if (c.changed) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            } else {
                item->setForeground(QColor(0x75, 0x75, 0x75));
            }
            m_diff->setItem(i, col, item);
        }
    }
    m_outcome->setText(AuditText::outcome(*e, QDateTime::currentMSecsSinceEpoch()));
    const QString evidence = AuditText::evidence(e->evidenceJson);
    m_evidence->setText(evidence.isEmpty()
                            ? tr("Nothing recorded (taken from the command line, a script, or "
                                 "a console before schema 6).")
                            : evidence);
}

void AuditTrailPage::askExport(bool csv) {
    if (m_exporting)
        return;
    const QString path = QFileDialog::getSaveFileName(
        this,
        csv ? tr("Export the audit trail as CSV") : tr("Export the audit trail as JSON Lines"),
        csv ? QStringLiteral("pitwall-audit.csv") : QStringLiteral("pitwall-audit.jsonl"),
        csv ? tr("CSV (*.csv)") : tr("JSON Lines (*.jsonl)"));
    if (!path.isEmpty())
        exportTo(path, csv);
}

void AuditTrailPage::exportTo(const QString &path, bool csv) {
    if (m_exporting)
        return; // one at a time: the shortcuts as the buttons
    m_exporting = true;
    m_exportCsv->setEnabled(false);
    m_exportJson->setEnabled(false);
    m_cancelExport->show();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Exporting to %1…").arg(path));
    m_status->show();
    Q_EMIT exportRequested(path, csv);
}

void AuditTrailPage::showExportProgress(long long rows) {
    m_status->setText(tr("Exporting… %1 actions written").arg(rows));
}

void AuditTrailPage::exportFinished(bool ok, const QString &text) {
    m_exporting = false;
    m_exportCsv->setEnabled(true);
    m_exportJson->setEnabled(true);
    m_cancelExport->hide();
    showOutcome(m_status, ok, text);
}

} // namespace pitwall

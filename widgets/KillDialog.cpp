#include "KillDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace pitwall {

KillDialog::KillDialog(const QStringList &runs, const QString &summary, int typedCount,
                       QWidget *parent)
    : QDialog(parent)
    , m_typedCount(typedCount) {
    const int count = typedCount ? typedCount : static_cast<int>(runs.size());
    setWindowTitle(tr("Kill %n run(s)", nullptr, count));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("These runs will be stopped at their next step, or at once if a call is in flight:"),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *list = new QListWidget(this);
    list->addItems(runs);
    if (runs.size() < count)
        list->addItem(tr("… and %n more", nullptr, count - static_cast<int>(runs.size())));
    list->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(list);
    auto *total = new QLabel(summary, this);
    QFont bold = total->font();
    bold.setBold(true);
    total->setFont(bold);
    layout->addWidget(total);
    m_ended = new QLabel(this);
    m_ended->setWordWrap(true);
    m_ended->setStyleSheet(QStringLiteral("color: #a05a00"));
    m_ended->hide();
    layout->addWidget(m_ended);
    auto *form = new QFormLayout;
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("Why? It goes into the audit log."));
    form->addRow(tr("&Reason:"), m_reason);
    if (typedCount) {
        m_count = new QLineEdit(this);
        m_count->setPlaceholderText(tr("Type %1 to confirm").arg(typedCount));
        form->addRow(tr("Number of runs to &kill:"), m_count);
        connect(m_count, &QLineEdit::textChanged, this, &KillDialog::updateButton);
    }
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_kill =
        buttons->addButton(tr("&Kill %n run(s)", nullptr, count), QDialogButtonBox::AcceptRole);
    layout->addWidget(buttons);
    connect(m_reason, &QLineEdit::textChanged, this, &KillDialog::updateButton);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButton();
    m_reason->setFocus();
    resize(680, 400);
}

void KillDialog::setRuns(const QStringList &runIds) {
    m_running = runIds;
    updateButton();
}

void KillDialog::runEnded(const QString &runId, const QString &status) {
    if (!m_running.removeOne(runId))
        return;
    m_endedLines << tr("%1 ended (%2) while this dialog was open: it will not be killed.")
                        .arg(runId, status);
    m_ended->setText(m_endedLines.size() <= 5
                         ? m_endedLines.join(QLatin1Char('\n'))
                         : tr("%n run(s) ended while this dialog was open and will not be killed.",
                              nullptr, static_cast<int>(m_endedLines.size())));
    m_ended->show();
    m_kill->setText(tr("&Kill %n run(s)", nullptr, static_cast<int>(m_running.size())));
    updateButton();
}

void KillDialog::updateButton() {
    QString missing;
    if (m_ended && m_ended->isVisible() && m_running.isEmpty())
        missing = tr("Every run listed has ended: there is nothing left to kill.");
    else if (m_reason->text().trimmed().isEmpty())
        missing = tr("Give a reason first.");
    else if (m_count && m_count->text().trimmed() != QString::number(m_typedCount))
        missing = tr("Type the number of runs, %1, to confirm.").arg(m_typedCount);
    m_kill->setEnabled(missing.isEmpty());
    m_kill->setToolTip(missing);
}

QString KillDialog::reason() const {
    return m_reason->text().trimmed();
}

} // namespace pitwall

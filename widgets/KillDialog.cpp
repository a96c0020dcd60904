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

void KillDialog::updateButton() {
    QString missing;
    if (m_reason->text().trimmed().isEmpty())
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

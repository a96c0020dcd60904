#include "KillDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace pitwall {

KillDialog::KillDialog(const QStringList &runs, QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("Kill %n run(s)", nullptr, static_cast<int>(runs.size())));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(
        tr("These runs will be stopped at their next step, or at once if a call is in flight:"),
        this));
    auto *list = new QListWidget(this);
    list->addItems(runs);
    list->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(list);
    auto *form = new QFormLayout;
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("Why? It goes into the audit log."));
    form->addRow(tr("&Reason:"), m_reason);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_kill = buttons->addButton(tr("&Kill"), QDialogButtonBox::AcceptRole);
    m_kill->setEnabled(false);
    m_kill->setToolTip(tr("Give a reason first."));
    layout->addWidget(buttons);
    connect(m_reason, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_kill->setEnabled(!text.trimmed().isEmpty());
        m_kill->setToolTip(text.trimmed().isEmpty() ? tr("Give a reason first.") : QString());
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_reason->setFocus();
    resize(640, 360);
}

QString KillDialog::reason() const {
    return m_reason->text().trimmed();
}

} // namespace pitwall

#include "CanaryActionDialog.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace pitwall {

CanaryActionDialog::CanaryActionDialog(const QString &title, const QString &effect,
                                       const QString &confirm, QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    m_effect = new QLabel(effect, this);
    m_effect->setWordWrap(true);
    m_effect->setTextFormat(Qt::PlainText);
    layout->addWidget(m_effect);
    auto *reasonLabel = new QLabel(tr("&Reason (kept in the audit log):"), this);
    m_reason = new QLineEdit(this);
    m_reason->setMaxLength(2000);
    m_reason->setPlaceholderText(tr("e.g. canary fails more than stable on success rate"));
    reasonLabel->setBuddy(m_reason);
    layout->addWidget(reasonLabel);
    layout->addWidget(m_reason);
    m_missing = new QLabel(this);
    m_missing->setStyleSheet(QStringLiteral("color: #757575"));
    layout->addWidget(m_missing);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(confirm, QDialogButtonBox::AcceptRole);
    m_confirm->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this, &CanaryActionDialog::updateButton);
    updateButton();
    m_reason->setFocus();
    resize(640, 260);
}

void CanaryActionDialog::askAboutRunsInFlight(qint64 count, const QStringList &runIds) {
    auto *layout = qobject_cast<QVBoxLayout *>(this->layout());
    auto *label =
        new QLabel(tr("%n run(s) are in flight on the canary version. What happens to them?",
                      nullptr, int(count)),
                   this);
    label->setWordWrap(true);
    auto *list = new QPlainTextEdit(this);
    list->setReadOnly(true);
    list->setPlainText(runIds.join(QLatin1Char('\n')) +
                       (count > runIds.size() ? QLatin1Char('\n') + tr("… and %n more", nullptr,
                                                                       int(count - runIds.size()))
                                              : QString()));
    list->setMaximumHeight(110);
    m_finish = new QRadioButton(tr("Let them &finish on the canary version"), this);
    m_kill = new QRadioButton(tr("&Kill them with the rollback (one audited action)"), this);
    m_finish->setChecked(true);
    auto *group = new QButtonGroup(this);
    group->addButton(m_finish);
    group->addButton(m_kill);
    connect(m_kill, &QRadioButton::toggled, this, &CanaryActionDialog::choiceChanged);
    int at = layout->indexOf(m_effect) + 1;
    for (QWidget *w : {static_cast<QWidget *>(label), static_cast<QWidget *>(list),
                       static_cast<QWidget *>(m_finish), static_cast<QWidget *>(m_kill)})
        layout->insertWidget(at++, w);
    resize(680, 460);
}

void CanaryActionDialog::setEffect(const QString &effect) {
    m_effect->setText(effect);
}

QString CanaryActionDialog::reason() const {
    return m_reason->text().trimmed();
}

bool CanaryActionDialog::killInFlight() const {
    return m_kill && m_kill->isChecked();
}

void CanaryActionDialog::updateButton() {
    const bool ok = !reason().isEmpty();
    m_confirm->setEnabled(ok);
    m_missing->setText(ok ? QString() : tr("Give a reason first."));
}

} // namespace pitwall

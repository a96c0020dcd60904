#include "CapEditorDialog.h"

#include "SpendMath.h"
#include "SpendModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace pitwall {
namespace {

constexpr double kMaxUsd = 1e8; // the contract's numeric(14,6)

QDoubleSpinBox *moneyEdit(QWidget *parent) {
    auto *e = new QDoubleSpinBox(parent);
    e->setRange(0, kMaxUsd);
    e->setDecimals(2);
    e->setPrefix(QStringLiteral("$"));
    e->setSingleStep(1);
    e->setAccelerated(true);
    return e;
}

} // namespace

CapEditorDialog::CapEditorDialog(const SpendFigures &scope, int64_t nowMs, QWidget *parent)
    : QDialog(parent)
    , m_scope(scope)
    , m_nowMs(nowMs) {
    setWindowTitle(tr("Cap of %1").arg(SpendText::scopeName(scope)));
    auto *layout = new QVBoxLayout(this);
    const SpendOutlook o = spendOutlook(scope, nowMs);
    auto *now = new QLabel(
        scope.scope == "user" && scope.subject == "*"
            ? tr("The default cap of every user without a cap of their own: now %1 a day.")
                  .arg(SpendText::cap(scope.dailyCapMicros))
            : SpendText::summary(scope, o, nowMs),
        this);
    now->setWordWrap(true);
    layout->addWidget(now);

    auto *form = new QFormLayout;
    m_daily = moneyEdit(this);
    // An uncapped scope starts at its end of day at the current pace, in whole dollars (at least
    // one): a suggestion to change, never $0, which would refuse everything.
    const double suggested =
        std::max(1.0, std::ceil(double(std::max(o.projectedMicros, o.usedMicros)) / 1e6));
    m_daily->setValue(scope.dailyCapMicros >= 0 ? double(scope.dailyCapMicros) / 1e6 : suggested);
    form->addRow(tr("&Daily cap:"), m_daily);
    m_hasPerRequest = new QCheckBox(tr("&Per-request cap:"), this);
    m_perRequest = moneyEdit(this);
    m_hasPerRequest->setChecked(scope.perRequestCapMicros >= 0);
    m_perRequest->setValue(scope.perRequestCapMicros >= 0 ? double(scope.perRequestCapMicros) / 1e6
                                                          : 1.0);
    m_perRequest->setEnabled(m_hasPerRequest->isChecked());
    form->addRow(m_hasPerRequest, m_perRequest);
    m_until = new QComboBox(this);
    m_until->addItem(tr("Permanent"), Permanent);
    m_until->addItem(tr("For 1 hour, then the current cap again"), OneHour);
    m_until->addItem(tr("For 4 hours, then the current cap again"), FourHours);
    m_until->addItem(tr("Until midnight UTC, then the current cap again"), EndOfDay);
    m_until->addItem(tr("Until a time (UTC)…"), At);
    form->addRow(tr("&Lasts:"), m_until);
    m_untilAt =
        new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(nowMs + 3600 * 1000, Qt::UTC), this);
    m_untilAt->setTimeSpec(Qt::UTC);
    m_untilAt->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    m_untilAt->setMinimumDateTime(QDateTime::fromMSecsSinceEpoch(nowMs + 60 * 1000, Qt::UTC));
    m_untilAt->setEnabled(false);
    form->addRow(tr("&Until:"), m_untilAt);
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("Why: it goes into the audit log"));
    m_reason->setMaxLength(2000);
    form->addRow(tr("&Reason:"), m_reason);
    layout->addLayout(form);

    auto *previewTitle = new QLabel(tr("<b>What it changes</b>"), this);
    layout->addWidget(previewTitle);
    m_preview = new QLabel(this);
    m_preview->setWordWrap(true);
    m_preview->setTextFormat(Qt::RichText);
    m_preview->setMinimumWidth(460);
    layout->addWidget(m_preview);
    m_missing = new QLabel(tr("A reason is required."), this);
    layout->addWidget(m_missing);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_confirm = buttons->addButton(tr("&Set cap"), QDialogButtonBox::AcceptRole);
    m_confirm->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_hasPerRequest, &QCheckBox::toggled, m_perRequest, &QWidget::setEnabled);
    connect(m_until, &QComboBox::currentIndexChanged, this, [this] {
        m_untilAt->setEnabled(m_until->currentData().toInt() == At);
        updatePreview();
    });
    connect(m_daily, &QDoubleSpinBox::valueChanged, this, &CapEditorDialog::updatePreview);
    connect(m_reason, &QLineEdit::textChanged, this, &CapEditorDialog::updateButton);
    m_daily->setFocus();
    m_daily->selectAll();
    updatePreview();
    updateButton();
}

void CapEditorDialog::setFollowers(const std::vector<SpendFigures> &users, const QString &error) {
    m_followers = users;
    m_followersKnown = true;
    m_followersError = error;
    updatePreview();
}

int64_t CapEditorDialog::expiresAtMs() const {
    switch (m_until->currentData().toInt()) {
    case OneHour:
        return m_nowMs + 3600 * 1000;
    case FourHours:
        return m_nowMs + 4 * 3600 * 1000;
    case EndOfDay:
        return endOfUtcDayMs(m_nowMs);
    case At:
        return m_untilAt->dateTime().toMSecsSinceEpoch();
    default:
        return 0;
    }
}

CapChange CapEditorDialog::change() const {
    CapChange c;
    c.scope = m_scope.scope;
    c.subject = m_scope.subject;
    c.dailyMicros = std::llround(m_daily->value() * 1e6);
    if (m_hasPerRequest->isChecked())
        c.perRequestMicros = std::llround(m_perRequest->value() * 1e6);
    if (const int64_t until = expiresAtMs())
        c.expiresAtMs = until;
    c.expectedRevision = m_scope.capRevision; // what the person saw; stale if it moved since
    return c;
}

QString CapEditorDialog::reason() const {
    return m_reason->text().trimmed();
}

void CapEditorDialog::updatePreview() {
    const bool isDefault = m_scope.scope == "user" && m_scope.subject == "*";
    const int64_t daily = std::llround(m_daily->value() * 1e6);
    QString text =
        SpendText::impact(m_scope, capImpact(m_scope, m_followers, daily, m_nowMs), daily, m_nowMs);
    if (isDefault && !m_followersKnown)
        text += tr("<br><i>Reading the users who follow the default cap…</i>");
    else if (isDefault && !m_followersError.isEmpty())
        text += tr("<br><b>The users who follow the default cap could not be read</b> (%1): who "
                   "would be refused is not known.")
                    .arg(m_followersError.toHtmlEscaped());
    if (const int64_t until = expiresAtMs())
        text += tr("<br>At %1 UTC the current cap (%2) comes back by itself.")
                    .arg(QDateTime::fromMSecsSinceEpoch(until, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                         SpendText::cap(m_scope.dailyCapMicros));
    m_preview->setText(text);
}

void CapEditorDialog::updateButton() {
    const bool ok = !reason().isEmpty();
    m_confirm->setEnabled(ok);
    m_missing->setVisible(!ok);
}

} // namespace pitwall

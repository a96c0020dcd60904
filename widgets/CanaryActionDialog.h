#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace pitwall {

// Confirms a rollout action: says what it will do in words (and in money for a weight change),
// requires a reason for the audit log, and for a rollback with runs in flight on the canary
// asks whether they finish or are killed.
class CanaryActionDialog : public QDialog {
    Q_OBJECT
public:
    CanaryActionDialog(const QString &title, const QString &effect, const QString &confirm,
                       QWidget *parent = nullptr);
    // A rollback's runs in flight: `count` of them, `runIds` the first ones. Adds the choice.
    void askAboutRunsInFlight(qint64 count, const QStringList &runIds);
    // Called when the choice changes, to say the effect again.
    void setEffect(const QString &effect);
    QString reason() const;
    bool killInFlight() const;
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *confirmButton() const { return m_confirm; }
    QRadioButton *finishChoice() const { return m_finish; }
    QRadioButton *killChoice() const { return m_kill; }

Q_SIGNALS:
    void choiceChanged(bool killInFlight);

private:
    void updateButton();

    QLabel *m_effect = nullptr;
    QLineEdit *m_reason = nullptr;
    QPushButton *m_confirm = nullptr;
    QLabel *m_missing = nullptr;
    QRadioButton *m_finish = nullptr;
    QRadioButton *m_kill = nullptr;
};

} // namespace pitwall

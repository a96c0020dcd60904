#pragma once

#include "SpendRecords.h"

#include <QDialog>

#include <vector>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace pitwall {

// Changes a scope's caps: the daily and per-request limits, permanent or until a time (the
// previous cap comes back by itself), a required reason, and the impact before confirming:
// headroom given or taken, who is refused now and would be let through (or the reverse), and
// the end-of-day spend under the new cap. The change carries the revision it was made against.
class CapEditorDialog : public QDialog {
    Q_OBJECT
public:
    CapEditorDialog(const SpendFigures &scope, int64_t nowMs, QWidget *parent = nullptr);

    // The default user cap's followers among today's top spenders, for the preview.
    // With `error`, the preview says they could not be read instead of "no one".
    void setFollowers(const std::vector<SpendFigures> &users, const QString &error = {});
    CapChange change() const;
    QString reason() const;
    const SpendFigures &scope() const { return m_scope; }

    QDoubleSpinBox *dailyEdit() const { return m_daily; }
    QCheckBox *perRequestCheck() const { return m_hasPerRequest; }
    QDoubleSpinBox *perRequestEdit() const { return m_perRequest; }
    QComboBox *untilChoice() const { return m_until; }
    QDateTimeEdit *untilEdit() const { return m_untilAt; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QLabel *preview() const { return m_preview; }
    QPushButton *confirmButton() const { return m_confirm; }

    enum Until { Permanent, OneHour, FourHours, EndOfDay, At };

private:
    void updatePreview();
    void updateButton();
    int64_t expiresAtMs() const; // 0: permanent

    SpendFigures m_scope;
    int64_t m_nowMs = 0;
    std::vector<SpendFigures> m_followers;
    bool m_followersKnown = false;
    QString m_followersError;
    QDoubleSpinBox *m_daily = nullptr;
    QCheckBox *m_hasPerRequest = nullptr;
    QDoubleSpinBox *m_perRequest = nullptr;
    QComboBox *m_until = nullptr;
    QDateTimeEdit *m_untilAt = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_preview = nullptr;
    QLabel *m_missing = nullptr;
    QPushButton *m_confirm = nullptr;
};

} // namespace pitwall

#pragma once

#include <QDialog>
#include <QStringList>

class QLineEdit;
class QPushButton;

namespace pitwall {

// Confirms a kill: lists what will be killed and requires a reason for the audit log.
class KillDialog : public QDialog {
    Q_OBJECT
public:
    // `runs`: one line per run (id, user, spend so far).
    explicit KillDialog(const QStringList &runs, QWidget *parent = nullptr);
    QString reason() const;

private:
    QLineEdit *m_reason = nullptr;
    QPushButton *m_kill = nullptr;
};

} // namespace pitwall

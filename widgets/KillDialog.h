#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QLineEdit;
class QPushButton;

namespace pitwall {

// Confirms a kill: lists what will be killed, sums it up, and requires a reason for the audit
// log. A bulk kill (every run a filter shows) also asks for the number of runs to be typed.
class KillDialog : public QDialog {
    Q_OBJECT
public:
    // `runs`: one line per run (id, user, spend so far), at most a few hundred; `summary`: the
    // totals ("12 runs of 9 users, $3.40 spent so far"); `typedCount`: 0, or the count that
    // must be typed to confirm.
    KillDialog(const QStringList &runs, const QString &summary, int typedCount = 0,
               QWidget *parent = nullptr);
    QString reason() const;
    QLineEdit *reasonEdit() const { return m_reason; }
    QLineEdit *countEdit() const { return m_count; }
    QPushButton *killButton() const { return m_kill; }
    // The ids of the runs listed; runEnded() says at once that one ended meanwhile (it will
    // not be killed; when none is left, Kill is disabled).
    void setRuns(const QStringList &runIds);
    void runEnded(const QString &runId, const QString &status);
    QStringList stillRunning() const { return m_running; }
    QLabel *endedNote() const { return m_ended; }

private:
    void updateButton();

    int m_typedCount;
    QLineEdit *m_reason = nullptr;
    QLineEdit *m_count = nullptr;
    QPushButton *m_kill = nullptr;
    QStringList m_running;
    QStringList m_endedLines;
    QLabel *m_ended = nullptr;
};

} // namespace pitwall

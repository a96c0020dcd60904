#pragma once

#include "BreakerRecords.h"

#include <QPointer>
#include <QWidget>

#include <optional>
#include <vector>

class QDialog;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace pitwall {

class BreakerTableModel;

// The circuit-breaker board: one row per tool, most trouble first (open, half-open, forced,
// then by failure rate), filterable; the selected tool's details (state and since when, an
// override's who, why and until when, failure rate against the minimum, when it tries again,
// live runs at the tool, last error) and its history of transitions and overrides on one
// timeline. Force open, force closed and clear ask for a duration and a reason; the action is
// refused if the breaker changed from the state shown. Keys: Ctrl+F filter, Alt+O force open,
// Alt+C force closed, Alt+L clear, Alt+R show the live runs at the tool. Shows; the session
// reads the stores.
class BreakersPage : public QWidget {
    Q_OBJECT
public:
    explicit BreakersPage(QWidget *parent = nullptr);

    void showBoard(const pitwall::BreakerBoard &board);
    void showHistory(const QString &tool, const std::vector<pitwall::BreakerHistoryEntry> &entries,
                     const QString &error);
    void showRunsAtTools(const QHash<QString, int> &runs);
    void showStatus(const QString &text);
    void actionFinished(bool ok, const QString &text);
    void setOverrideAllowed(bool allowed, const QString &whyNot);
    // Selects the tool's row (clearing a filter that hides it); false when it has no breaker.
    bool selectTool(const QString &tool);
    void setFilterText(const QString &text);

    QTableView *table() const { return m_table; }
    BreakerTableModel *model() const { return m_model; }
    QLineEdit *filter() const { return m_filter; }
    QPushButton *forceOpenButton() const { return m_forceOpen; }
    QPushButton *forceClosedButton() const { return m_forceClosed; }
    QPushButton *clearButton() const { return m_clear; }
    QPushButton *runsButton() const { return m_runs; }
    QLabel *details() const { return m_details; }
    QLabel *summary() const { return m_summary; }
    QLabel *status() const { return m_status; }
    QTreeWidget *history() const { return m_history; }
    QDialog *overrideDialog() const; // the open override dialog, if any
    QString selectedTool() const;

Q_SIGNALS:
    void toolSelected(const QString &tool);
    // forced: "open", "closed" or empty (clear); seenState: the state shown when asked.
    void overrideRequested(const QString &tool, const QString &forced,
                           std::optional<qint64> untilMs, const QString &seenState,
                           const QString &reason, const QString &evidenceJson);
    void runsAtToolWanted(const QString &tool);

private:
    void selectionChanged();
    void showDetails();
    void askOverride(const QString &forced);
    void updateButtons();

    BreakerTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_denied = nullptr;
    QPushButton *m_forceOpen = nullptr;
    QPushButton *m_forceClosed = nullptr;
    QPushButton *m_clear = nullptr;
    QPushButton *m_runs = nullptr;
    QTreeWidget *m_history = nullptr;
    QLabel *m_historyTitle = nullptr;
    QPointer<QDialog> m_dialog;
    std::string m_selected; // kept across refreshes
    bool m_allowed = false;
    QString m_whyNot;
};

} // namespace pitwall

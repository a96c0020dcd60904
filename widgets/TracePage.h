#pragma once

#include "LoadedTrace.h"
#include "TraceRecords.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTableWidget;
class QTabWidget;
class QTreeView;

namespace pitwall {

class RunListModel;
class TimelineView;
class TraceTreeModel;

// Step through any run: a run finder (filters, keyset pages), and the opened trace as a
// timeline, a span tree kept in sync with it, and the selected span's details (timing, tokens,
// cost, attributes, input and output as plain text). Keys: N/P next and previous span, L next
// LLM call, T next tool call, E next error (Shift+E previous), C critical path, Ctrl+F search.
// Shows; the session reads the stores.
class TracePage : public QWidget {
    Q_OBJECT
public:
    explicit TracePage(QWidget *parent = nullptr);

    void showRuns(const pitwall::RunPage &page, bool append);
    void showLoading(const QString &traceId, const QString &title, size_t spansSoFar);
    void showTrace(const pitwall::LoadedTrace &trace);
    // The span (hex id) to select when the next trace shows, instead of its first root.
    void selectWhenShown(const QString &spanId) { m_spanToSelect = spanId; }
    void showSpan(const pitwall::SpanView &span);
    void showError(const QString &message);
    // Fills the finder with this user (every status, the last day) and searches.
    void findRunsOfUser(const QString &user);

    TimelineView *timeline() const { return m_timeline; }
    QTreeView *tree() const { return m_tree; }
    QLabel *spanHeader() const { return m_spanHeader; }
    QPlainTextEdit *inputView() const { return m_input; }
    QPlainTextEdit *outputView() const { return m_output; }
    QTableWidget *attributesView() const { return m_attributes; }
    QLabel *summary() const { return m_summary; }
    QTableView *runs() const { return m_runs; }
    uint32_t selectedSpan() const;

Q_SIGNALS:
    void runsWanted(const pitwall::RunFilter &filter,
                    const std::optional<pitwall::RunCursor> &after);
    void traceWanted(const QString &traceId, const QString &title);
    void spanWanted(const QString &traceId, const QString &spanId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildFinder();
    QWidget *buildTraceArea();
    RunFilter filter() const;
    void select(uint32_t span, bool fromTree);
    void step(int direction, int kind, bool errorsOnly);
    void findNext();
    void openRun(const QModelIndex &index);

    LoadedTrace m_trace;
    QString m_openTrace, m_openTitle; // what F5 reloads
    QString m_spanToSelect;
    std::optional<RunCursor> m_next;
    // Finder.
    QLineEdit *m_agent = nullptr, *m_version = nullptr, *m_user = nullptr;
    QComboBox *m_status = nullptr, *m_since = nullptr;
    QDoubleSpinBox *m_minCost = nullptr;
    QSpinBox *m_minSteps = nullptr;
    QPushButton *m_more = nullptr;
    RunListModel *m_runList = nullptr;
    QTableView *m_runs = nullptr;
    // Trace.
    QLabel *m_summary = nullptr;
    QProgressBar *m_progress = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_loops = nullptr;
    QCheckBox *m_path = nullptr;
    TraceTreeModel *m_treeModel = nullptr;
    QTreeView *m_tree = nullptr;
    TimelineView *m_timeline = nullptr;
    QLabel *m_spanHeader = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_input = nullptr, *m_output = nullptr;
    QTableWidget *m_attributes = nullptr;
    QString m_fullInput, m_fullOutput;
    bool m_syncing = false;
    bool m_searched = false;
};

} // namespace pitwall

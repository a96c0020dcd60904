#pragma once

#include "AuditRecords.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTableWidget;
class QTimer;

namespace pitwall {

class AuditTableModel;

// Everything operators did, newest first: filters (who, action, target, words of the reason,
// time range), a page at a time with older pages on request; for the selected action its
// reason, before and after as a field-by-field diff, its outcome (applied when, a kill landed
// or not honoured) and what the console showed when it was taken; export of the filtered trail
// as CSV or JSON Lines. Keys: Ctrl+F filters, Alt+M older actions, Ctrl+S export CSV,
// Ctrl+Shift+S export JSON Lines. Shows; the session reads the stores.
class AuditTrailPage : public QWidget {
    Q_OBJECT
public:
    explicit AuditTrailPage(QWidget *parent = nullptr);

    void showPage(const pitwall::AuditPage &page, bool older, const QString &error);
    void showExportProgress(long long rows);
    void exportFinished(bool ok, const QString &text);
    // Sets the filters as given (the others cleared) and reads at once.
    void setFilter(const pitwall::AuditFilter &filter);
    pitwall::AuditFilter filter() const;
    // Writes the filtered trail to `path` (what the export buttons do after asking where).
    void exportTo(const QString &path, bool csv);

    QTableView *table() const { return m_table; }
    AuditTableModel *model() const { return m_model; }
    QLineEdit *actorEdit() const { return m_actor; }
    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *targetEdit() const { return m_target; }
    QLineEdit *textEdit() const { return m_text; }
    QComboBox *sinceBox() const { return m_since; }
    QCheckBox *pendingBox() const { return m_pending; }
    QPushButton *olderButton() const { return m_older; }
    QTableWidget *diff() const { return m_diff; }
    QLabel *header() const { return m_header; }
    QLabel *outcome() const { return m_outcome; }
    QLabel *evidence() const { return m_evidence; }
    QLabel *status() const { return m_status; }

Q_SIGNALS:
    void filterChanged(const pitwall::AuditFilter &filter);
    void olderWanted(const pitwall::AuditCursor &after);
    void exportRequested(const QString &path, bool csv);
    void exportCancelled();

private:
    void emitFilter();
    void showSelected();
    void askExport(bool csv);

    AuditTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_actor = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_target = nullptr;
    QLineEdit *m_text = nullptr;
    QComboBox *m_since = nullptr;
    QCheckBox *m_pending = nullptr;
    QPushButton *m_older = nullptr;
    QPushButton *m_exportCsv = nullptr;
    QPushButton *m_exportJson = nullptr;
    QPushButton *m_cancelExport = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_header = nullptr;
    QTableWidget *m_diff = nullptr;
    QLabel *m_outcome = nullptr;
    QLabel *m_evidence = nullptr;
    QTimer *m_debounce = nullptr;
    std::string m_selected; // action id, kept across refreshes
    bool m_settingFilter = false;
    bool m_exporting = false;
};

} // namespace pitwall

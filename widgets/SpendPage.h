#pragma once

#include "SpendRecords.h"

#include <QPointer>
#include <QWidget>

#include <optional>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace pitwall {

class CapEditorDialog;
class SpendHoldsModel;
class SpendTableModel;

// Where the money goes today: the global scope, the default user cap and every agent; the top
// spending users (filter, pages of 100, Enter opens a user's runs); for the selected scope a
// summary, charts (cumulative spend against the cap and the projection, with cap changes as
// markers; spend per agent per hour; refusals per hour) and the reconciliation (drift against
// the ledger, orphaned holds). Cap, alert, rebuild and release actions ask for a reason and
// confirm. Keys: Ctrl+E edit the cap, Ctrl+L alert, Ctrl+F filter users, Alt+Left/Right page.
// Shows; the session reads the stores.
class SpendPage : public QWidget {
    Q_OBJECT
public:
    explicit SpendPage(QWidget *parent = nullptr);

    void showSnapshot(const pitwall::SpendSnapshot &snapshot);
    void showFollowers(const std::vector<pitwall::SpendFigures> &users, const QString &error);
    void showStatus(const QString &text);
    void actionFinished(bool ok, const QString &text);
    // Caps, alerts and repairs need pitwall_budget_owner.
    void setCapAllowed(bool allowed, const QString &whyNot);
    void selectScope(const QString &scope, const QString &subject);
    void setTab(int tab);

    // The alert sentence shown (empty when no scope is past its threshold).
    QString alertText() const { return m_alertText; }
    QTableView *scopes() const { return m_scopes; }
    QTableView *users() const { return m_users; }
    SpendTableModel *usersModel() const { return m_usersModel; }
    SpendTableModel *scopesModel() const { return m_scopesModel; }
    QLineEdit *usersFilter() const { return m_filter; }
    QPushButton *editCapButton() const { return m_editCap; }
    QPushButton *alertButton() const { return m_alert; }
    QPushButton *rebuildButton() const { return m_rebuild; }
    QPushButton *releaseButton() const { return m_release; }
    QLabel *summary() const { return m_summary; }
    QLabel *status() const { return m_status; }
    QLabel *alertBanner() const { return m_banner; }
    QLabel *pageLabel() const { return m_pageLabel; }
    QTabWidget *tabs() const { return m_tabs; }
    CapEditorDialog *capEditor() const; // the open cap editor, if any
    QChart *cumulativeChart() const { return m_cumulative; }
    const SpendSnapshot &snapshot() const { return m_snapshot; }

Q_SIGNALS:
    void scopeSelected(const QString &scope, const QString &subject);
    void usersQueryChanged(const QString &filter, int offset);
    void holdsWanted(bool wanted);
    void followersWanted();
    // `evidence`: the scope's figures as the page showed them (SpendText::evidence).
    void capRequested(const pitwall::CapChange &change, const QString &reason,
                      const QString &evidence);
    void alertRequested(const QString &scope, const QString &subject, std::optional<double> percent,
                        qint64 revision, const QString &reason);
    void rebuildRequested(const QString &scope, const QString &subject, const QString &reason);
    void releaseRequested(const QString &runId, qint64 heldMicros, const QString &reason);
    void userRunsWanted(const QString &user);
    void alertChanged(const QString &text);

private:
    QWidget *buildTables();
    QWidget *buildDetail();
    QWidget *buildCharts();
    QWidget *buildReconciliation();
    const SpendFigures *selectedFigures() const;
    void rowChosen(QTableView *view, SpendTableModel *model);
    void updateDetail();
    void updateCharts();
    void updateButtons();
    void editCap();
    void editAlert();
    void askRebuild();
    void askRelease();
    void page(int direction);

    SpendSnapshot m_snapshot;
    std::string m_scope = "global", m_subject = "*";
    bool m_capAllowed = false;
    QString m_whyNot;
    QString m_alertText;
    int m_offset = 0;
    SpendTableModel *m_scopesModel = nullptr;
    SpendTableModel *m_usersModel = nullptr;
    SpendHoldsModel *m_holdsModel = nullptr;
    QTableView *m_scopes = nullptr;
    QTableView *m_users = nullptr;
    QTableView *m_holds = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QLabel *m_pageLabel = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_readOnly = nullptr;
    QLabel *m_drift = nullptr;
    QLabel *m_holdsNote = nullptr;
    QPushButton *m_editCap = nullptr;
    QPushButton *m_alert = nullptr;
    QPushButton *m_rebuild = nullptr;
    QPushButton *m_release = nullptr;
    QPushButton *m_runs = nullptr;
    QTabWidget *m_tabs = nullptr;
    QChart *m_cumulative = nullptr;
    QChart *m_perAgent = nullptr;
    QChart *m_refusals = nullptr;
    QPointer<CapEditorDialog> m_editor;
};

} // namespace pitwall

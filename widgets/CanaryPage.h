#pragma once

#include "CanaryRecords.h"

#include <QWidget>

#include <array>
#include <vector>

class QAbstractButton;
class QChart;
class QChartView;
class QDateTimeAxis;
class QDoubleSpinBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QSpinBox;
class QTableView;
class QTabWidget;
class QValueAxis;

namespace pitwall {

class CanaryAgentsModel;
class CanaryExamplesModel;
class CanaryMetricsModel;
class RolloutHistoryModel;

// The canary page: the agents with their verdicts; for the one selected, stable and canary side
// by side (metrics with the judge's classification, interval and reason), charts over time with
// the SLO and the rollout's changes, the two arms' distributions, example runs that open their
// traces, the rollout's history, and the actions (weight, promote, roll back, policy). It shows
// what it is given and asks for the rest by signals; it does no I/O.
class CanaryPage : public QWidget {
    Q_OBJECT
public:
    explicit CanaryPage(CanaryAgentsModel *agents, QWidget *parent = nullptr);

    void showSnapshot(const pitwall::CanarySnapshot &snapshot);
    void showExamples(const QString &agent, const std::vector<pitwall::CanaryExampleRun> &runs);
    void showStatus(const QString &text);
    void actionFinished(const QString &agent, bool ok, const QString &text);
    void setRolloutAllowed(bool allowed, const QString &whyNot);
    void setPolicyAllowed(bool allowed, const QString &whyNot);
    QString currentAgent() const;
    void selectAgent(const QString &agent);

    // For tests and screenshots.
    QTableView *agentsView() const { return m_agentsView; }
    QTableView *metricsView() const { return m_metricsView; }
    QTableView *historyView() const { return m_historyView; }
    QTableView *examplesView() const { return m_examplesView; }
    QPushButton *rollbackButton() const { return m_rollback; }
    QPushButton *promoteButton() const { return m_promote; }
    QPushButton *setWeightButton() const { return m_setWeight; }
    QSpinBox *weightBox() const { return m_weight; }
    QLabel *verdictLabel() const { return m_verdict; }
    QLabel *statusLabel() const { return m_status; }
    QTabWidget *tabs() const { return m_tabs; }
    QLineSeries *series(int chart, bool canary) const;

    static constexpr std::array<int, 6> kWeightPresets{0, 5, 10, 25, 50, 100};

Q_SIGNALS:
    void weightRequested(const QString &agent, int weight, qint64 revision, const QString &reason);
    void promoteRequested(const QString &agent, qint64 revision, const QString &reason);
    void rollbackRequested(const QString &agent, qint64 revision, const QString &reason,
                           bool killInFlight, const QString &evidence);
    void policyRequested(const QString &agent, const pitwall::CanaryPolicy &policy,
                         const QString &reason);
    void examplesWanted(const QString &agent);
    void traceWanted(const QString &traceId, const QString &title);

private:
    struct TimeChart {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QLineSeries *stable = nullptr, *canary = nullptr, *slo = nullptr;
        QScatterSeries *markers = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
        std::vector<RolloutChange> marked; // what each marker stands for, by x
    };
    struct Distribution {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QLineSeries *stable = nullptr, *canary = nullptr;
    };
    QWidget *buildActions();
    QWidget *buildCharts();
    QWidget *buildPolicy();
    TimeChart makeTimeChart(const QString &title, const QString &unit);
    Distribution makeDistribution(const QString &title);
    void showSelected();
    void updateCharts(const CanaryAgentData &d);
    void updateActions(const CanaryAgentData *d);
    void askWeight(int weight);
    void askPromote();
    void askRollback();
    void askPolicy();
    const CanaryAgentData *selected() const;

    CanaryAgentsModel *m_agents;
    CanaryMetricsModel *m_metrics;
    RolloutHistoryModel *m_history;
    CanaryExamplesModel *m_examples;
    QTableView *m_agentsView = nullptr;
    QTableView *m_metricsView = nullptr;
    QTableView *m_historyView = nullptr;
    QTableView *m_examplesView = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_verdict = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_examplesNote = nullptr;
    QLabel *m_rollupNote = nullptr; // what the verdicts were computed from, and how fast
    QTabWidget *m_tabs = nullptr;
    std::vector<QPushButton *> m_presets;
    QSpinBox *m_weight = nullptr;
    QPushButton *m_setWeight = nullptr;
    QPushButton *m_promote = nullptr;
    QPushButton *m_rollback = nullptr;
    QSpinBox *m_minRuns = nullptr;
    std::array<QDoubleSpinBox *, 5> m_tolerances{};
    QPushButton *m_savePolicy = nullptr;
    QLabel *m_policyNote = nullptr;
    std::array<TimeChart, 3> m_charts;
    std::array<Distribution, 2> m_distributions;
    bool m_rolloutAllowed = false, m_policyAllowed = false;
    QString m_rolloutWhyNot, m_policyWhyNot;
    bool m_busy = false; // an action is on its way: no second one meanwhile
};

} // namespace pitwall

#pragma once

#include "CanaryJudge.h"
#include "CanaryRecords.h"

#include <QAbstractTableModel>
#include <QCoreApplication>
#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace pitwall {

// The canary page's words and numbers, pure: what a weight change, a promotion or a rollback
// will do, and the metrics' names and values as people read them.
class CanaryText {
    Q_DECLARE_TR_FUNCTIONS(CanaryText)
public:
    static QString metricLabel(CanaryMetric::Id id);
    static QString value(CanaryMetric::Id id, double v);
    static QString classification(canary::Classification c);
    static QString decision(CanaryVerdict::Decision d);
    // Cost per finished run of an arm, in USD; the other arm's when it has none; 0 with neither.
    static double costPerRunUsd(const CanaryArm &arm, const CanaryArm &other);
    // What a day of the agent's current traffic would cost with the canary at `weight` percent.
    static double projectedDailySpendUsd(const CanaryAgentData &d, int weight);
    static QString weightEffect(const CanaryAgentData &d, int weight);
    static QString promoteEffect(const CanaryAgentData &d);
    static QString rollbackEffect(const CanaryAgentData &d, bool killInFlight);
    // The verdict as the page showed it, a JSON object for the audit trail: decision, reason,
    // each arm's runs and each metric's values and classification.
    static QString evidence(const CanaryAgentData &d);
    // "≈ 340 more canary runs, about 6 minutes at the current weight", or empty when none needed.
    // At the agent's traffic of the last 10 minutes and the canary's weight.
    static QString moreRuns(const CanaryAgentData &d, const CanaryVerdict &v);
    // At `canaryRunsPerMinute` (pitwallctl: the canary's pace over its window).
    static QString moreRuns(const CanaryVerdict &v, double canaryRunsPerMinute);
};

// Points sorted by x, thinned for a chart `columns` pixels wide over [x0, x1]: at most the lowest
// and the highest point of each column, in x order, so that no spike is lost.
QList<QPointF> minMaxPerColumn(const QList<QPointF> &points, double x0, double x1, int columns);

// The agents with their rollout and verdict: one row per agent (with or without a canary).
class CanaryAgentsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Agent, Verdict, Canary, Stable, Runs, InFlight, ColumnCount };
    explicit CanaryAgentsModel(QObject *parent = nullptr);

    // Judges every agent with a canary; rows keep their place when the agents stay the same.
    void setSnapshot(const CanarySnapshot &snapshot);
    const CanarySnapshot &snapshot() const { return m_snapshot; }
    const CanaryAgentData *agent(int row) const;
    const CanaryVerdict *verdict(int row) const; // null without a canary
    int rowOf(const QString &agent) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    CanarySnapshot m_snapshot;
    std::vector<CanaryVerdict> m_verdicts; // parallel; empty metrics without a canary
};

// One agent's metrics, stable and canary side by side with the judge's classification.
class CanaryMetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Metric, Stable, Canary, Difference, PValue, Classification, Reason, ColumnCount };
    explicit CanaryMetricsModel(QObject *parent = nullptr);
    // `agent` gives the arms and SLO targets, said after the reason; null verdict: empty.
    void setVerdict(const CanaryVerdict *verdict, const CanaryAgentData *agent = nullptr);
    // What the agent's SLO says of each arm on this metric, or empty when it sets none.
    static QString sloText(CanaryMetric::Id id, const CanaryAgentData &agent);
    const CanaryMetric *metric(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<CanaryMetric> m_metrics;
    std::vector<QString> m_slo; // parallel
};

// Every change of one agent's rollout, newest first, with what the judge said at that moment.
class RolloutHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { When, What, Who, Change, Reason, JudgeThen, ColumnCount };
    explicit RolloutHistoryModel(QObject *parent = nullptr);
    void setAgent(const CanaryAgentData *d);
    const RolloutChange *change(int row) const;
    QString judgeThen(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<RolloutChange> m_changes;
    std::vector<QString> m_judgeThen;
};

// Runs worth opening: the slowest, most expensive and failed runs of each arm.
class CanaryExamplesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Version, Why, Status, Latency, Cost, Ended, Run, ColumnCount };
    enum Role { TraceIdRole = Qt::UserRole + 1, RunIdRole };
    explicit CanaryExamplesModel(QObject *parent = nullptr);
    void setRuns(const std::vector<CanaryExampleRun> &runs);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<CanaryExampleRun> m_runs;
};

} // namespace pitwall

#include "CanaryModel.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

#include <cmath>

namespace pitwall {

using canary::Classification;

namespace {

QString usd(double v) {
    const double a = std::abs(v);
    return QStringLiteral("$") + QLocale().toString(v, 'f',
                                                    a >= 100    ? 0
                                                    : a >= 1    ? 2
                                                    : a >= 0.01 ? 3
                                                                : 5);
}

QString ms(double v) {
    return v >= 1000 ? QLocale().toString(v / 1000, 'f', v >= 10000 ? 0 : 1) + QStringLiteral(" s")
                     : QLocale().toString(v, 'f', 0) + QStringLiteral(" ms");
}

QString pct(double share) {
    return QLocale().toString(share * 100, 'f', 1) + QStringLiteral(" %");
}

QColor classificationColour(Classification c) {
    switch (c) {
    case Classification::Worse:
        return QColor(0xc6, 0x28, 0x28);
    case Classification::Better:
        return QColor(0x2e, 0x7d, 0x32);
    case Classification::Pass:
        return QColor(0x1b, 0x5e, 0x20);
    case Classification::NotEnoughData:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QColor decisionColour(CanaryVerdict::Decision d) {
    switch (d) {
    case CanaryVerdict::Decision::RollBack:
        return QColor(0xc6, 0x28, 0x28);
    case CanaryVerdict::Decision::Promote:
        return QColor(0x2e, 0x7d, 0x32);
    case CanaryVerdict::Decision::Hold:
        break;
    }
    return QColor(0xb2, 0x6a, 0x00);
}

QString when(int64_t ms) {
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Words

QString CanaryText::metricLabel(CanaryMetric::Id id) {
    switch (id) {
    case CanaryMetric::Id::SuccessRate:
        return tr("Success rate");
    case CanaryMetric::Id::Latency:
        return tr("Latency (typical)");
    case CanaryMetric::Id::LatencyTail:
        return tr("Latency tail (beyond stable p95)");
    case CanaryMetric::Id::CostPerSuccess:
        return tr("Cost per successful run");
    case CanaryMetric::Id::CostPerRun:
        return tr("Cost per run");
    case CanaryMetric::Id::CostTail:
        return tr("Cost tail (beyond stable p95)");
    case CanaryMetric::Id::Steps:
        return tr("Steps per run");
    case CanaryMetric::Id::ToolErrorRate:
        return tr("Tool error rate");
    }
    return {};
}

QString CanaryText::value(CanaryMetric::Id id, double v) {
    switch (id) {
    case CanaryMetric::Id::SuccessRate:
    case CanaryMetric::Id::ToolErrorRate:
    case CanaryMetric::Id::LatencyTail:
    case CanaryMetric::Id::CostTail:
        return pct(v);
    case CanaryMetric::Id::Latency:
        return ms(v);
    case CanaryMetric::Id::CostPerSuccess:
    case CanaryMetric::Id::CostPerRun:
        return usd(std::max(0.0, v - 1) / 1e6); // geometric mean of micro-dollars + 1
    case CanaryMetric::Id::Steps:
        return QLocale().toString(v, 'f', 1);
    }
    return {};
}

QString CanaryText::classification(Classification c) {
    switch (c) {
    case Classification::Pass:
        return tr("Pass");
    case Classification::Worse:
        return tr("Worse");
    case Classification::Better:
        return tr("Better");
    case Classification::NotEnoughData:
        break;
    }
    return tr("Not enough data");
}

QString CanaryText::decision(CanaryVerdict::Decision d) {
    switch (d) {
    case CanaryVerdict::Decision::Promote:
        return tr("Promote");
    case CanaryVerdict::Decision::RollBack:
        return tr("Roll back");
    case CanaryVerdict::Decision::Hold:
        break;
    }
    return tr("Hold");
}

double CanaryText::costPerRunUsd(const CanaryArm &arm, const CanaryArm &other) {
    if (arm.finished > 0)
        return arm.costMicros / double(arm.finished) / 1e6;
    if (other.finished > 0)
        return other.costMicros / double(other.finished) / 1e6;
    return 0;
}

double CanaryText::projectedDailySpendUsd(const CanaryAgentData &d, int weight) {
    const CanaryComparison &c = d.comparison;
    const double w = std::clamp(weight, 0, 100) / 100.0;
    const double stable = costPerRunUsd(c.stable, c.canary);
    const double canary = c.canary.version.empty() ? stable : costPerRunUsd(c.canary, c.stable);
    return d.runsPerMinute * 1440 * (w * canary + (1 - w) * stable);
}

QString CanaryText::weightEffect(const CanaryAgentData &d, int weight) {
    const CanaryComparison &c = d.comparison;
    const double now = projectedDailySpendUsd(d, c.weight);
    const double then = projectedDailySpendUsd(d, weight);
    QString text = tr("%1 of %2's new runs go to %3 instead of %4; the rest to %5.")
                       .arg(pct(weight / 100.0), QString::fromStdString(c.agent),
                            QString::fromStdString(c.canary.version), pct(c.weight / 100.0),
                            QString::fromStdString(c.stable.version));
    if (d.runsPerMinute <= 0)
        return text + QLatin1Char(' ') +
               tr("No runs ended in the last 10 minutes: no spend projection.");
    return text + QLatin1Char(' ') +
           tr("At the current traffic (%1 runs a minute) and each arm's cost per run "
              "(%2 stable, %3 canary), a day costs about %4 instead of %5 (%6%7).")
               .arg(QLocale().toString(d.runsPerMinute, 'f', 1),
                    usd(costPerRunUsd(c.stable, c.canary)), usd(costPerRunUsd(c.canary, c.stable)),
                    usd(then), usd(now), then >= now ? QStringLiteral("+") : QStringLiteral("−"),
                    usd(std::abs(then - now)));
}

QString CanaryText::promoteEffect(const CanaryAgentData &d) {
    const CanaryComparison &c = d.comparison;
    return tr("%1 becomes the stable version of %2 and takes all new runs; %3 is no longer "
              "served. At the current traffic a day costs about %4 (now %5).")
        .arg(QString::fromStdString(c.canary.version), QString::fromStdString(c.agent),
             QString::fromStdString(c.stable.version), usd(projectedDailySpendUsd(d, 100)),
             usd(projectedDailySpendUsd(d, c.weight)));
}

QString CanaryText::evidence(const CanaryAgentData &d) {
    const CanaryComparison &c = d.comparison;
    const CanaryVerdict v = CanaryJudge::judge(c.stable, c.canary, c.policy);
    QJsonObject metrics;
    for (const CanaryMetric &m : v.metrics)
        metrics.insert(
            QString::fromLatin1(CanaryJudge::metricName(m.id)),
            QJsonObject{{QStringLiteral("stable"), m.stable},
                        {QStringLiteral("canary"), m.canary},
                        {QStringLiteral("classification"),
                         QString::fromLatin1(CanaryJudge::classificationName(m.classification))}});
    const QJsonObject e{
        {QStringLiteral("decision"), QString::fromLatin1(CanaryJudge::decisionName(v.decision))},
        {QStringLiteral("reason"), v.reason},
        {QStringLiteral("stable"), QString::fromStdString(c.stable.version)},
        {QStringLiteral("canary"), QString::fromStdString(c.canary.version)},
        {QStringLiteral("weight"), c.weight},
        {QStringLiteral("stable_runs"), qint64(c.stable.runs)},
        {QStringLiteral("canary_runs"), qint64(c.canary.runs)},
        {QStringLiteral("metrics"), metrics}};
    return QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact));
}

QString CanaryText::rollbackEffect(const CanaryAgentData &d, bool killInFlight) {
    const CanaryComparison &c = d.comparison;
    QString text =
        tr("All new runs of %1 go to %2; %3 gets none.")
            .arg(QString::fromStdString(c.agent), QString::fromStdString(c.stable.version),
                 QString::fromStdString(c.canary.version));
    if (d.canaryInFlight == 0)
        return text + QLatin1Char(' ') +
               tr("No run is in flight on %1.").arg(QString::fromStdString(c.canary.version));
    return text + QLatin1Char(' ') +
           (killInFlight
                ? tr("The %n run(s) in flight on %1 are killed with the rollback.", nullptr,
                     int(d.canaryInFlight))
                : tr("The %n run(s) in flight on %1 finish on it.", nullptr, int(d.canaryInFlight)))
               .arg(QString::fromStdString(c.canary.version));
}

QString CanaryText::moreRuns(const CanaryAgentData &d, const CanaryVerdict &v) {
    return moreRuns(v, d.runsPerMinute * d.comparison.weight / 100.0);
}

QString CanaryText::moreRuns(const CanaryVerdict &v, double canaryPerMinute) {
    if (v.decision != CanaryVerdict::Decision::Hold || v.moreCanaryRuns <= 0)
        return {};
    if (!std::isfinite(v.moreCanaryRuns))
        return tr("No decision in sight: the estimates sit on the tolerance.");
    const auto runs = int64_t(std::ceil(v.moreCanaryRuns));
    if (canaryPerMinute <= 0)
        return tr("≈ %1 more canary runs; none are arriving at the current weight.")
            .arg(QLocale().toString(qint64(runs)));
    const double minutes = std::ceil(double(runs) / canaryPerMinute);
    return tr("≈ %1 more canary runs, about %2 at the current weight.")
        .arg(QLocale().toString(qint64(runs)),
             minutes < 120 ? tr("%n minute(s)", nullptr, int(minutes))
                           : tr("%n hour(s)", nullptr, int(std::ceil(minutes / 60))));
}

QList<QPointF> minMaxPerColumn(const QList<QPointF> &points, double x0, double x1, int columns) {
    columns = std::max(columns, 1);
    if (points.size() <= 2 * columns || x1 <= x0)
        return points;
    QList<QPointF> out;
    out.reserve(2 * columns);
    const double width = (x1 - x0) / columns;
    qsizetype i = 0;
    while (i < points.size()) {
        const auto column = int64_t(std::floor((points[i].x() - x0) / width));
        qsizetype lo = i, hi = i;
        qsizetype j = i + 1;
        for (; j < points.size() && int64_t(std::floor((points[j].x() - x0) / width)) == column;
             ++j) {
            if (points[j].y() < points[lo].y())
                lo = j;
            if (points[j].y() > points[hi].y())
                hi = j;
        }
        out.append(points[std::min(lo, hi)]);
        if (lo != hi)
            out.append(points[std::max(lo, hi)]);
        i = j;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Agents

CanaryAgentsModel::CanaryAgentsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void CanaryAgentsModel::setSnapshot(const CanarySnapshot &snapshot) {
    std::vector<CanaryVerdict> verdicts;
    for (const CanaryAgentData &d : snapshot.agents)
        verdicts.push_back(d.comparison.canary.version.empty()
                               ? CanaryVerdict{}
                               : CanaryJudge::judge(d.comparison.stable, d.comparison.canary,
                                                    d.comparison.policy));
    bool sameAgents = snapshot.agents.size() == m_snapshot.agents.size();
    for (size_t i = 0; sameAgents && i < snapshot.agents.size(); ++i)
        sameAgents = snapshot.agents[i].comparison.agent == m_snapshot.agents[i].comparison.agent;
    if (sameAgents) {
        m_snapshot = snapshot;
        m_verdicts = std::move(verdicts);
        if (!m_snapshot.agents.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_snapshot = snapshot;
    m_verdicts = std::move(verdicts);
    endResetModel();
}

const CanaryAgentData *CanaryAgentsModel::agent(int row) const {
    return row >= 0 && size_t(row) < m_snapshot.agents.size() ? &m_snapshot.agents[size_t(row)]
                                                              : nullptr;
}

const CanaryVerdict *CanaryAgentsModel::verdict(int row) const {
    const CanaryAgentData *d = agent(row);
    return d && !d->comparison.canary.version.empty() ? &m_verdicts[size_t(row)] : nullptr;
}

int CanaryAgentsModel::rowOf(const QString &name) const {
    for (size_t i = 0; i < m_snapshot.agents.size(); ++i)
        if (QString::fromStdString(m_snapshot.agents[i].comparison.agent) == name)
            return int(i);
    return -1;
}

int CanaryAgentsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_snapshot.agents.size());
}

int CanaryAgentsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CanaryAgentsModel::data(const QModelIndex &index, int role) const {
    const CanaryAgentData *d = agent(index.row());
    if (!d)
        return {};
    const CanaryComparison &c = d->comparison;
    const CanaryVerdict *v = verdict(index.row());
    if (role == Qt::ForegroundRole && index.column() == Verdict && v)
        return QBrush(decisionColour(v->decision));
    if (role == Qt::ToolTipRole && v)
        return v->reason;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Agent:
        return QString::fromStdString(c.agent);
    case Verdict:
        return v ? CanaryText::decision(v->decision) : tr("no canary");
    case Canary:
        return c.canary.version.empty()
                   ? QStringLiteral("—")
                   : tr("%1 at %2 %").arg(QString::fromStdString(c.canary.version)).arg(c.weight);
    case Stable:
        return QString::fromStdString(c.stable.version);
    case Runs:
        return c.canary.version.empty()
                   ? QLocale().toString(qint64(c.stable.runs))
                   : tr("%1 / %2").arg(QLocale().toString(qint64(c.canary.runs)),
                                       QLocale().toString(qint64(c.stable.runs)));
    case InFlight:
        return c.canary.version.empty() ? QString() : QLocale().toString(qint64(d->canaryInFlight));
    }
    return {};
}

QVariant CanaryAgentsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o == Qt::Horizontal && role == Qt::ToolTipRole && section == Runs)
        return tr("Ended runs in the window: canary / stable");
    if (o == Qt::Horizontal && role == Qt::ToolTipRole && section == InFlight)
        return tr("Runs running on the canary version now");
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Agent:
        return tr("Agent");
    case Verdict:
        return tr("Verdict");
    case Canary:
        return tr("Canary");
    case Stable:
        return tr("Stable");
    case Runs:
        return tr("Runs c / s");
    case InFlight:
        return tr("In flight");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Metrics

CanaryMetricsModel::CanaryMetricsModel(QObject *parent)
    : QAbstractTableModel(parent) {}

QString CanaryMetricsModel::sloText(CanaryMetric::Id id, const CanaryAgentData &d) {
    if (!d.slo)
        return {};
    const SloTargets &t = *d.slo;
    const CanaryArm &s = d.comparison.stable, &c = d.comparison.canary;
    auto verdict = [](bool meets) {
        return meets ? tr("meets") : tr("misses");
    };
    switch (id) {
    case CanaryMetric::Id::SuccessRate: {
        auto rate = [](const CanaryArm &a) {
            return a.finished ? double(a.succeeded) / double(a.finished) : 1.0;
        };
        return tr("≥ %1: stable %2, canary %3")
            .arg(pct(t.minSuccessRate), verdict(rate(s) >= t.minSuccessRate),
                 verdict(rate(c) >= t.minSuccessRate));
    }
    case CanaryMetric::Id::LatencyTail:
        return tr("p95 ≤ %1: stable %2, canary %3")
            .arg(ms(t.p95LatencyMs), verdict(s.latencyMs.quantile(0.95) <= t.p95LatencyMs),
                 verdict(c.latencyMs.quantile(0.95) <= t.p95LatencyMs));
    case CanaryMetric::Id::CostTail: {
        const double cap = double(t.maxCostPerRequestMicros);
        return tr("p95 ≤ %1 a request: stable %2, canary %3")
            .arg(usd(cap / 1e6), verdict(s.costPerRun.quantile(0.95) <= cap),
                 verdict(c.costPerRun.quantile(0.95) <= cap));
    }
    case CanaryMetric::Id::Steps:
        return tr("cap %1: %2 stable and %3 canary runs reached it")
            .arg(t.maxSteps)
            .arg(s.stepLimit)
            .arg(c.stepLimit);
    case CanaryMetric::Id::Latency:
    case CanaryMetric::Id::CostPerSuccess:
    case CanaryMetric::Id::CostPerRun:
    case CanaryMetric::Id::ToolErrorRate:
        break;
    }
    return {};
}

void CanaryMetricsModel::setVerdict(const CanaryVerdict *verdict, const CanaryAgentData *agent) {
    std::vector<CanaryMetric> metrics = verdict ? verdict->metrics : std::vector<CanaryMetric>{};
    m_slo.clear();
    for (const CanaryMetric &m : metrics)
        m_slo.push_back(agent ? sloText(m.id, *agent) : QString());
    if (metrics.size() == m_metrics.size() && !metrics.empty()) {
        m_metrics = std::move(metrics);
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_metrics = std::move(metrics);
    endResetModel();
}

const CanaryMetric *CanaryMetricsModel::metric(int row) const {
    return row >= 0 && size_t(row) < m_metrics.size() ? &m_metrics[size_t(row)] : nullptr;
}

int CanaryMetricsModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_metrics.size());
}

int CanaryMetricsModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CanaryMetricsModel::data(const QModelIndex &index, int role) const {
    const CanaryMetric *m = metric(index.row());
    if (!m)
        return {};
    if (role == Qt::ForegroundRole && index.column() == Classification)
        return QBrush(classificationColour(m->classification));
    if (role == Qt::ToolTipRole)
        return m_slo[size_t(index.row())].isEmpty()
                   ? m->reason
                   : m->reason + QLatin1Char('\n') + tr("SLO %1").arg(m_slo[size_t(index.row())]);
    if (role == Qt::TextAlignmentRole && index.column() >= Stable && index.column() <= PValue)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const bool logScale = m->id == CanaryMetric::Id::Latency ||
                          m->id == CanaryMetric::Id::CostPerSuccess ||
                          m->id == CanaryMetric::Id::CostPerRun;
    auto diff = [&](double x) {
        if (logScale)
            return QStringLiteral("%1%2 %").arg(x >= 0 ? QStringLiteral("+") : QString(),
                                                QLocale().toString(std::expm1(x) * 100, 'f', 1));
        if (m->id == CanaryMetric::Id::Steps)
            return QLocale().toString(x, 'f', 2);
        return QStringLiteral("%1%2 pts")
            .arg(x >= 0 ? QStringLiteral("+") : QString(), QLocale().toString(x * 100, 'f', 1));
    };
    switch (index.column()) {
    case Metric:
        return QString(CanaryText::metricLabel(m->id) +
                       (m->critical ? tr(" (critical)") : QString()));
    case Stable:
        return CanaryText::value(m->id, m->stable);
    case Canary:
        return CanaryText::value(m->id, m->canary);
    case Difference:
        if (m->difference.n == 0)
            return QStringLiteral("—");
        return tr("%1 [%2, %3]")
            .arg(diff(m->difference.estimate), diff(std::max(m->difference.low, -50.0)),
                 diff(std::min(m->difference.high, 50.0)));
    case PValue:
        return m->difference.n == 0           ? QStringLiteral("—")
               : m->difference.pValue < 0.001 ? QStringLiteral("< 0.001")
                                              : QLocale().toString(m->difference.pValue, 'f', 3);
    case Classification:
        return CanaryText::classification(m->classification);
    case Reason:
        return m_slo[size_t(index.row())].isEmpty()
                   ? m->reason
                   : tr("%1. SLO %2").arg(m->reason, m_slo[size_t(index.row())]);
    }
    return {};
}

QVariant CanaryMetricsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o == Qt::Horizontal && role == Qt::ToolTipRole &&
        (section == Difference || section == PValue))
        return tr("Always valid: the interval and the p-value hold however often you look "
                  "(docs/canary-judge.md).");
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Metric:
        return tr("Metric");
    case Stable:
        return tr("Stable");
    case Canary:
        return tr("Canary");
    case Difference:
        return tr("Canary − stable [interval]");
    case PValue:
        return tr("p");
    case Classification:
        return tr("Judged");
    case Reason:
        return tr("Why (and the SLO)");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// History

RolloutHistoryModel::RolloutHistoryModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void RolloutHistoryModel::setAgent(const CanaryAgentData *d) {
    std::vector<RolloutChange> changes = d ? d->history : std::vector<RolloutChange>{};
    std::vector<QString> judged;
    for (size_t i = 0; i < changes.size(); ++i) {
        const bool have = d && i < d->armsAtChange.size() && !changes[i].canaryBefore.empty() &&
                          !d->armsAtChange[i].second.version.empty();
        if (!have) {
            judged.push_back(changes[i].canaryBefore.empty() ? QStringLiteral("—")
                                                             : tr("not known (older than the "
                                                                  "rollup)"));
            continue;
        }
        const CanaryVerdict v = CanaryJudge::judge(d->armsAtChange[i].first,
                                                   d->armsAtChange[i].second, d->comparison.policy);
        judged.push_back(v.reason); // "Hold: …", "Roll back: …"
    }
    const bool same = changes.size() == m_changes.size() &&
                      (changes.empty() || changes.front().actionId == m_changes.front().actionId);
    if (same) {
        m_changes = std::move(changes);
        m_judgeThen = std::move(judged);
        if (!m_changes.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_changes = std::move(changes);
    m_judgeThen = std::move(judged);
    endResetModel();
}

const RolloutChange *RolloutHistoryModel::change(int row) const {
    return row >= 0 && size_t(row) < m_changes.size() ? &m_changes[size_t(row)] : nullptr;
}

QString RolloutHistoryModel::judgeThen(int row) const {
    return row >= 0 && size_t(row) < m_judgeThen.size() ? m_judgeThen[size_t(row)] : QString();
}

int RolloutHistoryModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_changes.size());
}

int RolloutHistoryModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RolloutHistoryModel::data(const QModelIndex &index, int role) const {
    const RolloutChange *c = change(index.row());
    if (!c)
        return {};
    if (role == Qt::ToolTipRole)
        return index.column() == JudgeThen ? judgeThen(index.row())
                                           : QString::fromStdString(c->reason);
    if (role != Qt::DisplayRole)
        return {};
    auto arm = [](const std::string &canary, int weight) {
        return canary.empty() ? tr("no canary")
                              : tr("%1 at %2 %").arg(QString::fromStdString(canary)).arg(weight);
    };
    switch (index.column()) {
    case When:
        return when(c->atMs);
    case What: {
        const QString kind = QString::fromStdString(c->kind);
        if (c->kind == "rollback" && c->inFlight == "kill")
            return tr("rollback, %n run(s) in flight killed", nullptr, int(c->killedRuns));
        if (c->kind == "rollback" && c->inFlight == "finish")
            return tr("rollback, runs in flight finish");
        return kind;
    }
    case Who:
        return QString::fromStdString(c->actor);
    case Change:
        if (c->kind == "set_canary_policy")
            return tr("policy");
        return tr("%1 → %2 (stable %3%4)")
            .arg(arm(c->canaryBefore, c->weightBefore), arm(c->canaryAfter, c->weightAfter),
                 QString::fromStdString(c->stableAfter.empty() ? c->stableBefore : c->stableAfter),
                 c->stableAfter != c->stableBefore && !c->stableBefore.empty()
                     ? tr(", was %1").arg(QString::fromStdString(c->stableBefore))
                     : QString());
    case Reason:
        return QString::fromStdString(c->reason);
    case JudgeThen:
        return judgeThen(index.row());
    }
    return {};
}

QVariant RolloutHistoryModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case What:
        return tr("What");
    case Who:
        return tr("Who");
    case Change:
        return tr("Change");
    case Reason:
        return tr("Reason");
    case JudgeThen:
        return tr("The judge then");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Example runs

CanaryExamplesModel::CanaryExamplesModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void CanaryExamplesModel::setRuns(const std::vector<CanaryExampleRun> &runs) {
    beginResetModel();
    m_runs = runs;
    endResetModel();
}

int CanaryExamplesModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

int CanaryExamplesModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CanaryExamplesModel::data(const QModelIndex &index, int role) const {
    if (index.row() < 0 || size_t(index.row()) >= m_runs.size())
        return {};
    const CanaryExampleRun &r = m_runs[size_t(index.row())];
    if (role == TraceIdRole)
        return QString::fromStdString(r.traceId);
    if (role == RunIdRole)
        return QString::fromStdString(r.runId);
    if (role == Qt::ToolTipRole)
        return r.error.empty() ? tr("Double-click or press Enter to open the trace.")
                               : QString::fromStdString(r.error);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Version:
        return QString::fromStdString(r.version);
    case Why:
        return QString::fromStdString(r.why);
    case Status:
        return QString::fromStdString(r.status);
    case Latency:
        return ms(r.latencyMs);
    case Cost:
        return usd(double(r.costMicros) / 1e6);
    case Ended:
        return when(r.endedMs);
    case Run:
        return QString::fromStdString(r.runId);
    }
    return {};
}

QVariant CanaryExamplesModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Version:
        return tr("Version");
    case Why:
        return tr("Example of");
    case Status:
        return tr("Status");
    case Latency:
        return tr("Latency");
    case Cost:
        return tr("Cost");
    case Ended:
        return tr("Ended");
    case Run:
        return tr("Run");
    }
    return {};
}

} // namespace pitwall

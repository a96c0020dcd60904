#include "CanaryPage.h"

#include "ViewSetup.h"

#include "CanaryActionDialog.h"
#include "CanaryModel.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace pitwall {

namespace {

const QColor kStableColour(0x15, 0x65, 0xc0);
const QColor kCanaryColour(0xef, 0x6c, 0x00);
const QColor kSloColour(0xc6, 0x28, 0x28);

QString decisionColourName(const CanaryVerdict &v) {
    switch (v.decision) {
    case CanaryVerdict::Decision::RollBack:
        return QStringLiteral("#c62828");
    case CanaryVerdict::Decision::Promote:
        return QStringLiteral("#2e7d32");
    case CanaryVerdict::Decision::Hold:
        break;
    }
    return QStringLiteral("#b26a00");
}

} // namespace

CanaryPage::CanaryPage(CanaryAgentsModel *agents, QWidget *parent)
    : QWidget(parent)
    , m_agents(agents)
    , m_metrics(new CanaryMetricsModel(this))
    , m_history(new RolloutHistoryModel(this))
    , m_examples(new CanaryExamplesModel(this)) {
    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    outer->addWidget(split);

    auto *left = new QWidget(split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *agentsLabel = new QLabel(tr("&Agents and their canaries"), left);
    m_agentsView = rowTable(m_agents, left);
    m_agentsView->setObjectName(QStringLiteral("canaryAgents"));
    agentsLabel->setBuddy(m_agentsView);
    leftLayout->addWidget(agentsLabel);
    leftLayout->addWidget(m_agentsView);
    m_rollupNote = new QLabel(left);
    m_rollupNote->setWordWrap(true);
    m_rollupNote->setStyleSheet(QStringLiteral("color: #757575"));
    leftLayout->addWidget(m_rollupNote);

    auto *right = new QWidget(split);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(tr("Select an agent."), right);
    m_title->setTextFormat(Qt::PlainText);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_title->setFont(big);
    m_verdict = new QLabel(right);
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::RichText);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rightLayout->addWidget(m_title);
    rightLayout->addWidget(m_verdict);
    rightLayout->addWidget(buildActions());
    m_status = new QLabel(right);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    rightLayout->addWidget(m_status);

    m_metricsView = rowTable(m_metrics, right);
    m_metricsView->setObjectName(QStringLiteral("canaryMetrics"));
    m_metricsView->setSelectionMode(QAbstractItemView::NoSelection);
    // All eight metrics without scrolling; the tabs below take the rest.
    m_metricsView->setFixedHeight(8 * m_metricsView->verticalHeader()->defaultSectionSize() +
                                  m_metricsView->horizontalHeader()->sizeHint().height() + 4);
    m_metricsView->setTextElideMode(Qt::ElideRight);

    rightLayout->addWidget(m_metricsView);
    m_tabs = new QTabWidget(right);
    m_tabs->addTab(buildCharts(), tr("Chart&s"));
    auto *examples = new QWidget(m_tabs);
    auto *examplesLayout = new QVBoxLayout(examples);
    m_examplesNote = new QLabel(
        tr("The slowest, most expensive and failed runs of each arm. Double-click or press "
           "Enter to open a run's trace."),
        examples);
    m_examplesView = rowTable(m_examples, examples);
    examplesLayout->addWidget(m_examplesNote);
    examplesLayout->addWidget(m_examplesView);
    m_tabs->addTab(examples, tr("E&xample runs"));
    m_historyView = rowTable(m_history, m_tabs);
    m_tabs->addTab(m_historyView, tr("H&istory"));
    m_tabs->addTab(buildPolicy(), tr("Polic&y"));
    rightLayout->addWidget(m_tabs, 1);

    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({500, 1100});

    connect(m_agentsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showSelected();
        if (const CanaryAgentData *d = selected())
            Q_EMIT examplesWanted(QString::fromStdString(d->comparison.agent));
    });
    connect(m_agents, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_agentsView->currentIndex().isValid() && m_agents->rowCount() > 0)
            m_agentsView->setCurrentIndex(m_agents->index(0, 0));
        showSelected();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int) {
        if (m_tabs->currentWidget() == m_examplesView->parentWidget())
            if (const CanaryAgentData *d = selected())
                Q_EMIT examplesWanted(QString::fromStdString(d->comparison.agent));
    });
    auto open = [this](const QModelIndex &index) {
        const QString trace = index.data(CanaryExamplesModel::TraceIdRole).toString();
        if (!trace.isEmpty())
            Q_EMIT traceWanted(trace,
                               tr("Run %1 (%2)")
                                   .arg(index.data(CanaryExamplesModel::RunIdRole).toString(),
                                        m_examples->index(index.row(), 0).data().toString()));
    };
    connect(m_examplesView, &QTableView::activated, this, open);
    updateActions(nullptr);
}

QWidget *CanaryPage::buildActions() {
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Canary weight:"), box));
    for (int preset : kWeightPresets) {
        auto *b = new QPushButton(tr("%1 %").arg(preset), box);
        b->setObjectName(QStringLiteral("weightPreset%1").arg(preset));
        b->setMaximumWidth(b->fontMetrics().horizontalAdvance(QStringLiteral("100 %")) + 24);
        connect(b, &QPushButton::clicked, this, [this, preset] { askWeight(preset); });
        m_presets.push_back(b);
        row->addWidget(b);
    }
    m_weight = new QSpinBox(box);
    m_weight->setRange(0, 100);
    m_weight->setSuffix(QStringLiteral(" %"));
    m_weight->setAccessibleName(tr("Canary weight in percent"));
    row->addWidget(m_weight);
    m_setWeight = new QPushButton(tr("Set &weight…"), box);
    connect(m_setWeight, &QPushButton::clicked, this, [this] { askWeight(m_weight->value()); });
    row->addWidget(m_setWeight);
    row->addSpacing(16);
    m_promote = new QPushButton(tr("&Promote…"), box);
    connect(m_promote, &QPushButton::clicked, this, &CanaryPage::askPromote);
    row->addWidget(m_promote);
    m_rollback = new QPushButton(tr("&Roll back…"), box);
    connect(m_rollback, &QPushButton::clicked, this, &CanaryPage::askRollback);
    row->addWidget(m_rollback);
    row->addStretch(1);
    return box;
}

CanaryPage::TimeChart CanaryPage::makeTimeChart(const QString &title, const QString &unit) {
    TimeChart c;
    c.chart = new QChart;
    c.chart->setTitle(title);
    c.chart->legend()->setAlignment(Qt::AlignBottom);
    c.chart->setMargins(QMargins(4, 4, 4, 4));
    c.stable = new QLineSeries;
    c.stable->setName(tr("stable"));
    c.stable->setPen(QPen(kStableColour, 2));
    c.canary = new QLineSeries;
    c.canary->setName(tr("canary"));
    c.canary->setPen(QPen(kCanaryColour, 2));
    c.slo = new QLineSeries;
    c.slo->setName(tr("SLO"));
    c.slo->setPen(QPen(kSloColour, 1.5, Qt::DashLine));
    c.markers = new QScatterSeries;
    c.markers->setName(tr("changes"));
    c.markers->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    c.markers->setMarkerSize(12);
    c.markers->setColor(QColor(0x42, 0x42, 0x42));
    for (QAbstractSeries *s :
         {static_cast<QAbstractSeries *>(c.stable), static_cast<QAbstractSeries *>(c.canary),
          static_cast<QAbstractSeries *>(c.slo), static_cast<QAbstractSeries *>(c.markers)})
        c.chart->addSeries(s);
    c.x = new QDateTimeAxis;
    c.x->setFormat(QStringLiteral("HH:mm"));
    c.x->setTickCount(5);
    c.y = new QValueAxis;
    c.y->setTitleText(unit);
    c.y->setLabelFormat(QStringLiteral("%.3g"));
    c.y->setTickCount(5);
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    for (QAbstractSeries *s : c.chart->series()) {
        s->attachAxis(c.x);
        s->attachAxis(c.y);
    }
    c.chart->legend()->markers(c.markers).value(0)->setVisible(false); // explained beside
    c.view = new QChartView(c.chart);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setMinimumSize(260, 220);
    // Hovering a marker says who changed the rollout, when and why.
    const int index = int(std::count_if(m_charts.begin(), m_charts.end(),
                                        [](const TimeChart &t) { return t.chart != nullptr; }));
    connect(c.markers, &QScatterSeries::hovered, this, [this, index](QPointF p, bool on) {
        if (!on) {
            QToolTip::hideText();
            return;
        }
        const TimeChart &t = m_charts[size_t(index)];
        const RolloutChange *best = nullptr;
        for (const RolloutChange &r : t.marked)
            if (!best || std::abs(double(r.atMs) - p.x()) < std::abs(double(best->atMs) - p.x()))
                best = &r;
        if (best)
            QToolTip::showText(
                QCursor::pos(),
                tr("%1 by %2 at %3\n%4 %5 → %6 %7\n%8")
                    .arg(QString::fromStdString(best->kind), QString::fromStdString(best->actor),
                         QDateTime::fromMSecsSinceEpoch(best->atMs).toString(Qt::ISODate),
                         QString::fromStdString(best->canaryBefore))
                    .arg(best->weightBefore)
                    .arg(
                        QString::fromStdString(best->canaryAfter.empty() ? "—" : best->canaryAfter))
                    .arg(best->weightAfter)
                    .arg(QString::fromStdString(best->reason)),
                t.view);
    });
    return c;
}

CanaryPage::Distribution CanaryPage::makeDistribution(const QString &title) {
    Distribution d;
    d.chart = new QChart;
    d.chart->setTitle(title);
    d.chart->legend()->setAlignment(Qt::AlignBottom);
    d.chart->setMargins(QMargins(4, 4, 4, 4));
    d.stable = new QLineSeries;
    d.stable->setName(tr("stable"));
    d.stable->setPen(QPen(kStableColour, 2));
    d.canary = new QLineSeries;
    d.canary->setName(tr("canary"));
    d.canary->setPen(QPen(kCanaryColour, 2));
    d.chart->addSeries(d.stable);
    d.chart->addSeries(d.canary);
    auto *x = new QLogValueAxis;
    x->setBase(10);
    x->setLabelFormat(QStringLiteral("%.2g"));
    auto *y = new QValueAxis;
    y->setTitleText(tr("% of runs"));
    y->setLabelFormat(QStringLiteral("%.0f"));
    d.chart->addAxis(x, Qt::AlignBottom);
    d.chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : d.chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    d.view = new QChartView(d.chart);
    d.view->setRenderHint(QPainter::Antialiasing);
    d.view->setMinimumSize(260, 220);
    return d;
}

QWidget *CanaryPage::buildCharts() {
    auto *w = new QWidget(this);
    auto *grid = new QGridLayout(w);
    grid->setContentsMargins(0, 0, 0, 0);
    m_charts[0] = makeTimeChart(tr("Success rate by minute"), tr("%"));
    m_charts[1] = makeTimeChart(tr("Latency by minute (geometric mean)"), tr("s"));
    m_charts[2] = makeTimeChart(tr("Cost per successful run by minute"), tr("USD"));
    m_distributions[0] = makeDistribution(tr("Latency distribution (ms)"));
    m_distributions[1] = makeDistribution(tr("Cost per run distribution (USD)"));
    grid->addWidget(m_charts[0].view, 0, 0);
    grid->addWidget(m_charts[1].view, 0, 1);
    grid->addWidget(m_charts[2].view, 0, 2);
    grid->addWidget(m_distributions[0].view, 1, 0);
    grid->addWidget(m_distributions[1].view, 1, 1);
    auto *legend = new QLabel(
        tr("Blue: stable. Orange: canary. Dashed red: the agent's SLO (p95 latency, minimum "
           "success rate, maximum cost per request). Triangles: rollout changes; hover one to "
           "see who, when and why. Distributions are over the whole window."),
        w);
    legend->setWordWrap(true);
    grid->addWidget(legend, 1, 2);
    return w;
}

QWidget *CanaryPage::buildPolicy() {
    auto *w = new QWidget(this);
    auto *form = new QFormLayout(w);
    m_policyNote = new QLabel(w);
    m_policyNote->setWordWrap(true);
    form->addRow(m_policyNote);
    m_minRuns = new QSpinBox(w);
    m_minRuns->setRange(10, 100000);
    form->addRow(tr("Minimum finished runs per arm before any verdict:"), m_minRuns);
    const QString labels[] = {tr("Success rate tolerance (absolute; 0.02 = 2 points):"),
                              tr("Latency tolerance (share; 0.10 = 10 % slower):"),
                              tr("Cost tolerance (share, per run and per successful run):"),
                              tr("Steps tolerance (share):"),
                              tr("Tail tolerance (share of runs beyond stable p95):")};
    const double maxima[] = {0.5, 5, 5, 5, 0.5};
    for (size_t i = 0; i < m_tolerances.size(); ++i) {
        m_tolerances[i] = new QDoubleSpinBox(w);
        m_tolerances[i]->setDecimals(3);
        m_tolerances[i]->setSingleStep(0.005);
        m_tolerances[i]->setRange(0, maxima[i]);
        form->addRow(labels[i], m_tolerances[i]);
    }
    m_savePolicy = new QPushButton(tr("&Save policy…"), w);
    connect(m_savePolicy, &QPushButton::clicked, this, &CanaryPage::askPolicy);
    form->addRow(m_savePolicy);
    return w;
}

const CanaryAgentData *CanaryPage::selected() const {
    return m_agents->agent(m_agentsView->currentIndex().row());
}

QString CanaryPage::currentAgent() const {
    const CanaryAgentData *d = selected();
    return d ? QString::fromStdString(d->comparison.agent) : QString();
}

void CanaryPage::selectAgent(const QString &agent) {
    const int row = m_agents->rowOf(agent);
    if (row >= 0)
        m_agentsView->setCurrentIndex(m_agents->index(row, 0));
}

QLineSeries *CanaryPage::series(int chart, bool canary) const {
    if (chart < 0 || chart >= int(m_charts.size()))
        return nullptr;
    return canary ? m_charts[size_t(chart)].canary : m_charts[size_t(chart)].stable;
}

void CanaryPage::showSnapshot(const CanarySnapshot &snapshot) {
    if (!snapshot.error.empty()) {
        m_status->setText(tr("The canary data could not be read: %1 The page shows what was read "
                             "before.")
                              .arg(QString::fromStdString(snapshot.error)));
        return;
    }
    const QString keep = currentAgent();
    m_rollupNote->setText(
        tr("Judged from %1 runs kept in %2 minute summaries (agent × version × minute), "
           "merged in %3 ms; read %4.")
            .arg(QLocale().toString(qint64(snapshot.rolledUpRuns)),
                 QLocale().toString(qint64(snapshot.buckets)),
                 QLocale().toString(snapshot.judgeMs, 'f', 1),
                 QDateTime::fromMSecsSinceEpoch(snapshot.atMs)
                     .toString(QStringLiteral("HH:mm:ss"))));
    m_agents->setSnapshot(snapshot);
    m_agentsView->resizeColumnsToContents(); // a few rows; verdicts change width
    int width = 2 * m_agentsView->frameWidth() + 4;
    for (int c = 0; c < m_agents->columnCount(); ++c)
        width += m_agentsView->columnWidth(c);
    m_agentsView->setMinimumWidth(std::min(width, 640));
    if (!keep.isEmpty())
        selectAgent(keep);
    else if (m_agents->rowCount() > 0 && !m_agentsView->currentIndex().isValid())
        m_agentsView->setCurrentIndex(m_agents->index(0, 0));
    showSelected();
}

void CanaryPage::showSelected() {
    const int row = m_agentsView->currentIndex().row();
    const CanaryAgentData *d = m_agents->agent(row);
    const CanaryVerdict *v = m_agents->verdict(row);
    m_metrics->setVerdict(v, d);
    // Eight rows: cheap, and the values change width. The reason takes what is left (in full in
    // its tooltip).
    m_metricsView->resizeColumnsToContents();
    int used = 0;
    for (int c = 0; c < CanaryMetricsModel::Reason; ++c)
        used += m_metricsView->columnWidth(c);
    m_metricsView->setColumnWidth(CanaryMetricsModel::Reason,
                                  std::max(160, m_metricsView->viewport()->width() - used));
    m_history->setAgent(d);
    m_historyView->resizeColumnsToContents();
    updateActions(d);
    if (!d) {
        m_title->setText(m_agents->rowCount() ? tr("Select an agent.")
                                              : tr("No agent has a rollout yet."));
        m_verdict->clear();
        return;
    }
    const CanaryComparison &c = d->comparison;
    if (!v) {
        m_title->setText(
            tr("%1: %2 takes all runs (no canary)")
                .arg(QString::fromStdString(c.agent), QString::fromStdString(c.stable.version)));
        m_verdict->setText(tr("Nothing to judge. The history below shows how it got here."));
    } else {
        m_title->setText(
            tr("%1: canary %2 at %3 % vs stable %4")
                .arg(QString::fromStdString(c.agent), QString::fromStdString(c.canary.version))
                .arg(c.weight)
                .arg(QString::fromStdString(c.stable.version)));
        const QString more = CanaryText::moreRuns(*d, *v);
        m_verdict->setText(
            QStringLiteral("<span style=\"color:%1; font-weight:bold\">%2</span><br>%3")
                .arg(decisionColourName(*v), v->reason.toHtmlEscaped(),
                     tr("Since %1: %2 finished canary runs, %3 stable; killed %4 / %5, capped "
                        "%6 / %7, step limit %8 / %9 (canary / stable). %10")
                         .arg(QDateTime::fromMSecsSinceEpoch(c.fromUs / 1000)
                                  .toString(QStringLiteral("HH:mm")))
                         .arg(c.canary.finished)
                         .arg(c.stable.finished)
                         .arg(c.canary.killed)
                         .arg(c.stable.killed)
                         .arg(c.canary.capped)
                         .arg(c.stable.capped)
                         .arg(c.canary.stepLimit)
                         .arg(c.stable.stepLimit)
                         .arg(more)
                         .toHtmlEscaped()));
    }
    updateCharts(*d);
}

void CanaryPage::updateCharts(const CanaryAgentData &d) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 from = d.comparison.fromUs / 1000;
    if (!d.stableSeries.empty())
        from = std::min<qint64>(from, d.stableSeries.front().minuteMs);
    from = std::max(from, now - 24 * 3600 * 1000LL);
    const double x0 = double(from), x1 = double(now);
    for (size_t k = 0; k < m_charts.size(); ++k) {
        TimeChart &t = m_charts[k];
        auto value = [k](const CanaryPoint &p) -> std::optional<double> {
            if (k == 0)
                return p.finished ? std::optional(100.0 * double(p.succeeded) / double(p.finished))
                                  : std::nullopt;
            if (k == 1)
                return p.finished ? std::optional(p.latencyMs / 1000) : std::nullopt;
            return p.succeeded ? std::optional(p.costOfSuccessMicros / 1e6) : std::nullopt;
        };
        double top = 0;
        auto points = [&](const std::vector<CanaryPoint> &series) {
            QList<QPointF> out;
            for (const CanaryPoint &p : series)
                if (p.minuteMs >= from)
                    if (const auto y = value(p)) {
                        out.append(QPointF(double(p.minuteMs + 30'000), *y));
                        top = std::max(top, *y);
                    }
            // At most two points per pixel column of the plot.
            // Before the first layout the plot area is empty: the view's width will do.
            const qreal width =
                t.chart->plotArea().width() > 0 ? t.chart->plotArea().width() : t.view->width();
            return minMaxPerColumn(out, x0, x1, std::max(1, int(width)));
        };
        t.stable->replace(points(d.stableSeries));
        t.canary->replace(d.comparison.canary.version.empty() ? QList<QPointF>()
                                                              : points(d.canarySeries));
        std::optional<double> slo;
        if (d.slo) {
            if (k == 0)
                slo = d.slo->minSuccessRate * 100;
            else if (k == 1)
                slo = d.slo->p95LatencyMs / 1000.0;
            else
                slo = double(d.slo->maxCostPerRequestMicros) / 1e6;
        }
        t.slo->replace(slo ? QList<QPointF>{{x0, *slo}, {x1, *slo}} : QList<QPointF>());
        if (slo)
            top = std::max(top, *slo);
        top = top > 0 ? top * 1.12 : 1;
        if (k == 0)
            top = std::min(top, 105.0);
        QList<QPointF> marks;
        t.marked.clear();
        for (const RolloutChange &r : d.history)
            if (double(r.atMs) >= x0) {
                marks.append(QPointF(double(r.atMs), top * 0.96));
                t.marked.push_back(r);
            }
        t.markers->replace(marks);
        t.x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(now));
        t.y->setRange(0, top);
    }
    // Distributions: each arm's share of runs per histogram bin.
    for (size_t k = 0; k < m_distributions.size(); ++k) {
        Distribution &dist = m_distributions[k];
        const double scale = k == 0 ? 1.0 : 1e-6;
        auto shares = [&](const CanaryArm &arm) {
            const canary::LogHistogram &h = k == 0 ? arm.latencyMs : arm.costPerRun;
            QList<QPointF> out;
            if (h.total == 0)
                return out;
            // Bin 0 holds the runs that cost nothing (refused before their first call): not a
            // place on a log axis.
            for (int b = 1; b < canary::LogHistogram::kBins; ++b)
                if (h.counts[size_t(b)] > 0)
                    out.append(QPointF(canary::LogHistogram::middle(b) * scale,
                                       100.0 * h.counts[size_t(b)] / double(h.total)));
            return out;
        };
        const QList<QPointF> s = shares(d.comparison.stable);
        const QList<QPointF> c =
            d.comparison.canary.version.empty() ? QList<QPointF>() : shares(d.comparison.canary);
        dist.stable->replace(s);
        dist.canary->replace(c);
        double lo = INFINITY, hi = 0, top = 0;
        for (const QList<QPointF> *l : {&s, &c})
            for (const QPointF &p : *l) {
                lo = std::min(lo, p.x());
                hi = std::max(hi, p.x());
                top = std::max(top, p.y());
            }
        const auto axes = dist.chart->axes();
        if (hi > 0) {
            axes[0]->setRange(lo / 1.5, hi * 1.5);
            axes[1]->setRange(0, top * 1.15);
        }
    }
}

void CanaryPage::updateActions(const CanaryAgentData *d) {
    const bool hasCanary = d && !d->comparison.canary.version.empty();
    const QString noCanary = d ? tr("%1 has no canary: a new version starts as a canary when "
                                    "its agents register it with a weight.")
                                     .arg(QString::fromStdString(d->comparison.agent))
                               : tr("Select an agent first.");
    const bool enabled = hasCanary && m_rolloutAllowed && !m_busy;
    const QString why = !m_rolloutAllowed ? m_rolloutWhyNot
                        : !hasCanary      ? noCanary
                        : m_busy          ? tr("An action is on its way.")
                                          : QString();
    for (QPushButton *b : m_presets) {
        b->setEnabled(enabled);
        b->setToolTip(why.isEmpty() ? tr("Ask to set the canary weight to %1.").arg(b->text())
                                    : why);
    }
    for (QWidget *w : {static_cast<QWidget *>(m_weight), static_cast<QWidget *>(m_setWeight),
                       static_cast<QWidget *>(m_promote), static_cast<QWidget *>(m_rollback)}) {
        w->setEnabled(enabled);
        w->setToolTip(why);
    }
    if (hasCanary && !m_weight->hasFocus())
        m_weight->setValue(d->comparison.weight);
    // The policy form shows the agent's policy unless someone is editing it.
    const bool policyEnabled = d && m_policyAllowed && !m_busy;
    m_savePolicy->setEnabled(policyEnabled);
    m_savePolicy->setToolTip(!m_policyAllowed ? m_policyWhyNot
                             : !d             ? tr("Select an agent first.")
                                              : QString());
    if (d && !m_savePolicy->parentWidget()->isAncestorOf(focusWidget())) {
        const CanaryPolicy &p = d->comparison.policy;
        m_minRuns->setValue(int(p.minRuns));
        const double values[] = {p.successRateTolerance, p.latencyTolerance, p.costTolerance,
                                 p.stepsTolerance, p.tailTolerance};
        for (size_t i = 0; i < m_tolerances.size(); ++i)
            m_tolerances[i]->setValue(values[i]);
        m_policyNote->setText(p.revision == 0
                                  ? tr("%1 is judged by the defaults (no policy saved).")
                                        .arg(QString::fromStdString(d->comparison.agent))
                                  : tr("%1's policy, revision %2.")
                                        .arg(QString::fromStdString(d->comparison.agent))
                                        .arg(p.revision));
    }
}

void CanaryPage::setRolloutAllowed(bool allowed, const QString &whyNot) {
    m_rolloutAllowed = allowed;
    m_rolloutWhyNot = whyNot;
    updateActions(selected());
}

void CanaryPage::setPolicyAllowed(bool allowed, const QString &whyNot) {
    m_policyAllowed = allowed;
    m_policyWhyNot = whyNot;
    updateActions(selected());
}

void CanaryPage::showStatus(const QString &text) {
    m_status->setStyleSheet(QString());
    m_status->setText(text);
}

void CanaryPage::actionFinished(const QString &, bool ok, const QString &text) {
    m_busy = false;
    m_status->setStyleSheet(ok ? QStringLiteral("color: #2e7d32")
                               : QStringLiteral("color: #c62828"));
    m_status->setText(text);
    updateActions(selected());
}

void CanaryPage::askWeight(int weight) {
    const CanaryAgentData *d = selected();
    if (!d || d->comparison.canary.version.empty())
        return;
    const CanaryAgentData shown = *d; // what the operator decides on
    CanaryActionDialog dialog(
        tr("Set the canary weight of %1").arg(QString::fromStdString(shown.comparison.agent)),
        CanaryText::weightEffect(shown, weight), tr("Set to %1 %").arg(weight), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_busy = true;
    updateActions(selected());
    Q_EMIT weightRequested(QString::fromStdString(shown.comparison.agent), weight,
                           shown.comparison.revision, dialog.reason());
}

void CanaryPage::askPromote() {
    const CanaryAgentData *d = selected();
    if (!d || d->comparison.canary.version.empty())
        return;
    const CanaryAgentData shown = *d;
    const CanaryVerdict *v = m_agents->verdict(m_agentsView->currentIndex().row());
    QString effect = CanaryText::promoteEffect(shown);
    if (v && v->decision != CanaryVerdict::Decision::Promote)
        effect += QStringLiteral("\n\n") + tr("The judge does not say promote: %1").arg(v->reason);
    CanaryActionDialog dialog(
        tr("Promote the canary of %1").arg(QString::fromStdString(shown.comparison.agent)), effect,
        tr("Promote %1").arg(QString::fromStdString(shown.comparison.canary.version)), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_busy = true;
    updateActions(selected());
    Q_EMIT promoteRequested(QString::fromStdString(shown.comparison.agent),
                            shown.comparison.revision, dialog.reason());
}

void CanaryPage::askRollback() {
    const CanaryAgentData *d = selected();
    if (!d || d->comparison.canary.version.empty())
        return;
    const CanaryAgentData shown = *d;
    CanaryActionDialog dialog(
        tr("Roll back the canary of %1").arg(QString::fromStdString(shown.comparison.agent)),
        CanaryText::rollbackEffect(shown, false),
        tr("Roll back to %1").arg(QString::fromStdString(shown.comparison.stable.version)), this);
    if (shown.canaryInFlight > 0) {
        QStringList ids;
        for (const std::string &id : shown.canaryInFlightRuns)
            if (ids.size() < 50)
                ids << QString::fromStdString(id);
        dialog.askAboutRunsInFlight(shown.canaryInFlight, ids);
        connect(&dialog, &CanaryActionDialog::choiceChanged, &dialog, [&dialog, &shown](bool kill) {
            dialog.setEffect(CanaryText::rollbackEffect(shown, kill));
        });
    }
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_busy = true;
    updateActions(selected());
    Q_EMIT rollbackRequested(QString::fromStdString(shown.comparison.agent),
                             shown.comparison.revision, dialog.reason(), dialog.killInFlight(),
                             CanaryText::evidence(shown));
}

void CanaryPage::askPolicy() {
    const CanaryAgentData *selectedNow = selected();
    if (!selectedNow)
        return;
    // Snapshots go on arriving while the dialog is open: decide on a copy.
    const CanaryAgentData shown = *selectedNow;
    const CanaryAgentData *d = &shown;
    CanaryPolicy p = d->comparison.policy; // its revision: a stale form is refused
    p.minRuns = m_minRuns->value();
    p.successRateTolerance = m_tolerances[0]->value();
    p.latencyTolerance = m_tolerances[1]->value();
    p.costTolerance = m_tolerances[2]->value();
    p.stepsTolerance = m_tolerances[3]->value();
    p.tailTolerance = m_tolerances[4]->value();
    CanaryActionDialog dialog(
        tr("Save the canary policy of %1").arg(QString::fromStdString(d->comparison.agent)),
        tr("From now on %1 is judged with at least %2 finished runs per arm, success rate within "
           "%3 points, latency within %4 %, cost within %5 %, steps within %6 % and at most %7 "
           "points more runs beyond the stable p95.")
            .arg(QString::fromStdString(d->comparison.agent))
            .arg(p.minRuns)
            .arg(p.successRateTolerance * 100, 0, 'f', 1)
            .arg(p.latencyTolerance * 100, 0, 'f', 1)
            .arg(p.costTolerance * 100, 0, 'f', 1)
            .arg(p.stepsTolerance * 100, 0, 'f', 1)
            .arg(p.tailTolerance * 100, 0, 'f', 1),
        tr("Save"), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_busy = true;
    updateActions(selected());
    Q_EMIT policyRequested(QString::fromStdString(d->comparison.agent), p, dialog.reason());
}

void CanaryPage::showExamples(const QString &agent, const std::vector<CanaryExampleRun> &runs) {
    if (agent != currentAgent())
        return;
    m_examples->setRuns(runs);
    m_examplesView->resizeColumnsToContents();
    m_examplesNote->setText(
        runs.empty() ? tr("No finished runs of %1 in the window yet.").arg(agent)
                     : tr("The slowest, most expensive and failed runs of each arm of %1. "
                          "Double-click or press Enter to open a run's trace.")
                           .arg(agent));
}

} // namespace pitwall

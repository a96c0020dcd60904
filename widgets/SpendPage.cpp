#include "SpendPage.h"

#include "CanaryActionDialog.h"
#include "CapEditorDialog.h"
#include "SpendMath.h"
#include "SpendModel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QShortcut>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace pitwall {
namespace {

QTableView *table(QAbstractItemModel *model, QWidget *parent) {
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    return view;
}

QChartView *chartView(QChart *chart, QWidget *parent) {
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(170);
    return view;
}

void clearChart(QChart *chart) {
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

// Every third hour named; the others blank (categories must differ: spaces of each length).
QString hourLabel(int h) {
    return h % 3 == 0 ? QString::number(h) : QString(h, QLatin1Char(' '));
}

// Hour labels small enough for 24 of them side by side.
void smallLabels(QAbstractAxis *axis) {
    QFont f = axis->labelsFont();
    f.setPointSizeF(std::max(6.0, f.pointSizeF() * 0.8));
    axis->setLabelsFont(f);
    axis->setLabelsAngle(-90); // "12" is wider than an hour's bar on a laptop screen
}

} // namespace

SpendPage::SpendPage(QWidget *parent)
    : QWidget(parent)
    , m_scopesModel(new SpendTableModel(this))
    , m_usersModel(new SpendTableModel(this))
    , m_holdsModel(new SpendHoldsModel(this)) {
    auto *layout = new QVBoxLayout(this);
    m_banner = new QLabel(this);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral(
        "QLabel { background: #b00020; color: white; padding: 6px; font-weight: bold; }"));
    m_banner->hide();
    layout->addWidget(m_banner);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildTables());
    split->addWidget(buildDetail());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto *ctrlE = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_E), this);
    ctrlE->setContext(Qt::WidgetWithChildrenShortcut);
    connect(ctrlE, &QShortcut::activated, this, &SpendPage::editCap);
    auto *ctrlL = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
    ctrlL->setContext(Qt::WidgetWithChildrenShortcut);
    connect(ctrlL, &QShortcut::activated, this, &SpendPage::editAlert);
    auto *ctrlF = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_F), this);
    ctrlF->setContext(Qt::WidgetWithChildrenShortcut);
    connect(ctrlF, &QShortcut::activated, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    auto *back = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Left), this);
    back->setContext(Qt::WidgetWithChildrenShortcut);
    connect(back, &QShortcut::activated, this, [this] { page(-1); });
    auto *forward = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Right), this);
    forward->setContext(Qt::WidgetWithChildrenShortcut);
    connect(forward, &QShortcut::activated, this, [this] { page(1); });
    updateButtons();
}

QWidget *SpendPage::buildTables() {
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *scopesTitle = new QLabel(tr("&Scopes: global, the default user cap, agents"), box);
    layout->addWidget(scopesTitle);
    m_scopes = table(m_scopesModel, box);
    scopesTitle->setBuddy(m_scopes);
    layout->addWidget(m_scopes, 2);

    auto *usersRow = new QHBoxLayout;
    auto *usersTitle = new QLabel(tr("Top spending &users today:"), box);
    m_filter = new QLineEdit(box);
    m_filter->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaxLength(50); // the reader takes 200 bytes: 50 characters of any script
    usersTitle->setBuddy(m_filter);
    usersRow->addWidget(usersTitle);
    usersRow->addWidget(m_filter, 1);
    layout->addLayout(usersRow);
    m_users = table(m_usersModel, box);
    m_users->setToolTip(tr("Enter or double-click: the user's runs"));
    layout->addWidget(m_users, 3);
    auto *pager = new QHBoxLayout;
    m_previous = new QPushButton(tr("◀ Pre&vious"), box);
    m_next = new QPushButton(tr("Ne&xt ▶"), box);
    m_pageLabel = new QLabel(box);
    pager->addWidget(m_previous);
    pager->addWidget(m_next);
    pager->addWidget(m_pageLabel, 1);
    layout->addLayout(pager);

    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, [this] {
        m_offset = 0;
        Q_EMIT usersQueryChanged(m_filter->text().trimmed(), 0);
    });
    connect(m_filter, &QLineEdit::returnPressed, this, [this] { m_users->setFocus(); });
    connect(m_previous, &QPushButton::clicked, this, [this] { page(-1); });
    connect(m_next, &QPushButton::clicked, this, [this] { page(1); });
    connect(m_scopes->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { rowChosen(m_scopes, m_scopesModel); });
    connect(m_users->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { rowChosen(m_users, m_usersModel); });
    connect(m_users, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const SpendFigures *f = m_usersModel->figures(index.row()))
            Q_EMIT userRunsWanted(QString::fromStdString(f->subject));
    });
    return box;
}

QWidget *SpendPage::buildDetail() {
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(box);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    auto *buttons = new QHBoxLayout;
    m_editCap = new QPushButton(tr("&Edit cap…"), box);
    m_editCap->setToolTip(tr("Ctrl+E"));
    m_alert = new QPushButton(tr("Ale&rt…"), box);
    m_rebuild = new QPushButton(tr("Re&build from ledger…"), box);
    m_runs = new QPushButton(tr("User's r&uns"), box);
    for (QPushButton *b : {m_editCap, m_alert, m_rebuild, m_runs})
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_readOnly = new QLabel(box);
    m_readOnly->setWordWrap(true);
    m_readOnly->hide();
    layout->addWidget(m_readOnly);
    m_tabs = new QTabWidget(box);
    m_tabs->addTab(buildCharts(), tr("C&harts"));
    m_tabs->addTab(buildReconciliation(), tr("Re&conciliation"));
    layout->addWidget(m_tabs, 1);
    connect(m_editCap, &QPushButton::clicked, this, &SpendPage::editCap);
    connect(m_alert, &QPushButton::clicked, this, &SpendPage::editAlert);
    connect(m_rebuild, &QPushButton::clicked, this, &SpendPage::askRebuild);
    connect(m_runs, &QPushButton::clicked, this, [this] {
        if (m_scope == "user" && m_subject != "*")
            Q_EMIT userRunsWanted(QString::fromStdString(m_subject));
    });
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this](int tab) { Q_EMIT holdsWanted(tab == 1); });
    return box;
}

QWidget *SpendPage::buildCharts() {
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_cumulative = new QChart;
    m_cumulative->setTitle(tr("Spend today against the daily cap"));
    m_perAgent = new QChart;
    m_perAgent->setTitle(tr("Spend per agent, per hour (UTC)"));
    m_refusals = new QChart;
    m_refusals->setTitle(tr("Runs refused by a cap, per hour (UTC)"));
    m_refusals->legend()->hide();
    layout->addWidget(chartView(m_cumulative, box), 3);
    layout->addWidget(chartView(m_perAgent, box), 2);
    layout->addWidget(chartView(m_refusals, box), 2);
    return box;
}

QWidget *SpendPage::buildReconciliation() {
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    m_drift = new QLabel(box);
    m_drift->setWordWrap(true);
    layout->addWidget(m_drift);
    auto *title = new QLabel(
        tr("Reservations &held by runs that ended or whose agent stopped beating (they count "
           "against the caps until released):"),
        box);
    title->setWordWrap(true);
    layout->addWidget(title);
    m_holds = table(m_holdsModel, box);
    title->setBuddy(m_holds);
    layout->addWidget(m_holds, 1);
    m_holdsNote = new QLabel(box);
    layout->addWidget(m_holdsNote);
    m_release = new QPushButton(tr("Re&lease the selected reservation…"), box);
    layout->addWidget(m_release, 0, Qt::AlignLeft);
    connect(m_release, &QPushButton::clicked, this, &SpendPage::askRelease);
    connect(m_holds->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SpendPage::updateButtons);
    return box;
}

void SpendPage::showSnapshot(const SpendSnapshot &snapshot) {
    if (!snapshot.error.empty()) {
        m_status->setText(tr("Spend not read: %1").arg(QString::fromStdString(snapshot.error)));
        return;
    }
    m_snapshot = snapshot;
    std::vector<SpendFigures> scopes{snapshot.global, snapshot.defaultUser};
    scopes.insert(scopes.end(), snapshot.agents.begin(), snapshot.agents.end());
    m_scopesModel->setRows(std::move(scopes), snapshot.atMs);
    m_usersModel->setRows(snapshot.users.rows, snapshot.atMs);
    if (snapshot.holdsRead) {
        const SpendHold *chosen = m_holdsModel->hold(m_holds->currentIndex().row());
        const std::string chosenRun = chosen ? chosen->runId : std::string();
        m_holdsModel->setHolds(snapshot.holds);
        if (const int row = m_holdsModel->rowOf(chosenRun);
            row >= 0 && m_holds->currentIndex().row() != row)
            m_holds->selectionModel()->setCurrentIndex(m_holdsModel->index(row, 0),
                                                       QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
        int64_t held = 0;
        for (const SpendHold &h : snapshot.holds)
            held += h.heldMicros;
        m_holdsNote->setText(snapshot.holds.empty()
                                 ? tr("No reservation is held by a run that ended or stopped "
                                      "beating.")
                                 : tr("%n orphaned reservation(s), %1 held in all.", nullptr,
                                      int(snapshot.holds.size()))
                                       .arg(SpendText::usd(held)));
    }
    // Keep the selected scope selected, in whichever table holds it.
    for (auto [view, model] : {std::pair{m_scopes, m_scopesModel}, {m_users, m_usersModel}}) {
        const int row = model->rowOf(m_scope, m_subject);
        if (row >= 0 && view->currentIndex().row() != row) {
            const QSignalBlocker block(view->selectionModel());
            view->selectionModel()->setCurrentIndex(model->index(row, 0),
                                                    QItemSelectionModel::ClearAndSelect |
                                                        QItemSelectionModel::Rows);
        }
    }
    const SpenderPage &p = snapshot.users;
    const int64_t last = p.offset + int64_t(p.rows.size());
    m_pageLabel->setText(
        p.total == 0 ? (p.filter.empty() ? tr("No user has spent today.")
                                         : tr("No user whose name contains “%1” spent today.")
                                               .arg(QString::fromStdString(p.filter)))
                     : tr("%1–%2 of %3 users%4")
                           .arg(p.offset + 1)
                           .arg(last)
                           .arg(QLocale().toString(qlonglong(p.total)))
                           .arg(p.fromLedger ? tr(" (ranked from the ledger: Redis had lost "
                                                  "the running rank)")
                                             : QString()));
    m_previous->setEnabled(p.offset > 0);
    m_next->setEnabled(last < p.total);

    QStringList alerts;
    for (const SpendFigures &f : snapshot.alerts)
        alerts << SpendText::alert(f, spendOutlook(f, snapshot.atMs));
    QString text;
    if (!alerts.isEmpty()) {
        text = tr("Spend alert: %1").arg(alerts.first());
        if (alerts.size() > 1)
            text += tr(" (and %n more scope(s) past their alert)", nullptr, int(alerts.size() - 1));
    }
    m_banner->setVisible(!text.isEmpty());
    m_banner->setText(text);
    m_banner->setToolTip(alerts.join(QLatin1Char('\n')));
    if (text != m_alertText) {
        m_alertText = text;
        Q_EMIT alertChanged(text);
    }
    updateDetail();
    updateCharts();
    updateButtons();
}

CapEditorDialog *SpendPage::capEditor() const {
    return m_editor.data();
}

void SpendPage::showFollowers(const std::vector<SpendFigures> &users, const QString &error) {
    if (m_editor)
        m_editor->setFollowers(users, error);
}

void SpendPage::showStatus(const QString &text) {
    m_status->setText(text);
}

void SpendPage::actionFinished(bool ok, const QString &text) {
    m_status->setText(ok ? text : QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()));
}

void SpendPage::setCapAllowed(bool allowed, const QString &whyNot) {
    m_capAllowed = allowed;
    m_whyNot = whyNot;
    updateButtons();
}

void SpendPage::selectScope(const QString &scope, const QString &subject) {
    m_scope = scope.toStdString();
    m_subject = subject.toStdString();
    Q_EMIT scopeSelected(scope, subject);
    updateDetail();
    updateButtons();
}

void SpendPage::setTab(int tab) {
    m_tabs->setCurrentIndex(std::clamp(tab, 0, m_tabs->count() - 1));
}

const SpendFigures *SpendPage::selectedFigures() const {
    for (SpendTableModel *model : {m_scopesModel, m_usersModel})
        if (const int row = model->rowOf(m_scope, m_subject); row >= 0)
            return model->figures(row);
    if (m_snapshot.selected.scope == m_scope && m_snapshot.selected.subject == m_subject)
        return &m_snapshot.selected;
    return nullptr;
}

void SpendPage::rowChosen(QTableView *view, SpendTableModel *model) {
    const SpendFigures *f = model->figures(view->currentIndex().row());
    if (!f)
        return;
    // One selection across both tables.
    QTableView *other = view == m_scopes ? m_users : m_scopes;
    {
        const QSignalBlocker block(other->selectionModel());
        other->clearSelection();
        other->selectionModel()->clearCurrentIndex();
    }
    selectScope(QString::fromStdString(f->scope), QString::fromStdString(f->subject));
}

void SpendPage::updateDetail() {
    const SpendFigures *f = selectedFigures();
    if (!f) {
        m_summary->setText(tr("Select a scope."));
        m_drift->clear();
        return;
    }
    const SpendOutlook o = spendOutlook(*f, m_snapshot.atMs);
    const bool isDefault = f->scope == "user" && f->subject == "*";
    m_summary->setText(
        isDefault
            ? tr("The default user cap: %1 a day, %2 a request, for every user without a "
                 "cap of their own.%3")
                  .arg(SpendText::cap(f->dailyCapMicros), SpendText::cap(f->perRequestCapMicros),
                       f->alertPercent > 0
                           ? tr(" Alert at %1 % of it.").arg(f->alertPercent, 0, 'g', 4)
                           : QString())
            : SpendText::summary(*f, o, m_snapshot.atMs) +
                  (f->alertPercent > 0 ? tr(" · alert at %1 %%2")
                                             .arg(f->alertPercent, 0, 'g', 4)
                                             .arg(f->alertIsDefault ? tr(" (default)") : QString())
                                       : QString()));
    if (isDefault)
        m_drift->setText(tr("The default cap has no counter of its own: select a user, an "
                            "agent or the global scope to compare its counter with the ledger."));
    else
        m_drift->setText(
            (o.driftFlagged
                 ? tr("<b>Drift:</b> the Redis counter says %1 settled, the ledger in PostgreSQL "
                      "%2: %3 apart, more than the tolerance of %4. Rebuild the counter from "
                      "the ledger.")
                 : tr("The Redis counter (%1 settled) agrees with the ledger in PostgreSQL (%2): "
                      "%3 apart, within the tolerance of %4."))
                .arg(SpendText::usd(f->settledMicros), SpendText::usd(f->ledgerMicros),
                     SpendText::usd(std::abs(o.driftMicros)),
                     SpendText::usd(driftToleranceMicros(f->ledgerMicros))) +
            (f->counterPresent ? QString()
                               : tr(" Redis holds no counter for today: the guard seeds it "
                                    "from the ledger at the next request.")));
}

void SpendPage::updateCharts() {
    clearChart(m_cumulative);
    clearChart(m_perAgent);
    clearChart(m_refusals);
    if (!m_snapshot.hasSeries)
        return;
    const SpendSeries &s = m_snapshot.series;
    const SpendFigures *f = selectedFigures();
    const int64_t now = m_snapshot.atMs;
    const int64_t dayEnd = s.dayStartMs + 24 * 3600 * 1000;

    // Cumulative spend (the ledger), the cap in force, the projection, the cap changes.
    auto *spent = new QLineSeries;
    spent->setName(tr("Spent (ledger)"));
    double total = 0, maxY = 0;
    spent->append(double(s.dayStartMs), 0);
    for (size_t b = 0; b < s.costMicros.size(); ++b) {
        const int64_t end = s.dayStartMs + int64_t(b + 1) * s.bucketMs;
        if (end - s.bucketMs > now)
            break;
        total += double(s.costMicros[b]) / 1e6;
        spent->append(double(std::min(end, now)), total);
    }
    maxY = total;
    m_cumulative->addSeries(spent);
    QList<QAbstractSeries *> attached{spent};
    if (f && f->dailyCapMicros >= 0) {
        auto *cap = new QLineSeries;
        cap->setName(tr("Daily cap"));
        QPen pen(QColor(0xb0, 0x00, 0x20));
        pen.setWidth(2);
        cap->setPen(pen);
        const double capUsd = double(f->dailyCapMicros) / 1e6;
        cap->append(double(s.dayStartMs), capUsd);
        cap->append(double(dayEnd), capUsd);
        maxY = std::max(maxY, capUsd);
        m_cumulative->addSeries(cap);
        attached << cap;
    }
    if (f && !(f->scope == "user" && f->subject == "*")) {
        const SpendOutlook o = spendOutlook(*f, now);
        auto *projection = new QLineSeries;
        projection->setName(tr("Projection at the last 15 minutes' pace"));
        QPen pen(QColor(0x60, 0x60, 0x60));
        pen.setStyle(Qt::DashLine);
        projection->setPen(pen);
        const double used = double(o.usedMicros) / 1e6;
        const double projected = double(o.projectedMicros) / 1e6;
        projection->append(double(now), used);
        projection->append(double(dayEnd), projected);
        maxY = std::max({maxY, used, projected});
        m_cumulative->addSeries(projection);
        attached << projection;
    }
    // The axis is scaled to the day's spend, the cap and the projection; a change to a much
    // larger cap is drawn at the top edge (its tooltip gives the amount).
    const double top = std::max(0.01, maxY * 1.15);
    if (!s.markers.empty()) {
        auto *markers = new QScatterSeries;
        markers->setName(tr("Actions"));
        markers->setMarkerSize(11);
        markers->setColor(QColor(0xff, 0x8c, 0x00));
        for (const SpendSeries::Marker &m : s.markers) {
            const double y = m.dailyMicros >= 0 ? double(m.dailyMicros) / 1e6 : 0;
            markers->append(double(m.atMs), std::min(y, top));
        }
        const std::vector<SpendSeries::Marker> list = s.markers;
        connect(markers, &QScatterSeries::hovered, this, [list](const QPointF &point, bool state) {
            if (!state) {
                QToolTip::hideText();
                return;
            }
            for (const SpendSeries::Marker &m : list)
                if (std::llabs(m.atMs - int64_t(point.x())) < 1000) {
                    QToolTip::showText(
                        QCursor::pos(),
                        tr("%1 at %2 UTC by %3: %4%5")
                            .arg(m.kind == "cap_expired"       ? tr("Time-boxed cap expired")
                                 : m.kind == "set_spend_alert" ? tr("Spend alert changed")
                                 : m.kind == "rebuild_spend" ? tr("Counter rebuilt from the ledger")
                                                             : tr("Cap set"),
                                 QDateTime::fromMSecsSinceEpoch(m.atMs, Qt::UTC)
                                     .toString(QStringLiteral("HH:mm")),
                                 QString::fromStdString(m.actor), QString::fromStdString(m.reason),
                                 m.kind == "set_cap" || m.kind == "cap_expired"
                                     ? QStringLiteral(" (") + SpendText::cap(m.dailyMicros) +
                                           QLatin1Char(')')
                                     : QString()));
                    break;
                }
        });
        m_cumulative->addSeries(markers);
        attached << markers;
    }
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("HH:mm"));
    x->setRange(QDateTime::fromMSecsSinceEpoch(s.dayStartMs, Qt::UTC),
                QDateTime::fromMSecsSinceEpoch(dayEnd, Qt::UTC));
    x->setTickCount(7);
    auto *y = new QValueAxis;
    y->setRange(0, top);
    y->setLabelFormat(QStringLiteral("$%.2f"));
    m_cumulative->addAxis(x, Qt::AlignBottom);
    m_cumulative->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *series : attached) {
        series->attachAxis(x);
        series->attachAxis(y);
    }

    // Spend per agent per hour, stacked.
    QStringList hours;
    for (int h = 0; h < 24; ++h)
        hours << hourLabel(h);
    auto *stacked = new QStackedBarSeries;
    double hourMax = 0;
    std::vector<double> sums(24, 0);
    for (const SpendSeries::AgentHours &a : s.agents) {
        auto *set =
            new QBarSet(a.agent.empty() ? tr("other agents") : QString::fromStdString(a.agent));
        for (size_t h = 0; h < 24; ++h) {
            const double v = h < a.costMicros.size() ? double(a.costMicros[h]) / 1e6 : 0;
            *set << v;
            sums[h] += v;
        }
        stacked->append(set);
    }
    for (double v : sums)
        hourMax = std::max(hourMax, v);
    m_perAgent->addSeries(stacked);
    auto *hx = new QBarCategoryAxis;
    hx->append(hours);
    smallLabels(hx);
    auto *hy = new QValueAxis;
    hy->setRange(0, std::max(0.01, hourMax * 1.1));
    hy->setLabelFormat(QStringLiteral("$%.2f"));
    m_perAgent->addAxis(hx, Qt::AlignBottom);
    m_perAgent->addAxis(hy, Qt::AlignLeft);
    stacked->attachAxis(hx);
    stacked->attachAxis(hy);

    // Refusals per hour.
    auto *refusedSet = new QBarSet(tr("Refused runs"));
    refusedSet->setColor(QColor(0xb0, 0x00, 0x20));
    std::vector<double> perHour(24, 0);
    const size_t perHourBuckets = size_t(3600 * 1000 / std::max<int64_t>(1, s.bucketMs));
    for (size_t b = 0; b < s.refused.size(); ++b)
        perHour[std::min<size_t>(23, b / std::max<size_t>(1, perHourBuckets))] +=
            double(s.refused[b]);
    double refusedMax = 0;
    for (double v : perHour) {
        *refusedSet << v;
        refusedMax = std::max(refusedMax, v);
    }
    auto *bars = new QBarSeries;
    bars->append(refusedSet);
    m_refusals->addSeries(bars);
    auto *rx = new QBarCategoryAxis;
    rx->append(hours);
    smallLabels(rx);
    auto *ry = new QValueAxis;
    ry->setRange(0, std::max(1.0, refusedMax * 1.1));
    ry->setLabelFormat(QStringLiteral("%d"));
    m_refusals->addAxis(rx, Qt::AlignBottom);
    m_refusals->addAxis(ry, Qt::AlignLeft);
    bars->attachAxis(rx);
    bars->attachAxis(ry);
}

void SpendPage::updateButtons() {
    const SpendFigures *f = selectedFigures();
    const bool connected = m_snapshot.atMs > 0;
    const bool isDefault = m_scope == "user" && m_subject == "*";
    const QString why = m_capAllowed ? QString() : m_whyNot;
    m_editCap->setEnabled(m_capAllowed && f && connected);
    m_alert->setEnabled(m_capAllowed && f && connected);
    m_rebuild->setEnabled(m_capAllowed && f && connected && !isDefault);
    m_release->setEnabled(m_capAllowed && m_holdsModel->hold(m_holds->currentIndex().row()));
    for (QPushButton *b : {m_editCap, m_alert, m_rebuild, m_release})
        b->setToolTip(why);
    m_runs->setEnabled(m_scope == "user" && !isDefault);
    m_readOnly->setVisible(!m_capAllowed && !why.isEmpty());
    m_readOnly->setText(tr("Read-only: %1").arg(why));
}

void SpendPage::editCap() {
    const SpendFigures *f = selectedFigures();
    if (!f || !m_capAllowed || m_editor)
        return;
    auto *dialog = new CapEditorDialog(*f, m_snapshot.atMs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_editor = dialog;
    if (f->scope == "user" && f->subject == "*")
        Q_EMIT followersWanted();
    const QString evidence =
        SpendText::evidence(*f, spendOutlook(*f, m_snapshot.atMs), m_snapshot.atMs);
    connect(dialog, &QDialog::accepted, this, [this, dialog, evidence] {
        Q_EMIT capRequested(dialog->change(), dialog->reason(), evidence);
    });
    dialog->open();
}

void SpendPage::editAlert() {
    const SpendFigures *f = selectedFigures();
    if (!f || !m_capAllowed)
        return;
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Spend alert of %1").arg(SpendText::scopeName(*f)));
    auto *layout = new QVBoxLayout(dialog);
    auto *explain = new QLabel(
        tr("The console shows an alert (status bar and this page) while %1 has used at least "
           "this share of its daily cap.%2")
            .arg(SpendText::scopeName(*f),
                 f->alertIsDefault ? tr(" It now follows the default user alert (%1 %).")
                                         .arg(f->alertPercent, 0, 'g', 4)
                                   : QString()),
        dialog);
    explain->setWordWrap(true);
    layout->addWidget(explain);
    auto *form = new QFormLayout;
    auto *percent = new QDoubleSpinBox(dialog);
    percent->setRange(1, 100);
    percent->setDecimals(0);
    percent->setSuffix(QStringLiteral(" %"));
    percent->setValue(f->alertPercent > 0 ? f->alertPercent : 80);
    form->addRow(tr("Alert &at:"), percent);
    auto *reason = new QLineEdit(dialog);
    reason->setPlaceholderText(tr("Why: it goes into the audit log"));
    reason->setMaxLength(2000);
    form->addRow(tr("&Reason:"), reason);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, dialog);
    auto *save = buttons->addButton(tr("&Save alert"), QDialogButtonBox::AcceptRole);
    auto *off = buttons->addButton(tr("&Turn off"), QDialogButtonBox::DestructiveRole);
    off->setEnabled(f->alertRevision > 0);
    save->setDefault(true);
    save->setEnabled(false);
    off->setEnabled(false);
    const bool hasOwn = f->alertRevision > 0;
    connect(reason, &QLineEdit::textChanged, dialog, [save, off, hasOwn](const QString &t) {
        save->setEnabled(!t.trimmed().isEmpty());
        off->setEnabled(hasOwn && !t.trimmed().isEmpty());
    });
    layout->addWidget(buttons);
    const QString scope = QString::fromStdString(f->scope);
    const QString subject = QString::fromStdString(f->subject);
    const qint64 revision = f->alertRevision;
    connect(save, &QPushButton::clicked, dialog, [=, this] {
        Q_EMIT alertRequested(scope, subject, percent->value(), revision, reason->text().trimmed());
        dialog->accept();
    });
    connect(off, &QPushButton::clicked, dialog, [=, this] {
        Q_EMIT alertRequested(scope, subject, std::nullopt, revision, reason->text().trimmed());
        dialog->accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    percent->setFocus();
    dialog->open();
}

void SpendPage::askRebuild() {
    const SpendFigures *f = selectedFigures();
    if (!f || !m_capAllowed)
        return;
    const SpendOutlook o = spendOutlook(*f, m_snapshot.atMs);
    auto *dialog = new CanaryActionDialog(
        tr("Rebuild the counter of %1").arg(SpendText::scopeName(*f)),
        tr("Today's Redis counter of %1 says %2 settled; the ledger in PostgreSQL (runs ended "
           "today plus the cost so far of runs still running) says %3. The counter becomes "
           "the ledger's figure (drift %4); spend settled while this is applied is kept. The "
           "caps are then checked against it.")
            .arg(SpendText::scopeName(*f), SpendText::usd(f->settledMicros),
                 SpendText::usd(f->ledgerMicros), SpendText::usd(o.driftMicros)),
        tr("Re&build"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString scope = QString::fromStdString(f->scope);
    const QString subject = QString::fromStdString(f->subject);
    connect(dialog, &QDialog::accepted, this,
            [=, this] { Q_EMIT rebuildRequested(scope, subject, dialog->reason()); });
    dialog->open();
}

void SpendPage::askRelease() {
    const SpendHold *h = m_holdsModel->hold(m_holds->currentIndex().row());
    if (!h || !m_capAllowed)
        return;
    auto *dialog = new CanaryActionDialog(
        tr("Release a reservation"),
        tr("Run %1 (agent %2, user %3) still holds %4 reserved: %5. Releasing it takes it out "
           "of the user's, the agent's and the global counters, so that the caps stop "
           "counting it.")
            .arg(
                QString::fromStdString(h->runId), QString::fromStdString(h->agent),
                QString::fromStdString(h->user), SpendText::usd(h->heldMicros),
                m_holdsModel
                    ->data(m_holdsModel->index(m_holds->currentIndex().row(), SpendHoldsModel::Why))
                    .toString()),
        tr("Re&lease"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString runId = QString::fromStdString(h->runId);
    const qint64 held = h->heldMicros;
    connect(dialog, &QDialog::accepted, this,
            [=, this] { Q_EMIT releaseRequested(runId, held, dialog->reason()); });
    dialog->open();
}

void SpendPage::page(int direction) {
    const SpenderPage &p = m_snapshot.users;
    const int next = m_offset + direction * 100;
    if (next < 0 || (direction > 0 && next >= p.total))
        return;
    m_offset = next;
    Q_EMIT usersQueryChanged(m_filter->text().trimmed(), m_offset);
}

} // namespace pitwall

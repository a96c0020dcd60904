#include "OverviewPage.h"

#include "ActivityText.h"
#include "BreakerModel.h"
#include "RecentActionsModel.h"
#include "StoreStatusText.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedBarSeries>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

namespace pitwall {
namespace {

// The final statuses the chart stacks, with their colours.
const std::pair<const char *, QRgb> kStatuses[] = {{"succeeded", 0x43a047},  {"failed", 0xc62828},
                                                   {"killed", 0x424242},     {"capped", 0xef6c00},
                                                   {"step_limit", 0x6a1b9a}, {"timeout", 0x8d6e63}};

constexpr int kMostButtons = 8; // per list; the rest are on the list's page

// A home item: flat, left-aligned, reachable with Tab and Space like any button.
QPushButton *itemButton(QWidget *parent) {
    auto *b = new QPushButton(parent);
    b->setFlat(true);
    b->setCursor(Qt::PointingHandCursor);
    b->setStyleSheet(QStringLiteral("QPushButton { text-align: left; padding: 2px 4px; }"));
    // A long text is cut, not a reason for the window to grow past the screen: the tooltip
    // has it whole.
    b->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    return b;
}

QPushButton *bigButton(QWidget *parent) {
    QPushButton *b = itemButton(parent);
    b->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred); // short: shown whole
    QFont f = b->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    b->setFont(f);
    return b;
}

} // namespace

OverviewPage::OverviewPage(QWidget *parent)
    : QWidget(parent) {
    auto *layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);

    // Now: what is running, failing and looping.
    auto *top = new QHBoxLayout;
    auto *now = new QGroupBox(tr("Now"), this);
    auto *nowLayout = new QVBoxLayout(now);
    m_liveRunsButton = bigButton(now);
    m_liveRunsButton->setText(tr("Live runs: –"));
    m_failed = bigButton(now);
    m_failed->setText(tr("Failed in the last 5 min: –"));
    m_runaways = bigButton(now);
    m_runaways->setText(tr("Runaways now: –"));
    for (QPushButton *b : {m_liveRunsButton, m_failed, m_runaways})
        nowLayout->addWidget(b);
    m_runs = new QLabel(now);
    m_runs->setObjectName(QStringLiteral("runs"));
    m_runs->setWordWrap(true);
    nowLayout->addWidget(m_runs);
    nowLayout->addStretch(1);
    top->addWidget(now, 1);
    connect(m_liveRunsButton, &QPushButton::clicked, this,
            [this] { Q_EMIT liveRunsWanted(QStringLiteral("status:running")); });
    connect(m_failed, &QPushButton::clicked, this,
            [this] { Q_EMIT liveRunsWanted(QStringLiteral("status:failed")); });
    connect(m_runaways, &QPushButton::clicked, this, &OverviewPage::runawaysWanted);

    m_chart = new QChart;
    m_chart->setTitle(tr("Runs per minute by final status, last hour (click a bar: those runs)"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    auto *series = new QStackedBarSeries;
    series->setBarWidth(0.9);
    for (const auto &[status, colour] : kStatuses) {
        auto *set = new QBarSet(QString::fromLatin1(status));
        set->setColor(QColor(colour));
        set->setBorderColor(QColor(colour));
        series->append(set);
        m_sets.append(set);
        connect(set, &QBarSet::clicked, this, [this, status = QString::fromLatin1(status)] {
            Q_EMIT liveRunsWanted(QStringLiteral("status:") + status);
        });
    }
    m_chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    // Sixty labels do not fit: the chart's title says the span instead.
    x->setLabelsVisible(false);
    x->setGridLineVisible(false);
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    auto *chartView = new QChartView(m_chart, this);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(260);
    top->addWidget(chartView, 3);
    layout->addLayout(top, 3);

    // The areas, one tile each.
    auto *tiles = new QHBoxLayout;
    auto *spend = new QGroupBox(tr("Spend today"), this);
    auto *spendLayout = new QVBoxLayout(spend);
    m_spendButton = itemButton(spend);
    m_spendButton->setText(tr("Open the spend page on the global scope"));
    m_spendLine = new QLabel(spend);
    m_spendLine->setWordWrap(true);
    m_spendLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_spendBar = new QProgressBar(spend);
    m_spendBar->setRange(0, 100);
    m_spendBar->setValue(0);
    m_spendBar->setFormat(tr("no global cap"));
    m_spend = new QLabel(spend);
    m_spend->setObjectName(QStringLiteral("spend"));
    m_spend->setWordWrap(true);
    m_spend->setTextInteractionFlags(Qt::TextSelectableByMouse);
    spendLayout->addWidget(m_spendBar);
    spendLayout->addWidget(m_spendLine);
    spendLayout->addWidget(m_spend);
    spendLayout->addWidget(m_spendButton);
    spendLayout->addStretch(1);
    connect(m_spendButton, &QPushButton::clicked, this, &OverviewPage::spendWanted);
    tiles->addWidget(spend, 2);

    auto *canary = new QGroupBox(tr("Canaries that say roll back"), this);
    m_canaryBox = new QVBoxLayout(canary);
    m_canaryBox->addStretch(1); // the buttons go above it
    tiles->addWidget(canary, 2);
    auto *breakers = new QGroupBox(tr("Breakers not closed"), this);
    m_breakerBox = new QVBoxLayout(breakers);
    m_breakerBox->addStretch(1);
    m_breakers = new QLabel(breakers);
    m_breakers->setObjectName(QStringLiteral("breakers"));
    m_breakers->setWordWrap(true);
    m_breakers->hide(); // the summary's sentence, for when the board is not read
    tiles->addWidget(breakers, 2);

    auto *ops = new QGroupBox(tr("Outbox and stores"), this);
    auto *opsLayout = new QVBoxLayout(ops);
    m_outbox = itemButton(ops);
    m_outbox->setText(tr("Outbox: –"));
    m_postgres = itemButton(ops);
    m_redis = itemButton(ops);
    for (QPushButton *b : {m_outbox, m_postgres, m_redis})
        opsLayout->addWidget(b);
    opsLayout->addStretch(1);
    connect(m_outbox, &QPushButton::clicked, this, &OverviewPage::pendingActionsWanted);
    connect(m_postgres, &QPushButton::clicked, this, &OverviewPage::connectionsWanted);
    connect(m_redis, &QPushButton::clicked, this, &OverviewPage::connectionsWanted);
    tiles->addWidget(ops, 2);
    layout->addLayout(tiles, 2);
    fillButtons(m_canaryBox, m_canaryButtons, {}, tr("No verdict says roll back."),
                &OverviewPage::canaryWanted);
    fillButtons(m_breakerBox, m_breakerButtons, {}, tr("All circuit breakers closed."),
                &OverviewPage::breakerWanted);
    m_breakerBox->insertWidget(m_breakerBox->count() - 1, m_breakers);

    auto *audit =
        new QGroupBox(tr("Recent operator actions (double-click: the audit trail)"), this);
    auto *auditLayout = new QVBoxLayout(audit);
    m_actions = new RecentActionsModel(this);
    m_actionsView = new QTableView(audit);
    m_actionsView->setModel(m_actions);
    m_actionsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_actionsView->verticalHeader()->hide();
    m_actionsView->verticalHeader()->setDefaultSectionSize(m_actionsView->fontMetrics().height() +
                                                           6);
    m_actionsView->setWordWrap(false);
    m_actionsView->horizontalHeader()->setStretchLastSection(false);
    m_actionsView->horizontalHeader()->setSectionResizeMode(RecentActionsModel::Reason,
                                                            QHeaderView::Stretch);
    connect(m_actionsView, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT auditWanted(
            m_actions->index(index.row(), RecentActionsModel::Kind).data(Qt::UserRole).toString(),
            m_actions->index(index.row(), RecentActionsModel::Target)
                .data(Qt::UserRole)
                .toString());
    });
    auditLayout->addWidget(m_actionsView);
    layout->addWidget(audit, 2);
}

QList<QPushButton *> OverviewPage::breakerButtons() const {
    return m_breakerButtons;
}

QList<QPushButton *> OverviewPage::canaryButtons() const {
    return m_canaryButtons;
}

void OverviewPage::fillButtons(QVBoxLayout *box, QList<QPushButton *> &buttons,
                               const QList<QPair<QString, QString>> &items, const QString &none,
                               void (OverviewPage::*wanted)(const QString &)) {
    // The same items (by key) keep their buttons, their words updated: a button under the
    // mouse or with the focus stays. Other items rebuild the list.
    const qsizetype shown = std::min<qsizetype>(items.size(), kMostButtons);
    bool same = !buttons.isEmpty() && buttons.size() == shown + 1;
    for (int i = 0; same && i < shown; ++i)
        same = buttons[i]->property("key").toString() == items[i].first;
    auto lastText = [&] {
        return items.isEmpty() ? none : tr("… and %1 more").arg(items.size() - kMostButtons);
    };
    if (same) {
        for (int i = 0; i < shown; ++i) {
            buttons[i]->setText(items[i].first + QStringLiteral(" — ") + items[i].second.left(80));
            buttons[i]->setToolTip(items[i].second);
        }
        QPushButton *last = buttons.last();
        last->setText(lastText());
        last->setEnabled(!items.isEmpty());
        last->setVisible(items.isEmpty() || items.size() > kMostButtons);
        return;
    }
    for (QPushButton *b : buttons) {
        box->removeWidget(b);
        b->deleteLater();
    }
    buttons.clear();
    for (int i = 0; i < std::min<qsizetype>(items.size(), kMostButtons); ++i) {
        QPushButton *b = itemButton(box->parentWidget());
        b->setProperty("key", items[i].first);
        b->setText(items[i].first + QStringLiteral(" — ") + items[i].second.left(80));
        b->setToolTip(items[i].second);
        b->setStyleSheet(b->styleSheet() + QStringLiteral("QPushButton { color: #b00020; }"));
        connect(b, &QPushButton::clicked, this,
                [this, wanted, key = items[i].first] { (this->*wanted)(key); });
        box->insertWidget(i, b);
        buttons.append(b);
    }
    // The last: "none" when empty, "and N more" (the list's page) when cut.
    QPushButton *last = itemButton(box->parentWidget());
    last->setText(lastText());
    last->setEnabled(!items.isEmpty());
    last->setVisible(items.isEmpty() || items.size() > kMostButtons);
    connect(last, &QPushButton::clicked, this, [this, wanted] { (this->*wanted)(QString()); });
    box->insertWidget(int(buttons.size()), last);
    buttons.append(last);
}

void OverviewPage::showActivity(const ActivitySummary &activity) {
    m_activity[0] = ActivityText::runs(activity);
    m_activity[1] = ActivityText::spend(activity);
    m_activity[2] = ActivityText::breakers(activity);
    m_activityAt = QDateTime::currentDateTime();
    showActivityLines();
    m_failed->setText(tr("Failed in the last 5 min: %1").arg(activity.failedLast5m));
    m_failed->setStyleSheet(
        QStringLiteral("QPushButton { text-align: left; padding: 2px 4px; %1 }")
            .arg(activity.failedLast5m > 0 ? QStringLiteral("color: #b00020;") : QString()));
    m_outbox->setText(
        activity.pendingActions == 0
            ? tr("Outbox: every action is applied to Redis")
            : tr("Outbox: %n action(s) not yet applied, the oldest from %1", nullptr,
                 int(activity.pendingActions))
                  .arg(QDateTime::fromMSecsSinceEpoch(activity.oldestPendingMs, Qt::UTC)
                           .toString(QStringLiteral("HH:mm:ss 'UTC'"))));
    showRunsChart(activity);
    if (!m_boardShown) {
        QList<QPair<QString, QString>> items;
        for (const auto &b : activity.breakersNotClosed)
            items.append({b.tool, b.forced.isEmpty() ? b.state : tr("forced %1").arg(b.forced)});
        fillButtons(m_breakerBox, m_breakerButtons, items,
                    activity.breakersError.isEmpty()
                        ? tr("All circuit breakers closed.")
                        : tr("Breakers not read: %1").arg(activity.breakersError),
                    &OverviewPage::breakerWanted);
    }
    if (!m_spendShown && activity.globalCapMicros > 0) {
        const double pct = 100.0 * double(activity.spentTodayMicros + activity.reservedMicros) /
                           double(activity.globalCapMicros);
        m_spendBar->setValue(int(std::clamp(pct, 0.0, 100.0)));
        m_spendBar->setFormat(tr("%1 % of the global cap").arg(pct, 0, 'f', 0));
    }
    m_actions->apply(activity.recentActions);
    m_actionsView->resizeColumnsToContents();
    m_actionsView->horizontalHeader()->setSectionResizeMode(RecentActionsModel::Reason,
                                                            QHeaderView::Stretch);
}

void OverviewPage::showRunsChart(const ActivitySummary &a) {
    auto *x = qobject_cast<QBarCategoryAxis *>(m_chart->axes(Qt::Horizontal).value(0));
    auto *y = qobject_cast<QValueAxis *>(m_chart->axes(Qt::Vertical).value(0));
    if (!x || !y)
        return;
    QStringList categories;
    double most = 1;
    for (int s = 0; s < m_sets.size(); ++s) {
        QList<qreal> values;
        for (const ActivitySummary::Minute &m : a.runsPerMinute)
            values.append(qreal(m.byStatus.value(QString::fromLatin1(kStatuses[s].first))));
        m_sets[s]->remove(0, m_sets[s]->count());
        m_sets[s]->append(values);
    }
    for (const ActivitySummary::Minute &m : a.runsPerMinute) {
        qint64 total = 0;
        for (qint64 n : m.byStatus)
            total += n;
        most = std::max(most, double(total));
        categories.append(
            QDateTime::fromMSecsSinceEpoch(m.startMs, Qt::UTC).toString(QStringLiteral("HH:mm")));
    }
    x->setCategories(categories);
    if (!a.runsPerMinute.isEmpty())
        m_chart->setTitle(
            tr("Runs per minute by final status, %1 to %2 UTC (click a bar: those runs)")
                .arg(QDateTime::fromMSecsSinceEpoch(a.runsPerMinute.first().startMs, Qt::UTC)
                         .toString(QStringLiteral("HH:mm")),
                     QDateTime::fromMSecsSinceEpoch(a.runsPerMinute.last().startMs, Qt::UTC)
                         .toString(QStringLiteral("HH:mm"))));
    y->setRange(0, most * 1.1);
}

void OverviewPage::showActivityLines() {
    QLabel *lines[] = {m_runs, m_spend, m_breakers};
    for (int i = 0; i < 3; ++i) {
        lines[i]->setText(
            m_stale && !m_activity[i].isEmpty()
                ? tr("%1 (as of %2: a store is down)")
                      .arg(m_activity[i], m_activityAt.toString(QStringLiteral("HH:mm:ss")))
                : m_activity[i]);
        lines[i]->setStyleSheet(m_stale ? QStringLiteral("color: #888888") : QString());
    }
    // The spend page's sentence is live; while a store is down the dated line says what was.
    m_spendLine->setVisible(m_spendShown && !m_stale);
    m_spend->setVisible(!m_spendShown || m_stale);
}

void OverviewPage::showMessage(const QString &message) {
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void OverviewPage::showHealth(const StoreHealth &h) {
    m_liveRunsButton->setText(StoreStatus::liveRuns(h));
    const StoreStatusText pg = StoreStatus::postgres(h), redis = StoreStatus::redis(h);
    m_postgres->setText(pg.label);
    m_postgres->setToolTip(pg.tooltip + tr("\nClick: the connection details."));
    m_redis->setText(redis.label);
    m_redis->setToolTip(redis.tooltip + tr("\nClick: the connection details."));
    const bool stale =
        h.postgres != StoreHealth::State::Healthy || h.redis != StoreHealth::State::Healthy;
    if (stale != m_stale) {
        m_stale = stale;
        showActivityLines();
    }
}

void OverviewPage::showRunaways(int count) {
    m_runaways->setText(tr("Runaways now: %1").arg(count));
    m_runaways->setStyleSheet(
        QStringLiteral("QPushButton { text-align: left; padding: 2px 4px; %1 }")
            .arg(count > 0 ? QStringLiteral("color: #b00020;") : QString()));
}

void OverviewPage::showSpend(const QString &line, double percentUsed, bool alert) {
    m_spendShown = true;
    m_spendLine->setText(line);
    showActivityLines();
    if (percentUsed < 0) {
        m_spendBar->setValue(0);
        m_spendBar->setFormat(tr("no global cap"));
    } else {
        m_spendBar->setValue(int(std::clamp(percentUsed, 0.0, 100.0)));
        m_spendBar->setFormat(tr("%1 % of the global cap").arg(percentUsed, 0, 'f', 0));
    }
    m_spendBar->setStyleSheet(alert ? QStringLiteral("QProgressBar::chunk { background: #b00020; }")
                                    : QString());
}

void OverviewPage::showCanaryRollbacks(const QList<QPair<QString, QString>> &agents) {
    fillButtons(m_canaryBox, m_canaryButtons, agents, tr("No verdict says roll back."),
                &OverviewPage::canaryWanted);
}

void OverviewPage::showBreakers(const BreakerBoard &board) {
    if (!board.error.empty())
        return;
    m_boardShown = true;
    QList<QPair<QString, QString>> items;
    for (const BreakerRow &r : board.rows) // most trouble first
        if (r.state != "closed")
            items.append(
                {QString::fromStdString(r.tool),
                 BreakerText::state(r.state) + QStringLiteral(", ") + BreakerText::failureRate(r)});
    fillButtons(m_breakerBox, m_breakerButtons, items,
                tr("All %n circuit breaker(s) closed.", nullptr, int(board.rows.size())),
                &OverviewPage::breakerWanted);
}

} // namespace pitwall

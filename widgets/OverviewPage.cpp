#include "OverviewPage.h"

#include "ActivityText.h"
#include "RecentActionsModel.h"
#include "StoreStatusText.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace pitwall {
namespace {

QLabel *value(QWidget *parent) {
    auto *l = new QLabel(QStringLiteral("–"), parent);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setWordWrap(true);
    return l;
}

QString stateText(StoreHealth::State s, const QString &error) {
    switch (s) {
    case StoreHealth::State::Healthy:
        return error.isEmpty() ? OverviewPage::tr("reachable")
                               : OverviewPage::tr("reachable, but: %1").arg(error);
    case StoreHealth::State::Down:
        return OverviewPage::tr("unreachable: %1").arg(error);
    case StoreHealth::State::Unknown:
        break;
    }
    return OverviewPage::tr("connecting…");
}

} // namespace

OverviewPage::OverviewPage(QWidget *parent)
    : QWidget(parent) {
    auto *layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);

    m_liveRuns = new QLabel(this);
    QFont big = m_liveRuns->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    m_liveRuns->setFont(big);
    m_liveRuns->setText(tr("Live runs: –"));
    layout->addWidget(m_liveRuns);
    for (QLabel **line : {&m_runs, &m_spend, &m_breakers}) {
        *line = new QLabel(this);
        (*line)->setWordWrap(true);
        (*line)->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(*line);
    }
    m_runs->setObjectName(QStringLiteral("runs"));
    m_spend->setObjectName(QStringLiteral("spend"));
    m_breakers->setObjectName(QStringLiteral("breakers"));

    auto *stores = new QHBoxLayout;
    auto *pg = new QGroupBox(tr("PostgreSQL — system of record"), this);
    auto *pgForm = new QFormLayout(pg);
    pgForm->addRow(tr("State"), m_pgState = value(pg));
    pgForm->addRow(tr("Server"), m_pgServer = value(pg));
    pgForm->addRow(tr("Version"), m_pgVersion = value(pg));
    pgForm->addRow(tr("Schema"), m_pgSchema = value(pg));
    pgForm->addRow(tr("Logged in as"), m_pgRole = value(pg));
    pgForm->addRow(tr("Round trip"), m_pgRtt = value(pg));
    auto *redis = new QGroupBox(tr("Redis — hot state"), this);
    auto *redisForm = new QFormLayout(redis);
    redisForm->addRow(tr("State"), m_redisState = value(redis));
    redisForm->addRow(tr("Server"), m_redisServer = value(redis));
    redisForm->addRow(tr("Version"), m_redisVersion = value(redis));
    redisForm->addRow(tr("Round trip"), m_redisRtt = value(redis));
    stores->addWidget(pg, 1);
    stores->addWidget(redis, 1);
    layout->addLayout(stores);

    auto *audit = new QGroupBox(tr("Recent operator actions"), this);
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
    auditLayout->addWidget(m_actionsView);
    layout->addWidget(audit, 1);
}

void OverviewPage::showActivity(const ActivitySummary &activity) {
    m_activity[0] = ActivityText::runs(activity);
    m_activity[1] = ActivityText::spend(activity);
    m_activity[2] = ActivityText::breakers(activity);
    m_activityAt = QDateTime::currentDateTime();
    showActivityLines();
    m_actions->apply(activity.recentActions);
    m_actionsView->resizeColumnsToContents();
    m_actionsView->horizontalHeader()->setSectionResizeMode(RecentActionsModel::Reason,
                                                            QHeaderView::Stretch);
}

// While a store is down the last summary stays, greyed and dated: never shown as live.
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
}

void OverviewPage::showMessage(const QString &message) {
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void OverviewPage::showHealth(const StoreHealth &h) {
    m_liveRuns->setText(StoreStatus::liveRuns(h));
    m_pgState->setText(stateText(h.postgres, h.postgresError));
    m_pgServer->setText(h.postgresServer);
    const bool pgUp = h.postgres == StoreHealth::State::Healthy;
    m_pgVersion->setText(pgUp ? h.postgresVersion : QStringLiteral("–"));
    m_pgSchema->setText(!pgUp                 ? QStringLiteral("–")
                        : h.schemaVersion > 0 ? tr("version %1").arg(h.schemaVersion)
                                              : tr("none: run `pitwallctl migrate`"));
    m_pgRole->setText(pgUp ? h.role : QStringLiteral("–"));
    m_pgRtt->setText(pgUp ? StoreStatus::roundTrip(h.postgresRttMs) : QStringLiteral("–"));
    m_redisState->setText(stateText(h.redis, h.redisError));
    m_redisServer->setText(h.redisServer);
    const bool redisUp = h.redis == StoreHealth::State::Healthy;
    m_redisVersion->setText(redisUp ? h.redisVersion : QStringLiteral("–"));
    m_redisRtt->setText(redisUp ? StoreStatus::roundTrip(h.redisRttMs) : QStringLiteral("–"));
    const bool stale = !pgUp || !redisUp;
    if (stale != m_stale) {
        m_stale = stale;
        showActivityLines();
    }
}

} // namespace pitwall

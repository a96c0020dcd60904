#include "ConnectionsDialog.h"

#include "StoreStatusText.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
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
        return error.isEmpty() ? ConnectionsDialog::tr("reachable")
                               : ConnectionsDialog::tr("reachable, but: %1").arg(error);
    case StoreHealth::State::Down:
        return ConnectionsDialog::tr("unreachable: %1").arg(error);
    case StoreHealth::State::Unknown:
        break;
    }
    return ConnectionsDialog::tr("connecting…");
}

} // namespace

ConnectionsDialog::ConnectionsDialog(QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("Connections"));
    auto *layout = new QVBoxLayout(this);
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
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *other =
        buttons->addButton(tr("Connect to other stores…"), QDialogButtonBox::ActionRole);
    connect(other, &QPushButton::clicked, this, &ConnectionsDialog::connectRequested);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    layout->addWidget(buttons);
    resize(820, 280);
}

void ConnectionsDialog::showHealth(const StoreHealth &h) {
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
}

} // namespace pitwall

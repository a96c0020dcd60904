#include "ConnectDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace pitwall {

ConnectDialog::ConnectDialog(const ConnectionSettings &initial, ConnectionGrammar grammar,
                             QWidget *parent)
    : QDialog(parent)
    , m_grammar(std::move(grammar))
    , m_keyPrefix(initial.keyPrefix) {
    setWindowTitle(tr("Connect to your agents' stores"));
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("Pitwall reads PostgreSQL (the system of record) and Redis (live state). "
                      "Enter where they are, or start a local sandbox with a simulated fleet."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    const auto pg = m_grammar.splitPostgres(initial.postgres);
    const auto redis = m_grammar.splitRedis(initial.redis);
    // A string the parsers cannot read is shown as it is, for the person to correct.
    m_postgres = new QLineEdit(pg.address.isEmpty() ? initial.postgres : pg.address, this);
    m_postgres->setPlaceholderText(QStringLiteral("host=db.internal dbname=agents user=oncall"));
    m_postgres->setToolTip(tr("A libpq connection string or a postgresql:// URI. Passwords are "
                              "better kept in ~/.pgpass or a service file (PGSERVICE)."));
    m_postgresPassword = new QLineEdit(pg.password, this);
    m_postgresPassword->setEchoMode(QLineEdit::Password);
    m_postgresPassword->setPlaceholderText(tr("none, or from ~/.pgpass"));
    m_redis = new QLineEdit(redis.address.isEmpty() ? initial.redis : redis.address, this);
    m_redis->setPlaceholderText(QStringLiteral("redis://user@host:6379/0"));
    m_redis->setToolTip(tr("redis://[user[:password]@]host[:port][/db] or unix:///path/to.sock"));
    m_redisPassword = new QLineEdit(redis.password, this);
    m_redisPassword->setEchoMode(QLineEdit::Password);
    m_redisPassword->setPlaceholderText(tr("none"));
    form->addRow(tr("&PostgreSQL:"), m_postgres);
    form->addRow(tr("Pass&word:"), m_postgresPassword);
    form->addRow(tr("&Redis:"), m_redis);
    form->addRow(tr("Passw&ord:"), m_redisPassword);
    auto *keychain = new QLabel(tr("Passwords are kept in the system keychain, never in a file; "
                                   "without a keychain they are asked for again."),
                                this);
    keychain->setWordWrap(true);
    form->addRow(QString(), keychain);
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d03a2f"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *connectButton = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setDefault(true);
    QPushButton *sandbox =
        buttons->addButton(tr("Start a local &sandbox"), QDialogButtonBox::ActionRole);
    sandbox->setToolTip(tr("Private PostgreSQL and Redis servers on this machine, with a "
                           "simulated fleet of agents."));
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    connect(connectButton, &QPushButton::clicked, this, &ConnectDialog::validateAndAccept);
    connect(sandbox, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Sandbox;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(620, sizeHint().height());
}

ConnectionSettings ConnectDialog::settings() const {
    ConnectionSettings s;
    // A password typed into the string wins over the field (it is what the person typed last).
    const QString pg = m_postgres->text().trimmed(), redis = m_redis->text().trimmed();
    const auto pgSplit = m_grammar.splitPostgres(pg);
    const auto redisSplit = m_grammar.splitRedis(redis);
    s.postgres =
        pgSplit.password.isEmpty() ? m_grammar.joinPostgres(pg, m_postgresPassword->text()) : pg;
    s.redis =
        redisSplit.password.isEmpty() ? m_grammar.joinRedis(redis, m_redisPassword->text()) : redis;
    s.keyPrefix = m_keyPrefix;
    return s;
}

void ConnectDialog::showError(const QString &error) {
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

void ConnectDialog::validateAndAccept() {
    const ConnectionSettings s = settings();
    if (s.postgres.isEmpty()) {
        showError(tr("Enter a PostgreSQL connection string."));
        m_postgres->setFocus();
        return;
    }
    if (const QString problem = m_grammar.redisProblem(s.redis); !problem.isEmpty()) {
        showError(problem);
        m_redis->setFocus();
        return;
    }
    m_choice = Choice::Connect;
    accept();
}

} // namespace pitwall

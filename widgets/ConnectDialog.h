#pragma once

#include "ConnectionSettings.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace pitwall {

// Asks where Postgres and Redis are, or offers a local sandbox instead. Checks the form of
// what is typed; whether the servers answer is for the console to find out. Passwords have
// their own masked fields (a password typed into a connection string moves there), so the
// addresses can be shown and stored without them.
class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { Cancel, Connect, Sandbox };

    ConnectDialog(const ConnectionSettings &initial, ConnectionGrammar grammar,
                  QWidget *parent = nullptr);
    Choice choice() const { return m_choice; }
    ConnectionSettings settings() const;
    void showError(const QString &error);

private:
    void validateAndAccept();

    ConnectionGrammar m_grammar;
    Choice m_choice = Choice::Cancel;
    QString m_keyPrefix;
    QLineEdit *m_postgres = nullptr;
    QLineEdit *m_postgresPassword = nullptr;
    QLineEdit *m_redis = nullptr;
    QLineEdit *m_redisPassword = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace pitwall

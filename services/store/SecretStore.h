#pragma once

#include <QString>

#include <optional>

namespace pitwall {

// Passwords in the system keychain (the Secret Service on Linux, through qtkeychain), never
// in a file. Without a keychain service (a server, a CI machine: qtkeychain then fails at
// once) every call says so and stores nothing: the console asks for the password again.
// Blocking, but only for as long as the keychain takes to answer (at most a few seconds);
// called when a connection is chosen, not while the console runs.
class SecretStore {
public:
    explicit SecretStore(QString service = QStringLiteral("Pitwall"));

    // The secret under `key`; nullopt when there is none or no keychain (see lastError()).
    std::optional<QString> read(const QString &key);
    // False when the keychain could not keep it (see lastError()).
    bool write(const QString &key, const QString &secret);
    void remove(const QString &key);
    // Why the last call did not succeed, as a sentence; empty after a success.
    const QString &lastError() const { return m_lastError; }

private:
    QString m_service;
    QString m_lastError;
};

} // namespace pitwall

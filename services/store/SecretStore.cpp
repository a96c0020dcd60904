#include "SecretStore.h"

#include <QEventLoop>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace pitwall {
namespace {

// Runs a keychain job to its end (or for at most 5 s); true when it succeeded.
bool run(QKeychain::Job &job, QString &error) {
    QEventLoop loop;
    bool done = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    job.start();
    if (!done)
        loop.exec();
    if (!done) {
        error = QStringLiteral("The system keychain did not answer within 5 seconds.");
        return false;
    }
    if (job.error() == QKeychain::NoError) {
        error.clear();
        return true;
    }
    error =
        job.error() == QKeychain::EntryNotFound
            ? QString()
            : QStringLiteral("The system keychain is not available (%1).").arg(job.errorString());
    return false;
}

} // namespace

SecretStore::SecretStore(QString service)
    : m_service(std::move(service)) {}

std::optional<QString> SecretStore::read(const QString &key) {
    QKeychain::ReadPasswordJob job(m_service);
    job.setAutoDelete(false);
    job.setKey(key);
    if (!run(job, m_lastError))
        return std::nullopt;
    return job.textData();
}

bool SecretStore::write(const QString &key, const QString &secret) {
    QKeychain::WritePasswordJob job(m_service);
    job.setAutoDelete(false);
    job.setKey(key);
    job.setTextData(secret);
    return run(job, m_lastError);
}

void SecretStore::remove(const QString &key) {
    QKeychain::DeletePasswordJob job(m_service);
    job.setAutoDelete(false);
    job.setKey(key);
    run(job, m_lastError);
}

} // namespace pitwall

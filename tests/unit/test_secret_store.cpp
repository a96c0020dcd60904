#include "ConnectionStrings.h"
#include "SecretStore.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace pitwall;

// The keychain in both situations a console meets: none (a server, CI: every call says so and
// nothing is kept anywhere), and a real Secret Service (ctest runs this a second time under
// dbus-run-session with gnome-keyring, with PITWALL_TEST_KEYCHAIN=1).
class TestSecretStore : public QObject {
    Q_OBJECT
    const bool m_real = qEnvironmentVariableIntValue("PITWALL_TEST_KEYCHAIN") == 1;

private Q_SLOTS:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        if (!m_real) // no keychain, even on a desktop that has one
            qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/pitwall-test-bus");
        QCoreApplication::setOrganizationName(QStringLiteral("pitwall-test"));
    }

    void aPasswordGoesToTheKeychainOrNowhere() {
        SecretStore keychain(QStringLiteral("Pitwall test"));
        const auto split = splitRedis(QStringLiteral("redis://default:Pa@ss/w0rd-SECRET@host:1"));
        const QString key = QStringLiteral("redis ") + split.address;
        const bool written = keychain.write(key, split.password);
        if (m_real) {
            QVERIFY2(written, qPrintable(keychain.lastError()));
            QCOMPARE(keychain.read(key).value_or(QString()), QStringLiteral("Pa@ss/w0rd-SECRET"));
            keychain.remove(key);
            QVERIFY(!keychain.read(key));
            QVERIFY(keychain.lastError().isEmpty()); // not found is no error
        } else {
            QVERIFY(!written);
            QVERIFY2(keychain.lastError().startsWith(
                         QLatin1String("The system keychain is not available")) ||
                         keychain.lastError().contains(QLatin1String("did not answer")),
                     qPrintable(keychain.lastError()));
            QVERIFY(!keychain.read(key));
        }
        // Whatever the keychain did, the settings file holds the address alone.
        {
            QSettings stored;
            stored.setValue(QStringLiteral("connection/redis"), split.address);
        }
        QFile file(QSettings().fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(content.contains("host:1"));
        QVERIFY(!content.contains("SECRET"));
        QVERIFY(!content.contains("ss/w0rd"));
    }

private:
    QTemporaryDir m_config;
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "test_secret_store.moc"

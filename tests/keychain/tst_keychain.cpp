// Every secret through SecretStore and a real gnome-keyring (run-keychain-test.sh starts a private
// D-Bus session with an unlocked keyring, a private HOME and XDG_RUNTIME_DIR). Then no file under
// the config and data directories (nor anywhere under the private HOME) holds a secret.
#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

#include "config/savedsettings.h"
#include "config/secretstore.h"

class TestKeychain final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void roundTripEverySecret();
    void noFileHoldsASecret();
    void removeAndNotFound();

private:
    static QStringList filesContaining(const QString &dir, const QByteArray &needle);
    QHash<QString, QString> m_secrets;
    QString m_configDir;
    QString m_dataDir;
};

void TestKeychain::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("TSP_KEYCHAIN_SESSION"))
        QFAIL("run through tests/keychain/run-keychain-test.sh (it starts the private keyring)");
    QCoreApplication::setApplicationName(QStringLiteral("tsp-assistant"));
    m_configDir = SecretStore::defaultConfigDir();
    m_dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QVERIFY2(m_configDir.startsWith(qEnvironmentVariable("HOME")), qPrintable(m_configDir));
    // Unique values, so a match in a file can only come from this run.
    const QString run = QUuid::createUuid().toString(QUuid::WithoutBraces);
    for (const QString &key : SecretStore::secretKeys())
        m_secrets.insert(key, key.toLower() + QLatin1Char('-') + run);
}

void TestKeychain::roundTripEverySecret()
{
    SecretStore store(m_configDir);
    QSignalSpy written(&store, &SecretStore::secretWritten);
    QSignalSpy unavailable(&store, &SecretStore::keychainUnavailable);
    QSignalSpy failed(&store, &SecretStore::failed);
    // Non-secret settings are saved too, as the wizard does, so the config dir is not empty.
    SavedSettings settings(m_configDir);
    QVERIFY(settings.setValues({{QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_a1b2c3d4e5f60718")}}));

    for (const QString &key : SecretStore::secretKeys())
        store.write(key, m_secrets.value(key));
    QTRY_VERIFY_WITH_TIMEOUT(written.count() == 3 || !unavailable.isEmpty() || !failed.isEmpty(), 30000);
    QVERIFY2(unavailable.isEmpty(),
             unavailable.isEmpty() ? "" : qPrintable(unavailable.first().at(0).toString()));
    QVERIFY(failed.isEmpty());
    QCOMPARE(written.count(), 3);
    QCOMPARE(store.storage(), SecretStore::Storage::Keychain);
    QVERIFY(!store.isLessSecure());
    QVERIFY(!QFile::exists(store.fallbackFilePath()));

    // A new store (as after a restart) reads them back from the keyring.
    SecretStore again(m_configDir);
    QSignalSpy read(&again, &SecretStore::secretRead);
    for (const QString &key : SecretStore::secretKeys())
        again.read(key);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 3, 30000);
    for (const QList<QVariant> &args : read)
        QCOMPARE(args.at(1).toString(), m_secrets.value(args.at(0).toString()));
}

QStringList TestKeychain::filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits << f.fileName();
    }
    return hits;
}

void TestKeychain::noFileHoldsASecret()
{
    QVERIFY(QFile::exists(QDir(m_configDir).filePath(QStringLiteral("tsp-assistant.ini"))));
    for (auto it = m_secrets.cbegin(); it != m_secrets.cend(); ++it) {
        for (const QString &dir : {m_configDir, m_dataDir, qEnvironmentVariable("HOME")}) {
            const QStringList hits = filesContaining(dir, it.value().toUtf8());
            QVERIFY2(hits.isEmpty(),
                     qPrintable(it.key() + QLatin1String(" found in ") + hits.join(QLatin1String(", "))));
        }
    }
}

void TestKeychain::removeAndNotFound()
{
    SecretStore store(m_configDir);
    QSignalSpy removed(&store, &SecretStore::secretRemoved);
    QSignalSpy read(&store, &SecretStore::secretRead);
    QSignalSpy failed(&store, &SecretStore::failed);
    store.remove(QStringLiteral("LLM_API_KEY"));
    store.read(QStringLiteral("LLM_API_KEY"));
    // Removing what is gone is fine too (EntryNotFound is "no value", not an error).
    store.remove(QStringLiteral("LLM_API_KEY"));
    QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 2, 30000);
    QCOMPARE(read.count(), 1);
    QCOMPARE(read.first().at(1).toString(), QString());
    QVERIFY(failed.isEmpty());
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"

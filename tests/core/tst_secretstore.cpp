// SecretStore without a keychain: the refusal is explicit, the 0600 file exists only after the
// explicit choice, and ask-at-start keeps nothing on disk. (The round trip through a real
// gnome-keyring is tests/keychain/tst_keychain.cpp.)
#include <sys/stat.h>

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "config/secretstore.h"

class TestSecretStore final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void refusalIsExplicit();
    void fileOnlyAfterTheChoice();
    void askAtStartStoresNothing();
    void choiceIsRemembered();

private:
    // True if any file below `dir` contains `needle`.
    static bool anyFileContains(const QString &dir, const QByteArray &needle);
    // Writes `key`, expects the refusal, and returns its reason.
    static QString expectRefusal(SecretStore &store, const QString &key, const QString &value);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSecretStore::initTestCase()
{
    // No Secret Service: a session bus address that leads nowhere, and no X11 to autolaunch one.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tsp-no-bus");
    qunsetenv("DISPLAY");
}

void TestSecretStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

bool TestSecretStore::anyFileContains(const QString &dir, const QByteArray &needle)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            return true;
    }
    return false;
}

QString TestSecretStore::expectRefusal(SecretStore &store, const QString &key, const QString &value)
{
    QSignalSpy unavailable(&store, &SecretStore::keychainUnavailable);
    QSignalSpy written(&store, &SecretStore::secretWritten);
    store.write(key, value);
    if (!unavailable.wait(30000))
        return {};
    [&] { QCOMPARE(written.count(), 0); }();
    return unavailable.first().at(0).toString();
}

void TestSecretStore::refusalIsExplicit()
{
    SecretStore store(m_dir->path(), QStringLiteral("tsp-test-refusal"));
    QSignalSpy written(&store, &SecretStore::secretWritten);
    QSignalSpy failed(&store, &SecretStore::failed);
    const QString reason =
        expectRefusal(store, QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("s3cret-refused-1"));
    QVERIFY2(!reason.isEmpty(), "no keychainUnavailable() without a Secret Service");
    QVERIFY2(reason.contains(QLatin1String("keychain")), qPrintable(reason));
    QVERIFY(store.isWaitingForChoice());
    QVERIFY(!store.isLessSecure());
    // Nothing happens until the user chooses: no write, no failure, no file.
    QTest::qWait(200);
    QCOMPARE(written.count(), 0);
    QCOMPARE(failed.count(), 0);
    QVERIFY(!QFile::exists(store.fallbackFilePath()));
    QVERIFY(!anyFileContains(m_dir->path(), "s3cret-refused-1"));
}

void TestSecretStore::fileOnlyAfterTheChoice()
{
    SecretStore store(m_dir->path(), QStringLiteral("tsp-test-file"));
    QVERIFY(!expectRefusal(store, QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("app-secret-0600"))
                 .isEmpty());
    QVERIFY(!QFile::exists(store.fallbackFilePath()));

    QSignalSpy written(&store, &SecretStore::secretWritten);
    QSignalSpy storage(&store, &SecretStore::storageChanged);
    store.chooseStorage(SecretStore::Storage::File);
    QTRY_COMPARE(written.count(), 1);
    QCOMPARE(written.first().at(0).toString(), QStringLiteral("FEISHU_APP_SECRET"));
    QCOMPARE(storage.count(), 1);
    QVERIFY(store.isLessSecure());

    // The file exists now, with mode 0600 exactly.
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(store.fallbackFilePath()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, 0600u);

    // The other secrets go to the same file, without asking again.
    store.write(QStringLiteral("LLM_API_KEY"), QStringLiteral("llm-key-0600"));
    store.write(QStringLiteral("EMBEDDING_API_KEY"), QStringLiteral("embedding-key-0600"));
    QTRY_COMPARE(written.count(), 3);
    QCOMPARE(::stat(QFile::encodeName(store.fallbackFilePath()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, 0600u);

    QSignalSpy read(&store, &SecretStore::secretRead);
    for (const QString &key : SecretStore::secretKeys())
        store.read(key);
    QTRY_COMPARE(read.count(), 3);
    QCOMPARE(read.at(0).at(1).toString(), QStringLiteral("app-secret-0600"));
    QCOMPARE(read.at(1).at(1).toString(), QStringLiteral("llm-key-0600"));
    QCOMPARE(read.at(2).at(1).toString(), QStringLiteral("embedding-key-0600"));

    // Removing every secret removes the file.
    QSignalSpy removed(&store, &SecretStore::secretRemoved);
    for (const QString &key : SecretStore::secretKeys())
        store.remove(key);
    QTRY_COMPARE(removed.count(), 3);
    QVERIFY(!QFile::exists(store.fallbackFilePath()));
}

void TestSecretStore::askAtStartStoresNothing()
{
    {
        SecretStore store(m_dir->path(), QStringLiteral("tsp-test-ask"));
        QVERIFY(
            !expectRefusal(store, QStringLiteral("LLM_API_KEY"), QStringLiteral("ask-me-llm-key")).isEmpty());
        QSignalSpy written(&store, &SecretStore::secretWritten);
        store.chooseStorage(SecretStore::Storage::AskAtStart);
        QTRY_COMPARE(written.count(), 1);
        QVERIFY(store.asksAtStart());
        QVERIFY(!store.isLessSecure());

        // This run has it, in memory.
        QSignalSpy read(&store, &SecretStore::secretRead);
        store.read(QStringLiteral("LLM_API_KEY"));
        QTRY_COMPARE(read.count(), 1);
        QCOMPARE(read.first().at(1).toString(), QStringLiteral("ask-me-llm-key"));
        QVERIFY(!QFile::exists(store.fallbackFilePath()));
        QVERIFY(!anyFileContains(m_dir->path(), "ask-me-llm-key"));
    }
    // The next start asks again: the mode is remembered, the value is not.
    SecretStore next(m_dir->path(), QStringLiteral("tsp-test-ask"));
    QVERIFY(next.asksAtStart());
    QSignalSpy read(&next, &SecretStore::secretRead);
    QSignalSpy unavailable(&next, &SecretStore::keychainUnavailable);
    next.read(QStringLiteral("LLM_API_KEY"));
    QTRY_COMPARE(read.count(), 1);
    QCOMPARE(read.first().at(1).toString(), QString());
    QCOMPARE(unavailable.count(), 0); // the choice is made: no second refusal
}

void TestSecretStore::choiceIsRemembered()
{
    {
        SecretStore store(m_dir->path(), QStringLiteral("tsp-test-remember"));
        QVERIFY(!expectRefusal(store, QStringLiteral("EMBEDDING_API_KEY"), QStringLiteral("kept-in-file-emb"))
                     .isEmpty());
        QSignalSpy written(&store, &SecretStore::secretWritten);
        store.chooseStorage(SecretStore::Storage::File);
        QTRY_COMPARE(written.count(), 1);
    }
    SecretStore next(m_dir->path(), QStringLiteral("tsp-test-remember"));
    QCOMPARE(next.storage(), SecretStore::Storage::File);
    QVERIFY(next.isLessSecure());
    QSignalSpy read(&next, &SecretStore::secretRead);
    QSignalSpy unavailable(&next, &SecretStore::keychainUnavailable);
    next.read(QStringLiteral("EMBEDDING_API_KEY"));
    QTRY_COMPARE(read.count(), 1);
    QCOMPARE(read.first().at(1).toString(), QStringLiteral("kept-in-file-emb"));
    QCOMPARE(unavailable.count(), 0);
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"

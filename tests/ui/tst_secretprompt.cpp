// Ask-at-start: the prompt hands the typed secrets to SecretStore (memory only), nothing on disk.
#include <QDirIterator>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "config/secretstore.h"
#include "settings/secretprompt.h"

class TestSecretPrompt final : public QObject
{
    Q_OBJECT
private slots:
    void typedSecretsReachTheStoreOnly();
};

void TestSecretPrompt::typedSecretsReachTheStoreOnly()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tsp-no-bus");
    QTemporaryDir dir;
    SecretStore store(dir.path(), QStringLiteral("tsp-test-prompt"));
    store.chooseStorage(SecretStore::Storage::AskAtStart);
    SecretPrompt prompt(&store);
    prompt.show();
    QVERIFY(QTest::qWaitForWindowExposed(&prompt));
    QSignalSpy provided(&prompt, &SecretPrompt::secretsProvided);
    QSignalSpy written(&store, &SecretStore::secretWritten);
    prompt.findChild<QLineEdit *>(QStringLiteral("FEISHU_APP_SECRET"))
        ->setText(QStringLiteral("typed-app-secret"));
    prompt.findChild<QLineEdit *>(QStringLiteral("LLM_API_KEY"))->setText(QStringLiteral("typed-llm-key"));
    prompt.accept();
    QCOMPARE(provided.count(), 1);
    const auto typed = provided.first().at(0).value<QHash<QString, QString>>();
    QCOMPARE(typed.size(), 2);
    QCOMPARE(typed.value(QStringLiteral("LLM_API_KEY")), QStringLiteral("typed-llm-key"));
    QTRY_COMPARE(written.count(), 2);
    QSignalSpy read(&store, &SecretStore::secretRead);
    store.read(QStringLiteral("FEISHU_APP_SECRET"));
    QTRY_COMPARE(read.count(), 1);
    QCOMPARE(read.first().at(1).toString(), QStringLiteral("typed-app-secret"));
    QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY2(!bytes.contains("typed-app-secret") && !bytes.contains("typed-llm-key"),
                 qPrintable(f.fileName()));
    }
}

QTEST_MAIN(TestSecretPrompt)
#include "tst_secretprompt.moc"

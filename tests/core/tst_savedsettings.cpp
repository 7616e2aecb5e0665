// The console's saved settings: never a secret, kept across instances, exported and imported
// without secrets, and fed to AppConfig::Inputs::saved below the command line, the environment
// and the .env.
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "config/appconfig.h"
#include "config/envfile.h"
#include "config/savedsettings.h"

class TestSavedSettings final : public QObject
{
    Q_OBJECT
private slots:
    void refusesSecrets();
    void persistsAcrossInstances();
    void exportAndImportWithoutSecrets();
    void precedence();
};

void TestSavedSettings::refusesSecrets()
{
    QTemporaryDir dir;
    SavedSettings store(dir.path());
    QVERIFY(store.isEmpty());
    QStringList refused;
    QSignalSpy changed(&store, &SavedSettings::changed);
    QVERIFY(store.setValues({{QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_x")},
                             {QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("never-in-ini-1")},
                             {QStringLiteral("LLM_API_KEY"), QStringLiteral("never-in-ini-2")},
                             {QStringLiteral("EMBEDDING_API_KEY"), QStringLiteral("never-in-ini-3")}},
                            &refused));
    QCOMPARE(refused.size(), 3);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toStringList(), QStringList{QStringLiteral("FEISHU_APP_ID")});
    QVERIFY(!store.contains(QStringLiteral("FEISHU_APP_SECRET")));
    QFile ini(store.filePath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray bytes = ini.readAll();
    QVERIFY(bytes.contains("cli_x"));
    QVERIFY(!bytes.contains("never-in-ini"));
}

void TestSavedSettings::persistsAcrossInstances()
{
    QTemporaryDir dir;
    {
        SavedSettings store(dir.path());
        QVERIFY(store.setValues(
            {{QStringLiteral("LOG_LEVEL"), QStringLiteral("DEBUG")},
             {QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("https://open.larksuite.com")}}));
    }
    SavedSettings again(dir.path());
    QCOMPARE(again.value(QStringLiteral("LOG_LEVEL")), QStringLiteral("DEBUG"));
    QCOMPARE(again.values().size(), 2);
    // An empty value removes the key (back to the default).
    QVERIFY(again.setValues({{QStringLiteral("LOG_LEVEL"), QString()}}));
    QVERIFY(!again.contains(QStringLiteral("LOG_LEVEL")));
    QCOMPARE(again.values().size(), 1);
}

void TestSavedSettings::exportAndImportWithoutSecrets()
{
    QTemporaryDir dir;
    SavedSettings store(dir.path());
    QVERIFY(store.setValues(
        {{QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_a1b2c3d4e5f60718")},
         {QStringLiteral("FEISHU_PROXY"), QStringLiteral("http://proxy.corp:3128")},
         {QStringLiteral("LLM_MODEL"), QStringLiteral("model \"with\" quotes\\and\nnewline")}}));
    const QString path = dir.filePath(QStringLiteral("export.env"));
    QString error;
    QVERIFY2(store.exportTo(path, &error), qPrintable(error));

    // The export is a .env the reader (and a headless bot) understands, value for value.
    EnvFile env;
    QVERIFY(env.load(path));
    QVERIFY(env.problems().isEmpty());
    QCOMPARE(env.values(), store.values());

    // A .env with secrets imports without them.
    QFile f(dir.filePath(QStringLiteral("with-secrets.env")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("FEISHU_APP_ID=cli_other\nFEISHU_APP_SECRET=imported-secret\nLLM_API_KEY=sk-imported\nLOG_LEVEL="
            "WARNING\n");
    f.close();
    QStringList skipped;
    const auto imported = SavedSettings::readImport(f.fileName(), &skipped, &error);
    QCOMPARE(skipped, (QStringList{QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("LLM_API_KEY")}));
    QCOMPARE(imported.size(), 2);
    QCOMPARE(imported.value(QStringLiteral("LOG_LEVEL")), QStringLiteral("WARNING"));
    QVERIFY(!imported.contains(QStringLiteral("FEISHU_APP_SECRET")));

    error.clear();
    QVERIFY(
        SavedSettings::readImport(dir.filePath(QStringLiteral("missing.env")), &skipped, &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

void TestSavedSettings::precedence()
{
    QTemporaryDir dir;
    SavedSettings store(dir.path());
    QVERIFY(store.setValues({{QStringLiteral("LOG_LEVEL"), QStringLiteral("ERROR")},
                             {QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("https://saved.example")},
                             {QStringLiteral("LLM_MODEL"), QStringLiteral("saved-model")},
                             {QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_saved")},
                             {QStringLiteral("DEFAULT_MODE"), QStringLiteral("review")}}));
    EnvFile env;
    env.parse("FEISHU_DOMAIN=https://envfile.example\nLLM_MODEL=envfile-model\nFEISHU_APP_ID=cli_envfile\n");
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.environment.insert(QStringLiteral("LLM_MODEL"), QStringLiteral("environment-model"));
    in.environment.insert(QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_environment"));
    in.commandLine.insert(QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_commandline"));
    in.envFile = &env;
    in.saved = store.values();
    in.dataDir = dir.path();
    AppConfig c;
    QString error;
    QVERIFY2(AppConfig::resolve(in, &c, &error), qPrintable(error));
    QCOMPARE(c.appId, QStringLiteral("cli_commandline"));
    QCOMPARE(c.sources.value(QStringLiteral("FEISHU_APP_ID")), AppConfig::Source::CommandLine);
    QCOMPARE(c.llmModel, QStringLiteral("environment-model"));
    QCOMPARE(c.sources.value(QStringLiteral("LLM_MODEL")), AppConfig::Source::Environment);
    QCOMPARE(c.feishuDomain, QUrl(QStringLiteral("https://envfile.example")));
    QCOMPARE(c.sources.value(QStringLiteral("FEISHU_DOMAIN")), AppConfig::Source::EnvFile);
    QCOMPARE(c.logLevel, Logging::Level::Error);
    QCOMPARE(c.sources.value(QStringLiteral("LOG_LEVEL")), AppConfig::Source::Saved);
    QCOMPARE(c.defaultMode, QStringLiteral("review"));
    QCOMPARE(c.sessionIdleMinutes, 30);
    QCOMPARE(c.sources.value(QStringLiteral("SESSION_IDLE_MINUTES")), AppConfig::Source::Default);
}

QTEST_GUILESS_MAIN(TestSavedSettings)
#include "tst_savedsettings.moc"

#include <QTest>

#include "config/appconfig.h"
#include "config/envfile.h"
#include "logging/redact.h"

// Invalid values of every kind: tst_settingstable (invalidValues).
class TestAppConfig final : public QObject
{
    Q_OBJECT
private slots:
    void cleanup() { Redact::clearSecrets(); }
    void defaults();
    void precedence();
    void bannerHasNoSecrets();
    void ticketKeys();
};

static AppConfig::Inputs emptyInputs()
{
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = QStringLiteral("/data");
    return in;
}

void TestAppConfig::defaults()
{
    AppConfig c;
    QString err;
    QVERIFY(AppConfig::resolve(emptyInputs(), &c, &err));
    QCOMPARE(c.feishuDomain, QUrl(QStringLiteral("https://open.feishu.cn")));
    QCOMPARE(c.databaseUrl, QStringLiteral("sqlite:////data/tsp-assistant.db"));
    QCOMPARE(c.logLevel, Logging::Level::Info);
    QVERIFY(!c.hasLlm());
    QVERIFY(!c.hasFeishuCredentials());
    QCOMPARE(c.sessionIdleMinutes, 30);
    QCOMPARE(c.sources.value(QStringLiteral("LOG_LEVEL")), AppConfig::Source::Default);
}

void TestAppConfig::precedence()
{
    EnvFile env;
    env.parse("FEISHU_APP_ID=from_env_file\nLOG_LEVEL=ERROR\nLLM_MODEL=envfile-model\nDATABASE_URL=sqlite:///"
              "e.db\n");
    AppConfig::Inputs in = emptyInputs();
    in.envFile = &env;
    in.environment.insert(QStringLiteral("FEISHU_APP_ID"), QStringLiteral("from_environment"));
    in.environment.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("WARNING"));
    in.commandLine.insert(QStringLiteral("LOG_LEVEL"), QStringLiteral("DEBUG"));
    in.saved.insert(QStringLiteral("LLM_MODEL"), QStringLiteral("saved-model"));
    in.saved.insert(QStringLiteral("LLM_PROVIDER"), QStringLiteral("deepseek"));
    in.saved.insert(QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("https://open.larksuite.com/"));
    AppConfig c;
    QString err;
    QVERIFY2(AppConfig::resolve(in, &c, &err), qPrintable(err));
    QCOMPARE(c.appId, QStringLiteral("from_environment")); // environment > .env
    QCOMPARE(c.logLevel, Logging::Level::Debug);           // command line > environment
    QCOMPARE(c.llmModel, QStringLiteral("envfile-model")); // .env > saved
    QCOMPARE(c.llmProvider, QStringLiteral("deepseek"));   // saved > default
    QCOMPARE(c.feishuDomain, QUrl(QStringLiteral("https://open.larksuite.com"))); // trailing slash trimmed
    QCOMPARE(c.databaseUrl, QStringLiteral("sqlite:///e.db"));
    QCOMPARE(c.sources.value(QStringLiteral("FEISHU_APP_ID")), AppConfig::Source::Environment);
    QCOMPARE(c.sources.value(QStringLiteral("LOG_LEVEL")), AppConfig::Source::CommandLine);
    QCOMPARE(c.sources.value(QStringLiteral("LLM_MODEL")), AppConfig::Source::EnvFile);
    QCOMPARE(c.sources.value(QStringLiteral("LLM_PROVIDER")), AppConfig::Source::Saved);
}

void TestAppConfig::bannerHasNoSecrets()
{
    AppConfig::Inputs in = emptyInputs();
    in.environment.insert(QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_a1b2c3d4e5f60718"));
    in.environment.insert(QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("app-secret-value-123"));
    in.environment.insert(QStringLiteral("LLM_API_KEY"), QStringLiteral("sk-llm-key-456"));
    in.environment.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgresql://u:dbpass99@h/db"));
    AppConfig c;
    QString err;
    QVERIFY(AppConfig::resolve(in, &c, &err));
    QCOMPARE(c.llmProvider, QStringLiteral("qwen")); // a key without a provider: the seed's default
    const QString banner = c.bannerLines().join(QLatin1Char('\n'));
    QVERIFY(banner.contains(QLatin1String("cli_a1b2c3d4e5f60718")));
    QVERIFY(!banner.contains(QLatin1String("app-secret-value-123")));
    QVERIFY(!banner.contains(QLatin1String("sk-llm-key-456")));
    QVERIFY(!banner.contains(QLatin1String("dbpass99")));
    QCOMPARE(Redact::text(QStringLiteral("k=sk-llm-key-456")), QStringLiteral("k=***"));
}

void TestAppConfig::ticketKeys()
{
    AppConfig c;
    QString err;
    QVERIFY(AppConfig::resolve(emptyInputs(), &c, &err));
    QVERIFY(c.bitableAppToken.isEmpty());
    QVERIFY(c.bitableTableId.isEmpty());
    QCOMPARE(c.ticketSyncMinutes, 10);
    QVERIFY(!c.ticketOnEscalation);
    AppConfig::Inputs in = emptyInputs();
    in.environment.insert(QStringLiteral("BITABLE_APP_TOKEN"), QStringLiteral(" bascnAbc "));
    in.environment.insert(QStringLiteral("BITABLE_TABLE_ID"), QStringLiteral("tblXyz"));
    in.environment.insert(QStringLiteral("TICKETS_SYNC_MINUTES"), QStringLiteral("0"));
    in.environment.insert(QStringLiteral("TICKETS_AUTO_ON_ESCALATION"), QStringLiteral("yes"));
    in.environment.insert(QStringLiteral("TICKETS_FIELD_MAP"), QStringLiteral("{\"title\":\"工单标题\"}"));
    QVERIFY(AppConfig::resolve(in, &c, &err));
    QCOMPARE(c.bitableAppToken, QStringLiteral("bascnAbc"));
    QCOMPARE(c.bitableTableId, QStringLiteral("tblXyz"));
    QCOMPARE(c.ticketSyncMinutes, 0);
    QVERIFY(c.ticketOnEscalation);
    QCOMPARE(c.ticketFieldMap, QStringLiteral("{\"title\":\"工单标题\"}"));
    in.environment.insert(QStringLiteral("TICKETS_SYNC_MINUTES"), QStringLiteral("soon"));
    QVERIFY(AppConfig::resolve(in, &c, &err));
    QCOMPARE(c.ticketSyncMinutes, 10);
    QVERIFY(c.warnings.join(u' ').contains(QStringLiteral("TICKETS_SYNC_MINUTES")));
}

QTEST_GUILESS_MAIN(TestAppConfig)
#include "tst_appconfig.moc"

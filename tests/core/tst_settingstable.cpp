// The settings table: every row is consistent, AppConfig's defaults are the table's, every row
// resolves into its field from every source, bad values give the row's message and outcome, and
// --help lists every key.
#include <QDir>
#include <QTest>

#include "config/appconfig.h"
#include "config/envfile.h"
#include "config/settingstable.h"
#include "logging/redact.h"

class TestSettingsTable final : public QObject
{
    Q_OBJECT
private slots:
    void cleanup() { Redact::clearSecrets(); }
    void rowsAreWellFormed();
    void structDefaultsAreTheTables();
    void everyKeyReachesItsField_data();
    void everyKeyReachesItsField();
    void invalidValues_data();
    void invalidValues();
    void secretsAreNotReadFromSavedSettings();
    void unknownKeysAreReported();
    void helpListsEveryKey();
};

namespace {

AppConfig::Inputs emptyInputs()
{
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = QStringLiteral("/data");
    return in;
}

// The field of `spec` in `c` as text, in the table's canonical spelling.
QString fieldText(const AppConfig &c, const SettingSpec &spec)
{
    return std::visit(
        [&](auto member) -> QString {
            using Value = std::remove_cvref_t<decltype(c.*member)>;
            if constexpr (std::is_same_v<Value, QString>)
                return c.*member;
            else if constexpr (std::is_same_v<Value, int>)
                return QString::number(c.*member);
            else if constexpr (std::is_same_v<Value, double>)
                return QString::number(c.*member);
            else if constexpr (std::is_same_v<Value, bool>)
                return c.*member ? QStringLiteral("true") : QStringLiteral("false");
            else if constexpr (std::is_same_v<Value, QUrl>)
                return (c.*member).toString();
            else
                return Logging::levelName(c.*member);
        },
        spec.field);
}

// A valid value of `spec` that differs from its default.
QString sampleValue(const SettingSpec &spec)
{
    switch (spec.type) {
    case SettingSpec::Type::Text:
        if (spec.validate) // the proxy
            return QStringLiteral("http://127.0.0.1:3128");
        return QStringLiteral("value-of-%1").arg(spec.name());
    case SettingSpec::Type::Url:
        return QStringLiteral("http://127.0.0.1:8123");
    case SettingSpec::Type::Path:
        return QString(); // needs a real certificate file: covered by tst_networkoptions
    case SettingSpec::Type::Integer:
        return QString::number(qint64(spec.maximum) ==
                                       qint64(QString::fromLatin1(spec.defaultValue).toDouble())
                                   ? qint64(spec.minimum)
                                   : qint64(spec.maximum));
    case SettingSpec::Type::Decimal:
        return QStringLiteral("1.5");
    case SettingSpec::Type::Boolean:
        return QLatin1String(spec.defaultValue) == QLatin1String("true") ? QStringLiteral("false")
                                                                         : QStringLiteral("true");
    case SettingSpec::Type::Choice: {
        const QStringList choices = spec.choiceList();
        for (const QString &c : choices) {
            if (c != QLatin1String(spec.defaultValue))
                return c;
        }
        return {};
    }
    }
    return {};
}

} // namespace

void TestSettingsTable::rowsAreWellFormed()
{
    QStringList seen;
    for (const SettingSpec &s : SettingsTable::all()) {
        QVERIFY2(!seen.contains(s.name()), s.key);
        QVERIFY2(QString::fromLatin1(s.key).toUpper() == s.name(), s.key);
        QVERIFY2(*s.help, s.key);
        QCOMPARE(SettingsTable::find(s.name()), &s);
        if (s.defaultFrom)
            QVERIFY2(seen.contains(QLatin1String(s.defaultFrom)), s.key); // an earlier row
        // The default itself passes the row's check (or is empty).
        const QString def = SettingsTable::defaultText(s, QStringLiteral("/data"));
        if (!s.defaultFrom && !def.isEmpty()) {
            QString normalized, error;
            QVERIFY2(SettingsTable::check(s, def, &normalized, &error), qPrintable(error));
            QCOMPARE(normalized, def);
        }
        if (s.type == SettingSpec::Type::Integer || s.type == SettingSpec::Type::Decimal)
            QVERIFY2(s.minimum < s.maximum, s.key);
        if (s.type == SettingSpec::Type::Choice)
            QVERIFY2(s.choiceList().size() >= 2, s.key);
        seen << s.name();
    }
    QVERIFY(!SettingsTable::find(u"NO_SUCH_KEY"));
    QCOMPARE(AppConfig::knownKeys(), seen);
}

void TestSettingsTable::structDefaultsAreTheTables()
{
    AppConfig resolved;
    QString error;
    QVERIFY(AppConfig::resolve(emptyInputs(), &resolved, &error));
    const AppConfig plain;
    for (const SettingSpec &s : SettingsTable::all()) {
        if (QLatin1String(s.key) == QLatin1String("DATABASE_URL") ||
            QLatin1String(s.key) == QLatin1String("LOG_FILE")) // depend on the data dir
            continue;
        QVERIFY2(fieldText(plain, s) == fieldText(resolved, s), s.key);
        QCOMPARE(resolved.sources.value(s.name()), AppConfig::Source::Default);
    }
    QCOMPARE(resolved.databaseUrl, QStringLiteral("sqlite:////data/tsp-assistant.db"));
    QCOMPARE(resolved.logFile, QStringLiteral("/data/logs/tsp-assistant.log"));
}

void TestSettingsTable::everyKeyReachesItsField_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("source");
    for (const SettingSpec &s : SettingsTable::all()) {
        const QString v = sampleValue(s);
        if (v.isEmpty())
            continue;
        for (const auto source : {AppConfig::Source::CommandLine, AppConfig::Source::Environment,
                                  AppConfig::Source::EnvFile, AppConfig::Source::Saved}) {
            QTest::addRow("%s from %s", s.key, qPrintable(AppConfig::sourceName(source)))
                << s.name() << v << int(source);
        }
    }
}

void TestSettingsTable::everyKeyReachesItsField()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(int, source);
    const SettingSpec *spec = SettingsTable::find(key);
    QVERIFY(spec);
    AppConfig::Inputs in = emptyInputs();
    EnvFile env;
    switch (AppConfig::Source(source)) {
    case AppConfig::Source::CommandLine:
        in.commandLine.insert(key, value);
        break;
    case AppConfig::Source::Environment:
        in.environment.insert(key, value);
        break;
    case AppConfig::Source::EnvFile:
        env.parse((key + QLatin1Char('=') + value + QLatin1Char('\n')).toUtf8());
        in.envFile = &env;
        break;
    default:
        (spec->secret ? in.keychain : in.saved).insert(key, value);
        break;
    }
    AppConfig c;
    QString error;
    QVERIFY2(AppConfig::resolve(in, &c, &error), qPrintable(error));
    QVERIFY2(c.warnings.isEmpty(), qPrintable(c.warnings.join(u'\n')));
    QCOMPARE(fieldText(c, *spec), value);
    QCOMPARE(int(c.sources.value(key)), source);
    QVERIFY(fieldText(c, *spec) != fieldText(AppConfig(), *spec)); // the test value is not the default
}

void TestSettingsTable::invalidValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("fatal");
    QTest::newRow("level") << QStringLiteral("LOG_LEVEL") << QStringLiteral("LOUD") << true;
    QTest::newRow("domain") << QStringLiteral("FEISHU_DOMAIN") << QStringLiteral("ftp://x") << true;
    QTest::newRow("provider") << QStringLiteral("LLM_PROVIDER") << QStringLiteral("skynet") << true;
    QTest::newRow("proxy") << QStringLiteral("FEISHU_PROXY") << QStringLiteral("gopher://x:1") << true;
    QTest::newRow("ca file") << QStringLiteral("FEISHU_CA_FILE") << QStringLiteral("/no/such/ca.pem") << true;
    QTest::newRow("timeout text") << QStringLiteral("LLM_TIMEOUT_MS") << QStringLiteral("soon") << false;
    QTest::newRow("timeout low") << QStringLiteral("LLM_TIMEOUT_MS") << QStringLiteral("5") << false;
    QTest::newRow("retries high") << QStringLiteral("LLM_RETRIES") << QStringLiteral("11") << false;
    QTest::newRow("temperature") << QStringLiteral("LLM_TEMPERATURE") << QStringLiteral("2.5") << false;
    QTest::newRow("temperature nan") << QStringLiteral("LLM_TEMPERATURE") << QStringLiteral("nan") << false;
    QTest::newRow("stream") << QStringLiteral("LLM_STREAM") << QStringLiteral("maybe") << false;
    QTest::newRow("idle") << QStringLiteral("SESSION_IDLE_MINUTES") << QStringLiteral("0") << false;
    QTest::newRow("mode") << QStringLiteral("DEFAULT_MODE") << QStringLiteral("chaos") << false;
    QTest::newRow("dimensions") << QStringLiteral("EMBEDDING_DIMENSIONS") << QStringLiteral("-1") << false;
    QTest::newRow("history") << QStringLiteral("HISTORY_TURNS") << QStringLiteral("51") << false;
    QTest::newRow("language") << QStringLiteral("UI_LANGUAGE") << QStringLiteral("klingon") << false;
    QTest::newRow("minimized") << QStringLiteral("START_MINIMIZED") << QStringLiteral("sometimes") << false;
    QTest::newRow("draft timeout") << QStringLiteral("DRAFT_TIMEOUT_SECONDS") << QStringLiteral("-3")
                                   << false;
    QTest::newRow("draft policy") << QStringLiteral("DRAFT_TIMEOUT_POLICY") << QStringLiteral("ignore")
                                  << false;
}

void TestSettingsTable::invalidValues()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(bool, fatal);
    AppConfig::Inputs in = emptyInputs();
    in.environment.insert(key, value);
    AppConfig c;
    QString error;
    const bool ok = AppConfig::resolve(in, &c, &error);
    QCOMPARE(ok, !fatal);
    const QString message = fatal ? error : c.warnings.value(0);
    QVERIFY2(message.contains(key), qPrintable(message));
    QVERIFY2(message.contains(value), qPrintable(message)); // says what was given
    if (!fatal) {
        QCOMPARE(c.warnings.size(), 1);
        const SettingSpec *spec = SettingsTable::find(key);
        QCOMPARE(fieldText(c, *spec), fieldText(AppConfig(), *spec)); // the default
        QCOMPARE(c.sources.value(key), AppConfig::Source::Default);
    }
}

void TestSettingsTable::secretsAreNotReadFromSavedSettings()
{
    AppConfig::Inputs in = emptyInputs();
    in.saved.insert(QStringLiteral("LLM_API_KEY"), QStringLiteral("sk-plaintext-123"));
    AppConfig c;
    QString error;
    QVERIFY(AppConfig::resolve(in, &c, &error));
    QVERIFY(c.llmApiKey.isEmpty());
    QCOMPARE(c.warnings.size(), 1);
    QVERIFY(c.warnings.first().contains(QLatin1String("LLM_API_KEY")));
    QVERIFY(!c.warnings.first().contains(QLatin1String("sk-plaintext-123")));

    // A secret's bad value is never repeated in a message.
    const SettingSpec *secret = SettingsTable::find(u"FEISHU_APP_SECRET");
    QVERIFY(secret && secret->secret);
}

void TestSettingsTable::unknownKeysAreReported()
{
    EnvFile env;
    env.parse("LLM_TIMEOUT=500\nLLM_TIMEOUT_MS=500\nEMBEDDING_DIMS=3\nPATH_LIKE=1\n");
    AppConfig::Inputs in = emptyInputs();
    in.envFile = &env;
    in.saved.insert(QStringLiteral("NOT_A_KEY"), QStringLiteral("1"));
    AppConfig c;
    QString error;
    QVERIFY(AppConfig::resolve(in, &c, &error));
    QCOMPARE(c.llmTimeoutMs, 500);
    const QString all = c.warnings.join(u'\n');
    QCOMPARE(c.warnings.size(), 3);
    QVERIFY(all.contains(QLatin1String("LLM_TIMEOUT ")));
    QVERIFY(all.contains(QLatin1String("EMBEDDING_DIMS")));
    QVERIFY(all.contains(QLatin1String("NOT_A_KEY")));
    QVERIFY(!all.contains(QLatin1String("PATH_LIKE"))); // not one of ours: none of our business
}

void TestSettingsTable::helpListsEveryKey()
{
    const QString help = SettingsTable::helpText();
    for (const SettingSpec &s : SettingsTable::all()) {
        QVERIFY2(help.contains(QLatin1String("  ") + s.name()), s.key);
        QVERIFY2(help.contains(QString::fromUtf8(s.help)), s.key);
    }
    for (const auto g : SettingsTable::groups()) {
        bool used = false;
        for (const SettingSpec &s : SettingsTable::all())
            used = used || s.group == g;
        QCOMPARE(help.contains(SettingsTable::groupName(g) + QLatin1Char(':')), used);
    }
    QVERIFY(help.contains(QLatin1String("a whole number from 100 to 3600000")));
}

QTEST_GUILESS_MAIN(TestSettingsTable)
#include "tst_settingstable.moc"

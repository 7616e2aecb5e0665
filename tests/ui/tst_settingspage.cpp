// The settings page generated from the settings table: validation as you type, defaults and
// sources, Apply (saved settings, secrets to SecretStore, the applied() signal), start at login
// (the XDG autostart entry), export and import without secrets. With TSP_SCREENSHOT_DIR set, each
// tab is saved as a PNG (TSP_QM_FILE: a translation).
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include "config/autostart.h"
#include "config/savedsettings.h"
#include "config/secretstore.h"
#include "config/settingstable.h"
#include "settings/settingspage.h"

class TestSettingsPage final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everyTableKeyHasAField();
    void validatesAsYouType();
    void showsDefaultAndSource();
    void applySavesAndSignals();
    void invalidValueBlocksApply();
    void startAtLogin();
    void exportImportWithoutSecrets();
    void screenshots();

private:
    QTemporaryDir m_home;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SavedSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<SettingsPage> m_page;
};

void TestSettingsPage::initTestCase()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tsp-no-bus");
    qunsetenv("DISPLAY");
    // The autostart entry goes below a private config home, never the real one.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    QVERIFY(Autostart::entryPath().startsWith(m_home.path()));
    // TSP_QM_FILE: translations to load, separated by ':' (ours and Qt's qtbase_*.qm).
    const QStringList qms = qEnvironmentVariable("TSP_QM_FILE").split(QLatin1Char(':'), Qt::SkipEmptyParts);
    for (const QString &qm : qms) {
        auto *t = new QTranslator(this);
        QVERIFY2(t->load(qm), qPrintable(qm));
        QCoreApplication::installTranslator(t);
    }
}

void TestSettingsPage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<SavedSettings>(m_dir->path());
    m_secrets = std::make_unique<SecretStore>(m_dir->path(), QStringLiteral("tsp-test-settingspage"));
    m_secrets->chooseStorage(SecretStore::Storage::AskAtStart); // no keychain in this test
    m_page = std::make_unique<SettingsPage>(m_settings.get(), m_secrets.get());
    m_page->resize(1000, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestSettingsPage::cleanup()
{
    m_page.reset();
    m_secrets.reset();
    m_settings.reset();
    QFile::remove(Autostart::entryPath());
}

void TestSettingsPage::everyTableKeyHasAField()
{
    for (const SettingSpec &spec : SettingsTable::all()) {
        auto *w = m_page->findChild<QWidget *>(spec.name());
        QVERIFY2(w, spec.key);
        QCOMPARE(w->accessibleName(), spec.name());
        QVERIFY2(!m_page->sourceText(spec.name()).isEmpty(), spec.key);
    }
    auto *tabs = m_page->findChild<QTabWidget *>(QStringLiteral("settingsTabs"));
    QCOMPARE(tabs->count(), int(SettingsTable::groups().size()));
}

void TestSettingsPage::validatesAsYouType()
{
    m_page->setText(QStringLiteral("SESSION_IDLE_MINUTES"), QStringLiteral("abc"));
    QVERIFY(!m_page->problem(QStringLiteral("SESSION_IDLE_MINUTES")).isEmpty());
    m_page->setText(QStringLiteral("SESSION_IDLE_MINUTES"), QStringLiteral("45"));
    QCOMPARE(m_page->problem(QStringLiteral("SESSION_IDLE_MINUTES")), QString());
    m_page->setText(QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("ftp://x"));
    QVERIFY(!m_page->problem(QStringLiteral("FEISHU_DOMAIN")).isEmpty());
    m_page->setText(QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("lark"));
    QCOMPARE(m_page->problem(QStringLiteral("FEISHU_DOMAIN")), QString());
    m_page->setText(QStringLiteral("FEISHU_PROXY"), QStringLiteral("gopher://nope"));
    QVERIFY(!m_page->problem(QStringLiteral("FEISHU_PROXY")).isEmpty());
    m_page->setText(QStringLiteral("FEISHU_PROXY"), QString()); // empty = the default
    QCOMPARE(m_page->problem(QStringLiteral("FEISHU_PROXY")), QString());
}

void TestSettingsPage::showsDefaultAndSource()
{
    m_page->setEffective({{QStringLiteral("LOG_LEVEL"), QStringLiteral("DEBUG")},
                          {QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("https://open.larksuite.com")}},
                         {{QStringLiteral("LOG_LEVEL"), AppConfig::Source::Environment},
                          {QStringLiteral("FEISHU_DOMAIN"), AppConfig::Source::EnvFile},
                          {QStringLiteral("SESSION_IDLE_MINUTES"), AppConfig::Source::Default}},
                         m_dir->path());
    QVERIFY(m_page->sourceText(QStringLiteral("LOG_LEVEL")).contains(QLatin1String("From: environment")));
    QVERIFY(m_page->sourceText(QStringLiteral("LOG_LEVEL")).contains(QLatin1String("Default: INFO")));
    QVERIFY(m_page->sourceText(QStringLiteral("FEISHU_DOMAIN")).contains(QLatin1String("From: .env")));
    QVERIFY(
        m_page->sourceText(QStringLiteral("SESSION_IDLE_MINUTES")).contains(QLatin1String("From: default")));
    QCOMPARE(m_page->text(QStringLiteral("LOG_LEVEL")), QStringLiteral("DEBUG"));
    QCOMPARE(m_page->text(QStringLiteral("FEISHU_DOMAIN")), QStringLiteral("https://open.larksuite.com"));
}

void TestSettingsPage::applySavesAndSignals()
{
    QSignalSpy applied(m_page.get(), &SettingsPage::applied);
    QSignalSpy secretWritten(m_secrets.get(), &SecretStore::secretWritten);
    m_page->setText(QStringLiteral("SESSION_IDLE_MINUTES"), QStringLiteral("45"));
    m_page->setText(QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("lark"));
    m_page->setText(QStringLiteral("LLM_API_KEY"), QStringLiteral("sk-typed-in-settings"));
    QVERIFY(m_page->isModified());
    QVERIFY(m_page->apply());
    QCOMPARE(applied.count(), 1);
    const auto changed = applied.first().at(0).value<QHash<QString, QString>>();
    QCOMPARE(changed.size(), 3);
    QCOMPARE(changed.value(QStringLiteral("FEISHU_DOMAIN")), QStringLiteral("https://open.larksuite.com"));
    QCOMPARE(changed.value(QStringLiteral("LLM_API_KEY")), QStringLiteral("sk-typed-in-settings"));
    QCOMPARE(m_settings->value(QStringLiteral("SESSION_IDLE_MINUTES")), QStringLiteral("45"));
    QCOMPARE(m_settings->value(QStringLiteral("FEISHU_DOMAIN")),
             QStringLiteral("https://open.larksuite.com"));
    QTRY_COMPARE(secretWritten.count(), 1);
    QFile ini(m_settings->filePath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("sk-typed-in-settings"));
    QVERIFY(
        m_page->sourceText(QStringLiteral("SESSION_IDLE_MINUTES")).contains(QLatin1String("From: saved")));
    QVERIFY(!m_page->isModified());
    // A second Apply without changes says so and emits nothing.
    QVERIFY(m_page->apply());
    QCOMPARE(applied.count(), 1);
}

void TestSettingsPage::invalidValueBlocksApply()
{
    QSignalSpy applied(m_page.get(), &SettingsPage::applied);
    m_page->setText(QStringLiteral("LOG_LEVEL"), QStringLiteral("DEBUG"));
    m_page->setText(QStringLiteral("SESSION_IDLE_MINUTES"), QStringLiteral("-3"));
    QVERIFY(!m_page->apply());
    QCOMPARE(applied.count(), 0);
    QVERIFY(!m_settings->contains(QStringLiteral("LOG_LEVEL"))); // all or nothing
    QVERIFY(m_page->findChild<QLabel *>(QStringLiteral("statusLabel"))
                ->text()
                .contains(QLatin1String("SESSION_IDLE_MINUTES")));
}

void TestSettingsPage::startAtLogin()
{
    auto *check = m_page->findChild<QCheckBox *>(QStringLiteral("startAtLoginCheck"));
    QVERIFY(check);
    QVERIFY(!check->isChecked());
    check->setChecked(true);
    QVERIFY(m_page->apply());
    QFile entry(Autostart::entryPath());
    QVERIFY(entry.open(QIODevice::ReadOnly));
    const QByteArray text = entry.readAll();
    QVERIFY(text.startsWith("[Desktop Entry]\n"));
    QVERIFY(text.contains(QByteArray("Exec=" + QFile::encodeName(QCoreApplication::applicationFilePath()))));
    entry.close();
    check->setChecked(false);
    QVERIFY(m_page->apply());
    QVERIFY(!QFile::exists(Autostart::entryPath()));
}

void TestSettingsPage::exportImportWithoutSecrets()
{
    m_page->setText(QStringLiteral("LOG_LEVEL"), QStringLiteral("WARNING"));
    m_page->setText(QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("exported-never"));
    QVERIFY(m_page->apply());
    const QString path = m_dir->filePath(QStringLiteral("out.env"));
    QString error;
    QVERIFY2(m_page->exportSettings(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.contains("LOG_LEVEL=\"WARNING\""));
    QVERIFY(!bytes.contains("exported-never"));
    QVERIFY(!bytes.contains("FEISHU_APP_SECRET"));

    // On a second workstation: import fills the fields, Apply saves them.
    QTemporaryDir other;
    SavedSettings otherSettings(other.path());
    SecretStore otherSecrets(other.path(), QStringLiteral("tsp-test-settingspage-2"));
    otherSecrets.chooseStorage(SecretStore::Storage::AskAtStart);
    SettingsPage second(&otherSettings, &otherSecrets);
    QVERIFY(second.importSettings(path, &error));
    QCOMPARE(second.text(QStringLiteral("LOG_LEVEL")), QStringLiteral("WARNING"));
    QVERIFY(!otherSettings.contains(QStringLiteral("LOG_LEVEL")));
    QVERIFY(second.apply());
    QCOMPARE(otherSettings.value(QStringLiteral("LOG_LEVEL")), QStringLiteral("WARNING"));
}

void TestSettingsPage::screenshots()
{
    const QString dir = qEnvironmentVariable("TSP_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("TSP_SCREENSHOT_DIR not set");
    QVERIFY(QDir().mkpath(dir));
    const QString lang = qEnvironmentVariable("TSP_SCREENSHOT_LANG", QStringLiteral("en"));
    m_secrets->chooseStorage(SecretStore::Storage::File); // shows the less-secure banner
    m_page->setEffective({{QStringLiteral("LOG_LEVEL"), QStringLiteral("INFO")},
                          {QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_a1b2c3d4e5f60718")}},
                         {{QStringLiteral("FEISHU_APP_ID"), AppConfig::Source::EnvFile},
                          {QStringLiteral("LOG_LEVEL"), AppConfig::Source::Saved}},
                         QStringLiteral("/home/operator/.local/share/tsp-assistant"));
    m_page->setText(QStringLiteral("SESSION_IDLE_MINUTES"), QStringLiteral("abc"));
    m_page->resize(1280, 800);
    auto *tabs = m_page->findChild<QTabWidget *>(QStringLiteral("settingsTabs"));
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(50);
        QVERIFY(m_page->grab().save(
            QDir(dir).filePath(QStringLiteral("settings-%1-%2.png").arg(i + 1).arg(lang))));
    }
}

QTEST_MAIN(TestSettingsPage)
#include "tst_settingspage.moc"

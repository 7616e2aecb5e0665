// The console's start-up (ConsoleRunner, offscreen, against FeishuSandbox on 127.0.0.1) with an
// empty or prepared config dir: no configuration opens the first-run wizard and its Finish starts
// a bot that connects; a saved configuration takes its App Secret from the secret store (here the
// explicit 0600-file choice, shown as "less secure" in the status bar) without a wizard; the
// ask-at-every-start choice asks for the secret, then connects. The Settings page is in the window.
// The keychain itself is covered by tst_keychain and the AT-SPI wizard run (e2e_wizard_atspi).
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "config/savedsettings.h"
#include "config/secretstore.h"
#include "consolerunner.h"
#include "mainwindow.h"
#include "sandbox/feishusandbox.h"
#include "settings/firstrunwizard.h"
#include "settings/secretprompt.h"
#include "settings/settingspage.h"

class TestConsoleStartup final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void noConfigurationOpensTheWizardAndTheBotConnects();
    void savedConfigurationTakesTheSecretFromTheStore();
    void askAtStartAsksThenConnects();
    void noKeychainAsksBeforeWriting_data();
    void noKeychainAsksBeforeWriting();
    void noKeychainQuitExitsWithUsage();

private:
    template<typename T> static T *topLevel()
    {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *t = qobject_cast<T *>(w); t && t->isVisible())
                return t;
        }
        return nullptr;
    }
    QString configDir() const { return SecretStore::defaultConfigDir(); }
    void saveSandboxSettings();
    std::unique_ptr<ConsoleRunner> startRunner();
    QMessageBox *waitForStorageQuestion();
    static QPushButton *buttonNamed(QWidget *parent, const QString &accessibleName);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FeishuSandbox> m_sandbox;
};

void TestConsoleStartup::initTestCase()
{
    // The config dir is named after the application, as in the console.
    QCoreApplication::setApplicationName(QStringLiteral("tsp-assistant"));
    // No Secret Service: the secret store works only through the explicit choices.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tsp-no-bus");
    qunsetenv("DISPLAY");
    for (const char *key :
         {"FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_DOMAIN", "LLM_PROVIDER", "LLM_API_KEY"})
        qunsetenv(key);
}

void TestConsoleStartup::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir->filePath(QStringLiteral("config"))));
    QCOMPARE(configDir(), m_dir->filePath(QStringLiteral("config/tsp-assistant")));
    QVERIFY(QDir::setCurrent(m_dir->path())); // no ./.env
    m_sandbox = std::make_unique<FeishuSandbox>();
    QVERIFY(m_sandbox->start());
}

void TestConsoleStartup::cleanup()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (qobject_cast<QDialog *>(w))
            w->close();
    }
    m_sandbox.reset();
    m_dir.reset();
}

void TestConsoleStartup::saveSandboxSettings()
{
    SavedSettings saved(configDir());
    QVERIFY(saved.setValues({{QStringLiteral("FEISHU_APP_ID"), m_sandbox->options().appId},
                             {QStringLiteral("FEISHU_DOMAIN"), m_sandbox->baseUrl().toString()},
                             {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")},
                             {QStringLiteral("LLM_PROVIDER"), QStringLiteral("none")}}));
}

std::unique_ptr<ConsoleRunner> TestConsoleStartup::startRunner()
{
    const CommandLine cl =
        CommandLine::parse({QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("data"))});
    auto runner = std::make_unique<ConsoleRunner>(cl);
    const int early = runner->start();
    if (early >= 0)
        qWarning("the runner quit at once with %d", early);
    return early >= 0 ? nullptr : std::move(runner);
}

void TestConsoleStartup::noConfigurationOpensTheWizardAndTheBotConnects()
{
    // The 0600 file, chosen beforehand (the wizard's own no-keychain choice is in tst_firstrunwizard).
    SecretStore(configDir()).chooseStorage(SecretStore::Storage::File);
    auto runner = startRunner();
    QVERIFY(runner);
    FirstRunWizard *wizard = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((wizard = topLevel<FirstRunWizard>()) != nullptr, 10000);
    QVERIFY(!topLevel<MainWindow>()); // no window and no bot before the setup
    QCOMPARE(m_sandbox->totalConnections(), 0);

    wizard->next(); // past the .env import
    wizard->findChild<QLineEdit *>(QStringLiteral("appIdEdit"))->setText(m_sandbox->options().appId);
    wizard->findChild<QLineEdit *>(QStringLiteral("appSecretEdit"))->setText(m_sandbox->options().appSecret);
    auto *domain = wizard->findChild<QComboBox *>(QStringLiteral("domainCombo"));
    domain->setCurrentIndex(domain->count() - 1); // custom
    wizard->findChild<QLineEdit *>(QStringLiteral("customDomainEdit"))
        ->setText(m_sandbox->baseUrl().toString());
    wizard->next();
    wizard->next(); // the checklist
    auto *provider = wizard->findChild<QComboBox *>(QStringLiteral("providerCombo"));
    provider->setCurrentIndex(provider->findData(QStringLiteral("none")));
    wizard->next();
    QCOMPARE(wizard->currentId(), int(FirstRunWizard::SummaryPage));
    wizard->accept();

    QTRY_VERIFY_WITH_TIMEOUT(topLevel<MainWindow>() != nullptr, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 1, 15000);
    QCOMPARE(runner->config().appSecret, m_sandbox->options().appSecret);
    QCOMPARE(runner->config().sources.value(QStringLiteral("FEISHU_APP_ID")), AppConfig::Source::Saved);
    // Saved for the next start; the secret only in the chosen 0600 file, never in the settings.
    QCOMPARE(SavedSettings(configDir()).value(QStringLiteral("FEISHU_APP_ID")), m_sandbox->options().appId);
    QFile ini(SavedSettings(configDir()).filePath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains(m_sandbox->options().appSecret.toUtf8()));
    QFile secrets(SecretStore(configDir()).fallbackFilePath());
    QCOMPARE(secrets.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    // The Settings page is in the window, and the status bar says the secrets are less secure.
    auto *window = topLevel<MainWindow>();
    QVERIFY(qobject_cast<SettingsPage *>(window->page(MainWindow::Page::Settings)));
    auto *lessSecure = window->findChild<QLabel *>(QStringLiteral("lessSecureLabel"));
    QVERIFY(lessSecure && lessSecure->isVisible());
}

void TestConsoleStartup::savedConfigurationTakesTheSecretFromTheStore()
{
    saveSandboxSettings();
    {
        SecretStore store(configDir());
        store.chooseStorage(SecretStore::Storage::File);
        QSignalSpy written(&store, &SecretStore::secretWritten);
        store.write(QStringLiteral("FEISHU_APP_SECRET"), m_sandbox->options().appSecret);
        QTRY_COMPARE(written.size(), 1);
    }
    auto runner = startRunner();
    QVERIFY(runner);
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 1, 15000);
    QVERIFY(!topLevel<FirstRunWizard>());
    QVERIFY(!topLevel<SecretPrompt>());
    QCOMPARE(runner->config().appSecret, m_sandbox->options().appSecret);
    QCOMPARE(runner->config().sources.value(QStringLiteral("FEISHU_APP_SECRET")), AppConfig::Source::Saved);
}

void TestConsoleStartup::askAtStartAsksThenConnects()
{
    saveSandboxSettings();
    SecretStore(configDir()).chooseStorage(SecretStore::Storage::AskAtStart);
    auto runner = startRunner();
    QVERIFY(runner);
    SecretPrompt *prompt = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((prompt = topLevel<SecretPrompt>()) != nullptr, 10000);
    QCOMPARE(m_sandbox->totalConnections(), 0); // nothing without the secret
    prompt->findChild<QLineEdit *>(QStringLiteral("FEISHU_APP_SECRET"))
        ->setText(m_sandbox->options().appSecret);
    prompt->accept();
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 1, 15000);
    // Asked, not stored: no secrets file.
    QVERIFY(!QFileInfo::exists(SecretStore(configDir()).fallbackFilePath()));
}

QMessageBox *TestConsoleStartup::waitForStorageQuestion()
{
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor([&box] { return (box = topLevel<QMessageBox>()) != nullptr; }, 15000))
        return nullptr;
    return box;
}

QPushButton *TestConsoleStartup::buttonNamed(QWidget *parent, const QString &accessibleName)
{
    for (QPushButton *b : parent->findChildren<QPushButton *>()) {
        if (b->accessibleName() == accessibleName)
            return b;
    }
    return nullptr;
}

void TestConsoleStartup::noKeychainAsksBeforeWriting_data()
{
    QTest::addColumn<bool>("chooseFile");
    QTest::newRow("a file only I can read") << true;
    QTest::newRow("ask at every start") << false;
}

// A saved configuration, no secret given anywhere, and no Secret Service: the console says so and
// asks; nothing is written until the operator chooses.
void TestConsoleStartup::noKeychainAsksBeforeWriting()
{
    QFETCH(bool, chooseFile);
    saveSandboxSettings();
    const QString secretsFile = SecretStore(configDir()).fallbackFilePath();
    auto runner = startRunner();
    QVERIFY(runner);
    QMessageBox *box = waitForStorageQuestion();
    QVERIFY(box);
    // The refusal is explicit, in plain words, with the three ways on.
    QVERIFY2(box->text().contains(QStringLiteral("keychain")), qPrintable(box->text()));
    QVERIFY(box->informativeText().contains(QStringLiteral("Nothing is written until you choose")));
    QPushButton *file = buttonNamed(box, QStringLiteral("Keep secrets in a file only I can read"));
    QPushButton *ask = buttonNamed(box, QStringLiteral("Do not store secrets; ask at every start"));
    QVERIFY(file && ask && buttonNamed(box, QStringLiteral("Quit")));
    // Nothing written yet, no prompt, no bot.
    QVERIFY(!QFileInfo::exists(secretsFile));
    QVERIFY(!topLevel<SecretPrompt>());
    QCOMPARE(m_sandbox->totalConnections(), 0);
    QCOMPARE(SecretStore(configDir()).storage(), SecretStore::Storage::Keychain);

    QTest::mouseClick(chooseFile ? file : ask, Qt::LeftButton);
    // Nothing is stored yet, so the console asks for the App Secret.
    SecretPrompt *prompt = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((prompt = topLevel<SecretPrompt>()) != nullptr, 10000);
    QVERIFY(!topLevel<QMessageBox>());
    QCOMPARE(m_sandbox->totalConnections(), 0);
    // The choice itself is kept for the next start; the secrets file does not exist until a
    // secret is written to it.
    QCOMPARE(SecretStore(configDir()).storage(),
             chooseFile ? SecretStore::Storage::File : SecretStore::Storage::AskAtStart);
    QVERIFY(!QFileInfo::exists(secretsFile));

    prompt->findChild<QLineEdit *>(QStringLiteral("FEISHU_APP_SECRET"))
        ->setText(m_sandbox->options().appSecret);
    prompt->accept();
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 1, 15000);
    QCOMPARE(runner->config().appSecret, m_sandbox->options().appSecret);
    if (chooseFile) {
        // The secret went to the chosen file, readable by this user only.
        QTRY_VERIFY(QFileInfo::exists(secretsFile));
        QFile f(secretsFile);
        QCOMPARE(f.permissions() & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ReadOwner |
                                     QFileDevice::WriteOwner),
                 QFileDevice::Permissions());
        SecretStore store(configDir());
        QSignalSpy loaded(&store, &SecretStore::secretRead);
        store.read(QStringLiteral("FEISHU_APP_SECRET"));
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(loaded.at(0).at(1).toString(), m_sandbox->options().appSecret);
    } else {
        // Asked, not stored.
        QVERIFY(!QFileInfo::exists(secretsFile));
    }
}

void TestConsoleStartup::noKeychainQuitExitsWithUsage()
{
    saveSandboxSettings();
    auto runner = startRunner();
    QVERIFY(runner);
    QMessageBox *box = waitForStorageQuestion();
    QVERIFY(box);
    QPushButton *quit = buttonNamed(box, QStringLiteral("Quit"));
    QVERIFY(quit);
    // The runner ends the event loop with its exit code; a loop of our own receives it.
    QEventLoop loop;
    QTimer::singleShot(0, quit, [quit] { QTest::mouseClick(quit, Qt::LeftButton); });
    QTimer::singleShot(30000, &loop, [&loop] { loop.exit(-100); }); // a hang fails, not blocks
    QCOMPARE(loop.exec(), 2);
    QCOMPARE(m_sandbox->totalConnections(), 0);
    QVERIFY(!QFileInfo::exists(SecretStore(configDir()).fallbackFilePath()));
    QCOMPARE(SecretStore(configDir()).storage(), SecretStore::Storage::Keychain);
}

QTEST_MAIN(TestConsoleStartup)
#include "tst_consolestartup.moc"

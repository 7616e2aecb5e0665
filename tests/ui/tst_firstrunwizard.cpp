// The first-run wizard driven like a user would (offscreen): a .env import, the Feishu test against
// the sandbox with a good and a bad secret, the LLM test against the stand-in, the summary, and
// Finish (through the explicit "no keychain" choice), after which the saved values connect a bot.
// With TSP_SCREENSHOT_DIR set, every page is also saved as a PNG (TSP_QM_FILE: a translation).
#include <sys/stat.h>

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include "assistant/llmclient.h"
#include "config/savedsettings.h"
#include "config/secretstore.h"
#include "feishu/longconnection.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "settings/firstrunwizard.h"

class TestFirstRunWizard final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void accessibleNames();
    void importsEnvWithSecretsMasked();
    void feishuTestGoodAndBadSecret();
    void feishuTestLongConnectionRefused();
    void llmPresetsAndTest();
    void noLlmIsValid();
    void summaryFinishAndConnect();
    void screenshots();

private:
    template<typename T> T *find(const char *name) const
    {
        T *w = m_wizard->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no widget %s", name);
        return w;
    }
    void fillFeishu(const QString &secret);
    QString writeEnv(const QByteArray &contents);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FeishuSandbox> m_sandbox;
    std::unique_ptr<LlmStandIn> m_llm;
    std::unique_ptr<SavedSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<FirstRunWizard> m_wizard;
};

void TestFirstRunWizard::initTestCase()
{
    // No Secret Service in this test: Finish must go through the explicit choice.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tsp-no-bus");
    qunsetenv("DISPLAY");
    // TSP_QM_FILE: translations to load, separated by ':' (ours and Qt's qtbase_*.qm).
    const QStringList qms = qEnvironmentVariable("TSP_QM_FILE").split(QLatin1Char(':'), Qt::SkipEmptyParts);
    for (const QString &qm : qms) {
        auto *t = new QTranslator(this);
        QVERIFY2(t->load(qm), qPrintable(qm));
        QCoreApplication::installTranslator(t);
    }
}

void TestFirstRunWizard::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_sandbox = std::make_unique<FeishuSandbox>();
    QVERIFY(m_sandbox->start());
    m_llm = std::make_unique<LlmStandIn>();
    QVERIFY(m_llm->start());
    m_llm->setRequiredApiKey(QStringLiteral("sk-standin-good-key"));
    m_settings = std::make_unique<SavedSettings>(m_dir->path());
    m_secrets = std::make_unique<SecretStore>(m_dir->path(), QStringLiteral("tsp-test-wizard"));
    m_wizard = std::make_unique<FirstRunWizard>(m_settings.get(), m_secrets.get());
    m_wizard->resize(820, 600);
    m_wizard->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_wizard.get()));
}

void TestFirstRunWizard::cleanup()
{
    m_wizard.reset();
    m_secrets.reset();
    m_settings.reset();
    m_llm.reset();
    m_sandbox.reset();
}

QString TestFirstRunWizard::writeEnv(const QByteArray &contents)
{
    const QString path = m_dir->filePath(QStringLiteral("python.env"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(contents) != contents.size())
        return {};
    return path;
}

void TestFirstRunWizard::fillFeishu(const QString &secret)
{
    find<QLineEdit>("appIdEdit")->setText(m_sandbox->options().appId);
    find<QLineEdit>("appSecretEdit")->setText(secret);
    find<QComboBox>("domainCombo")->setCurrentIndex(2);
    find<QLineEdit>("customDomainEdit")->setText(m_sandbox->baseUrl().toString());
}

void TestFirstRunWizard::accessibleNames()
{
    QStringList names;
    for (QWidget *w : m_wizard->findChildren<QWidget *>())
        names << w->accessibleName();
    for (const char *expected : {"App ID", "App Secret", "Domain", "LLM provider", "API key", "Base URL",
                                 "Model", "Test connection", "Finish"})
        QVERIFY2(names.contains(QLatin1String(expected)), expected);
    QCOMPARE(names.count(QStringLiteral("Test connection")), 2); // Feishu and LLM
    QCOMPARE(m_wizard->button(QWizard::FinishButton)->accessibleName(), QStringLiteral("Finish"));
}

void TestFirstRunWizard::importsEnvWithSecretsMasked()
{
    const QByteArray secret = "python-system-app-secret-42";
    const QString path = writeEnv("# the Python system's .env\n"
                                  "FEISHU_APP_ID=cli_a1b2c3d4e5f60718\n"
                                  "FEISHU_APP_SECRET=" +
                                  secret +
                                  "\n"
                                  "FEISHU_DOMAIN=http://127.0.0.1:9/\n"
                                  "LLM_PROVIDER=deepseek\n"
                                  "LLM_API_KEY='sk-deepseek-secret-key'\n"
                                  "LOG_LEVEL=DEBUG\n");
    QVERIFY(!path.isEmpty());
    QSignalSpy imported(m_wizard.get(), &FirstRunWizard::envImported);
    QVERIFY(m_wizard->importEnvFile(path));
    QCOMPARE(imported.count(), 1);
    QCOMPARE(imported.first().at(0).toStringList().size(), 6);

    auto *table = find<QTableWidget>("envTable");
    QVERIFY(table->isVisible());
    QCOMPARE(table->rowCount(), 6);
    bool sawMaskedSecret = false;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString key = table->item(row, 0)->text();
        const QString shown = table->item(row, 1)->text();
        QVERIFY2(!shown.contains(QLatin1String(secret)) &&
                     !shown.contains(QLatin1String("sk-deepseek-secret-key")),
                 qPrintable(key + QLatin1String(" shows a secret: ") + shown));
        if (key == QLatin1String("FEISHU_APP_SECRET")) {
            QVERIFY(shown.contains(QChar(0x2022)));
            sawMaskedSecret = true;
        }
        if (key == QLatin1String("LOG_LEVEL"))
            QCOMPARE(shown, QStringLiteral("DEBUG")); // not a secret: shown as is
    }
    QVERIFY(sawMaskedSecret);

    // The pages are filled from the file.
    QCOMPARE(find<QLineEdit>("appIdEdit")->text(), QStringLiteral("cli_a1b2c3d4e5f60718"));
    QCOMPARE(find<QLineEdit>("appSecretEdit")->text(), QString::fromLatin1(secret));
    QCOMPARE(find<QComboBox>("domainCombo")->currentIndex(), 2);
    QCOMPARE(find<QLineEdit>("customDomainEdit")->text(), QStringLiteral("http://127.0.0.1:9"));
    QCOMPARE(find<QComboBox>("providerCombo")->currentData().toString(), QStringLiteral("deepseek"));
    QCOMPARE(find<QLineEdit>("baseUrlEdit")->text(), LlmConfig::presetBaseUrl(LlmConfig::Provider::DeepSeek));
    QCOMPARE(find<QLineEdit>("apiKeyEdit")->text(), QStringLiteral("sk-deepseek-secret-key"));
    QCOMPARE(m_wizard->values().value(QStringLiteral("LOG_LEVEL")), QStringLiteral("DEBUG"));

    // A file that cannot be read says so and changes nothing.
    QVERIFY(!m_wizard->importEnvFile(m_dir->filePath(QStringLiteral("missing.env"))));
    QVERIFY(find<QLabel>("envStatusLabel")->text().contains(QLatin1String("missing.env")));
    QCOMPARE(find<QLineEdit>("appIdEdit")->text(), QStringLiteral("cli_a1b2c3d4e5f60718"));
}

void TestFirstRunWizard::feishuTestGoodAndBadSecret()
{
    QSignalSpy tested(m_wizard.get(), &FirstRunWizard::feishuTestFinished);
    auto *button = find<QPushButton>("feishuTestButton");
    auto *result = find<QLabel>("feishuResultLabel");

    fillFeishu(m_sandbox->options().appSecret);
    const int tokensBefore = m_sandbox->tokenRequests();
    button->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
    QVERIFY2(tested.first().at(0).toBool(), qPrintable(result->text()));
    QVERIFY(result->text().startsWith(QLatin1String("Working")));
    QCOMPARE(m_sandbox->tokenRequests(), tokensBefore + 1);
    QCOMPARE(m_sandbox->bootstrapCount(), 1);
    QCOMPARE(m_sandbox->totalConnections(), 0); // the test never dials the WebSocket

    find<QLineEdit>("appSecretEdit")->setText(QStringLiteral("not-the-secret"));
    button->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 20000);
    QVERIFY(!tested.at(1).at(0).toBool());
    const QString text = result->text();
    QVERIFY2(text.contains(QLatin1String("10014")), qPrintable(text));               // the platform's code
    QVERIFY2(text.contains(QLatin1String("App Secret is wrong")), qPrintable(text)); // in words
    QVERIFY2(text.contains(QLatin1String("What to do")), qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("not-the-secret")));
    QCOMPARE(m_sandbox->bootstrapCount(), 1); // wrong credentials stop at the token step
}

void TestFirstRunWizard::feishuTestLongConnectionRefused()
{
    QSignalSpy tested(m_wizard.get(), &FirstRunWizard::feishuTestFinished);
    fillFeishu(m_sandbox->options().appSecret);
    m_sandbox->setBootstrapFault(1000040351, QStringLiteral("long connection is not enabled for this app"));
    find<QPushButton>("feishuTestButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
    QVERIFY(!tested.first().at(0).toBool());
    const QString text = find<QLabel>("feishuResultLabel")->text();
    QVERIFY2(text.contains(QLatin1String("1000040351")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("使用长连接接收事件")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("long connection is not enabled")), qPrintable(text));

    // A domain that is not a URL is refused before any request.
    find<QLineEdit>("customDomainEdit")->setText(QStringLiteral("not a url"));
    find<QPushButton>("feishuTestButton")->click();
    QTRY_COMPARE(tested.count(), 2);
    QVERIFY(!tested.at(1).at(0).toBool());
    QCOMPARE(m_sandbox->bootstrapCount(), 1);
}

void TestFirstRunWizard::llmPresetsAndTest()
{
    auto *provider = find<QComboBox>("providerCombo");
    auto *baseUrl = find<QLineEdit>("baseUrlEdit");
    auto *model = find<QLineEdit>("modelEdit");
    auto *key = find<QLineEdit>("apiKeyEdit");
    provider->setCurrentIndex(provider->findData(QStringLiteral("qwen")));
    QCOMPARE(baseUrl->text(), LlmConfig::presetBaseUrl(LlmConfig::Provider::Qwen));
    QCOMPARE(model->text(), LlmConfig::presetModel(LlmConfig::Provider::Qwen));
    provider->setCurrentIndex(provider->findData(QStringLiteral("ollama")));
    QCOMPARE(baseUrl->text(), LlmConfig::presetBaseUrl(LlmConfig::Provider::Ollama));
    QCOMPARE(model->text(), LlmConfig::presetModel(LlmConfig::Provider::Ollama));

    provider->setCurrentIndex(provider->findData(QStringLiteral("custom")));
    baseUrl->setText(m_llm->baseUrl());
    model->setText(m_llm->model());
    key->setText(QStringLiteral("sk-standin-good-key"));
    QSignalSpy tested(m_wizard.get(), &FirstRunWizard::llmTestFinished);
    find<QPushButton>("llmTestButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 30000);
    const QString ok = find<QLabel>("llmResultLabel")->text();
    QVERIFY2(tested.first().at(0).toBool(), qPrintable(ok));
    QVERIFY2(ok.contains(QLatin1String(" ms")) && ok.contains(m_llm->model()), qPrintable(ok));
    QCOMPARE(m_llm->requestCount(), 1);
    QCOMPARE(m_llm->lastAuthorization(), QByteArray("Bearer sk-standin-good-key"));

    key->setText(QStringLiteral("sk-wrong"));
    find<QPushButton>("llmTestButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 30000);
    QVERIFY(!tested.at(1).at(0).toBool());
    const QString bad = find<QLabel>("llmResultLabel")->text();
    QVERIFY2(bad.startsWith(QLatin1String("Failed")), qPrintable(bad));
    QVERIFY(!bad.contains(QLatin1String("sk-wrong")));
}

void TestFirstRunWizard::noLlmIsValid()
{
    fillFeishu(m_sandbox->options().appSecret);
    m_wizard->next(); // Feishu
    m_wizard->next(); // checklist
    m_wizard->next(); // LLM
    QCOMPARE(m_wizard->currentId(), int(FirstRunWizard::LlmPage));
    auto *provider = find<QComboBox>("providerCombo");
    provider->setCurrentIndex(provider->findData(QStringLiteral("custom")));
    find<QLineEdit>("baseUrlEdit")->setText(QStringLiteral("no url"));
    QVERIFY(!m_wizard->validateCurrentPage()); // a bad URL stops here, with a message
    QVERIFY(find<QLabel>("llmProblemLabel")->isVisible());
    provider->setCurrentIndex(0);
    QCOMPARE(provider->currentData().toString(), QStringLiteral("none"));
    QVERIFY(!find<QLineEdit>("apiKeyEdit")->isEnabled());
    QVERIFY(m_wizard->validateCurrentPage());
    m_wizard->next();
    QCOMPARE(m_wizard->currentId(), int(FirstRunWizard::SummaryPage));
    QVERIFY(m_wizard->summaryText().contains(QLatin1String("knowledge base only")));
    QCOMPARE(m_wizard->values().value(QStringLiteral("LLM_PROVIDER")), QStringLiteral("none"));
}

void TestFirstRunWizard::summaryFinishAndConnect()
{
    fillFeishu(m_sandbox->options().appSecret);
    QSignalSpy feishuTested(m_wizard.get(), &FirstRunWizard::feishuTestFinished);
    m_wizard->next();
    QCOMPARE(m_wizard->currentId(), int(FirstRunWizard::FeishuPage));
    find<QPushButton>("feishuTestButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(feishuTested.count(), 1, 20000);
    m_wizard->next();
    QCOMPARE(m_wizard->currentId(), int(FirstRunWizard::ChecklistPage));
    const QString checklist = find<QLabel>("checklistLabel")->text();
    for (const char *needle :
         {"im:message", "im:message:send_as_bot", "im:chat", "bitable:app", "im.message.receive_v1"})
        QVERIFY2(checklist.contains(QLatin1String(needle)), needle);
    QVERIFY(checklist.contains(QStringLiteral("使用长连接接收事件")));
    QVERIFY(checklist.contains(QLatin1String("publish a new version after changing permissions")));
    m_wizard->next();
    auto *provider = find<QComboBox>("providerCombo");
    provider->setCurrentIndex(provider->findData(QStringLiteral("custom")));
    find<QLineEdit>("baseUrlEdit")->setText(m_llm->baseUrl());
    find<QLineEdit>("modelEdit")->setText(m_llm->model());
    find<QLineEdit>("apiKeyEdit")->setText(QStringLiteral("sk-standin-good-key"));
    m_wizard->next();
    QCOMPARE(m_wizard->currentId(), int(FirstRunWizard::SummaryPage));

    const QString summary = find<QLabel>("summaryLabel")->text();
    QVERIFY2(summary.contains(m_sandbox->options().appId), qPrintable(summary));
    QVERIFY2(summary.contains(QLatin1String("tested, working")), qPrintable(summary));
    QVERIFY2(summary.contains(m_llm->model()), qPrintable(summary));
    QVERIFY(!summary.contains(m_sandbox->options().appSecret));
    QVERIFY(!summary.contains(QLatin1String("sk-standin-good-key")));

    // Finish: no keychain here, so the wizard asks; nothing is stored before the choice.
    QSignalSpy finished(m_wizard.get(), &FirstRunWizard::setupFinished);
    m_wizard->button(QWizard::FinishButton)->click();
    auto *choice = find<QGroupBox>("storageChoiceBox");
    QTRY_VERIFY_WITH_TIMEOUT(choice->isVisible(), 30000);
    QVERIFY(find<QLabel>("storageReasonLabel")->text().contains(QLatin1String("keychain")));
    QCOMPARE(finished.count(), 0);
    QVERIFY(!QFile::exists(m_secrets->fallbackFilePath()));
    find<QPushButton>("storeInFileButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QVERIFY(!m_wizard->isVisible());

    const auto values = finished.first().at(0).value<QHash<QString, QString>>();
    QCOMPARE(values.value(QStringLiteral("FEISHU_APP_ID")), m_sandbox->options().appId);
    QCOMPARE(values.value(QStringLiteral("FEISHU_APP_SECRET")), m_sandbox->options().appSecret);
    QCOMPARE(values.value(QStringLiteral("FEISHU_DOMAIN")), m_sandbox->baseUrl().toString());
    QCOMPARE(values.value(QStringLiteral("LLM_PROVIDER")), QStringLiteral("custom"));
    QCOMPARE(values.value(QStringLiteral("LLM_API_KEY")), QStringLiteral("sk-standin-good-key"));

    // Saved: the non-secret values in the settings file, the secrets in the 0600 file only.
    SavedSettings reread(m_dir->path());
    QCOMPARE(reread.value(QStringLiteral("FEISHU_APP_ID")), m_sandbox->options().appId);
    QCOMPARE(reread.value(QStringLiteral("LLM_BASE_URL")), m_llm->baseUrl());
    QFile ini(reread.filePath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray iniBytes = ini.readAll();
    QVERIFY(!iniBytes.contains(m_sandbox->options().appSecret.toUtf8()));
    QVERIFY(!iniBytes.contains("sk-standin-good-key"));
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(m_secrets->fallbackFilePath()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, 0600u);
    QVERIFY(m_secrets->isLessSecure());

    // The bot connects with what the wizard produced.
    LongConnection::Options o;
    o.domain = QUrl(values.value(QStringLiteral("FEISHU_DOMAIN")));
    o.appId = values.value(QStringLiteral("FEISHU_APP_ID"));
    o.appSecret = values.value(QStringLiteral("FEISHU_APP_SECRET"));
    LongConnection bot(o);
    QSignalSpy connected(&bot, &LongConnection::connected);
    bot.start();
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 20000);
    QCOMPARE(m_sandbox->connectionCount(), 1);
    bot.stop();
}

void TestFirstRunWizard::screenshots()
{
    const QString dir = qEnvironmentVariable("TSP_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("TSP_SCREENSHOT_DIR not set");
    QVERIFY(QDir().mkpath(dir));
    const QString lang = qEnvironmentVariable("TSP_SCREENSHOT_LANG", QStringLiteral("en"));
    m_wizard->resize(1000, 680);
    const QString env = writeEnv("FEISHU_APP_ID=cli_a1b2c3d4e5f60718\nFEISHU_APP_SECRET=abcdefghijklmnop\n"
                                 "FEISHU_DOMAIN=" +
                                 m_sandbox->baseUrl().toString().toUtf8() +
                                 "\nLLM_PROVIDER=qwen\nLLM_API_KEY=sk-1234567890\nLOG_LEVEL=INFO\n");
    QVERIFY(m_wizard->importEnvFile(env));
    const auto shoot = [&](const QString &name) {
        QTest::qWait(50);
        QVERIFY(
            m_wizard->grab().save(QDir(dir).filePath(QStringLiteral("wizard-%1-%2.png").arg(name, lang))));
    };
    shoot(QStringLiteral("1-import"));
    m_wizard->next();
    QSignalSpy tested(m_wizard.get(), &FirstRunWizard::feishuTestFinished);
    find<QLineEdit>("appSecretEdit")->setText(QStringLiteral("wrong-secret"));
    find<QPushButton>("feishuTestButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 20000);
    shoot(QStringLiteral("2-feishu-failed"));
    find<QLineEdit>("appSecretEdit")->setText(m_sandbox->options().appSecret);
    find<QPushButton>("feishuTestButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 20000);
    shoot(QStringLiteral("2-feishu-ok"));
    m_wizard->next();
    shoot(QStringLiteral("3-checklist"));
    m_wizard->next();
    auto *provider = find<QComboBox>("providerCombo");
    provider->setCurrentIndex(provider->findData(QStringLiteral("custom")));
    find<QLineEdit>("baseUrlEdit")->setText(m_llm->baseUrl());
    find<QLineEdit>("modelEdit")->setText(m_llm->model());
    find<QLineEdit>("apiKeyEdit")->setText(QStringLiteral("sk-standin-good-key"));
    QSignalSpy llmTested(m_wizard.get(), &FirstRunWizard::llmTestFinished);
    find<QPushButton>("llmTestButton")->click();
    QTRY_COMPARE_WITH_TIMEOUT(llmTested.count(), 1, 20000);
    shoot(QStringLiteral("4-llm"));
    m_wizard->next();
    shoot(QStringLiteral("5-summary"));
    m_wizard->button(QWizard::FinishButton)->click();
    QTRY_VERIFY_WITH_TIMEOUT(find<QGroupBox>("storageChoiceBox")->isVisible(), 30000);
    shoot(QStringLiteral("6-no-keychain"));
}

QTEST_MAIN(TestFirstRunWizard)
#include "tst_firstrunwizard.moc"

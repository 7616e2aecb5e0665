#include "settings/firstrunwizard.h"

#include <algorithm>

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include "assistant/llmclient.h"
#include "config/envfile.h"
#include "config/savedsettings.h"
#include "config/secretstore.h"

namespace {

const QString kFeishuUrl = QStringLiteral("https://open.feishu.cn");
const QString kLarkUrl = QStringLiteral("https://open.larksuite.com");

QLabel *wrappedLabel(const QString &text = {})
{
    auto *l = new QLabel(text);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QLabel *problemLabel()
{
    QLabel *l = wrappedLabel();
    l->setStyleSheet(QStringLiteral("color: #b3261e;"));
    l->hide();
    return l;
}

void showResult(QLabel *label, bool ok, const QString &text)
{
    label->setStyleSheet(ok ? QStringLiteral("color: #1b6e20;") : QStringLiteral("color: #b3261e;"));
    label->setText(text);
    label->setAccessibleDescription(text); // a QLabel has no Text interface over AT-SPI (Qt 6.4)
}

bool isHttpUrl(const QString &text)
{
    const QUrl u(text.trimmed(), QUrl::StrictMode);
    return u.isValid() && !u.host().isEmpty() &&
           (u.scheme() == QLatin1String("http") || u.scheme() == QLatin1String("https"));
}

} // namespace

FirstRunWizard::FirstRunWizard(SavedSettings *settings, SecretStore *secrets, QWidget *parent)
    : QWizard(parent)
    , m_settings(settings)
    , m_secrets(secrets)
    , m_feishuCheck(new FeishuCheck(this))
    , m_llm(new LlmClient(this))
{
    setObjectName(QStringLiteral("firstRunWizard"));
    setWindowTitle(tr("Set up TSP Assistant"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setMinimumSize(760, 560);
    setPage(ImportPage, createImportPage());
    setPage(FeishuPage, createFeishuPage());
    setPage(ChecklistPage, createChecklistPage());
    setPage(LlmPage, createLlmPage());
    setPage(SummaryPage, createSummaryPage());
    setStartId(ImportPage);
    button(QWizard::FinishButton)->setAccessibleName(tr("Finish"));
    button(QWizard::NextButton)->setAccessibleName(tr("Next"));
    button(QWizard::BackButton)->setAccessibleName(tr("Back"));
    button(QWizard::CancelButton)->setAccessibleName(tr("Cancel"));

    connect(m_feishuCheck, &FeishuCheck::finished, this, &FirstRunWizard::onFeishuChecked);
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == SummaryPage)
            updateSummary();
    });
    connect(m_secrets, &SecretStore::secretWritten, this, &FirstRunWizard::onSecretWritten);
    connect(m_secrets, &SecretStore::secretRemoved, this, &FirstRunWizard::onSecretWritten);
    connect(m_secrets, &SecretStore::failed, this, &FirstRunWizard::onSecretFailed);
    connect(m_secrets, &SecretStore::keychainUnavailable, this, &FirstRunWizard::onKeychainUnavailable);
}

FirstRunWizard::~FirstRunWizard() = default;

// --- pages -------------------------------------------------------------------------------------

QWizardPage *FirstRunWizard::createImportPage()
{
    auto *page = new QWizardPage;
    page->setTitle(tr("Welcome"));
    page->setSubTitle(tr("This wizard connects the console to your Feishu app and, if you want, to an LLM. "
                         "It takes about five minutes."));
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(wrappedLabel(tr("Already running the Python version of the assistant? Import its .env "
                                      "file: the keys are the same. Secrets are shown masked and will be "
                                      "kept in the system keychain, not in a file.")));
    auto *row = new QHBoxLayout;
    m_envPath = new QLineEdit;
    m_envPath->setObjectName(QStringLiteral("envPathEdit"));
    m_envPath->setAccessibleName(tr(".env file"));
    m_envPath->setPlaceholderText(tr("Path of an existing .env file (optional)"));
    auto *browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(QStringLiteral("envBrowseButton"));
    browse->setAccessibleName(tr("Browse for a .env file"));
    auto *import = new QPushButton(tr("Import"));
    import->setObjectName(QStringLiteral("envImportButton"));
    import->setAccessibleName(tr("Import .env"));
    row->addWidget(m_envPath, 1);
    row->addWidget(browse);
    row->addWidget(import);
    layout->addLayout(row);
    m_envStatus =
        wrappedLabel(tr("Nothing imported. You can also skip this and type the values on the next pages."));
    m_envStatus->setObjectName(QStringLiteral("envStatusLabel"));
    layout->addWidget(m_envStatus);
    m_envTable = new QTableWidget(0, 2);
    m_envTable->setObjectName(QStringLiteral("envTable"));
    m_envTable->setAccessibleName(tr("Imported values"));
    m_envTable->setHorizontalHeaderLabels({tr("Key"), tr("Value")});
    m_envTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_envTable->horizontalHeader()->setStretchLastSection(true);
    m_envTable->verticalHeader()->hide();
    m_envTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_envTable->hide();
    layout->addWidget(m_envTable, 1);
    layout->addStretch();
    connect(browse, &QPushButton::clicked, this, &FirstRunWizard::browseEnvFile);
    connect(import, &QPushButton::clicked, this, [this] {
        if (!m_envPath->text().trimmed().isEmpty())
            importEnvFile(m_envPath->text().trimmed());
    });
    connect(m_envPath, &QLineEdit::returnPressed, import, &QPushButton::click);
    return page;
}

QWizardPage *FirstRunWizard::createFeishuPage()
{
    auto *page = new QWizardPage;
    page->setTitle(tr("Feishu app"));
    page->setSubTitle(tr("From the Feishu developer console: your app → Credentials & Basic Info."));
    auto *layout = new QVBoxLayout(page);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_appId = new QLineEdit;
    m_appId->setObjectName(QStringLiteral("appIdEdit"));
    m_appId->setAccessibleName(tr("App ID"));
    m_appId->setPlaceholderText(QStringLiteral("cli_xxxxxxxxxxxxxxxx"));
    m_appSecret = new QLineEdit;
    m_appSecret->setObjectName(QStringLiteral("appSecretEdit"));
    m_appSecret->setAccessibleName(tr("App Secret"));
    m_appSecret->setEchoMode(QLineEdit::Password);
    m_domain = new QComboBox;
    m_domain->setObjectName(QStringLiteral("domainCombo"));
    m_domain->setAccessibleName(tr("Domain"));
    m_domain->addItem(tr("Feishu (open.feishu.cn)"), kFeishuUrl);
    m_domain->addItem(tr("Lark (open.larksuite.com)"), kLarkUrl);
    m_domain->addItem(tr("Custom URL (test server)"), QString());
    m_customDomain = new QLineEdit;
    m_customDomain->setObjectName(QStringLiteral("customDomainEdit"));
    m_customDomain->setAccessibleName(tr("Custom domain URL"));
    m_customDomain->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080"));
    m_customDomain->setEnabled(false);
    form->addRow(tr("App ID:"), m_appId);
    form->addRow(tr("App Secret:"), m_appSecret);
    form->addRow(tr("Domain:"), m_domain);
    form->addRow(tr("Custom URL:"), m_customDomain);
    layout->addLayout(form);
    m_feishuProblem = problemLabel();
    m_feishuProblem->setObjectName(QStringLiteral("feishuProblemLabel"));
    layout->addWidget(m_feishuProblem);
    auto *row = new QHBoxLayout;
    m_feishuTest = new QPushButton(tr("Test connection"));
    m_feishuTest->setObjectName(QStringLiteral("feishuTestButton"));
    m_feishuTest->setAccessibleName(tr("Test connection"));
    row->addWidget(m_feishuTest);
    row->addStretch();
    layout->addLayout(row);
    m_feishuResult = wrappedLabel(tr("Not tested yet. The test asks the platform for a tenant token and a "
                                     "long-connection endpoint; it does not disturb a running bot."));
    m_feishuResult->setObjectName(QStringLiteral("feishuResultLabel"));
    layout->addWidget(m_feishuResult);
    layout->addStretch();

    connect(m_domain, &QComboBox::currentIndexChanged, this, &FirstRunWizard::onDomainChoiceChanged);
    connect(m_feishuTest, &QPushButton::clicked, this, &FirstRunWizard::testFeishu);
    const auto resetVerdict = [this] { m_feishuVerdict.clear(); };
    connect(m_appId, &QLineEdit::textEdited, this, resetVerdict);
    connect(m_appSecret, &QLineEdit::textEdited, this, resetVerdict);
    connect(m_customDomain, &QLineEdit::textEdited, this, resetVerdict);
    return page;
}

QWizardPage *FirstRunWizard::createChecklistPage()
{
    auto *page = new QWizardPage;
    page->setTitle(tr("On the Feishu side"));
    page->setSubTitle(tr("Check these in the Feishu developer console before the bot goes live."));
    auto *layout = new QVBoxLayout(page);
    const QString code = QStringLiteral("<code>%1</code>");
    QString html = QStringLiteral("<ol style=\"margin-left: 0px;\">");
    html += QStringLiteral("<li>%1</li>")
                .arg(tr("Permissions (Permissions & Scopes): %1, %2 and %3.")
                         .arg(code.arg(QStringLiteral("im:message")),
                              code.arg(QStringLiteral("im:message:send_as_bot")),
                              code.arg(QStringLiteral("im:chat"))));
    html += QStringLiteral("<li>%1</li>")
                .arg(tr("Optional, for syncing tickets with a Base table: %1.")
                         .arg(code.arg(QStringLiteral("bitable:app"))));
    html +=
        QStringLiteral("<li>%1</li>")
            .arg(tr("Events & Callbacks → subscription mode: “%1” (receive events over the long connection).")
                     .arg(QStringLiteral("使用长连接接收事件")));
    html += QStringLiteral("<li>%1</li>")
                .arg(tr("Add the event %1 (receive messages).")
                         .arg(code.arg(QStringLiteral("im.message.receive_v1"))));
    html += QStringLiteral("<li>%1</li>")
                .arg(tr("Enable the bot capability, then publish a new version after "
                        "changing permissions: changes take effect only once the new "
                        "version is published."));
    html += QStringLiteral("</ol>");
    QLabel *list = wrappedLabel(html);
    list->setObjectName(QStringLiteral("checklistLabel"));
    list->setTextFormat(Qt::RichText);
    list->setAccessibleDescription(QTextDocumentFragment::fromHtml(html).toPlainText());
    layout->addWidget(list);
    layout->addWidget(wrappedLabel(tr("Tip: the console only receives events while it is connected. The "
                                      "Feishu console accepts the long-connection mode only while a client "
                                      "is connected, so save the setup first, then switch the mode.")));
    layout->addStretch();
    return page;
}

QWizardPage *FirstRunWizard::createLlmPage()
{
    auto *page = new QWizardPage;
    page->setTitle(tr("Language model"));
    page->setSubTitle(tr("Optional. Without an LLM the bot answers from the knowledge base only."));
    auto *layout = new QVBoxLayout(page);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_provider = new QComboBox;
    m_provider->setObjectName(QStringLiteral("providerCombo"));
    m_provider->setAccessibleName(tr("LLM provider"));
    m_provider->addItem(tr("No LLM, answer from the knowledge base only"), QStringLiteral("none"));
    m_provider->addItem(tr("Qwen (DashScope)"), QStringLiteral("qwen"));
    m_provider->addItem(tr("OpenAI"), QStringLiteral("openai"));
    m_provider->addItem(tr("DeepSeek"), QStringLiteral("deepseek"));
    m_provider->addItem(tr("Ollama (on this network)"), QStringLiteral("ollama"));
    m_provider->addItem(tr("Custom (OpenAI-compatible)"), QStringLiteral("custom"));
    m_baseUrl = new QLineEdit;
    m_baseUrl->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrl->setAccessibleName(tr("Base URL"));
    m_baseUrl->setPlaceholderText(QStringLiteral("https://…/v1"));
    m_model = new QLineEdit;
    m_model->setObjectName(QStringLiteral("modelEdit"));
    m_model->setAccessibleName(tr("Model"));
    m_apiKey = new QLineEdit;
    m_apiKey->setObjectName(QStringLiteral("apiKeyEdit"));
    m_apiKey->setAccessibleName(tr("API key"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Provider:"), m_provider);
    form->addRow(tr("Base URL:"), m_baseUrl);
    form->addRow(tr("Model:"), m_model);
    form->addRow(tr("API key:"), m_apiKey);
    layout->addLayout(form);
    m_llmProblem = problemLabel();
    m_llmProblem->setObjectName(QStringLiteral("llmProblemLabel"));
    layout->addWidget(m_llmProblem);
    auto *row = new QHBoxLayout;
    m_llmTest = new QPushButton(tr("Test connection"));
    m_llmTest->setObjectName(QStringLiteral("llmTestButton"));
    m_llmTest->setAccessibleName(tr("Test connection"));
    row->addWidget(m_llmTest);
    row->addStretch();
    layout->addLayout(row);
    m_llmResult = wrappedLabel(tr("Not tested yet. The test sends one short question and reports the time "
                                  "the answer took."));
    m_llmResult->setObjectName(QStringLiteral("llmResultLabel"));
    layout->addWidget(m_llmResult);
    layout->addStretch();
    connect(m_provider, &QComboBox::currentIndexChanged, this, &FirstRunWizard::onProviderChanged);
    connect(m_llmTest, &QPushButton::clicked, this, &FirstRunWizard::testLlm);
    const auto resetVerdict = [this] { m_llmVerdict.clear(); };
    connect(m_baseUrl, &QLineEdit::textEdited, this, resetVerdict);
    connect(m_model, &QLineEdit::textEdited, this, resetVerdict);
    connect(m_apiKey, &QLineEdit::textEdited, this, resetVerdict);
    onProviderChanged();
    return page;
}

QWizardPage *FirstRunWizard::createSummaryPage()
{
    auto *page = new QWizardPage;
    page->setTitle(tr("Summary"));
    page->setSubTitle(tr("Finish saves these settings and starts the bot."));
    page->setFinalPage(true);
    auto *layout = new QVBoxLayout(page);
    m_summary = wrappedLabel();
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setTextFormat(Qt::PlainText);
    layout->addWidget(m_summary);

    m_storageChoice = new QGroupBox(tr("No keychain"));
    m_storageChoice->setObjectName(QStringLiteral("storageChoiceBox"));
    auto *box = new QVBoxLayout(m_storageChoice);
    m_storageReason = wrappedLabel();
    m_storageReason->setObjectName(QStringLiteral("storageReasonLabel"));
    box->addWidget(m_storageReason);
    box->addWidget(wrappedLabel(tr("Choose where the secrets go. Nothing is stored until you choose.")));
    auto *toFile = new QPushButton(tr("Keep them in a file only I can read (less secure)"));
    toFile->setObjectName(QStringLiteral("storeInFileButton"));
    toFile->setAccessibleName(tr("Keep secrets in a file only I can read"));
    auto *ask = new QPushButton(tr("Do not store them; ask at every start"));
    ask->setObjectName(QStringLiteral("askAtStartButton"));
    ask->setAccessibleName(tr("Do not store secrets; ask at every start"));
    box->addWidget(toFile);
    box->addWidget(ask);
    m_storageChoice->hide();
    layout->addWidget(m_storageChoice);
    m_saveStatus = wrappedLabel();
    m_saveStatus->setObjectName(QStringLiteral("saveStatusLabel"));
    layout->addWidget(m_saveStatus);
    layout->addStretch();
    connect(toFile, &QPushButton::clicked, this, [this] {
        m_storageChoice->hide();
        m_secrets->chooseStorage(SecretStore::Storage::File);
    });
    connect(ask, &QPushButton::clicked, this, [this] {
        m_storageChoice->hide();
        m_secrets->chooseStorage(SecretStore::Storage::AskAtStart);
    });
    return page;
}

// --- import ------------------------------------------------------------------------------------

void FirstRunWizard::browseEnvFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a .env file"), QString(),
                                                      tr(".env files (*.env .env);;All files (*)"));
    if (path.isEmpty())
        return;
    m_envPath->setText(path);
    importEnvFile(path);
}

bool FirstRunWizard::importEnvFile(const QString &path)
{
    EnvFile env;
    if (!env.load(path)) {
        showResult(m_envStatus, false, tr("Cannot read %1: %2").arg(path, env.errorString()));
        m_envTable->hide();
        return false;
    }
    m_envPath->setText(path);
    m_imported = env.values();
    QStringList keys = m_imported.keys();
    std::sort(keys.begin(), keys.end());
    m_envTable->setRowCount(int(keys.size()));
    for (int row = 0; row < keys.size(); ++row) {
        const QString &key = keys.at(row);
        const QString value = m_imported.value(key);
        m_envTable->setItem(row, 0, new QTableWidgetItem(key));
        m_envTable->setItem(row, 1,
                            new QTableWidgetItem(SecretStore::isSecretKey(key) ? maskSecret(value) : value));
    }
    m_envTable->setVisible(!keys.isEmpty());

    // Fill the pages with what was found.
    if (m_imported.contains(QStringLiteral("FEISHU_APP_ID")))
        m_appId->setText(m_imported.value(QStringLiteral("FEISHU_APP_ID")));
    if (m_imported.contains(QStringLiteral("FEISHU_APP_SECRET")))
        m_appSecret->setText(m_imported.value(QStringLiteral("FEISHU_APP_SECRET")));
    if (m_imported.contains(QStringLiteral("FEISHU_DOMAIN"))) {
        QString d = m_imported.value(QStringLiteral("FEISHU_DOMAIN")).trimmed();
        while (d.endsWith(QLatin1Char('/')))
            d.chop(1);
        if (d.compare(QLatin1String("feishu"), Qt::CaseInsensitive) == 0 || d == kFeishuUrl) {
            m_domain->setCurrentIndex(0);
        } else if (d.compare(QLatin1String("lark"), Qt::CaseInsensitive) == 0 || d == kLarkUrl) {
            m_domain->setCurrentIndex(1);
        } else {
            m_domain->setCurrentIndex(2);
            m_customDomain->setText(d);
        }
    }
    const QString provider = m_imported.value(QStringLiteral("LLM_PROVIDER")).trimmed().toLower();
    const bool keyOnly = provider.isEmpty() && !m_imported.value(QStringLiteral("LLM_API_KEY")).isEmpty();
    const int providerIndex = m_provider->findData(keyOnly ? QStringLiteral("qwen") : provider);
    if (providerIndex >= 0)
        m_provider->setCurrentIndex(providerIndex); // fills the presets first ...
    // ... then the file's own values win.
    if (m_imported.contains(QStringLiteral("LLM_BASE_URL")))
        m_baseUrl->setText(m_imported.value(QStringLiteral("LLM_BASE_URL")));
    if (m_imported.contains(QStringLiteral("LLM_MODEL")))
        m_model->setText(m_imported.value(QStringLiteral("LLM_MODEL")));
    if (m_imported.contains(QStringLiteral("LLM_API_KEY")))
        m_apiKey->setText(m_imported.value(QStringLiteral("LLM_API_KEY")));
    m_feishuVerdict.clear();
    m_llmVerdict.clear();

    QString status = tr("Found %n value(s) in %1.", nullptr, int(keys.size())).arg(path);
    if (!env.problems().isEmpty())
        status += QLatin1Char(' ') +
                  tr("%n line(s) could not be read and were skipped.", nullptr, int(env.problems().size()));
    showResult(m_envStatus, true, status);
    emit envImported(keys);
    return true;
}

QString FirstRunWizard::maskSecret(const QString &secret)
{
    if (secret.isEmpty())
        return {};
    const int shown = secret.size() > 8 ? 3 : 0;
    return secret.left(shown) + QString(8, QChar(0x2022));
}

// --- Feishu ------------------------------------------------------------------------------------

void FirstRunWizard::onDomainChoiceChanged()
{
    const bool custom = m_domain->currentData().toString().isEmpty();
    m_customDomain->setEnabled(custom);
    if (custom)
        m_customDomain->setFocus();
    m_feishuVerdict.clear();
}

QUrl FirstRunWizard::domainUrl(QString *error) const
{
    QString text = m_domain->currentData().toString();
    if (text.isEmpty())
        text = m_customDomain->text().trimmed();
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    if (!isHttpUrl(text)) {
        if (error)
            *error = tr("The custom domain must be an http(s) URL such as https://open.feishu.cn or "
                        "http://127.0.0.1:8080.");
        return {};
    }
    return QUrl(text, QUrl::StrictMode);
}

void FirstRunWizard::testFeishu()
{
    QString error;
    const QUrl domain = domainUrl(&error);
    if (domain.isEmpty()) {
        showResult(m_feishuResult, false, error);
        emit feishuTestFinished(false, error);
        return;
    }
    NetworkOptions network;
    QString proxyError;
    const QString proxy =
        m_imported.value(QStringLiteral("FEISHU_PROXY"), m_settings->value(QStringLiteral("FEISHU_PROXY")));
    if (!proxy.isEmpty())
        NetworkOptions::parseProxy(proxy, &network, &proxyError);
    network.extraCaFile = m_imported.value(QStringLiteral("FEISHU_CA_FILE"),
                                           m_settings->value(QStringLiteral("FEISHU_CA_FILE")));
    m_feishuTest->setEnabled(false);
    showResult(m_feishuResult, true, tr("Testing %1 …").arg(domain.toString()));
    m_feishuCheck->start(domain, m_appId->text(), m_appSecret->text(), network);
}

void FirstRunWizard::onFeishuChecked(const FeishuCheck::Result &result)
{
    m_feishuTest->setEnabled(true);
    const QString text = feishuResultText(result);
    const bool ok = result.outcome == FeishuCheck::Outcome::Ok;
    showResult(m_feishuResult, ok, text);
    m_feishuVerdict = ok ? tr("tested, working") : tr("tested, failed (code %1)").arg(result.code);
    emit feishuTestFinished(ok, text);
}

QString FirstRunWizard::feishuResultText(const FeishuCheck::Result &r) const
{
    QString what;
    QString todo;
    switch (r.outcome) {
    case FeishuCheck::Outcome::Ok:
        return tr("Working: the platform issued a tenant token and a long-connection endpoint (%1 ms).")
            .arg(r.elapsedMs);
    case FeishuCheck::Outcome::MissingCredentials:
        return tr("Enter the App ID and the App Secret first.");
    case FeishuCheck::Outcome::InvalidAppId:
        what = tr("The platform does not accept this App ID.");
        todo = tr("Copy the App ID (it starts with cli_) again from Credentials & Basic Info.");
        break;
    case FeishuCheck::Outcome::WrongSecret:
        what = tr("The App Secret is wrong (or the App ID belongs to another app).");
        todo =
            tr("Copy the App Secret again from Credentials & Basic Info; if it was reset, use the new one.");
        break;
    case FeishuCheck::Outcome::NotPublished:
        what = tr("The app lacks a permission or its latest version is not published.");
        todo = tr("Add the permissions from the checklist, then publish a new version of the app.");
        break;
    case FeishuCheck::Outcome::LongConnectionDisabled:
        what = tr("The credentials are right, but the platform refused the long connection.");
        todo = tr("Use a self-built app, choose “使用长连接接收事件” under Events & Callbacks, and publish a "
                  "new version.");
        break;
    case FeishuCheck::Outcome::Forbidden:
        what = tr("The platform refused the app (it is disabled or blocked).");
        todo = tr("Ask your Feishu administrator to enable the app.");
        break;
    case FeishuCheck::Outcome::PlatformBusy:
        what = tr("The platform is busy or had an internal error.");
        todo = tr("Try again in a minute.");
        break;
    case FeishuCheck::Outcome::Network:
        what = tr("No answer from %1.").arg(domainUrl().host());
        todo = tr("Check the domain, the network and the proxy setting.");
        break;
    case FeishuCheck::Outcome::Tls:
        what = tr("The secure connection failed (the certificate is not trusted).");
        todo = tr("On an intranet that inspects TLS, set the extra CA certificate in the settings.");
        break;
    case FeishuCheck::Outcome::Unexpected:
        what = tr("The answer was not what the platform sends.");
        todo = tr("Check that the domain is the Feishu or Lark open platform (or your test server).");
        break;
    }
    QString platform;
    if (r.code != 0 || !r.platformMessage.isEmpty()) {
        platform = r.code != 0 ? tr("Platform code %1: %2").arg(r.code).arg(r.platformMessage)
                               : tr("Detail: %1").arg(r.platformMessage);
    }
    const QString step =
        r.step == QLatin1String("token") ? tr("tenant token") : tr("long-connection endpoint");
    return tr("Failed at the %1 step. %2").arg(step, what) +
           (platform.isEmpty() ? QString() : QLatin1Char('\n') + platform) + QLatin1Char('\n') +
           tr("What to do: %1").arg(todo);
}

// --- LLM ---------------------------------------------------------------------------------------

QString FirstRunWizard::providerKey() const
{
    return m_provider->currentData().toString();
}

void FirstRunWizard::onProviderChanged()
{
    LlmConfig::Provider p = LlmConfig::Provider::None;
    LlmConfig::parseProvider(providerKey(), &p);
    const bool none = p == LlmConfig::Provider::None;
    m_baseUrl->setEnabled(!none);
    m_model->setEnabled(!none);
    m_apiKey->setEnabled(!none);
    m_llmTest->setEnabled(!none);
    m_baseUrl->setText(LlmConfig::presetBaseUrl(p));
    m_model->setText(LlmConfig::presetModel(p));
    m_apiKey->setPlaceholderText(p == LlmConfig::Provider::Ollama ? tr("not needed for Ollama") : QString());
    m_llmProblem->hide();
    m_llmVerdict.clear();
    if (none)
        showResult(m_llmResult, true, tr("The bot will answer from the knowledge base only."));
    else
        m_llmResult->setText(tr("Not tested yet."));
}

void FirstRunWizard::testLlm()
{
    LlmConfig config;
    LlmConfig::parseProvider(providerKey(), &config.provider);
    config.baseUrl = m_baseUrl->text().trimmed();
    config.model = m_model->text().trimmed();
    config.apiKey = m_apiKey->text().trimmed();
    config.retries = 0;
    config.stream = false;
    QString why;
    if (!config.isConfigured(&why)) {
        showResult(m_llmResult, false, why);
        emit llmTestFinished(false, why);
        return;
    }
    m_llm->setConfig(config);
    m_llmTest->setEnabled(false);
    showResult(m_llmResult, true, tr("Asking %1 …").arg(config.effectiveModel()));
    LlmRequestOptions options;
    options.stream = false;
    options.maxTokens = 16;
    options.timeoutMs = 30000;
    options.retries = 0;
    m_llmTimer.start();
    m_llm->complete({{LlmMessage::Role::User, QStringLiteral("Reply with the single word OK.")}}, options,
                    [this](const LlmResult &r) {
                        m_llmTest->setEnabled(providerKey() != QLatin1String("none"));
                        const qint64 ms = m_llmTimer.elapsed();
                        QString text;
                        if (r.ok()) {
                            text = tr("Working: %1 answered in %2 ms (“%3”).")
                                       .arg(r.model.isEmpty() ? m_model->text() : r.model)
                                       .arg(ms)
                                       .arg(r.text.trimmed().left(60));
                            m_llmVerdict = tr("tested, %1 ms").arg(ms);
                        } else {
                            text = tr("Failed: %1").arg(r.errorString);
                            if (r.httpStatus == 401 || r.httpStatus == 403)
                                text += QLatin1Char('\n') + tr("What to do: check the API key.");
                            else if (r.httpStatus == 404)
                                text += QLatin1Char('\n') +
                                        tr("What to do: check the base URL and the model name.");
                            m_llmVerdict = tr("tested, failed");
                        }
                        showResult(m_llmResult, r.ok(), text);
                        emit llmTestFinished(r.ok(), text);
                    });
}

// --- validation, summary, finish ------------------------------------------------------------------

bool FirstRunWizard::validateCurrentPage()
{
    if (currentId() == FeishuPage) {
        QString error;
        if (m_appId->text().trimmed().isEmpty() || m_appSecret->text().trimmed().isEmpty())
            error = tr("Enter the App ID and the App Secret first.");
        else
            domainUrl(&error);
        if (!error.isEmpty()) {
            m_feishuProblem->setText(error);
            m_feishuProblem->show();
            return false;
        }
        m_feishuProblem->hide();
    } else if (currentId() == LlmPage && providerKey() != QLatin1String("none")) {
        LlmConfig config;
        LlmConfig::parseProvider(providerKey(), &config.provider);
        config.baseUrl = m_baseUrl->text().trimmed();
        config.model = m_model->text().trimmed();
        config.apiKey = m_apiKey->text().trimmed();
        QString why;
        if (!isHttpUrl(config.effectiveBaseUrl())) {
            why = tr("The base URL must be an http(s) URL ending in /v1, e.g. https://api.openai.com/v1.");
        } else if (config.effectiveModel().isEmpty()) {
            why = tr("Enter the model name.");
        } else if (!config.isConfigured(&why)) {
            // why is set
        }
        if (!why.isEmpty()) {
            m_llmProblem->setText(why);
            m_llmProblem->show();
            return false;
        }
        m_llmProblem->hide();
    }
    return QWizard::validateCurrentPage();
}

QHash<QString, QString> FirstRunWizard::values() const
{
    // The imported .env first (keys the wizard has no page for, e.g. LOG_LEVEL), then the pages.
    QHash<QString, QString> v = m_imported;
    v.insert(QStringLiteral("FEISHU_APP_ID"), m_appId->text().trimmed());
    v.insert(QStringLiteral("FEISHU_APP_SECRET"), m_appSecret->text().trimmed());
    v.insert(QStringLiteral("FEISHU_DOMAIN"), domainUrl().toString());
    const QString provider = providerKey();
    v.insert(QStringLiteral("LLM_PROVIDER"), provider);
    const bool none = provider == QLatin1String("none");
    v.insert(QStringLiteral("LLM_BASE_URL"), none ? QString() : m_baseUrl->text().trimmed());
    v.insert(QStringLiteral("LLM_MODEL"), none ? QString() : m_model->text().trimmed());
    v.insert(QStringLiteral("LLM_API_KEY"), none ? QString() : m_apiKey->text().trimmed());
    return v;
}

QString FirstRunWizard::summaryText() const
{
    const QHash<QString, QString> v = values();
    const QString notTested = tr("not tested");
    QStringList lines;
    lines << tr("Feishu app: %1").arg(v.value(QStringLiteral("FEISHU_APP_ID")));
    lines << tr("App Secret: %1").arg(maskSecret(v.value(QStringLiteral("FEISHU_APP_SECRET"))));
    lines << tr("Domain: %1").arg(v.value(QStringLiteral("FEISHU_DOMAIN")));
    lines << tr("Feishu test: %1").arg(m_feishuVerdict.isEmpty() ? notTested : m_feishuVerdict);
    if (v.value(QStringLiteral("LLM_PROVIDER")) == QLatin1String("none")) {
        lines << tr("LLM: none, answers come from the knowledge base only");
    } else {
        lines << tr("LLM: %1, model %2").arg(m_provider->currentText(), v.value(QStringLiteral("LLM_MODEL")));
        lines << tr("Base URL: %1").arg(v.value(QStringLiteral("LLM_BASE_URL")));
        const QString key = v.value(QStringLiteral("LLM_API_KEY"));
        lines << tr("API key: %1").arg(key.isEmpty() ? tr("none") : maskSecret(key));
        lines << tr("LLM test: %1").arg(m_llmVerdict.isEmpty() ? notTested : m_llmVerdict);
    }
    const int extra = int(m_imported.size()) -
                      int(std::count_if(m_imported.keyBegin(), m_imported.keyEnd(), [](const QString &k) {
                          return k.startsWith(QLatin1String("FEISHU_APP")) ||
                                 k == QLatin1String("FEISHU_DOMAIN") || k.startsWith(QLatin1String("LLM_"));
                      }));
    if (extra > 0)
        lines << tr("Other imported settings: %n", nullptr, extra);
    QString where;
    switch (m_secrets->storage()) {
    case SecretStore::Storage::Keychain:
        where = tr("the system keychain");
        break;
    case SecretStore::Storage::File:
        where = tr("a file only you can read (less secure)");
        break;
    case SecretStore::Storage::AskAtStart:
        where = tr("nowhere: you will be asked at every start");
        break;
    }
    lines << tr("Secrets are kept in: %1").arg(where);
    return lines.join(QLatin1Char('\n'));
}

void FirstRunWizard::updateSummary()
{
    m_summary->setText(summaryText());
    m_summary->setAccessibleDescription(m_summary->text());
}

void FirstRunWizard::accept()
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_finishValues = values();
    button(QWizard::FinishButton)->setEnabled(false);
    button(QWizard::BackButton)->setEnabled(false);

    QHash<QString, QString> plain;
    for (auto it = m_finishValues.cbegin(); it != m_finishValues.cend(); ++it) {
        if (!SecretStore::isSecretKey(it.key()))
            plain.insert(it.key(), it.value());
    }
    if (!m_settings->setValues(plain)) {
        showResult(m_saveStatus, false, tr("Cannot save the settings to %1.").arg(m_settings->filePath()));
        m_finishing = false;
        button(QWizard::FinishButton)->setEnabled(true);
        return;
    }
    saveSecretsThenFinish();
}

void FirstRunWizard::saveSecretsThenFinish()
{
    m_secretsPending.clear();
    for (const QString &key : SecretStore::secretKeys()) {
        const QString value = m_finishValues.value(key);
        if (value.isEmpty() && !m_imported.contains(key) && key == QLatin1String("EMBEDDING_API_KEY"))
            continue; // never asked for: leave whatever is stored alone
        m_secretsPending << key;
        m_secrets->write(key, value);
    }
    showResult(m_saveStatus, true, tr("Saving the secrets …"));
    finishIfDone();
}

void FirstRunWizard::onSecretWritten(const QString &key)
{
    if (m_finishing && m_secretsPending.removeOne(key))
        finishIfDone();
}

void FirstRunWizard::onSecretFailed(const QString &key, const QString &message)
{
    if (!m_finishing || !m_secretsPending.contains(key))
        return;
    m_secretsPending.clear();
    m_finishing = false;
    showResult(m_saveStatus, false, message);
    button(QWizard::FinishButton)->setEnabled(true);
    button(QWizard::BackButton)->setEnabled(true);
}

void FirstRunWizard::onKeychainUnavailable(const QString &reason)
{
    if (!m_finishing)
        return;
    m_storageReason->setText(reason);
    m_storageReason->setAccessibleDescription(reason);
    m_storageChoice->show();
    showResult(m_saveStatus, false, tr("Waiting for your choice: the secrets are not stored yet."));
}

void FirstRunWizard::finishIfDone()
{
    if (!m_finishing || !m_secretsPending.isEmpty())
        return;
    m_finishing = false;
    showResult(m_saveStatus, true, tr("Saved."));
    emit setupFinished(m_finishValues);
    QWizard::accept();
}

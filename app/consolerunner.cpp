#include "consolerunner.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextStream>

#include "applogging.h"
#include "bot/botservice.h"
#include "config/appconfig.h"
#include "config/savedsettings.h"
#include "config/secretstore.h"
#include "conversations/conversationspage.h"
#include "conversations/sidepanel.h"
#include "dashboard/dashboardpage.h"
#include "desk/knowledgedesk.h"
#include "desk/operatordesk.h"
#include "desk/ticketdesk.h"
#include "health/healthpanel.h"
#include "instanceguard.h"
#include "knowledge/knowledgepage.h"
#include "logs/logmodel.h"
#include "logs/logpage.h"
#include "mainwindow.h"
#include "sandbox/demoscript.h"
#include "settings/firstrunwizard.h"
#include "settings/secretprompt.h"
#include "settings/settingspage.h"
#include "statuspanel.h"
#include "tickets/sessionticketbutton.h"
#include "tickets/ticketspage.h"
#include "translations.h"
#include "traycontroller.h"

using namespace AppLogging;

namespace {

const QString kNotificationsKey = QStringLiteral("notifications/enabled");

// Who and where, for a notification: "王先生 · 车队群".
QString sessionLabel(const std::optional<SessionSummary> &s)
{
    if (!s)
        return {};
    const QString who = s->userName.isEmpty() ? s->openId : s->userName;
    const QString where = s->chatType == QLatin1String("p2p") ? ConsoleRunner::tr("direct chat")
                          : s->chatName.isEmpty()             ? s->chatId
                                                              : s->chatName;
    return QStringLiteral("%1 · %2").arg(who, where);
}

QString shorten(QString text, int max = 90)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.size() > max ? text.left(max) + QStringLiteral("…") : text;
}

// A console cannot count on stderr being seen: say it in a window too.
void tellOperator(const QString &message)
{
    QTextStream(stderr) << "tsp-assistant: " << message << Qt::endl;
    if (QGuiApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::critical(nullptr, ConsoleRunner::tr("TSP Assistant"), message);
}

} // namespace

ConsoleRunner::ConsoleRunner(const CommandLine &commandLine, QObject *parent)
    : QObject(parent)
    , m_app(commandLine)
    , m_commandLine(m_app.commandLine())
{}

ConsoleRunner::~ConsoleRunner()
{
    closeWindow();
}

int ConsoleRunner::start()
{
    QString error;
    if (!m_app.loadConfiguration(&error)) {
        tellOperator(tr("The configuration is not valid: %1").arg(error));
        return ExitCode::Usage;
    }

    const QString dataDir = m_app.config().dataDir;
    QString holder;
    if (!m_app.acquireDataDir(&error, &holder)) {
        // A console on this data dir: bring it forward and leave. The headless bot: refuse.
        if (m_app.guard()->activateRunning()) {
            QTextStream(stderr) << "tsp-assistant: the console is already running on " << dataDir
                                << "; it was brought to the front." << Qt::endl;
            return ExitCode::Ok;
        }
        tellOperator(tr("Another tsp-assistant (%1) is already running on the data dir %2. Stop it first, "
                        "or give this one its own --data-dir.")
                         .arg(holder, dataDir));
        return ExitCode::AlreadyRunning;
    }
    if (!m_app.guard()->listen())
        qCWarning(lcApp)
            << "cannot listen for a second start; it will not be able to bring this window forward";

    // UI_LANGUAGE: before the first window (a start-up error above is shown untranslated).
    const QString language = installTranslations(qApp, m_app.config().uiLanguage);
    m_app.setupLogging();
    m_logModel = std::make_unique<LogModel>(); // from here on, every line is in the console's log view
    qCInfo(lcApp).noquote() << QStringLiteral("interface language: %1 (UI_LANGUAGE=%2)")
                                   .arg(language.isEmpty() ? QStringLiteral("English") : language,
                                        m_app.config().uiLanguage);

    if (m_app.commandLine().demo) {
        if (!m_app.startDemo(&error)) {
            tellOperator(tr("The demo sandbox could not start: %1").arg(error));
            return ExitCode::Failed;
        }
        configureDemo();
    }

    const QString configDir = SecretStore::defaultConfigDir();
    m_secrets = std::make_unique<SecretStore>(configDir);
    m_saved = std::make_unique<SavedSettings>(configDir);
    connect(m_secrets.get(), &SecretStore::secretRead, this, &ConsoleRunner::onSecretLoaded);
    connect(m_secrets.get(), &SecretStore::failed, this, [this](const QString &key, const QString &message) {
        qCWarning(lcApp).noquote() << "secret" << key << "not available:" << message;
        onSecretLoaded(key, QString());
    });
    connect(m_secrets.get(), &SecretStore::keychainUnavailable, this, [this](const QString &reason) {
        if (m_loadingSecrets)
            askStorageAtStart(reason); // the wizard and the settings page ask for themselves
    });
    connect(&m_app, &Application::quitting, this, &ConsoleRunner::saveAndHideWindow);
    connect(&m_app, &Application::stopped, this, &ConsoleRunner::closeWindow);

    if (m_commandLine.demo) {
        startBot();
        return -1;
    }
    if (m_app.config().appId.isEmpty()) {
        qCInfo(lcApp) << "no configuration found (no FEISHU_APP_ID): opening the first-run wizard";
        openWizard(true);
        return -1;
    }
    loadSecrets();
    return -1;
}

bool ConsoleRunner::reloadConfig(QString *error)
{
    AppConfig config;
    if (!Application::loadConfig(m_commandLine, &config, error, m_keychain))
        return false;
    const AppConfig &current = m_app.config();
    if (m_app.demo()) {
        // --demo: Feishu stays the local sandbox, and the LLM the stand-in unless one is set.
        for (const char *key :
             {"FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_DOMAIN", "BITABLE_APP_TOKEN", "BITABLE_TABLE_ID"})
            config.sources.insert(QLatin1String(key), AppConfig::Source::CommandLine);
        config.appId = current.appId;
        config.bitableAppToken = current.bitableAppToken;
        config.bitableTableId = current.bitableTableId;
        config.appSecret = current.appSecret;
        config.feishuDomain = current.feishuDomain;
        config.proxy = current.proxy;
        config.caFile = current.caFile;
        if (!config.hasLlm()) {
            config.llmProvider = current.llmProvider;
            config.llmBaseUrl = current.llmBaseUrl;
            config.llmModel = current.llmModel;
            config.llmApiKey = current.llmApiKey;
        }
    }
    m_app.config() = config;
    return true;
}

bool ConsoleRunner::reloadOrQuit()
{
    QString error;
    if (reloadConfig(&error))
        return true;
    tellOperator(tr("The configuration is not valid: %1").arg(error));
    shutdown(ExitCode::Usage);
    return false;
}

void ConsoleRunner::openWizard(bool firstRun)
{
    auto *wizard = new FirstRunWizard(m_saved.get(), m_secrets.get(), m_window.get());
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setWindowModality(firstRun ? Qt::NonModal : Qt::WindowModal);
    connect(wizard, &FirstRunWizard::setupFinished, this, [this](const QHash<QString, QString> &values) {
        for (const QString &key : SecretStore::secretKeys()) {
            if (values.contains(key))
                m_keychain.insert(key, values.value(key));
        }
        qCInfo(lcApp) << "setup saved by the wizard";
        applySettings();
    });
    if (firstRun) {
        connect(wizard, &QWizard::rejected, this, [this] {
            qCInfo(lcApp) << "the first-run setup was cancelled; nothing was saved";
            shutdown(ExitCode::Usage);
        });
    }
    wizard->show();
    wizard->raise();
    wizard->activateWindow();
}

void ConsoleRunner::loadSecrets()
{
    if (m_secrets->asksAtStart()) {
        askForSecrets(tr("You chose not to store the secrets."));
        return;
    }
    // Only what is needed and no higher source gives: an App Secret in the environment needs no
    // keychain, and without an LLM no LLM key is read.
    const AppConfig &config = m_app.config();
    m_secretsWanted.clear();
    if (config.appSecret.isEmpty())
        m_secretsWanted << QStringLiteral("FEISHU_APP_SECRET");
    if (config.hasLlm() && config.llmApiKey.isEmpty())
        m_secretsWanted << QStringLiteral("LLM_API_KEY");
    if (!config.embeddingBaseUrl.isEmpty() &&
        config.sources.value(QStringLiteral("EMBEDDING_API_KEY")) == AppConfig::Source::Default)
        m_secretsWanted << QStringLiteral("EMBEDDING_API_KEY");
    if (m_secretsWanted.isEmpty()) {
        secretsLoaded();
        return;
    }
    m_loadingSecrets = true;
    qCInfo(lcApp).noquote() << "reading" << m_secretsWanted.join(QStringLiteral(", ")) << "from"
                            << (m_secrets->isLessSecure() ? "the secrets file" : "the keychain");
    const QStringList keys = m_secretsWanted;
    for (const QString &key : keys)
        m_secrets->read(key);
}

void ConsoleRunner::onSecretLoaded(const QString &key, const QString &value)
{
    if (!m_loadingSecrets || !m_secretsWanted.removeOne(key))
        return;
    if (!value.isEmpty())
        m_keychain.insert(key, value);
    if (m_secretsWanted.isEmpty()) {
        m_loadingSecrets = false;
        secretsLoaded();
    }
}

void ConsoleRunner::secretsLoaded()
{
    if (!reloadOrQuit())
        return;
    if (m_app.config().appSecret.isEmpty()) {
        askForSecrets(tr("No App Secret is stored for the Feishu app %1.").arg(m_app.config().appId));
        return;
    }
    startBot();
}

void ConsoleRunner::askStorageAtStart(const QString &reason)
{
    if (m_choosingStorage)
        return;
    m_choosingStorage = true;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("TSP Assistant"), reason);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(tr("Choose where the secrets are kept from now on. Nothing is written until you "
                               "choose."));
    QPushButton *file = box->addButton(tr("Keep them in a file only I can read"), QMessageBox::AcceptRole);
    file->setAccessibleName(tr("Keep secrets in a file only I can read"));
    QPushButton *ask = box->addButton(tr("Ask at every start"), QMessageBox::AcceptRole);
    ask->setAccessibleName(tr("Do not store secrets; ask at every start"));
    QPushButton *quit = box->addButton(tr("Quit"), QMessageBox::RejectRole);
    quit->setAccessibleName(tr("Quit"));
    connect(box, &QMessageBox::buttonClicked, this, [this, file, ask](QAbstractButton *clicked) {
        m_choosingStorage = false;
        if (clicked == file) {
            m_secrets->chooseStorage(SecretStore::Storage::File);
        } else if (clicked == ask) {
            m_loadingSecrets = false;
            m_secretsWanted.clear();
            m_secrets->chooseStorage(SecretStore::Storage::AskAtStart);
            askForSecrets(tr("You chose not to store the secrets."));
        } else {
            shutdown(ExitCode::Usage);
        }
    });
    box->open();
}

void ConsoleRunner::askForSecrets(const QString &why)
{
    auto *prompt = new SecretPrompt(m_secrets.get());
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    prompt->setWindowTitle(tr("Secrets for this session"));
    prompt->setToolTip(why);
    qCInfo(lcApp).noquote() << why << "Asking for the secrets.";
    connect(prompt, &SecretPrompt::secretsProvided, this, [this](const QHash<QString, QString> &secrets) {
        for (auto it = secrets.cbegin(); it != secrets.cend(); ++it)
            m_keychain.insert(it.key(), it.value());
        if (!reloadOrQuit())
            return;
        if (m_app.config().appSecret.isEmpty()) {
            tellOperator(tr("The bot cannot start without the App Secret."));
            shutdown(ExitCode::Usage);
            return;
        }
        startBot();
    });
    connect(prompt, &QDialog::rejected, this, [this] {
        qCInfo(lcApp) << "no secrets given; the console stops";
        shutdown(ExitCode::Usage);
    });
    prompt->open();
}

void ConsoleRunner::startBot()
{
    m_app.logBanner(QStringLiteral("the console"));
    if (!m_app.config().hasFeishuCredentials()) {
        tellOperator(tr("FEISHU_APP_ID and FEISHU_APP_SECRET are not set. Put them in .env (or the "
                        "environment), run the setup wizard, or try the console on the local sandbox with "
                        "--demo."));
        shutdown(ExitCode::Usage);
        return;
    }
    QString error;
    if (!m_app.openBot(&error)) {
        tellOperator(tr("The bot cannot start: %1").arg(error));
        shutdown(ExitCode::Failed);
        return;
    }
    m_bot = m_app.bot();
    createWindow(m_app.config().dataDir);
    bindDesk(m_bot->desk());
    // A fatal Feishu error leaves the console open: the status bar and the tray show it, the log
    // says why.
    m_app.startBot();
}

void ConsoleRunner::applySettings()
{
    QString error;
    if (!reloadConfig(&error)) {
        tellOperator(tr("The settings were saved but cannot be used: %1").arg(error));
        return;
    }
    if (!m_bot) {
        // The first run: the wizard has just saved everything.
        if (m_app.config().appSecret.isEmpty())
            askForSecrets(tr("No App Secret was given."));
        else
            startBot();
        return;
    }
    if (!m_bot->reconfigure(m_app.config(), &error)) {
        tellOperator(tr("The new settings cannot be used: %1").arg(error));
        return;
    }
    qCInfo(lcApp) << "settings applied without a restart";
    if (m_settingsPage)
        m_settingsPage->setEffective(m_app.config().values(), m_app.config().sources, m_app.config().dataDir);
}

void ConsoleRunner::configureDemo()
{
    DemoScript *demo = m_app.demo();
    demo->setSteps(DemoScript::consoleSteps());
    bool ok = false;
    const int interval = qEnvironmentVariableIntValue("TSP_DEMO_INTERVAL_MS", &ok);
    demo->setContinuous(true, ok && interval > 0 ? interval : 4000);
}

void ConsoleRunner::createWindow(const QString &dataDir)
{
    m_settings = std::make_unique<QSettings>(QDir(dataDir).absoluteFilePath(QStringLiteral("console.ini")),
                                             QSettings::IniFormat);
    m_window = std::make_unique<MainWindow>();
    if (m_commandLine.demo)
        m_window->setWindowTitle(tr("TSP Assistant (demo)"));
    auto *conversations = new ConversationsPage(m_bot->desk());
    m_window->setPage(MainWindow::Page::Conversations, conversations);
    m_bot->knowledgeDesk()->setOperatorName(m_bot->desk()->operatorName());
    m_window->setPage(MainWindow::Page::Knowledge, new KnowledgePage(m_bot->knowledgeDesk()));
    // The dashboard page: the charts, and the connection's health beside them.
    auto *dashboard = new QTabWidget;
    dashboard->setAccessibleName(tr("Dashboard and connection"));
    dashboard->setDocumentMode(true);
    dashboard->addTab(new DashboardPage(m_bot->statistics()), tr("Dashboard"));
    auto *health = new HealthPanel;
    health->setHealth(m_bot->desk()->health());
    connect(m_bot->desk(), &OperatorDesk::healthChanged, health, &HealthPanel::setHealth);
    connect(health, &HealthPanel::reconnectRequested, m_bot->desk(), &OperatorDesk::reconnect);
    dashboard->addTab(health, tr("Connection"));
    m_window->setPage(MainWindow::Page::Dashboard, dashboard);
    m_window->setPage(MainWindow::Page::Logs, new LogPage(m_logModel.get()));
    if (TicketDesk *tickets = m_bot->ticketDesk())
        addTickets(tickets, conversations);
    addSettingsPage();
    m_window->restoreWindowState(*m_settings);
    connect(m_window.get(), &MainWindow::quitRequested, this, [this] { shutdown(ExitCode::Ok); });
    connect(m_app.guard(), &InstanceGuard::activationRequested, m_window.get(), [this] {
        qCInfo(lcApp) << "a second start on this data dir asked to come to the front";
        m_window->bringToFront();
    });

    m_tray = std::make_unique<TrayController>();
    m_tray->setNotificationsEnabled(m_settings->value(kNotificationsKey, true).toBool());
    connect(m_tray.get(), &TrayController::availabilityChanged, m_window.get(), &MainWindow::setHideToTray);
    connect(m_tray.get(), &TrayController::showHideRequested, m_window.get(), &MainWindow::toggleVisible);
    connect(m_window.get(), &MainWindow::visibilityChanged, m_tray.get(), &TrayController::setWindowVisible);
    connect(m_tray.get(), &TrayController::sessionRequested, m_window.get(), &MainWindow::openSession);
    connect(m_tray.get(), &TrayController::quitRequested, this, [this] { shutdown(ExitCode::Ok); });
    connect(m_tray.get(), &TrayController::notificationsToggled, this,
            [this](bool on) { m_settings->setValue(kNotificationsKey, on); });
    m_tray->start();
    // START_MINIMIZED: into the tray when there is one (a click brings the window), else minimized.
    QString how = QStringLiteral("shown");
    if (!m_app.config().startMinimized) {
        m_window->show();
    } else if (m_tray->isAvailable()) {
        how = QStringLiteral("hidden in the tray (START_MINIMIZED)");
    } else {
        m_window->showMinimized();
        how = QStringLiteral("minimized, no tray (START_MINIMIZED)");
    }
    // bench_consolelive times the start by this line.
    qCInfo(lcApp).noquote() << QStringLiteral("console window \"%1\" %2").arg(m_window->windowTitle(), how);
}

void ConsoleRunner::addSettingsPage()
{
    m_settingsPage = new SettingsPage(m_saved.get(), m_secrets.get());
    m_settingsPage->setEffective(m_app.config().values(), m_app.config().sources, m_app.config().dataDir);
    connect(m_settingsPage, &SettingsPage::applied, this, [this](const QHash<QString, QString> &changed) {
        for (auto it = changed.cbegin(); it != changed.cend(); ++it) {
            if (SecretStore::isSecretKey(it.key()) && !it.value().isEmpty())
                m_keychain.insert(it.key(), it.value());
        }
        applySettings();
    });
    connect(m_settingsPage, &SettingsPage::wizardRequested, this, [this] { openWizard(false); });
    m_window->setPage(MainWindow::Page::Settings, m_settingsPage);

    // "Less secure" stays in sight while the secrets are in the 0600 file.
    m_lessSecure = new QLabel(tr("Less secure: secrets in a file"));
    m_lessSecure->setObjectName(QStringLiteral("lessSecureLabel"));
    m_lessSecure->setToolTip(tr("No keychain is used: the secrets are kept in %1, readable only by you.")
                                 .arg(m_secrets->fallbackFilePath()));
    m_lessSecure->setStyleSheet(QStringLiteral("color: #7a4100; background: #fff4e5; padding: 0 6px;"));
    m_lessSecure->setVisible(m_secrets->isLessSecure());
    m_window->statusBar()->addPermanentWidget(m_lessSecure);
    connect(m_secrets.get(), &SecretStore::storageChanged, m_lessSecure,
            [this] { m_lessSecure->setVisible(m_secrets->isLessSecure()); });
}

// The Tickets page, and the conversation's ticket ("Create ticket" / "Open ticket") at the top
// of the Conversations side panel.
void ConsoleRunner::addTickets(TicketDesk *desk, ConversationsPage *conversations)
{
    desk->setOperatorName(m_bot->desk()->operatorName());
    auto *page = new TicketsPage(desk);
    m_window->setPage(MainWindow::Page::Tickets, page);
    auto *ticketButton = new SessionTicketButton(desk);
    conversations->sidePanel()->addSection(ticketButton);
    ticketButton->setSession(conversations->currentSessionId());
    connect(conversations, &ConversationsPage::currentSessionChanged, ticketButton,
            &SessionTicketButton::setSession);
    connect(ticketButton, &SessionTicketButton::openTicketRequested, page, [this, page](qint64 ticketId) {
        m_window->showPage(MainWindow::Page::Tickets);
        page->openTicket(ticketId);
    });
    connect(page, &TicketsPage::openSessionRequested, m_window.get(), &MainWindow::openSession);
}

void ConsoleRunner::bindDesk(OperatorDesk *desk)
{
    StatusPanel *status = m_window->statusPanel();
    status->setHealth(desk->health());
    status->setCounts(desk->needsAttentionCount(), desk->pendingDraftCount());
    m_tray->setHealth(desk->health());
    m_tray->setCounts(desk->needsAttentionCount(), desk->pendingDraftCount());
    connect(desk, &OperatorDesk::healthChanged, status, &StatusPanel::setHealth);
    connect(desk, &OperatorDesk::healthChanged, m_tray.get(), &TrayController::setHealth);
    connect(desk, &OperatorDesk::countsChanged, status, &StatusPanel::setCounts);
    connect(desk, &OperatorDesk::countsChanged, m_tray.get(), &TrayController::setCounts);
    connect(desk, &OperatorDesk::pausedChanged, m_tray.get(), &TrayController::setPaused);
    connect(m_tray.get(), &TrayController::pauseRequested, desk, [desk](bool paused) {
        const DeskResult r = desk->setPaused(paused);
        if (!r.ok)
            qCWarning(lcApp).noquote() << "cannot pause the bot:" << r.error;
    });
    connect(desk, &OperatorDesk::attentionNeeded, m_tray.get(),
            [this, desk](qint64 sessionId, const QString &reason) {
                // The customer's words: the last turn is often the bot's hand-off reply.
                QString body = sessionLabel(desk->session(sessionId));
                if (const auto said = desk->lastCustomerTurn(sessionId); said && !said->text.isEmpty())
                    body += QLatin1Char('\n') + shorten(said->text);
                else if (!reason.isEmpty())
                    body += QLatin1Char('\n') + shorten(reason);
                m_tray->notify(sessionId, tr("A conversation needs a person"), body);
            });
    connect(desk, &OperatorDesk::draftCreated, m_tray.get(), [this, desk](qint64 sessionId, qint64 draftId) {
        const auto d = desk->draft(draftId);
        QString body = sessionLabel(desk->session(sessionId));
        if (d)
            body += QLatin1Char('\n') + shorten(d->botText);
        m_tray->notify(sessionId, tr("A draft waits for your review"), body);
    });
    if (m_commandLine.demo) {
        // The demo shows review too: the owners' group is reviewed from its first message on.
        connect(desk, &OperatorDesk::sessionAdded, this, [desk](qint64 sessionId) {
            const auto s = desk->session(sessionId);
            if (s && s->chatId == DemoScript::reviewChatId() && s->mode == SessionMode::Auto)
                desk->setMode(sessionId, SessionMode::Review, QStringLiteral("demo: this group is reviewed"));
        });
    }
}

void ConsoleRunner::saveAndHideWindow()
{
    if (!m_window)
        return;
    m_window->saveWindowState(*m_settings);
    m_settings->sync();
    m_window->setQuitting();
    m_window->hide();
}

void ConsoleRunner::closeWindow()
{
    m_tray.reset();
    m_window.reset(); // the settings page and the label with it
    m_settingsPage = nullptr;
    m_lessSecure = nullptr;
    m_bot = nullptr;
}

void ConsoleRunner::shutdown(int exitCode)
{
    m_app.quit(exitCode);
}

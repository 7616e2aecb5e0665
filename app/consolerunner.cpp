#include "consolerunner.h"

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QSettings>
#include <QTabWidget>
#include <QTextStream>

#include "applogging.h"
#include "bot/botservice.h"
#include "config/appconfig.h"
#include "conversations/conversationspage.h"
#include "conversations/sidepanel.h"
#include "dashboard/dashboardpage.h"
#include "demosandbox.h"
#include "desk/knowledgedesk.h"
#include "desk/operatordesk.h"
#include "desk/ticketdesk.h"
#include "headlessrunner.h"
#include "health/healthpanel.h"
#include "instanceguard.h"
#include "knowledge/knowledgepage.h"
#include "logs/logmodel.h"
#include "logs/logpage.h"
#include "mainwindow.h"
#include "sandbox/demoscript.h"
#include "signalwatcher.h"
#include "startup.h"
#include "statuspanel.h"
#include "tickets/sessionticketbutton.h"
#include "tickets/ticketspage.h"
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
    , m_commandLine(commandLine)
{}

ConsoleRunner::~ConsoleRunner()
{
    m_tray.reset();
    m_window.reset();
    m_demo.reset();
    m_bot.reset();
    m_sandbox.reset();
    m_logModel.reset();
}

int ConsoleRunner::start()
{
    AppConfig config;
    QString error;
    if (!HeadlessRunner::loadConfig(m_commandLine, &config, &error)) {
        tellOperator(tr("The configuration is not valid: %1").arg(error));
        return ExitCode::Usage;
    }

    m_guard = std::make_unique<InstanceGuard>(config.dataDir);
    QString holder;
    if (!m_guard->acquire(&holder)) {
        // A console on this data dir: bring it forward and leave. The headless bot: refuse.
        if (m_guard->activateRunning()) {
            QTextStream(stderr) << "tsp-assistant: the console is already running on " << config.dataDir
                                << "; it was brought to the front." << Qt::endl;
            return ExitCode::Ok;
        }
        tellOperator(tr("Another tsp-assistant (%1) is already running on the data dir %2. Stop it first, "
                        "or give this one its own --data-dir.")
                         .arg(holder, config.dataDir));
        return ExitCode::AlreadyRunning;
    }
    if (!m_guard->listen())
        qCWarning(lcApp)
            << "cannot listen for a second start; it will not be able to bring this window forward";

    Startup::setUpLogging(config);
    m_logModel = std::make_unique<LogModel>(); // from here on, every line is in the console's log view

    if (m_commandLine.demo && !startDemo(&config, &error)) {
        tellOperator(tr("The demo sandbox could not start: %1").arg(error));
        return ExitCode::Failed;
    }
    Startup::logBanner(config, QStringLiteral("the console"), m_commandLine.demo);
    if (!config.hasFeishuCredentials()) {
        tellOperator(tr("FEISHU_APP_ID and FEISHU_APP_SECRET are not set. Put them in .env (or the "
                        "environment), or try the console on the local sandbox with --demo."));
        return ExitCode::Usage;
    }

    m_signals = std::make_unique<SignalWatcher>();
    connect(m_signals.get(), &SignalWatcher::terminationRequested, this, [this](int sig) {
        if (m_shuttingDown) {
            QCoreApplication::exit(ExitCode::Ok);
            return;
        }
        qCInfo(lcApp) << "signal" << sig << "received, stopping";
        shutdown(ExitCode::Ok);
    });

    BotService::Options options;
    options.config = config;
    m_bot = std::make_unique<BotService>(options);
    if (!m_bot->open(&error)) {
        m_bot.reset();
        tellOperator(tr("The bot cannot start: %1").arg(error));
        return ExitCode::Failed;
    }
    createWindow(config.dataDir);
    bindDesk(m_bot->desk());

    connect(m_bot.get(), &BotService::ready, this, [this] {
        qCInfo(lcApp) << "connected to Feishu; waiting for messages";
        if (m_demo && !m_demo->isRunning() && m_demo->summary().pushed == 0)
            m_demo->start();
    });
    connect(m_bot.get(), &BotService::fatalError, this, [](int code, const QString &message) {
        // The console stays open: the status bar and the tray show the error, the log says why.
        qCCritical(lcApp).noquote()
            << QStringLiteral(
                   "Feishu refused the bot for good (code %1): %2. Fix the configuration and start again.")
                   .arg(code)
                   .arg(message);
    });
    connect(
        m_bot.get(), &BotService::stopped, this,
        [this] {
            qCInfo(lcApp).noquote() << QStringLiteral("stopped; exit code %1").arg(m_exitCode);
            m_tray.reset();
            m_window.reset();
            m_demo.reset();
            m_bot.reset(); // closes the database before the lock goes
            m_guard.reset();
            QCoreApplication::exit(m_exitCode);
        },
        Qt::QueuedConnection); // queued: the bot is deleted here, not inside its own signal
    m_bot->start();
    return -1;
}

bool ConsoleRunner::startDemo(AppConfig *config, QString *error)
{
    m_sandbox = std::make_unique<DemoSandbox>();
    if (!m_sandbox->start(config, error))
        return false;
    m_demo = std::make_unique<DemoScript>(m_sandbox->feishu());
    m_demo->setSteps(DemoScript::consoleSteps());
    bool ok = false;
    const int interval = qEnvironmentVariableIntValue("TSP_DEMO_INTERVAL_MS", &ok);
    m_demo->setContinuous(true, ok && interval > 0 ? interval : 4000);
    return true;
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
    m_window->restoreWindowState(*m_settings);
    connect(m_window.get(), &MainWindow::quitRequested, this, [this] { shutdown(ExitCode::Ok); });
    connect(m_guard.get(), &InstanceGuard::activationRequested, m_window.get(), [this] {
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
    m_window->show();
    qCInfo(lcApp) << "window shown"; // bench_consolelive times the start by this line
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

void ConsoleRunner::shutdown(int exitCode)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_exitCode = exitCode;
    if (m_window) {
        m_window->saveWindowState(*m_settings);
        m_settings->sync();
        m_window->setQuitting();
        m_window->hide();
    }
    if (!m_bot) {
        QCoreApplication::exit(exitCode);
        return;
    }
    m_bot->stop();
}

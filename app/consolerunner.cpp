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

    m_app.setupLogging();
    m_logModel = std::make_unique<LogModel>(); // from here on, every line is in the console's log view

    if (m_app.commandLine().demo) {
        if (!m_app.startDemo(&error)) {
            tellOperator(tr("The demo sandbox could not start: %1").arg(error));
            return ExitCode::Failed;
        }
        configureDemo();
    }
    m_app.logBanner(QStringLiteral("the console"));
    if (!m_app.config().hasFeishuCredentials()) {
        tellOperator(tr("FEISHU_APP_ID and FEISHU_APP_SECRET are not set. Put them in .env (or the "
                        "environment), or try the console on the local sandbox with --demo."));
        return ExitCode::Usage;
    }

    if (!m_app.openBot(&error)) {
        tellOperator(tr("The bot cannot start: %1").arg(error));
        return ExitCode::Failed;
    }
    m_bot = m_app.bot();
    createWindow(dataDir);
    bindDesk(m_bot->desk());
    // A fatal Feishu error leaves the console open: the status bar and the tray show it, the log
    // says why.
    connect(&m_app, &Application::quitting, this, &ConsoleRunner::saveAndHideWindow);
    connect(&m_app, &Application::stopped, this, &ConsoleRunner::closeWindow);
    m_app.startBot();
    return -1;
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
    m_window.reset();
    m_bot = nullptr;
}

void ConsoleRunner::shutdown(int exitCode)
{
    m_app.quit(exitCode);
}

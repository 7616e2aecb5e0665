#include "headlessrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

#include "application.h"
#include "applogging.h"
#include "bot/botservice.h"
#include "config/envfile.h"
#include "logging/logging.h"
#include "sandbox/demoscript.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "signalwatcher.h"

using namespace AppLogging;

namespace {

QElapsedTimer g_processClock; // since the runner was made, for the "connected in" figure

} // namespace

HeadlessRunner::HeadlessRunner(const CommandLine &commandLine, QObject *parent)
    : QObject(parent)
    , m_commandLine(commandLine)
{
    g_processClock.start();
}

HeadlessRunner::~HeadlessRunner()
{
    if (m_app)
        m_app->releaseDemo(); // the scripted customers talk to the bot: they go first
    m_demo = nullptr;
    m_bot.reset();
}

bool HeadlessRunner::loadConfig(const CommandLine &commandLine, AppConfig *config, QString *error)
{
    return Application::loadConfig(commandLine, config, error);
}

int HeadlessRunner::start()
{
    m_app = std::make_unique<Application>(m_commandLine);
    QString error;
    if (!m_app->loadConfiguration(&error)) {
        qCCritical(lcConfig).noquote() << "configuration:" << error;
        return ExitCode::Usage;
    }
    if (!m_app->acquireDataDir(&error)) {
        qCCritical(lcApp).noquote() << error;
        return ExitCode::AlreadyRunning;
    }
    m_app->setupLogging();
    if (m_commandLine.demo && !startDemo(&error)) {
        qCCritical(lcApp).noquote() << "demo sandbox:" << error;
        return ExitCode::Failed;
    }
    const AppConfig &config = m_app->config();

    qCInfo(lcApp).noquote() << QStringLiteral("tsp-assistant %1 starting headless%2 (pid %3)")
                                       .arg(QCoreApplication::applicationVersion(),
                                            m_commandLine.demo
                                                ? QStringLiteral(" against the local demo sandbox")
                                                : QString())
                                       .arg(QCoreApplication::applicationPid());
    for (const QString &line : config.bannerLines())
        qCInfo(lcApp).noquote() << "  " << line;
    for (const QString &w : std::as_const(config.warnings))
        qCWarning(lcConfig).noquote() << w;
    if (!config.hasFeishuCredentials()) {
        qCCritical(lcConfig).noquote()
            << "FEISHU_APP_ID and FEISHU_APP_SECRET are not set: put them in .env (or the environment), "
               "or try the local sandbox with --demo";
        return ExitCode::Usage;
    }

    m_signals = std::make_unique<SignalWatcher>();
    connect(m_signals.get(), &SignalWatcher::terminationRequested, this, [this](int sig) {
        if (m_shuttingDown) {
            qCWarning(lcApp) << "second signal" << sig << "- quitting now";
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
        qCCritical(lcApp).noquote() << "cannot start:" << error;
        m_bot.reset();
        return ExitCode::Failed;
    }
    connect(m_bot.get(), &BotService::ready, this, [this] {
        qCInfo(lcApp).noquote() << QStringLiteral(
                                           "connected to Feishu %1 ms after start; waiting for messages")
                                           .arg(g_processClock.elapsed());
        if (m_demo && !m_demo->isRunning() && m_demo->summary().pushed == 0)
            m_demo->start();
    });
    connect(m_bot.get(), &BotService::fatalError, this, [this](int code, const QString &message) {
        qCCritical(lcApp).noquote()
            << QStringLiteral("Feishu refused the bot for good (code %1): %2. Not retrying; "
                              "fix the configuration and start again.")
                   .arg(code)
                   .arg(message);
        shutdown(ExitCode::Failed);
    });
    connect(
        m_bot.get(), &BotService::stopped, this,
        [this] {
            const BotService::Counters c = m_bot->counters();
            qCInfo(lcApp).noquote()
                << QStringLiteral("stopped (%1 push(es), %2 message(s) handled); exit code %3")
                       .arg(c.events)
                       .arg(c.messages)
                       .arg(m_exitCode);
            m_bot.reset(); // closes the database before the lock goes
            m_app->releaseDataDir();
            QCoreApplication::exit(m_exitCode);
        },
        Qt::QueuedConnection); // queued: the bot is deleted here, not inside its own signal
    m_bot->start();
    return -1;
}

bool HeadlessRunner::startDemo(QString *error)
{
    if (!m_app->startDemo(error))
        return false;
    m_demo = m_app->demo();
    connect(m_demo, &DemoScript::finished, this, [this](const DemoScript::Summary &s) {
        const bool ok = s.missingReplies == 0 && s.unexpectedReplies == 0;
        if (m_commandLine.once) {
            shutdown(ok ? ExitCode::Ok : ExitCode::Failed);
            return;
        }
        qCInfo(lcApp).noquote() << "the demo bot keeps running; press Ctrl+C to quit";
    });
    return true;
}

void HeadlessRunner::shutdown(int exitCode)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_exitCode = exitCode;
    if (!m_bot) {
        QCoreApplication::exit(exitCode);
        return;
    }
    m_bot->stop();
}

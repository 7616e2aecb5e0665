#include "application.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

#include "applogging.h"
#include "bot/botservice.h"
#include "config/envfile.h"
#include "config/savedsettings.h"
#include "demosandbox.h"
#include "instanceguard.h"
#include "logging/logging.h"
#include "logging/stallwatchdog.h"
#include "sandbox/demoscript.h"
#include "signalwatcher.h"

using namespace AppLogging;

Application::Application(const CommandLine &commandLine, QObject *parent)
    : QObject(parent)
    , m_commandLine(commandLine)
{
    m_clock.start();
}

Application::~Application()
{
    // The scripted customers and the stand-ins talk to the bot: they go first, the lock last.
    m_demo.reset();
    m_bot.reset();
    m_sandbox.reset();
    m_guard.reset();
}

bool Application::loadConfig(const CommandLine &commandLine, AppConfig *config, QString *error,
                             const QHash<QString, QString> &keychain)
{
    QString dataDir = commandLine.dataDir;
    if (dataDir.isEmpty()) {
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (commandLine.demo)
            dataDir = QDir(dataDir).absoluteFilePath(QStringLiteral("demo"));
    }
    dataDir = QDir(dataDir).absolutePath();
    if (!QDir().mkpath(dataDir)) {
        *error = QStringLiteral("cannot create the data dir %1").arg(dataDir);
        return false;
    }

    EnvFile env;
    QString envPath = commandLine.envFile;
    if (!envPath.isEmpty()) {
        if (!env.load(envPath)) {
            *error = QStringLiteral("cannot read --env-file %1: %2").arg(envPath, env.errorString());
            return false;
        }
    } else if (QFileInfo::exists(QStringLiteral(".env"))) {
        envPath = QStringLiteral(".env");
        if (!env.load(envPath)) {
            *error = QStringLiteral("cannot read ./.env: %1").arg(env.errorString());
            return false;
        }
    }

    AppConfig::Inputs in;
    in.envFile = envPath.isEmpty() ? nullptr : &env;
    in.dataDir = dataDir;
    // What the console's settings page saved (never a secret): below .env in precedence.
    const SavedSettings saved(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation));
    in.saved = saved.values();
    in.keychain = keychain;
    if (commandLine.demo) {
        // The demo never touches a real tenant or a real database, whatever the .env says.
        in.commandLine.insert(QStringLiteral("DATABASE_URL"),
                              QStringLiteral("sqlite:///") +
                                  QDir(dataDir).absoluteFilePath(QStringLiteral("tsp-assistant.db")));
    }
    if (!AppConfig::resolve(in, config, error))
        return false;
    config->envFilePath = envPath.isEmpty() ? QString() : QFileInfo(envPath).absoluteFilePath();
    for (const EnvFile::Problem &p : env.problems())
        config->warnings << QStringLiteral("%1:%2: %3").arg(envPath).arg(p.line).arg(p.message);
    return true;
}

bool Application::loadConfiguration(QString *error)
{
    return loadConfig(m_commandLine, &m_config, error);
}

bool Application::acquireDataDir(QString *error, QString *holder)
{
    m_guard = std::make_unique<InstanceGuard>(m_config.dataDir);
    QString who;
    if (m_guard->acquire(&who))
        return true;
    if (holder)
        *holder = who;
    *error = QStringLiteral("another tsp-assistant is already running on the data dir %1 (held by %2). "
                            "Stop it first, or give this one its own --data-dir.")
                 .arg(m_config.dataDir, who);
    return false;
}

void Application::setupLogging()
{
    setupLogging(m_config);
}

void Application::setupLogging(const AppConfig &config)
{
    // LOG_FILE; a relative path is taken from the data dir.
    const QString file =
        QDir(config.dataDir)
            .absoluteFilePath(config.logFile.isEmpty() ? QStringLiteral("logs/tsp-assistant.log")
                                                       : config.logFile);
    QDir().mkpath(QFileInfo(file).absolutePath());
    Logging::setup(config.logLevel, file);
}

bool Application::startDemo(QString *error)
{
    m_sandbox = std::make_unique<DemoSandbox>();
    if (!m_sandbox->start(&m_config, error))
        return false;
    m_demo = std::make_unique<DemoScript>(m_sandbox->feishu());
    return true;
}

void Application::logBanner(const QString &mode) const
{
    qCInfo(lcApp).noquote() << QStringLiteral("tsp-assistant %1 starting %2%3 (pid %4)")
                                   .arg(QCoreApplication::applicationVersion(), mode,
                                        m_commandLine.demo ? QStringLiteral(" against the local demo sandbox")
                                                           : QString())
                                   .arg(QCoreApplication::applicationPid());
    for (const QString &line : m_config.bannerLines())
        qCInfo(lcApp).noquote() << "  " << line;
    for (const QString &w : std::as_const(m_config.warnings))
        qCWarning(lcConfig).noquote() << w;
}

bool Application::openBot(QString *error)
{
    BotService::Options options;
    options.config = m_config;
    m_bot = std::make_unique<BotService>(options);
    if (m_bot->open(error))
        return true;
    m_bot.reset();
    return false;
}

void Application::startBot()
{
    if (const QByteArray v = qgetenv("TSP_STALL_REPORT"); !v.isEmpty() && v != "0") {
        m_watchdog = std::make_unique<StallWatchdog>();
        m_watchdog->start();
        qCInfo(lcApp) << "TSP_STALL_REPORT: watching the main thread for stalls over 50 ms";
    }
    m_signals = std::make_unique<SignalWatcher>();
    connect(m_signals.get(), &SignalWatcher::terminationRequested, this, [this](int sig) {
        if (m_quitting) {
            qCWarning(lcApp) << "second signal" << sig << "- quitting now";
            QCoreApplication::exit(ExitCode::Ok);
            return;
        }
        qCInfo(lcApp) << "signal" << sig << "received, stopping";
        quit(ExitCode::Ok);
    });
    connect(m_bot.get(), &BotService::ready, this, [this] {
        qCInfo(lcApp).noquote() << QStringLiteral(
                                       "connected to Feishu %1 ms after start; waiting for messages")
                                       .arg(m_clock.elapsed());
        if (m_demo && !m_demo->isRunning() && m_demo->summary().pushed == 0)
            m_demo->start();
    });
    connect(m_bot.get(), &BotService::fatalError, this, [](int code, const QString &message) {
        qCCritical(lcApp).noquote()
            << QStringLiteral(
                   "Feishu refused the bot for good (code %1): %2. Fix the configuration and start again.")
                   .arg(code)
                   .arg(message);
    });
    // Queued: the bot is deleted there, not inside its own signal.
    connect(m_bot.get(), &BotService::stopped, this, &Application::finish, Qt::QueuedConnection);
    m_bot->start();
}

void Application::quit(int exitCode)
{
    if (m_quitting)
        return;
    m_quitting = true;
    m_exitCode = exitCode;
    emit quitting(exitCode);
    if (!m_bot) {
        // Queued: this may run before the event loop does (QCoreApplication::exit would be lost),
        // e.g. when the first-run wizard is cancelled.
        QTimer::singleShot(0, qApp, [exitCode] { QCoreApplication::exit(exitCode); });
        return;
    }
    m_bot->stop();
}

void Application::finish()
{
    const BotService::Counters c = m_bot->counters();
    qCInfo(lcApp).noquote() << QStringLiteral("stopped (%1 push(es), %2 message(s) handled); exit code %3")
                                   .arg(c.events)
                                   .arg(c.messages)
                                   .arg(m_exitCode);
    reportStalls();
    emit stopped(m_exitCode);
    m_demo.reset();
    m_bot.reset(); // closes the database before the lock goes
    m_guard.reset();
    QCoreApplication::exit(m_exitCode);
}

void Application::reportStalls()
{
    if (!m_watchdog)
        return;
    m_watchdog->stop();
    for (const QString &line : m_watchdog->report().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        qCInfo(lcApp).noquote() << line;
    m_watchdog.reset();
}

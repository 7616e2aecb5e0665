#include "application.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "applogging.h"
#include "config/envfile.h"
#include "config/savedsettings.h"
#include "instanceguard.h"
#include "logging/logging.h"
#include "sandbox/demoscript.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "startup.h"

Application::Application(const CommandLine &commandLine, QObject *parent)
    : QObject(parent)
    , m_commandLine(commandLine)
{}

Application::~Application()
{
    releaseDemo();
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

bool Application::acquireDataDir(QString *error)
{
    m_guard = std::make_unique<InstanceGuard>(m_config.dataDir);
    QString holder;
    if (m_guard->acquire(&holder))
        return true;
    *error = QStringLiteral("another tsp-assistant is already running on the data dir %1 (held by %2). "
                            "Stop it first, or give this one its own --data-dir.")
                 .arg(m_config.dataDir, holder);
    return false;
}

void Application::setupLogging()
{
    Startup::setUpLogging(m_config);
}

bool Application::startDemo(QString *error)
{
    FeishuSandbox::Options so;
    m_sandbox = std::make_unique<FeishuSandbox>(so);
    m_sandbox->setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 30},
                                           {QStringLiteral("ReconnectCount"), -1},
                                           {QStringLiteral("ReconnectInterval"), 2},
                                           {QStringLiteral("ReconnectNonce"), 1}});
    if (!m_sandbox->start()) {
        *error = QStringLiteral("cannot listen on 127.0.0.1");
        return false;
    }
    AppConfig &config = m_config;
    config.appId = so.appId;
    config.appSecret = so.appSecret;
    config.feishuDomain = m_sandbox->baseUrl();
    config.proxy = QStringLiteral("none");
    config.caFile.clear();
    for (const char *key : {"FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_DOMAIN"})
        config.sources.insert(QLatin1String(key), AppConfig::Source::CommandLine);
    if (!config.hasLlm()) {
        m_llmStandIn = std::make_unique<LlmStandIn>();
        if (!m_llmStandIn->start()) {
            *error = QStringLiteral("cannot start the LLM stand-in on 127.0.0.1");
            return false;
        }
        config.llmProvider = QStringLiteral("custom");
        config.llmBaseUrl = m_llmStandIn->baseUrl();
        config.llmModel = m_llmStandIn->model();
        config.llmApiKey =
            QStringLiteral("demo-standin-key"); // the stand-in checks none; the client wants one
    }
    qCInfo(AppLogging::lcSandbox).noquote()
        << QStringLiteral("demo sandbox on %1 (Feishu) and %2 (LLM stand-in); no credentials needed")
               .arg(m_sandbox->baseUrl().toString(),
                    m_llmStandIn ? m_llmStandIn->baseUrl() : QStringLiteral("<your LLM>"));
    m_demo = std::make_unique<DemoScript>(m_sandbox.get());
    return true;
}

void Application::releaseDemo()
{
    m_demo.reset();
    m_llmStandIn.reset();
    m_sandbox.reset();
}

void Application::releaseDataDir()
{
    m_guard.reset();
}

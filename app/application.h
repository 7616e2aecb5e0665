#pragma once

#include <memory>

#include <QObject>
#include <QString>

#include "commandline.h"
#include "config/appconfig.h"

class DemoScript;
class FeishuSandbox;
class InstanceGuard;
class LlmStandIn;

// What every mode shares (architecture.md, "The console's way into core"): the resolved
// configuration, the data-dir instance guard, logging, and the demo sandbox. The headless,
// console, kb and tickets runners are thin layers on top of it.
class Application final : public QObject
{
    Q_OBJECT
public:
    explicit Application(const CommandLine &commandLine, QObject *parent = nullptr);
    ~Application() override;
    Q_DISABLE_COPY_MOVE(Application)

    // Resolves the configuration of every mode: data dir, .env, precedence. False with *error.
    // `keychain`: the secrets read from SecretStore (the console), at the rank of saved settings.
    static bool loadConfig(const CommandLine &commandLine, AppConfig *config, QString *error,
                           const QHash<QString, QString> &keychain = {});

    // loadConfig() into config(); false with *error (exit code Usage).
    bool loadConfiguration(QString *error);
    // The data-dir lock; false with *error naming the holder (exit code AlreadyRunning).
    bool acquireDataDir(QString *error);
    // Logging to stderr and LOG_FILE (default <data-dir>/logs/tsp-assistant.log).
    void setupLogging();
    // --demo: FeishuSandbox and (unless an LLM is configured) the LLM stand-in on 127.0.0.1, wired
    // into config(); the scripted customers are made but not started. False with *error.
    bool startDemo(QString *error);

    const CommandLine &commandLine() const { return m_commandLine; }
    AppConfig &config() { return m_config; }
    const AppConfig &config() const { return m_config; }
    InstanceGuard *guard() const { return m_guard.get(); }
    FeishuSandbox *sandbox() const { return m_sandbox.get(); }
    DemoScript *demo() const { return m_demo.get(); }
    // Ends the demo's scripted customers and the stand-ins (before the bot goes away: they talk to
    // it), then lets go of the data dir.
    void releaseDemo();
    void releaseDataDir();

private:
    CommandLine m_commandLine;
    AppConfig m_config;
    std::unique_ptr<InstanceGuard> m_guard;
    std::unique_ptr<FeishuSandbox> m_sandbox;
    std::unique_ptr<LlmStandIn> m_llmStandIn;
    std::unique_ptr<DemoScript> m_demo;
};

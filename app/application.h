#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include "commandline.h"
#include "config/appconfig.h"

class BotService;
class DemoSandbox;
class DemoScript;
class InstanceGuard;
class SignalWatcher;
class StallWatchdog;

// What every mode shares (architecture.md, "The console's way into core"): the resolved
// configuration, the data-dir instance guard, logging, the demo sandbox, and the bot's life from
// open to the clean stop (SIGINT/SIGTERM included). The headless and console runners are thin
// layers on top of it: they call the steps in order, report errors their own way (stderr or a
// window) and add what only they have (the --once exit, the window and the tray). The kb and
// tickets runners use loadConfig() only.
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
    // The data-dir lock; false with *error naming the holder (exit code AlreadyRunning) and, when
    // given, *holder as the lock file tells it.
    bool acquireDataDir(QString *error, QString *holder = nullptr);
    // Logging to stderr and LOG_FILE (default <data-dir>/logs/tsp-assistant.log).
    void setupLogging();
    static void setupLogging(const AppConfig &config);
    // --demo: the FeishuSandbox and (unless an LLM is configured) the LLM stand-in on 127.0.0.1,
    // wired into config(); the scripted customers are made (demo()) and start once the bot is
    // connected. False with *error.
    bool startDemo(QString *error);
    // "tsp-assistant <version> starting <mode>[ against the local demo sandbox] (pid N)", then
    // the configuration banner and its warnings.
    void logBanner(const QString &mode) const;

    // Makes the bot from config() and opens it (database, stores, desk). False with *error (exit
    // code Failed); the bot is gone then.
    bool openBot(QString *error);
    // Starts the bot and watches SIGINT/SIGTERM: a signal quits with Ok, a second one at once.
    // On the first connection the demo customers start. When the bot has stopped, stopped() is
    // emitted, then the demo, the bot and the data-dir lock go and the event loop exits with the
    // code given to quit().
    // With the environment variable TSP_STALL_REPORT set (to anything but 0; a diagnostic for
    // benchmarks, not a setting), the main thread's stall watchdog runs from here on, and at the
    // stop the log gets "main-thread stalls over 50 ms: N, longest M ms" and one line per stall.
    void startBot();
    // Stops the bot cleanly and exits with exitCode (at once when there is no bot). Emits
    // quitting() first. Idempotent.
    void quit(int exitCode);
    bool isQuitting() const { return m_quitting; }

    const CommandLine &commandLine() const { return m_commandLine; }
    AppConfig &config() { return m_config; }
    const AppConfig &config() const { return m_config; }
    InstanceGuard *guard() const { return m_guard.get(); }
    DemoScript *demo() const { return m_demo.get(); }
    BotService *bot() const { return m_bot.get(); }

signals:
    // quit() was called: the bot is about to stop (the console saves and hides its window).
    void quitting(int exitCode);
    // The bot has stopped and is still there: the last moment to let go of what uses it.
    void stopped(int exitCode);

private:
    void finish();
    void reportStalls();

    CommandLine m_commandLine;
    AppConfig m_config;
    QElapsedTimer m_clock; // since start-up, for the "connected in" figure
    std::unique_ptr<InstanceGuard> m_guard;
    std::unique_ptr<DemoSandbox> m_sandbox;
    std::unique_ptr<DemoScript> m_demo;
    std::unique_ptr<SignalWatcher> m_signals;
    std::unique_ptr<BotService> m_bot;
    std::unique_ptr<StallWatchdog> m_watchdog;
    int m_exitCode = 0;
    bool m_quitting = false;
};

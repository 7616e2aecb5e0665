#pragma once

#include <memory>

#include <QObject>

#include "commandline.h"
#include "config/appconfig.h"

class BotService;
class DemoSandbox;
class DemoScript;
class InstanceGuard;
class SignalWatcher;

// `tsp-assistant --headless [--demo [--once]]`: the bot without a GUI.
//
// Start-up: configuration (exit 2 on a bad value), the data-dir lock (exit 3 when another
// instance has it), logging to stderr and <data-dir>/logs/tsp-assistant.log, the banner, then
// BotService::open (exit 1 with the reason, e.g. a damaged database) and start. With --demo a
// FeishuSandbox and an OpenAI-compatible stand-in run in this process on 127.0.0.1 and scripted
// customers talk to the bot. SIGINT/SIGTERM stop it cleanly with exit code 0.
class HeadlessRunner final : public QObject
{
    Q_OBJECT
public:
    explicit HeadlessRunner(const CommandLine &commandLine, QObject *parent = nullptr);
    ~HeadlessRunner() override;
    Q_DISABLE_COPY_MOVE(HeadlessRunner)

    // Sets up and starts; returns an exit code to quit with at once, or -1 to enter the event loop
    // (the runner quits the application with the final code).
    int start();

    // Resolves the configuration of every mode: data dir, .env, precedence. False with *error.
    static bool loadConfig(const CommandLine &commandLine, AppConfig *config, QString *error);

private:
    bool startDemo(AppConfig *config, QString *error);
    void shutdown(int exitCode);

    CommandLine m_commandLine;
    std::unique_ptr<InstanceGuard> m_guard;
    std::unique_ptr<SignalWatcher> m_signals;
    std::unique_ptr<DemoSandbox> m_sandbox;
    std::unique_ptr<DemoScript> m_demo;
    std::unique_ptr<BotService> m_bot;
    int m_exitCode = 0;
    bool m_shuttingDown = false;
};

#pragma once

#include <QObject>

#include "application.h"
#include "commandline.h"

// `tsp-assistant --headless [--demo [--once]]`: the bot without a GUI.
//
// Start-up: configuration (exit 2 on a bad value), the data-dir lock (exit 3 when another
// instance has it), logging to stderr and <data-dir>/logs/tsp-assistant.log, the banner, then
// BotService::open (exit 1 with the reason, e.g. a damaged database) and start. With --demo a
// FeishuSandbox and an OpenAI-compatible stand-in run in this process on 127.0.0.1 and scripted
// customers talk to the bot. SIGINT/SIGTERM stop it cleanly with exit code 0; a fatal Feishu
// error stops it with exit code 1. The shared steps are Application's.
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

private:
    Application m_app;
};

#pragma once

#include <memory>

#include <QObject>

#include "commandline.h"

class BotService;
class ConversationsPage;
class DemoSandbox;
class DemoScript;
class InstanceGuard;
class LogModel;
class MainWindow;
class OperatorDesk;
class QSettings;
class SignalWatcher;
class TicketDesk;
class TrayController;

// `tsp-assistant [--demo]`: the console. The bot (the same BotService as --headless, its long
// connection on its own I/O thread) runs in this process's event loop; the window, the tray and
// the notifications see it through its OperatorDesk, the health snapshot and LogBus only.
//
// Start-up: configuration (exit 2), the data-dir lock: when a console already holds it, it is
// asked to come forward and this process exits 0; when the headless bot holds it, exit 3. Then
// logging, the window, the bot. With --demo the sandbox and the LLM stand-in run in this process
// and scripted customers keep writing (TSP_DEMO_INTERVAL_MS between messages, default 4000).
// Quitting (tray, Ctrl+Q, closing without a tray, SIGINT/SIGTERM) stops the bot cleanly.
class ConsoleRunner final : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleRunner(const CommandLine &commandLine, QObject *parent = nullptr);
    ~ConsoleRunner() override;
    Q_DISABLE_COPY_MOVE(ConsoleRunner)

    // Needs a QApplication. Returns an exit code to quit with at once, or -1 to enter the event
    // loop (the runner quits the application with the final code).
    int start();

private:
    bool startDemo(class AppConfig *config, QString *error);
    void createWindow(const QString &dataDir);
    void bindDesk(OperatorDesk *desk);
    void addTickets(TicketDesk *desk, ConversationsPage *conversations);
    void shutdown(int exitCode);

    CommandLine m_commandLine;
    std::unique_ptr<InstanceGuard> m_guard;
    std::unique_ptr<SignalWatcher> m_signals;
    std::unique_ptr<DemoSandbox> m_sandbox;
    std::unique_ptr<DemoScript> m_demo;
    std::unique_ptr<BotService> m_bot;
    std::unique_ptr<LogModel> m_logModel;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<TrayController> m_tray;
    int m_exitCode = 0;
    bool m_shuttingDown = false;
};

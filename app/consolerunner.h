#pragma once

#include <memory>

#include <QObject>

#include "application.h"
#include "commandline.h"

class BotService;
class ConversationsPage;
class LogModel;
class MainWindow;
class OperatorDesk;
class QSettings;
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
// Quitting (tray, Ctrl+Q, closing without a tray, SIGINT/SIGTERM) stops the bot cleanly. The steps
// the console shares with the headless bot (configuration, lock, logging, demo, the bot's start
// and stop) are Application's; this class adds the window, the tray and the notifications.
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
    void configureDemo();
    void createWindow(const QString &dataDir);
    void bindDesk(OperatorDesk *desk);
    void addTickets(TicketDesk *desk, ConversationsPage *conversations);
    // Application::quitting: keep the window's geometry and hide it while the bot stops.
    void saveAndHideWindow();
    // Application::stopped: the window and the tray go before the bot they show.
    void closeWindow();
    void shutdown(int exitCode);

    // Declared first so it goes last: the log view keeps every line until the end.
    std::unique_ptr<LogModel> m_logModel;
    Application m_app;
    const CommandLine &m_commandLine;
    BotService *m_bot = nullptr; // m_app's, from open until the window closes
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<TrayController> m_tray;
};

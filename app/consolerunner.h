#pragma once

#include <memory>

#include <QHash>
#include <QObject>
#include <QStringList>

#include "application.h"
#include "commandline.h"

class BotService;
class ConversationsPage;
class LogModel;
class MainWindow;
class OperatorDesk;
class QLabel;
class QSettings;
class SavedSettings;
class SecretStore;
class SettingsPage;
class TicketDesk;
class TrayController;

// `tsp-assistant [--demo]`: the console. The bot (the same BotService as --headless, its long
// connection on its own I/O thread) runs in this process's event loop; the window, the tray and
// the notifications see it through its OperatorDesk, the health snapshot and LogBus only.
//
// Start-up: configuration (exit 2), the data-dir lock: when a console already holds it, it is
// asked to come forward and this process exits 0; when the headless bot holds it, exit 3. Then
// UI_LANGUAGE and logging. Without a configuration (no FEISHU_APP_ID from the command line, the
// environment, .env or the saved settings) and without --demo, the first-run wizard opens; its
// Finish saves the settings and the secrets and the bot starts. Otherwise the secrets not given
// by the environment or .env are read from the keychain (SecretStore, asynchronously: the window
// thread never waits on it), or asked for (ask-at-start mode, or nothing stored). Then the
// window, the bot. The Settings page applies changes live (BotService::reconfigure). With --demo
// the sandbox and the LLM stand-in run in this process and scripted customers keep writing
// (TSP_DEMO_INTERVAL_MS between messages, default 4000). Quitting (tray, Ctrl+Q, closing without a
// tray, SIGINT/SIGTERM) stops the bot cleanly. The steps the console shares with the headless bot
// (configuration, lock, logging, demo, the bot's start and stop) are Application's; this class
// adds the secrets, the wizard, the window, the tray and the notifications.
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

    // The configuration in force (secrets included).
    const AppConfig &config() const { return m_app.config(); }

private:
    void configureDemo();
    // Resolves the configuration again (saved settings may have changed) with m_keychain.
    bool reloadConfig(QString *error);
    bool reloadOrQuit(); // reloadConfig(), or tell the operator and quit (exit 2)
    void openWizard(bool firstRun);
    void loadSecrets();
    void onSecretLoaded(const QString &key, const QString &value);
    void secretsLoaded();
    void askStorageAtStart(const QString &reason);
    void askForSecrets(const QString &why);
    void startBot();
    void applySettings();
    void createWindow(const QString &dataDir);
    void bindDesk(OperatorDesk *desk);
    void addTickets(TicketDesk *desk, ConversationsPage *conversations);
    void addSettingsPage();
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
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<SavedSettings> m_saved;
    SettingsPage *m_settingsPage = nullptr; // owned by the window
    QLabel *m_lessSecure = nullptr;         // in the window's status bar
    QHash<QString, QString> m_keychain;     // secrets from SecretStore (or typed at this start)
    QStringList m_secretsWanted;            // reads still running at start
    bool m_loadingSecrets = false;
    bool m_choosingStorage = false;
};

#pragma once

#include <QString>
#include <QStringList>

// The command line contract (architecture.md, "Interfaces other programs rely on"):
//
//   tsp-assistant                      the console (GUI)
//   tsp-assistant --demo               the console wired to the local sandbox
//   tsp-assistant --headless           the bot without GUI
//       --env-file PATH                .env to read (default ./.env when present)
//       --data-dir DIR                 database, logs and caches (default: the app-data dir)
//   tsp-assistant kb import FILE | kb export FILE | kb search [--top K] [--json] QUERY
//   tsp-assistant tickets sync | tickets list [--json]
//   tsp-assistant --version | --help
//
// Extensions: --once (with --demo: quit when the scripted conversations are done; the exit code
// says whether every expected reply came).
struct CommandLine
{
    enum class Mode { Console, Headless, Kb, Tickets, Version, Help };

    Mode mode = Mode::Console;
    bool demo = false;
    bool once = false;
    QString envFile;         // as given ('' = not given)
    QString dataDir;         // as given ('' = not given)
    QStringList kbArgs;      // the arguments after "kb"
    QStringList ticketsArgs; // the arguments after "tickets"
    QString error;           // bad usage: what is wrong

    // `args` without the program name.
    static CommandLine parse(const QStringList &args);
    static QString helpText();
};

// Exit codes of every mode.
namespace ExitCode {
constexpr int Ok = 0;
constexpr int Failed = 1;         // runtime failure: database, fatal Feishu error, demo failed
constexpr int Usage = 2;          // bad command line or configuration
constexpr int AlreadyRunning = 3; // another instance holds the data dir
} // namespace ExitCode

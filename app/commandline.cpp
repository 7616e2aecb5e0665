#include "commandline.h"

#include "config/settingstable.h"
#include "knowledge/kbcommand.h"

namespace {

// --name VALUE or --name=VALUE at args[*i]; advances *i past a separate value.
bool takeValue(const QStringList &args, qsizetype *i, const QString &name, QString *value, QString *error)
{
    const QString &a = args.at(*i);
    if (a == name) {
        if (*i + 1 >= args.size() || args.at(*i + 1).isEmpty()) {
            *error = QStringLiteral("%1 needs a value").arg(name);
            return true;
        }
        *value = args.at(++*i);
        return true;
    }
    if (a.startsWith(name + QLatin1Char('='))) {
        *value = a.mid(name.size() + 1);
        if (value->isEmpty())
            *error = QStringLiteral("%1 needs a value").arg(name);
        return true;
    }
    return false;
}

} // namespace

CommandLine CommandLine::parse(const QStringList &args)
{
    CommandLine c;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (c.mode == Mode::Kb) {
            // kb's own arguments; the global options may still appear among them.
            if (takeValue(args, &i, QStringLiteral("--data-dir"), &c.dataDir, &c.error) ||
                takeValue(args, &i, QStringLiteral("--env-file"), &c.envFile, &c.error))
                continue;
            c.kbArgs << a;
            continue;
        }
        if (takeValue(args, &i, QStringLiteral("--data-dir"), &c.dataDir, &c.error) ||
            takeValue(args, &i, QStringLiteral("--env-file"), &c.envFile, &c.error))
            continue;
        if (a == QLatin1String("--headless"))
            c.mode = Mode::Headless;
        else if (a == QLatin1String("--demo"))
            c.demo = true;
        else if (a == QLatin1String("--once"))
            c.once = true;
        else if (a == QLatin1String("--version") || a == QLatin1String("-v"))
            return CommandLine{Mode::Version};
        else if (a == QLatin1String("--help") || a == QLatin1String("-h"))
            return CommandLine{Mode::Help};
        else if (a == QLatin1String("kb") && c.mode == Mode::Console && !c.demo)
            c.mode = Mode::Kb;
        else
            c.error = QStringLiteral("unknown argument \"%1\"").arg(a);
        if (!c.error.isEmpty())
            return c;
    }
    if (c.error.isEmpty() && c.once && !c.demo)
        c.error = QStringLiteral("--once only makes sense with --demo");
    if (c.error.isEmpty() && c.mode == Mode::Kb && c.kbArgs.isEmpty())
        c.error = QStringLiteral("kb needs a command: import, export or search");
    return c;
}

QString CommandLine::helpText()
{
    return QStringLiteral(
               "Usage:\n"
               "  tsp-assistant                      the console (GUI)\n"
               "  tsp-assistant --demo               the console wired to the local Feishu sandbox\n"
               "  tsp-assistant --headless [--demo [--once]]\n"
               "                                     the bot without GUI (server, systemd); --demo runs it\n"
               "                                     against the built-in sandbox with scripted customers,\n"
               "                                     --once quits when they are done\n"
               "  tsp-assistant kb import FILE       import knowledge (.jsonl, .json, .csv)\n"
               "  tsp-assistant kb export FILE       export knowledge (format by extension)\n"
               "  tsp-assistant kb search [--top K] [--json] QUERY\n"
               "  tsp-assistant --version | --help\n"
               "\n"
               "Options for every mode:\n"
               "  --env-file PATH   .env file to read (default ./.env when present)\n"
               "  --data-dir DIR    database, logs and caches (default: the platform app-data dir)\n"
               "\n"
               "Configuration: .env keys, also read from the environment. The command line wins, then the\n"
               "environment, then the .env file, then the settings saved by the console, then the default.\n"
               "An empty value means the default.\n"
               "\n") +
           SettingsTable::helpText() +
           QStringLiteral("\n"
               "Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 another instance uses the data "
               "dir.\n"
               "\n") +
           KbCommand::usage();
}

#include <QCoreApplication>
#include <QTextStream>

#include "commandline.h"
#include "headlessrunner.h"
#include "kbrunner.h"
#include "ticketsrunner.h"

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("tsp-assistant"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TSP_VERSION));

    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const CommandLine cl = CommandLine::parse(args);
    if (!cl.error.isEmpty()) {
        QTextStream(stderr) << "tsp-assistant: " << cl.error << "\n\n" << CommandLine::helpText();
        return ExitCode::Usage;
    }

    switch (cl.mode) {
    case CommandLine::Mode::Version:
        QTextStream(stdout) << "tsp-assistant " << TSP_VERSION << Qt::endl;
        return ExitCode::Ok;
    case CommandLine::Mode::Help:
        QTextStream(stdout) << CommandLine::helpText();
        return ExitCode::Ok;
    case CommandLine::Mode::Kb: {
        QCoreApplication app(argc, argv);
        return KbRunner::run(cl);
    }
    case CommandLine::Mode::Tickets: {
        QCoreApplication app(argc, argv);
        return TicketsRunner::run(cl);
    }
    case CommandLine::Mode::Console:
        QTextStream(stderr)
            << "tsp-assistant: the console window is not part of this build yet.\n"
               "Run the bot with --headless (add --demo to try it against the local sandbox).\n";
        return ExitCode::Usage;
    case CommandLine::Mode::Headless:
        break;
    }

    QCoreApplication app(argc, argv);
    HeadlessRunner runner(cl);
    const int early = runner.start();
    if (early >= 0)
        return early;
    return QCoreApplication::exec();
}

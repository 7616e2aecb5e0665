#include <QApplication>
#include <QIcon>
#include <QTextStream>

#include "commandline.h"
#include "consolerunner.h"
#include "headlessrunner.h"
#include "kbrunner.h"
#include "ticketsrunner.h"

namespace {

int runConsole(int &argc, char **argv, const CommandLine &cl)
{
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("TSP Assistant"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tsp-assistant.svg")));
    // The window may hide to the tray; the runner decides when the console quits.
    QApplication::setQuitOnLastWindowClosed(false);
    ConsoleRunner runner(cl); // installs the translations once UI_LANGUAGE is known
    const int early = runner.start();
    if (early >= 0)
        return early;
    return QApplication::exec();
}

} // namespace

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
        return runConsole(argc, argv, cl);
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

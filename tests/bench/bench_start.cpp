// Process start to connected (the sandbox accepts the bot's WebSocket) on loopback, for the real
// headless bot, repeated `runs` times on the same data dir (a restart: the database exists); the
// first start on an empty data dir (database created, knowledge seeded) is shown apart.
//   bench_start [--runs=20]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include "benchsupport.h"

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Bench::init();
    const QStringList args = app.arguments();
    const int runs = std::max(1, Bench::intOption(args, QStringLiteral("runs"), 20));
    QTextStream out(stdout);

    FeishuSandbox sandbox(Bench::sandboxOptions());
    Bench::configure(&sandbox);
    LlmStandIn llm;
    if (!sandbox.start() || !llm.start())
        return 1;
    Bench::Bot bot(&sandbox, &llm);
    QElapsedTimer clock;
    qint64 connectedNs = 0;
    QObject::connect(&sandbox, &FeishuSandbox::wsClientConnected, &sandbox,
                     [&] { connectedNs = clock.nsecsElapsed(); });

    const int connectMs = qMax(20000, qEnvironmentVariableIntValue("TSP_BENCH_READY_MS")); // valgrind: longer
    std::vector<double> restarts;
    double first = 0;
    for (int i = 0; i <= runs; ++i) {
        connectedNs = 0;
        clock.start();
        if (!bot.start() || !Bench::waitUntil([&] { return connectedNs > 0; }, connectMs)) {
            out << "run " << i << ": the bot did not connect\n" << bot.process().log().right(3000) << '\n';
            return 1;
        }
        const double ms = double(connectedNs) / 1e6;
        if (i == 0)
            first = ms;
        else
            restarts.push_back(ms);
        bot.waitReady(10000);
        if (bot.stop() != 0) {
            out << "run " << i << ": the bot did not stop cleanly\n";
            return 1;
        }
    }
    const Bench::Percentiles p = Bench::percentiles(restarts);
    out << QStringLiteral(
               "start to connected: first start (empty data dir) %1 ms; restarts: median %2 ms, p90 %3 ms, "
               "max %4 ms (n=%5)\n")
               .arg(first, 0, 'f', 1)
               .arg(p.p50, 0, 'f', 1)
               .arg(p.p90, 0, 'f', 1)
               .arg(p.max, 0, 'f', 1)
               .arg(p.count);
    return 0;
}

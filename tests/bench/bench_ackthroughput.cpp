// ACK throughput and latency of the real bot (tsp-assistant --headless) and, in the same run, of
// the official Node SDK's WSClient with a do-nothing handler, both against FeishuSandbox in this
// process as the load generator. Group messages that do not mention the bot: the bot ACKs, parses
// and ignores them.
//   bench_ackthroughput [--events=20000] [--rate=1000] [--steady-seconds=10] [--no-node]
//                       [--node-sdk=<dir with node_modules/@larksuiteoapi/node-sdk>]
//                       [--log-level=INFO] [--clients=bot,node] [--ready-ms=20000] [--repeat=1]
// Burst: all events pushed as fast as the sandbox can, time from the first push to the last ACK.
// Steady: `rate` events per second for `steady-seconds`, ACK latency percentiles.
#include <algorithm>
#include <vector>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QTextStream>
#include <QTimer>

#include "benchsupport.h"

namespace {

QTextStream out(stdout);

struct Figures
{
    QString client;
    bool ok = false;
    int burstEvents = 0;
    double burstMs = 0;    // first push to last ACK
    double pushLoopMs = 0; // the generator's own time to hand all events to the socket
    Bench::Percentiles burstLatency;
    Bench::Percentiles steadyLatency;
    double steadyRate = 0;
    int badAcks = 0;
    int missing = 0;
};

// Events that a bot must ACK and ignore: group messages without a mention, 500 senders, 50 chats.
// Built and prepared (ids, headers, encoded frame) before the clock starts: a timed loop only
// sends (FeishuSandbox::pushPrepared), so the figures describe the client, not the generator.
QList<QByteArray> buildEvents(FeishuSandbox &sandbox, int count, int offset)
{
    QList<QByteArray> events;
    events.reserve(count);
    FeishuSandbox::TextPush t;
    t.chatType = QStringLiteral("group");
    for (int i = 0; i < count; ++i) {
        const int n = offset + i;
        t.chatId = QStringLiteral("oc_bench_group_%1").arg(n % 50);
        t.senderOpenId = QStringLiteral("ou_bench_user_%1").arg(n % 500);
        t.text = QStringLiteral("车机没网了，导航也用不了，这是第%1条消息").arg(n);
        events.append(sandbox.preparePush(sandbox.textEvent(t)));
    }
    return events;
}

std::vector<double> latenciesMs(const FeishuSandbox &sandbox, int from)
{
    std::vector<double> v;
    const auto acks = sandbox.acks();
    for (qsizetype i = from; i < acks.size(); ++i)
        v.push_back(double(acks[i].latencyUs) / 1000.0);
    return v;
}

Figures run(const QString &client, const QStringList &args)
{
    Figures f;
    f.client = client;
    const int events = Bench::intOption(args, QStringLiteral("events"), 20000);
    const int rate = Bench::intOption(args, QStringLiteral("rate"), 1000);
    const int steadySeconds = Bench::intOption(args, QStringLiteral("steady-seconds"), 10);

    FeishuSandbox sandbox(Bench::sandboxOptions());
    Bench::configure(&sandbox);
    LlmStandIn llm;
    if (!sandbox.start() || !llm.start())
        return f;

    std::unique_ptr<Bench::Bot> bot;
    QProcess node;
    if (client == QLatin1String("bot")) {
        bot = std::make_unique<Bench::Bot>(
            &sandbox, &llm, Bench::option(args, QStringLiteral("log-level"), QStringLiteral("INFO")));
        if (!bot->start() || !bot->waitReady(Bench::intOption(args, QStringLiteral("ready-ms"), 20000))) {
            out << "bot: did not get ready\n" << bot->process().log().right(3000) << '\n';
            return f;
        }
    } else {
        const QString sdkDir =
            Bench::option(args, QStringLiteral("node-sdk"),
                          Bench::sourceDir() + QStringLiteral("/tests/conformance/node-sdk"));
        if (!QFileInfo::exists(sdkDir +
                               QStringLiteral("/node_modules/@larksuiteoapi/node-sdk/package.json"))) {
            out << "node: no SDK in " << sdkDir
                << "/node_modules (run tests/conformance/run-node-sdk.sh once, or npm ci there)\n";
            return f;
        }
        node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const FeishuSandbox::Options &o = sandbox.options();
        node.start(QStringLiteral("node"),
                   {Bench::sourceDir() + QStringLiteral("/tests/bench/node_ackclient.mjs"), sdkDir,
                    sandbox.baseUrl().toString(), o.appId, o.appSecret});
        if (!node.waitForStarted(10000) ||
            !Bench::waitUntil([&] { return sandbox.connectionCount() > 0 && node.canReadLine(); }, 20000)) {
            out << "node: did not get ready\n";
            return f;
        }
    }
    auto alive = [&] { return bot ? bot->process().isRunning() : node.state() == QProcess::Running; };

    // Warm-up (both sides' first-use costs stay out of the figures).
    const QList<QByteArray> warm = buildEvents(sandbox, 500, 1000000);
    for (const QByteArray &e : warm)
        sandbox.pushPrepared(e);
    Bench::waitUntil([&] { return sandbox.ackCount() >= warm.size() || !alive(); }, 30000);

    // Burst.
    const QList<QByteArray> burst = buildEvents(sandbox, events, 0);
    const int acksBefore = sandbox.ackCount();
    QElapsedTimer clock;
    qint64 lastAckNs = 0;
    QObject::connect(&sandbox, &FeishuSandbox::ackReceived, &sandbox,
                     [&] { lastAckNs = clock.nsecsElapsed(); });
    clock.start();
    qint64 pushNs = 0;
    for (int i = 0; i < burst.size(); ++i) {
        const qint64 t0 = clock.nsecsElapsed();
        sandbox.pushPrepared(burst[i]);
        pushNs += clock.nsecsElapsed() - t0;
        if (i % 200 == 199) // let the socket write and ACKs come back while the burst goes on
            QCoreApplication::processEvents();
    }
    const bool allAcked =
        Bench::waitUntil([&] { return sandbox.ackCount() - acksBefore >= events || !alive(); }, 120000);
    f.burstEvents = sandbox.ackCount() - acksBefore;
    f.burstMs = double(lastAckNs) / 1e6;
    f.pushLoopMs = double(pushNs) / 1e6;
    f.burstLatency = Bench::percentiles(latenciesMs(sandbox, acksBefore));
    f.missing = events - f.burstEvents;

    // Steady rate.
    const int steadyEvents = rate * steadySeconds;
    const QList<QByteArray> steady = buildEvents(sandbox, steadyEvents, 2000000);
    Bench::spin(500);
    const int steadyBefore = sandbox.ackCount();
    int pushed = 0;
    QTimer pacer;
    pacer.setTimerType(Qt::PreciseTimer);
    QElapsedTimer steadyClock;
    QObject::connect(&pacer, &QTimer::timeout, &pacer, [&] {
        const auto due = std::min<qint64>(steadyEvents, steadyClock.nsecsElapsed() * rate / 1000000000LL + 1);
        while (pushed < due)
            sandbox.pushPrepared(steady[pushed++]);
        if (pushed >= steadyEvents)
            pacer.stop();
    });
    steadyClock.start();
    pacer.start(1);
    Bench::waitUntil(
        [&] {
            return (pushed >= steadyEvents && sandbox.ackCount() - steadyBefore >= steadyEvents) || !alive();
        },
        steadySeconds * 1000 + 60000);
    f.steadyRate = pushed * 1e9 / double(steadyClock.nsecsElapsed());
    f.steadyLatency = Bench::percentiles(latenciesMs(sandbox, steadyBefore));
    f.missing += steadyEvents - (sandbox.ackCount() - steadyBefore);
    f.badAcks = sandbox.badAcks();
    f.ok = allAcked && alive() && f.missing == 0;

    if (bot) {
        out << "bot memory after the run: " << Bench::formatMemory(Bench::memoryOf(bot->pid())) << '\n';
        bot->stop();
    } else {
        node.terminate();
        node.waitForFinished(5000);
    }
    return f;
}

void print(const Figures &f)
{
    out << "== " << f.client << (f.ok ? "" : "  (INCOMPLETE)") << '\n';
    out << QStringLiteral("  burst: %1 ACKs, last ACK after %2 ms = %3 events/s (the generator's own push "
                          "time: %4 ms)\n")
               .arg(f.burstEvents)
               .arg(f.burstMs, 0, 'f', 1)
               .arg(f.burstMs > 0 ? f.burstEvents * 1000.0 / f.burstMs : 0.0, 0, 'f', 0)
               .arg(f.pushLoopMs, 0, 'f', 1);
    out << "  burst ACK latency: " << Bench::formatMs(f.burstLatency) << '\n';
    out << QStringLiteral("  steady %1 events/s ACK latency: ").arg(f.steadyRate, 0, 'f', 0)
        << Bench::formatMs(f.steadyLatency) << '\n';
    out << "  ACKs the platform would object to: " << f.badAcks << ", missing ACKs: " << f.missing << '\n';
    out.flush();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Bench::init();
    const QStringList args = app.arguments();
    QStringList clients =
        Bench::option(args, QStringLiteral("clients"), QStringLiteral("bot,node")).split(QLatin1Char(','));
    if (Bench::flag(args, QStringLiteral("no-node")))
        clients.removeAll(QStringLiteral("node"));
    // --repeat=N: the clients take turns N times; the summary uses each one's median burst rate
    // and steady p99 (the Node SDK's burst varies by a third from run to run on this machine).
    const int repeat = std::max(1, Bench::intOption(args, QStringLiteral("repeat"), 1));
    QList<Figures> figures;
    QHash<QString, std::vector<double>> rates, p99s;
    for (int r = 0; r < repeat; ++r) {
        for (const QString &c : std::as_const(clients)) {
            figures.append(run(c, args));
            const Figures &f = figures.last();
            print(f);
            if (f.ok && f.burstMs > 0) {
                rates[c].push_back(f.burstEvents * 1000.0 / f.burstMs);
                p99s[c].push_back(f.steadyLatency.p99);
            }
        }
    }
    auto median = [](std::vector<double> v) {
        if (v.empty())
            return 0.0;
        std::sort(v.begin(), v.end());
        const size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    };
    if (clients.size() == 2 && rates.value(clients[0]).size() == size_t(repeat) &&
        rates.value(clients[1]).size() == size_t(repeat)) {
        const double a = median(rates.value(clients[0])), b = median(rates.value(clients[1]));
        out << QStringLiteral("throughput ratio %1/%2: %3x (goal >= 3x; medians of %4 run(s): %5 vs %6 "
                              "events/s); %1 steady p99 %7 ms (goal < 5 ms)\n")
                   .arg(clients[0], clients[1])
                   .arg(a / b, 0, 'f', 2)
                   .arg(repeat)
                   .arg(a, 0, 'f', 0)
                   .arg(b, 0, 'f', 0)
                   .arg(median(p99s.value(clients[0])), 0, 'f', 2);
    }
    bool ok = true;
    for (const Figures &f : std::as_const(figures))
        ok = ok && f.ok;
    return ok ? 0 : 1;
}

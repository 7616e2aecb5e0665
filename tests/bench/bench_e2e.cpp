// Push-to-reply latency of the real bot: `messages` p2p messages from `sessions` users (one session
// each), pushed at `rate` per second by FeishuSandbox in this process, answered through the LLM
// stand-in with no delay. Latency: from the push to the sandbox receiving the reply (OpenAPI).
//   bench_e2e [--messages=1000] [--sessions=100] [--rate=50] [--log-level=INFO]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include "benchsupport.h"

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Bench::init();
    const QStringList args = app.arguments();
    const int messages = Bench::intOption(args, QStringLiteral("messages"), 1000);
    const int sessions = std::max(1, Bench::intOption(args, QStringLiteral("sessions"), 100));
    const int rate = std::max(1, Bench::intOption(args, QStringLiteral("rate"), 50));
    QTextStream out(stdout);

    FeishuSandbox sandbox(Bench::sandboxOptions());
    Bench::configure(&sandbox);
    LlmStandIn llm;
    if (!sandbox.start() || !llm.start())
        return 1;
    Bench::Bot bot(&sandbox, &llm, Bench::option(args, QStringLiteral("log-level"), QStringLiteral("INFO")));
    if (!bot.start() || !bot.waitReady()) {
        out << "the bot did not get ready\n" << bot.process().log().right(3000) << '\n';
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    QHash<QString, qint64> pushedAtNs;
    std::vector<double> latencies;
    int duplicates = 0;
    QSet<QString> answered;
    QObject::connect(&sandbox, &FeishuSandbox::messageSent, &sandbox,
                     [&](const FeishuSandbox::SentMessage &m) {
                         const auto it = pushedAtNs.constFind(m.target);
                         if (m.kind != QLatin1String("reply") || it == pushedAtNs.constEnd())
                             return;
                         if (answered.contains(m.target)) {
                             ++duplicates;
                             return;
                         }
                         answered.insert(m.target);
                         latencies.push_back(double(clock.nsecsElapsed() - *it) / 1e6);
                     });

    auto pushOne = [&](int i) {
        FeishuSandbox::TextPush t;
        const int user = i % sessions;
        t.chatType = QStringLiteral("p2p");
        t.chatId = QStringLiteral("oc_p2p_bench_%1").arg(user);
        t.senderOpenId = QStringLiteral("ou_bench_%1").arg(user);
        t.text =
            i % 2 ? QStringLiteral("车机没网了，导航也用不了") : QStringLiteral("远程解锁失败，APP提示超时");
        QString imId;
        const QByteArray event = sandbox.textEvent(t, &imId);
        pushedAtNs.insert(imId, clock.nsecsElapsed());
        sandbox.pushEvent(event);
    };
    // Warm-up: one question per session, not counted.
    for (int i = 0; i < sessions; ++i)
        pushOne(i);
    Bench::waitUntil([&] { return int(latencies.size()) >= sessions; }, 60000);
    latencies.clear();
    answered.clear();
    pushedAtNs.clear();

    int pushed = 0;
    QTimer pacer;
    pacer.setTimerType(Qt::PreciseTimer);
    QElapsedTimer paceClock;
    QObject::connect(&pacer, &QTimer::timeout, &pacer, [&] {
        const auto due = std::min<qint64>(messages, paceClock.nsecsElapsed() * rate / 1000000000LL + 1);
        while (pushed < due)
            pushOne(sessions + pushed++);
        if (pushed >= messages)
            pacer.stop();
    });
    paceClock.start();
    pacer.start(1);
    const bool all = Bench::waitUntil([&] { return pushed >= messages && int(latencies.size()) >= messages; },
                                      messages * 1000 / rate + 60000);
    Bench::spin(500);
    out << "end to end, " << messages << " messages over " << sessions << " sessions at " << rate
        << "/s, zero-delay LLM stand-in:\n";
    out << "  push -> reply: " << Bench::formatMs(Bench::percentiles(latencies)) << '\n';
    out << "  answered: " << answered.size() << " of " << messages << ", duplicates: " << duplicates
        << ", bot " << Bench::formatMemory(Bench::memoryOf(bot.pid())) << '\n';
    bot.stop();
    return all && duplicates == 0 ? 0 : 1;
}

// Memory of the real headless bot (VmRSS / VmHWM from /proc/<pid>/status): idle after connecting,
// after `messages` pushes (every `answer-every`-th one a p2p question that is answered, across
// `sessions` sessions; the rest group messages without a mention), and then during an idle
// period of `idle-seconds` (the issue asks for an hour: --idle-seconds=3600).
//   bench_memory [--messages=100000] [--sessions=1000] [--answer-every=10] [--idle-seconds=60]
//                [--sample-seconds=10] [--log-level=INFO]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include "benchsupport.h"

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Bench::init();
    const QStringList args = app.arguments();
    const int messages = Bench::intOption(args, QStringLiteral("messages"), 100000);
    const int sessions = std::max(1, Bench::intOption(args, QStringLiteral("sessions"), 1000));
    const int answerEvery = std::max(1, Bench::intOption(args, QStringLiteral("answer-every"), 10));
    const int idleSeconds = Bench::intOption(args, QStringLiteral("idle-seconds"), 60);
    const int sampleSeconds = std::max(1, Bench::intOption(args, QStringLiteral("sample-seconds"), 10));
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
    Bench::spin(3000);
    out << "idle after connecting: " << Bench::formatMemory(Bench::memoryOf(bot.pid())) << '\n';
    out.flush();

    // Pushed in windows of 500 unACKed frames, so the bot is loaded but not flooded.
    QElapsedTimer clock;
    clock.start();
    int pushed = 0, answerable = 0, answered = 0;
    QObject::connect(&sandbox, &FeishuSandbox::messageSent, &sandbox, [&] { ++answered; });
    while (pushed < messages) {
        if (!Bench::waitUntil([&] { return sandbox.unackedCount() < 500 || !bot.process().isRunning(); },
                              60000) ||
            !bot.process().isRunning()) {
            out << "the bot stopped ACKing or died after " << pushed << " pushes\n";
            return 1;
        }
        while (pushed < messages && sandbox.unackedCount() < 1000) {
            FeishuSandbox::TextPush t;
            const int n = pushed++;
            const int user = n % sessions;
            t.senderOpenId = QStringLiteral("ou_mem_%1").arg(user);
            t.text = QStringLiteral("车机没网了，导航也用不了，第%1条").arg(n);
            if (n % answerEvery == 0) {
                t.chatType = QStringLiteral("p2p");
                t.chatId = QStringLiteral("oc_p2p_mem_%1").arg(user);
                ++answerable;
            } else {
                t.chatType = QStringLiteral("group");
                t.chatId = QStringLiteral("oc_mem_group_%1").arg(user % 20);
            }
            sandbox.pushEvent(sandbox.textEvent(t));
        }
        if (pushed % 10000 < 1000)
            out << "  " << pushed << " pushed, " << answered << " answered, "
                << Bench::formatMemory(Bench::memoryOf(bot.pid())) << '\n';
        out.flush();
    }
    Bench::waitUntil(
        [&] { return (sandbox.unackedCount() == 0 && answered >= answerable) || !bot.process().isRunning(); },
        600000);
    out << "after " << messages << " messages (" << answered << " of " << answerable << " answered, "
        << clock.elapsed() / 1000.0 << " s): " << Bench::formatMemory(Bench::memoryOf(bot.pid())) << '\n';
    out.flush();

    QElapsedTimer idle;
    idle.start();
    while (idle.elapsed() < qint64(idleSeconds) * 1000) {
        Bench::spin(
            int(std::min<qint64>(qint64(sampleSeconds) * 1000, qint64(idleSeconds) * 1000 - idle.elapsed())));
        out << "  idle " << idle.elapsed() / 1000 << " s: " << Bench::formatMemory(Bench::memoryOf(bot.pid()))
            << '\n';
        out.flush();
    }
    out << "after " << messages << " messages + " << idleSeconds
        << " s idle: " << Bench::formatMemory(Bench::memoryOf(bot.pid())) << '\n';
    bot.stop();
    return 0;
}

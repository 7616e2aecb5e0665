// Push-to-reply latency of the real bot: `messages` p2p messages from `sessions` users (one session
// each), pushed at `rate` per second by FeishuSandbox in this process, answered through the LLM
// stand-in with no delay. Latency: from the push to the sandbox receiving the reply (OpenAPI).
// With --embeddings=1 (the default) the bot's knowledge search is hybrid, with the stand-in's
// embeddings (each answered after --embedding-delay ms). The bot runs its main-thread stall
// watchdog (TSP_STALL_REPORT) and logs the stalls over 50 ms at its stop: the report repeats them,
// with the machine's load. --knowledge-db=FILE starts the bot on a copy of that database, e.g. a
// larger knowledge base from `bench_knowledge 5000 1 --keep DIR` (DIR/bench.db).
//   bench_e2e [--messages=1000] [--sessions=100] [--rate=50] [--log-level=INFO] [--embeddings=1]
//             [--embedding-delay=0] [--knowledge-db=FILE]
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
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
    const bool embeddings = Bench::intOption(args, QStringLiteral("embeddings"), 1) != 0;
    const int embeddingDelayMs = std::max(0, Bench::intOption(args, QStringLiteral("embedding-delay"), 0));
    QTextStream out(stdout);

    FeishuSandbox sandbox(Bench::sandboxOptions());
    Bench::configure(&sandbox);
    LlmStandIn llm;
    if (!sandbox.start() || !llm.start())
        return 1;
    llm.setEmbeddingDelay(embeddingDelayMs);
    const QString logLevel = Bench::option(args, QStringLiteral("log-level"), QStringLiteral("INFO"));
    Bench::Bot bot(&sandbox, &llm, logLevel);
    if (embeddings) {
        QHash<QString, QString> env =
            BotProcess::sandboxEnv(sandbox, llm, QStringLiteral("sk-bench"), logLevel);
        env.insert(QStringLiteral("EMBEDDING_BASE_URL"), llm.baseUrl());
        env.insert(QStringLiteral("EMBEDDING_MODEL"), llm.embeddingModel());
        bot.process().writeEnv(env);
    }
    // bot.db: the DATABASE_URL of BotProcess::sandboxEnv().
    if (const QString kb = Bench::option(args, QStringLiteral("knowledge-db"), QString()); !kb.isEmpty()) {
        if (!QFile::copy(kb, QDir(bot.dataDir()).filePath(QStringLiteral("bot.db")))) {
            out << "cannot copy " << kb << " into the bot's data dir\n";
            return 1;
        }
    }
    qputenv("TSP_STALL_REPORT", "1"); // the bot inherits it
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
        << "/s, zero-delay LLM stand-in, "
        << (embeddings ? QStringLiteral("embeddings on (%1 ms each, %2 request(s))")
                             .arg(embeddingDelayMs)
                             .arg(llm.embeddingRequestCount())
                       : QStringLiteral("embeddings off"))
        << ":\n";
    out << "  push -> reply: " << Bench::formatMs(Bench::percentiles(latencies)) << '\n';
    out << "  answered: " << answered.size() << " of " << messages << ", duplicates: " << duplicates
        << ", bot " << Bench::formatMemory(Bench::memoryOf(bot.pid())) << '\n';
    const int exitCode = bot.stop();
    // The bot's own figure (TSP_STALL_REPORT), from its log.
    const QStringList lines = bot.process().log().split(QLatin1Char('\n'));
    bool stallReport = false;
    int shown = 0;
    for (const QString &line : lines) {
        if (line.contains(QLatin1String("entry vectors,"))) { // the warm-up read of the knowledge base
            out << "  bot " << line.mid(line.indexOf(QLatin1String("read "))) << '\n';
        } else if (line.contains(QLatin1String("main-thread stalls over"))) {
            stallReport = true;
            out << "  bot " << line.mid(line.indexOf(QLatin1String("main-thread"))) << '\n';
        } else if (line.contains(QLatin1String(" ms waiting for a CPU)")) && shown++ < 10) {
            out << "   " << line.mid(line.indexOf(QLatin1String("  at "))) << '\n';
        }
    }
    if (!stallReport)
        out << "  the bot printed no stall report (exit code " << exitCode << ")\n";
    out << "  load average (1, 5, 15 min): " << Bench::loadAverage() << '\n';
    return all && duplicates == 0 && stallReport ? 0 : 1;
}

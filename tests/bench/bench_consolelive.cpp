// The console while it lives (#10's speed goals that need the network), run by hand:
//   bench_consolelive [--runs=5] [--sessions=10000] [--turns=100000] [--rate=1000] [--seconds=3]
//                     [--users=200]
// 1. Start to window shown and connected: the real tsp-assistant in console mode (offscreen
//    unless a display is set) against FeishuSandbox on loopback, from the process start to the
//    later of "window shown" (its log line) and the sandbox accepting its WebSocket. First on an
//    empty data dir, then restarts; then restarts over a data dir holding `sessions` sessions and
//    `turns` turns (0 sessions skips that part).
// 2. Main-thread stalls during a burst: the bot (BotService, as the console runs it) and the
//    Conversations page, shown with one of the bursting conversations open, in this process; the
//    sandbox and the LLM stand-in on a thread of their own (the load generator is not the console).
//    The sandbox pushes `rate` messages per second for `seconds` from `users` customers; the stall
//    watchdog (tests/support/stallwatchdog) reports every main-thread stall over 50 ms until the
//    bot has answered them all (or 60 s passed).
#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include "benchsupport.h"
#include "bot/botservice.h"
#include "chat/sessionmanager.h"
#include "conversations/conversationlistmodel.h"
#include "conversations/conversationspage.h"
#include "desk/operatordesk.h"
#include "logging/stallwatchdog.h"
#include "storage/database.h"
#include "storage/transaction.h"
#include "testutil.h"

namespace {

AppConfig configFor(const QHash<QString, QString> &env, const QString &dataDir)
{
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = dataDir;
    in.commandLine = env;
    AppConfig config;
    QString error;
    if (!AppConfig::resolve(in, &config, &error))
        qFatal("config: %s", qPrintable(error));
    return config;
}

// Sessions and turns written through SessionManager into the data dir's database.
void populate(const AppConfig &config, int sessions, int turns)
{
    Database db(QStringLiteral("bench-populate"));
    if (!db.open(Database::parseUrl(config.databaseUrl, config.dataDir)))
        qFatal("open: %s", qPrintable(db.errorString()));
    SessionManager sm(&db);
    Transaction tx(db.db());
    const int perSession = qMax(1, turns / qMax(1, sessions));
    for (int s = 0; s < sessions; ++s) {
        const QString openId = QStringLiteral("ou_old_%1").arg(s);
        const QString chatId = QStringLiteral("oc_old_%1").arg(s);
        const auto opened = sm.openSession(SessionManager::sessionKey(QStringLiteral("p2p"), chatId, openId),
                                           chatId, QStringLiteral("p2p"), openId, QString());
        for (int t = 0; t < perSession; ++t) {
            Turn turn;
            turn.sessionId = opened.session.id;
            turn.role = t % 2 ? TurnRole::Bot : TurnRole::Customer;
            turn.content = QStringLiteral("远程解锁失败，App 提示车辆不在线 #%1-%2").arg(s).arg(t);
            sm.addTurn(turn);
        }
    }
    if (!tx.commit())
        qFatal("populate: commit failed");
}

// One console start: ms from the process start to window shown and to connected (-1: never).
struct StartTimes
{
    double shownMs = -1;
    double connectedMs = -1;
};

StartTimes startConsole(FeishuSandbox *sandbox, const QString &dataDir, const QString &envFile, QString *log)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    if (env.value(QStringLiteral("DISPLAY")).isEmpty())
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setWorkingDirectory(dataDir);
    StartTimes times;
    QElapsedTimer clock;
    QByteArray output;
    const int before = sandbox->totalConnections();
    QObject::connect(&p, &QProcess::readyRead, [&] {
        output += p.readAll();
        if (times.shownMs < 0 && output.contains("console window"))
            times.shownMs = double(clock.nsecsElapsed()) / 1e6;
    });
    const QMetaObject::Connection c = QObject::connect(sandbox, &FeishuSandbox::wsClientConnected, [&] {
        if (times.connectedMs < 0 && sandbox->totalConnections() > before)
            times.connectedMs = double(clock.nsecsElapsed()) / 1e6;
    });
    clock.start();
    p.start(TestUtil::appBinary(),
            {QStringLiteral("--env-file"), envFile, QStringLiteral("--data-dir"), dataDir});
    Bench::waitUntil(
        [&] { return (times.shownMs >= 0 && times.connectedMs >= 0) || p.state() == QProcess::NotRunning; },
        30000);
    QObject::disconnect(c);
    p.terminate();
    if (!p.waitForFinished(15000))
        p.kill();
    output += p.readAll();
    *log = QString::fromUtf8(output.right(3000));
    return times;
}

void reportStarts(QTextStream &out, const QString &what, const std::vector<double> &shown,
                  const std::vector<double> &connected, const std::vector<double> &both)
{
    out << what << ":\n"
        << "  window shown:            " << Bench::formatMs(Bench::percentiles(shown)) << '\n'
        << "  connected:               " << Bench::formatMs(Bench::percentiles(connected)) << '\n'
        << "  shown and connected:     " << Bench::formatMs(Bench::percentiles(both)) << '\n';
}

bool measureStarts(QTextStream &out, int runs, int sessions, int turns)
{
    FeishuSandbox sandbox(Bench::sandboxOptions());
    Bench::configure(&sandbox);
    LlmStandIn llm;
    if (!sandbox.start() || !llm.start())
        return false;
    const auto series = [&](const QString &what, int populateSessions) {
        QTemporaryDir dir;
        BotProcess files(dir.path()); // only for its .env writer
        const QHash<QString, QString> env = BotProcess::sandboxEnv(sandbox, llm, QStringLiteral("sk-bench"));
        files.writeEnv(env);
        if (populateSessions > 0) {
            QHash<QString, QString> withDir = env;
            withDir.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:///bot.db"));
            populate(configFor(withDir, dir.path()), populateSessions, turns);
        }
        std::vector<double> shown, connected, both;
        for (int i = 0; i <= runs; ++i) {
            QString log;
            const StartTimes t = startConsole(&sandbox, dir.path(), files.envFilePath(), &log);
            if (t.shownMs < 0 || t.connectedMs < 0) {
                out << what << ", run " << i << ": no window or no connection within 30 s\n" << log << '\n';
                return false;
            }
            if (i == 0 && populateSessions == 0) { // the very first start creates the database
                out << "first start on an empty data dir: window shown " << t.shownMs << " ms, connected "
                    << t.connectedMs << " ms\n";
                continue;
            }
            if (i == 0)
                continue; // a warm-up over the populated file (the page cache)
            shown.push_back(t.shownMs);
            connected.push_back(t.connectedMs);
            both.push_back(qMax(t.shownMs, t.connectedMs));
        }
        reportStarts(out, what, shown, connected, both);
        return true;
    };
    if (!series(QStringLiteral("console restarts, empty database"), 0))
        return false;
    if (sessions > 0 &&
        !series(QStringLiteral("console restarts, %1 sessions / %2 turns").arg(sessions).arg(turns),
                sessions))
        return false;
    return true;
}

bool measureBurst(QTextStream &out, int rate, int seconds, int users)
{
    // The load generator on its own thread: its work is not the console's.
    QThread net;
    net.setObjectName(QStringLiteral("bench-sandbox"));
    QObject netContext;
    netContext.moveToThread(&net);
    net.start();
    FeishuSandbox *sandbox = nullptr;
    LlmStandIn *llm = nullptr;
    bool started = false;
    QMetaObject::invokeMethod(
        &netContext,
        [&] {
            sandbox = new FeishuSandbox(Bench::sandboxOptions());
            Bench::configure(sandbox);
            llm = new LlmStandIn;
            started = sandbox->start() && llm->start();
        },
        Qt::BlockingQueuedConnection);
    const auto onNet = [&](const std::function<void()> &fn) {
        QMetaObject::invokeMethod(&netContext, fn, Qt::BlockingQueuedConnection);
    };
    const auto finish = [&] {
        onNet([&] {
            delete sandbox;
            delete llm;
        });
        net.quit();
        net.wait();
    };
    if (!started) {
        finish();
        return false;
    }

    QTemporaryDir dir;
    BotService::Options options;
    QHash<QString, QString> env;
    onNet([&] {
        env = BotProcess::sandboxEnv(*sandbox, *llm, QStringLiteral("sk-bench"), QStringLiteral("WARNING"));
    });
    options.config = configFor(env, dir.path());
    auto bot = std::make_unique<BotService>(options);
    QString error;
    if (!bot->open(&error)) {
        out << "the bot does not open: " << error << '\n';
        finish();
        return false;
    }
    ConversationsPage page(bot->desk());
    page.resize(1280, 800);
    page.show();
    bool ready = false;
    QObject::connect(bot.get(), &BotService::ready, [&] { ready = true; });
    bot->start();
    if (!Bench::waitUntil([&] { return ready; }, 20000)) {
        out << "the bot did not connect\n";
        bot.reset();
        finish();
        return false;
    }

    int replies = 0;
    const auto countReplies = [&] { onNet([&] { replies = int(sandbox->sentMessages().size()); }); };
    // Pushes number first .. first + count - 1 from the sandbox's thread: a customer's first
    // question, then follow-ups.
    const auto pushFrom = [&](int first, int count, Qt::ConnectionType type) {
        QMetaObject::invokeMethod(
            &netContext,
            [sandbox, users, first, count] {
                for (int i = first; i < first + count; ++i) {
                    FeishuSandbox::TextPush t;
                    const int user = i % users;
                    t.chatType = QStringLiteral("p2p");
                    t.chatId = QStringLiteral("oc_p2p_live_%1").arg(user);
                    t.senderOpenId = QStringLiteral("ou_live_%1").arg(user);
                    t.text = i < users ? QStringLiteral("远程解锁失败，APP提示超时")
                                       : QStringLiteral("还是不行，第%1次").arg(i);
                    sandbox->pushText(t);
                }
            },
            type);
    };
    // Warm-up: every customer once (their sessions exist), one of them open in the page.
    pushFrom(0, users, Qt::BlockingQueuedConnection);
    Bench::waitUntil(
        [&] {
            countReplies();
            return replies >= users;
        },
        60000);
    page.openSession(page.listModel()->summaryAt(0).id);
    const int before = replies;

    StallWatchdog watchdog(50);
    watchdog.start();
    const int total = rate * seconds;
    QElapsedTimer clock;
    clock.start();
    int pushed = 0;
    while (pushed < total) {
        // Paced by the clock: what is due now, pushed from the sandbox's thread.
        const int due = qMin(total, int(double(clock.nsecsElapsed()) / 1e9 * rate));
        if (due > pushed) {
            pushFrom(users + pushed, due - pushed, Qt::QueuedConnection);
            pushed = due;
        }
        Bench::spin(5);
    }
    const double pushMs = double(clock.nsecsElapsed()) / 1e6;
    // Until every push is answered, or no reply came for 3 s (the bot hands a repeated failure to
    // a person and then stays quiet in that conversation), at most 60 s.
    int seen = -1;
    qint64 quietSinceNs = clock.nsecsElapsed();
    Bench::waitUntil(
        [&] {
            countReplies();
            if (replies != seen) {
                seen = replies;
                quietSinceNs = clock.nsecsElapsed();
            }
            return replies - before >= total || clock.nsecsElapsed() - quietSinceNs > 3'000'000'000LL;
        },
        60000);
    const double drainMs = double(clock.nsecsElapsed()) / 1e6;
    watchdog.stop();
    out << QStringLiteral("burst: %1 pushes in %2 ms (%3/s asked), %4 replies, the last after %5 ms (watched "
                          "until then, plus 3 s without a reply); the page showed %6 conversations\n")
               .arg(total)
               .arg(pushMs, 0, 'f', 0)
               .arg(rate)
               .arg(replies - before)
               .arg(drainMs, 0, 'f', 0)
               .arg(page.listModel()->rowCount())
        << watchdog.report();
    bot->stop();
    Bench::waitUntil([&] { return false; }, 300);
    bot.reset();
    finish();
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Bench::init();
    const QStringList args = app.arguments();
    QTextStream out(stdout);
    const int runs = qMax(1, Bench::intOption(args, QStringLiteral("runs"), 5));
    const int sessions = Bench::intOption(args, QStringLiteral("sessions"), 10000);
    const int turns = Bench::intOption(args, QStringLiteral("turns"), 100000);
    if (!Bench::flag(args, QStringLiteral("no-start")) && !measureStarts(out, runs, sessions, turns))
        return 1;
    out.flush();
    if (!Bench::flag(args, QStringLiteral("no-burst")) &&
        !measureBurst(out, qMax(1, Bench::intOption(args, QStringLiteral("rate"), 1000)),
                      qMax(1, Bench::intOption(args, QStringLiteral("seconds"), 3)),
                      qMax(1, Bench::intOption(args, QStringLiteral("users"), 200))))
        return 1;
    return 0;
}

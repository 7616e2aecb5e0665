// The Conversations page at scale: 10,000 sessions and 100,000 turns in a real SQLite database,
// the real OperatorDesk over it, the page shown (offscreen unless a display is set). Measures
// the model load, a filter keystroke (goal <= 50 ms: typed into the search field, to the list
// painted; plus the desk's lookup alone), opening a conversation (goal <= 50 ms; plus the desk's
// queries alone) and the process's RSS. Start and a push burst: bench_consolelive. Run by hand:
//   build-ci/tests/bench/bench_console --sessions=10000 --turns=100000 --repeat=30
#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListView>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include "benchsupport.h"
#include "bot/botservice.h"
#include "chat/sessionmanager.h"
#include "conversations/conversationfilterproxy.h"
#include "conversations/conversationlistmodel.h"
#include "conversations/conversationspage.h"
#include "conversations/threadmodel.h"
#include "desk/operatordesk.h"
#include "logging/stallwatchdog.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace {

BotService::Options botOptions(const QString &dataDir)
{
    BotService::Options o;
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = dataDir;
    in.commandLine = {{QStringLiteral("FEISHU_APP_ID"), QStringLiteral("cli_bench")},
                      {QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("bench-secret")},
                      {QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("http://127.0.0.1:9")},
                      {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")}};
    QString error;
    if (!AppConfig::resolve(in, &o.config, &error))
        qFatal("config: %s", qPrintable(error));
    return o;
}

const QStringList kQuestions = {
    QStringLiteral("远程解锁失败，App 提示车辆不在线"),
    QStringLiteral("车机没网了，4G 图标不亮"),
    QStringLiteral("OTA 升级失败，提示安装包校验错误"),
    QStringLiteral("蓝牙钥匙连不上"),
    QStringLiteral("胎压报警但是胎压正常"),
    QStringLiteral("空调远程开不了"),
    QStringLiteral("导航定位漂移"),
    QStringLiteral("行车记录仪无法回放"),
};

// Writes the sessions and turns through SessionManager (what the bot itself uses) over the same
// database file, in one transaction, before the console's bot opens it.
void populate(const QString &dataDir, int sessions, int turns)
{
    const AppConfig config = botOptions(dataDir).config;
    Database db(QStringLiteral("bench-populate"));
    if (!db.open(Database::parseUrl(config.databaseUrl, config.dataDir)))
        qFatal("open: %s", qPrintable(db.errorString()));
    SessionManager sm(&db);
    QRandomGenerator rng(42);
    Transaction tx(db.db());
    const int perSession = qMax(1, turns / qMax(1, sessions));
    for (int s = 0; s < sessions; ++s) {
        const bool group = s % 3 == 0;
        const QString openId = QStringLiteral("ou_bench_%1").arg(s);
        const QString chatId =
            group ? QStringLiteral("oc_group_%1").arg(s % 40) : QStringLiteral("oc_p2p_%1").arg(s);
        const QString chatType = group ? QStringLiteral("group") : QStringLiteral("p2p");
        const auto opened =
            sm.openSession(SessionManager::sessionKey(chatType, chatId, openId), chatId, chatType, openId,
                           s % 2 ? QStringLiteral("车主%1").arg(s) : QString());
        for (int t = 0; t < perSession; ++t) {
            Turn turn;
            turn.sessionId = opened.session.id;
            turn.role = t % 2 ? TurnRole::Bot : TurnRole::Customer;
            turn.content =
                kQuestions.at(int(rng.bounded(kQuestions.size()))) + QStringLiteral(" #%1-%2").arg(s).arg(t);
            sm.addTurn(turn);
        }
    }
    if (!tx.commit())
        qFatal("populate: commit failed");
}

double elapsedMs(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Bench::init();
    const QStringList args = app.arguments();
    const int sessions = Bench::intOption(args, QStringLiteral("sessions"), 10000);
    const int turns = Bench::intOption(args, QStringLiteral("turns"), 100000);
    const int repeat = Bench::intOption(args, QStringLiteral("repeat"), 30);

    QTemporaryDir dir;
    QElapsedTimer t;
    t.start();
    populate(dir.path(), sessions, turns);
    qInfo().noquote() << QStringLiteral("populated %1 sessions, %2 turns in %3 s")
                             .arg(sessions)
                             .arg(turns)
                             .arg(elapsedMs(t) / 1000, 0, 'f', 1);

    // A fresh bot over the populated database, as the console opens it (not started: no network).
    BotService bot(botOptions(dir.path()));
    QString error;
    if (!bot.open(&error))
        qFatal("open: %s", qPrintable(error));
    const Bench::Memory before = Bench::memoryOf(QCoreApplication::applicationPid());

    t.restart();
    ConversationsPage page(bot.desk());
    const double loadMs = elapsedMs(t);
    page.resize(1280, 800);
    t.restart();
    page.show();
    QCoreApplication::processEvents();
    const double showMs = elapsedMs(t);
    qInfo().noquote() << QStringLiteral(
                             "model load + sort (page constructed): %1 ms; first show: %2 ms; rows %3")
                             .arg(loadMs, 0, 'f', 1)
                             .arg(showMs, 0, 'f', 1)
                             .arg(page.proxy()->rowCount());

    // Filter keystrokes: each prefix of a content search and of a name search, typed into the
    // search field one at a time. Visible: from the keystroke (the field's text changes) to the
    // list filtered by it and painted (the lookup runs on the desk's worker meanwhile; the event
    // loop keeps turning). Lookup: the desk's content query alone, on its worker. The stall
    // watchdog watches the main thread while typing.
    std::vector<double> keystrokes, lookups;
    const QStringList typed = {
        QStringLiteral("远"),       QStringLiteral("远程"),  QStringLiteral("远程解"),
        QStringLiteral("远程解锁"), QStringLiteral(""),      QStringLiteral("车"),
        QStringLiteral("车主"),     QStringLiteral("车主1"), QStringLiteral("车主12"),
        QStringLiteral("车主123"),  QStringLiteral(""),      QStringLiteral("ou_bench_99")};
    double lastLookupMs = 0;
    QObject::connect(page.proxy(), &ConversationFilterProxy::textFilterApplied,
                     [&](const QString &, double queryMs) { lastLookupMs = queryMs; });
    StallWatchdog typingWatch(50);
    typingWatch.start();
    for (int r = 0; r < qMax(1, repeat / 10); ++r)
        for (const QString &text : typed) {
            lastLookupMs = -1;
            t.restart();
            page.searchEdit()->setText(text); // what a keystroke does to the field
            Bench::waitUntil([&] { return page.proxy()->textFilter() == text && lastLookupMs >= 0; }, 10000);
            QCoreApplication::processEvents(); // and the list repaints
            keystrokes.push_back(elapsedMs(t));
            if (!text.isEmpty())
                lookups.push_back(lastLookupMs);
        }
    typingWatch.stop();
    qInfo().noquote() << QStringLiteral("filter keystroke, visible (keystroke to list painted): %1")
                             .arg(Bench::formatMs(Bench::percentiles(keystrokes)));
    qInfo().noquote() << QStringLiteral("filter lookup on the desk's worker (content query alone): %1")
                             .arg(Bench::formatMs(Bench::percentiles(lookups)));
    qInfo().noquote() << QStringLiteral("while typing, %1").arg(typingWatch.report().trimmed());

    // Fast typing: a keystroke every 40 ms; from the last one to the list showing the whole word.
    std::vector<double> bursts;
    for (int r = 0; r < qMax(1, repeat / 10); ++r) {
        page.searchEdit()->clear();
        Bench::waitUntil([&] { return page.proxy()->textFilter().isEmpty(); }, 10000);
        const QString word = r % 2 ? QStringLiteral("导航定位漂") : QStringLiteral("行车记录仪");
        for (int i = 1; i <= word.size(); ++i) {
            page.searchEdit()->setText(word.left(i));
            if (i < word.size())
                Bench::spin(40);
        }
        t.restart();
        Bench::waitUntil([&] { return page.proxy()->textFilter() == word; }, 10000);
        QCoreApplication::processEvents();
        bursts.push_back(elapsedMs(t));
    }
    page.searchEdit()->clear();
    Bench::waitUntil([&] { return page.proxy()->textFilter().isEmpty(); }, 10000);
    qInfo().noquote() << QStringLiteral("fast typing (40 ms a key), last keystroke to the word applied: %1")
                             .arg(Bench::formatMs(Bench::percentiles(bursts)));

    // The same lookups on the main connection, synchronously (what the list did before).
    std::vector<double> direct;
    for (const QString &text : typed) {
        if (text.isEmpty())
            continue;
        SessionFilter f;
        f.text = text;
        t.restart();
        (void)bot.desk()->sessionIds(f);
        direct.push_back(elapsedMs(t));
    }
    qInfo().noquote() << QStringLiteral("sessionIds (names and content, main connection): %1")
                             .arg(Bench::formatMs(Bench::percentiles(direct)));

    std::vector<double> toggles;
    for (int r = 0; r < repeat; ++r) {
        t.restart();
        page.proxy()->setNeedsAttentionOnly(r % 2 == 0);
        QCoreApplication::processEvents();
        toggles.push_back(elapsedMs(t));
    }
    page.proxy()->setNeedsAttentionOnly(false);
    qInfo().noquote()
        << QStringLiteral("needs-attention toggle: %1").arg(Bench::formatMs(Bench::percentiles(toggles)));

    // Opening conversations picked at random: the page (thread, banner, composer, side panel,
    // header, marking read) until painted; then what the desk's queries alone take.
    std::vector<double> opens;
    QList<qint64> opened;
    QRandomGenerator rng(7);
    for (int r = 0; r < repeat; ++r) {
        const int row = int(rng.bounded(page.listModel()->rowCount()));
        const qint64 id = page.listModel()->summaryAt(row).id;
        opened << id;
        t.restart();
        page.openSession(id);
        QCoreApplication::processEvents(); // the thread, banner, composer and side panel paint
        opens.push_back(elapsedMs(t));
    }
    qInfo().noquote()
        << QStringLiteral("open a conversation: %1").arg(Bench::formatMs(Bench::percentiles(opens)));
    // The same ones again: read now (no unread count to clear, so the row keeps its place).
    std::vector<double> reopens;
    for (const qint64 id : std::as_const(opened)) {
        page.openSession(page.listModel()->summaryAt(0).id == id ? page.listModel()->summaryAt(1).id
                                                                 : page.listModel()->summaryAt(0).id);
        QCoreApplication::processEvents();
        t.restart();
        page.openSession(id);
        QCoreApplication::processEvents();
        reopens.push_back(elapsedMs(t));
    }
    qInfo().noquote()
        << QStringLiteral("open one already read: %1").arg(Bench::formatMs(Bench::percentiles(reopens)));
    std::vector<double> qSession, qTurns, qDraft, qAnalysis, qHistory;
    for (const qint64 id : std::as_const(opened)) {
        t.restart();
        const auto s = bot.desk()->session(id);
        qSession.push_back(elapsedMs(t));
        t.restart();
        (void)bot.desk()->turns(id, 0, 50);
        qTurns.push_back(elapsedMs(t));
        t.restart();
        (void)bot.desk()->pendingDraft(id);
        qDraft.push_back(elapsedMs(t));
        t.restart();
        const auto a = bot.desk()->analysis(id);
        qAnalysis.push_back(elapsedMs(t));
        t.restart();
        (void)bot.desk()->vehicleHistory(s ? s->vin : QString(), s ? s->plate : QString(), id);
        qHistory.push_back(elapsedMs(t));
    }
    for (const auto &[name, v] : {std::pair{"session", &qSession}, std::pair{"turns (a page of 50)", &qTurns},
                                  std::pair{"pending draft", &qDraft}, std::pair{"analysis", &qAnalysis},
                                  std::pair{"vehicle history", &qHistory}})
        qInfo().noquote() << QStringLiteral("  desk query %1: %2")
                                 .arg(QLatin1String(name), Bench::formatMs(Bench::percentiles(*v)));

    const Bench::Memory after = Bench::memoryOf(QCoreApplication::applicationPid());
    qInfo().noquote() << QStringLiteral("memory before the page: %1; with the page: %2")
                             .arg(Bench::formatMemory(before), Bench::formatMemory(after));
    return 0;
}

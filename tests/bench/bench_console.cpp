// The Conversations page at scale: 10,000 sessions and 100,000 turns in a real SQLite database,
// the real OperatorDesk over it, the page shown (offscreen unless a display is set). Measures
// the model load, a filter keystroke (goal <= 50 ms), opening a conversation (goal <= 50 ms) and
// the process's RSS. Run by hand:
//   build-ci/tests/bench/bench_console --sessions=10000 --turns=100000 --repeat=30
#include <QApplication>
#include <QElapsedTimer>
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

    // Filter keystrokes: each prefix of a content search and of a name search, as typed.
    std::vector<double> keystrokes;
    const QStringList typed = {
        QStringLiteral("远"),       QStringLiteral("远程"),  QStringLiteral("远程解"),
        QStringLiteral("远程解锁"), QStringLiteral(""),      QStringLiteral("车"),
        QStringLiteral("车主"),     QStringLiteral("车主1"), QStringLiteral("车主12"),
        QStringLiteral("车主123"),  QStringLiteral(""),      QStringLiteral("ou_bench_99")};
    for (int r = 0; r < qMax(1, repeat / 10); ++r)
        for (const QString &text : typed) {
            t.restart();
            page.proxy()->setTextFilter(text); // what the search box does once its debounce fires
            QCoreApplication::processEvents(); // and the list repaints
            keystrokes.push_back(elapsedMs(t));
        }
    page.proxy()->setTextFilter(QString());
    qInfo().noquote()
        << QStringLiteral("filter keystroke: %1").arg(Bench::formatMs(Bench::percentiles(keystrokes)));

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

    // Opening conversations picked at random.
    std::vector<double> opens;
    QRandomGenerator rng(7);
    for (int r = 0; r < repeat; ++r) {
        const int row = int(rng.bounded(page.listModel()->rowCount()));
        const qint64 id = page.listModel()->summaryAt(row).id;
        t.restart();
        page.openSession(id);
        QCoreApplication::processEvents(); // the thread, banner, composer and side panel paint
        opens.push_back(elapsedMs(t));
    }
    qInfo().noquote()
        << QStringLiteral("open a conversation: %1").arg(Bench::formatMs(Bench::percentiles(opens)));

    const Bench::Memory after = Bench::memoryOf(QCoreApplication::applicationPid());
    qInfo().noquote() << QStringLiteral("memory before the page: %1; with the page: %2")
                             .arg(Bench::formatMemory(before), Bench::formatMemory(after));
    return 0;
}

// BotService in-process over FeishuSandbox: wiring, the wait for the bot's open_id, stop().
#include <algorithm>

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "bot/botservice.h"
#include "chat/pipeline.h"
#include "desk/operatordesk.h"
#include "knowledge/knowledgebase.h"
#include "mainthreadprobe.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "storage/database.h"

class TestBotService final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void answersAfterStart();
    void answersAndConsoleSearchesUseConnectionsOfTheirOwn();
    void namesComeFromTheDirectoryAndARefusalRests();
    void pushesWaitForTheBotsOpenId();
    void openIdIsRememberedAcrossRuns();
    void stopEmitsStoppedOnceAndNeverReconnects();
    void burstIsAckedOnTheIoThreadAndNothingAckedIsLostAtStop();
    void reconfigureMovesToTheNewDomainAndAnswersEachMessageOnce();
    void damagedDatabaseFailsOpen();
    void badProxyFailsOpen();
    void questionsWaitForEmbeddingsWithoutStallingTheMainThread();

private:
    // Extra keys as if given on the command line.
    BotService::Options options(const QHash<QString, QString> &extra = {}) const;
    QString replyTo(const QString &imId) const;
    int repliesTo(const QString &imId) const;
    void startAndWaitForOpenId(BotService &bot); // open() + start() until ready with the open_id

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FeishuSandbox> m_sandbox;
};

void TestBotService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    FeishuSandbox::Options o;
    o.repushDelayMs = 0;
    m_sandbox = std::make_unique<FeishuSandbox>(o);
    QVERIFY(m_sandbox->start());
}

void TestBotService::cleanup()
{
    m_sandbox.reset();
    m_dir.reset();
}

BotService::Options TestBotService::options(const QHash<QString, QString> &extra) const
{
    BotService::Options o;
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = m_dir->path();
    in.commandLine = {{QStringLiteral("FEISHU_APP_ID"), m_sandbox->options().appId},
                      {QStringLiteral("FEISHU_APP_SECRET"), m_sandbox->options().appSecret},
                      {QStringLiteral("FEISHU_DOMAIN"), m_sandbox->baseUrl().toString()},
                      {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")}};
    in.commandLine.insert(extra);
    QString error;
    if (!AppConfig::resolve(in, &o.config, &error))
        qFatal("config: %s", qPrintable(error));
    o.drainTimeoutMs = 2000;
    return o;
}

int TestBotService::repliesTo(const QString &imId) const
{
    int n = 0;
    for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages())
        n += m.target == imId;
    return n;
}

QString TestBotService::replyTo(const QString &imId) const
{
    for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages())
        if (m.target == imId)
            return m.text;
    return {};
}

void TestBotService::startAndWaitForOpenId(BotService &bot)
{
    QString error;
    QVERIFY2(bot.open(&error), qPrintable(error));
    QSignalSpy ready(&bot, &BotService::ready);
    bot.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(bot.botOpenId(), m_sandbox->options().botOpenId, 10000);
}

void TestBotService::answersAfterStart()
{
    BotService bot(options());
    startAndWaitForOpenId(bot);
    if (QTest::currentTestFailed())
        return;

    FeishuSandbox::TextPush p;
    p.chatType = QStringLiteral("group");
    p.chatId = QStringLiteral("oc_g");
    p.senderOpenId = QStringLiteral("ou_a");
    p.text = QStringLiteral("远程解锁失败");
    p.mentionBot = true;
    const QString id = m_sandbox->pushText(p);
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(id), 1, 10000);
    QCOMPARE(bot.counters().messages, 1);

    const QByteArray unknown = m_sandbox->pushEvent(
        R"({"schema":"2.0","header":{"event_id":"e1","event_type":"drive.file.created_v1"},"event":{}})");
    const QByteArray broken = m_sandbox->pushEvent("[1,2");
    QTRY_COMPARE_WITH_TIMEOUT(bot.counters().otherEvents, 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(bot.counters().malformed, 1, 5000);
    QVERIFY(m_sandbox->isAcked(unknown));
    QVERIFY(m_sandbox->isAcked(broken));
}

// The bot's searches (its retriever thread) and the console's (the desk's text filter and
// knowledge search, on their worker) each open a connection of their own: none may take another's
// name, or Qt drops the older one under the thread that still uses it.
void TestBotService::answersAndConsoleSearchesUseConnectionsOfTheirOwn()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("duplicate connection name")));
    QTest::failOnWarning(QRegularExpression(QStringLiteral("does not belong to the calling thread")));
    BotService bot(options());
    startAndWaitForOpenId(bot);
    if (QTest::currentTestFailed())
        return;
    QSignalSpy matches(bot.desk(), &OperatorDesk::contentMatchesReady);
    QSignalSpy knowledge(bot.desk(), &OperatorDesk::knowledgeSearchReady);
    bot.desk()->requestContentMatches(QStringLiteral("解锁"));
    bot.desk()->requestKnowledgeSearch(QStringLiteral("远程解锁失败"));
    QTRY_COMPARE_WITH_TIMEOUT(knowledge.size(), 1, 10000);
    QVERIFY(!knowledge.at(0).at(1).value<QList<CitedEntry>>().isEmpty());
    FeishuSandbox::TextPush p;
    p.chatType = QStringLiteral("p2p");
    p.chatId = QStringLiteral("oc_dm");
    p.senderOpenId = QStringLiteral("ou_b");
    p.text = QStringLiteral("远程解锁失败");
    const QString id = m_sandbox->pushText(p);
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(id), 1, 10000);
    // The desk's lookups after the bot's search thread opened: the text filter finds the turn.
    QTRY_VERIFY_WITH_TIMEOUT(matches.size() >= 1, 10000);
    matches.clear();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            if (matches.isEmpty())
                bot.desk()->requestContentMatches(QStringLiteral("解锁"));
            return !matches.isEmpty() && !matches.last().at(1).value<QList<qint64>>().isEmpty();
        }(),
        10000);
    const QString second = m_sandbox->pushText(p);
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(second), 1, 10000);
}

void TestBotService::namesComeFromTheDirectoryAndARefusalRests()
{
    m_sandbox->setUserName(QStringLiteral("ou_named"), QStringLiteral("王先生"));
    m_sandbox->setChatName(QStringLiteral("oc_fleet"), QStringLiteral("车队服务群"));
    BotService bot(options());
    startAndWaitForOpenId(bot);
    if (QTest::currentTestFailed())
        return;
    const auto push = [this](const QString &chatType, const QString &chatId, const QString &openId) {
        FeishuSandbox::TextPush p;
        p.chatType = chatType;
        p.chatId = chatId;
        p.senderOpenId = openId;
        p.text = QStringLiteral("远程解锁失败");
        p.mentionBot = true;
        const QString id = m_sandbox->pushText(p);
        QTRY_COMPARE_WITH_TIMEOUT(repliesTo(id), 1, 10000);
    };
    const auto sessionOf = [&bot](const QString &openId) -> std::optional<SessionSummary> {
        for (const SessionSummary &s : bot.desk()->sessions())
            if (s.openId == openId)
                return s;
        return std::nullopt;
    };
    QSignalSpy changed(bot.desk(), &OperatorDesk::sessionChanged);
    push(QStringLiteral("group"), QStringLiteral("oc_fleet"), QStringLiteral("ou_named"));
    QTRY_COMPARE_WITH_TIMEOUT(sessionOf(QStringLiteral("ou_named"))->userName, QStringLiteral("王先生"),
                              10000);
    QTRY_COMPARE_WITH_TIMEOUT(sessionOf(QStringLiteral("ou_named"))->chatName, QStringLiteral("车队服务群"),
                              10000);
    QVERIFY(!changed.isEmpty()); // the console hears of the names
    QCOMPARE(m_sandbox->nameRequests(), 2);

    // The same person in a direct chat: the name is known, no new lookup.
    push(QStringLiteral("p2p"), QStringLiteral("oc_p2p_named"), QStringLiteral("ou_named"));
    const auto namedDirectChat = [&bot] {
        const QList<SessionSummary> all = bot.desk()->sessions();
        return std::any_of(all.cbegin(), all.cend(), [](const SessionSummary &s) {
            return s.chatId == QLatin1String("oc_p2p_named") && s.userName == QStringLiteral("王先生");
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(namedDirectChat(), 10000);
    QCOMPARE(m_sandbox->nameRequests(), 2);

    // Someone the app may not read: refused once, the open_id stays, and the next customer is
    // not looked up during the rest.
    push(QStringLiteral("p2p"), QStringLiteral("oc_p2p_x"), QStringLiteral("ou_hidden"));
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->nameRequests(), 3, 10000);
    push(QStringLiteral("p2p"), QStringLiteral("oc_p2p_y"), QStringLiteral("ou_hidden2"));
    QTest::qWait(300);
    QCOMPARE(m_sandbox->nameRequests(), 3);
    QVERIFY(sessionOf(QStringLiteral("ou_hidden"))->userName.isEmpty());
    QVERIFY(sessionOf(QStringLiteral("ou_hidden2"))->userName.isEmpty());
}

void TestBotService::pushesWaitForTheBotsOpenId()
{
    // bot/v3/info answers only after the push arrived: the push must not be judged without it.
    bool holdBotInfo = true;
    QList<QPointer<HttpResponder>> held;
    m_sandbox->addHandler([&](const HttpRequest &req, HttpResponder *resp) {
        if (!holdBotInfo || !req.path.endsWith("/bot/v3/info"))
            return false;
        held << resp;
        return true;
    });
    BotService bot(options());
    QString error;
    QVERIFY(bot.open(&error));
    bot.start();
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), 5000);

    FeishuSandbox::TextPush p;
    p.chatType = QStringLiteral("group");
    p.chatId = QStringLiteral("oc_g");
    p.text = QStringLiteral("OTA升级失败");
    p.mentionBot = true;
    const QString id = m_sandbox->pushText(p);
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->isAcked(m_sandbox->frameMessageIdOf(id)), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(bot.counters().waitingForBot, 1, 5000);
    QCOMPARE(bot.counters().messages, 0);

    // Now the platform answers (the bot's next call goes through): the push is handled.
    holdBotInfo = false;
    for (const QPointer<HttpResponder> &r : std::as_const(held))
        if (r)
            r->abortConnection(); // the client retries
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(id), 1, 15000);
}

void TestBotService::openIdIsRememberedAcrossRuns()
{
    {
        BotService bot(options());
        QString error;
        QVERIFY(bot.open(&error));
        bot.start();
        QTRY_COMPARE_WITH_TIMEOUT(bot.botOpenId(), m_sandbox->options().botOpenId, 10000);
        QSignalSpy stopped(&bot, &BotService::stopped);
        bot.stop();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 5000);
    }
    BotService again(options());
    QString error;
    QVERIFY(again.open(&error));
    QCOMPARE(again.botOpenId(), m_sandbox->options().botOpenId); // before any network call
}

void TestBotService::stopEmitsStoppedOnceAndNeverReconnects()
{
    BotService bot(options());
    QString error;
    QVERIFY(bot.open(&error));
    bot.start();
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 1, 10000);
    QSignalSpy stopped(&bot, &BotService::stopped);
    bot.stop();
    bot.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 0, 5000);
    const int total = m_sandbox->totalConnections();
    QTest::qWait(1500);
    QCOMPARE(m_sandbox->totalConnections(), total);
    QCOMPARE(stopped.size(), 1);
    // The connection's state reaches the main thread as the health snapshot, never by a getter
    // on the I/O thread's object.
    QTRY_COMPARE(bot.desk()->health().state, ConnectionHealth::State::Idle);
}

void TestBotService::burstIsAckedOnTheIoThreadAndNothingAckedIsLostAtStop()
{
    BotService bot(options());
    startAndWaitForOpenId(bot);
    if (QTest::currentTestFailed())
        return;
    // The connection has a thread of its own, so the database work here never delays an ACK.
    QVERIFY(bot.ioThread() != QThread::currentThread());
    QVERIFY(bot.ioThread()->isRunning());

    // A burst of group chatter, and the bot is stopped as soon as the last push is ACKed: what
    // was ACKed must be in the ledger, handled, when stopped() comes (nothing re-pushes it).
    constexpr int kPushes = 1500;
    const int acksBefore = m_sandbox->ackCount();
    for (int i = 0; i < kPushes; ++i) {
        FeishuSandbox::TextPush p;
        p.chatType = QStringLiteral("group");
        p.chatId = QStringLiteral("oc_busy_%1").arg(i % 7);
        p.senderOpenId = QStringLiteral("ou_%1").arg(i % 50);
        p.text = QStringLiteral("群里闲聊 %1").arg(i);
        m_sandbox->pushText(p);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->ackCount() - acksBefore, kPushes, 30000);
    QSignalSpy stopped(&bot, &BotService::stopped);
    bot.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.size(), 1, 10000);
    QCOMPARE(bot.counters().events, qint64(kPushes));
    QCOMPARE(bot.counters().messages, qint64(kPushes));
    // The ledger, read from the file by a connection of the test's own.
    QSqlDatabase check = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
    check.setDatabaseName(m_dir->filePath(QStringLiteral("tsp-assistant.db")));
    QVERIFY(check.open());
    QSqlQuery q(check);
    QVERIFY(q.exec(QStringLiteral("SELECT outcome, COUNT(*) FROM event_ledger GROUP BY outcome")));
    QHash<QString, int> outcomes;
    while (q.next())
        outcomes.insert(q.value(0).toString(), q.value(1).toInt());
    QCOMPARE(outcomes, (QHash<QString, int>{{QStringLiteral("ignored"), kPushes}}));
    QCOMPARE(m_sandbox->sentMessages().size(), 0);
    q = QSqlQuery();
    check.close();
    check = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

void TestBotService::reconfigureMovesToTheNewDomainAndAnswersEachMessageOnce()
{
    // Two stand-ins of the platform on 127.0.0.1: the operator changes FEISHU_DOMAIN from the
    // first to the second while the bot is connected and messages keep coming.
    FeishuSandbox::Options o;
    o.repushDelayMs = 0;
    FeishuSandbox second(o);
    QVERIFY(second.start());
    QVERIFY(second.baseUrl() != m_sandbox->baseUrl());

    BotService bot(options());
    startAndWaitForOpenId(bot);
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 1, 5000);
    QCOMPARE(second.bootstrapCount(), 0);

    auto push = [](FeishuSandbox &sandbox, int i) {
        FeishuSandbox::TextPush p;
        p.chatType = QStringLiteral("p2p");
        p.chatId = QStringLiteral("oc_dm_%1").arg(i);
        p.senderOpenId = QStringLiteral("ou_switch_%1").arg(i);
        p.text = QStringLiteral("远程解锁失败 %1").arg(i);
        return sandbox.pushText(p);
    };
    QStringList before, after;
    const int acksBefore = m_sandbox->ackCount();
    for (int i = 0; i < 5; ++i)
        before << push(*m_sandbox, i);
    // The first platform has handed them over (ACKed); two separate sandboxes do not share
    // redeliveries, so a push not yet ACKed would stay with the first one for good.
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->ackCount() - acksBefore, 5, 10000);

    // Right after the ACKs, while they are being answered: the switch must not lose or double them.
    AppConfig changed = bot.config();
    changed.feishuDomain = second.baseUrl();
    QString error;
    QVERIFY2(bot.reconfigure(changed, &error), qPrintable(error));
    QCOMPARE(bot.config().feishuDomain, second.baseUrl());

    for (int i = 5; i < 10; ++i)
        after << push(second, i); // wait in the second sandbox until the bot dials it
    QTRY_COMPARE_WITH_TIMEOUT(second.bootstrapCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(second.connectionCount(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->connectionCount(), 0, 10000);

    auto replies = [&](const QString &imId) {
        int n = 0;
        for (const FeishuSandbox *s : {static_cast<const FeishuSandbox *>(m_sandbox.get()),
                                       static_cast<const FeishuSandbox *>(&second)}) {
            for (const FeishuSandbox::SentMessage &m : s->sentMessages())
                n += m.target == imId;
        }
        return n;
    };
    for (const QString &id : std::as_const(before) + after)
        QTRY_COMPARE_WITH_TIMEOUT(replies(id), 1, 15000);
    // Messages after the switch were answered through the second platform only.
    for (const QString &id : std::as_const(after))
        QCOMPARE(repliesTo(id), 0);
    // Nothing comes twice, even after the redeliveries have had their time.
    QTest::qWait(500);
    for (const QString &id : std::as_const(before) + after)
        QCOMPARE(replies(id), 1);
    QCOMPARE(bot.counters().messages, qint64(10));
    QTRY_COMPARE(bot.desk()->health().state, ConnectionHealth::State::Connected);

    // A value that cannot work is refused and changes nothing.
    AppConfig bad = bot.config();
    bad.proxy = QStringLiteral("ftp://nowhere");
    QVERIFY(!bot.reconfigure(bad, &error));
    QVERIFY(error.contains(QLatin1String("FEISHU_PROXY")));
    QCOMPARE(bot.config().proxy, QStringLiteral("none"));
}

void TestBotService::damagedDatabaseFailsOpen()
{
    QFile f(m_dir->filePath(QStringLiteral("tsp-assistant.db")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("SQLite format 3") + char(0) + QByteArray(4096, 'x'));
    f.close();
    BotService bot(options());
    QString error;
    QVERIFY(!bot.open(&error));
    QVERIFY2(error.contains(QStringLiteral("tsp-assistant.db")), qPrintable(error));
}

void TestBotService::badProxyFailsOpen()
{
    BotService::Options o = options();
    o.config.proxy = QStringLiteral("ftp://nowhere");
    BotService bot(o);
    QString error;
    QVERIFY(!bot.open(&error));
    QVERIFY2(error.startsWith(QStringLiteral("FEISHU_PROXY")), qPrintable(error));
}

void TestBotService::questionsWaitForEmbeddingsWithoutStallingTheMainThread()
{
    // The embedding endpoint: the LLM stand-in's /v1/embeddings, on a thread of its own.
    QThread serverThread;
    serverThread.start();
    auto *standIn = new LlmStandIn;
    standIn->moveToThread(&serverThread);
    QString baseUrl;
    QString model;
    QMetaObject::invokeMethod(
        standIn,
        [&] {
            if (standIn->start()) {
                baseUrl = standIn->baseUrl();
                model = standIn->embeddingModel();
            }
        },
        Qt::BlockingQueuedConnection);
    const auto onServer = [standIn](auto f) {
        QMetaObject::invokeMethod(standIn, f, Qt::BlockingQueuedConnection);
    };
    auto stopServer = qScopeGuard([&] {
        if (serverThread.isRunning())
            onServer([&] { delete standIn; });
        serverThread.quit();
        serverThread.wait();
    });
    QVERIFY(!baseUrl.isEmpty());

    BotService bot(options({{QStringLiteral("EMBEDDING_BASE_URL"), baseUrl},
                            {QStringLiteral("EMBEDDING_MODEL"), model},
                            {QStringLiteral("EMBEDDING_TIMEOUT_MS"), QStringLiteral("8000")}}));
    startAndWaitForOpenId(bot);
    if (QTest::currentTestFailed())
        return;
    const auto entry = bot.knowledge()->entry(QStringLiteral("KB-0151"));
    QVERIFY(entry);
    auto ask = [this](const QString &user, const QString &text) {
        FeishuSandbox::TextPush p;
        p.chatType = QStringLiteral("p2p");
        p.chatId = QStringLiteral("oc_p2p_") + user;
        p.senderOpenId = user;
        p.text = text;
        return m_sandbox->pushText(p);
    };
    // A first question embeds the changed entries (the seeded knowledge base) with its own vector.
    const QString warmUp = ask(QStringLiteral("ou_warm"), QStringLiteral("车机没网"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(warmUp), 1, 20000);

    // Now a slow endpoint: the question waits for its vector, the main thread does not.
    constexpr int kDelayMs = 1500;
    int requestsBefore = 0;
    onServer([&] {
        standIn->setEmbeddingDelay(kDelayMs);
        requestsBefore = standIn->embeddingRequestCount();
    });
    MainThreadProbe probe;
    const QString id = ask(QStringLiteral("ou_slow"), QStringLiteral("APP提示E-1023"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(id), 1, 30000);
    probe.stop();
    int requests = 0;
    onServer([&] { requests = standIn->embeddingRequestCount(); });
    QVERIFY2(requests > requestsBefore, "the question's vector was asked for");
    QVERIFY2(probe.ticks() > 0, "the event loop ran while the question waited");
    QVERIFY2(probe.longestStallMs() < kDelayMs / 2, qPrintable(probe.report()));
    QVERIFY2(replyTo(id).contains(entry->title.simplified()), qPrintable(replyTo(id)));

    // The endpoint gone: answers come from the lexical ranking.
    onServer([&] { delete standIn; });
    serverThread.quit();
    serverThread.wait();
    const QString down = ask(QStringLiteral("ou_down"), QStringLiteral("APP提示E-1023"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(down), 1, 20000);
    QVERIFY2(replyTo(down).contains(entry->title.simplified()), qPrintable(replyTo(down)));
}

QTEST_GUILESS_MAIN(TestBotService)
#include "tst_botservice.moc"

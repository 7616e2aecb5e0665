// End to end: the real tsp-assistant binary (--headless) against FeishuSandbox and LlmStandIn on
// 127.0.0.1, in this test process. Each test starts a fresh sandbox, stand-in and data dir.
#include <algorithm>
#include <csignal>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "assistant/answerprovider.h"
#include "assistant/assistant.h"
#include "botprocess.h"
#include "feishu/pushjournal.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "testutil.h"

namespace {

constexpr int kReplyMs = 15000;

QString llmText(const QJsonObject &request)
{
    QString all;
    for (const QJsonValue &m : request.value(QLatin1String("messages")).toArray())
        all += m.toObject().value(QLatin1String("content")).toString() + QLatin1Char('\n');
    return all;
}

// A reply of the bot as stored: session, text, source (turn meta) and the entries it cited.
struct BotTurn
{
    QString sessionKey;
    QString text;
    QString source;
    QStringList refs;
    bool askedBack = false; // a clarifying question: its refs are causes named, not steps given
};

} // namespace

class TestHeadless final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void singleUserMultiTurn();
    void usersAndGroupsAreIsolated();
    void p2pAnsweredGroupWithoutMentionIgnored();
    void redeliveryNotAnsweredTwiceLiveAndAfterRestart();
    void crashBetweenDecisionAndSendDeliversOnce();
    void pushAckedBeforeAKillIsAnsweredAtRestart();
    void fragmentedOutOfOrderPush();
    void reconnectsAfterKill();
    void invalidTokenRefreshed();
    void tokenRefusedTwiceRetriedLater();
    void rateLimitedReplyDelivered();
    void serverErrorsRetried();
    void llmDownFallsBackToKnowledge();
    void imageMalformedAndUnknownEvents();
    void sigtermExitsCleanlyWithoutSecretsInLog();
    void secondInstanceRefused();
    void damagedDatabaseIsNotRecreated();
    void terminalBootstrapCodeStops();
    void reviewAndManualModesWaitForAnOperator();
    void sigintStopsWithExitCodeZero();
    void stallReportWithSlowEmbeddings();
    void botInfoUnavailableStillAnswersMentions();
    void followUpAnsweredInContextAndAfterRestart();
    void repeatFailureNeverSameText_data();
    void repeatFailureNeverSameText();
    void clarifyingQuestionAnsweredWithItsCause_data();
    void clarifyingQuestionAnsweredWithItsCause();
    void askingForAPersonHandsOver_data();
    void askingForAPersonHandsOver();
    void followUpAnsweredFromTheCitedEntryWithoutLlm();

private:
    void startBot(const QStringList &extraArgs = {});
    void dropLlm(); // the bot's .env without an LLM: answers from the knowledge base alone
    QString push(const QString &text, const QString &chatType = QStringLiteral("p2p"),
                 const QString &chatId = {}, const QString &openId = QStringLiteral("ou_user_a"),
                 bool mention = false);
    int repliesTo(const QString &imId) const;
    QString replyTextTo(const QString &imId) const;
    bool waitForReply(const QString &imId, int timeoutMs = kReplyMs);
    QJsonObject llmRequestFor(const QString &question) const;
    int answerRequestCount() const;
    QList<BotTurn> botTurns(); // stops the bot first

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FeishuSandbox> m_sandbox;
    std::unique_ptr<LlmStandIn> m_llm;
    std::unique_ptr<BotProcess> m_bot;
    QHash<QString, QString> m_env;
};

void TestHeadless::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    FeishuSandbox::Options o;
    o.repushDelayMs = 0; // a missing ACK must show up as missing
    m_sandbox = std::make_unique<FeishuSandbox>(o);
    m_sandbox->setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 30},
                                           {QStringLiteral("ReconnectCount"), -1},
                                           {QStringLiteral("ReconnectInterval"), 1},
                                           {QStringLiteral("ReconnectNonce"), 1}});
    QVERIFY(m_sandbox->start());
    m_llm = std::make_unique<LlmStandIn>();
    QVERIFY(m_llm->start());
    m_bot = std::make_unique<BotProcess>(m_dir->path());
    m_env = BotProcess::sandboxEnv(*m_sandbox, *m_llm, QStringLiteral("sk-e2e-llm-secret-key"));
    m_bot->writeEnv(m_env);
}

void TestHeadless::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "bot log:\n" << m_bot->log().right(6000);
    m_bot.reset();
    m_llm.reset();
    m_sandbox.reset();
    m_dir.reset();
}

void TestHeadless::dropLlm()
{
    for (const char *key : {"LLM_PROVIDER", "LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY"})
        m_env.remove(QString::fromLatin1(key));
    m_bot->writeEnv(m_env);
}

void TestHeadless::startBot(const QStringList &extraArgs)
{
    const int before = m_sandbox->totalConnections();
    QVERIFY(m_bot->start(extraArgs));
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->totalConnections() > before, 15000);
    QVERIFY(m_bot->waitForLog(QStringLiteral("open_id ou_sandbox_bot"), 15000));
}

QString TestHeadless::push(const QString &text, const QString &chatType, const QString &chatId,
                           const QString &openId, bool mention)
{
    FeishuSandbox::TextPush p;
    p.text = text;
    p.chatType = chatType;
    p.chatId = chatId;
    p.senderOpenId = openId;
    p.mentionBot = mention;
    return m_sandbox->pushText(p);
}

int TestHeadless::repliesTo(const QString &imId) const
{
    int n = 0;
    for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages())
        n += m.kind == QLatin1String("reply") && m.target == imId;
    return n;
}

QString TestHeadless::replyTextTo(const QString &imId) const
{
    QString text;
    for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages())
        if (m.kind == QLatin1String("reply") && m.target == imId)
            text += m.text;
    return text;
}

bool TestHeadless::waitForReply(const QString &imId, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (repliesTo(imId) == 0) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

// The AI analysis of a conversation (its system prompt names the 质检助手) runs after a debounce
// and quotes the whole conversation; on a slow run it can come between two turns. These helpers
// look only at the requests that answer a customer.
static bool isAnalysisRequest(const QJsonObject &request)
{
    const QJsonArray messages = request.value(QLatin1String("messages")).toArray();
    return !messages.isEmpty() && messages.first()
                                      .toObject()
                                      .value(QLatin1String("content"))
                                      .toString()
                                      .contains(QStringLiteral("质检助手"));
}

int TestHeadless::answerRequestCount() const
{
    const QList<QJsonObject> requests = m_llm->requests();
    return int(std::count_if(requests.cbegin(), requests.cend(),
                             [](const QJsonObject &r) { return !isAnalysisRequest(r); }));
}

QJsonObject TestHeadless::llmRequestFor(const QString &question) const
{
    const QList<QJsonObject> requests = m_llm->requests();
    for (auto it = requests.crbegin(); it != requests.crend(); ++it) {
        if (isAnalysisRequest(*it))
            continue;
        const QJsonArray messages = it->value(QLatin1String("messages")).toArray();
        if (!messages.isEmpty() &&
            messages.last().toObject().value(QLatin1String("content")).toString().contains(question))
            return *it;
    }
    return {};
}

void TestHeadless::singleUserMultiTurn()
{
    startBot();
    const QString first = push(QStringLiteral("车机没网了，导航也用不了"));
    QVERIFY(waitForReply(first));
    QVERIFY(!replyTextTo(first).isEmpty());
    const QString second = push(QStringLiteral("还有其他方法吗"));
    QVERIFY(waitForReply(second));

    // The follow-up was answered with the earlier turns in the prompt.
    const QJsonObject req = llmRequestFor(QStringLiteral("还有其他方法吗"));
    QVERIFY2(!req.isEmpty(), "the follow-up reached the LLM");
    const QString prompt = llmText(req);
    QVERIFY2(prompt.contains(QStringLiteral("车机没网了")), qPrintable(prompt));
    QVERIFY2(prompt.contains(QStringLiteral("[KB-")), "the prompt cites tickets");
    QCOMPARE(repliesTo(first), 1);
    QCOMPARE(repliesTo(second), 1);
    const QString log = m_bot->log();
    QVERIFY(log.contains(first));
    QVERIFY2(log.contains(QStringLiteral("feishu_p2p_ou_user_a")), "the session key is logged");
}

void TestHeadless::usersAndGroupsAreIsolated()
{
    startBot();
    const QString g1 = QStringLiteral("oc_group_one");
    const QString g2 = QStringLiteral("oc_group_two");
    const QString a1 = push(QStringLiteral("远程解锁失败，APP提示超时"), QStringLiteral("group"), g1,
                            QStringLiteral("ou_alice"), true);
    const QString b1 = push(QStringLiteral("数字钥匙用不了，蓝牙连不上"), QStringLiteral("group"), g1,
                            QStringLiteral("ou_bob"), true);
    const QString a2 = push(QStringLiteral("OTA升级失败怎么办"), QStringLiteral("group"), g2,
                            QStringLiteral("ou_alice"), true);
    QVERIFY(waitForReply(a1));
    QVERIFY(waitForReply(b1));
    QVERIFY(waitForReply(a2));
    const QString alice1Follow =
        push(QStringLiteral("还是不行"), QStringLiteral("group"), g1, QStringLiteral("ou_alice"), true);
    QVERIFY(waitForReply(alice1Follow));

    // Alice in group 1 sees her own earlier question, not Bob's, not her group-2 question.
    const QString prompt = llmText(llmRequestFor(QStringLiteral("还是不行")));
    QVERIFY2(prompt.contains(QStringLiteral("远程解锁失败")), qPrintable(prompt));
    QVERIFY2(!prompt.contains(QStringLiteral("数字钥匙用不了")), qPrintable(prompt));
    QVERIFY2(!prompt.contains(QStringLiteral("OTA升级失败")), qPrintable(prompt));
    // Bob's first question was answered without Alice's context.
    const QString bobPrompt = llmText(llmRequestFor(QStringLiteral("数字钥匙用不了")));
    QVERIFY(!bobPrompt.isEmpty());
    QVERIFY2(!bobPrompt.contains(QStringLiteral("远程解锁失败")), qPrintable(bobPrompt));

    // Three sessions with the documented keys.
    QVERIFY(m_bot->terminate() == 0);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("iso"));
    db.setDatabaseName(m_dir->filePath(QStringLiteral("bot.db")));
    QVERIFY(db.open());
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT session_key FROM sessions ORDER BY session_key")));
    QStringList keys;
    while (q.next())
        keys << q.value(0).toString();
    QCOMPARE(keys, (QStringList{QStringLiteral("feishu_oc_group_one_ou_alice"),
                                QStringLiteral("feishu_oc_group_one_ou_bob"),
                                QStringLiteral("feishu_oc_group_two_ou_alice")}));
    q = QSqlQuery();
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("iso"));
}

void TestHeadless::p2pAnsweredGroupWithoutMentionIgnored()
{
    startBot();
    const QString chatter = push(QStringLiteral("下午三点开会"), QStringLiteral("group"),
                                 QStringLiteral("oc_g"), QStringLiteral("ou_carol"), false);
    const QString direct =
        push(QStringLiteral("车机没网"), QStringLiteral("p2p"), {}, QStringLiteral("ou_carol"));
    QVERIFY(waitForReply(direct));
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->isAcked(m_sandbox->frameMessageIdOf(chatter)), 5000);
    QTest::qWait(500);
    QCOMPARE(repliesTo(chatter), 0);
    QVERIFY(m_bot->log().contains(QStringLiteral("ignored")));
}

void TestHeadless::redeliveryNotAnsweredTwiceLiveAndAfterRestart()
{
    startBot();
    const QString id = push(QStringLiteral("数字钥匙用不了"));
    QVERIFY(waitForReply(id));
    const QByteArray again = m_sandbox->redeliver(id);
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->isAcked(again), 5000);
    QTest::qWait(800);
    QCOMPARE(repliesTo(id), 1);
    QVERIFY(m_bot->log().contains(QStringLiteral("duplicate")));

    QCOMPARE(m_bot->terminate(), 0);
    startBot();
    const QByteArray third = m_sandbox->redeliver(id);
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->isAcked(third), 5000);
    QTest::qWait(800);
    QCOMPARE(repliesTo(id), 1);
    QCOMPARE(m_sandbox->badAcks(), 0);
}

// A bot killed after the ACK of a push and before recording it leaves the push in its journal
// (pushes.journal in the data dir; the platform never pushes an ACKed message again). The next
// start answers it once; a journalled push that was recorded after all is not answered twice.
void TestHeadless::pushAckedBeforeAKillIsAnsweredAtRestart()
{
    startBot();
    const QString recorded = push(QStringLiteral("数字钥匙用不了"));
    QVERIFY(waitForReply(recorded));
    QCOMPARE(m_bot->terminate(), 0);
    const QString journalPath = QDir(m_dir->path()).filePath(QStringLiteral("pushes.journal"));
    QVERIFY2(QFileInfo::exists(journalPath), "the bot keeps its journal in the data dir");
    QCOMPARE(QFileInfo(journalPath).size(), 0); // everything it ACKed was recorded

    // What a run killed in the window leaves: the recorded push, and one that never was.
    FeishuSandbox::TextPush p;
    p.text = QStringLiteral("远程开不了门");
    p.chatType = QStringLiteral("p2p");
    p.senderOpenId = QStringLiteral("ou_user_b");
    QString lost;
    const QByteArray lostEvent = m_sandbox->textEvent(p, &lost);
    {
        PushJournal journal(journalPath);
        QList<PushJournal::Record> none;
        QString error;
        QVERIFY2(journal.open(&none, &error), qPrintable(error));
        QVERIFY(none.isEmpty());
        journal.append(m_sandbox->eventPayloadOf(recorded), "event");
        journal.append(lostEvent, "event");
    }
    QVERIFY(QFileInfo(journalPath).size() > 0);

    startBot();
    QVERIFY(waitForReply(lost));
    QVERIFY(m_bot->waitForLog(QStringLiteral("duplicate delivery of %1").arg(recorded), 5000));
    QTest::qWait(800);
    QCOMPARE(repliesTo(lost), 1);
    QCOMPARE(repliesTo(recorded), 1);
    QVERIFY(m_bot->log().contains(QStringLiteral("2 push(es) ACKed by the last run")));
    QTRY_COMPARE_WITH_TIMEOUT(QFileInfo(journalPath).size(), 0, 5000);
}

void TestHeadless::crashBetweenDecisionAndSendDeliversOnce()
{
    // The reply call reaches the platform, which processes it, but the bot dies before it hears
    // back: on restart the outbox resends under the same uuid and the platform drops the repeat.
    bool swallow = true;
    QStringList swallowedUuids;
    m_sandbox->addHandler([&](const HttpRequest &req, HttpResponder *) {
        if (!swallow || !req.path.endsWith("/reply"))
            return false;
        swallowedUuids << QJsonDocument::fromJson(req.body).object().value(QLatin1String("uuid")).toString();
        return true; // never answered
    });
    startBot();
    const QString id = push(QStringLiteral("远程开不了门"));
    QTRY_VERIFY_WITH_TIMEOUT(!swallowedUuids.isEmpty(), kReplyMs);
    m_bot->kill();
    QCOMPARE(repliesTo(id), 0);

    swallow = false;
    startBot();
    QVERIFY(waitForReply(id));
    QTest::qWait(800);
    QCOMPARE(repliesTo(id), 1);
    const QList<FeishuSandbox::SentMessage> sent = m_sandbox->sentMessages();
    QCOMPARE(sent.last().uuid, swallowedUuids.first());

    // And a crash after the platform accepted the reply: resent, deduplicated by uuid.
    const QString id2 = push(QStringLiteral("OTA升级失败"));
    m_sandbox->injectFault(FeishuSandbox::Fault::Timeout); // processed, the answer never comes
    QVERIFY(waitForReply(id2));
    m_bot->kill();
    startBot();
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->duplicateUuidRequests() >= 1, kReplyMs);
    QCOMPARE(repliesTo(id2), 1);
}

void TestHeadless::fragmentedOutOfOrderPush()
{
    startBot();
    FeishuSandbox::TextPush p;
    p.text =
        QStringLiteral("车辆定位不准，APP上显示的位置和实际差了好几公里，") + QString(300, QChar(0x6D4B));
    p.chatType = QStringLiteral("p2p");
    p.push.fragments = 5;
    p.push.shuffle = true;
    p.push.duplicateFragment = true;
    const QString id = m_sandbox->pushText(p);
    QVERIFY(waitForReply(id));
    QTRY_COMPARE_WITH_TIMEOUT(m_sandbox->ackCount(), 1, 5000);
    QCOMPARE(m_sandbox->badAcks(), 0);
}

void TestHeadless::reconnectsAfterKill()
{
    startBot();
    m_sandbox->killConnections();
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->totalConnections() >= 2 && m_sandbox->connectionCount() == 1, 15000);
    const QString id = push(QStringLiteral("T-Box离线怎么办"));
    QVERIFY(waitForReply(id));
    QVERIFY(m_sandbox->bootstrapCount() >= 2); // a fresh endpoint for the new connection
}

void TestHeadless::invalidTokenRefreshed()
{
    startBot();
    m_sandbox->revokeTokens();
    m_sandbox->injectFault(FeishuSandbox::Fault::InvalidToken);
    const QString id = push(QStringLiteral("APP登录不上"));
    QVERIFY(waitForReply(id));
    QTest::qWait(500);
    QCOMPARE(repliesTo(id), 1);
    QVERIFY(m_sandbox->tokenRequests() >= 2);
}

void TestHeadless::tokenRefusedTwiceRetriedLater()
{
    // The new token is refused too (revoked again while it was on its way): one refetch per call,
    // no loop, and the reply is not given up: the outbox sends it again after its back-off.
    startBot();
    m_sandbox->injectFault(FeishuSandbox::Fault::InvalidToken, 2);
    const QString id = push(QStringLiteral("APP登录不上"));
    QVERIFY(waitForReply(id));
    QTest::qWait(500);
    QCOMPARE(repliesTo(id), 1);
    QVERIFY(m_bot->log().contains(QStringLiteral("the tenant token was refused again")));
    QVERIFY(m_bot->log().contains(QStringLiteral("retry 2 of")));
}

void TestHeadless::rateLimitedReplyDelivered()
{
    startBot();
    m_sandbox->setRateLimitResetSeconds(1);
    m_sandbox->injectFault(FeishuSandbox::Fault::RateLimit);
    const QString id = push(QStringLiteral("流量用完了怎么办"));
    QVERIFY(waitForReply(id));
    QTest::qWait(500);
    QCOMPARE(repliesTo(id), 1);
}

void TestHeadless::serverErrorsRetried()
{
    startBot();
    m_sandbox->injectFault(FeishuSandbox::Fault::ServerError, 2);
    const QString id = push(QStringLiteral("语音助手没反应"));
    QVERIFY(waitForReply(id));
    QTest::qWait(500);
    QCOMPARE(repliesTo(id), 1);
}

void TestHeadless::llmDownFallsBackToKnowledge()
{
    m_llm->setFault(LlmStandIn::Fault::Http500);
    startBot();
    const QString id = push(QStringLiteral("车机没网"));
    QVERIFY(waitForReply(id, 40000));
    const QString text = replyTextTo(id);
    QVERIFY(!text.isEmpty());
    QVERIFY(m_llm->requestCount() >= 1);
    QVERIFY2(m_bot->log().contains(QStringLiteral("knowledge")), "the outcome names the knowledge fallback");
}

void TestHeadless::imageMalformedAndUnknownEvents()
{
    startBot();
    FeishuSandbox::TextPush img;
    img.chatType = QStringLiteral("p2p");
    img.messageType = QStringLiteral("image");
    img.rawContent = QStringLiteral("{\"image_key\":\"img_v2_123\"}");
    const QString imageId = m_sandbox->pushText(img);
    QVERIFY(waitForReply(imageId));
    QVERIFY(replyTextTo(imageId).contains(QStringLiteral("文字")));

    const QByteArray broken = m_sandbox->pushEvent("{not json at all");
    const QByteArray badUtf8 = m_sandbox->pushEvent(QByteArray(
        "{\"schema\":\"2.0\",\"header\":{\"event_type\":\"im.message.receive_v1\"},\"event\":\"\xff\xfe\"}"));
    const QByteArray unknown = m_sandbox->pushEvent(
        R"({"schema":"2.0","header":{"event_id":"ev_unknown_1","event_type":"contact.user.updated_v3","create_time":"1700000000000","app_id":"cli_a1b2c3d4e5f60718","tenant_key":"t"},"event":{}})");
    const QByteArray noMessage = m_sandbox->pushEvent(
        R"({"schema":"2.0","header":{"event_id":"ev_nomsg","event_type":"im.message.receive_v1","create_time":"1700000000000"},"event":{"sender":{"sender_id":{"open_id":"ou_x"}}}})");
    for (const QByteArray &f : {broken, badUtf8, unknown, noMessage})
        QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->isAcked(f), 5000);
    for (const FeishuSandbox::AckRecord &a : m_sandbox->acks())
        QCOMPARE(a.code, 200);
    QVERIFY(m_bot->waitForLog(QStringLiteral("contact.user.updated_v3"), 5000));
    QVERIFY(m_bot->log().contains(QStringLiteral("unusable push")));

    // Still answering afterwards.
    const QString id = push(QStringLiteral("充电预约不生效"));
    QVERIFY(waitForReply(id));
    QCOMPARE(m_bot->process().state(), QProcess::Running);
}

void TestHeadless::sigtermExitsCleanlyWithoutSecretsInLog()
{
    startBot();
    const QString id = push(QStringLiteral("我的车架号是LSVAU2180N2183294，手机13812345678，车机没网"));
    QVERIFY(waitForReply(id));
    QCOMPARE(m_bot->terminate(5000), 0); // -1 if it had not exited within the 5 s

    const QString log = m_bot->log();
    QVERIFY2(log.contains(QStringLiteral("App ID:")), "banner");
    QVERIFY(log.contains(QStringLiteral("Database:")));
    QVERIFY(log.contains(QStringLiteral("LLM:")));
    QVERIFY(!log.contains(m_sandbox->options().appSecret));
    QVERIFY(!log.contains(QStringLiteral("sk-e2e-llm-secret-key")));
    QCOMPARE(m_llm->lastAuthorization(), QByteArray("Bearer sk-e2e-llm-secret-key")); // it was used
    const QByteArray auth = m_sandbox->lastAuthorization();
    QVERIFY(auth.startsWith("Bearer "));
    QVERIFY2(!log.contains(QString::fromLatin1(auth.mid(7))), "tenant token in the log");
    QVERIFY2(!log.contains(QStringLiteral("access_key=")) && !log.contains(QStringLiteral("ticket=")),
             "WebSocket URL query in the log");
    QVERIFY2(!log.contains(QStringLiteral("LSVAU2180N2183294")), "VIN in the log");
    QVERIFY2(!log.contains(QStringLiteral("13812345678")), "phone number in the log");
    // The log file in the data dir holds the same lines.
    const QByteArray file = TestUtil::readFile(m_dir->filePath(QStringLiteral("logs/tsp-assistant.log")));
    QVERIFY(file.contains("App ID:"));
    QVERIFY(!file.contains(m_sandbox->options().appSecret.toUtf8()));
}

void TestHeadless::secondInstanceRefused()
{
    startBot();
    BotProcess second(m_dir->path());
    QVERIFY(second.start());
    QCOMPARE(second.waitForExit(10000), 3);
    QVERIFY2(second.log().contains(QStringLiteral("already running")), qPrintable(second.log()));
    QCOMPARE(m_bot->process().state(), QProcess::Running);
}

void TestHeadless::damagedDatabaseIsNotRecreated()
{
    QByteArray garbage("SQLite format 3");
    garbage.append(char(0));
    garbage.append(QByteArray(8192, '\x5a'));
    QFile f(m_dir->filePath(QStringLiteral("bot.db")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(garbage);
    f.close();
    QVERIFY(m_bot->start());
    QCOMPARE(m_bot->waitForExit(10000), 1);
    QVERIFY2(m_bot->log().contains(QStringLiteral("bot.db")), qPrintable(m_bot->log()));
    QCOMPARE(TestUtil::readFile(f.fileName()), garbage);
    QCOMPARE(m_sandbox->totalConnections(), 0);
}

void TestHeadless::terminalBootstrapCodeStops()
{
    m_sandbox->setBootstrapFault(1000040351, QStringLiteral("app is not allowed to use the long connection"));
    QVERIFY(m_bot->start());
    QCOMPARE(m_bot->waitForExit(15000), 1);
    const QString log = m_bot->log();
    QVERIFY2(log.contains(QStringLiteral("1000040351")), qPrintable(log));
    QVERIFY(log.contains(QStringLiteral("not allowed to use the long connection")));
    QCOMPARE(m_sandbox->bootstrapCount(), 1);
}

void TestHeadless::reviewAndManualModesWaitForAnOperator()
{
    // Review: the bot drafts, nothing goes out; the draft waits in the database for a console.
    m_env.insert(QStringLiteral("DEFAULT_MODE"), QStringLiteral("review"));
    m_bot->writeEnv(m_env);
    startBot();
    const QString reviewed =
        push(QStringLiteral("远程开空调没反应"), QStringLiteral("p2p"), {}, QStringLiteral("ou_rev"));
    QVERIFY(m_bot->waitForLog(QStringLiteral("outcome %1").arg(reviewed), kReplyMs));
    QCOMPARE(m_bot->terminate(), 0);

    // Manual: the bot stays quiet and flags the session for an operator.
    m_env.insert(QStringLiteral("DEFAULT_MODE"), QStringLiteral("manual"));
    m_bot->writeEnv(m_env);
    startBot();
    const QString manual =
        push(QStringLiteral("我要投诉"), QStringLiteral("p2p"), {}, QStringLiteral("ou_man"));
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->isAcked(m_sandbox->frameMessageIdOf(manual)), 5000);
    QVERIFY(m_bot->waitForLog(QStringLiteral("outcome %1").arg(manual), kReplyMs));
    QCOMPARE(m_bot->terminate(), 0);
    QCOMPARE(repliesTo(reviewed), 0);
    QCOMPARE(repliesTo(manual), 0);

    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("modes"));
        db.setDatabaseName(m_dir->filePath(QStringLiteral("bot.db")));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT d.state, d.bot_text, s.session_key FROM drafts d JOIN sessions "
                                      "s ON s.id = d.session_id")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("pending"));
        QVERIFY(!q.value(1).toString().isEmpty());
        QCOMPARE(q.value(2).toString(), QStringLiteral("feishu_p2p_ou_rev"));
        QVERIFY(!q.next());
        QVERIFY(q.exec(QStringLiteral(
            "SELECT needs_operator, mode FROM sessions WHERE session_key = 'feishu_p2p_ou_man'")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        QCOMPARE(q.value(1).toString(), QStringLiteral("manual"));
        QVERIFY(q.exec(QStringLiteral("SELECT outcome FROM event_ledger WHERE key = '%1'").arg(manual)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("manual"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("modes"));
}

void TestHeadless::sigintStopsWithExitCodeZero()
{
    startBot();
    ::kill(pid_t(m_bot->pid()), SIGINT);
    QCOMPARE(m_bot->waitForExit(5000), 0);
    QVERIFY(m_bot->log().contains(QStringLiteral("signal 2 received, stopping")));
    QCOMPARE(m_sandbox->connectionCount(), 0);
}

void TestHeadless::stallReportWithSlowEmbeddings()
{
    // TSP_STALL_REPORT (a diagnostic, not a setting) makes the bot watch its main thread and say
    // at the stop how long it ever stalled. With a slow embedding endpoint a question waits for
    // its vector, and the main thread must not wait with it.
    constexpr int kDelayMs = 1500;
    m_llm->setEmbeddingDelay(kDelayMs);
    m_env.insert(QStringLiteral("EMBEDDING_BASE_URL"), m_llm->baseUrl());
    m_env.insert(QStringLiteral("EMBEDDING_MODEL"), m_llm->embeddingModel());
    m_env.insert(QStringLiteral("EMBEDDING_TIMEOUT_MS"), QStringLiteral("10000"));
    m_bot->writeEnv(m_env);
    qputenv("TSP_STALL_REPORT", "1"); // the bot inherits this process's environment
    startBot();
    qunsetenv("TSP_STALL_REPORT");
    QVERIFY(m_bot->log().contains(QStringLiteral("TSP_STALL_REPORT: watching the main thread")));
    const QString id = push(QStringLiteral("APP提示E-1023"));
    QVERIFY(waitForReply(id, 60000));
    QVERIFY(m_llm->embeddingRequestCount() > 0);
    QCOMPARE(m_bot->terminate(), 0);
    static const QRegularExpression re(
        QStringLiteral("main-thread stalls over 50 ms: (\\d+), longest (\\d+) ms"));
    const QRegularExpressionMatch m = re.match(m_bot->log());
    QVERIFY2(m.hasMatch(), qPrintable(m_bot->log().right(2000)));
    QVERIFY2(m.captured(2).toInt() < kDelayMs, qPrintable(m_bot->log().right(2000)));
}

void TestHeadless::botInfoUnavailableStillAnswersMentions()
{
    // A platform (or stand-in) without bot/v3/info must not leave every push waiting forever.
    m_sandbox->addHandler([](const HttpRequest &req, HttpResponder *resp) {
        if (!req.path.endsWith("/bot/v3/info"))
            return false;
        resp->respond(404, R"({"code":404,"msg":"not found"})");
        return true;
    });
    QVERIFY(m_bot->start());
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->connectionCount() == 1, 15000);
    const QString mentioned = push(QStringLiteral("数字钥匙用不了"), QStringLiteral("group"),
                                   QStringLiteral("oc_g1"), QStringLiteral("ou_dave"), true);
    const QString chatter = push(QStringLiteral("收到"), QStringLiteral("group"), QStringLiteral("oc_g1"),
                                 QStringLiteral("ou_erin"), false);
    QVERIFY(waitForReply(mentioned));
    QVERIFY(!replyTextTo(mentioned).contains(QStringLiteral("@_user_1")));
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->isAcked(m_sandbox->frameMessageIdOf(chatter)), 5000);
    QTest::qWait(300);
    QCOMPARE(repliesTo(chatter), 0);
    QVERIFY(m_bot->log().contains(QStringLiteral("open_id is unknown")));
}

QList<BotTurn> TestHeadless::botTurns()
{
    if (m_bot->isRunning())
        [&] { QCOMPARE(m_bot->terminate(), 0); }();
    QList<BotTurn> out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("followups"));
        db.setDatabaseName(m_dir->filePath(QStringLiteral("bot.db")));
        if (db.open()) {
            QSqlQuery q(db);
            q.exec(
                QStringLiteral("SELECT s.session_key, m.content, m.meta, m.knowledge_refs FROM messages m"
                               " JOIN sessions s ON s.id = m.session_id WHERE m.role = 'bot' ORDER BY m.id"));
            while (q.next()) {
                BotTurn t;
                t.sessionKey = q.value(0).toString();
                t.text = q.value(1).toString();
                const QJsonObject meta = QJsonDocument::fromJson(q.value(2).toByteArray()).object();
                t.source = meta.value(QStringLiteral("source")).toString();
                t.askedBack = meta.value(QStringLiteral("asked_back")).toBool();
                for (const QJsonValue &r : QJsonDocument::fromJson(q.value(3).toByteArray()).array())
                    t.refs << r.toObject().value(QStringLiteral("id")).toString();
                out << t;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("followups"));
    return out;
}

// The seed's headline scenario: a follow-up with no new problem is answered in context by the
// LLM, also after a restart; never handed off for retrieving nothing on its own.
void TestHeadless::followUpAnsweredInContextAndAfterRestart()
{
    startBot();
    const QString firstText = QStringLiteral("车辆无法连接网络怎么办?");
    const QString first = push(firstText);
    QVERIFY(waitForReply(first));
    const QString followText = QStringLiteral("还有其他解决方法吗?");
    const QString follow = push(followText);
    QVERIFY(waitForReply(follow));

    const QJsonObject req = llmRequestFor(followText);
    QVERIFY2(!req.isEmpty(), "the follow-up reached the LLM");
    const QString prompt = llmText(req);
    QVERIFY2(prompt.contains(firstText), qPrintable(prompt)); // the earlier turns
    QVERIFY2(prompt.contains(QStringLiteral("[KB-")), qPrintable(prompt));
    QVERIFY(replyTextTo(follow) != replyTextTo(first));
    QVERIFY(!replyTextTo(follow).contains(QStringLiteral("暂时没有找到可靠的解决方案")));

    // After a restart the conversation goes on from the database.
    QCOMPARE(m_bot->terminate(), 0);
    startBot();
    const QString storeText = QStringLiteral("那我明天去4S店吧");
    const QString store = push(storeText);
    QVERIFY(waitForReply(store));
    const QJsonObject storeReq = llmRequestFor(storeText);
    QVERIFY2(!storeReq.isEmpty(), "the follow-up after the restart reached the LLM");
    const QString storePrompt = llmText(storeReq);
    QVERIFY2(storePrompt.contains(firstText), qPrintable(storePrompt));
    QVERIFY2(storePrompt.contains(QStringLiteral("[KB-")), "the entries cited before are in the prompt");

    const QList<BotTurn> turns = botTurns();
    QCOMPARE(turns.size(), 3);
    for (const BotTurn &t : turns) {
        QCOMPARE(t.source, Answers::answerSourceName(AnswerSource::Llm));
        QVERIFY(t.text != Answers::handoffText() && t.text != Answers::handoffText(true));
    }
    QVERIFY(turns.at(2).text.contains(QStringLiteral("到店")));
    QVERIFY2(!turns.at(1).refs.isEmpty() && !turns.at(0).refs.contains(turns.at(1).refs.first()),
             "the follow-up cites an entry not cited before");
}

void TestHeadless::repeatFailureNeverSameText_data()
{
    QTest::addColumn<bool>("withLlm");
    QTest::newRow("with LLM") << true;
    QTest::newRow("without LLM") << false;
}

// 王先生's demo conversation: no reply repeats an earlier one, word for word or by resting on an
// entry whose steps an earlier reply gave. The first reply asks back and names two causes; the
// second ("重启过了还是不行", the question unanswered) gives the first cause's steps, not "the last
// method did not help"; the third, after those steps failed, another entry or a person.
void TestHeadless::repeatFailureNeverSameText()
{
    QFETCH(bool, withLlm);
    if (!withLlm)
        dropLlm();
    startBot();
    const QString first = push(QStringLiteral("车机没网了，导航和音乐都用不了"));
    QVERIFY(waitForReply(first));
    const QString second = push(QStringLiteral("重启过了还是不行，还有其他方法吗"));
    QVERIFY(waitForReply(second));
    const QString third = push(QStringLiteral("试过了，还是不行"));
    QVERIFY(waitForReply(third));
    QCOMPARE(answerRequestCount() > 0, withLlm);

    const QList<BotTurn> turns = botTurns();
    QCOMPARE(turns.size(), 3);
    for (int i = 0; i < turns.size(); ++i) {
        for (int j = 0; j < i; ++j) {
            QVERIFY2(turns.at(i).text != turns.at(j).text, qPrintable(turns.at(i).text));
            // A reply after "did not help" never rests on an entry whose steps an earlier reply gave.
            for (const QString &id : turns.at(i).refs) {
                if (turns.at(i).source != Answers::answerSourceName(AnswerSource::Handoff) &&
                    !turns.at(j).askedBack)
                    QVERIFY2(!turns.at(j).refs.contains(id), qPrintable(id));
            }
        }
    }
    QVERIFY2(turns.at(0).askedBack && turns.at(0).refs.size() == 2, qPrintable(turns.at(0).text));
    const QString nothing = Answers::answerSourceName(AnswerSource::Handoff);
    QVERIFY2(turns.at(1).source != nothing, "the first retry gets the steps of a cause, not a person");
    QVERIFY(!turns.at(1).refs.isEmpty());
    QCOMPARE(turns.at(1).refs.first(), turns.at(0).refs.first());
    QVERIFY2(!turns.at(1).text.contains(QStringLiteral("没能解决")), qPrintable(turns.at(1).text));
    QVERIFY2(turns.at(2).source == nothing || !turns.at(2).refs.contains(turns.at(1).refs.first()),
             qPrintable(turns.at(2).text));
}

void TestHeadless::clarifyingQuestionAnsweredWithItsCause_data()
{
    repeatFailureNeverSameText_data();
}

// The bot asks back ("最近是否更换过蓄电池或升级过车机？"); the answer says which cause, and the
// reply rests on that entry: the replaced battery that reset the head unit's clock (KB-0300).
void TestHeadless::clarifyingQuestionAnsweredWithItsCause()
{
    QFETCH(bool, withLlm);
    if (!withLlm)
        dropLlm();
    startBot();
    const QString first = push(QStringLiteral("车机没网了，导航和音乐都用不了"));
    QVERIFY(waitForReply(first));
    const QString second = push(QStringLiteral("前两天刚换过电瓶"));
    QVERIFY(waitForReply(second));
    QCOMPARE(answerRequestCount() > 0, withLlm);

    const QList<BotTurn> turns = botTurns();
    QCOMPARE(turns.size(), 2);
    QCOMPARE(turns.at(0).refs.size(), 2); // two likely causes
    QVERIFY2(turns.at(0).text.contains(QStringLiteral("蓄电池")), qPrintable(turns.at(0).text));
    QVERIFY2(turns.at(1).source != Answers::answerSourceName(AnswerSource::Handoff),
             qPrintable(turns.at(1).text));
    QCOMPARE(turns.at(1).refs.value(0), QStringLiteral("KB-0300"));
    QVERIFY2(turns.at(1).text.contains(QStringLiteral("系统时间")), qPrintable(turns.at(1).text));
    QVERIFY(turns.at(1).text != turns.at(0).text);
}

void TestHeadless::askingForAPersonHandsOver_data()
{
    repeatFailureNeverSameText_data();
}

// After an answer, "人工": the real binary hands the conversation to a person at once, saying so,
// without the LLM and without apologising for a failure nobody reported.
void TestHeadless::askingForAPersonHandsOver()
{
    QFETCH(bool, withLlm);
    if (!withLlm)
        dropLlm();
    startBot();
    const QString first = push(QStringLiteral("充电充到80%就停了"));
    QVERIFY(waitForReply(first));
    const int llmCalls = answerRequestCount();
    const QString person = push(QStringLiteral("人工"));
    QVERIFY(waitForReply(person));
    QCOMPARE(answerRequestCount(), llmCalls);

    const QList<BotTurn> turns = botTurns();
    QCOMPARE(turns.size(), 2);
    QVERIFY(turns.at(0).source != Answers::answerSourceName(AnswerSource::Handoff));
    QCOMPARE(turns.at(1).source, Answers::answerSourceName(AnswerSource::Handoff));
    QCOMPARE(turns.at(1).text, Assistant::personAskedText());
    QVERIFY(!turns.at(1).text.contains(QStringLiteral("没能解决")));
}

// Without an LLM, "会扣钱吗" after the answer about a mistaken SOS: the real binary answers with the
// entry's own sentence about fees instead of handing the conversation to a person.
void TestHeadless::followUpAnsweredFromTheCitedEntryWithoutLlm()
{
    dropLlm();
    startBot();
    const QString first = push(QStringLiteral("不小心按到车顶SOS了"));
    QVERIFY(waitForReply(first));
    const QString cost = push(QStringLiteral("会扣钱吗"));
    QVERIFY(waitForReply(cost));
    QCOMPARE(m_llm->requestCount(), 0);

    const QList<BotTurn> turns = botTurns();
    QCOMPARE(turns.size(), 2);
    QCOMPARE(turns.at(0).refs.value(0), QStringLiteral("KB-0178"));
    QCOMPARE(turns.at(1).source, Answers::answerSourceName(AnswerSource::Knowledge));
    QCOMPARE(turns.at(1).refs.value(0), QStringLiteral("KB-0178"));
    QVERIFY2(turns.at(1).text.contains(QStringLiteral("误触不收取任何费用")), qPrintable(turns.at(1).text));
    QVERIFY(turns.at(1).text != turns.at(0).text);
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"

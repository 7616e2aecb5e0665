#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "chat/draftstore.h"
#include "chat/outbox.h"
#include "chat/pipeline.h"
#include "chat/sessionmanager.h"
#include "fakeanswerprovider.h"
#include "fakereplytransport.h"
#include "storage/auditlog.h"
#include "storage/database.h"
#include "storage/eventledger.h"
#include "storage/transaction.h"

namespace {

Database::Location sqliteAt(const QString &path)
{
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = path;
    return loc;
}

const QString kBot = QStringLiteral("ou_bot");

InboundMessage p2p(const QString &messageId, const QString &openId, const QString &text)
{
    InboundMessage m;
    m.eventId = QStringLiteral("ev_") + messageId;
    m.eventType = QStringLiteral("im.message.receive_v1");
    m.messageId = messageId;
    m.chatId = QStringLiteral("oc_dm_") + openId;
    m.chatType = QStringLiteral("p2p");
    m.senderOpenId = openId;
    m.senderType = QStringLiteral("user");
    m.messageType = QStringLiteral("text");
    m.rawContent = QStringLiteral("{\"text\":\"%1\"}").arg(text);
    m.text = text;
    return m;
}

InboundMessage group(const QString &messageId, const QString &chatId, const QString &openId,
                     const QString &text, bool mentionsBot)
{
    InboundMessage m = p2p(messageId, openId, text);
    m.chatId = chatId;
    m.chatType = QStringLiteral("group");
    m.mentionsBot = mentionsBot;
    if (mentionsBot) {
        m.mentions = {InboundMention{QStringLiteral("@_user_1"), kBot, QStringLiteral("TSP助手")}};
        m.rawContent = QStringLiteral("{\"text\":\"@_user_1 %1\"}").arg(text);
    }
    return m;
}

// One running bot: database, stores and pipeline. Destroying it is a crash (no shutdown step runs).
struct Bot
{
    Bot(const QString &name, const QString &path, FakeReplyTransport *feishu, FakeAnswerProvider *answers)
        : db(name)
    {
        ok = db.open(sqliteAt(path));
        ledger = std::make_unique<EventLedger>(&db);
        sessions = std::make_unique<SessionManager>(&db);
        audit = std::make_unique<AuditLog>(&db);
        outbox = std::make_unique<Outbox>(&db, feishu);
        outbox->setBackoffMs({5});
        drafts = std::make_unique<DraftStore>(&db, sessions.get(), outbox.get(), audit.get());
        pipeline = std::make_unique<Pipeline>(&db, ledger.get(), sessions.get(), outbox.get(), drafts.get(),
                                              audit.get(), answers);
    }
    ~Bot()
    {
        pipeline.reset();
        drafts.reset();
        outbox.reset();
        audit.reset();
        sessions.reset();
        ledger.reset();
    }
    Database db;
    bool ok = false;
    std::unique_ptr<EventLedger> ledger;
    std::unique_ptr<SessionManager> sessions;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<DraftStore> drafts;
    std::unique_ptr<Pipeline> pipeline;
};

} // namespace

class TestPipeline final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void p2pIsAnswered();
    void clarifyingQuestionReachesTheNextTurn();
    void inAWriteBatchAnswersStartAfterTheCommit();
    void groupWithoutMentionIsIgnored();
    void groupWithMentionIsAnswered();
    void usersAndGroupsHaveSeparateSessions();
    void duplicateIgnoredLive();
    void duplicateIgnoredAfterReopen();
    void unreadableTypeGetsOnePoliteReply();
    void onlyMentionsGetsAPrompt();
    void escalation();
    void smallTalkAndClarifyAreCounted();
    void emptyAnswerStillReplies();
    void silentAssistantTimesOut();
    void missingAnswerProviderHandsOff();
    void reviewModeWaitsForApproval();
    void manualModeSendsNothing();
    void switchToManualWhileAnswering();
    void perSessionOrdering();
    void recoversUndecidedMessageAfterCrash();
    void crashAfterDecisionDeliversOnce();
    void messageWithoutIdsIsIgnored();
    void messageWithoutSenderIsIgnored();
    void logLines();

private:
    void start(const QString &name = QStringLiteral("bot"));
    void crash() { m_bot.reset(); }
    QString ledgerOutcome(const QString &key) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeReplyTransport> m_feishu;
    std::unique_ptr<FakeAnswerProvider> m_answers;
    std::unique_ptr<Bot> m_bot;
    int m_generation = 0;
};

void TestPipeline::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_feishu = std::make_unique<FakeReplyTransport>();
    m_answers = std::make_unique<FakeAnswerProvider>();
    start();
}

void TestPipeline::cleanup()
{
    m_bot.reset();
    m_answers.reset();
    m_feishu.reset();
    m_dir.reset();
}

void TestPipeline::start(const QString &name)
{
    m_bot = std::make_unique<Bot>(name + QString::number(++m_generation),
                                  m_dir->filePath(QStringLiteral("bot.db")), m_feishu.get(), m_answers.get());
    QVERIFY(m_bot->ok);
}

QString TestPipeline::ledgerOutcome(const QString &key) const
{
    const auto e = m_bot->ledger->entry(key);
    // As stored: the name table's text (the database keeps the names of Ledger::Outcome).
    return e && e->outcome ? Ledger::outcomeName(*e->outcome) : QString();
}

void TestPipeline::inAWriteBatchAnswersStartAfterTheCommit()
{
    // BotService handles a slice of pushes in one WriteBatch. The assistant must not see a
    // message before its inbound turn is committed, and nothing it does may run in the batch.
    Database outside(QStringLiteral("pipeline-outside"));
    QVERIFY(outside.open(sqliteAt(m_dir->filePath(QStringLiteral("bot.db")))));
    auto customerTurnsSeenOutside = [&] {
        QSqlQuery q(outside.db());
        return q.exec(QStringLiteral("SELECT COUNT(*) FROM messages WHERE role = 'customer'")) && q.next()
                   ? q.value(0).toInt()
                   : -1;
    };
    {
        WriteBatch batch(m_bot->db.db());
        QVERIFY(batch.isActive());
        m_bot->pipeline->handle(
            p2p(QStringLiteral("om_b1"), QStringLiteral("ou_a"), QStringLiteral("车机没网")));
        m_bot->pipeline->handle(
            p2p(QStringLiteral("om_b2"), QStringLiteral("ou_b"), QStringLiteral("蓝牙钥匙失灵")));
        QCOMPARE(m_answers->requests().size(), 0); // not inside the batch
        QCOMPARE(customerTurnsSeenOutside(), 0);
        QVERIFY(!m_bot->pipeline->isIdle());
        QVERIFY(batch.commit());
    }
    QCOMPARE(customerTurnsSeenOutside(), 2);
    QTRY_COMPARE(m_answers->requests().size(), 2);
    QTRY_COMPARE(m_feishu->deliveredCount(), 2);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_b1")), QStringLiteral("answered"));
    QCOMPARE(ledgerOutcome(QStringLiteral("om_b2")), QStringLiteral("answered"));
    QTRY_VERIFY(m_bot->pipeline->isIdle());
}

void TestPipeline::p2pIsAnswered()
{
    QSignalSpy handled(m_bot->pipeline.get(), &Pipeline::handled);
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_1"), QStringLiteral("ou_a"), QStringLiteral("车机没网怎么办")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->calls().first().kind, QStringLiteral("reply"));
    QCOMPARE(m_feishu->calls().first().target, QStringLiteral("om_1"));
    QCOMPARE(m_feishu->deliveredTexts(), QStringList{QStringLiteral("答复：车机没网怎么办")});
    QCOMPARE(m_answers->requests().size(), 1);
    QCOMPARE(m_answers->requests().first().sessionKey, QStringLiteral("feishu_p2p_ou_a"));
    QVERIFY(m_answers->requests().first().history.isEmpty());
    QCOMPARE(handled.size(), 1);
    QCOMPARE(handled.first().at(1).toString(), QStringLiteral("answered/knowledge"));
    QCOMPARE(ledgerOutcome(QStringLiteral("om_1")), QStringLiteral("answered"));

    const auto session = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"));
    QVERIFY(session.has_value());
    const auto turns = m_bot->sessions->turns(session->id);
    QCOMPARE(turns.size(), 2);
    QCOMPARE(turns.at(0).role, TurnRole::Customer);
    QCOMPARE(turns.at(0).feishuMessageId, QStringLiteral("om_1"));
    QCOMPARE(turns.at(0).rawContent, QStringLiteral("{\"text\":\"车机没网怎么办\"}"));
    QCOMPARE(turns.at(1).role, TurnRole::Bot);
    QCOMPARE(turns.at(1).refs.first().id, QStringLiteral("KB-0001"));
    QCOMPARE(turns.at(1).meta.value(QStringLiteral("source")).toString(), QStringLiteral("knowledge"));
    QTRY_VERIFY(
        m_bot->sessions->turn(turns.at(1).id)->feishuMessageId.startsWith(QStringLiteral("om_fake_")));
    const auto st = m_bot->pipeline->stats();
    QCOMPARE(st.received, 1);
    QCOMPARE(st.answered, 1);
    QCOMPARE(st.answeredKnowledge, 1);
    QTRY_VERIFY(m_bot->pipeline->isIdle());
}

void TestPipeline::clarifyingQuestionReachesTheNextTurn()
{
    // The assistant asks back; the customer's next turn sees that in its history (stored with the
    // bot turn, read back from the database).
    m_answers->setResponder([](const AnswerRequest &r) {
        Answer a = FakeAnswerProvider::defaultAnswer(r);
        if (r.history.isEmpty()) {
            a.source = AnswerSource::Clarify;
            a.text = QStringLiteral("是更换过蓄电池，还是升级过车机？");
            a.askedBack = true;
        }
        return a;
    });
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_1"), QStringLiteral("ou_a"), QStringLiteral("车机没网了")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_2"), QStringLiteral("ou_a"), QStringLiteral("前两天换过电瓶")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 2);
    QCOMPARE(m_answers->requests().size(), 2);
    const AnswerRequest second = m_answers->requests().at(1);
    QCOMPARE(second.history.size(), 2);
    QCOMPARE(second.history.at(1).role, ConversationTurn::Role::Bot);
    QVERIFY(second.history.at(1).askedBack);
    QVERIFY(!second.history.at(0).askedBack);
    const auto session = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"));
    QVERIFY(session.has_value());
    const auto turns = m_bot->sessions->turns(session->id);
    QCOMPARE(turns.size(), 4);
    QVERIFY(turns.at(1).meta.value(QStringLiteral("asked_back")).toBool());
    QVERIFY(!turns.at(3).meta.contains(QStringLiteral("asked_back")));
    QTRY_VERIFY(m_bot->pipeline->isIdle());
}

void TestPipeline::groupWithoutMentionIsIgnored()
{
    m_bot->pipeline->handle(group(QStringLiteral("om_chat"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"),
                                  QStringLiteral("今天中午吃什么"), false));
    QCOMPARE(ledgerOutcome(QStringLiteral("om_chat")), QStringLiteral("ignored"));
    QVERIFY(m_bot->sessions->sessions(false).isEmpty());
    QTest::qWait(20);
    QCOMPARE(m_answers->requests().size(), 0);
    QCOMPARE(m_feishu->calls().size(), 0);
    QCOMPARE(m_bot->pipeline->stats().ignored, 1);
    // @all is not an @ of the bot.
    InboundMessage all = group(QStringLiteral("om_all"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"),
                               QStringLiteral("@all 下午三点开会"), false);
    all.mentionsAll = true;
    m_bot->pipeline->handle(all);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_all")), QStringLiteral("ignored"));
    QCOMPARE(m_bot->pipeline->stats().ignored, 2);
    // Also not re-processed after a restart.
    crash();
    start();
    QCOMPARE(m_bot->pipeline->recover(), 0);
}

void TestPipeline::groupWithMentionIsAnswered()
{
    m_bot->pipeline->handle(group(QStringLiteral("om_g"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"),
                                  QStringLiteral("远程解锁失败"), true));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->calls().first().target, QStringLiteral("om_g"));
    QCOMPARE(m_answers->requests().first().sessionKey, QStringLiteral("feishu_oc_g1_ou_a"));
    QVERIFY(m_bot->sessions->activeSession(QStringLiteral("feishu_oc_g1_ou_a")).has_value());
}

void TestPipeline::usersAndGroupsHaveSeparateSessions()
{
    m_answers->setMode(FakeAnswerProvider::Mode::Deferred);
    m_bot->pipeline->handle(group(QStringLiteral("om_a1"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"),
                                  QStringLiteral("A1"), true));
    m_bot->pipeline->handle(group(QStringLiteral("om_b1"), QStringLiteral("oc_g1"), QStringLiteral("ou_b"),
                                  QStringLiteral("B1"), true));
    m_bot->pipeline->handle(group(QStringLiteral("om_a2"), QStringLiteral("oc_g2"), QStringLiteral("ou_a"),
                                  QStringLiteral("A2"), true));
    QTRY_COMPARE(m_feishu->deliveredCount(), 3);
    m_bot->pipeline->handle(group(QStringLiteral("om_a3"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"),
                                  QStringLiteral("A3"), true));
    m_bot->pipeline->handle(group(QStringLiteral("om_b2"), QStringLiteral("oc_g1"), QStringLiteral("ou_b"),
                                  QStringLiteral("B2"), true));
    QTRY_COMPARE(m_feishu->deliveredCount(), 5);
    auto historyOf = [this](const QString &question) -> QStringList {
        for (const AnswerRequest &r : m_answers->requests()) {
            if (r.question == question) {
                QStringList h;
                for (const ConversationTurn &t : r.history)
                    h << t.text;
                return h;
            }
        }
        return {QStringLiteral("<no request>")};
    };
    QCOMPARE(historyOf(QStringLiteral("A3")),
             (QStringList{QStringLiteral("A1"), QStringLiteral("答复：A1")}));
    QCOMPARE(historyOf(QStringLiteral("B2")),
             (QStringList{QStringLiteral("B1"), QStringLiteral("答复：B1")}));
    QVERIFY(historyOf(QStringLiteral("A2")).isEmpty());
    QCOMPARE(m_bot->sessions->sessions().size(), 3);
}

void TestPipeline::duplicateIgnoredLive()
{
    m_answers->setMode(FakeAnswerProvider::Mode::Hold);
    QSignalSpy handled(m_bot->pipeline.get(), &Pipeline::handled);
    const auto msg = p2p(QStringLiteral("om_dup"), QStringLiteral("ou_a"), QStringLiteral("车机没网"));
    m_bot->pipeline->handle(msg);
    m_bot->pipeline->handle(msg); // redelivered while the first is still being answered
    QCOMPARE(handled.size(), 1);
    QCOMPARE(handled.first().at(1).toString(), QStringLiteral("duplicate"));
    m_answers->releaseAll();
    m_bot->pipeline->handle(msg); // and after it was answered
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QTRY_VERIFY(m_bot->pipeline->isIdle());
    QCOMPARE(m_answers->requests().size(), 1);
    QCOMPARE(m_bot->pipeline->stats().duplicates, 2);
    const auto s = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"));
    QCOMPARE(m_bot->sessions->turns(s->id).size(), 2);
}

void TestPipeline::duplicateIgnoredAfterReopen()
{
    const auto msg = p2p(QStringLiteral("om_dup"), QStringLiteral("ou_a"), QStringLiteral("车机没网"));
    m_bot->pipeline->handle(msg);
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    crash();
    start();
    m_bot->pipeline->start();
    QSignalSpy handled(m_bot->pipeline.get(), &Pipeline::handled);
    m_bot->pipeline->handle(msg);
    QCOMPARE(handled.size(), 1);
    QCOMPARE(handled.first().at(1).toString(), QStringLiteral("duplicate"));
    QTest::qWait(20);
    QCOMPARE(m_answers->requests().size(), 1);
    QCOMPARE(m_feishu->calls().size(), 1);
}

void TestPipeline::unreadableTypeGetsOnePoliteReply()
{
    InboundMessage img = p2p(QStringLiteral("om_img"), QStringLiteral("ou_a"), QString());
    img.messageType = QStringLiteral("image");
    img.rawContent = QStringLiteral("{\"image_key\":\"img_v2_123\"}");
    img.readable = false;
    QSignalSpy handled(m_bot->pipeline.get(), &Pipeline::handled);
    m_bot->pipeline->handle(img);
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    const QString reply = m_feishu->deliveredTexts().first();
    QCOMPARE(reply, m_bot->pipeline->unreadableReply());
    QVERIFY(reply.contains(QStringLiteral("文字")) && reply.contains(QStringLiteral("富文本")));
    QCOMPARE(m_answers->requests().size(), 0);
    QCOMPARE(handled.first().at(1).toString(), QStringLiteral("unreadable"));
    QCOMPARE(ledgerOutcome(QStringLiteral("om_img")), QStringLiteral("unreadable"));
    const auto s = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"));
    QCOMPARE(m_bot->sessions->turns(s->id).first().content, QStringLiteral("[image]"));
    QCOMPARE(m_bot->pipeline->stats().unreadable, 1);
}

void TestPipeline::onlyMentionsGetsAPrompt()
{
    m_bot->pipeline->handle(group(QStringLiteral("om_at"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"),
                                  QStringLiteral("  "), true));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->deliveredTexts().first(), m_bot->pipeline->emptyPrompt());
    QVERIFY(m_bot->pipeline->emptyPrompt().contains(QStringLiteral("请问有什么可以帮您")));
    QCOMPARE(m_answers->requests().size(), 0);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_at")), QStringLiteral("prompted"));
}

void TestPipeline::escalation()
{
    m_answers->setResponder([](const AnswerRequest &) {
        Answer a;
        a.text = QStringLiteral("这个问题需要人工处理，已为您转接。");
        a.source = AnswerSource::Handoff;
        a.escalate = true;
        return a;
    });
    QSignalSpy escalated(m_bot->pipeline.get(), &Pipeline::escalated);
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_e"), QStringLiteral("ou_a"), QStringLiteral("车辆被盗了怎么办")));
    QTRY_COMPARE(escalated.size(), 1);
    const auto s = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"));
    QCOMPARE(escalated.first().at(0).toLongLong(), s->id);
    QVERIFY(!escalated.first().at(1).toString().isEmpty());
    QVERIFY(s->needsOperator);
    // Never silent: the customer hears that a person takes over.
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->deliveredTexts().first(), QStringLiteral("这个问题需要人工处理，已为您转接。"));
    QCOMPARE(m_bot->pipeline->stats().escalations, 1);
    QCOMPARE(m_bot->pipeline->stats().answeredHandoff, 1);
}

void TestPipeline::smallTalkAndClarifyAreCounted()
{
    m_answers->setResponder([](const AnswerRequest &r) {
        Answer a;
        const bool thanks = r.question.contains(QStringLiteral("谢谢"));
        a.text = thanks ? QStringLiteral("不客气！") : QStringLiteral("请问是哪些功能受影响？");
        a.source = thanks ? AnswerSource::SmallTalk : AnswerSource::Clarify;
        return a;
    });
    m_bot->pipeline->handle(p2p(QStringLiteral("om_t"), QStringLiteral("ou_t"), QStringLiteral("好的谢谢")));
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_c"), QStringLiteral("ou_c"), QStringLiteral("车机没网了")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 2);
    const Pipeline::Stats st = m_bot->pipeline->stats();
    QCOMPARE(st.answered, 2);
    QCOMPARE(st.answeredSmallTalk, 1);
    QCOMPARE(st.answeredClarify, 1);
    QCOMPARE(st.answeredLlm + st.answeredKnowledge + st.answeredHandoff, 0);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_t")), QStringLiteral("answered"));
    // The stored turn names its source with the one name table.
    const auto s = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_t"));
    const auto turns = m_bot->sessions->turns(s->id);
    QCOMPARE(turns.last().meta.value(QStringLiteral("source")).toString(),
             Answers::answerSourceName(AnswerSource::SmallTalk));
}

void TestPipeline::emptyAnswerStillReplies()
{
    m_answers->setResponder([](const AnswerRequest &) { return Answer{}; });
    QSignalSpy escalated(m_bot->pipeline.get(), &Pipeline::escalated);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_e"), QStringLiteral("ou_a"), QStringLiteral("你好")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->deliveredTexts().first(), m_bot->pipeline->handoffReply());
    QCOMPARE(escalated.size(), 1);
}

void TestPipeline::silentAssistantTimesOut()
{
    m_answers->setMode(FakeAnswerProvider::Mode::Hold);
    m_bot->pipeline->setAnswerTimeoutMs(50);
    QSignalSpy escalated(m_bot->pipeline.get(), &Pipeline::escalated);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_t"), QStringLiteral("ou_a"), QStringLiteral("你好")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->deliveredTexts().first(), m_bot->pipeline->handoffReply());
    QCOMPARE(escalated.size(), 1);
    QVERIFY(escalated.first().at(1).toString().contains(QStringLiteral("did not answer")));
    QCOMPARE(m_bot->pipeline->stats().answerTimeouts, 1);
    // The assistant answers after all: too late, nothing more is sent.
    QVERIFY(m_answers->releaseNext());
    QTRY_VERIFY(m_bot->pipeline->isIdle());
    QTest::qWait(20);
    QCOMPARE(m_feishu->calls().size(), 1);
}

void TestPipeline::missingAnswerProviderHandsOff()
{
    m_bot->pipeline->setAnswerProvider(nullptr);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_n"), QStringLiteral("ou_a"), QStringLiteral("你好")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->deliveredTexts().first(), m_bot->pipeline->handoffReply());
    QVERIFY(m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"))->needsOperator);
}

void TestPipeline::reviewModeWaitsForApproval()
{
    QVERIFY(m_bot->sessions->setDefaultMode(SessionMode::Review));
    QSignalSpy attention(m_bot->pipeline.get(), &Pipeline::attentionNeeded);
    QSignalSpy handled(m_bot->pipeline.get(), &Pipeline::handled);
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_r"), QStringLiteral("ou_a"), QStringLiteral("数字钥匙失效")));
    QTRY_COMPARE(handled.size(), 1);
    QCOMPARE(handled.first().at(1).toString(), QStringLiteral("draft"));
    QCOMPARE(attention.size(), 1);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_r")), QStringLiteral("draft"));
    const auto drafts = m_bot->drafts->pending();
    QCOMPARE(drafts.size(), 1);
    QCOMPARE(drafts.first().botText, QStringLiteral("答复：数字钥匙失效"));
    QCOMPARE(drafts.first().replyTo, QStringLiteral("om_r"));
    // Nothing is queued or sent before an operator approves.
    QVERIFY(m_bot->outbox->items(drafts.first().sessionId).isEmpty());
    QTest::qWait(20);
    QCOMPARE(m_feishu->calls().size(), 0);
    QVERIFY(m_bot->drafts->approve(drafts.first().id, QStringLiteral("alice")));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->deliveredTexts().first(), QStringLiteral("答复：数字钥匙失效"));
    QCOMPARE(m_feishu->calls().first().target, QStringLiteral("om_r"));
}

void TestPipeline::manualModeSendsNothing()
{
    QVERIFY(m_bot->sessions->setDefaultMode(SessionMode::Manual));
    QSignalSpy attention(m_bot->pipeline.get(), &Pipeline::attentionNeeded);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_m"), QStringLiteral("ou_a"), QStringLiteral("我要投诉")));
    QTRY_COMPARE(attention.size(), 1);
    const auto s = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"));
    QCOMPARE(attention.first().at(0).toLongLong(), s->id);
    QVERIFY(s->needsOperator);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_m")), QStringLiteral("manual"));
    QCOMPARE(m_answers->requests().size(), 0);
    QVERIFY(m_bot->outbox->items(s->id).isEmpty());
    QVERIFY(m_bot->drafts->pending().isEmpty());
    // The operator answers by hand.
    const qint64 turn = m_bot->pipeline->sendOperatorReply(s->id, QStringLiteral("您好，我是人工客服小王。"),
                                                           QStringLiteral("wang"));
    QVERIFY2(turn > 0, qPrintable(m_bot->pipeline->errorString()));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->calls().first().target, QStringLiteral("om_m"));
    QCOMPARE(m_bot->sessions->turn(turn)->role, TurnRole::Operator);
    QVERIFY(!m_bot->sessions->session(s->id)->needsOperator);
    QCOMPARE(m_bot->audit->entries().first().action, QStringLiteral("reply.send"));
    // A second reply to the same message is its own message, not swallowed as a repeat.
    QVERIFY(m_bot->pipeline->sendOperatorReply(s->id, QStringLiteral("请问车架号是多少？"),
                                               QStringLiteral("wang")) > 0);
    QTRY_COMPARE(m_feishu->deliveredCount(), 2);
}

void TestPipeline::switchToManualWhileAnswering()
{
    m_answers->setMode(FakeAnswerProvider::Mode::Hold);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_s"), QStringLiteral("ou_a"), QStringLiteral("你好")));
    QCOMPARE(m_answers->heldCount(), 1);
    const auto s = m_bot->sessions->activeSession(QStringLiteral("feishu_p2p_ou_a"));
    QVERIFY(m_bot->pipeline->setSessionMode(s->id, SessionMode::Manual, QStringLiteral("wang")));
    m_answers->releaseAll();
    QTRY_VERIFY(m_bot->pipeline->isIdle());
    QCOMPARE(ledgerOutcome(QStringLiteral("om_s")), QStringLiteral("manual"));
    QVERIFY(m_bot->outbox->items(s->id).isEmpty());
    QCOMPARE(m_bot->audit->entries().first().action, QStringLiteral("session.mode"));
}

void TestPipeline::perSessionOrdering()
{
    m_answers->setMode(FakeAnswerProvider::Mode::Hold);
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_1"), QStringLiteral("ou_a"), QStringLiteral("第一个问题")));
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_2"), QStringLiteral("ou_a"), QStringLiteral("第二个问题")));
    m_bot->pipeline->handle(
        p2p(QStringLiteral("om_3"), QStringLiteral("ou_b"), QStringLiteral("别人的问题")));
    // A's second message waits for A's first; B runs in parallel.
    QCOMPARE(m_answers->requests().size(), 2);
    QCOMPARE(m_answers->requests().at(0).question, QStringLiteral("第一个问题"));
    QCOMPARE(m_answers->requests().at(1).question, QStringLiteral("别人的问题"));
    QCOMPARE(m_bot->pipeline->stats().running, 2);
    QCOMPARE(m_bot->pipeline->stats().queued, 1);
    QVERIFY(m_answers->releaseNext()); // A's first
    QTRY_COMPARE(m_answers->requests().size(), 3);
    const AnswerRequest second = m_answers->requests().at(2);
    QCOMPARE(second.question, QStringLiteral("第二个问题"));
    QCOMPARE(second.history.size(), 2); // sees the first question and its answer
    QCOMPARE(second.history.at(0).text, QStringLiteral("第一个问题"));
    QCOMPARE(second.history.at(1).role, ConversationTurn::Role::Bot);
    m_answers->releaseAll();
    QTRY_COMPARE(m_feishu->deliveredCount(), 3);
    QTRY_VERIFY(m_bot->pipeline->isIdle());
    QStringList toA;
    for (const auto &c : m_feishu->calls())
        if (c.target != QStringLiteral("om_3"))
            toA << c.target;
    QCOMPARE(toA, (QStringList{QStringLiteral("om_1"), QStringLiteral("om_2")}));
}

void TestPipeline::recoversUndecidedMessageAfterCrash()
{
    m_answers->setMode(FakeAnswerProvider::Mode::Hold);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_1"), QStringLiteral("ou_a"), QStringLiteral("先问一个")));
    QVERIFY(m_answers->releaseNext());
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_2"), QStringLiteral("ou_a"), QStringLiteral("车机没网")));
    QCOMPARE(m_answers->heldCount(), 1);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_2")), QStringLiteral("received"));
    crash(); // killed while the assistant was thinking

    FakeAnswerProvider fresh;
    m_answers->setMode(FakeAnswerProvider::Mode::Immediate);
    start(QStringLiteral("restart"));
    m_bot->pipeline->setAnswerProvider(&fresh);
    QSignalSpy handled(m_bot->pipeline.get(), &Pipeline::handled);
    // Feishu redelivers the message as well: it is a duplicate, the recovery answers it once.
    m_bot->pipeline->handle(p2p(QStringLiteral("om_2"), QStringLiteral("ou_a"), QStringLiteral("车机没网")));
    m_bot->pipeline->start();
    QTRY_COMPARE(m_feishu->deliveredCount(), 2);
    QCOMPARE(m_feishu->calls().last().target, QStringLiteral("om_2"));
    QCOMPARE(m_feishu->deliveredTexts().last(), QStringLiteral("答复：车机没网"));
    QCOMPARE(fresh.requests().size(), 1);
    QCOMPARE(fresh.requests().first().history.size(), 2); // the session's earlier turns
    QCOMPARE(m_bot->pipeline->stats().recovered, 1);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_2")), QStringLiteral("answered"));
    QTRY_VERIFY(m_bot->pipeline->isIdle());
    QCOMPARE(m_bot->pipeline->recover(), 0); // nothing left
    QTest::qWait(20);
    QCOMPARE(m_feishu->deliveredCount(), 2);
    // The held answer from before the crash arrives into nothing.
    m_answers->releaseAll();
    QCOMPARE(m_feishu->deliveredCount(), 2);
}

void TestPipeline::crashAfterDecisionDeliversOnce()
{
    m_feishu->setMode(FakeReplyTransport::Mode::Hold);
    m_bot->pipeline->handle(p2p(QStringLiteral("om_1"), QStringLiteral("ou_a"), QStringLiteral("车机没网")));
    QTRY_COMPARE(m_feishu->calls().size(), 1);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_1")), QStringLiteral("answered"));
    crash();                          // decided and on the wire, no confirmation yet
    QVERIFY(m_feishu->releaseNext()); // Feishu did post it
    m_feishu->setMode(FakeReplyTransport::Mode::Immediate);

    start(QStringLiteral("restart"));
    m_bot->pipeline->start();
    QTRY_COMPARE(m_feishu->calls().size(), 2);
    QCOMPARE(m_feishu->calls().at(1).uuid, m_feishu->calls().at(0).uuid);
    QCOMPARE(m_feishu->deliveredCount(), 1);   // the customer sees one answer
    QCOMPARE(m_answers->requests().size(), 1); // and the assistant was not asked again
    QTRY_COMPARE(m_bot->outbox->stats().sent, 1);
}

void TestPipeline::messageWithoutIdsIsIgnored()
{
    InboundMessage m = p2p(QString(), QStringLiteral("ou_a"), QStringLiteral("hi"));
    m.eventId.clear();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("without message_id and event_id")));
    m_bot->pipeline->handle(m);
    QCOMPARE(m_bot->pipeline->stats().ignored, 1);
    QVERIFY(m_bot->sessions->sessions(false).isEmpty());
}

void TestPipeline::messageWithoutSenderIsIgnored()
{
    InboundMessage m = p2p(QStringLiteral("om_nosender"), QString(), QStringLiteral("hi"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("om_nosender has no sender open_id")));
    m_bot->pipeline->handle(m);
    QCOMPARE(ledgerOutcome(QStringLiteral("om_nosender")), QStringLiteral("ignored"));
    QVERIFY(m_bot->sessions->sessions(false).isEmpty());
    QCOMPARE(m_answers->requests().size(), 0);
}

void TestPipeline::logLines()
{
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral(
                                        "^inbound om_log: chat oc_g9 \\(group\\), sender ou_a, type text, "
                                        "raw .*@_user_1 车机没网.*, text \"车机没网\", session "
                                        "feishu_oc_g9_ou_a #\\d+ \\(new session: yes\\)$")));
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral(
                                        "^outcome om_log \\(session #\\d+\\): answered/knowledge, reply "
                                        "\\d+ chars in 1 part\\(s\\), knowledge KB-0001$")));
    QTest::ignoreMessage(QtInfoMsg,
                         QRegularExpression(QStringLiteral("^duplicate delivery of om_log, ignored")));
    const auto msg = group(QStringLiteral("om_log"), QStringLiteral("oc_g9"), QStringLiteral("ou_a"),
                           QStringLiteral("车机没网"), true);
    m_bot->pipeline->handle(msg);
    m_bot->pipeline->handle(msg);
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
}

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"

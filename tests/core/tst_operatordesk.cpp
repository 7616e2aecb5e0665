// The operator API end to end: a real BotService over a real SQLite file, with FeishuSandbox as
// the remote side and the LLM stand-in streaming. Every action is driven through OperatorDesk
// and every signal is observed, as a console would.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "bot/botservice.h"
#include "desk/changefeed.h"
#include "desk/operatordesk.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "storage/auditlog.h"

class TestOperatorDesk final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void listsSessionsWithPreviewUnreadAndFilters();
    void takeOverThenSendReachesFeishuOnceAndTheBotStaysQuiet();
    void handBackReturnsTheSessionToTheBot();
    void reviewDraftsAreApprovedEditedOrRejectedWithAnAuditTrail();
    void approvalWarnsWhenTheCustomerWroteAgain();
    void failedDeliveryIsShownAndRetried();
    void analysisFindsTheVehiclesEarlierConversations();
    void healthSnapshotReachesTheMainThread();
    void escalationPreviewsTheCustomersWords();
    void pauseSendsNewConversationsToManual();
    void promotedReplyBecomesKnowledgeWithItsOrigin();
    void changeSurvivesTheNotifyPayload();

private:
    void startBot();
    QString push(const QString &openId, const QString &text, const QString &chatType = QStringLiteral("p2p"),
                 const QString &chatId = {});
    int repliesTo(const QString &imId) const;
    qint64 sessionOf(const QString &openId) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FeishuSandbox> m_sandbox;
    std::unique_ptr<LlmStandIn> m_llm;
    std::unique_ptr<BotService> m_bot;
    OperatorDesk *m_desk = nullptr;
};

void TestOperatorDesk::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    FeishuSandbox::Options o;
    o.repushDelayMs = 0;
    m_sandbox = std::make_unique<FeishuSandbox>(o);
    QVERIFY(m_sandbox->start());
    m_llm = std::make_unique<LlmStandIn>();
    QVERIFY(m_llm->start());
    startBot();
}

void TestOperatorDesk::cleanup()
{
    m_desk = nullptr;
    m_bot.reset();
    m_llm.reset();
    m_sandbox.reset();
    m_dir.reset();
}

void TestOperatorDesk::startBot()
{
    BotService::Options o;
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = m_dir->path();
    in.commandLine = {{QStringLiteral("FEISHU_APP_ID"), m_sandbox->options().appId},
                      {QStringLiteral("FEISHU_APP_SECRET"), m_sandbox->options().appSecret},
                      {QStringLiteral("FEISHU_DOMAIN"), m_sandbox->baseUrl().toString()},
                      {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")},
                      {QStringLiteral("LLM_PROVIDER"), QStringLiteral("custom")},
                      {QStringLiteral("LLM_BASE_URL"), m_llm->baseUrl()},
                      {QStringLiteral("LLM_MODEL"), m_llm->model()},
                      {QStringLiteral("LLM_API_KEY"), QStringLiteral("test-key")}};
    QString error;
    QVERIFY2(AppConfig::resolve(in, &o.config, &error), qPrintable(error));
    o.drainTimeoutMs = 2000;
    o.analysisDebounceMs = 50;
    m_bot = std::make_unique<BotService>(o);
    QVERIFY2(m_bot->open(&error), qPrintable(error));
    m_desk = m_bot->desk();
    QVERIFY(m_desk);
    m_desk->setOperatorName(QStringLiteral("alice"));
    QSignalSpy ready(m_bot.get(), &BotService::ready);
    m_bot->start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_bot->botOpenId(), m_sandbox->options().botOpenId, 10000);
}

QString TestOperatorDesk::push(const QString &openId, const QString &text, const QString &chatType,
                               const QString &chatId)
{
    FeishuSandbox::TextPush p;
    p.chatType = chatType;
    p.chatId = chatId;
    p.senderOpenId = openId;
    p.text = text;
    p.mentionBot = chatType != QLatin1String("p2p");
    return m_sandbox->pushText(p);
}

int TestOperatorDesk::repliesTo(const QString &imId) const
{
    int n = 0;
    for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages())
        n += m.target == imId;
    return n;
}

qint64 TestOperatorDesk::sessionOf(const QString &openId) const
{
    for (const SessionSummary &s : m_desk->sessions()) {
        if (s.openId == openId)
            return s.id;
    }
    return 0;
}

void TestOperatorDesk::listsSessionsWithPreviewUnreadAndFilters()
{
    QSignalSpy added(m_desk, &OperatorDesk::sessionAdded);
    QSignalSpy turns(m_desk, &OperatorDesk::turnAdded);
    QSignalSpy changed(m_desk, &OperatorDesk::sessionChanged);
    const QString im = push(QStringLiteral("ou_list"), QStringLiteral("远程解锁失败怎么办"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(im), 1, 10000);
    QCOMPARE(added.size(), 1);
    QTRY_VERIFY(turns.size() >= 2); // the customer's turn and the bot's
    const qint64 id = sessionOf(QStringLiteral("ou_list"));
    QVERIFY(id > 0);
    const auto s = m_desk->session(id);
    QVERIFY(s);
    QCOMPARE(s->chatType, QStringLiteral("p2p"));
    QCOMPARE(s->key, QStringLiteral("feishu_p2p_ou_list"));
    QCOMPARE(s->unread, 1);
    QCOMPARE(s->lastRole, TurnRole::Bot);
    QVERIFY(!s->lastPreview.isEmpty());
    QCOMPARE(s->waitingSince, 0); // answered

    const TurnPage page = m_desk->turns(id);
    QCOMPARE(page.turns.size(), 2);
    QCOMPARE(page.turns.at(0).role, TurnRole::Bot); // newest first
    QCOMPARE(page.turns.at(1).text, QStringLiteral("远程解锁失败怎么办"));
    QVERIFY(!page.turns.at(0).cited.isEmpty());
    QVERIFY(!page.turns.at(0).cited.first().title.isEmpty());
    QTRY_COMPARE(m_desk->turn(page.turns.at(0).id)->delivery, Desk::DeliveryState::Sent);
    QCOMPARE(m_desk->citedEntries(page.turns.at(0).id).size(), page.turns.at(0).cited.size());

    // Paging: one at a time.
    const TurnPage first = m_desk->turns(id, 0, 1);
    QVERIFY(first.hasOlder);
    const TurnPage second = m_desk->turns(id, first.turns.first().id, 1);
    QCOMPARE(second.turns.first().role, TurnRole::Customer);
    QVERIFY(!second.hasOlder);

    SessionFilter f;
    f.text = QStringLiteral("解锁");
    QCOMPARE(m_desk->sessionCount(f), 1);
    QCOMPARE(m_desk->sessionIds(f), QList<qint64>{id});
    f.text = QStringLiteral("没有这句话");
    QCOMPARE(m_desk->sessionCount(f), 0);
    f.text = QStringLiteral("100%_"); // LIKE wildcards are literal
    QCOMPARE(m_desk->sessionCount(f), 0);
    // 3+ characters go through the trigram index (any substring, ASCII case ignored); fewer
    // through a scan; both find the same session.
    f.text = QStringLiteral("程解锁失");
    QCOMPARE(m_desk->sessionIds(f), QList<qint64>{id});
    f.text = QStringLiteral("程解");
    QCOMPARE(m_desk->sessionIds(f), QList<qint64>{id});
    f.text = QStringLiteral("\"解锁"); // query syntax is text
    QCOMPARE(m_desk->sessionCount(f), 0);
    // The console's text filter asks a worker: the same answer, through a signal.
    QSignalSpy matches(m_desk, &OperatorDesk::contentMatchesReady);
    m_desk->requestContentMatches(QStringLiteral(" 解锁失败怎么 "));
    QVERIFY(matches.wait(10000));
    QCOMPARE(matches.first().at(0).toString(), QStringLiteral("解锁失败怎么"));
    QCOMPARE(matches.first().at(1).value<QList<qint64>>(), QList<qint64>{id});
    m_desk->requestContentMatches(QStringLiteral("没有这句话"));
    QVERIFY(matches.wait(10000));
    QVERIFY(matches.last().at(1).value<QList<qint64>>().isEmpty());
    f = {};
    f.attention = Desk::Attention::NeedsAttention;
    QCOMPARE(m_desk->sessionCount(f), 1); // unread
    f.mode = SessionMode::Review;
    QCOMPARE(m_desk->sessionCount(f), 0);

    changed.clear();
    m_desk->markRead(id);
    QTRY_VERIFY(!changed.isEmpty());
    QCOMPARE(m_desk->session(id)->unread, 0);
    f = {};
    f.attention = Desk::Attention::NeedsAttention;
    QCOMPARE(m_desk->sessionCount(f), 0);

    // Text of 1-2 characters (no trigram): the worker's own copy of the turn text, which picks
    // up turns stored after its first lookup.
    m_desk->requestContentMatches(QStringLiteral("程解"));
    QVERIFY(matches.wait(10000));
    QCOMPARE(matches.last().at(1).value<QList<qint64>>(), QList<qint64>{id});
    push(QStringLiteral("ou_kun"), QStringLiteral("鲲鹏号车机黑屏了"));
    QTRY_VERIFY_WITH_TIMEOUT(sessionOf(QStringLiteral("ou_kun")) > 0, 10000);
    m_desk->requestContentMatches(QStringLiteral("鲲鹏"));
    QVERIFY(matches.wait(10000));
    QCOMPARE(matches.last().at(1).value<QList<qint64>>(), QList<qint64>{sessionOf(QStringLiteral("ou_kun"))});
    m_desk->requestContentMatches(QStringLiteral("鲲鹏号车")); // the index agrees
    QVERIFY(matches.wait(10000));
    QCOMPARE(matches.last().at(1).value<QList<qint64>>(), QList<qint64>{sessionOf(QStringLiteral("ou_kun"))});
}

void TestOperatorDesk::takeOverThenSendReachesFeishuOnceAndTheBotStaysQuiet()
{
    const QString first = push(QStringLiteral("ou_take"), QStringLiteral("数字钥匙用不了"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(first), 1, 10000);
    const qint64 id = sessionOf(QStringLiteral("ou_take"));

    QVERIFY(m_desk->takeOver(id, QStringLiteral("customer is upset")).ok);
    QCOMPARE(m_desk->session(id)->mode, SessionMode::Manual);

    QSignalSpy attention(m_desk, &OperatorDesk::attentionNeeded);
    QSignalSpy counts(m_desk, &OperatorDesk::countsChanged);
    const QString second = push(QStringLiteral("ou_take"), QStringLiteral("还是不行，能帮我看看吗"));
    QTRY_COMPARE_WITH_TIMEOUT(attention.size(), 1, 10000);
    QCOMPARE(attention.first().at(0).toLongLong(), id);
    QTRY_VERIFY(!counts.isEmpty());
    QCOMPARE(m_desk->needsAttentionCount(), 1);
    QCOMPARE(repliesTo(second), 0);

    QSignalSpy delivery(m_desk, &OperatorDesk::deliveryChanged);
    const DeskResult r = m_desk->sendReply(id, QStringLiteral("您好，我是人工客服，请把车架号发给我"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(second), 1, 10000);
    QTRY_VERIFY(!delivery.isEmpty() &&
                delivery.last().at(2).value<Desk::DeliveryState>() == Desk::DeliveryState::Sent);
    QCOMPARE(delivery.last().at(1).toLongLong(), r.id);
    QCOMPARE(m_desk->turn(r.id)->operatorName, QStringLiteral("alice"));
    QCOMPARE(m_desk->needsAttentionCount(), 0);

    // The bot stays quiet: a third message gets no bot reply, only the attention signal.
    const QString third = push(QStringLiteral("ou_take"), QStringLiteral("VIN 在哪里看"));
    QTRY_COMPARE_WITH_TIMEOUT(attention.size(), 2, 10000);
    QTest::qWait(300);
    QCOMPARE(repliesTo(third), 0);
    QCOMPARE(repliesTo(second), 1); // exactly once

    const QList<AuditLog::Entry> audit = m_bot->auditLog()->entriesFor(QStringLiteral("session:%1").arg(id));
    QStringList actions;
    for (const AuditLog::Entry &e : audit) {
        QCOMPARE(e.actor, QStringLiteral("alice"));
        actions << e.action;
    }
    QVERIFY2(actions.contains(QStringLiteral("session.take_over")), qPrintable(actions.join(u',')));
    QVERIFY(actions.contains(QStringLiteral("session.mode")));
    QVERIFY(actions.contains(QStringLiteral("reply.send")));
}

void TestOperatorDesk::handBackReturnsTheSessionToTheBot()
{
    const QString first = push(QStringLiteral("ou_back"), QStringLiteral("车机没网了"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(first), 1, 10000);
    const qint64 id = sessionOf(QStringLiteral("ou_back"));
    QVERIFY(m_desk->takeOver(id).ok);
    QVERIFY(m_desk->handBack(id, QStringLiteral("solved")).ok);
    const auto s = m_desk->session(id);
    QCOMPARE(s->mode, SessionMode::Auto);
    QVERIFY(!s->needsOperator);
    const QString second = push(QStringLiteral("ou_back"), QStringLiteral("蓝牙连不上"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(second), 1, 10000);
    QVERIFY(!m_desk->setMode(999999, SessionMode::Review).ok);
}

void TestOperatorDesk::reviewDraftsAreApprovedEditedOrRejectedWithAnAuditTrail()
{
    QSignalSpy defaultMode(m_desk, &OperatorDesk::defaultModeChanged);
    QVERIFY(m_desk->setDefaultMode(SessionMode::Review).ok);
    QCOMPARE(defaultMode.size(), 1);
    QCOMPARE(m_desk->defaultMode(), SessionMode::Review);

    QSignalSpy created(m_desk, &OperatorDesk::draftCreated);
    QSignalSpy decided(m_desk, &OperatorDesk::draftDecided);
    QSignalSpy streaming(m_desk, &OperatorDesk::draftStreaming);

    // Approve: the bot's text goes out as written.
    const QString a = push(QStringLiteral("ou_rev"), QStringLiteral("远程启动空调没反应"));
    QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 10000);
    const qint64 id = sessionOf(QStringLiteral("ou_rev"));
    QCOMPARE(created.first().at(0).toLongLong(), id);
    QVERIFY(!streaming.isEmpty());
    QCOMPARE(streaming.first().at(0).toLongLong(), id);
    QCOMPARE(m_desk->pendingDraftCount(), 1);
    auto draft = m_desk->pendingDraft(id);
    QVERIFY(draft);
    QVERIFY(m_desk->session(id)->draftPending);
    QVERIFY(!draft->botText.isEmpty());
    QVERIFY(draft->coverage >= 0.0 && draft->coverage <= 1.0);
    QCOMPARE(repliesTo(a), 0);
    QVERIFY(m_desk->approveDraft(draft->id).ok);
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(a), 1, 10000);
    QCOMPARE(decided.size(), 1);
    QCOMPARE(decided.first().at(2).toString(), QStringLiteral("approved"));
    QCOMPARE(m_sandbox->sentMessages().last().text, draft->botText);
    QVERIFY(!m_desk->approveDraft(draft->id).ok); // decided once

    // Edit and send: the operator's text goes out; the bot's stays on record.
    const QString b = push(QStringLiteral("ou_rev"), QStringLiteral("还有别的办法吗"));
    QTRY_COMPARE_WITH_TIMEOUT(created.size(), 2, 10000);
    draft = m_desk->pendingDraft(id);
    QVERIFY(draft);
    const QString edited = QStringLiteral("请先在App里刷新车辆状态，再试一次远程空调。");
    QVERIFY(m_desk->sendEditedDraft(draft->id, edited).ok);
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(b), 1, 10000);
    QCOMPARE(m_sandbox->sentMessages().last().text, edited);
    const auto after = m_desk->draft(draft->id);
    QCOMPARE(after->state, QStringLiteral("edited"));
    QCOMPARE(after->finalText, edited);
    QCOMPARE(after->botText, draft->botText);
    QCOMPARE(after->decidedBy, QStringLiteral("alice"));

    // Reject: nothing is sent, the session waits for a person.
    const QString c = push(QStringLiteral("ou_rev"), QStringLiteral("我要投诉"));
    QTRY_COMPARE_WITH_TIMEOUT(created.size(), 3, 10000);
    draft = m_desk->pendingDraft(id);
    QVERIFY(m_desk->rejectDraft(draft->id, QStringLiteral("needs a person")).ok);
    QTRY_COMPARE(decided.size(), 3);
    QCOMPARE(decided.last().at(2).toString(), QStringLiteral("rejected"));
    QTest::qWait(200);
    QCOMPARE(repliesTo(c), 0);
    QVERIFY(m_desk->session(id)->needsOperator);
    QCOMPARE(m_desk->pendingDraftCount(), 0);
    // The session stays with the operator: manual (audited), so the bot drafts nothing more.
    QCOMPARE(m_desk->session(id)->mode, SessionMode::Manual);
    QStringList sessionActions;
    for (const AuditLog::Entry &e : m_bot->auditLog()->entriesFor(QStringLiteral("session:%1").arg(id)))
        sessionActions << e.action + u'=' + e.detail;
    QVERIFY2(sessionActions.contains(QStringLiteral("session.mode=manual")),
             qPrintable(sessionActions.join(u',')));
    const QString d2 = push(QStringLiteral("ou_rev"), QStringLiteral("人呢？"));
    QTest::qWait(300);
    QCOMPARE(repliesTo(d2), 0);
    QVERIFY(!m_desk->pendingDraft(id));
    QVERIFY(!m_desk->rejectDraft(draft->id).ok); // decided already

    QStringList actions;
    for (const AuditLog::Entry &e : m_bot->auditLog()->entries())
        actions << e.action;
    QVERIFY2(actions.contains(QStringLiteral("default_mode")), qPrintable(actions.join(u',')));
    QVERIFY(actions.filter(QStringLiteral("draft")).size() >= 3);
}

void TestOperatorDesk::approvalWarnsWhenTheCustomerWroteAgain()
{
    QVERIFY(m_desk->setDefaultMode(SessionMode::Review).ok);
    QSignalSpy created(m_desk, &OperatorDesk::draftCreated);
    const QString a = push(QStringLiteral("ou_late"), QStringLiteral("胎压报警灯亮了"));
    QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 10000);
    const qint64 firstDraft = created.first().at(1).toLongLong();
    push(QStringLiteral("ou_late"), QStringLiteral("补充一下，是左前轮"));
    QTRY_COMPARE_WITH_TIMEOUT(created.size(), 2, 10000);
    QVERIFY(m_desk->draft(firstDraft)->customerWroteSince);
    const DeskResult refused = m_desk->approveDraft(firstDraft);
    QVERIFY(!refused.ok);
    QVERIFY(!refused.error.isEmpty());
    QVERIFY(m_desk->approveDraft(firstDraft, true).ok);
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(a), 1, 10000);
}

void TestOperatorDesk::failedDeliveryIsShownAndRetried()
{
    const QString im = push(QStringLiteral("ou_fail"), QStringLiteral("车机没网了"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(im), 1, 10000);
    const qint64 id = sessionOf(QStringLiteral("ou_fail"));
    QVERIFY(m_desk->takeOver(id).ok);

    // Feishu refuses the next reply for good (the message was recalled): no retry by itself.
    bool refuse = true;
    m_sandbox->addHandler([&refuse](const HttpRequest &req, HttpResponder *resp) {
        if (!refuse || !req.path.endsWith("/reply"))
            return false;
        refuse = false;
        resp->respond(400, R"({"code":230011,"msg":"The message was withdrawn."})");
        return true;
    });
    QSignalSpy delivery(m_desk, &OperatorDesk::deliveryChanged);
    const DeskResult r = m_desk->sendReply(id, QStringLiteral("请稍等"));
    QVERIFY(r.ok);
    QTRY_VERIFY_WITH_TIMEOUT(!delivery.isEmpty() && delivery.last().at(2).value<Desk::DeliveryState>() ==
                                                        Desk::DeliveryState::Failed,
                             10000);
    QVERIFY(!delivery.last().at(3).toString().isEmpty());
    const auto failed = m_desk->turn(r.id);
    QCOMPARE(failed->delivery, Desk::DeliveryState::Failed);
    QVERIFY(!failed->deliveryError.isEmpty());
    QCOMPARE(repliesTo(im), 1);

    QVERIFY(m_desk->retryDelivery(r.id).ok);
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(im), 2, 10000);
    QTRY_COMPARE(m_desk->turn(r.id)->delivery, Desk::DeliveryState::Sent);
    QCOMPARE(delivery.last().at(2).value<Desk::DeliveryState>(), Desk::DeliveryState::Sent);
    QVERIFY(!m_desk->retryDelivery(r.id).ok); // nothing failed any more
}

void TestOperatorDesk::analysisFindsTheVehiclesEarlierConversations()
{
    QSignalSpy analysed(m_desk, &OperatorDesk::analysisUpdated);
    const QString vin = QStringLiteral("LFV2A21K6E4123456");
    const QString a = push(QStringLiteral("ou_car1"), QStringLiteral("车架号 %1 远程锁车失败").arg(vin));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(a), 1, 10000);
    const qint64 first = sessionOf(QStringLiteral("ou_car1"));
    QTRY_VERIFY_WITH_TIMEOUT(m_desk->analysis(first).has_value(), 10000);
    const auto view = m_desk->analysis(first);
    bool hasVin = false;
    for (const EntityView &e : view->entities)
        hasVin = hasVin || (e.type == QLatin1String("vin") && e.value == vin);
    QVERIFY(hasVin);
    QVERIFY(!analysed.isEmpty());
    QTRY_COMPARE(m_desk->session(first)->vin, vin);

    const QString b = push(QStringLiteral("ou_car2"), QStringLiteral("我家车 %1 也连不上网").arg(vin));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(b), 1, 10000);
    const qint64 second = sessionOf(QStringLiteral("ou_car2"));
    QTRY_COMPARE_WITH_TIMEOUT(m_desk->session(second)->vin, vin, 10000);
    const QList<SessionSummary> history = m_desk->vehicleHistory(vin, {}, second);
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().id, first);
    QVERIFY(m_desk->vehicleHistory({}, {}, second).isEmpty());
}

void TestOperatorDesk::healthSnapshotReachesTheMainThread()
{
    QSignalSpy health(m_desk, &OperatorDesk::healthChanged);
    QCOMPARE(m_desk->health().state, ConnectionHealth::State::Connected);
    const QString im = push(QStringLiteral("ou_health"), QStringLiteral("车机没网了"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(im), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_desk->health().ackLatencyMedianMs >= 0, 5000);
    QVERIFY(m_desk->health().ackLatencyP99Ms >= m_desk->health().ackLatencyMedianMs);
    QVERIFY(m_desk->health().lastEventAt > 0);
    QTRY_VERIFY(m_desk->health().tokenExpiresAt > QDateTime::currentMSecsSinceEpoch());
    QTRY_COMPARE(m_desk->health().outboxDepth, 0);

    m_sandbox->redeliver(im);
    QTRY_COMPARE_WITH_TIMEOUT(m_desk->health().dedupeHits, qint64(1), 5000);
    QCOMPARE(repliesTo(im), 1);

    const int before = m_desk->health().reconnects;
    m_desk->reconnect();
    QTRY_COMPARE_WITH_TIMEOUT(m_desk->health().reconnects, before + 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_desk->health().state, ConnectionHealth::State::Connected, 10000);
    QVERIFY(!health.isEmpty());
    for (const QList<QVariant> &args : std::as_const(health))
        QVERIFY(args.at(0).canConvert<ConnectionHealth>());
}

void TestOperatorDesk::escalationPreviewsTheCustomersWords()
{
    QSignalSpy attention(m_desk, &OperatorDesk::attentionNeeded);
    push(QStringLiteral("ou_smoke"), QStringLiteral("车辆冒烟了怎么办"));
    QTRY_COMPARE_WITH_TIMEOUT(attention.size(), 1, 10000);
    const qint64 id = sessionOf(QStringLiteral("ou_smoke"));
    // The list's preview is the bot's hand-off reply; a notification shows what the customer said.
    QTRY_COMPARE_WITH_TIMEOUT(m_desk->session(id)->lastRole, TurnRole::Bot, 10000);
    const auto said = m_desk->lastCustomerTurn(id);
    QVERIFY(said);
    QCOMPARE(said->text, QStringLiteral("车辆冒烟了怎么办"));
    QCOMPARE(said->role, TurnRole::Customer);
    QVERIFY(m_desk->session(id)->lastPreview != said->text);
    QVERIFY(!m_desk->lastCustomerTurn(id + 1000));
}

void TestOperatorDesk::pauseSendsNewConversationsToManual()
{
    QSignalSpy paused(m_desk, &OperatorDesk::pausedChanged);
    QVERIFY(m_desk->setPaused(true).ok);
    QCOMPARE(paused.size(), 1);
    QVERIFY(m_desk->isPaused());
    QVERIFY(m_desk->health().paused);
    QSignalSpy attention(m_desk, &OperatorDesk::attentionNeeded);
    const QString im = push(QStringLiteral("ou_paused"), QStringLiteral("车机没网了"));
    QTRY_COMPARE_WITH_TIMEOUT(attention.size(), 1, 10000);
    QCOMPARE(m_desk->session(sessionOf(QStringLiteral("ou_paused")))->mode, SessionMode::Manual);
    QCOMPARE(repliesTo(im), 0);

    // Remembered across a restart, until resumed.
    m_bot.reset();
    startBot();
    QVERIFY(m_desk->isPaused());
    QVERIFY(m_desk->setPaused(false).ok);
    const QString next = push(QStringLiteral("ou_resumed"), QStringLiteral("车机没网了"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(next), 1, 10000);
}

void TestOperatorDesk::promotedReplyBecomesKnowledgeWithItsOrigin()
{
    const QString im = push(QStringLiteral("ou_promo"), QStringLiteral("后备箱感应开启失灵"));
    QTRY_COMPARE_WITH_TIMEOUT(repliesTo(im), 1, 10000);
    const qint64 id = sessionOf(QStringLiteral("ou_promo"));
    QVERIFY(m_desk->takeOver(id).ok);
    const DeskResult reply = m_desk->sendReply(
        id, QStringLiteral("脚踢感应需要钥匙在车尾1米内，清洁后保险杠下方的传感器后再试。"));
    QVERIFY(reply.ok);

    KnowledgeEntry e = m_desk->promotionDraft(reply.id);
    QCOMPARE(e.symptoms, QStringList{QStringLiteral("后备箱感应开启失灵")});
    QVERIFY(e.solution.contains(QStringLiteral("脚踢感应")));
    QVERIFY(!e.title.isEmpty());
    e.title.clear();
    QVERIFY(!m_desk->promoteToKnowledge(reply.id, e).ok); // no title: refused with a reason
    e.title = QStringLiteral("脚踢感应后备箱不开");
    const DeskResult r = m_desk->promoteToKnowledge(reply.id, e);
    QVERIFY2(r.ok, qPrintable(r.error));
    const auto stored = m_desk->knowledgeEntry(r.entryId);
    QVERIFY(stored);
    QCOMPARE(stored->source, QStringLiteral("promoted"));
    QCOMPARE(stored->title, e.title);
    QCOMPARE(m_desk->knowledgeOrigin(r.entryId), QStringLiteral("session:%1/turn:%2").arg(id).arg(reply.id));
    QVERIFY(m_desk->knowledgeOrigin(QStringLiteral("KB-0001")).isEmpty());
    bool found = false;
    for (const CitedEntry &c : m_desk->searchKnowledge(QStringLiteral("脚踢感应后备箱")))
        found = found || c.id == r.entryId;
    QVERIFY(found);
    // A customer turn is not a reply.
    QVERIFY(!m_desk->promoteToKnowledge(m_desk->turns(id).turns.last().id, e).ok);

    // The composer's search on the worker: the promoted entry found there too (its connection sees
    // the write), the same hits as searchKnowledge(), never within the call; of requests made while
    // one runs, only the newest is run; an empty query is answered with nothing.
    const auto ids = [](const QList<CitedEntry> &entries) {
        QStringList out;
        for (const CitedEntry &c : entries)
            out << c.id;
        return out;
    };
    QSignalSpy ready(m_desk, &OperatorDesk::knowledgeSearchReady);
    const quint64 first = m_desk->requestKnowledgeSearch(QStringLiteral("脚踢感应后备箱"));
    QVERIFY(ready.isEmpty());
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(ready.at(0).at(0).value<quint64>(), first);
    const QStringList onWorker = ids(ready.at(0).at(1).value<QList<CitedEntry>>());
    QCOMPARE(onWorker, ids(m_desk->searchKnowledge(QStringLiteral("脚踢感应后备箱"))));
    QVERIFY(onWorker.contains(r.entryId));
    ready.clear();
    const quint64 a = m_desk->requestKnowledgeSearch(QStringLiteral("远程解锁"));
    m_desk->requestKnowledgeSearch(QStringLiteral("车机没网"));
    const quint64 c = m_desk->requestKnowledgeSearch(QStringLiteral("后备箱"));
    QTRY_COMPARE(ready.size(), 2);
    QTest::qWait(20);
    QCOMPARE(ready.size(), 2);
    QCOMPARE(ready.at(0).at(0).value<quint64>(), a);
    QCOMPARE(ready.at(1).at(0).value<quint64>(), c);
    ready.clear();
    const quint64 empty = m_desk->requestKnowledgeSearch(QStringLiteral("  "));
    QVERIFY(ready.isEmpty());
    QTRY_COMPARE(ready.size(), 1);
    QCOMPARE(ready.at(0).at(0).value<quint64>(), empty);
    QVERIFY(ready.at(0).at(1).value<QList<CitedEntry>>().isEmpty());
}

void TestOperatorDesk::changeSurvivesTheNotifyPayload()
{
    Change c;
    c.kind = Change::Kind::DraftDecided;
    c.sessionId = 7;
    c.turnId = 42;
    c.draftId = 3;
    c.detail = QStringLiteral("approved");
    QCOMPARE(Change::fromJson(c.toJson()), c);
    QVERIFY(!Change::fromJson(QJsonObject{{QStringLiteral("kind"), QStringLiteral("nonsense")}}));
}

QTEST_GUILESS_MAIN(TestOperatorDesk)
#include "tst_operatordesk.moc"

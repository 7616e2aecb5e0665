#include <QMetaEnum>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "chat/draftstore.h"
#include "chat/outbox.h"
#include "chat/sessionmanager.h"
#include "fakereplytransport.h"
#include "storage/auditlog.h"
#include "storage/database.h"

namespace {

Database::Location sqliteAt(const QString &path)
{
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = path;
    return loc;
}

// Everything one console needs on one connection.
struct Stack
{
    explicit Stack(const QString &name, const QString &path, FakeReplyTransport *feishu)
        : db(name)
    {
        ok = db.open(sqliteAt(path));
        sessions = std::make_unique<SessionManager>(&db);
        audit = std::make_unique<AuditLog>(&db);
        outbox = std::make_unique<Outbox>(&db, feishu);
        drafts = std::make_unique<DraftStore>(&db, sessions.get(), outbox.get(), audit.get());
    }
    Database db;
    bool ok = false;
    std::unique_ptr<SessionManager> sessions;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<DraftStore> drafts;
};

} // namespace

class TestDraftStore final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void createAndList();
    void stateNamesAreTheStoredTexts();
    void approveSendsTheBotText();
    void approvedClarifyingQuestionIsMarked();
    void editSendsTheOperatorText();
    void rejectSendsNothing();
    void emptyEditIsRefused();
    void unknownDraft();
    void twoConsolesDecideOnce();
    void auditLogEntries();

private:
    qint64 pendingDraft(const QString &openId, const QString &replyTo);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeReplyTransport> m_feishu;
    std::unique_ptr<Stack> m_s;
    qint64 m_sessionId = 0;
    qint64 m_inboundTurn = 0;
};

void TestDraftStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_feishu = std::make_unique<FakeReplyTransport>();
    m_s = std::make_unique<Stack>(QStringLiteral("drafts"), m_dir->filePath(QStringLiteral("d.db")),
                                  m_feishu.get());
    QVERIFY(m_s->ok);
}

void TestDraftStore::cleanup()
{
    m_s.reset();
    m_feishu.reset();
    m_dir.reset();
}

qint64 TestDraftStore::pendingDraft(const QString &openId, const QString &replyTo)
{
    const auto o = m_s->sessions->openSession(QStringLiteral("feishu_p2p_") + openId, QStringLiteral("oc_1"),
                                              QStringLiteral("p2p"), openId);
    m_sessionId = o.session.id;
    Turn customer;
    customer.sessionId = m_sessionId;
    customer.content = QStringLiteral("远程解锁失败");
    customer.feishuMessageId = replyTo;
    m_inboundTurn = m_s->sessions->addTurn(customer);
    return m_s->drafts->create(
        m_sessionId, m_inboundTurn, replyTo, QStringLiteral("请先确认手机网络，再重试远程解锁。"),
        {KnowledgeRef{QStringLiteral("KB-0007"), 4.0}}, QStringLiteral("knowledge"), false);
}

void TestDraftStore::createAndList()
{
    QSignalSpy created(m_s->drafts.get(), &DraftStore::draftCreated);
    const qint64 id = pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1"));
    QVERIFY(id > 0);
    QCOMPARE(created.size(), 1);
    QCOMPARE(created.first().at(1).toLongLong(), m_sessionId);
    const auto d = m_s->drafts->draft(id);
    QVERIFY(d.has_value());
    QCOMPARE(d->state, DraftStore::State::Pending);
    QCOMPARE(d->replyTo, QStringLiteral("om_q1"));
    QCOMPARE(d->inboundTurnId, m_inboundTurn);
    QCOMPARE(d->refs.size(), 1);
    QCOMPARE(d->refs.first().id, QStringLiteral("KB-0007"));
    QCOMPARE(d->source, QStringLiteral("knowledge"));
    QCOMPARE(m_s->drafts->pending().size(), 1);
    QCOMPARE(m_s->drafts->forSession(m_sessionId).size(), 1);
    // Nothing goes out while a draft waits.
    QVERIFY(m_s->outbox->items(m_sessionId).isEmpty());
}

void TestDraftStore::approvedClarifyingQuestionIsMarked()
{
    // The bot asked back: sent as written, the turn says so (the next customer turn answers it);
    // rewritten by an operator, it is the operator's turn and says nothing of the kind.
    QVERIFY(pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1")) > 0);
    const QJsonObject asked{{QStringLiteral("reason"), QStringLiteral("two likely causes")},
                            {QStringLiteral("asked_back"), true}};
    const qint64 approved = m_s->drafts->create(m_sessionId, m_inboundTurn, QStringLiteral("om_q1"),
                                                QStringLiteral("是更换过蓄电池，还是升级过车机？"), {},
                                                QStringLiteral("clarify"), false, asked);
    QVERIFY(approved > 0);
    QVERIFY2(m_s->drafts->approve(approved, QStringLiteral("alice")), qPrintable(m_s->drafts->errorString()));
    const auto sent = m_s->sessions->turn(m_s->drafts->draft(approved)->replyTurnId);
    QVERIFY(sent.has_value());
    QVERIFY(sent->meta.value(QStringLiteral("asked_back")).toBool());
    QVERIFY(SessionManager::toConversation({*sent}).first().askedBack);

    const qint64 edited = m_s->drafts->create(m_sessionId, m_inboundTurn, QStringLiteral("om_q1"),
                                              QStringLiteral("是更换过蓄电池，还是升级过车机？"), {},
                                              QStringLiteral("clarify"), false, asked);
    QVERIFY(m_s->drafts->edit(edited, QStringLiteral("请稍等，我帮您查一下。"), QStringLiteral("bob")));
    const auto rewritten = m_s->sessions->turn(m_s->drafts->draft(edited)->replyTurnId);
    QVERIFY(rewritten.has_value());
    QVERIFY(!rewritten->meta.contains(QStringLiteral("asked_back")));
    QVERIFY(!SessionManager::toConversation({*rewritten}).first().askedBack);
}

void TestDraftStore::approveSendsTheBotText()
{
    const qint64 id = pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1"));
    QSignalSpy decided(m_s->drafts.get(), &DraftStore::draftDecided);
    QSignalSpy delivered(m_s->outbox.get(), &Outbox::delivered);
    QVERIFY2(m_s->drafts->approve(id, QStringLiteral("alice")), qPrintable(m_s->drafts->errorString()));
    QCOMPARE(decided.size(), 1);
    QCOMPARE(decided.first().at(1).value<DraftStore::State>(), DraftStore::State::Approved);
    const auto d = m_s->drafts->draft(id);
    QCOMPARE(d->state, DraftStore::State::Approved);
    QCOMPARE(d->decidedBy, QStringLiteral("alice"));
    QCOMPARE(d->finalText, d->botText);
    QVERIFY(d->decidedAt > 0);
    QTRY_COMPARE(delivered.size(), 1);
    QCOMPARE(m_feishu->calls().size(), 1);
    QCOMPARE(m_feishu->calls().first().target, QStringLiteral("om_q1"));
    QCOMPARE(m_feishu->calls().first().text(), d->botText);
    // The reply is stored as a bot turn with its knowledge refs, linked to the sent message.
    const auto turn = m_s->sessions->turn(d->replyTurnId);
    QVERIFY(turn.has_value());
    QCOMPARE(turn->role, TurnRole::Bot);
    QCOMPARE(turn->content, d->botText);
    QCOMPARE(turn->refs.first().id, QStringLiteral("KB-0007"));
    QTRY_COMPARE(m_s->sessions->turn(d->replyTurnId)->feishuMessageId, delivered.first().at(1).toString());
    // A draft is decided once.
    QVERIFY(!m_s->drafts->approve(id, QStringLiteral("bob")));
    QVERIFY(m_s->drafts->errorString().contains(QStringLiteral("alice")));
    QVERIFY(!m_s->drafts->reject(id, QStringLiteral("bob")));
    QCOMPARE(m_s->outbox->items(m_sessionId).size(), 1);
    QVERIFY(m_s->drafts->pending().isEmpty());
}

void TestDraftStore::editSendsTheOperatorText()
{
    const qint64 id = pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1"));
    const QString mine = QStringLiteral("您好，请在App中重新绑定数字钥匙后再试。");
    QVERIFY(
        m_s->drafts->edit(id, QStringLiteral("  ") + mine + QStringLiteral("\n"), QStringLiteral("carol")));
    const auto d = m_s->drafts->draft(id);
    QCOMPARE(d->state, DraftStore::State::Edited);
    QCOMPARE(d->finalText, mine);
    QCOMPARE(d->botText, QStringLiteral("请先确认手机网络，再重试远程解锁。")); // the bot's text is kept
    QCOMPARE(d->decidedBy, QStringLiteral("carol"));
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_feishu->deliveredTexts(), QStringList{mine});
    const auto turn = m_s->sessions->turn(d->replyTurnId);
    QCOMPARE(turn->role, TurnRole::Operator);
    QCOMPARE(turn->content, mine);
}

void TestDraftStore::rejectSendsNothing()
{
    const qint64 id = pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1"));
    QVERIFY(!m_s->sessions->session(m_sessionId)->needsOperator);
    QVERIFY(m_s->drafts->reject(id, QStringLiteral("dave"), QStringLiteral("wrong model")));
    const auto d = m_s->drafts->draft(id);
    QCOMPARE(d->state, DraftStore::State::Rejected);
    QCOMPARE(d->decidedBy, QStringLiteral("dave"));
    QVERIFY(d->finalText.isEmpty());
    QCOMPARE(d->replyTurnId, 0);
    QVERIFY(m_s->outbox->items(m_sessionId).isEmpty());
    // The customer still waits for an answer: the session asks for an operator.
    QVERIFY(m_s->sessions->session(m_sessionId)->needsOperator);
    QTest::qWait(20);
    QCOMPARE(m_feishu->calls().size(), 0);
}

void TestDraftStore::emptyEditIsRefused()
{
    const qint64 id = pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1"));
    QVERIFY(!m_s->drafts->edit(id, QStringLiteral(" \n"), QStringLiteral("carol")));
    QCOMPARE(m_s->drafts->draft(id)->state, DraftStore::State::Pending);
    QVERIFY(m_s->audit->entries().isEmpty());
}

void TestDraftStore::unknownDraft()
{
    QVERIFY(!m_s->drafts->approve(424242, QStringLiteral("alice")));
    QVERIFY(m_s->drafts->errorString().contains(QStringLiteral("does not exist")));
    QVERIFY(!m_s->drafts->draft(424242).has_value());
}

void TestDraftStore::twoConsolesDecideOnce()
{
    const qint64 id = pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1"));
    FakeReplyTransport otherFeishu;
    Stack other(QStringLiteral("drafts-other"), m_dir->filePath(QStringLiteral("d.db")), &otherFeishu);
    QVERIFY(other.ok);
    // Both consoles loaded the draft while it was pending; the first decision wins.
    QVERIFY(other.drafts->draft(id)->state == DraftStore::State::Pending);
    QVERIFY(m_s->drafts->approve(id, QStringLiteral("alice")));
    QVERIFY(!other.drafts->edit(id, QStringLiteral("另一个答复"), QStringLiteral("bob")));
    QCOMPARE(m_s->outbox->items(m_sessionId).size(), 1);
    QCOMPARE(m_s->drafts->draft(id)->decidedBy, QStringLiteral("alice"));
}

void TestDraftStore::auditLogEntries()
{
    const qint64 a = pendingDraft(QStringLiteral("ou_a"), QStringLiteral("om_q1"));
    const qint64 b = pendingDraft(QStringLiteral("ou_b"), QStringLiteral("om_q2"));
    QSignalSpy recorded(m_s->audit.get(), &AuditLog::recorded);
    QVERIFY(m_s->drafts->approve(a, QStringLiteral("alice")));
    QVERIFY(m_s->drafts->reject(b, QStringLiteral("bob"), QStringLiteral("off topic")));
    QCOMPARE(recorded.size(), 2);
    const auto entries = m_s->audit->entries();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).actor, QStringLiteral("bob")); // newest first
    QCOMPARE(entries.at(0).action, QStringLiteral("draft.reject"));
    QCOMPARE(entries.at(0).target, QStringLiteral("draft:%1").arg(b));
    QVERIFY(entries.at(0).detail.contains(QStringLiteral("off topic")));
    QCOMPARE(entries.at(1).actor, QStringLiteral("alice"));
    QCOMPARE(entries.at(1).action, QStringLiteral("draft.approve"));
    QCOMPARE(m_s->audit->entriesFor(QStringLiteral("draft:%1").arg(a)).size(), 1);
    QVERIFY(m_s->audit->record(QStringLiteral("eve"), QStringLiteral("session.mode"),
                               QStringLiteral("session:1"), QStringLiteral("manual")) > 0);
    QCOMPARE(m_s->audit->entries(2).size(), 2);
}

void TestDraftStore::stateNamesAreTheStoredTexts()
{
    const QMetaEnum states = QMetaEnum::fromType<DraftStore::State>();
    const QStringList names{QStringLiteral("pending"), QStringLiteral("approved"), QStringLiteral("edited"),
                            QStringLiteral("rejected")};
    QCOMPARE(states.keyCount(), int(names.size()));
    for (int i = 0; i < states.keyCount(); ++i) {
        const auto state = DraftStore::State(states.value(i));
        QCOMPARE(DraftStore::stateName(state), names.at(i));
        QCOMPARE(DraftStore::parseState(names.at(i)), std::optional(state));
    }
    QVERIFY(!DraftStore::parseState(QStringLiteral("maybe")));
}

QTEST_GUILESS_MAIN(TestDraftStore)
#include "tst_draftstore.moc"

// TicketDesk and TicketStore: tickets made from a conversation (prefilled from its analysis),
// on escalation when the setting is on, status and assignee changes that become pending for the
// push, filters, and the promotion of a resolved ticket to a knowledge entry.
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include "assistant/analyzer.h"
#include "assistant/entityextractor.h"
#include "desk/ticketdesk.h"
#include "knowledge/knowledgeentry.h"
#include "storage/analysisstore.h"
#include "tempdatabase.h"
#include "tickets/ticketstore.h"

class TestTicketDesk final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void createFromSessionIsPrefilled();
    void secondCreateOpensTheExistingTicket();
    void unknownSessionIsRefused();
    void editsMakeTicketsPending();
    void filtersByStatusAssigneeCategory();
    void escalationMakesTicketOnlyWhenOn();
    void resolvedTicketBecomesKnowledge();
    void promotionUpdatesTheEntryItCameFrom();
    void syncWithoutConfigurationSaysSo();

private:
    qint64 addSession(const QString &openId, const QString &name);

    std::unique_ptr<TempKnowledgeDb> m_db;
    std::unique_ptr<TicketStore> m_store;
    std::unique_ptr<TicketDesk> m_desk;
};

void TestTicketDesk::init()
{
    m_db = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_db->open(QStringLiteral("tst_ticketdesk"), &error), qPrintable(error));
    m_store = std::make_unique<TicketStore>(m_db->db.get());
    m_desk = std::make_unique<TicketDesk>(m_store.get(), nullptr, m_db->kb.get());
    m_desk->setOperatorName(QStringLiteral("王工"));
}

void TestTicketDesk::cleanup()
{
    m_desk.reset();
    m_store.reset();
    m_db.reset();
}

qint64 TestTicketDesk::addSession(const QString &openId, const QString &name)
{
    QSqlQuery q(m_db->db->db());
    q.prepare(QStringLiteral(
        "INSERT INTO sessions (session_key, chat_id, chat_type, open_id, user_name, created_at,"
        " last_active_at) VALUES (?, 'oc_chat1', 'p2p', ?, ?, 1, 1)"));
    q.addBindValue(QString(QStringLiteral("feishu_p2p_") + openId));
    q.addBindValue(openId);
    q.addBindValue(name);
    if (!q.exec())
        return -1;
    return q.lastInsertId().toLongLong();
}

void TestTicketDesk::createFromSessionIsPrefilled()
{
    const qint64 sid = addSession(QStringLiteral("ou_c1"), QStringLiteral("赵六"));
    Analysis a;
    a.category = QStringLiteral("远程控制");
    a.urgency = QStringLiteral("high");
    a.summary = QStringLiteral("客户无法远程启动车辆。已尝试重启 APP。");
    a.entities = EntityExtractor::extract(QStringLiteral("VIN LFV2A21K8E4123456，粤BD12345"));
    a.updatedAt = 1767225600123;
    QVERIFY(AnalysisStore(m_db->db.get()).save(sid, a.toRecord()));

    QSignalSpy changed(m_desk.get(), &TicketDesk::ticketChanged);
    const DeskResult r = m_desk->createFromSession(sid);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(changed.size(), 1);
    const auto v = m_desk->ticket(r.id);
    QVERIFY(v);
    const Ticket &t = v->ticket;
    QCOMPARE(t.number, QStringLiteral("TK-%1").arg(r.id, 6, 10, QLatin1Char('0')));
    QCOMPARE(t.customerOpenId, QStringLiteral("ou_c1"));
    QCOMPARE(t.customerName, QStringLiteral("赵六"));
    QCOMPARE(t.chatId, QStringLiteral("oc_chat1"));
    QCOMPARE(t.category, QStringLiteral("远程控制"));
    QCOMPARE(t.urgency, QStringLiteral("high"));
    QCOMPARE(t.summary, a.summary);
    QCOMPARE(t.title, QStringLiteral("客户无法远程启动车辆"));
    QCOMPARE(t.vin, QStringLiteral("LFV2A21K8E4123456"));
    QCOMPARE(t.plate, QStringLiteral("粤BD12345"));
    QCOMPARE(t.status, QStringLiteral("new"));
    QCOMPARE(t.origin, QStringLiteral("operator"));
    QCOMPARE(t.sessionIds, QList<qint64>{sid});
    QCOMPARE(v->syncState, TicketSyncState::Pending);
    QCOMPARE(m_desk->ticketForSession(sid)->ticket.id, r.id);
}

void TestTicketDesk::secondCreateOpensTheExistingTicket()
{
    const qint64 sid = addSession(QStringLiteral("ou_c2"), QStringLiteral("钱七"));
    const DeskResult first = m_desk->createFromSession(sid);
    QVERIFY(first.ok);
    const DeskResult second = m_desk->createFromSession(sid);
    QVERIFY(second.ok);
    QCOMPARE(second.id, first.id);
    QCOMPARE(m_store->count(), 1);
    // Once closed, the conversation can get a new one.
    QVERIFY(m_desk->setStatus(first.id, QStringLiteral("closed")).ok);
    const DeskResult third = m_desk->createFromSession(sid);
    QVERIFY(third.ok);
    QVERIFY(third.id != first.id);
    QCOMPARE(m_store->count(), 2);
    QCOMPARE(m_desk->ticketForSession(sid)->ticket.id, third.id);
}

void TestTicketDesk::unknownSessionIsRefused()
{
    const DeskResult r = m_desk->createFromSession(4242);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("4242")), qPrintable(r.error));
    QCOMPARE(m_store->count(), 0);
}

void TestTicketDesk::editsMakeTicketsPending()
{
    const qint64 sid = addSession(QStringLiteral("ou_c3"), QStringLiteral("孙八"));
    const qint64 id = m_desk->createFromSession(sid).id;
    TicketSyncInfo synced = m_store->syncInfo(id);
    synced.state = TicketSyncState::Synced;
    synced.base = TicketFields::values(*m_store->ticket(id));
    QVERIFY(m_store->setSyncInfo(synced));

    QVERIFY(m_desk->setAssignee(id, QStringLiteral(" 李四 ")).ok);
    QCOMPARE(m_desk->ticket(id)->ticket.assignee, QStringLiteral("李四"));
    QCOMPARE(m_desk->ticket(id)->syncState, TicketSyncState::Pending);
    QVERIFY(!m_desk->setStatus(id, QStringLiteral("done")).ok);
    QVERIFY(!m_desk->resolve(id, QStringLiteral("  ")).ok);
    QVERIFY(m_desk->resolve(id, QStringLiteral("重新激活 T-Box")).ok);
    QCOMPARE(m_desk->ticket(id)->ticket.status, QStringLiteral("resolved"));
    QVERIFY(m_desk->ticket(id)->ticket.updatedAt > 0);
}

void TestTicketDesk::filtersByStatusAssigneeCategory()
{
    Ticket a;
    a.title = QStringLiteral("A");
    a.category = QStringLiteral("远程控制");
    a.assignee = QStringLiteral("李四");
    Ticket b;
    b.title = QStringLiteral("B");
    b.category = QStringLiteral("车联网");
    b.status = QStringLiteral("in_progress");
    QVERIFY(m_store->create(a, QStringLiteral("t")));
    QVERIFY(m_store->create(b, QStringLiteral("t")));
    QCOMPARE(m_desk->tickets().size(), 2);
    QCOMPARE(m_desk->tickets({QStringLiteral("in_progress")}).size(), 1);
    QCOMPARE(m_desk->tickets({QStringLiteral("in_progress")}).first().ticket.title, QStringLiteral("B"));
    TicketFilter byAssignee;
    byAssignee.assignee = QStringLiteral("李四");
    QCOMPARE(m_desk->tickets(byAssignee).size(), 1);
    TicketFilter byCategory;
    byCategory.category = QStringLiteral("车联网");
    QCOMPARE(m_desk->tickets(byCategory).first().ticket.title, QStringLiteral("B"));
    TicketFilter bySync;
    bySync.syncState = QStringLiteral("synced");
    QCOMPARE(m_desk->tickets(bySync).size(), 0);
    QCOMPARE(m_desk->assignees(), QStringList{QStringLiteral("李四")});
    QCOMPARE(m_desk->categories(), (QStringList{QStringLiteral("车联网"), QStringLiteral("远程控制")}));
}

void TestTicketDesk::escalationMakesTicketOnlyWhenOn()
{
    const qint64 sid = addSession(QStringLiteral("ou_c4"), QStringLiteral("周九"));
    m_desk->onEscalated(sid, QStringLiteral("customer asked for a person"));
    QCOMPARE(m_store->count(), 0);
    m_desk->setAutoTicketOnEscalation(true);
    m_desk->onEscalated(sid, QStringLiteral("customer asked for a person"));
    m_desk->onEscalated(sid, QStringLiteral("again"));
    QCOMPARE(m_store->count(), 1);
    QCOMPARE(m_desk->ticketForSession(sid)->ticket.origin, QStringLiteral("escalation"));
}

void TestTicketDesk::resolvedTicketBecomesKnowledge()
{
    const qint64 sid = addSession(QStringLiteral("ou_c5"), QStringLiteral("吴十"));
    const qint64 id = m_desk->createFromSession(sid).id;
    Ticket t = m_desk->ticket(id)->ticket;
    t.title = QStringLiteral("数字钥匙无法添加");
    t.summary = QStringLiteral("添加数字钥匙时提示车辆不在线");
    t.category = QStringLiteral("数字钥匙");
    t.vehicleModel = QStringLiteral("云驰 E7");
    QVERIFY(m_desk->save(t).ok);
    QVERIFY(!m_desk->promoteToKnowledge(id, m_desk->knowledgeDraft(id)).ok); // not resolved yet
    QVERIFY(m_desk->resolve(id, QStringLiteral("唤醒车辆后在 APP 中重新添加")).ok);

    const qint64 before = m_db->kb->count();
    const KnowledgeEntry draft = m_desk->knowledgeDraft(id);
    QVERIFY(draft.id.isEmpty());
    QCOMPARE(draft.source, QStringLiteral("promoted"));
    QCOMPARE(draft.solution, QStringLiteral("唤醒车辆后在 APP 中重新添加"));
    QVERIFY(draft.symptoms.contains(QStringLiteral("添加数字钥匙时提示车辆不在线")));
    const DeskResult r = m_desk->promoteToKnowledge(id, draft);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(m_db->kb->count(), before + 1);
    const QString kid = m_desk->ticket(id)->ticket.knowledgeId;
    QVERIFY(!kid.isEmpty());
    const auto entry = m_db->kb->entry(kid);
    QVERIFY(entry);
    QCOMPARE(entry->title, QStringLiteral("数字钥匙无法添加"));
    QCOMPARE(entry->source, QStringLiteral("promoted"));
    QCOMPARE(entry->vehicleModels, QStringList{QStringLiteral("云驰 E7")});
    QVERIFY(entry->tags.contains(m_desk->ticket(id)->ticket.number));
}

void TestTicketDesk::promotionUpdatesTheEntryItCameFrom()
{
    QString error;
    QVERIFY2(m_db->kb->ensureSeeded(&error), qPrintable(error));
    const KnowledgeEntry original = m_db->kb->entries(1).first();
    Ticket t;
    t.title = QStringLiteral("来自表格");
    t.origin = QStringLiteral("bitable");
    t.knowledgeId = original.id;
    t.status = QStringLiteral("resolved");
    t.resolution = QStringLiteral("新的处理办法");
    const auto made = m_store->create(t, QStringLiteral("t"));
    QVERIFY(made);
    const qint64 before = m_db->kb->count();
    const KnowledgeEntry draft = m_desk->knowledgeDraft(made->id);
    QCOMPARE(draft.id, original.id);
    QCOMPARE(draft.source, QStringLiteral("bitable"));
    QVERIFY(m_desk->promoteToKnowledge(made->id, draft).ok);
    QCOMPARE(m_db->kb->count(), before);
    QCOMPARE(m_db->kb->entry(original.id)->solution, QStringLiteral("新的处理办法"));
    QCOMPARE(m_db->kb->entry(original.id)->source, QStringLiteral("bitable"));
    QCOMPARE(m_db->kb->versions(original.id).size(), 2);
}

void TestTicketDesk::syncWithoutConfigurationSaysSo()
{
    QVERIFY(!m_desk->isSyncConfigured());
    const DeskResult r = m_desk->syncNow();
    QVERIFY(!r.ok);
    QVERIFY(r.error.contains(QStringLiteral("BITABLE_APP_TOKEN")));
}

QTEST_GUILESS_MAIN(TestTicketDesk)
#include "tst_ticketdesk.moc"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "chat/sessionmanager.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace {

Database::Location sqliteAt(const QString &path)
{
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = path;
    return loc;
}

constexpr qint64 kMinute = 60LL * 1000;

Turn makeTurn(qint64 sessionId, TurnRole role, const QString &text)
{
    Turn t;
    t.sessionId = sessionId;
    t.role = role;
    t.content = text;
    return t;
}

QStringList texts(const QList<Turn> &turns)
{
    QStringList out;
    for (const Turn &t : turns)
        out << t.content;
    return out;
}

} // namespace

class TestSessionManager final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void keys();
    void isolationAcrossUsersAndGroups();
    void turnsKeepRoleRefsAndIds();
    void historyWindowInTurns();
    void historyWindowInChars();
    void historyWindowForATurnWithoutSystemNotes();
    void idleExpiryStartsNewSession();
    void expireIdleEndsQuietSessions();
    void persistsAcrossReopen();
    void idleWhileClosedStartsNewSessionAfterReopen();
    void modesAndGlobalDefault();
    void needsOperatorFlag();
    void signalsOnlyAfterCommit();
    void listColumnsFollowEveryTurn();
    void vehicleAndNewSessionOverride();
    void turnsBeforePagesNewestFirst();

private:
    void reopen();
    SessionManager::Opened open(const QString &chatType, const QString &chatId, const QString &openId);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SessionManager> m_mgr;
    qint64 m_now = 1'700'000'000'000;
    int m_generation = 0;
};

void TestSessionManager::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    reopen();
}

void TestSessionManager::cleanup()
{
    m_mgr.reset();
    m_db.reset();
    m_dir.reset();
}

void TestSessionManager::reopen()
{
    m_mgr.reset();
    m_db.reset();
    m_db = std::make_unique<Database>(QStringLiteral("sessions-%1").arg(++m_generation));
    QVERIFY2(m_db->open(sqliteAt(m_dir->filePath(QStringLiteral("s.db")))), qPrintable(m_db->errorString()));
    m_mgr = std::make_unique<SessionManager>(m_db.get());
    m_mgr->setClock([this] { return m_now; });
}

SessionManager::Opened TestSessionManager::open(const QString &chatType, const QString &chatId,
                                                const QString &openId)
{
    return m_mgr->openSession(SessionManager::sessionKey(chatType, chatId, openId), chatId, chatType, openId);
}

void TestSessionManager::keys()
{
    QCOMPARE(
        SessionManager::sessionKey(QStringLiteral("group"), QStringLiteral("oc_g1"), QStringLiteral("ou_a")),
        QStringLiteral("feishu_oc_g1_ou_a"));
    QCOMPARE(SessionManager::sessionKey(QStringLiteral("topic_group"), QStringLiteral("oc_g1"),
                                        QStringLiteral("ou_a")),
             QStringLiteral("feishu_oc_g1_ou_a"));
    // A direct chat has its own key, independent of the chat id.
    QCOMPARE(
        SessionManager::sessionKey(QStringLiteral("p2p"), QStringLiteral("oc_p"), QStringLiteral("ou_a")),
        QStringLiteral("feishu_p2p_ou_a"));
}

void TestSessionManager::isolationAcrossUsersAndGroups()
{
    const auto aG1 = open(QStringLiteral("group"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"));
    const auto bG1 = open(QStringLiteral("group"), QStringLiteral("oc_g1"), QStringLiteral("ou_b"));
    const auto aG2 = open(QStringLiteral("group"), QStringLiteral("oc_g2"), QStringLiteral("ou_a"));
    const auto aP2p = open(QStringLiteral("p2p"), QStringLiteral("oc_dm"), QStringLiteral("ou_a"));
    for (const auto &o : {aG1, bG1, aG2, aP2p}) {
        QVERIFY(o.ok);
        QVERIFY(o.created);
    }
    const QSet<qint64> ids{aG1.session.id, bG1.session.id, aG2.session.id, aP2p.session.id};
    QCOMPARE(ids.size(), 4);
    QVERIFY(m_mgr->addTurn(
        makeTurn(aG1.session.id, TurnRole::Customer, QStringLiteral("A in group 1: 车机没网"))));
    QVERIFY(m_mgr->addTurn(
        makeTurn(bG1.session.id, TurnRole::Customer, QStringLiteral("B in group 1: 远程解锁失败"))));
    QVERIFY(m_mgr->addTurn(
        makeTurn(aG2.session.id, TurnRole::Customer, QStringLiteral("A in group 2: 数字钥匙"))));
    QVERIFY(m_mgr->addTurn(makeTurn(aP2p.session.id, TurnRole::Customer, QStringLiteral("A direct: T-Box"))));

    QCOMPARE(texts(m_mgr->historyWindow(aG1.session.id)),
             QStringList{QStringLiteral("A in group 1: 车机没网")});
    QCOMPARE(texts(m_mgr->historyWindow(bG1.session.id)),
             QStringList{QStringLiteral("B in group 1: 远程解锁失败")});
    QCOMPARE(texts(m_mgr->historyWindow(aG2.session.id)),
             QStringList{QStringLiteral("A in group 2: 数字钥匙")});
    QCOMPARE(texts(m_mgr->historyWindow(aP2p.session.id)), QStringList{QStringLiteral("A direct: T-Box")});

    // The same person again in group 1 continues the same session.
    const auto again = open(QStringLiteral("group"), QStringLiteral("oc_g1"), QStringLiteral("ou_a"));
    QVERIFY(!again.created);
    QCOMPARE(again.session.id, aG1.session.id);
    QCOMPARE(m_mgr->sessions().size(), 4);
}

void TestSessionManager::turnsKeepRoleRefsAndIds()
{
    const auto s = open(QStringLiteral("p2p"), QStringLiteral("oc_1"), QStringLiteral("ou_1"));
    Turn c = makeTurn(s.session.id, TurnRole::Customer, QStringLiteral("车机没网"));
    c.feishuMessageId = QStringLiteral("om_in");
    c.rawContent = QStringLiteral("{\"text\":\"车机没网\"}");
    const qint64 cId = m_mgr->addTurn(c);
    Turn b = makeTurn(s.session.id, TurnRole::Bot, QStringLiteral("请重启车机"));
    b.refs = {KnowledgeRef{QStringLiteral("KB-0001"), 2.5}, KnowledgeRef{QStringLiteral("KB-0042"), 1.25}};
    b.meta = QJsonObject{{QStringLiteral("source"), QStringLiteral("knowledge")}};
    const qint64 bId = m_mgr->addTurn(b);
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Operator, QStringLiteral("我来跟进"))));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::System, QStringLiteral("note"))));

    const auto all = m_mgr->turns(s.session.id);
    QCOMPARE(all.size(), 4);
    QCOMPARE(all.at(0).id, cId);
    QCOMPARE(all.at(0).role, TurnRole::Customer);
    QCOMPARE(all.at(0).feishuMessageId, QStringLiteral("om_in"));
    QCOMPARE(all.at(0).rawContent, c.rawContent);
    QCOMPARE(all.at(1).id, bId);
    QCOMPARE(all.at(1).role, TurnRole::Bot);
    QCOMPARE(all.at(1).refs.size(), 2);
    QCOMPARE(all.at(1).refs.at(1).id, QStringLiteral("KB-0042"));
    QCOMPARE(all.at(1).refs.at(1).score, 1.25);
    QCOMPARE(all.at(1).meta.value(QStringLiteral("source")).toString(), QStringLiteral("knowledge"));
    QCOMPARE(all.at(2).role, TurnRole::Operator);
    QCOMPARE(all.at(3).role, TurnRole::System);
    QCOMPARE(m_mgr->lastCustomerTurn(s.session.id)->id, cId);
    QCOMPARE(m_mgr->turn(bId)->content, QStringLiteral("请重启车机"));
}

void TestSessionManager::historyWindowInTurns()
{
    QCOMPARE(m_mgr->historyTurns(), 10);
    QCOMPARE(m_mgr->historyChars(), 4000);
    const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_1"));
    for (int i = 1; i <= 15; ++i)
        QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, i % 2 ? TurnRole::Customer : TurnRole::Bot,
                                        QStringLiteral("t%1").arg(i))));
    const auto window = m_mgr->historyWindow(s.session.id);
    QCOMPARE(window.size(), 10);
    QCOMPARE(window.first().content, QStringLiteral("t6")); // newest 10 kept, oldest first
    QCOMPARE(window.last().content, QStringLiteral("t15"));
    const auto conv = SessionManager::toConversation(window);
    QCOMPARE(conv.size(), 10);
    QCOMPARE(conv.first().role, ConversationTurn::Role::Bot); // t6 is a bot turn
    QCOMPARE(conv.last().role, ConversationTurn::Role::Customer);
}

void TestSessionManager::historyWindowInChars()
{
    m_mgr->setHistoryLimits(10, 50);
    const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_1"));
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QString(20, QChar(u'a' + i)))));
    // 50 characters hold two 20-character turns; the newest are kept.
    QCOMPARE(texts(m_mgr->historyWindow(s.session.id)), (QStringList{QString(20, u'd'), QString(20, u'e')}));

    // A newest turn longer than the whole budget is cut to its last 50 characters.
    const QString longText = QString(30, u'x') + QString(50, u'y');
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Bot, longText)));
    const auto w = m_mgr->historyWindow(s.session.id);
    QCOMPARE(w.size(), 1);
    QCOMPARE(w.first().content, QString(50, u'y'));
}

void TestSessionManager::historyWindowForATurnWithoutSystemNotes()
{
    const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_1"));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QStringLiteral("q1"))));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::System, QStringLiteral("note"))));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Bot, QStringLiteral("a1"))));
    const qint64 q2 = m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QStringLiteral("q2")));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QStringLiteral("q3"))));
    QCOMPARE(texts(m_mgr->historyWindow(s.session.id, q2)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1")}));
    QCOMPARE(texts(m_mgr->historyWindow(s.session.id)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1"), QStringLiteral("q2"),
                          QStringLiteral("q3")}));
    // q2's answer is stored after q3 arrived: answering q3 sees it, but not q3 itself.
    const qint64 q3 = m_mgr->turns(s.session.id).last().id;
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Bot, QStringLiteral("a2"))));
    QCOMPARE(texts(m_mgr->historyWindow(s.session.id, q3)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1"), QStringLiteral("q2"),
                          QStringLiteral("a2")}));
    QCOMPARE(texts(m_mgr->historyWindow(s.session.id, q2)),
             (QStringList{QStringLiteral("q1"), QStringLiteral("a1"), QStringLiteral("a2")}));
}

void TestSessionManager::idleExpiryStartsNewSession()
{
    QCOMPARE(m_mgr->idleTimeoutMs(), 30 * kMinute);
    const auto first = open(QStringLiteral("group"), QStringLiteral("oc_g"), QStringLiteral("ou_a"));
    QVERIFY(first.created);
    QVERIFY(m_mgr->addTurn(makeTurn(first.session.id, TurnRole::Customer, QStringLiteral("hello"))));
    m_now += 29 * kMinute;
    const auto second = open(QStringLiteral("group"), QStringLiteral("oc_g"), QStringLiteral("ou_a"));
    QVERIFY(!second.created);
    QCOMPARE(second.session.id, first.session.id);
    QVERIFY(m_mgr->addTurn(makeTurn(first.session.id, TurnRole::Customer, QStringLiteral("still there"))));
    m_now += 29 * kMinute; // 58 minutes after the start, 29 after the last message: still the same
    QVERIFY(m_mgr->activeSession(first.session.key).has_value());
    m_now += 2 * kMinute;
    QVERIFY(!m_mgr->activeSession(first.session.key).has_value());
    QSignalSpy created(m_mgr.get(), &SessionManager::sessionCreated);
    const auto third = open(QStringLiteral("group"), QStringLiteral("oc_g"), QStringLiteral("ou_a"));
    QVERIFY(third.ok);
    QVERIFY(third.created);
    QVERIFY(third.session.id != first.session.id);
    QCOMPARE(created.size(), 1);
    QCOMPARE(created.first().first().toLongLong(), third.session.id);
    const auto old = m_mgr->session(first.session.id);
    QVERIFY(!old->active);
    QCOMPARE(old->endedAt, m_now);
    // The new session starts with an empty history.
    QVERIFY(m_mgr->historyWindow(third.session.id).isEmpty());

    m_mgr->setIdleTimeoutMs(5 * kMinute);
    m_now += 6 * kMinute;
    QVERIFY(open(QStringLiteral("group"), QStringLiteral("oc_g"), QStringLiteral("ou_a")).created);
}

void TestSessionManager::expireIdleEndsQuietSessions()
{
    const auto a = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    m_now += 20 * kMinute;
    const auto b = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_b"));
    m_now += 15 * kMinute;
    QSignalSpy updated(m_mgr.get(), &SessionManager::sessionUpdated);
    QCOMPARE(m_mgr->expireIdle(), 1);
    QCOMPARE(updated.size(), 1);
    QVERIFY(!m_mgr->session(a.session.id)->active);
    QVERIFY(m_mgr->session(b.session.id)->active);
    QCOMPARE(m_mgr->sessions(true).size(), 1);
    QCOMPARE(m_mgr->sessions(false).size(), 2);
}

void TestSessionManager::persistsAcrossReopen()
{
    m_mgr->setHistoryLimits(10, 4000);
    const auto s = open(QStringLiteral("group"), QStringLiteral("oc_g"), QStringLiteral("ou_a"));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QStringLiteral("车机没网"))));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Bot, QStringLiteral("请检查流量"))));
    QVERIFY(m_mgr->setMode(s.session.id, SessionMode::Review));
    reopen();
    m_now += 10 * kMinute;
    const auto again = open(QStringLiteral("group"), QStringLiteral("oc_g"), QStringLiteral("ou_a"));
    QVERIFY(again.ok);
    QVERIFY(!again.created);
    QCOMPARE(again.session.id, s.session.id);
    QCOMPARE(again.session.mode, SessionMode::Review);
    QCOMPARE(texts(m_mgr->historyWindow(again.session.id)),
             (QStringList{QStringLiteral("车机没网"), QStringLiteral("请检查流量")}));
}

void TestSessionManager::idleWhileClosedStartsNewSessionAfterReopen()
{
    const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QStringLiteral("hi"))));
    reopen();
    m_now += 31 * kMinute;
    const auto again = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    QVERIFY(again.created);
    QVERIFY(again.session.id != s.session.id);
}

void TestSessionManager::modesAndGlobalDefault()
{
    QCOMPARE(m_mgr->defaultMode(), SessionMode::Auto);
    const auto a = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    QCOMPARE(a.session.mode, SessionMode::Auto);
    QVERIFY(m_mgr->setDefaultMode(SessionMode::Review));
    const auto b = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_b"));
    QCOMPARE(b.session.mode, SessionMode::Review);
    // Existing sessions keep their mode.
    QCOMPARE(m_mgr->session(a.session.id)->mode, SessionMode::Auto);
    QSignalSpy updated(m_mgr.get(), &SessionManager::sessionUpdated);
    QVERIFY(m_mgr->setMode(a.session.id, SessionMode::Manual));
    QCOMPARE(updated.size(), 1);
    QCOMPARE(m_mgr->session(a.session.id)->mode, SessionMode::Manual);
    QVERIFY(!m_mgr->setMode(9999, SessionMode::Manual));
    // The default is stored in the database.
    reopen();
    QCOMPARE(m_mgr->defaultMode(), SessionMode::Review);
    QVERIFY(m_mgr->setDefaultMode(SessionMode::Manual));
    QCOMPARE(open(QStringLiteral("p2p"), {}, QStringLiteral("ou_c")).session.mode, SessionMode::Manual);

    QCOMPARE(parseSessionMode(QStringLiteral(" Review ")), SessionMode::Review);
    QVERIFY(!parseSessionMode(QStringLiteral("automatic")).has_value());
    QCOMPARE(sessionModeName(SessionMode::Manual), QStringLiteral("manual"));
}

void TestSessionManager::needsOperatorFlag()
{
    const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    QVERIFY(!s.session.needsOperator);
    QVERIFY(m_mgr->setNeedsOperator(s.session.id, true));
    QVERIFY(m_mgr->session(s.session.id)->needsOperator);
    QVERIFY(m_mgr->setNeedsOperator(s.session.id, false));
    QVERIFY(!m_mgr->session(s.session.id)->needsOperator);
}

void TestSessionManager::signalsOnlyAfterCommit()
{
    QSignalSpy created(m_mgr.get(), &SessionManager::sessionCreated);
    QSignalSpy added(m_mgr.get(), &SessionManager::messageAdded);
    qint64 sessionId = 0;
    {
        Transaction tx(m_db->db());
        const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
        sessionId = s.session.id;
        QVERIFY(m_mgr->addTurn(makeTurn(sessionId, TurnRole::Customer, QStringLiteral("hi"))));
        QCOMPARE(created.size(), 0);
        QCOMPARE(added.size(), 0);
        QVERIFY(tx.commit());
    }
    QCOMPARE(created.size(), 1);
    QCOMPARE(added.size(), 1);
    QCOMPARE(added.first().at(0).toLongLong(), sessionId);
    {
        Transaction tx(m_db->db());
        QVERIFY(open(QStringLiteral("p2p"), {}, QStringLiteral("ou_b")).created);
        tx.rollback();
    }
    QCOMPARE(created.size(), 1); // rolled back: nothing announced, nothing stored
    QCOMPARE(m_mgr->sessions().size(), 1);
}

void TestSessionManager::listColumnsFollowEveryTurn()
{
    // The console's list reads preview, unread and waiting-since from `sessions` alone.
    const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    auto column = [this, &s](const char *name) {
        QSqlQuery q(m_db->db());
        q.exec(QStringLiteral("SELECT %1 FROM sessions WHERE id = %2")
                   .arg(QLatin1String(name))
                   .arg(s.session.id));
        return q.next() ? q.value(0) : QVariant();
    };
    const qint64 first = m_now;
    QVERIFY(
        m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QStringLiteral("车机没网\n导航也不行"))));
    QCOMPARE(column("unread").toInt(), 1);
    QCOMPARE(column("waiting_since").toLongLong(), first);
    QCOMPARE(column("last_preview").toString(), QStringLiteral("车机没网 导航也不行")); // one line
    m_now += 1000;
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QString(500, QLatin1Char('x')))));
    QCOMPARE(column("unread").toInt(), 2);
    QCOMPARE(column("waiting_since").toLongLong(), first); // the oldest unanswered one
    QCOMPARE(column("last_preview").toString().size(), 200);
    // A hand-off is no answer: the customer still waits for a person.
    Turn handoff = makeTurn(s.session.id, TurnRole::Bot, QStringLiteral("已为您转接人工"));
    handoff.meta.insert(QStringLiteral("source"), QStringLiteral("handoff"));
    QVERIFY(m_mgr->addTurn(handoff));
    QCOMPARE(column("waiting_since").toLongLong(), first);
    QCOMPARE(column("last_role").toString(), QStringLiteral("bot"));
    QVERIFY(m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Operator, QStringLiteral("您好"))));
    QCOMPARE(column("waiting_since").toLongLong(), 0);
    QCOMPARE(column("unread").toInt(), 2);
    QSignalSpy updated(m_mgr.get(), &SessionManager::sessionUpdated);
    QVERIFY(m_mgr->markRead(s.session.id));
    QCOMPARE(column("unread").toInt(), 0);
    QCOMPARE(updated.size(), 1);
    QVERIFY(m_mgr->markRead(s.session.id)); // nothing to do: no signal
    QCOMPARE(updated.size(), 1);
}

void TestSessionManager::vehicleAndNewSessionOverride()
{
    const auto a = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    QSignalSpy updated(m_mgr.get(), &SessionManager::sessionUpdated);
    QVERIFY(m_mgr->setVehicle(a.session.id, QStringLiteral("LFV2A21K6E4123456"), QStringLiteral("粤B12345")));
    QCOMPARE(updated.size(), 1);
    QVERIFY(m_mgr->setVehicle(a.session.id, QStringLiteral("LFV2A21K6E4123456"), QStringLiteral("粤B12345")));
    QCOMPARE(updated.size(), 1); // unchanged: no signal
    m_mgr->setNewSessionOverride(SessionMode::Manual);
    QCOMPARE(open(QStringLiteral("p2p"), {}, QStringLiteral("ou_b")).session.mode, SessionMode::Manual);
    m_mgr->setNewSessionOverride(std::nullopt);
    QCOMPARE(open(QStringLiteral("p2p"), {}, QStringLiteral("ou_c")).session.mode, SessionMode::Auto);
}

void TestSessionManager::turnsBeforePagesNewestFirst()
{
    const auto s = open(QStringLiteral("p2p"), {}, QStringLiteral("ou_a"));
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids << m_mgr->addTurn(makeTurn(s.session.id, TurnRole::Customer, QString::number(i)));
    const QList<Turn> newest = m_mgr->turnsBefore(s.session.id, 0, 2);
    QCOMPARE(newest.size(), 2);
    QCOMPARE(newest.at(0).id, ids.at(4));
    QCOMPARE(newest.at(1).id, ids.at(3));
    const QList<Turn> older = m_mgr->turnsBefore(s.session.id, ids.at(3), 10);
    QCOMPARE(older.size(), 3);
    QCOMPARE(older.last().id, ids.at(0));
}

QTEST_GUILESS_MAIN(TestSessionManager)
#include "tst_sessionmanager.moc"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "chat/outbox.h"
#include "chat/sessionmanager.h"
#include "fakereplytransport.h"
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

QString paragraphs(int count, int length)
{
    QStringList ps;
    for (int i = 0; i < count; ++i)
        ps << QStringLiteral("第%1段：").arg(i) + QString(length, QChar(u'车'));
    return ps.join(QStringLiteral("\n\n"));
}

QString withoutSpace(QString s)
{
    s.remove(QRegularExpression(QStringLiteral("\\s")));
    return s;
}

} // namespace

class TestOutbox final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void splitShortTextIsOnePart();
    void splitOnParagraphs();
    void splitOnSentences();
    void splitWithoutBoundariesKeepsSurrogatePairs();
    void fiftyThousandCharactersGoOutWithinTheApiLimits();
    void stableUuid();

    void deliversPartsInOrderOneAtATime();
    void sessionsDoNotWaitForEachOther();
    void sameDecisionIsQueuedOnce();
    void sendsOnlyAfterCommit();
    void rollbackQueuesNothing();
    void retriesTransientFailureUnderSameUuid();
    void honoursRetryAfter();
    void permanentFailureStops();
    void givesUpAfterMaxAttempts();
    void operatorRetryOfFailedRow();
    void silentTransportTimesOutAndRetries();
    void resumesAfterCrashWithSameUuid();
    void resumeAfterCrashWhenFeishuHadItAlready();
    void backoffSurvivesRestart();
    void sendMessageKind();
    void emptyTextIsRefused();

private:
    void openAll(const QString &name);
    void crash();
    qint64 newSession(const QString &openId);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<FakeReplyTransport> m_feishu; // survives "crashes", like the real server
    qint64 m_now = 1'700'000'000'000;
    int m_generation = 0;
};

void TestOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_feishu = std::make_unique<FakeReplyTransport>();
    openAll(QStringLiteral("outbox"));
}

void TestOutbox::cleanup()
{
    crash();
    m_feishu.reset();
    m_dir.reset();
}

void TestOutbox::openAll(const QString &name)
{
    m_db = std::make_unique<Database>(name + QString::number(++m_generation));
    QVERIFY2(m_db->open(sqliteAt(m_dir->filePath(QStringLiteral("o.db")))), qPrintable(m_db->errorString()));
    m_sessions = std::make_unique<SessionManager>(m_db.get());
    m_outbox = std::make_unique<Outbox>(m_db.get(), m_feishu.get());
    m_outbox->setBackoffMs({5});
}

void TestOutbox::crash()
{
    m_outbox.reset();
    m_sessions.reset();
    m_db.reset();
}

qint64 TestOutbox::newSession(const QString &openId)
{
    const auto o = m_sessions->openSession(SessionManager::sessionKey(QStringLiteral("p2p"), {}, openId),
                                           QStringLiteral("oc_x"), QStringLiteral("p2p"), openId);
    return o.session.id;
}

void TestOutbox::splitShortTextIsOnePart()
{
    QCOMPARE(Outbox::splitText(QStringLiteral("  请重启车机。 \n")),
             QStringList{QStringLiteral("请重启车机。")});
    QVERIFY(Outbox::splitText(QStringLiteral(" \n ")).isEmpty());
    const QString exact(4000, u'a');
    QCOMPARE(Outbox::splitText(exact), QStringList{exact});
}

void TestOutbox::splitOnParagraphs()
{
    const QString text = paragraphs(12, 900); // about 11 000 characters
    const QStringList parts = Outbox::splitText(text, 4000);
    QVERIFY(parts.size() >= 3);
    for (const QString &p : parts) {
        QVERIFY(p.size() <= 4000);
        QVERIFY(p.toUtf8().size() <= 150 * 1024);
        // Each part is made of whole paragraphs.
        QVERIFY2(p.startsWith(QStringLiteral("第")), qPrintable(p.left(10)));
        QVERIFY(p.endsWith(QChar(u'车')));
    }
    QCOMPARE(withoutSpace(parts.join(QString())), withoutSpace(text));
}

void TestOutbox::splitOnSentences()
{
    QString text;
    for (int i = 0; i < 300; ++i)
        text += QStringLiteral("请检查T-Box是否在线，然后重启车机%1。").arg(i);
    const QStringList parts = Outbox::splitText(text, 1000);
    QVERIFY(parts.size() > 1);
    for (const QString &p : parts) {
        QVERIFY(p.size() <= 1000);
        QVERIFY2(p.endsWith(QChar(u'。')), qPrintable(p.right(10)));
    }
    QCOMPARE(parts.join(QString()), text);

    // "1.5" is not a sentence end; ". " is.
    const QString en = QString(60, u'x') + QStringLiteral(" version 1.5 is fine. ") + QString(60, u'y');
    const QStringList enParts = Outbox::splitText(en, 100);
    QCOMPARE(enParts.first(), QString(60, u'x') + QStringLiteral(" version 1.5 is fine."));
}

void TestOutbox::splitWithoutBoundariesKeepsSurrogatePairs()
{
    const QString plain(10000, u'a');
    const QStringList parts = Outbox::splitText(plain, 4000);
    QCOMPARE(parts.size(), 3);
    QCOMPARE(parts.join(QString()), plain);

    QString emoji;
    for (int i = 0; i < 300; ++i)
        emoji += QString::fromUtf8("\xF0\x9F\x9A\x97"); // 🚗, two UTF-16 units
    const QStringList eparts = Outbox::splitText(QLatin1Char('a') + emoji, 101);
    QVERIFY(eparts.size() > 1);
    for (const QString &p : eparts) {
        QVERIFY(p.size() <= 101);
        QVERIFY(!p.front().isLowSurrogate());
        QVERIFY(!p.back().isHighSurrogate());
    }
    QCOMPARE(eparts.join(QString()), QLatin1Char('a') + emoji);
}

void TestOutbox::fiftyThousandCharactersGoOutWithinTheApiLimits()
{
    // Issue 5, bad input: a 50,000-character answer (Chinese sentences, an emoji now and then,
    // and one 6,000-character run without any boundary) is split into replies that each fit
    // Feishu's text limits, delivered in order under stable uuids, and nothing is lost.
    QString text;
    for (int i = 0; text.size() < 44000; ++i) {
        text += QStringLiteral("第%1步：请检查T-Box是否在线，然后重启车机。").arg(i);
        if (i % 40 == 39)
            text += QString::fromUtf8("\xF0\x9F\x9A\x97\n\n");
    }
    text += QString(50000 - text.size(), u'x');
    QCOMPARE(text.size(), 50000);

    const qint64 s = newSession(QStringLiteral("ou_a"));
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_long"), text);
    QVERIFY(ids.size() >= 50000 / Outbox::DefaultMaxPartChars);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), ids.size(), 20000);
    QCOMPARE(m_feishu->calls().size(), ids.size());
    QString joined;
    for (int i = 0; i < ids.size(); ++i) {
        const auto &call = m_feishu->calls().at(i);
        QCOMPARE(call.uuid, Outbox::stableUuid(QStringLiteral("answer:om_long"), i));
        QVERIFY(call.uuid.size() <= Outbox::MaxUuidLength);
        const QString part = call.text();
        QVERIFY(!part.isEmpty());
        QVERIFY(part.size() <= Outbox::DefaultMaxPartChars);
        QVERIFY(call.content.toUtf8().size() <= 150 * 1024); // Feishu: text content <= 150 KB
        QVERIFY(!part.front().isLowSurrogate() && !part.back().isHighSurrogate());
        joined += part;
    }
    QCOMPARE(withoutSpace(joined), withoutSpace(text));
    QCOMPARE(m_outbox->stats().sent, ids.size());
}

void TestOutbox::stableUuid()
{
    const QString scope = QStringLiteral("answer:om_5ce6d572455d361153b7cb51da133945");
    const QString u0 = Outbox::stableUuid(scope, 0);
    QCOMPARE(u0, Outbox::stableUuid(scope, 0));
    QVERIFY(u0.size() <= Outbox::MaxUuidLength);
    QVERIFY(u0 != Outbox::stableUuid(scope, 1));
    QVERIFY(u0 != Outbox::stableUuid(QStringLiteral("operator:7:om_5ce6d572455d361153b7cb51da133945"), 0));
    QVERIFY(!u0.contains(QStringLiteral("om_"))); // an opaque digest
}

void TestOutbox::deliversPartsInOrderOneAtATime()
{
    m_feishu->setMode(FakeReplyTransport::Mode::Hold);
    m_outbox->setMaxPartChars(1000);
    const qint64 s = newSession(QStringLiteral("ou_a"));
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    const QString text = paragraphs(3, 900);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), text);
    QCOMPARE(ids.size(), 3);
    QTRY_COMPARE(m_feishu->calls().size(), 1);
    QTest::qWait(20);
    QCOMPARE(m_feishu->calls().size(), 1); // part 2 waits for part 1
    QVERIFY(m_outbox->isInFlight(ids.at(0)));
    for (int i = 0; i < 3; ++i) {
        QTRY_COMPARE(m_feishu->heldCount(), 1);
        QVERIFY(m_feishu->releaseNext());
        QTRY_COMPARE(delivered.size(), i + 1);
    }
    QCOMPARE(m_feishu->calls().size(), 3);
    for (int i = 0; i < 3; ++i) {
        const auto &call = m_feishu->calls().at(i);
        QCOMPARE(call.kind, QStringLiteral("reply"));
        QCOMPARE(call.target, QStringLiteral("om_in"));
        QCOMPARE(call.msgType, QStringLiteral("text"));
        QCOMPARE(call.uuid, Outbox::stableUuid(QStringLiteral("answer:om_in"), i));
        QVERIFY(call.text().startsWith(QStringLiteral("第%1段").arg(i)));
        QCOMPARE(delivered.at(i).at(0).toLongLong(), ids.at(i));
        const auto item = m_outbox->item(ids.at(i));
        QCOMPARE(item->state, Outbox::State::Sent);
        QCOMPARE(item->partIndex, i);
        QCOMPARE(item->partCount, 3);
        QCOMPARE(item->sentMessageId, delivered.at(i).at(1).toString());
        QCOMPARE(item->attempts, 1);
    }
    QCOMPARE(m_outbox->stats().sent, 3);
    QCOMPARE(m_outbox->stats().pending, 0);
}

void TestOutbox::sessionsDoNotWaitForEachOther()
{
    m_feishu->setMode(FakeReplyTransport::Mode::Hold);
    const qint64 a = newSession(QStringLiteral("ou_a"));
    const qint64 b = newSession(QStringLiteral("ou_b"));
    m_outbox->enqueueReply(a, QStringLiteral("om_a1"), QStringLiteral("to A"));
    m_outbox->enqueueReply(a, QStringLiteral("om_a2"), QStringLiteral("to A again"));
    m_outbox->enqueueReply(b, QStringLiteral("om_b1"), QStringLiteral("to B"));
    QTRY_COMPARE(m_feishu->calls().size(), 2);
    QCOMPARE(m_feishu->calls().at(0).target, QStringLiteral("om_a1"));
    QCOMPARE(m_feishu->calls().at(1).target, QStringLiteral("om_b1"));
    QCOMPARE(m_outbox->stats().inFlight, 2);
    m_feishu->releaseAll();
    QTRY_COMPARE(m_feishu->calls().size(), 3);
    QCOMPARE(m_feishu->calls().at(2).target, QStringLiteral("om_a2"));
    m_feishu->releaseAll();
    QTRY_COMPARE(m_outbox->stats().sent, 3);
}

void TestOutbox::sameDecisionIsQueuedOnce()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_feishu->setMode(FakeReplyTransport::Mode::Hold);
    const auto first = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    const auto again = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QCOMPARE(again, first);
    // A different purpose (an operator's own reply) is a different message.
    const auto op = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("人工答复"),
                                           QStringLiteral("operator:9"));
    QVERIFY(op != first);
    QCOMPARE(m_outbox->items(s).size(), 2);
}

void TestOutbox::sendsOnlyAfterCommit()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    QSignalSpy enqueued(m_outbox.get(), &Outbox::enqueued);
    {
        Transaction tx(m_db->db());
        QCOMPARE(m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复")).size(), 1);
        QTest::qWait(20);
        QCOMPARE(m_feishu->calls().size(), 0);
        QCOMPARE(enqueued.size(), 0);
        QVERIFY(tx.commit());
    }
    QCOMPARE(enqueued.size(), 1);
    QTRY_COMPARE(m_feishu->deliveredCount(), 1);
}

void TestOutbox::rollbackQueuesNothing()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    {
        Transaction tx(m_db->db());
        QCOMPARE(m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复")).size(), 1);
        tx.rollback();
    }
    QTest::qWait(20);
    QCOMPARE(m_feishu->calls().size(), 0);
    QVERIFY(m_outbox->items(s).isEmpty());
    QCOMPARE(m_outbox->resumePending(), 0);
}

void TestOutbox::retriesTransientFailureUnderSameUuid()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_feishu->queueResult(FakeReplyTransport::transientError());
    m_feishu->queueResult(FakeReplyTransport::transientError());
    QSignalSpy retries(m_outbox.get(), &Outbox::retryScheduled);
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_COMPARE(delivered.size(), 1);
    QCOMPARE(retries.size(), 2);
    QCOMPARE(retries.at(0).at(1).toInt(), 2); // attempt number of the retry
    QCOMPARE(m_feishu->calls().size(), 3);
    QCOMPARE(m_feishu->calls().at(0).uuid, m_feishu->calls().at(2).uuid);
    QCOMPARE(m_feishu->deliveredCount(), 1);
    const auto item = m_outbox->item(ids.first());
    QCOMPARE(item->attempts, 3);
    QCOMPARE(item->state, Outbox::State::Sent);
    QVERIFY(item->lastError.isEmpty());
    QCOMPARE(m_outbox->stats().retries, 2);
}

void TestOutbox::honoursRetryAfter()
{
    m_outbox->setClock([this] { return m_now; });
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_feishu->queueResult(FakeReplyTransport::transientError(150));
    QSignalSpy retries(m_outbox.get(), &Outbox::retryScheduled);
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_COMPARE(retries.size(), 1);
    QCOMPARE(retries.first().at(2).toLongLong(), 150); // more than the 5 ms back-off
    const auto item = m_outbox->item(ids.first());
    QCOMPARE(item->nextAttemptAt, m_now + 150);
    QVERIFY(item->lastError.contains(QStringLiteral("99991400")));
    m_now += 150;
    QTRY_COMPARE(delivered.size(), 1);
}

void TestOutbox::permanentFailureStops()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_feishu->queueResult(
        FakeReplyTransport::permanentError(230002, QStringLiteral("Bot is not in the chat")));
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).toLongLong(), ids.first());
    QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("230002")));
    const auto item = m_outbox->item(ids.first());
    QCOMPARE(item->state, Outbox::State::Failed);
    QVERIFY(item->lastError.contains(QStringLiteral("Bot is not in the chat")));
    QTest::qWait(30);
    QCOMPARE(m_feishu->calls().size(), 1);
    QCOMPARE(m_outbox->stats().failed, 1);
    QCOMPARE(m_outbox->resumePending(), 0);
}

void TestOutbox::givesUpAfterMaxAttempts()
{
    m_outbox->setMaxAttempts(3);
    const qint64 s = newSession(QStringLiteral("ou_a"));
    for (int i = 0; i < 5; ++i)
        m_feishu->queueResult(FakeReplyTransport::transientError());
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("gave up after 3 attempts")));
    QCOMPARE(m_feishu->calls().size(), 3);
}

void TestOutbox::operatorRetryOfFailedRow()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_feishu->queueResult(FakeReplyTransport::permanentError(230020, QStringLiteral("frequency limit")));
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(m_outbox->retry(ids.first()));
    QTRY_COMPARE(delivered.size(), 1);
    QVERIFY(!m_outbox->retry(ids.first())); // sent rows are not retried
    QCOMPARE(m_feishu->calls().at(0).uuid, m_feishu->calls().at(1).uuid);
}

void TestOutbox::silentTransportTimesOutAndRetries()
{
    // Attempts are spaced well beyond QTRY's 50 ms polling, or a slow (sanitized) run can see the
    // count jump past 2 and exhaust the attempts before the test releases the first answer.
    m_outbox->setSendTimeoutMs(300);
    m_feishu->setMode(FakeReplyTransport::Mode::Hold);
    const qint64 s = newSession(QStringLiteral("ou_a"));
    QSignalSpy retries(m_outbox.get(), &Outbox::retryScheduled);
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_VERIFY(m_feishu->calls().size() >= 2); // the first attempt timed out, another one went out
    QVERIFY(retries.size() >= 1);
    QCOMPARE(m_feishu->calls().at(0).uuid, m_feishu->calls().at(1).uuid);
    m_feishu->setMode(FakeReplyTransport::Mode::Immediate);
    // The late answer to the first attempt arrives: the row counts as delivered, once.
    QVERIFY(m_feishu->releaseNext());
    QTRY_COMPARE(delivered.size(), 1);
    m_feishu->releaseAll();
    QTest::qWait(50);
    QCOMPARE(delivered.size(), 1);
    QCOMPARE(m_feishu->deliveredCount(), 1);
    QCOMPARE(m_outbox->item(ids.first())->state, Outbox::State::Sent);
}

void TestOutbox::resumesAfterCrashWithSameUuid()
{
    m_feishu->setMode(FakeReplyTransport::Mode::Hold);
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_outbox->setMaxPartChars(1000);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), paragraphs(2, 900));
    QCOMPARE(ids.size(), 2);
    QTRY_COMPARE(m_feishu->calls().size(), 1);
    const QString firstUuid = m_feishu->calls().first().uuid;
    crash(); // the request was on the wire, no answer came back

    m_feishu->setMode(FakeReplyTransport::Mode::Immediate);
    openAll(QStringLiteral("outbox-restart"));
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    QCOMPARE(m_outbox->resumePending(), 2);
    QTRY_COMPARE(delivered.size(), 2);
    QCOMPARE(m_feishu->calls().at(1).uuid, firstUuid);
    QCOMPARE(m_feishu->calls().at(2).uuid, Outbox::stableUuid(QStringLiteral("answer:om_in"), 1));
    QCOMPARE(m_feishu->deliveredCount(), 2);
    QCOMPARE(delivered.at(0).at(0).toLongLong(), ids.at(0));
    QCOMPARE(delivered.at(1).at(0).toLongLong(), ids.at(1));
}

void TestOutbox::resumeAfterCrashWhenFeishuHadItAlready()
{
    m_feishu->setMode(FakeReplyTransport::Mode::Hold);
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_COMPARE(m_feishu->calls().size(), 1);
    crash();
    // Feishu processed the request; the process died before it heard back.
    QVERIFY(m_feishu->releaseNext());
    QCOMPARE(m_feishu->deliveredCount(), 1);

    m_feishu->setMode(FakeReplyTransport::Mode::Immediate);
    openAll(QStringLiteral("outbox-restart"));
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    QCOMPARE(m_outbox->resumePending(), 1);
    QTRY_COMPARE(delivered.size(), 1);
    QCOMPARE(m_feishu->calls().size(), 2);
    QCOMPARE(m_feishu->deliveredCount(), 1); // same uuid: the customer sees one message
    QCOMPARE(delivered.first().at(1).toString(), QStringLiteral("om_fake_1"));
}

void TestOutbox::backoffSurvivesRestart()
{
    m_outbox->setClock([this] { return m_now; });
    m_outbox->setBackoffMs({60000});
    const qint64 s = newSession(QStringLiteral("ou_a"));
    m_feishu->queueResult(FakeReplyTransport::transientError());
    QSignalSpy retries(m_outbox.get(), &Outbox::retryScheduled);
    const auto ids = m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("答复"));
    QTRY_COMPARE(retries.size(), 1);
    crash();
    openAll(QStringLiteral("outbox-restart"));
    m_outbox->setClock([this] { return m_now; });
    QCOMPARE(m_outbox->resumePending(), 1);
    QTest::qWait(30);
    QCOMPARE(m_feishu->calls().size(), 1); // still backing off (persisted next_attempt_at)
    QCOMPARE(m_outbox->item(ids.first())->nextAttemptAt, m_now + 60000);
    // Time passes (as a restarted process would see it): the retry goes out.
    m_now += 60000;
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    m_outbox->resumePending();
    QTRY_COMPARE(delivered.size(), 1);
    QCOMPARE(m_outbox->item(ids.first())->attempts, 2);
}

void TestOutbox::sendMessageKind()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    QSignalSpy delivered(m_outbox.get(), &Outbox::delivered);
    const auto ids = m_outbox->enqueueSend(s, QStringLiteral("chat_id"), QStringLiteral("oc_g"),
                                           QStringLiteral("通知"), QStringLiteral("notice-1"));
    QCOMPARE(ids.size(), 1);
    QTRY_COMPARE(delivered.size(), 1);
    const auto &call = m_feishu->calls().first();
    QCOMPARE(call.kind, QStringLiteral("send"));
    QCOMPARE(call.receiveIdType, QStringLiteral("chat_id"));
    QCOMPARE(call.target, QStringLiteral("oc_g"));
    QCOMPARE(call.text(), QStringLiteral("通知"));
    QCOMPARE(m_outbox->item(ids.first())->text(), QStringLiteral("通知"));
}

void TestOutbox::emptyTextIsRefused()
{
    const qint64 s = newSession(QStringLiteral("ou_a"));
    QVERIFY(m_outbox->enqueueReply(s, QStringLiteral("om_in"), QStringLiteral("  \n ")).isEmpty());
    QVERIFY(m_outbox->enqueueReply(s, QString(), QStringLiteral("text")).isEmpty());
    QVERIFY(m_outbox->items(s).isEmpty());
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"

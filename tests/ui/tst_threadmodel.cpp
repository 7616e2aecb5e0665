// ThreadModel over the real desk: the newest page first, older pages on request, live turns and
// delivery states.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "botdeskfixture.h"
#include "conversations/threadmodel.h"

class TestThreadModel final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void showsTurnsOldestAtTheTopWithWhoAndWhat();
    void loadsOlderPagesAtTheTop();
    void liveTurnsAndDeliveryStates();
    void otherSessionsDoNotLeakIn();

private:
    std::unique_ptr<BotDeskFixture> m_fx;
};

void TestThreadModel::init()
{
    m_fx = std::make_unique<BotDeskFixture>();
    QString error;
    QVERIFY2(m_fx->start(&error), qPrintable(error));
}

void TestThreadModel::cleanup()
{
    m_fx.reset();
}

void TestThreadModel::showsTurnsOldestAtTheTopWithWhoAndWhat()
{
    const QString a = m_fx->customerWrites(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(a), 1, 10000);
    const qint64 sid = m_fx->sessionOf(QStringLiteral("ou_a"));
    ThreadModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(sid);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
    QCOMPARE(model.index(0).data(ThreadModel::SpeakerRole).toInt(), int(TurnRole::Customer));
    QCOMPARE(model.index(0).data(ThreadModel::TextRole).toString(), QStringLiteral("远程解锁失败"));
    QCOMPARE(model.index(0).data(ThreadModel::DeliveryRole).toInt(), int(Desk::DeliveryState::None));
    QCOMPARE(model.index(1).data(ThreadModel::SpeakerRole).toInt(), int(TurnRole::Bot));
    QCOMPARE(model.index(1).data(ThreadModel::AuthorRole).toString(), QStringLiteral("Bot"));
    QTRY_COMPARE_WITH_TIMEOUT(model.index(1).data(ThreadModel::DeliveryRole).toInt(),
                              int(Desk::DeliveryState::Sent), 5000);
    // The bot's answer rests on knowledge: the cited entries with scores, and why it answered.
    const auto bot = model.index(1).data(ThreadModel::TurnViewRole).value<TurnView>();
    QVERIFY(!bot.cited.isEmpty());
    QVERIFY(model.index(1).data(ThreadModel::CitedRole).toString().startsWith(bot.cited.first().id));
    QCOMPARE(model.index(1).data(ThreadModel::DecisionRole).toString().isEmpty(),
             bot.decisionReason.isEmpty());
    const QString display = model.index(0).data(Qt::DisplayRole).toString();
    QVERIFY2(display.startsWith(QStringLiteral("Customer")) &&
                 display.contains(QStringLiteral("远程解锁失败")),
             qPrintable(display));
    QVERIFY(model.index(1).data(Qt::DisplayRole).toString().contains(QStringLiteral("(Sent)")));
}

void TestThreadModel::loadsOlderPagesAtTheTop()
{
    const QString first = m_fx->customerWrites(QStringLiteral("ou_p"), QStringLiteral("第1条：车机没网"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(first), 1, 10000);
    const qint64 sid = m_fx->sessionOf(QStringLiteral("ou_p"));
    QVERIFY(m_fx->desk()->takeOver(sid).ok); // the bot is quiet: one turn per message
    for (int i = 2; i <= 7; ++i)
        m_fx->customerWrites(QStringLiteral("ou_p"), QStringLiteral("第%1条").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->desk()->turns(sid, 0, 1).turns.value(0).text, QStringLiteral("第7条"),
                              10000);
    const int total = int(m_fx->desk()->turns(sid, 0, 100).turns.size()); // 7, the bot's answer, notes

    ThreadModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(3);
    model.setSession(sid);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.hasOlder());
    QCOMPARE(model.index(2).data(ThreadModel::TextRole).toString(), QStringLiteral("第7条"));
    QCOMPARE(model.index(0).data(ThreadModel::TextRole).toString(), QStringLiteral("第5条"));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QCOMPARE(model.loadOlder(), 3);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 2);
    QCOMPARE(model.index(0).data(ThreadModel::TextRole).toString(), QStringLiteral("第2条"));
    QCOMPARE(model.loadOlder(), total - 6); // the first message, the bot's answer (and notes)
    QVERIFY(!model.hasOlder());
    QCOMPARE(model.rowCount(), total);
    QCOMPARE(model.index(0).data(ThreadModel::TextRole).toString(), QStringLiteral("第1条：车机没网"));
    QCOMPARE(model.loadOlder(), 0);
    // Strictly oldest first.
    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(model.index(r - 1).data(ThreadModel::TurnIdRole).toLongLong() <
                model.index(r).data(ThreadModel::TurnIdRole).toLongLong());
}

void TestThreadModel::liveTurnsAndDeliveryStates()
{
    const QString a = m_fx->customerWrites(QStringLiteral("ou_live"), QStringLiteral("远程解锁失败"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(a), 1, 10000);
    const qint64 sid = m_fx->sessionOf(QStringLiteral("ou_live"));
    ThreadModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(sid);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(m_fx->desk()->takeOver(sid).ok);

    // An operator reply that fails for good, then a retry that goes through.
    m_fx->refuseMessages(true);
    const DeskResult r = m_fx->desk()->sendReply(sid, QStringLiteral("您好，我来处理"));
    QVERIFY2(r.ok, qPrintable(r.error));
    QTRY_VERIFY_WITH_TIMEOUT(model.rowOfTurn(r.id) >= 0, 5000);
    const int row = model.rowOfTurn(r.id);
    QCOMPARE(model.index(row).data(ThreadModel::SpeakerRole).toInt(), int(TurnRole::Operator));
    QTRY_COMPARE_WITH_TIMEOUT(model.index(row).data(ThreadModel::DeliveryRole).toInt(),
                              int(Desk::DeliveryState::Failed), 10000);
    QVERIFY(!model.index(row).data(ThreadModel::DeliveryErrorRole).toString().isEmpty());
    m_fx->refuseMessages(false);
    QVERIFY(m_fx->desk()->retryDelivery(r.id).ok);
    QTRY_COMPARE_WITH_TIMEOUT(model.index(row).data(ThreadModel::DeliveryRole).toInt(),
                              int(Desk::DeliveryState::Sent), 10000);
    QVERIFY(model.index(row).data(ThreadModel::DeliveryErrorRole).toString().isEmpty());
    QCOMPARE(m_fx->sentTexts().count(QStringLiteral("您好，我来处理")), 1);

    // A new customer message appears at the bottom.
    m_fx->customerWrites(QStringLiteral("ou_live"), QStringLiteral("好的谢谢"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 4, 5000);
    QCOMPARE(model.index(3).data(ThreadModel::TextRole).toString(), QStringLiteral("好的谢谢"));
}

void TestThreadModel::otherSessionsDoNotLeakIn()
{
    const QString a = m_fx->customerWrites(QStringLiteral("ou_x"), QStringLiteral("远程解锁失败"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(a), 1, 10000);
    ThreadModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSession(m_fx->sessionOf(QStringLiteral("ou_x")));
    const QString b = m_fx->customerWrites(QStringLiteral("ou_y"), QStringLiteral("车机没网"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(b), 1, 10000);
    QCOMPARE(model.rowCount(), 2);
    model.setSession(0);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestThreadModel)
#include "tst_threadmodel.moc"

// ConversationListModel over the real OperatorDesk (real SQLite, the sandbox as Feishu): all
// sessions load once, live changes insert or update single rows, never a reset.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "botdeskfixture.h"
#include "conversations/conversationlistmodel.h"

class TestConversationListModel final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void loadsEverySessionOnce();
    void newSessionIsInsertedNotReset();
    void newTurnUpdatesItsRowOnly();
    void rowsSayWhoAndWhatForScreenReaders();

private:
    std::unique_ptr<BotDeskFixture> m_fx;
};

void TestConversationListModel::init()
{
    m_fx = std::make_unique<BotDeskFixture>();
    QString error;
    QVERIFY2(m_fx->start(&error), qPrintable(error));
}

void TestConversationListModel::cleanup()
{
    m_fx.reset();
}

void TestConversationListModel::loadsEverySessionOnce()
{
    const QString a = m_fx->customerWrites(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    const QString b = m_fx->customerWrites(QStringLiteral("ou_b"), QStringLiteral("车机没网"),
                                           QStringLiteral("oc_g1"), QStringLiteral("group"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(a) + m_fx->repliesTo(b), 2, 10000);

    ConversationListModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 2);
    const int ra = model.rowOf(m_fx->sessionOf(QStringLiteral("ou_a")));
    const int rb = model.rowOf(m_fx->sessionOf(QStringLiteral("ou_b")));
    QVERIFY(ra >= 0 && rb >= 0 && ra != rb);
    QCOMPARE(model.index(ra).data(ConversationListModel::ChatLabelRole).toString(),
             QStringLiteral("Direct chat"));
    QCOMPARE(model.index(ra).data(ConversationListModel::CustomerNameRole).toString(),
             QStringLiteral("ou_a"));
    QCOMPARE(model.index(rb).data(ConversationListModel::ChatIdRole).toString(), QStringLiteral("oc_g1"));
    QCOMPARE(model.index(ra).data(ConversationListModel::ModeRole).toInt(), int(SessionMode::Auto));
    QVERIFY(!model.index(ra).data(ConversationListModel::PreviewRole).toString().isEmpty());
}

void TestConversationListModel::newSessionIsInsertedNotReset()
{
    const QString a = m_fx->customerWrites(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(a), 1, 10000);
    ConversationListModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    const QString c = m_fx->customerWrites(QStringLiteral("ou_c"), QStringLiteral("OTA升级失败"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(c), 1, 10000);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 1);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(model.rowOf(m_fx->sessionOf(QStringLiteral("ou_c"))), 1);
}

void TestConversationListModel::newTurnUpdatesItsRowOnly()
{
    const QString a = m_fx->customerWrites(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    const QString b = m_fx->customerWrites(QStringLiteral("ou_b"), QStringLiteral("车机没网"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(a) + m_fx->repliesTo(b), 2, 10000);
    ConversationListModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 sb = m_fx->sessionOf(QStringLiteral("ou_b"));
    const int rb = model.rowOf(sb);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    QVERIFY(m_fx->desk()->takeOver(sb).ok); // manual: the bot stays quiet, the row must say so
    const QString b2 = m_fx->customerWrites(QStringLiteral("ou_b"), QStringLiteral("还是连不上，第三条消息"));
    QTRY_COMPARE_WITH_TIMEOUT(model.index(rb).data(ConversationListModel::PreviewRole).toString(),
                              QStringLiteral("还是连不上，第三条消息"), 10000);
    QCOMPARE(model.index(rb).data(ConversationListModel::ModeRole).toInt(), int(SessionMode::Manual));
    QVERIFY(model.index(rb).data(ConversationListModel::NeedsOperatorRole).toBool());
    QCOMPARE(model.index(rb).data(ConversationListModel::PriorityRole).toInt(), 0);
    QVERIFY(!changed.isEmpty());
    for (const QList<QVariant> &args : std::as_const(changed)) {
        QCOMPARE(args.at(0).toModelIndex().row(), rb); // never the other row
        QCOMPARE(args.at(1).toModelIndex().row(), rb);
    }
    QCOMPARE(resets.size(), 0);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(m_fx->repliesTo(b2), 0);
}

void TestConversationListModel::rowsSayWhoAndWhatForScreenReaders()
{
    const QString a = m_fx->customerWrites(QStringLiteral("ou_reader"), QStringLiteral("我的宠物猫不吃饭"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(a), 1, 10000);
    ConversationListModel model(m_fx->desk());
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() == 1, 5000);
    const QString text = model.index(0).data(Qt::DisplayRole).toString();
    QVERIFY2(text.contains(QStringLiteral("ou_reader")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Direct chat")), qPrintable(text));
    const QString preview = model.index(0).data(ConversationListModel::PreviewRole).toString();
    QVERIFY2(text.contains(preview), qPrintable(text));
}

QTEST_MAIN(TestConversationListModel)
#include "tst_conversationlistmodel.moc"

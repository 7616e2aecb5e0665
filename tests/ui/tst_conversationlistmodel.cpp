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
    void burstEndsWithEveryRowCurrent();

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

// Changes in a burst are applied in frames, not one by one: after the burst every session has
// exactly one row, and every row says what the desk says (none is left at an older state).
void TestConversationListModel::burstEndsWithEveryRowCurrent()
{
    ConversationListModel model(m_fx->desk());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    constexpr int kCustomers = 6;
    constexpr int kRounds = 4;
    const auto customer = [](int c) { return QStringLiteral("ou_burst_%1").arg(c); };

    // New sessions arrive together: each is inserted once.
    QStringList firsts;
    for (int c = 0; c < kCustomers; ++c)
        firsts << m_fx->customerWrites(customer(c), QStringLiteral("远程解锁失败"));
    for (const QString &id : std::as_const(firsts))
        QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(id), 1, 10000);
    // Manual mode: the bot stays quiet, so each conversation ends with the customer's last text.
    for (int c = 0; c < kCustomers; ++c)
        QVERIFY(m_fx->desk()->takeOver(m_fx->sessionOf(customer(c))).ok);

    for (int round = 1; round <= kRounds; ++round) {
        for (int c = 0; c < kCustomers; ++c)
            m_fx->customerWrites(customer(c), QStringLiteral("车机没网，第%1次").arg(round));
    }
    const QString last = QStringLiteral("车机没网，第%1次").arg(kRounds);
    const auto rowsCurrent = [&] {
        const QList<SessionSummary> desk = m_fx->desk()->sessions();
        if (model.rowCount() != kCustomers || desk.size() != kCustomers)
            return false;
        for (const SessionSummary &s : desk) {
            const int row = model.rowOf(s.id);
            if (row < 0 || s.lastPreview != last || !(model.summaryAt(row) == s))
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowsCurrent(), 20000);
    QCOMPARE(resets.size(), 0);
    QSet<qint64> ids;
    for (int r = 0; r < model.rowCount(); ++r) {
        ids.insert(model.summaryAt(r).id);
        QCOMPARE(model.index(r).data(ConversationListModel::PreviewRole).toString(), last);
        QVERIFY(model.index(r).data(ConversationListModel::NeedsOperatorRole).toBool());
    }
    QCOMPARE(ids.size(), kCustomers);
}

QTEST_MAIN(TestConversationListModel)
#include "tst_conversationlistmodel.moc"

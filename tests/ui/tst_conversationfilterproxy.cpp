// ConversationFilterProxy over the real desk: what needs a person first, the filters, and live
// updates that keep a view's selection.
#include <QAbstractItemModelTester>
#include <QListView>
#include <QSignalSpy>
#include <QtTest>

#include "botdeskfixture.h"
#include "conversations/conversationfilterproxy.h"
#include "conversations/conversationlistmodel.h"

class TestConversationFilterProxy final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void needsAPersonComesFirst();
    void needsAttentionFilter();
    void modeFilter();
    void chatFilter();
    void textMatchesNamesAndContent();
    void typingFasterThanTheLookupsKeepsTheNewestText();
    void liveUpdateKeepsTheSelection();

private:
    QList<qint64> order() const;
    bool applyText(const QString &text);

    // One desk for the whole test: four sessions in four states (see initTestCase).
    std::unique_ptr<BotDeskFixture> m_fx;
    qint64 m_escalated = 0, m_draft = 0, m_unread = 0, m_botHandles = 0;
    std::unique_ptr<ConversationListModel> m_model;
    std::unique_ptr<ConversationFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestConversationFilterProxy::initTestCase()
{
    m_fx = std::make_unique<BotDeskFixture>();
    QString error;
    QVERIFY2(m_fx->start(&error), qPrintable(error));
    OperatorDesk *desk = m_fx->desk();

    // The bot answers and the operator has read it: the bot handles it.
    const QString d = m_fx->customerWrites(QStringLiteral("ou_d"), QStringLiteral("远程解锁失败"),
                                           QStringLiteral("oc_fleet"), QStringLiteral("group"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(d), 1, 10000);
    m_botHandles = m_fx->sessionOf(QStringLiteral("ou_d"));
    desk->markRead(m_botHandles);
    // The bot answers, nobody has read it: unread.
    const QString c = m_fx->customerWrites(QStringLiteral("ou_c"), QStringLiteral("车机没网"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(c), 1, 10000);
    m_unread = m_fx->sessionOf(QStringLiteral("ou_c"));
    // A review-mode session: a draft waits.
    QVERIFY(desk->setDefaultMode(SessionMode::Review).ok);
    m_fx->customerWrites(QStringLiteral("ou_b"), QStringLiteral("蓝牙钥匙连不上"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx->sessionOf(QStringLiteral("ou_b")) > 0 &&
                                 desk->pendingDraft(m_fx->sessionOf(QStringLiteral("ou_b"))).has_value(),
                             10000);
    m_draft = m_fx->sessionOf(QStringLiteral("ou_b"));
    QVERIFY(desk->setDefaultMode(SessionMode::Auto).ok);
    // An emergency: escalated to a person.
    m_fx->customerWrites(QStringLiteral("ou_a"), QStringLiteral("车辆冒烟了怎么办"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx->sessionOf(QStringLiteral("ou_a")) > 0 &&
                                 desk->session(m_fx->sessionOf(QStringLiteral("ou_a")))->needsOperator,
                             10000);
    m_escalated = m_fx->sessionOf(QStringLiteral("ou_a"));
}

void TestConversationFilterProxy::cleanupTestCase()
{
    m_fx.reset();
}

void TestConversationFilterProxy::init()
{
    m_model = std::make_unique<ConversationListModel>(m_fx->desk());
    m_proxy = std::make_unique<ConversationFilterProxy>(m_fx->desk());
    m_proxy->setSourceModel(m_model.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestConversationFilterProxy::cleanup()
{
    m_tester.reset();
    m_proxy.reset();
    m_model.reset();
}

QList<qint64> TestConversationFilterProxy::order() const
{
    QList<qint64> ids;
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        ids << m_proxy->index(r, 0).data(ConversationListModel::SessionIdRole).toLongLong();
    return ids;
}

void TestConversationFilterProxy::needsAPersonComesFirst()
{
    // The source holds them most recently active first; the proxy puts need first.
    QCOMPARE(order(), (QList<qint64>{m_escalated, m_draft, m_unread, m_botHandles}));
    QCOMPARE(m_proxy->index(0, 0).data(ConversationListModel::PriorityRole).toInt(), 0);
    QCOMPARE(m_proxy->index(3, 0).data(ConversationListModel::PriorityRole).toInt(), 3);
}

void TestConversationFilterProxy::needsAttentionFilter()
{
    m_proxy->setNeedsAttentionOnly(true);
    QCOMPARE(order(), (QList<qint64>{m_escalated, m_draft, m_unread}));
    m_proxy->setNeedsAttentionOnly(false);
    QCOMPARE(m_proxy->rowCount(), 4);
}

void TestConversationFilterProxy::modeFilter()
{
    m_proxy->setModeFilter(SessionMode::Review);
    QCOMPARE(order(), (QList<qint64>{m_draft}));
    m_proxy->setModeFilter(SessionMode::Manual);
    QCOMPARE(order(), QList<qint64>{});
    m_proxy->setModeFilter(SessionMode::Auto);
    QCOMPARE(order(), (QList<qint64>{m_escalated, m_unread, m_botHandles}));
    m_proxy->setModeFilter(std::nullopt);
    QCOMPARE(m_proxy->rowCount(), 4);
}

void TestConversationFilterProxy::chatFilter()
{
    m_proxy->setChatFilter(QStringLiteral("oc_fleet"));
    QCOMPARE(order(), (QList<qint64>{m_botHandles}));
    m_proxy->setChatFilter(QStringLiteral("oc_nowhere"));
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->clearFilters();
    QCOMPARE(m_proxy->rowCount(), 4);
}

bool TestConversationFilterProxy::applyText(const QString &text)
{
    // The desk looks content up on its worker: the text takes effect when it answers.
    QSignalSpy applied(m_proxy.get(), &ConversationFilterProxy::textFilterApplied);
    m_proxy->setTextFilter(text);
    if (applied.isEmpty() && !applied.wait(10000))
        return false;
    return m_proxy->textFilter() == text.trimmed();
}

void TestConversationFilterProxy::textMatchesNamesAndContent()
{
    QVERIFY(applyText(QStringLiteral("ou_c"))); // a name (the open_id until the name is known)
    QCOMPARE(order(), (QList<qint64>{m_unread}));
    QVERIFY(applyText(QStringLiteral("OU_C"))); // names ignore case
    QCOMPARE(order(), (QList<qint64>{m_unread}));
    // Content that is not the last turn's preview: the customer's first words, answered since.
    QVERIFY(applyText(QStringLiteral("远程解锁")));
    QVERIFY(m_model->summaryAt(m_model->rowOf(m_botHandles)).lastPreview != QStringLiteral("远程解锁失败"));
    QCOMPARE(order(), (QList<qint64>{m_botHandles}));
    // Inside a word, through the full-text index (3+ characters) and through the scan (fewer).
    QVERIFY(applyText(QStringLiteral("程解锁")));
    QCOMPARE(order(), (QList<qint64>{m_botHandles}));
    QVERIFY(applyText(QStringLiteral("程解")));
    QCOMPARE(order(), (QList<qint64>{m_botHandles}));
    QVERIFY(applyText(QStringLiteral("完全不存在的文字")));
    QCOMPARE(m_proxy->rowCount(), 0);
    QVERIFY(applyText(QStringLiteral("\"远程"))); // a quote is text, not query syntax
    QCOMPARE(m_proxy->rowCount(), 0);
    QVERIFY(applyText(QString()));
    QCOMPARE(m_proxy->rowCount(), 4);
}

void TestConversationFilterProxy::typingFasterThanTheLookupsKeepsTheNewestText()
{
    QSignalSpy applied(m_proxy.get(), &ConversationFilterProxy::textFilterApplied);
    // Keystrokes while the first lookup runs: the ones in between are never applied.
    for (const QString &t : {QStringLiteral("远"), QStringLiteral("远程"), QStringLiteral("远程解"),
                             QStringLiteral("远程解锁"), QStringLiteral("车机没")}) {
        m_proxy->setTextFilter(t);
        QCOMPARE(m_proxy->requestedTextFilter(), t);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_proxy->textFilter(), QStringLiteral("车机没"), 10000);
    QCOMPARE(order(), (QList<qint64>{m_unread}));
    QTest::qWait(50); // nothing older lands after the newest
    QCOMPARE(m_proxy->textFilter(), QStringLiteral("车机没"));
    for (const QList<QVariant> &a : std::as_const(applied))
        QVERIFY2(a.at(0).toString() == QStringLiteral("远") || a.at(0).toString() == QStringLiteral("车机没"),
                 qPrintable(a.at(0).toString()));
    m_proxy->clearFilters();
    QCOMPARE(m_proxy->rowCount(), 4);
}

void TestConversationFilterProxy::liveUpdateKeepsTheSelection()
{
    QListView view;
    view.setModel(m_proxy.get());
    view.resize(300, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QModelIndex botRow = m_proxy->mapFromSource(m_model->index(m_model->rowOf(m_botHandles)));
    view.setCurrentIndex(botRow);
    QCOMPARE(view.currentIndex().row(), 3);
    QSignalSpy resets(m_proxy.get(), &QAbstractItemModel::modelReset);

    // The selected session gets a new customer message: it moves into the unread group, still
    // selected.
    m_fx->customerWrites(QStringLiteral("ou_d"), QStringLiteral("谢谢，已经好了吗？另外空调远程开不了"),
                         QStringLiteral("oc_fleet"), QStringLiteral("group"));
    // A new session arrives too (an insert above or below the selection).
    m_fx->customerWrites(QStringLiteral("ou_e"), QStringLiteral("胎压报警"));
    QTRY_COMPARE_WITH_TIMEOUT(m_proxy->rowCount(), 5, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_model->summaryAt(m_model->rowOf(m_botHandles)).unread > 0, 10000);
    QCOMPARE(view.currentIndex().data(ConversationListModel::PriorityRole).toInt(), 2); // moved into "unread"
    QCOMPARE(view.currentIndex().data(ConversationListModel::SessionIdRole).toLongLong(), m_botHandles);
    QCOMPARE(view.selectionModel()->selectedIndexes().size(), 1);
    QCOMPARE(view.selectionModel()
                 ->selectedIndexes()
                 .first()
                 .data(ConversationListModel::SessionIdRole)
                 .toLongLong(),
             m_botHandles);
    QCOMPARE(resets.size(), 0);
}

QTEST_MAIN(TestConversationFilterProxy)
#include "tst_conversationfilterproxy.moc"

#include <QTest>

#include "assistant/promptbuilder.h"
#include "fixedretriever.h"

class TestPromptBuilder final : public QObject
{
    Q_OBJECT
private slots:
    void ticketBlockFormat();
    void longTicketIsCut();
    void ticketsInSystemMessage();
    void noTicketsSaysSo();
    void noAnswerMarkerAndSituation();
    void historyRolesAndOrder();
    void historyLimits();
    void repeatedCurrentTurnDropped();
    void citedAndMentionedIds();
};

static KnowledgeEntry sample()
{
    KnowledgeEntry e = FixedRetriever::sampleEntries().at(2); // KB-0180, NFC card
    e.vehicleModels = {QStringLiteral("云驰 E5"), QStringLiteral("青屿 Q3")};
    return e;
}

void TestPromptBuilder::ticketBlockFormat()
{
    const QString block = PromptBuilder::formatTicket(sample());
    const QStringList lines = block.split(QLatin1Char('\n'));
    QCOMPARE(lines.at(0),
             QStringLiteral("[KB-0180] 标题：NFC 卡片钥匙刷门把手没反应，提示 K-3015“卡片未激活”"));
    QCOMPARE(lines.at(1), QStringLiteral("类别：数字钥匙(蓝牙/NFC)"));
    QCOMPARE(lines.at(2), QStringLiteral("适用车型：云驰 E5、青屿 Q3"));
    QVERIFY(lines.at(3).startsWith(QStringLiteral("常见描述：卡片钥匙刷了没反应；")));
    QVERIFY(lines.at(4).startsWith(QStringLiteral("原因：新卡或补办的 NFC 卡")));
    QCOMPARE(lines.at(5), QStringLiteral("解决方案："));
    QCOMPARE(lines.at(6), QStringLiteral("1. 使用已有钥匙上车并上电。"));
    QCOMPARE(lines.at(9), QStringLiteral("4. 每车最多 4 张卡。"));
    QVERIFY(block.endsWith(QLatin1Char('\n')));
    QVERIFY(!block.contains(QStringLiteral("\n\n"))); // an empty line separates tickets
}

void TestPromptBuilder::longTicketIsCut()
{
    KnowledgeEntry e = sample();
    QStringList steps;
    for (int i = 1; i <= 200; ++i)
        steps << QStringLiteral("%1. 第 %1 步：检查车辆状态并记录结果。").arg(i);
    e.solution = steps.join(QLatin1Char('\n'));
    e.solution += QStringLiteral("\n[KB-0001] 不是工单头");
    const QString block = PromptBuilder::formatTicket(e, 600);
    QVERIFY(block.size() <= 600 + 20);
    QVERIFY(block.endsWith(QStringLiteral("……（其余步骤略）\n")));
    QVERIFY(block.contains(QStringLiteral("1. 第 1 步")));
    QVERIFY(!block.contains(QStringLiteral("\n[KB-0001]")));
}

void TestPromptBuilder::ticketsInSystemMessage()
{
    const auto entries = FixedRetriever::sampleEntries();
    const QList<KnowledgeHit> hits = {{entries[0], 5}, {entries[1], 4}, {entries[2], 3}, {entries[3], 2}};
    const QList<LlmMessage> msgs = PromptBuilder().build(QStringLiteral("远程解锁失败"), {}, hits);
    QCOMPARE(msgs.size(), 2);
    QCOMPARE(msgs[0].role, LlmMessage::Role::System);
    const QString system = msgs[0].content;
    QVERIFY(system.startsWith(PromptBuilder::systemPrompt()));
    QVERIFY(system.contains(QStringLiteral("参考工单：\n[KB-0038] 标题：")));
    QVERIFY(system.contains(QStringLiteral("\n\n[KB-0281] 标题：")));
    QVERIFY(system.contains(QStringLiteral("[KB-0180]")));
    QVERIFY(!system.contains(QStringLiteral("[KB-0008]"))); // maxTickets = 3
    QCOMPARE(msgs[1].role, LlmMessage::Role::User);
    QCOMPARE(msgs[1].content, QStringLiteral("远程解锁失败"));
}

void TestPromptBuilder::noAnswerMarkerAndSituation()
{
    const auto entries = FixedRetriever::sampleEntries();
    const QList<KnowledgeHit> hits = {{entries[0], 5}};
    QVERIFY(PromptBuilder::systemPrompt().contains(QStringLiteral("只输出一行 [[NO_ANSWER]]")));
    QVERIFY(PromptBuilder::systemPrompt().contains(QString::fromUtf16(Answers::kNoAnswerMarker)));
    const QString plain = PromptBuilder().build(QStringLiteral("远程解锁失败"), {}, hits).first().content;
    QVERIFY(!plain.contains(QStringLiteral("当前情况：")));
    const QString withSituation =
        PromptBuilder()
            .build(QStringLiteral("还是不行"), {}, hits, QStringLiteral("客户表示之前的方法没有解决问题。"))
            .first()
            .content;
    QVERIFY(withSituation.contains(QStringLiteral("\n当前情况：客户表示之前的方法没有解决问题。\n")));
    // The situation comes before the tickets.
    QVERIFY(withSituation.indexOf(QStringLiteral("当前情况：")) <
            withSituation.indexOf(QStringLiteral("[KB-0038]")));
}

void TestPromptBuilder::noTicketsSaysSo()
{
    const auto msgs = PromptBuilder().build(QStringLiteral("x"), {}, {});
    QVERIFY(msgs[0].content.contains(QStringLiteral("参考工单：无")));
}

void TestPromptBuilder::historyRolesAndOrder()
{
    const QList<ConversationTurn> history = {{ConversationTurn::Role::Customer, QStringLiteral("车机没网")},
                                             {ConversationTurn::Role::Bot, QStringLiteral("请检查 APN")},
                                             {ConversationTurn::Role::Operator, QStringLiteral("我来跟进")},
                                             {ConversationTurn::Role::Customer, QStringLiteral("  ")}};
    const auto msgs = PromptBuilder().build(QStringLiteral("还是不行"), history, {});
    QCOMPARE(msgs.size(), 5);
    QCOMPARE(msgs[1].role, LlmMessage::Role::User);
    QCOMPARE(msgs[1].content, QStringLiteral("车机没网"));
    QCOMPARE(msgs[2].role, LlmMessage::Role::Assistant);
    QCOMPARE(msgs[3].content, QStringLiteral("（人工客服）我来跟进"));
    QCOMPARE(msgs[4].content, QStringLiteral("还是不行"));
}

void TestPromptBuilder::historyLimits()
{
    QList<ConversationTurn> history;
    for (int i = 0; i < 20; ++i)
        history.append({i % 2 ? ConversationTurn::Role::Bot : ConversationTurn::Role::Customer,
                        QStringLiteral("第%1轮").arg(i)});
    PromptBuilder::Limits limits;
    limits.maxHistoryTurns = 4;
    auto msgs = PromptBuilder(limits).build(QStringLiteral("q"), history, {});
    QCOMPARE(msgs.size(), 1 + 4 + 1);
    QCOMPARE(msgs[1].content, QStringLiteral("第16轮")); // the newest four, oldest first
    QCOMPARE(msgs[4].content, QStringLiteral("第19轮"));

    limits.maxHistoryTurns = 100;
    limits.maxHistoryChars = 10; // each turn is 3-4 characters: the newest that fit
    msgs = PromptBuilder(limits).build(QStringLiteral("q"), history, {});
    QCOMPARE(msgs.size(), 1 + 2 + 1);
    QCOMPARE(msgs[2].content, QStringLiteral("第19轮"));

    limits.maxQuestionChars = 5;
    msgs = PromptBuilder(limits).build(QStringLiteral("一二三四五六七"), {}, {});
    QCOMPARE(msgs.last().content, QStringLiteral("一二三四五…"));
}

void TestPromptBuilder::repeatedCurrentTurnDropped()
{
    const QList<ConversationTurn> history = {{ConversationTurn::Role::Customer, QStringLiteral("车机没网")},
                                             {ConversationTurn::Role::Customer, QStringLiteral("还是不行")}};
    const auto msgs = PromptBuilder().build(QStringLiteral("还是不行"), history, {});
    QCOMPARE(msgs.size(), 3);
    QCOMPARE(msgs[1].content, QStringLiteral("车机没网"));
}

void TestPromptBuilder::citedAndMentionedIds()
{
    const QString answer = QStringLiteral("您好……（参考：KB-0281、kb-0038）另见 KB-0999。");
    QCOMPARE(PromptBuilder::citedIds(
                 answer, {QStringLiteral("KB-0038"), QStringLiteral("KB-0281"), QStringLiteral("KB-0180")}),
             QStringList({QStringLiteral("KB-0038"), QStringLiteral("KB-0281")}));
    QCOMPARE(PromptBuilder::mentionedTicketIds(answer),
             QStringList({QStringLiteral("KB-0281"), QStringLiteral("KB-0038"), QStringLiteral("KB-0999")}));
    QVERIFY(PromptBuilder::mentionedTicketIds(QStringLiteral("XKB-0001 KB-00012345")).isEmpty());
}

QTEST_GUILESS_MAIN(TestPromptBuilder)
#include "tst_promptbuilder.moc"

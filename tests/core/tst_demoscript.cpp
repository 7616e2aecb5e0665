// DemoScript against the real BotService over FeishuSandbox: every step gets the reply it should.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "bot/botservice.h"
#include "sandbox/demoscript.h"
#include "sandbox/feishusandbox.h"

class TestDemoScript final : public QObject
{
    Q_OBJECT

private slots:
    void defaultStepsCoverTheStory();
    void runsAgainstTheBot();
    void countsAMissingReply();
    void consoleStepsCoverTheStory();
    void continuousModeKeepsWriting();
};

void TestDemoScript::defaultStepsCoverTheStory()
{
    const QList<DemoScript::Step> steps = DemoScript::defaultSteps();
    int p2p = 0, mentioned = 0, chatter = 0, images = 0, redeliveries = 0;
    QSet<QString> groups;
    for (const DemoScript::Step &s : steps) {
        if (s.redeliverFirst) {
            ++redeliveries;
            QVERIFY(!s.expectReply);
            continue;
        }
        if (s.push.chatType == QLatin1String("p2p"))
            ++p2p;
        else
            groups.insert(s.push.chatId);
        if (s.push.chatType == QLatin1String("group") && s.push.mentionBot)
            ++mentioned;
        if (s.push.chatType == QLatin1String("group") && !s.push.mentionBot) {
            ++chatter;
            QVERIFY(!s.expectReply);
        }
        images += s.push.messageType == QLatin1String("image");
    }
    QVERIFY(p2p >= 2);
    QVERIFY(mentioned >= 2);
    QCOMPARE(groups.size(), 2);
    QCOMPARE(chatter, 1);
    QCOMPARE(images, 1);
    QCOMPARE(redeliveries, 1);
}

void TestDemoScript::runsAgainstTheBot()
{
    QTemporaryDir dir;
    FeishuSandbox sandbox;
    QVERIFY(sandbox.start());
    BotService::Options o;
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = dir.path();
    in.commandLine = {{QStringLiteral("FEISHU_APP_ID"), sandbox.options().appId},
                      {QStringLiteral("FEISHU_APP_SECRET"), sandbox.options().appSecret},
                      {QStringLiteral("FEISHU_DOMAIN"), sandbox.baseUrl().toString()},
                      {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")}};
    QString error;
    QVERIFY(AppConfig::resolve(in, &o.config, &error));
    BotService bot(o);
    QVERIFY2(bot.open(&error), qPrintable(error));
    bot.start();
    QTRY_COMPARE_WITH_TIMEOUT(sandbox.connectionCount(), 1, 10000);

    DemoScript demo(&sandbox);
    demo.setPauseMs(10);
    QSignalSpy finished(&demo, &DemoScript::finished);
    demo.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    const DemoScript::Summary s = demo.summary();
    QCOMPARE(s.pushed, int(DemoScript::defaultSteps().size()));
    QCOMPARE(s.missingReplies, 0);
    QCOMPARE(s.unexpectedReplies, 0);
    QCOMPARE(s.replies, 6);
}

void TestDemoScript::countsAMissingReply()
{
    // Nobody is connected to answer: the step times out and is counted.
    FeishuSandbox sandbox;
    QVERIFY(sandbox.start());
    DemoScript demo(&sandbox);
    DemoScript::Step s;
    s.who = QStringLiteral("test");
    s.push.text = QStringLiteral("车机没网");
    s.push.chatType = QStringLiteral("p2p");
    demo.setSteps({s});
    demo.setReplyTimeoutMs(200);
    demo.setPauseMs(0);
    QSignalSpy finished(&demo, &DemoScript::finished);
    demo.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(demo.summary().missingReplies, 1);
    QCOMPARE(demo.summary().replies, 0);
}

void TestDemoScript::consoleStepsCoverTheStory()
{
    const QList<DemoScript::Step> steps = DemoScript::consoleSteps();
    QHash<QString, int> perChat;
    QHash<QString, QSet<QString>> peoplePerGroup;
    bool escalation = false, review = false;
    for (const DemoScript::Step &s : steps) {
        QVERIFY(!s.push.text.isEmpty());
        ++perChat[s.push.chatId];
        if (s.push.chatType == QLatin1String("group")) {
            QVERIFY(s.push.mentionBot); // every group message is for the bot
            peoplePerGroup[s.push.chatId].insert(s.push.senderOpenId);
        }
        escalation |= s.push.text.contains(QStringLiteral("冒烟"));
        review |= s.push.chatId == DemoScript::reviewChatId();
    }
    bool followUp = false, secondUser = false;
    for (auto it = perChat.cbegin(); it != perChat.cend(); ++it)
        followUp |= it.value() >= 2;
    for (auto it = peoplePerGroup.cbegin(); it != peoplePerGroup.cend(); ++it)
        secondUser |= it.value().size() >= 2;
    QVERIFY(followUp);
    QVERIFY(secondUser);
    QVERIFY(escalation);
    QVERIFY(review);
}

void TestDemoScript::continuousModeKeepsWriting()
{
    FeishuSandbox sandbox;
    QVERIFY(sandbox.start());
    DemoScript demo(&sandbox);
    demo.setSteps(DemoScript::consoleSteps());
    demo.setContinuous(true, 100);
    QVERIFY(demo.isContinuous());
    // After the opening steps: the demo knowledge base's own phrases, over the whole cast.
    QSet<QString> texts, people;
    for (int n = 0; n < 20; ++n) {
        const DemoScript::Step s = demo.knowledgeStep(n);
        QVERIFY(!s.push.text.isEmpty());
        QCOMPARE(s.push.mentionBot, s.push.chatType == QLatin1String("group"));
        texts.insert(s.push.text);
        people.insert(s.push.senderOpenId);
    }
    QCOMPARE(texts.size(), 20);
    QCOMPARE(people.size(), 5);
    QVERIFY(texts.contains(QStringLiteral("车机网络显示E不是4G"))); // KB-0001's first symptom

    // Nobody answers (no bot here), and it keeps going past the steps without finishing.
    QSignalSpy finished(&demo, &DemoScript::finished);
    demo.start();
    const int wanted = int(DemoScript::consoleSteps().size()) + 3;
    QTRY_VERIFY_WITH_TIMEOUT(demo.summary().pushed >= wanted, 20000);
    QVERIFY(demo.isRunning());
    QCOMPARE(finished.size(), 0);
    QCOMPARE(demo.summary().missingReplies, 0);
}

QTEST_GUILESS_MAIN(TestDemoScript)
#include "tst_demoscript.moc"

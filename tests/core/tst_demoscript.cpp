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

QTEST_GUILESS_MAIN(TestDemoScript)
#include "tst_demoscript.moc"

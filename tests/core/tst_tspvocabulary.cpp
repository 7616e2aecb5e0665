#include <QTest>

#include "assistant/tspvocabulary.h"
#include "knowledge/domainlexicon.h"

using namespace TspVocabulary;

class TestTspVocabulary final : public QObject
{
    Q_OBJECT
private slots:
    void fifteenCategories();
    void categoryScoring_data();
    void categoryScoring();
    void normalizeCodes_data();
    void normalizeCodes();
    void followUpsAndDomainTerms_data();
    void followUpsAndDomainTerms();
    void onlyThePlace_data();
    void onlyThePlace();
    void smallTalkKinds_data();
    void smallTalkKinds();
    void everyConversationalWordIsSmallTalk();
    void emergencies();
};

void TestTspVocabulary::fifteenCategories()
{
    const QStringList names = categoryNames();
    QCOMPARE(names.size(), 15);
    QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), 15);
    QVERIFY(isCategory(QStringLiteral("车队/企业账号权限")));
    QVERIFY(!isCategory(QStringLiteral("保险理赔")));
}

void TestTspVocabulary::categoryScoring_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("category");
    QTest::newRow("no internet") << QStringLiteral("车机没网了，4G 图标也没有")
                                 << QStringLiteral("车机联网/4G信号");
    QTest::newRow("remote unlock") << QStringLiteral("远程解锁一直失败")
                                   << QStringLiteral("远程控制(远程解锁/空调/寻车)");
    QTest::newRow("code decides") << QStringLiteral("APP 上报 K-3015")
                                  << QStringLiteral("数字钥匙(蓝牙/NFC)");
    QTest::newRow("code without dash") << QStringLiteral("提示u4020") << QStringLiteral("OTA升级");
    QTest::newRow("charging code") << QStringLiteral("报 C-6020") << QStringLiteral("充电预约与电池(新能源)");
    QTest::newRow("dtc") << QStringLiteral("仪表报 P0562") << QStringLiteral("车况报告与故障码");
    QTest::newRow("typo") << QStringLiteral("收不到验证吗") << QStringLiteral("APP登录与账号绑定");
    QTest::newRow("fleet") << QStringLiteral("车队里司机的权限怎么设置")
                           << QStringLiteral("车队/企业账号权限");
    QTest::newRow("ecall") << QStringLiteral("按了 SOS 没人接") << QStringLiteral("eCall/bCall救援");
}

void TestTspVocabulary::categoryScoring()
{
    QFETCH(QString, text);
    QFETCH(QString, category);
    const auto scores = scoreCategories(text);
    QVERIFY(!scores.isEmpty());
    QCOMPARE(scores.first().name, category);
    for (qsizetype i = 1; i < scores.size(); ++i)
        QVERIFY(scores[i - 1].score >= scores[i].score);
}

void TestTspVocabulary::normalizeCodes_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("project") << "e-1001"
                             << "E-1001";
    QTest::newRow("no dash") << "E1001"
                             << "E-1001";
    QTest::newRow("ota no dash") << "U4020"
                                 << "U-4020";
    QTest::newRow("charging no dash") << "c6011"
                                      << "C-6011";
    QTest::newRow("obd U") << "u0100"
                           << "U0100";
    QTest::newRow("obd C") << "C0561"
                           << "C0561";
    QTest::newRow("obd P hex") << "p0a80"
                               << "P0A80";
}

void TestTspVocabulary::normalizeCodes()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(normalizeCode(in), out);
}

void TestTspVocabulary::followUpsAndDomainTerms_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("followUp");
    QTest::addColumn<bool>("domain");
    QTest::addColumn<bool>("onlyTheCar");
    QTest::newRow("still broken") << QStringLiteral("还是不行") << true << false << false;
    QTest::newRow("other ways") << QStringLiteral("还有其他方法吗？") << true << false << false;
    QTest::newRow("tried") << QStringLiteral("试过了，没用") << true << false << false;
    QTest::newRow("domain") << QStringLiteral("蓝牙钥匙用不了") << false << true << false;
    QTest::newRow("model") << QStringLiteral("我的墨川 V7 怎么了") << false << true << false;
    QTest::newRow("code only") << QStringLiteral("E-1042") << false << true << false;
    QTest::newRow("weather") << QStringLiteral("今天天气怎么样") << false << false << false;
    QTest::newRow("the car alone") << QStringLiteral("朔风T3 2021款的") << false << true << true;
    QTest::newRow("who I am") << QStringLiteral("我是云驰E5") << false << true << true;
    QTest::newRow("the car and a problem") << QStringLiteral("朔风T3，钥匙打不开") << false << true << false;
    QTest::newRow("a year, no car") << QStringLiteral("2021") << false << false << false;
}

void TestTspVocabulary::followUpsAndDomainTerms()
{
    QFETCH(QString, text);
    QFETCH(bool, followUp);
    QFETCH(bool, domain);
    QFETCH(bool, onlyTheCar);
    QCOMPARE(isFollowUp(text), followUp);
    QCOMPARE(hasDomainTerm(text), domain);
    QCOMPARE(onlyNamesTheCar(text), onlyTheCar);
}

void TestTspVocabulary::onlyThePlace_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("onlyThePlace");
    QTest::newRow("open-air car park") << QStringLiteral("在露天停车场") << true;
    QTest::newRow("parked underground") << QStringLiteral("车停在地下车库") << true;
    QTest::newRow("estate garage") << QStringLiteral("车停在小区地库") << true;
    QTest::newRow("a problem there") << QStringLiteral("地库里信号不好") << false;
    QTest::newRow("fails there") << QStringLiteral("在小区就连不上") << false;
    QTest::newRow("asks about it") << QStringLiteral("在地库能用吗") << false;
    QTest::newRow("a city is no place of the car") << QStringLiteral("我在广州") << false;
    QTest::newRow("offline there") << QStringLiteral("停在车库就离线") << false;
    QTest::newRow("a long story") << QStringLiteral("车一直停在小区楼下的露天车位上已经一个多星期了")
                                  << false;
}

void TestTspVocabulary::onlyThePlace()
{
    QFETCH(QString, text);
    QFETCH(bool, onlyThePlace);
    QCOMPARE(onlyNamesThePlace(text), onlyThePlace);
}

void TestTspVocabulary::smallTalkKinds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::newRow("hello") << QStringLiteral("您好！") << int(SmallTalk::Greeting);
    QTest::newRow("hi twice") << QStringLiteral("hi hi") << int(SmallTalk::Greeting);
    QTest::newRow("thanks") << QStringLiteral("谢谢～") << int(SmallTalk::Thanks);
    QTest::newRow("ok thanks") << QStringLiteral("好的，谢谢") << int(SmallTalk::Thanks);
    QTest::newRow("ok") << QStringLiteral("OK") << int(SmallTalk::Acknowledgement);
    QTest::newRow("thanks to you") << QStringLiteral("好的谢谢你") << int(SmallTalk::Thanks);
    QTest::newRow("thanks, with particles") << QStringLiteral("谢谢您啦～") << int(SmallTalk::Thanks);
    QTest::newRow("ok, with a particle") << QStringLiteral("好的呀") << int(SmallTalk::Acknowledgement);
    QTest::newRow("particles alone") << QStringLiteral("你啊") << int(SmallTalk::None);
    QTest::newRow("understood") << QStringLiteral("明白了") << int(SmallTalk::Acknowledgement);
    QTest::newRow("not good") << QStringLiteral("不好了") << int(SmallTalk::None);
    QTest::newRow("question") << QStringLiteral("你好，车机没网") << int(SmallTalk::None);
    QTest::newRow("empty") << QString() << int(SmallTalk::None);
    QTest::newRow("bye") << QStringLiteral("拜拜～") << int(SmallTalk::Acknowledgement);
    QTest::newRow("resolved") << QStringLiteral("问题已经解决了") << int(SmallTalk::Acknowledgement);
    QTest::newRow("will try") << QStringLiteral("那我再试试，有问题再找你们")
                              << int(SmallTalk::Acknowledgement);
    QTest::newRow("ok, hard work") << QStringLiteral("ok明白了，辛苦啦") << int(SmallTalk::Thanks);
    QTest::newRow("anyone there") << QStringLiteral("在吗 有人没") << int(SmallTalk::Greeting);
    QTest::newRow("still not") << QStringLiteral("还是不行") << int(SmallTalk::None);
    QTest::newRow("not ok") << QStringLiteral("不行") << int(SmallTalk::None);
    QTest::newRow("do you know") << QStringLiteral("知道吗") << int(SmallTalk::None);
}

void TestTspVocabulary::smallTalkKinds()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QCOMPARE(int(smallTalk(text)), kind);
}

// One vocabulary: whatever the search refuses as small talk, the assistant answers as small talk
// (it used to hand "拜拜" and "问题已经解决了" to a person, the search's words not being its own).
void TestTspVocabulary::everyConversationalWordIsSmallTalk()
{
    QVERIFY(DomainLexicon::conversationalWords().size() > 50);
    for (const QString &w : DomainLexicon::conversationalWords())
        QVERIFY2(smallTalk(w) != SmallTalk::None, qPrintable(w));
    for (const QString &w : DomainLexicon::greetingWords())
        QVERIFY2(smallTalk(w) == SmallTalk::Greeting, qPrintable(w));
    for (const QString &w : DomainLexicon::closingWords())
        QVERIFY2(smallTalk(w) == SmallTalk::Acknowledgement, qPrintable(w));
}

void TestTspVocabulary::emergencies()
{
    QVERIFY(isEmergency(QStringLiteral("高速上追尾了")));
    QVERIFY(isEmergency(QStringLiteral("发动机舱冒烟")));
    QVERIFY(!isEmergency(QStringLiteral("如何测试 eCall 功能")));
    QCOMPARE(meaningfulLength(QStringLiteral("还是 不行！！😭")), 4);
}

QTEST_GUILESS_MAIN(TestTspVocabulary)
#include "tst_tspvocabulary.moc"

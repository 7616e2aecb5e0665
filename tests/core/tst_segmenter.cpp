#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "knowledge/domainlexicon.h"
#include "knowledge/segmenter.h"

class TestSegmenter final : public QObject
{
    Q_OBJECT
private slots:
    void basicNormalize_data();
    void basicNormalize();
    void synonymsInNormalize_data();
    void synonymsInNormalize();
    void runs();
    void bigramsForCjk();
    void singleCharacterRun();
    void latinTokensWhole();
    void domainTermsWhole_data();
    void domainTermsWhole();
    void latinTermNeedsWordBoundary();
    void icuWordsDropPunctuation();
    void longLatinRunIsCut();
    void isCjk();
    void fingerprintStable();
    void domainTermsAsTermByTermSearch();
};

void TestSegmenter::basicNormalize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("t-box") << QStringLiteral("T-Box离线") << QStringLiteral("tbox离线");
    QTest::newRow("TBOX") << QStringLiteral("TBOX 离线") << QStringLiteral("tbox 离线");
    QTest::newRow("t box") << QStringLiteral("t box坏了") << QStringLiteral("tbox坏了");
    QTest::newRow("t_box") << QStringLiteral("T_BOX") << QStringLiteral("tbox");
    QTest::newRow("tbox inside a word stays") << QStringLiteral("smartbox") << QStringLiteral("smartbox");
    QTest::newRow("error code hyphen") << QStringLiteral("报 E-1023") << QStringLiteral("报 e1023");
    QTest::newRow("error code underscore") << QStringLiteral("U_4012") << QStringLiteral("u4012");
    QTest::newRow("obd code") << QStringLiteral("P0562") << QStringLiteral("p0562");
    QTest::newRow("error code with a space") << QStringLiteral("app报c 6020") << QStringLiteral("app报c6020");
    QTest::newRow("code with a space, upper case")
        << QStringLiteral("提示E 1042没权限") << QStringLiteral("提示e1042没权限");
    QTest::newRow("a word and a year stay apart") << QStringLiteral("ota 2023") << QStringLiteral("ota 2023");
    QTest::newRow("a letter and a short number stay apart")
        << QStringLiteral("v 12") << QStringLiteral("v 12");
    QTest::newRow("a phone's system and its version")
        << QStringLiteral("升到iOS18后") << QStringLiteral("升到ios 18后");
    QTest::newRow("a phone and its model number")
        << QStringLiteral("iPhone15和Android12") << QStringLiteral("iphone 15和android 12");
    QTest::newRow("a code of three letters stays whole")
        << QStringLiteral("abs12") << QStringLiteral("abs12");
    QTest::newRow("wi-fi") << QStringLiteral("Wi-Fi热点") << QStringLiteral("wifi热点");
    QTest::newRow("version dots") << QStringLiteral("版本 4.0.1") << QStringLiteral("版本 4p0p1");
    QTest::newRow("sentence dot stays") << QStringLiteral("好了. 谢谢") << QStringLiteral("好了. 谢谢");
    QTest::newRow("full-width") << QStringLiteral("ＡＰＰ　登录") << QStringLiteral("app 登录");
    QTest::newRow("white space collapsed")
        << QStringLiteral("  车机 \t\n 没网 ") << QStringLiteral("车机 没网");
    QTest::newRow("empty") << QString() << QString();
}

void TestSegmenter::basicNormalize()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(Segmenter::basicNormalize(input), expected);
}

void TestSegmenter::synonymsInNormalize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("typo") << QStringLiteral("收不到验证吗") << QStringLiteral("收不到验证码");
    QTest::newRow("colloquial no network") << QStringLiteral("车机没网") << QStringLiteral("车机无网络");
    QTest::newRow("battery") << QStringLiteral("电瓶没电") << QStringLiteral("蓄电池没电");
    QTest::newRow("latin variant") << QStringLiteral("Bluetooth连不上") << QStringLiteral("蓝牙连不上");
}

void TestSegmenter::synonymsInNormalize()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(Segmenter::normalize(input), expected);
}

void TestSegmenter::runs()
{
    const QStringList r = Segmenter::runs(QStringLiteral("tbox离线, 4g信号弱 e1023"));
    QCOMPARE(r, (QStringList{QStringLiteral("tbox"), QStringLiteral("离线"), QStringLiteral("4g"),
                             QStringLiteral("信号弱"), QStringLiteral("e1023")}));
    QVERIFY(Segmenter::isCjkRun(QStringLiteral("离线")));
    QVERIFY(!Segmenter::isCjkRun(QStringLiteral("tbox")));
    QVERIFY(!Segmenter::isCjkRun(QString()));
}

void TestSegmenter::bigramsForCjk()
{
    Segmenter s;
    const QStringList tokens = s.indexTokens(QStringLiteral("网络连接"));
    // Every adjacent pair, so a two-character query word always finds its entries.
    QVERIFY(tokens.contains(QStringLiteral("网络")));
    QVERIFY(tokens.contains(QStringLiteral("络连")));
    QVERIFY(tokens.contains(QStringLiteral("连接")));
    QVERIFY(!tokens.contains(QStringLiteral("网")));
    // No unigram and no token that crosses a space.
    const QStringList split = s.indexTokens(QStringLiteral("网络 连接"));
    QVERIFY(!split.contains(QStringLiteral("络连")));
}

void TestSegmenter::singleCharacterRun()
{
    Segmenter s;
    QCOMPARE(s.indexTokens(QStringLiteral("卡")), QStringList{QStringLiteral("卡")});
}

void TestSegmenter::latinTokensWhole()
{
    Segmenter s;
    const QStringList tokens =
        s.indexTokens(Segmenter::basicNormalize(QStringLiteral("T-Box报E-1023, OTA和APP")));
    QVERIFY(tokens.contains(QStringLiteral("tbox")));
    QVERIFY(tokens.contains(QStringLiteral("e1023")));
    QVERIFY(tokens.contains(QStringLiteral("ota")));
    QVERIFY(tokens.contains(QStringLiteral("app")));
    // No fragments of the Latin words.
    QVERIFY(!tokens.contains(QStringLiteral("t")));
    QVERIFY(!tokens.contains(QStringLiteral("box")));
    QVERIFY(!tokens.contains(QStringLiteral("1023")));
}

void TestSegmenter::domainTermsWhole_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("term");
    QTest::newRow("数字钥匙") << QStringLiteral("数字钥匙用不了") << QStringLiteral("数字钥匙");
    QTest::newRow("远程控制") << QStringLiteral("远程控制没反应") << QStringLiteral("远程控制");
    QTest::newRow("深度休眠") << QStringLiteral("车辆进入深度休眠") << QStringLiteral("深度休眠");
    QTest::newRow("sim卡 mixed") << QStringLiteral("sim卡欠费") << QStringLiteral("sim卡");
}

void TestSegmenter::domainTermsWhole()
{
    QFETCH(QString, text);
    QFETCH(QString, term);
    Segmenter s;
    QVERIFY2(s.indexTokens(text).contains(term), qPrintable(s.indexTokens(text).join(u' ')));
}

void TestSegmenter::latinTermNeedsWordBoundary()
{
    Segmenter s;
    // "sim卡" is a domain term; inside "esim卡" it is not one (esim is its own word).
    const QStringList tokens = s.indexTokens(QStringLiteral("esim卡"));
    QVERIFY(tokens.contains(QStringLiteral("esim")));
    QVERIFY(!tokens.contains(QStringLiteral("sim卡")));
}

void TestSegmenter::icuWordsDropPunctuation()
{
    Segmenter s;
    const QStringList words = s.icuWords(QStringLiteral("手机，蓝牙！"));
    QVERIFY(!words.isEmpty());
    for (const QString &w : words) {
        QVERIFY2(!w.contains(QChar(0xFF0C)) && !w.contains(QChar(0xFF01)) && !w.contains(QLatin1Char(' ')),
                 qPrintable(w));
    }
    QCOMPARE(words.join(QString()), QStringLiteral("手机蓝牙"));
    QVERIFY(s.icuWords(QString()).isEmpty());
}

void TestSegmenter::longLatinRunIsCut()
{
    const QString long100(100, QLatin1Char('a'));
    const QStringList r = Segmenter::runs(long100);
    QCOMPARE(r.size(), 1);
    QCOMPARE(r.front().size(), Segmenter::kMaxTokenLength);
}

void TestSegmenter::isCjk()
{
    QVERIFY(Segmenter::isCjk(QChar(0x8F66))); // 车
    QVERIFY(Segmenter::isCjk(QChar(0x3400))); // extension A
    QVERIFY(!Segmenter::isCjk(QLatin1Char('a')));
    QVERIFY(!Segmenter::isCjk(QChar(0xFF0C))); // full-width comma
    QVERIFY(!Segmenter::isCjk(QChar(0x3002))); // 。
}

void TestSegmenter::fingerprintStable()
{
    const QString f = Segmenter::fingerprint();
    QVERIFY(f.startsWith(QStringLiteral("seg")));
    QVERIFY(f.contains(QStringLiteral("-icu")));
    QCOMPARE(Segmenter::fingerprint(), f);
}

// indexTokens() finds the domain terms in one pass over the text; its output must be exactly what
// a search of the text for each term in lexicon order gives (the index was built that way).
void TestSegmenter::domainTermsAsTermByTermSearch()
{
    auto wordChar = [](QChar c) { return c.isLetterOrNumber() && !Segmenter::isCjk(c); };
    auto reference = [&](const QString &normalized) {
        QStringList tokens;
        for (const QString &term : DomainLexicon::terms()) {
            if (term.size() < 3 || std::none_of(term.cbegin(), term.cend(), Segmenter::isCjk))
                continue;
            qsizetype from = 0;
            while ((from = normalized.indexOf(term, from)) >= 0) {
                const qsizetype end = from + term.size();
                const bool leftOk =
                    from == 0 || !wordChar(term.front()) || !wordChar(normalized.at(from - 1));
                const bool rightOk =
                    end == normalized.size() || !wordChar(term.back()) || !wordChar(normalized.at(end));
                if (leftOk && rightOk)
                    tokens << term;
                from = end;
            }
        }
        return tokens;
    };
    QFile f(QStringLiteral(":/knowledge/tsp-knowledge.jsonl"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const Segmenter seg;
    int texts = 0, withTerms = 0;
    QStringList samples{QStringLiteral("远程控制远程控制 数字钥匙数字钥匙钥匙"),
                        QStringLiteral("T-Box离线 tbox iota ota升级")};
    while (!f.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
        for (const QString &key :
             {QStringLiteral("title"), QStringLiteral("cause"), QStringLiteral("solution")})
            samples << o.value(key).toString();
    }
    for (const QString &raw : std::as_const(samples)) {
        const QString n = Segmenter::normalize(raw);
        const QStringList all = seg.indexTokens(n);
        const QStringList expected = reference(n);
        // The domain terms come last, after the bigrams, Latin tokens and ICU words.
        QVERIFY(all.size() >= expected.size());
        QCOMPARE(all.mid(all.size() - expected.size()), expected);
        ++texts;
        withTerms += !expected.isEmpty();
    }
    QVERIFY(texts > 900);
    QVERIFY(withTerms > 300); // the comparison is not vacuous
}

QTEST_GUILESS_MAIN(TestSegmenter)
#include "tst_segmenter.moc"

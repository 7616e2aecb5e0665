#include <QTest>

#include "knowledge/domainlexicon.h"
#include "knowledge/homophonecorrector.h"
#include "knowledge/segmenter.h"

using namespace Qt::StringLiterals;

// The corrector over DomainLexicon::terms(), with the bigrams of a small text standing in for
// the knowledge base's vocabulary.
class TestHomophoneCorrector final : public QObject
{
    Q_OBJECT
private slots:
    void pinyinIsToneless();
    void readsATermSpelledBySound_data();
    void readsATermSpelledBySound();
    void leavesWordsAlone_data();
    void leavesWordsAlone();
    void aSpanTheKnowledgeSaysIsAWord();
    void aPhraseTheLexiconKnowsStays();
    void reportsWhereItCorrected();

private:
    QString correct(const QString &text, const QStringList &lexicon = {},
                    QList<HomophoneCorrector::Correction> *out = nullptr) const;

    // Words an entry of the demo knowledge base says (the bigrams `known` answers for).
    QString m_knowledge = u"车辆定位不更新 数字钥匙绑定失败 升级包下载 后备箱打不开 车机离线 导航地图 "
                          u"车里很热 那里 显示 图标 直接 帮我 基本 公司 几十 吃光 故障码 流量池"_s;
    Segmenter m_segmenter;
};

QString TestHomophoneCorrector::correct(const QString &text, const QStringList &lexicon,
                                        QList<HomophoneCorrector::Correction> *out) const
{
    const QString normalized = Segmenter::basicNormalize(text);
    QSet<QChar> particles;
    for (const QChar c : DomainLexicon::stopChars())
        particles.insert(c);
    const auto known = [this](const QString &bigram) { return m_knowledge.contains(bigram); };
    return HomophoneCorrector::builtin().correct(normalized, m_segmenter.wordBoundaries(normalized), known,
                                                 particles, lexicon, out);
}

void TestHomophoneCorrector::pinyinIsToneless()
{
    QCOMPARE(HomophoneCorrector::pinyin(u'定'), u"ding"_s);
    QCOMPARE(HomophoneCorrector::pinyin(u'位'), u"wei"_s);
    QCOMPARE(HomophoneCorrector::pinyin(u'为'), HomophoneCorrector::pinyin(u'位'));
    QCOMPARE(HomophoneCorrector::pinyin(u'厢'), HomophoneCorrector::pinyin(u'箱'));
    QVERIFY(HomophoneCorrector::pinyin(u'航') != HomophoneCorrector::pinyin(u'行'));
    QCOMPARE(HomophoneCorrector::pinyin(u'a'), u"a"_s);
}

void TestHomophoneCorrector::readsATermSpelledBySound_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expected");
    QTest::newRow("定为") << u"车找不到了能定为吗"_s << u"车找不到了能定位吗"_s;
    QTest::newRow("定味") << u"app上车的定味还是前天的"_s << u"app上车的定位还是前天的"_s;
    QTest::newRow("绑顶 (ICU glues 顶了)") << u"提示已经被别的账号绑顶了"_s << u"提示已经被别的账号绑定了"_s;
    QTest::newRow("生级报") << u"生级报u4012咋弄"_s << u"升级包u4012咋弄"_s;
    QTest::newRow("后备厢") << u"怎么没有开后备厢的按钮"_s << u"怎么没有开后备箱的按钮"_s;
    QTest::newRow("倒航") << u"会不会把倒航的流量用光"_s << u"会不会把导航的流量用光"_s;
}

void TestHomophoneCorrector::readsATermSpelledBySound()
{
    QFETCH(QString, query);
    QFETCH(QString, expected);
    QCOMPARE(correct(query), expected);
}

void TestHomophoneCorrector::leavesWordsAlone_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("里显 inside 那里显示") << u"钥匙那里显示不可用"_s;
    QTest::newRow("里先: 里 is of 车里") << u"让车里先凉快"_s;
    QTest::newRow("的图: 图 is of 图标") << u"车况里的图标还显示没关好"_s;
    QTest::newRow("接帮: 接 is of 直接") << u"能不能直接帮我把灯弄灭"_s;
    QTest::newRow("车基: 基 is of 基本") << u"车基本都停在露天"_s;
    QTest::newRow("司几: 司 is of 公司") << u"给公司几十台车买保险"_s;
    QTest::newRow("流量吃: 吃 is of 吃光") << u"会不会把流量吃光"_s;
    QTest::newRow("故障吗: a question, not 故障码") << u"这是故障吗"_s;
    QTest::newRow("the term itself") << u"车辆定位不更新"_s;
    QTest::newRow("no CJK") << u"app e1023 tbox"_s;
    QTest::newRow("empty") << QString();
}

void TestHomophoneCorrector::leavesWordsAlone()
{
    QFETCH(QString, query);
    QList<HomophoneCorrector::Correction> out;
    QCOMPARE(correct(query, {}, &out), Segmenter::basicNormalize(query));
    QVERIFY(out.isEmpty());
}

void TestHomophoneCorrector::aSpanTheKnowledgeSaysIsAWord()
{
    // 定为 sounds like 定位; once the knowledge base says 定为 itself, it is a word, not a typo.
    QCOMPARE(correct(u"能定为吗"_s), u"能定位吗"_s);
    m_knowledge += u" 定为"_s;
    QCOMPARE(correct(u"能定为吗"_s), u"能定为吗"_s);
    m_knowledge.chop(3);
}

void TestHomophoneCorrector::aPhraseTheLexiconKnowsStays()
{
    // 死机 sounds like 司机 (a fleet driver); the lexicon knows the phrase, so it stays.
    QCOMPARE(correct(u"车机经常死机"_s), u"车机经常司机"_s);
    QCOMPARE(correct(u"车机经常死机"_s, {u"死机"_s}), u"车机经常死机"_s);
}

void TestHomophoneCorrector::reportsWhereItCorrected()
{
    QList<HomophoneCorrector::Correction> out;
    QCOMPARE(correct(u"能定为吗,生级报咋弄"_s, {}, &out), u"能定位吗,升级包咋弄"_s);
    QCOMPARE(out.size(), 2);
    // Longest terms first.
    QCOMPARE(out.at(0).typed, u"生级报"_s);
    QCOMPARE(out.at(0).term, u"升级包"_s);
    QCOMPARE(out.at(0).at, 5);
    QCOMPARE(out.at(1).typed, u"定为"_s);
    QCOMPARE(out.at(1).term, u"定位"_s);
    QCOMPARE(out.at(1).at, 1);
}

QTEST_GUILESS_MAIN(TestHomophoneCorrector)
#include "tst_homophonecorrector.moc"

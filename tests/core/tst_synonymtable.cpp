#include <QTest>

#include "knowledge/segmenter.h"
#include "knowledge/synonymtable.h"

using Groups = QList<QPair<QString, QStringList>>;
using Rewrites = QList<QPair<QString, QString>>;

class TestSynonymTable final : public QObject
{
    Q_OBJECT
private slots:
    void canonicalizeVariants();
    void longestMatchWins();
    void canonicalFormIsNotRewrittenAgain();
    void latinVariantNeedsWordBoundaries_data();
    void latinVariantNeedsWordBoundaries();
    void multiWordLatinVariant();
    void expandReplacesAndRecords();
    void expandWithoutMatch();
    void expandSkipsFillersInsideAPhrase();
    void rewriteWrittenWithAVariantMatches();
    void canonicalOf();
    void builtinCanonicalizes_data();
    void builtinCanonicalizes();
    void builtinExpands_data();
    void builtinExpands();
    void documentsAndQueriesMeet();
};

namespace {

SynonymTable smallTable()
{
    const Groups groups{
        {QStringLiteral("无网络"),
         {QStringLiteral("没网"), QStringLiteral("无网"), QStringLiteral("没有网")}},
        {QStringLiteral("蓄电池"), {QStringLiteral("电瓶"), QStringLiteral("小电瓶")}},
        {QStringLiteral("sim卡"), {QStringLiteral("sim"), QStringLiteral("流量卡")}},
        {QStringLiteral("远程解锁"), {QStringLiteral("remote unlock")}},
    };
    const Rewrites rewrites{{QStringLiteral("开不了门"), QStringLiteral("远程解锁 失败")},
                            {QStringLiteral("车钥匙"), QStringLiteral("数字钥匙")}};
    return SynonymTable(groups, rewrites);
}

} // namespace

void TestSynonymTable::canonicalizeVariants()
{
    const SynonymTable t = smallTable();
    QCOMPARE(t.canonicalize(QStringLiteral("车机没网了")), QStringLiteral("车机无网络了"));
    QCOMPARE(t.canonicalize(QStringLiteral("电瓶和流量卡")), QStringLiteral("蓄电池和sim卡"));
    QCOMPARE(t.canonicalize(QString()), QString());
}

void TestSynonymTable::longestMatchWins()
{
    const SynonymTable t = smallTable();
    // 没有网 (3) beats 没网? They do not overlap; 小电瓶 beats 电瓶 at the same start.
    QCOMPARE(t.canonicalize(QStringLiteral("没有网")), QStringLiteral("无网络"));
    QCOMPARE(t.canonicalize(QStringLiteral("小电瓶亏电")), QStringLiteral("蓄电池亏电"));
}

void TestSynonymTable::canonicalFormIsNotRewrittenAgain()
{
    const SynonymTable t = smallTable();
    // 无网 is a variant, but inside the canonical 无网络 it must not match (no 无网络络).
    QCOMPARE(t.canonicalize(QStringLiteral("车机无网络")), QStringLiteral("车机无网络"));
    // Idempotent.
    const QString once = t.canonicalize(QStringLiteral("没网 电瓶 sim"));
    QCOMPARE(t.canonicalize(once), once);
}

void TestSynonymTable::latinVariantNeedsWordBoundaries_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("alone") << QStringLiteral("sim 欠费") << QStringLiteral("sim卡 欠费");
    QTest::newRow("next to cjk") << QStringLiteral("换sim了") << QStringLiteral("换sim卡了");
    QTest::newRow("inside esim") << QStringLiteral("esim激活") << QStringLiteral("esim激活");
    QTest::newRow("prefix of simple") << QStringLiteral("simple") << QStringLiteral("simple");
}

void TestSynonymTable::latinVariantNeedsWordBoundaries()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(smallTable().canonicalize(input), expected);
}

void TestSynonymTable::multiWordLatinVariant()
{
    QCOMPARE(smallTable().canonicalize(QStringLiteral("remote unlock failed")),
             QStringLiteral("远程解锁 failed"));
}

void TestSynonymTable::expandReplacesAndRecords()
{
    const SynonymTable::Rewrite r = smallTable().expand(QStringLiteral("车钥匙开不了门"));
    QCOMPARE(r.expansions, (QStringList{QStringLiteral("数字钥匙"), QStringLiteral("远程解锁 失败")}));
    QVERIFY(r.text.contains(QStringLiteral("数字钥匙")));
    QVERIFY(r.text.contains(QStringLiteral("远程解锁 失败")));
    QVERIFY(!r.text.contains(QStringLiteral("开不了门")));
}

void TestSynonymTable::expandWithoutMatch()
{
    const SynonymTable::Rewrite r = smallTable().expand(QStringLiteral("导航不准"));
    QCOMPARE(r.text, QStringLiteral("导航不准"));
    QVERIFY(r.expansions.isEmpty());
}

void TestSynonymTable::expandSkipsFillersInsideAPhrase()
{
    const Rewrites rewrites{{QStringLiteral("账号删掉"), QStringLiteral("注销")},
                            {QStringLiteral("开不了门"), QStringLiteral("远程解锁 失败")}};
    const SynonymTable t({}, rewrites, {QStringLiteral("想"), QStringLiteral("彻底"), QStringLiteral("都")});

    // Said with words inside: the whole span is rewritten, the text around it stays.
    SynonymTable::Rewrite r = t.expand(QStringLiteral("车卖了账号想彻底删掉"));
    QCOMPARE(r.expansions, QStringList{QStringLiteral("注销")});
    QCOMPARE(r.text, QStringLiteral("车卖了 注销 "));

    // A phrase as written and one with a filler, in text order.
    r = t.expand(QStringLiteral("开都开不了门 账号彻底删掉"));
    QCOMPARE(r.expansions, (QStringList{QStringLiteral("远程解锁 失败"), QStringLiteral("注销")}));
    QCOMPARE(r.text, QStringLiteral("开都 远程解锁 失败   注销 "));

    // Without the table's fillers, a word inside the phrase keeps it from matching.
    r = SynonymTable({}, rewrites).expand(QStringLiteral("账号想彻底删掉"));
    QVERIFY(r.expansions.isEmpty());
    // Other words inside are not skipped.
    r = t.expand(QStringLiteral("账号里的照片删掉"));
    QVERIFY(r.expansions.isEmpty());
}

// Rewrites see canonical text: a phrase written with a variant (电瓶) is found in the canonical
// spelling (蓄电池) the query has by then.
void TestSynonymTable::rewriteWrittenWithAVariantMatches()
{
    const SynonymTable t({{QStringLiteral("蓄电池"), {QStringLiteral("电瓶")}}},
                         {{QStringLiteral("刚换电瓶"), QStringLiteral("更换 断电")}});
    const QString query = t.canonicalize(QStringLiteral("刚换电瓶app就离线了"));
    QCOMPARE(query, QStringLiteral("刚换蓄电池app就离线了"));
    const SynonymTable::Rewrite r = t.expand(query);
    QCOMPARE(r.expansions, QStringList{QStringLiteral("更换 断电")});
    QCOMPARE(r.text, QStringLiteral(" 更换 断电 app就离线了"));
}

void TestSynonymTable::canonicalOf()
{
    const SynonymTable t = smallTable();
    QCOMPARE(t.canonicalOf(QStringLiteral("电瓶")), QStringLiteral("蓄电池"));
    QCOMPARE(t.canonicalOf(QStringLiteral("蓄电池")), QStringLiteral("蓄电池"));
    QCOMPARE(t.canonicalOf(QStringLiteral("导航")), QStringLiteral("导航"));
}

void TestSynonymTable::builtinCanonicalizes_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    // Pairs of wordings that must meet on one spelling.
    QTest::newRow("没网/无法联网") << QStringLiteral("没网") << QStringLiteral("无法联网");
    QTest::newRow("登陆/登录") << QStringLiteral("登陆") << QStringLiteral("登录");
    QTest::newRow("验证吗/验证码") << QStringLiteral("验证吗") << QStringLiteral("验证码");
    QTest::newRow("电瓶/蓄电池") << QStringLiteral("电瓶") << QStringLiteral("蓄电池");
    QTest::newRow("远控/远程控制") << QStringLiteral("远控") << QStringLiteral("远程控制");
    QTest::newRow("手机钥匙/数字钥匙") << QStringLiteral("手机钥匙") << QStringLiteral("数字钥匙");
    QTest::newRow("车载终端/tbox") << QStringLiteral("车载终端") << QStringLiteral("T-Box");
    QTest::newRow("中控屏/车机") << QStringLiteral("中控屏") << QStringLiteral("车机");
    QTest::newRow("DTC/故障码") << QStringLiteral("DTC") << QStringLiteral("故障码");
    QTest::newRow("掉线/离线") << QStringLiteral("掉线") << QStringLiteral("离线");
}

void TestSynonymTable::builtinCanonicalizes()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QCOMPARE(Segmenter::normalize(a), Segmenter::normalize(b));
}

void TestSynonymTable::builtinExpands_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expansion");
    QTest::newRow("车钥匙") << QStringLiteral("车钥匙用不了") << QStringLiteral("数字钥匙");
    QTest::newRow("开不了门") << QStringLiteral("远程开不了门") << QStringLiteral("远程解锁 失败");
    QTest::newRow("锁不上") << QStringLiteral("车锁不上") << QStringLiteral("远程闭锁 失败");
    QTest::newRow("老婆") << QStringLiteral("老婆用不了车") << QStringLiteral("家人");
}

void TestSynonymTable::builtinExpands()
{
    QFETCH(QString, query);
    QFETCH(QString, expansion);
    const SynonymTable::Rewrite r = SynonymTable::builtin().expand(Segmenter::normalize(query));
    QVERIFY2(r.expansions.contains(expansion), qPrintable(r.expansions.join(u'|')));
}

void TestSynonymTable::documentsAndQueriesMeet()
{
    // A document written formally and a colloquial query share the canonical token.
    const QString doc = Segmenter::normalize(QStringLiteral("车机无法联网，4G图标消失"));
    const QString query = Segmenter::normalize(QStringLiteral("车机没网"));
    QVERIFY(doc.contains(QStringLiteral("无网络")));
    QVERIFY(query.contains(QStringLiteral("无网络")));
}

QTEST_GUILESS_MAIN(TestSynonymTable)
#include "tst_synonymtable.moc"

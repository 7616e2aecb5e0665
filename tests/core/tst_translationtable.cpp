#include <cmath>

#include <QTest>

#include "knowledge/translationtable.h"

using namespace Qt::Literals::StringLiterals;

class TestTranslationTable final : public QObject
{
    Q_OBJECT
private slots:
    void parseSkipsCommentsAndBadLines();
    void figuresAreMeanLogProbabilities();
    void unknownEntryTokensDilute();
    void emptyQuestionOrEntryWeighsNothing();
    void builtinSaysOwnersWords();
};

namespace {

// 看病 is said for 体检 (0.5) and 诊断 (0.2); 失败 for itself.
const QString kSmall = u"# a comment\n"
                       "看病\t体检\t0.5\n"
                       "看病\t诊断\t0.2\n"
                       "失败\t失败\t0.8\n"
                       "\n"
                       "坏行\t只有两列\n"
                       "负数\t体检\t-0.1\n"
                       "太大\t体检\t1.5\n"
                       "不是数\t体检\tabc\n"_s;

double logP(double p)
{
    return std::log(p + TranslationTable::kFloor);
}

// The table keeps its probabilities as floats.
bool near(double a, double b)
{
    return std::abs(a - b) < 1e-6;
}

} // namespace

void TestTranslationTable::parseSkipsCommentsAndBadLines()
{
    int skipped = -1;
    const TranslationTable t = TranslationTable::parse(kSmall, &skipped);
    QCOMPARE(t.pairs(), 3);
    QCOMPARE(skipped, 4); // two columns, a negative, above 1, not a number
    QVERIFY(!t.isEmpty());
    QVERIFY(TranslationTable::parse(u"# only a comment\n"_s).isEmpty());
}

void TestTranslationTable::figuresAreMeanLogProbabilities()
{
    const TranslationTable t = TranslationTable::parse(kSmall);
    // The entry says 体检 and 失败; the question says 看病 and 失败.
    const TranslationTable::Entry checkup = t.entry({u"体检"_s, u"失败"_s, u"体检"_s});
    QCOMPARE(checkup.size, 2); // distinct tokens
    const auto f = t.figures({u"看病"_s, u"失败"_s}, checkup);
    QVERIFY(near(f.all, (logP(0.5 / 2) + logP(0.8 / 2)) / 2));
    // Only 看病 is not the entry's own token.
    QVERIFY(near(f.unmatched, logP(0.5 / 2)));
    // An entry about diagnosis explains 看病 less well, and 失败 not at all.
    const auto g = t.figures({u"看病"_s, u"失败"_s}, t.entry({u"诊断"_s, u"报告"_s}));
    QVERIFY(near(g.all, (logP(0.2 / 2) + logP(0.0)) / 2));
    QVERIFY(g.all < f.all);
    QVERIFY(g.unmatched < f.unmatched);
}

void TestTranslationTable::unknownEntryTokensDilute()
{
    const TranslationTable t = TranslationTable::parse(kSmall);
    // Tokens the table never saw count in the entry's size: a long entry spreads its probability.
    const auto shortEntry = t.figures({u"看病"_s}, t.entry({u"体检"_s}));
    const auto longEntry = t.figures({u"看病"_s}, t.entry({u"体检"_s, u"甲乙"_s, u"丙丁"_s, u"戊己"_s}));
    QVERIFY(near(shortEntry.all, logP(0.5)));
    QVERIFY(near(longEntry.all, logP(0.5 / 4)));
}

void TestTranslationTable::emptyQuestionOrEntryWeighsNothing()
{
    const TranslationTable t = TranslationTable::parse(kSmall);
    const auto noQuestion = t.figures({}, t.entry({u"体检"_s}));
    QCOMPARE(noQuestion.all, 0.0);
    QCOMPARE(noQuestion.unmatched, 0.0);
    const auto noEntry = t.figures({u"看病"_s}, t.entry({}));
    QCOMPARE(noEntry.all, 0.0);
    // A question whose every token is the entry's own has no unmatched token: 0, not NaN.
    const auto own = t.figures({u"失败"_s}, t.entry({u"失败"_s}));
    QCOMPARE(own.unmatched, 0.0);
    QVERIFY(near(own.all, logP(0.8)));
}

void TestTranslationTable::builtinSaysOwnersWords()
{
    // The shipped table, learnt from the read question sets: "满了" (a fleet's accounts are full) is
    // more likely under the entry about the sub-account limit's tokens than under a login entry's.
    const TranslationTable &t = TranslationTable::builtin();
    QVERIFY(t.pairs() > 10000);
    const auto limit = t.figures({u"满了"_s}, t.entry({u"子账"_s, u"账号"_s, u"上限"_s, u"数量"_s}));
    const auto login = t.figures({u"满了"_s}, t.entry({u"登录"_s, u"密码"_s, u"错误"_s, u"锁定"_s}));
    QVERIFY2(limit.all > login.all, qPrintable(u"%1 vs %2"_s.arg(limit.all).arg(login.all)));
}

QTEST_GUILESS_MAIN(TestTranslationTable)
#include "tst_translationtable.moc"

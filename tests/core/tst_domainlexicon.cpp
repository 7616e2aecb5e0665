#include <algorithm>

#include <QSet>
#include <QTest>

#include "knowledge/domainlexicon.h"
#include "knowledge/segmenter.h"
#include "knowledge/synonymtable.h"

using namespace Qt::Literals::StringLiterals;

class TestDomainLexicon final : public QObject
{
    Q_OBJECT
private slots:
    void termsAreNormalizedAndUnique();
    void termsIncludeCoreVocabulary_data();
    void termsIncludeCoreVocabulary();
    void everyVariantReachesItsCanonical();
    void canonicalFormsAreFixedPoints();
    void noVariantInTwoGroups();
    void rewritesAreWellFormed();
    void stopListsCarryNoDomainWords();
    void outOfScopeDoesNotOverlapDomain();
    void fingerprintIsStableHex();
};

void TestDomainLexicon::termsAreNormalizedAndUnique()
{
    const QStringList &terms = DomainLexicon::terms();
    QVERIFY(terms.size() > 50);
    QSet<QString> seen;
    for (const QString &t : terms) {
        QVERIFY2(!seen.contains(t), qPrintable(u"twice: "_s + t));
        seen.insert(t);
        QVERIFY2(Segmenter::basicNormalize(t) == t, qPrintable(u"not normalised: "_s + t));
        QVERIFY(!t.contains(QLatin1Char(' ')));
    }
}

void TestDomainLexicon::termsIncludeCoreVocabulary_data()
{
    QTest::addColumn<QString>("term");
    for (const char *t : {"车机", "tbox", "数字钥匙", "远程控制", "ota", "esim", "故障码", "ecall"})
        QTest::newRow(t) << QString::fromUtf8(t);
}

void TestDomainLexicon::termsIncludeCoreVocabulary()
{
    QFETCH(QString, term);
    QVERIFY(DomainLexicon::terms().contains(term));
}

void TestDomainLexicon::everyVariantReachesItsCanonical()
{
    const SynonymTable &table = SynonymTable::builtin();
    for (const auto &[canonical, variants] : DomainLexicon::synonymGroups()) {
        QVERIFY(!variants.isEmpty());
        for (const QString &v : variants) {
            QVERIFY2(table.canonicalize(Segmenter::basicNormalize(v)) == canonical,
                     qPrintable(v + u" -> "_s + table.canonicalize(Segmenter::basicNormalize(v)) +
                                u", want "_s + canonical));
        }
    }
}

void TestDomainLexicon::canonicalFormsAreFixedPoints()
{
    const SynonymTable &table = SynonymTable::builtin();
    for (const auto &group : DomainLexicon::synonymGroups()) {
        QVERIFY2(Segmenter::basicNormalize(group.first) == group.first, qPrintable(group.first));
        QVERIFY2(table.canonicalize(group.first) == group.first,
                 qPrintable(group.first + u" -> "_s + table.canonicalize(group.first)));
    }
}

void TestDomainLexicon::noVariantInTwoGroups()
{
    QHash<QString, QString> owner;
    QSet<QString> canonicals;
    for (const auto &group : DomainLexicon::synonymGroups()) {
        QVERIFY2(!canonicals.contains(group.first), qPrintable(u"canonical twice: "_s + group.first));
        canonicals.insert(group.first);
    }
    for (const auto &[canonical, variants] : DomainLexicon::synonymGroups()) {
        for (const QString &v : variants) {
            QVERIFY2(!owner.contains(v), qPrintable(v + u" in "_s + owner.value(v) + u" and "_s + canonical));
            QVERIFY2(!canonicals.contains(v), qPrintable(v + u" is a variant and a canonical form"_s));
            owner.insert(v, canonical);
        }
    }
}

void TestDomainLexicon::rewritesAreWellFormed()
{
    const auto &rewrites = DomainLexicon::colloquialRewrites();
    QVERIFY(rewrites.size() > 10);
    QSet<QString> phrases;
    for (const auto &[phrase, expansion] : rewrites) {
        QVERIFY2(!phrases.contains(phrase), qPrintable(phrase));
        phrases.insert(phrase);
        QVERIFY(!expansion.trimmed().isEmpty());
        QVERIFY2(Segmenter::basicNormalize(phrase) == phrase, qPrintable(phrase));
        QVERIFY2(phrase != expansion, qPrintable(phrase));
    }
}

void TestDomainLexicon::stopListsCarryNoDomainWords()
{
    const QString &stop = DomainLexicon::stopChars();
    QVERIFY(!stop.isEmpty());
    for (const QString &term : DomainLexicon::terms()) {
        bool allStop = true;
        for (const QChar c : term)
            allStop = allStop && stop.contains(c);
        QVERIFY2(!allStop, qPrintable(term));
        QVERIFY2(!DomainLexicon::stopPhrases().contains(term), qPrintable(term));
    }
}

void TestDomainLexicon::outOfScopeDoesNotOverlapDomain()
{
    const QStringList &terms = DomainLexicon::terms();
    for (const QString &o : DomainLexicon::outOfScopeTerms()) {
        QVERIFY2(!terms.contains(o), qPrintable(o));
        QVERIFY2(Segmenter::basicNormalize(o) == o, qPrintable(o));
    }
    // Topics a TSP service desk does not handle.
    for (const char *t : {"保险", "年检", "违章", "多少钱", "刹车片", "玻璃水", "维权", "提车"})
        QVERIFY(DomainLexicon::outOfScopeTerms().contains(QString::fromUtf8(t)));
    // Every term has a topic; exceptions contain their term; the lists are normalised.
    const auto &all = DomainLexicon::outOfScope();
    QCOMPARE(all.size(), DomainLexicon::outOfScopeTerms().size());
    for (const auto &o : all) {
        QVERIFY2(!o.topic.isEmpty(), qPrintable(o.term));
        for (const QString &e : o.exceptions) {
            QVERIFY2(e.contains(o.term), qPrintable(o.term + u" ! "_s + e));
            QVERIFY2(Segmenter::basicNormalize(e) == e, qPrintable(e));
        }
    }
    const auto find = [&all](const QString &term) {
        return *std::find_if(all.cbegin(), all.cend(), [&term](const auto &o) { return o.term == term; });
    };
    QVERIFY(find(u"保险"_s).exceptions.contains(u"保险丝"_s));
    QCOMPARE(find(u"保险"_s).topic, u"insurance"_s);
    QVERIFY(find(u"保养"_s).context);    // a side detail of many real questions
    QVERIFY(!find(u"刹车片"_s).context); // the point of a question
    // Conversational words: acknowledgements and thanks, never a domain term.
    for (const char *t : {"知道", "好的", "谢谢", "收到"})
        QVERIFY(DomainLexicon::conversationalWords().contains(QString::fromUtf8(t)));
    for (const QString &w : DomainLexicon::conversationalWords())
        QVERIFY2(!terms.contains(w), qPrintable(w));
}

void TestDomainLexicon::fingerprintIsStableHex()
{
    const QString f = DomainLexicon::fingerprint();
    QCOMPARE(f.size(), 16);
    for (const QChar c : f)
        QVERIFY(c.isDigit() || (c >= QLatin1Char('a') && c <= QLatin1Char('f')));
    QCOMPARE(DomainLexicon::fingerprint(), f);
}

QTEST_GUILESS_MAIN(TestDomainLexicon)
#include "tst_domainlexicon.moc"

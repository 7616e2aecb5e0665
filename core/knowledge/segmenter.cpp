#include "knowledge/segmenter.h"

#include <algorithm>
#include <unicode/brkiter.h>
#include <unicode/uversion.h>

#include <QRegularExpression>

#include "knowledge/domainlexicon.h"
#include "knowledge/synonymtable.h"
#include "logging_p.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// Bump when the token rules below change.
constexpr int kAlgorithmVersion = 3;

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() && !Segmenter::isCjk(c);
}

// The domain terms that indexTokens() looks for in running text (3+ characters with CJK in
// them), indexed by first character so one pass over the text finds them all; a term's rank is
// its place in DomainLexicon::terms(), which keeps the token order of a term-by-term search.
struct TermMatcher
{
    QHash<QString, int> rank;
    QHash<QChar, quint64> lengths; // first character -> bit n: a term of length n (n < 64)
    qsizetype maxLength = 0;

    TermMatcher()
    {
        const QStringList &terms = DomainLexicon::terms();
        for (int i = 0; i < terms.size(); ++i) {
            const QString &t = terms.at(i);
            if (t.size() < 3 || t.size() > 63 || std::none_of(t.cbegin(), t.cend(), Segmenter::isCjk) ||
                rank.contains(t))
                continue;
            rank.insert(t, i);
            lengths[t.front()] |= quint64(1) << t.size();
            maxLength = std::max(maxLength, t.size());
        }
    }
    static const TermMatcher &instance()
    {
        static const TermMatcher m;
        return m;
    }
};

} // namespace

Segmenter::Segmenter()
{
    UErrorCode status = U_ZERO_ERROR;
    m_words.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status)) {
        qCWarning(lcKnowledge) << "ICU word break iterator unavailable:" << u_errorName(status)
                               << "- indexing bigrams only";
        m_words.reset();
    }
}

Segmenter::~Segmenter() = default;

bool Segmenter::isCjk(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x3400 && u <= 0x4DBF) || (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0xF900 && u <= 0xFAFF);
}

QString Segmenter::basicNormalize(const QString &text)
{
    static const QRegularExpression space(u"\\s+"_s);
    static const QRegularExpression tbox(u"(?<![a-z0-9])t[\\s_-]*box(?![a-z0-9])"_s);
    static const QRegularExpression code(u"(?<![a-z0-9])([a-z]{1,3})[_-]([0-9]{2,6})(?![a-z0-9])"_s);
    // "E 1042", "c 6020": one letter, a space, four digits (the codes' own shape) is a code typed
    // with a space.
    static const QRegularExpression spacedCode(u"(?<![a-z0-9])([a-z]) ([0-9]{4})(?![a-z0-9])"_s);
    static const QRegularExpression letterHyphen(u"(?<=[a-z])-(?=[a-z])"_s);
    static const QRegularExpression versionDot(u"(?<=[0-9])\\.(?=[0-9])"_s);
    // "iOS18", "iphone15", "android12": a phone or its system with the version run on; the
    // knowledge base writes "iOS 17", "Android 12+", so the name has to stand on its own.
    static const QRegularExpression phoneVersion(
        u"(?<![a-z0-9])(ios|ipados|watchos|iphone|android|harmonyos|miui|hyperos|coloros|oneui)([0-9]{1,2})(?![0-9])"_s);

    QString s = text.normalized(QString::NormalizationForm_KC).toCaseFolded();
    s.replace(space, u" "_s);
    s = s.trimmed();
    if (s.contains(QLatin1String("box")))
        s.replace(tbox, u"tbox"_s);
    if (s.contains(QLatin1Char('-')) || s.contains(QLatin1Char('_'))) {
        s.replace(code, u"\\1\\2"_s);
        s.replace(letterHyphen, QString());
    }
    if (s.contains(QLatin1Char('.')))
        s.replace(versionDot, u"p"_s);
    if (std::any_of(s.cbegin(), s.cend(), [](QChar c) { return c.isDigit(); }))
        s.replace(phoneVersion, u"\\1 \\2"_s);
    if (s.contains(QLatin1Char(' ')))
        s.replace(spacedCode, u"\\1\\2"_s);
    return s;
}

QString Segmenter::normalize(const QString &text)
{
    return SynonymTable::builtin().canonicalize(basicNormalize(text));
}

QStringList Segmenter::runs(const QString &normalized)
{
    QStringList out;
    qsizetype i = 0;
    const qsizetype n = normalized.size();
    while (i < n) {
        const QChar c = normalized.at(i);
        if (isCjk(c)) {
            qsizetype j = i + 1;
            while (j < n && isCjk(normalized.at(j)))
                ++j;
            out << normalized.mid(i, j - i);
            i = j;
        } else if (isWordChar(c)) {
            qsizetype j = i + 1;
            while (j < n && isWordChar(normalized.at(j)))
                ++j;
            out << normalized.mid(i, std::min(j - i, kMaxTokenLength));
            i = j;
        } else {
            ++i;
        }
    }
    return out;
}

QStringList Segmenter::icuWords(const QString &normalized) const
{
    QStringList out;
    if (!m_words || normalized.isEmpty())
        return out;
    const icu::UnicodeString u(false, reinterpret_cast<const UChar *>(normalized.utf16()),
                               static_cast<int32_t>(normalized.size()));
    m_words->setText(u);
    int32_t start = m_words->first();
    for (int32_t end = m_words->next(); end != icu::BreakIterator::DONE; start = end, end = m_words->next()) {
        if (m_words->getRuleStatus() == UBRK_WORD_NONE)
            continue; // spaces and punctuation
        out << normalized.mid(start, end - start);
    }
    return out;
}

QList<qsizetype> Segmenter::wordBoundaries(const QString &normalized) const
{
    QList<qsizetype> out;
    if (!m_words) {
        for (qsizetype i = 0; i <= normalized.size(); ++i)
            out << i;
        return out;
    }
    const icu::UnicodeString u(false, reinterpret_cast<const UChar *>(normalized.utf16()),
                               static_cast<int32_t>(normalized.size()));
    m_words->setText(u);
    for (int32_t at = m_words->first(); at != icu::BreakIterator::DONE; at = m_words->next())
        out << at;
    return out;
}

QStringList Segmenter::indexTokens(const QString &normalized) const
{
    QStringList tokens;
    const QStringList parts = runs(normalized);
    for (const QString &run : parts) {
        if (!isCjkRun(run)) {
            tokens << run;
            continue;
        }
        if (run.size() == 1) {
            tokens << run;
            continue;
        }
        for (qsizetype i = 0; i + 1 < run.size(); ++i)
            tokens << run.mid(i, 2);
    }
    // ICU words of 3+ CJK characters: whole words score above their scattered bigrams.
    const QStringList words = icuWords(normalized);
    for (const QString &w : words) {
        if (w.size() >= 3 && w.size() <= kMaxTokenLength && isCjk(w.front()) && isCjk(w.back())) {
            bool allCjk = true;
            for (QChar c : w)
                allCjk = allCjk && isCjk(c);
            if (allCjk)
                tokens << w;
        }
    }
    // Domain terms in the text (pure Latin terms are whole tokens already; short terms are
    // bigrams already). Each term's occurrences are found left to right without overlapping
    // themselves, and come out grouped by term in lexicon order.
    const TermMatcher &matcher = TermMatcher::instance();
    QList<std::pair<int, qsizetype>> found; // (term rank, position)
    QHash<int, qsizetype> nextFrom;         // term rank -> where its next occurrence may start
    for (qsizetype from = 0; from < normalized.size(); ++from) {
        const auto lengths = matcher.lengths.constFind(normalized.at(from));
        if (lengths == matcher.lengths.constEnd())
            continue;
        const qsizetype longest = std::min(matcher.maxLength, normalized.size() - from);
        for (qsizetype len = 3; len <= longest; ++len) {
            if (!(lengths.value() & (quint64(1) << len)))
                continue;
            const QString probe = QString::fromRawData(normalized.constData() + from, len);
            const auto it = matcher.rank.constFind(probe);
            if (it == matcher.rank.constEnd() || from < nextFrom.value(it.value(), 0))
                continue;
            const qsizetype end = from + len;
            nextFrom.insert(it.value(), end);
            // Latin edges must be word boundaries ("ota" is not a term inside "iota").
            const bool leftOk =
                from == 0 || !isWordChar(probe.front()) || !isWordChar(normalized.at(from - 1));
            const bool rightOk =
                end == normalized.size() || !isWordChar(probe.back()) || !isWordChar(normalized.at(end));
            if (leftOk && rightOk)
                found.append({it.value(), from});
        }
    }
    std::sort(found.begin(), found.end());
    const QStringList &terms = DomainLexicon::terms();
    for (const auto &[rank, pos] : std::as_const(found))
        tokens << terms.at(rank);
    return tokens;
}

QString Segmenter::fingerprint()
{
    UVersionInfo v;
    u_getVersion(v);
    char icu[U_MAX_VERSION_STRING_LENGTH] = {};
    u_versionToString(v, icu);
    return u"seg%1-icu%2-lex%3"_s.arg(kAlgorithmVersion)
        .arg(QLatin1String(icu), DomainLexicon::fingerprint());
}

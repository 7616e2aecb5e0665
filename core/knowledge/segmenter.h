#pragma once

#include <memory>
#include <unicode/uversion.h>

#include <QString>
#include <QStringList>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

// Chinese-aware tokenisation for the knowledge index and queries.
//
// Text is first normalised (basicNormalize): NFKC (full-width -> half-width), case folding,
// one space for any white space, "T-Box"/"TBOX"/"t box" -> "tbox", error codes kept whole
// ("E-1023" and "E 1023" -> "e1023", "P0562" -> "p0562"), letter-hyphen-letter joined ("Wi-Fi" -> "wifi"),
// dotted versions joined ("4.0.1" -> "4p0p1"). normalize() then applies the synonym table.
//
// Tokens of normalised text (indexTokens):
// - every CJK character bigram of a CJK run (a one-character run gives the character),
//   so two-character words always match;
// - every Latin/digit run whole (tbox, ota, e1023, 4g);
// - ICU dictionary words of three or more characters (two-character words are bigrams already);
// - domain terms of three or more characters (数字钥匙, 远程控制), which ICU splits.
// All tokens are alphanumeric, so FTS5's unicode61 tokenizer keeps each one as it is.
//
// One instance per thread: the ICU break iterator it owns is not thread-safe.
class Segmenter
{
public:
    Segmenter();
    ~Segmenter();
    Segmenter(const Segmenter &) = delete;
    Segmenter &operator=(const Segmenter &) = delete;

    static QString basicNormalize(const QString &text);
    // basicNormalize + synonym canonicalisation: the form both documents and queries are indexed in.
    static QString normalize(const QString &text);

    // Tokens of already normalised text, in text order (with repeats, for term frequencies).
    QStringList indexTokens(const QString &normalized) const;
    // ICU word segmentation of already normalised text (all words, punctuation dropped).
    QStringList icuWords(const QString &normalized) const;
    // Where ICU puts word boundaries in already normalised text (offsets, ascending, with 0 and
    // the length); every offset when the break iterator is unavailable.
    QList<qsizetype> wordBoundaries(const QString &normalized) const;

    // The maximal runs of CJK characters and of other letters/digits, in order.
    static QStringList runs(const QString &normalized);
    static bool isCjk(QChar c);
    static bool isCjkRun(const QString &run) { return !run.isEmpty() && isCjk(run.front()); }

    // Changes when tokenisation changes (algorithm, lexicon, synonyms, ICU version): the index
    // is rebuilt when the stored fingerprint differs.
    static QString fingerprint();

    static constexpr qsizetype kMaxTokenLength = 64;

private:
    std::unique_ptr<icu::BreakIterator> m_words;
};

#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// How owners say an entry's problem in their own words: t(question token | entry token), the
// probability that a question about an entry holds a token (a bigram or a lexicon word, as
// KnowledgeSearch analyses text) for one of the tokens of the entry's title and symptom lines.
// Learnt as IBM model 1 on the question sets read so far (tests/retrieval/fit_translation.py, which
// also writes resources/knowledge/translation.tsv): "给车看病的按钮" is said for 一键体检, "满了" for
// 上限. The re-ranking weighs, per candidate, how likely the question is under the entry's tokens.
class TranslationTable
{
public:
    // An entry's side: its tokens as ids of the table's entry vocabulary, and how many distinct
    // tokens it has in all (tokens the table never saw still dilute the others).
    struct Entry
    {
        QSet<int> ids;
        QSet<QString> tokens;
        int size = 0;
    };
    struct Figures
    {
        double all = 0;       // mean log-probability of the question's tokens
        double unmatched = 0; // of those the entry does not contain itself
    };

    // Parses "question token \t entry token \t probability" lines; '#' starts a comment. Lines that
    // do not parse are skipped and counted in *skipped.
    static TranslationTable parse(const QString &text, int *skipped = nullptr);
    // The table shipped in the library's resources (empty if it is missing, which is logged).
    static const TranslationTable &builtin();

    bool isEmpty() const { return m_byQuestion.isEmpty(); }
    qsizetype pairs() const { return m_pairs; }
    Entry entry(const QStringList &tokens) const;
    Figures figures(const QStringList &question, const Entry &entry) const;

    // Added to each token's probability before the log: a token the table has no pair for counts
    // as very unlikely, not impossible.
    static constexpr double kFloor = 1e-4;

private:
    struct Pair
    {
        int entryToken;
        float probability;
    };
    QHash<QString, QList<Pair>> m_byQuestion;
    QHash<QString, int> m_entryVocabulary;
    qsizetype m_pairs = 0;
};

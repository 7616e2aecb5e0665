#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

// Spelling and wording rewrites on normalised text (see Segmenter::basicNormalize).
// - canonicalize(): true synonyms and typos -> one canonical spelling. Used on documents and
//   queries alike, so both meet on the same tokens (电瓶 -> 蓄电池, 验证吗 -> 验证码).
// - expand(): colloquial phrases -> the formal wording the knowledge base uses (开不了门 ->
//   远程解锁 失败). Used on queries only.
// Matching is longest-first, left to right; a Latin variant only matches at word boundaries
// ("sim" never matches inside "esim"). A colloquial phrase also matches with filler words inside
// it (particles, pronouns, adverbs: "账号想彻底删掉" says 账号删掉), as long as the span does not
// overlap a phrase matched as written.
class SynonymTable
{
public:
    struct Rewrite
    {
        QString text;           // the query with each colloquial phrase replaced by its expansion
        QStringList expansions; // the expansions applied, in order
    };

    SynonymTable(const QList<QPair<QString, QStringList>> &groups,
                 const QList<QPair<QString, QString>> &rewrites, const QStringList &fillers = {});

    // The table built from DomainLexicon.
    static const SynonymTable &builtin();

    QString canonicalize(const QString &normalized) const;
    Rewrite expand(const QString &canonical) const;
    // The canonical form of one word, or the word itself.
    QString canonicalOf(const QString &word) const { return m_canonical.value(word, word); }

private:
    struct Table
    {
        QHash<QString, QString> map;
        // First character of a key -> bit n set when a key of length n starts with it (n < 64;
        // longer keys set bit 63 and are tried at every length from 63 up to maxLength).
        QHash<QChar, quint64> lengthsByFirstChar;
        qsizetype maxLength = 0;
        void insert(const QString &from, const QString &to);
    };
    // Finds the longest key of `table` starting at `pos`; returns its length (0 if none).
    static qsizetype matchAt(const Table &table, const QString &text, qsizetype pos, QString *replacement);

    Table m_variants;
    Table m_rewrites;
    Table m_fillers; // words skipped inside a colloquial phrase (the map's values are unused)
    QHash<QString, QString> m_canonical;
};

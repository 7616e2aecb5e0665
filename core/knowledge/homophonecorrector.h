#pragma once

#include <functional>

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// Owners type Chinese with a pinyin input method and often pick a character that sounds like the
// right one: "能定为吗" for 定位, "兰牙钥匙" for 蓝牙钥匙, "绑顶" for 绑定, "生级报" for 升级包.
// The knowledge base never has the typed form, so the query loses its most specific word.
//
// correct() reads such a span as the domain term it sounds like (DomainLexicon::terms(), toneless
// pinyin, character by character: input methods ignore tones). The pinyin comes from ICU's
// Han-Latin transliteration, tabled at build time (cmake/pinyintable.cpp) for U+4E00..U+9FFF.
// A span counts as a typo only when all of this holds:
// - its pinyin is the term's and it is not the term;
// - the knowledge base lacks one of its bigrams that holds a changed character (`known`): a span
//   the entries also say is a word of its own (实时 is not a typo of 试试);
// - it starts and ends on word boundaries (`boundaries`, ICU), or next to a particle ICU glued on
//   ("绑顶了" is 绑|顶了): "流量吃光" does not hold 流量池, because 吃 is of 吃光;
// - a changed first or last character does not make a word with its neighbour outside the span:
//   "那里显示" does not hold 离线 (里 is of 那里), nor "车里先凉快" (车里);
// - no changed character is a particle (`particles`): "这是故障吗" is a question, not 故障码;
// - it is not inside a phrase the lexicon knows (`lexiconPhrases`, e.g. 死机, not 司机).
// The term replaces the span in place (same length), so offsets hold.
class HomophoneCorrector
{
public:
    struct Correction
    {
        QString typed;
        QString term;
        qsizetype at = 0;
    };

    explicit HomophoneCorrector(const QStringList &terms);

    // The corrector of DomainLexicon::terms(). Immutable, so thread-safe.
    static const HomophoneCorrector &builtin();

    QString correct(const QString &normalized, const QList<qsizetype> &boundaries,
                    const std::function<bool(const QString &)> &known, const QSet<QChar> &particles,
                    const QStringList &lexiconPhrases, QList<Correction> *corrections = nullptr) const;

    // Toneless pinyin of one character ("定" -> "ding"); the character itself when it has none.
    static QString pinyin(QChar c);

private:
    static QString key(QStringView text); // pinyin of each character, joined by '|'

    QHash<QString, QStringList> m_termsByKey; // key -> terms that sound so
    QList<qsizetype> m_lengths;               // term lengths, longest first
};

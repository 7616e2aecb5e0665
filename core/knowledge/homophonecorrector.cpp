#include "knowledge/homophonecorrector.h"

#include <algorithm>

#include "knowledge/domainlexicon.h"
#include "knowledge/segmenter.h"

namespace {

#include "pinyintable.inc" // kPinyinFirst, kPinyinLast, kPinyinSyllables, kPinyinOfChar

bool isCjkText(const QString &s)
{
    return !s.isEmpty() && std::all_of(s.cbegin(), s.cend(), [](QChar c) { return Segmenter::isCjk(c); });
}

} // namespace

HomophoneCorrector::HomophoneCorrector(const QStringList &terms)
{
    QSet<qsizetype> lengths;
    for (const QString &t : terms) {
        if (t.size() < 2 || !isCjkText(t))
            continue;
        m_termsByKey[key(t)].append(t);
        lengths.insert(t.size());
    }
    m_lengths = QList<qsizetype>(lengths.cbegin(), lengths.cend());
    std::sort(m_lengths.begin(), m_lengths.end(), std::greater<>());
}

const HomophoneCorrector &HomophoneCorrector::builtin()
{
    static const HomophoneCorrector corrector(DomainLexicon::terms());
    return corrector;
}

QString HomophoneCorrector::pinyin(QChar c)
{
    const char16_t u = c.unicode();
    if (u < kPinyinFirst || u > kPinyinLast)
        return QString(c);
    const unsigned short id = kPinyinOfChar[u - kPinyinFirst];
    return id == 0 ? QString(c) : QString::fromLatin1(kPinyinSyllables[id]);
}

QString HomophoneCorrector::key(QStringView text)
{
    QString k;
    for (const QChar c : text) {
        if (!k.isEmpty())
            k += QLatin1Char('|');
        k += pinyin(c);
    }
    return k;
}

QString HomophoneCorrector::correct(const QString &normalized, const QList<qsizetype> &boundaries,
                                    const std::function<bool(const QString &)> &known,
                                    const QSet<QChar> &particles, const QStringList &lexiconPhrases,
                                    QList<Correction> *corrections) const
{
    if (m_termsByKey.isEmpty())
        return normalized;
    QString out = normalized;
    // Characters no correction may touch: those of phrases the lexicon knows, and of corrections
    // made. The phrases are looked for only once a span sounds like a term, which is rare.
    QList<bool> fixed(normalized.size(), false);
    bool phrasesMarked = false;
    const auto markPhrases = [&] {
        phrasesMarked = true;
        for (const QString &phrase : lexiconPhrases) {
            if (phrase.size() < 2)
                continue;
            for (qsizetype at = normalized.indexOf(phrase); at >= 0;
                 at = normalized.indexOf(phrase, at + 1)) {
                for (qsizetype i = at; i < at + phrase.size(); ++i)
                    fixed[i] = true;
            }
        }
    };
    const QSet<qsizetype> edges(boundaries.cbegin(), boundaries.cend());
    for (const qsizetype len : m_lengths) {
        for (qsizetype at = 0; at + len <= out.size(); ++at) {
            // On word boundaries, or next to a particle ICU glued on ("绑顶了" is 绑|顶了).
            const bool startsWord =
                edges.contains(at) || (at > 0 && particles.contains(normalized.at(at - 1)));
            const bool endsWord = edges.contains(at + len) || (at + len < normalized.size() &&
                                                               particles.contains(normalized.at(at + len)));
            if (!startsWord || !endsWord)
                continue;
            const QStringView span = QStringView(normalized).mid(at, len);
            if (!std::all_of(span.cbegin(), span.cend(), [](QChar c) { return Segmenter::isCjk(c); }))
                continue;
            const auto it = m_termsByKey.constFind(key(span));
            if (it == m_termsByKey.constEnd() || it->contains(span.toString()))
                continue;
            if (!phrasesMarked)
                markPhrases();
            if (std::any_of(fixed.cbegin() + at, fixed.cbegin() + at + len, [](bool f) { return f; }))
                continue;
            for (const QString &term : *it) {
                bool particle = false;
                bool unknown = false;
                for (qsizetype i = 0; i < len; ++i) {
                    if (span.at(i) == term.at(i))
                        continue;
                    particle = particle || particles.contains(span.at(i));
                    // The bigrams of the span holding this changed character.
                    if (i > 0 && !known(span.mid(i - 1, 2).toString()))
                        unknown = true;
                    if (i + 1 < len && !known(span.mid(i, 2).toString()))
                        unknown = true;
                }
                // A changed first or last character that makes a word with its neighbour outside
                // the span belongs to that word ("车里先凉快": 里 is of 车里, not 离线).
                const auto joined = [&](qsizetype from) {
                    return from >= 0 && from + 1 < normalized.size() &&
                           Segmenter::isCjk(normalized.at(from)) &&
                           Segmenter::isCjk(normalized.at(from + 1)) && known(normalized.mid(from, 2));
                };
                const bool attached = (span.front() != term.front() && joined(at - 1)) ||
                                      (span.back() != term.back() && joined(at + len - 1));
                if (particle || !unknown || attached)
                    continue;
                if (corrections)
                    corrections->append({span.toString(), term, at});
                out.replace(at, len, term);
                for (qsizetype i = at; i < at + len; ++i)
                    fixed[i] = true;
                break;
            }
        }
    }
    return out;
}

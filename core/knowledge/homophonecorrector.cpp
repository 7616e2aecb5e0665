#include "knowledge/homophonecorrector.h"

#include <algorithm>
#include <memory>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <QMutexLocker>

#include "knowledge/domainlexicon.h"
#include "knowledge/segmenter.h"
#include "logging_p.h"

namespace {

bool isCjkText(const QString &s)
{
    return !s.isEmpty() && std::all_of(s.cbegin(), s.cend(), [](QChar c) { return Segmenter::isCjk(c); });
}

// ICU's Han-Latin transliteration without tones. Created on first use (loading its rules takes
// milliseconds); callers hold the corrector's mutex.
icu::Transliterator *transliterator()
{
    static std::unique_ptr<icu::Transliterator> t = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> made(icu::Transliterator::createInstance(
            icu::UnicodeString::fromUTF8("Han-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
        if (U_FAILURE(status)) {
            qCWarning(lcKnowledge) << "ICU Han-Latin transliteration unavailable:" << u_errorName(status)
                                   << "- no homophone correction";
            made.reset();
        }
        return made;
    }();
    return t.get();
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

QString HomophoneCorrector::pinyin(QChar c) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_pinyin.constFind(c);
    if (it != m_pinyin.constEnd())
        return it.value();
    QString out(c);
    if (Segmenter::isCjk(c)) {
        if (icu::Transliterator *t = transliterator()) {
            icu::UnicodeString u(static_cast<UChar>(c.unicode()));
            t->transliterate(u);
            const QString latin =
                QString(reinterpret_cast<const QChar *>(u.getBuffer()), u.length()).trimmed();
            if (!latin.isEmpty() && latin != QString(c))
                out = latin.toLower();
        }
    }
    if (m_pinyin.size() > 20000)
        m_pinyin.clear();
    m_pinyin.insert(c, out);
    return out;
}

QString HomophoneCorrector::key(QStringView text) const
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
    // Characters no correction may touch: those of phrases the lexicon knows, and of corrections made.
    QList<bool> fixed(normalized.size(), false);
    for (const QString &phrase : lexiconPhrases) {
        if (phrase.size() < 2)
            continue;
        for (qsizetype at = normalized.indexOf(phrase); at >= 0; at = normalized.indexOf(phrase, at + 1)) {
            for (qsizetype i = at; i < at + phrase.size(); ++i)
                fixed[i] = true;
        }
    }
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
            if (std::any_of(fixed.cbegin() + at, fixed.cbegin() + at + len, [](bool f) { return f; }))
                continue;
            const auto it = m_termsByKey.constFind(key(span));
            if (it == m_termsByKey.constEnd() || it->contains(span.toString()))
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

#include "knowledge/synonymtable.h"

#include <algorithm>

#include "knowledge/domainlexicon.h"

namespace {

bool isLatinWordChar(QChar c)
{
    return c.unicode() < 128 && c.isLetterOrNumber();
}

} // namespace

void SynonymTable::Table::insert(const QString &from, const QString &to)
{
    if (from.isEmpty())
        return;
    map.insert(from, to);
    lengthsByFirstChar[from.front()] |= quint64(1) << std::min<qsizetype>(from.size(), 63);
    maxLength = std::max(maxLength, from.size());
}

SynonymTable::SynonymTable(const QList<QPair<QString, QStringList>> &groups,
                           const QList<QPair<QString, QString>> &rewrites, const QStringList &fillers)
{
    for (const QString &f : fillers)
        m_fillers.insert(f, f);
    for (const auto &group : groups) {
        // The canonical form maps to itself so that a shorter variant never matches inside it
        // (无网络 must not become 无网络络 through the variant 无网).
        m_variants.insert(group.first, group.first);
        for (const QString &variant : group.second) {
            m_variants.insert(variant, group.first);
            m_canonical.insert(variant, group.first);
        }
    }
    // Rewrites apply to canonical text: a phrase written with a variant ("刚换电瓶") is looked for
    // in its canonical spelling ("刚换蓄电池"), and its expansion has to meet the documents' spelling.
    for (const auto &rewrite : rewrites)
        m_rewrites.insert(canonicalize(rewrite.first), canonicalize(rewrite.second));
}

const SynonymTable &SynonymTable::builtin()
{
    static const SynonymTable table(DomainLexicon::synonymGroups(), DomainLexicon::colloquialRewrites(),
                                    DomainLexicon::phraseFillers());
    return table;
}

qsizetype SynonymTable::matchAt(const Table &table, const QString &text, qsizetype pos, QString *replacement)
{
    // This runs at every position of every text indexed or searched: only the lengths of keys
    // that start with this character are tried, and the probe key borrows the text's storage.
    const auto lengths = table.lengthsByFirstChar.constFind(text.at(pos));
    if (lengths == table.lengthsByFirstChar.constEnd())
        return 0;
    // A Latin key must start at a word boundary.
    if (isLatinWordChar(text.at(pos)) && pos > 0 && isLatinWordChar(text.at(pos - 1)))
        return 0;
    const quint64 mask = lengths.value();
    const qsizetype longest = std::min(table.maxLength, text.size() - pos);
    for (qsizetype len = longest; len > 0; --len) {
        if (!(mask & (quint64(1) << std::min<qsizetype>(len, 63))))
            continue;
        const QString probe = QString::fromRawData(text.constData() + pos, len);
        const auto it = table.map.constFind(probe);
        if (it == table.map.constEnd())
            continue;
        const qsizetype end = pos + len;
        if (isLatinWordChar(text.at(end - 1)) && end < text.size() && isLatinWordChar(text.at(end)))
            continue; // a Latin key must end at a word boundary too
        *replacement = it.value();
        return len;
    }
    return 0;
}

QString SynonymTable::canonicalize(const QString &normalized) const
{
    QString out;
    out.reserve(normalized.size() + 16);
    QString replacement;
    for (qsizetype i = 0; i < normalized.size();) {
        const qsizetype len = matchAt(m_variants, normalized, i, &replacement);
        if (len > 0) {
            out += replacement;
            i += len;
        } else {
            out += normalized.at(i);
            ++i;
        }
    }
    return out;
}

SynonymTable::Rewrite SynonymTable::expand(const QString &canonical) const
{
    struct Span
    {
        qsizetype from = 0;
        qsizetype to = 0; // one past the end, in `canonical`
        QString replacement;
    };
    QList<Span> spans;
    QString replacement;
    for (qsizetype i = 0; i < canonical.size();) {
        const qsizetype len = matchAt(m_rewrites, canonical, i, &replacement);
        if (len > 0) {
            spans.append({i, i + len, replacement});
            i += len;
        } else {
            ++i;
        }
    }
    // The text without its fillers, and where each of its characters was: a phrase found there
    // across a removed filler is a phrase said with a word inside it.
    QString squeezed;
    QList<qsizetype> origin;
    squeezed.reserve(canonical.size());
    for (qsizetype i = 0; i < canonical.size();) {
        const qsizetype len = matchAt(m_fillers, canonical, i, &replacement);
        if (len > 0) {
            i += len;
            continue;
        }
        squeezed += canonical.at(i);
        origin << i;
        ++i;
    }
    if (squeezed.size() < canonical.size()) { // some filler was removed
        QList<Span> gapped;
        for (qsizetype i = 0; i < squeezed.size();) {
            const qsizetype len = matchAt(m_rewrites, squeezed, i, &replacement);
            if (len == 0) {
                ++i;
                continue;
            }
            const Span span{origin.at(i), origin.at(i + len - 1) + 1, replacement};
            i += len;
            if (span.to - span.from == len)
                continue; // nothing was skipped: found as written already
            const bool overlaps = std::any_of(spans.cbegin(), spans.cend(), [&span](const Span &s) {
                return s.from < span.to && span.from < s.to;
            });
            if (!overlaps)
                gapped << span;
        }
        spans += gapped;
        std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.from < b.from; });
    }

    Rewrite result;
    result.text.reserve(canonical.size() + 16);
    qsizetype at = 0;
    for (const Span &s : std::as_const(spans)) {
        result.text += QStringView(canonical).mid(at, s.from - at);
        result.text += QLatin1Char(' ') + s.replacement + QLatin1Char(' ');
        result.expansions << s.replacement;
        at = s.to;
    }
    result.text += QStringView(canonical).mid(at);
    return result;
}

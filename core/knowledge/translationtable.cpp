#include "knowledge/translationtable.h"

#include <cmath>

#include <QFile>
#include <QLoggingCategory>

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcTranslation, "tsp.knowledge.translation")

TranslationTable TranslationTable::parse(const QString &text, int *skipped)
{
    TranslationTable t;
    int bad = 0;
    for (QStringView line : QStringView(text).split(u'\n')) {
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const auto fields = line.split(u'\t');
        bool ok = false;
        const double p = fields.size() == 3 ? fields.at(2).toDouble(&ok) : 0.0;
        if (!ok || !(p > 0.0 && p <= 1.0) || fields.at(0).isEmpty() || fields.at(1).isEmpty()) {
            ++bad;
            continue;
        }
        const QString entryToken = fields.at(1).toString();
        auto v = t.m_entryVocabulary.constFind(entryToken);
        if (v == t.m_entryVocabulary.constEnd())
            v = t.m_entryVocabulary.insert(entryToken, int(t.m_entryVocabulary.size()));
        t.m_byQuestion[fields.at(0).toString()].append({v.value(), float(p)});
        ++t.m_pairs;
    }
    if (skipped)
        *skipped = bad;
    return t;
}

const TranslationTable &TranslationTable::builtin()
{
    static const TranslationTable table = [] {
        QFile file(u":/knowledge/translation.tsv"_s);
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcTranslation) << "no translation table in the resources; the re-ranking weighs"
                                     << "the question's own words only";
            return TranslationTable();
        }
        int skipped = 0;
        TranslationTable t = parse(QString::fromUtf8(file.readAll()), &skipped);
        if (skipped > 0)
            qCWarning(lcTranslation) << "the translation table has" << skipped << "lines that do not parse";
        return t;
    }();
    return table;
}

TranslationTable::Entry TranslationTable::entry(const QStringList &tokens) const
{
    Entry e;
    for (const QString &token : tokens) {
        if (e.tokens.contains(token))
            continue;
        e.tokens.insert(token);
        const auto v = m_entryVocabulary.constFind(token);
        if (v != m_entryVocabulary.constEnd())
            e.ids.insert(v.value());
    }
    e.size = int(e.tokens.size());
    return e;
}

TranslationTable::Figures TranslationTable::figures(const QStringList &question, const Entry &entry) const
{
    Figures f;
    if (question.isEmpty() || entry.size == 0)
        return f;
    qsizetype unmatched = 0;
    for (const QString &q : question) {
        double sum = 0;
        const auto pairs = m_byQuestion.constFind(q);
        if (pairs != m_byQuestion.constEnd()) {
            for (const Pair &p : pairs.value()) {
                if (entry.ids.contains(p.entryToken))
                    sum += p.probability;
            }
        }
        const double logP = std::log(sum / entry.size + kFloor);
        f.all += logP;
        if (!entry.tokens.contains(q)) {
            f.unmatched += logP;
            ++unmatched;
        }
    }
    f.all /= double(question.size());
    f.unmatched /= double(std::max<qsizetype>(unmatched, 1));
    return f;
}

#include "knowledge/knowledgesearch.h"

#include <algorithm>
#include <cmath>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

#include "knowledge/domainlexicon.h"
#include "knowledge/knowledgeindexer.h"
#include "knowledge/synonymtable.h"
#include "logging_p.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// Characters too common to say what a symptom line is about (particles, pronouns, 和 or 也).
constexpr QStringView kCommonChars = u"的了是在有我你他她它吗呢吧啊和与或就都也还又很太";

// A model name or query without spaces, for finding the one in the other ("云驰 E7 Pro" in
// "我的云驰e7pro").
QString compact(const QString &text)
{
    QString s = Segmenter::basicNormalize(text);
    s.remove(QLatin1Char(' '));
    return s;
}

bool isLatinWordChar(QChar c)
{
    return c.isLetterOrNumber() && !Segmenter::isCjk(c);
}

// Whole-token occurrence of a Latin token in normalised text.
bool containsLatin(const QString &text, const QString &token)
{
    qsizetype from = 0;
    while ((from = text.indexOf(token, from)) >= 0) {
        const qsizetype end = from + token.size();
        if ((from == 0 || !isLatinWordChar(text.at(from - 1))) &&
            (end == text.size() || !isLatinWordChar(text.at(end))))
            return true;
        from = end;
    }
    return false;
}

// Error codes as normalised: e1042, p0562, u0100, k3015, b1a23, p0a80 (letters, a digit, then
// at least two more letters/digits, three digits in all).
bool isCode(const QString &token)
{
    static const QRegularExpression re(u"^[a-z]{1,3}[0-9][0-9a-z]{2,6}$"_s);
    if (!re.match(token).hasMatch())
        return false;
    return std::count_if(token.cbegin(), token.cend(), [](QChar c) { return c.isDigit(); }) >= 3;
}

// A number with an optional short unit: 10g, 100, 4p5 (a version), 30s.
bool isQuantity(const QString &token)
{
    static const QRegularExpression re(u"^[0-9][0-9p]*[a-z]{0,3}$"_s);
    return re.match(token).hasMatch();
}

// Start positions of term in text, leaving out those inside one of its exception words (保险
// inside 保险丝) and, for a Latin term, those inside a longer Latin token.
QList<qsizetype> occurrences(QStringView text, QStringView term, const QStringList &exceptions)
{
    QList<qsizetype> out;
    const bool latin = !term.isEmpty() && !Segmenter::isCjk(term.front());
    qsizetype from = 0;
    while ((from = text.indexOf(term, from)) >= 0) {
        const qsizetype end = from + term.size();
        bool counts = !latin || ((from == 0 || !isLatinWordChar(text.at(from - 1))) &&
                                 (end == text.size() || !isLatinWordChar(text.at(end))));
        for (const QString &e : exceptions) {
            const qsizetype k = e.indexOf(term);
            if (counts && k >= 0 && from >= k && text.sliced(from - k).startsWith(e))
                counts = false;
        }
        if (counts)
            out.append(from);
        from += 1;
    }
    return out;
}

QStringList byLengthDesc(QStringList list)
{
    std::stable_sort(list.begin(), list.end(),
                     [](const QString &a, const QString &b) { return a.size() > b.size(); });
    return list;
}

// The knowledge write generation (knowledge_meta), "0" before the first write.
QString knowledgeGeneration(const QSqlDatabase &d)
{
    QSqlQuery q(d);
    if (q.exec(u"SELECT value FROM knowledge_meta WHERE key = 'generation'"_s) && q.next())
        return q.value(0).toString();
    return u"0"_s;
}

QString quoteToken(const QString &t)
{
    QString q = t;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

KnowledgeSearch::KnowledgeSearch(Database &db, KnowledgeSearchOptions options)
    : m_db(db)
    , m_options(options)
    , m_stopPhrases(byLengthDesc(DomainLexicon::stopPhrases()))
    , m_outOfScope(DomainLexicon::outOfScope())
    , m_conversational(byLengthDesc(DomainLexicon::conversationalWords()))
{
    std::stable_sort(m_outOfScope.begin(), m_outOfScope.end(),
                     [](const auto &a, const auto &b) { return a.term.size() > b.term.size(); });
    for (const QChar c : DomainLexicon::stopChars())
        m_stopChars.insert(c);
    for (const auto &[phrase, expansion] : DomainLexicon::colloquialRewrites())
        m_lexiconPhrases << phrase;
}

KnowledgeSearch::~KnowledgeSearch()
{
    stopScan();
    m_termQuery.reset();
    m_charQuery.reset();
    // The client ends what is in flight before the receiver its results are queued to goes.
    m_embeddings.reset();
    m_client.reset();
    m_receiver.reset();
    // Callers whose turn had not come yet still get their call.
    for (const Waiter &w : std::as_const(m_releasing)) {
        if (w.context)
            QMetaObject::invokeMethod(w.context.data(), w.ready, Qt::QueuedConnection);
    }
}

void KnowledgeSearch::setEmbeddingOptions(const EmbeddingOptions &options)
{
    stopScan();
    m_scanMismatches = 0;
    m_embeddings.reset();
    m_client.reset();
    m_queryVectors.clear();
    m_embeddingsLoaded = false;
    m_entriesChecked = false;
    // A fetch under way is over (its result, if queued, is ignored): its callers go on.
    m_fetching = false;
    ++m_fetchSerial;
    release(std::exchange(m_inFlight, {}) + std::exchange(m_waiting, {}));
    if (!options.isEnabled())
        return;
    if (!m_receiver)
        m_receiver = std::make_unique<QObject>();
    m_client = std::make_unique<EmbeddingClient>(options);
    m_embeddings = std::make_unique<EmbeddingIndex>(m_db, *m_client);
    qCInfo(lcKnowledge) << "hybrid knowledge search with embeddings from model" << options.model;
}

int KnowledgeSearch::syncEmbeddings(int limit, QString *error)
{
    if (!m_embeddings) {
        if (error)
            *error = u"embeddings are not configured"_s;
        return -1;
    }
    // The vectors stored join the ones in memory (EmbeddingIndex::store()).
    return m_embeddings->sync(limit, error);
}

void KnowledgeSearch::invalidate() const
{
    m_generation = u"-"_s;
}

void KnowledgeSearch::refresh() const
{
    QSqlDatabase d = m_db.db();
    const QString generation = knowledgeGeneration(d);
    if (generation == m_generation)
        return;
    m_generation = generation;
    m_termDf.clear();
    m_charDf.clear();
    m_docText.clear();
    m_embeddingsLoaded = false;
    m_entriesChecked = false;
    m_count = 0;
    QSqlQuery q(d);
    if (q.exec(u"SELECT count(*) FROM knowledge"_s) && q.next())
        m_count = q.value(0).toLongLong();
    // Vehicle model names say which car, not what the problem is: they carry no coverage weight.
    m_modelTokens.clear();
    m_models.clear();
    QSet<QString> phrases;
    QSet<QString> names;
    if (q.exec(u"SELECT DISTINCT vehicle_models FROM knowledge"_s)) {
        while (q.next()) {
            const QStringList models = KnowledgeIndexer::listFromJson(q.value(0).toString());
            for (const QString &m : models) {
                if (m == u"全系车型"_s)
                    continue;
                if (!names.contains(m)) {
                    names.insert(m);
                    m_models.append({compact(m), m});
                }
                const QStringList runs = Segmenter::runs(Segmenter::basicNormalize(m));
                for (const QString &run : runs) {
                    if (Segmenter::isCjkRun(run))
                        phrases.insert(run);
                    else
                        m_modelTokens.insert(run);
                }
            }
        }
    }
    m_modelPhrases = byLengthDesc(QStringList(phrases.cbegin(), phrases.cend()));
    // The Latin part alone ("E7 Pro", "T3") names the model too when no other model has it.
    QHash<QString, int> latinCount;
    QList<QPair<QString, QString>> latinForms;
    for (const auto &[form, name] : std::as_const(m_models)) {
        QString latin;
        for (const QChar ch : form) {
            if (!Segmenter::isCjk(ch))
                latin += ch;
        }
        if (latin.size() >= 2 && latin != form) {
            ++latinCount[latin];
            latinForms.append({latin, name});
        }
    }
    for (const auto &[latin, name] : std::as_const(latinForms)) {
        if (latinCount.value(latin) == 1)
            m_models.append({latin, name});
    }
    std::sort(m_models.begin(), m_models.end(), [](const auto &a, const auto &b) {
        return a.first.size() != b.first.size() ? a.first.size() > b.first.size() : a.first < b.first;
    });
    if (!KnowledgeIndexer::isCurrent(d) && m_count > 0)
        qCWarning(lcKnowledge)
            << "the knowledge search index is out of date; KnowledgeBase::ensureIndex() rebuilds it";
}

double KnowledgeSearch::idf(qint64 df) const
{
    const double n = double(std::max<qint64>(m_count, 1));
    const double d = double(std::clamp<qint64>(df, 0, m_count));
    return std::log((n - d + 0.5) / (d + 0.5) + 1.0);
}

qint64 KnowledgeSearch::termDf(const QString &term) const
{
    const auto it = m_termDf.constFind(term);
    if (it != m_termDf.constEnd())
        return it.value();
    if (!m_termQuery) {
        m_termQuery = std::make_unique<QSqlQuery>(m_db.db());
        m_termQuery->prepare(u"SELECT doc FROM knowledge_fts_vocab WHERE term = ?"_s);
    }
    qint64 df = 0;
    m_termQuery->addBindValue(term);
    if (m_termQuery->exec() && m_termQuery->next())
        df = m_termQuery->value(0).toLongLong();
    m_termQuery->finish();
    if (m_termDf.size() > 100000)
        m_termDf.clear();
    m_termDf.insert(term, df);
    return df;
}

qint64 KnowledgeSearch::charDf(QChar c) const
{
    const auto it = m_charDf.constFind(c);
    if (it != m_charDf.constEnd())
        return it.value();
    if (!m_charQuery) {
        m_charQuery = std::make_unique<QSqlQuery>(m_db.db());
        m_charQuery->prepare(u"SELECT df FROM knowledge_chardf WHERE ch = ?"_s);
    }
    qint64 df = 0;
    m_charQuery->addBindValue(QString(c));
    if (m_charQuery->exec() && m_charQuery->next())
        df = m_charQuery->value(0).toLongLong();
    m_charQuery->finish();
    m_charDf.insert(c, df);
    return df;
}

QList<KnowledgeSearch::Unit> KnowledgeSearch::units(const QString &text) const
{
    QString s = text;
    QList<Unit> out;
    // Out-of-scope terms count whole (加油站 is not covered by an entry that says 加油) and at
    // least as much as a term no entry has: they are what the query is about, however common
    // their characters are (and a rewrite such as 多少钱 -> 收费 must not make them cheaper).
    // A colloquial rewrite of the term counts as covering it too (多少钱 -> 收费: an entry about
    // what a service costs answers "要多少钱").
    for (const DomainLexicon::OutOfScopeTerm &o : m_outOfScope) {
        const QList<qsizetype> at = occurrences(s, o.term, o.exceptions);
        if (at.isEmpty())
            continue;
        double w = 0;
        for (const QChar c : o.term) {
            if (!m_stopChars.contains(c))
                w += idf(charDf(c));
        }
        Unit u{o.term, std::max(w, idf(0)) * m_options.outOfScopeWeight, {o.term}, false, false, false, true};
        // Heavy while uncovered; covered, it weighs like any other word: an entry about a fee
        // covering 多少钱 must not make a question about the price of something else answerable.
        u.coveredWeight = std::max(w, idf(0));
        u.exceptions = o.exceptions;
        u.context = o.context;
        for (const auto &[phrase, expansion] : DomainLexicon::colloquialRewrites()) {
            if (phrase == o.term)
                u.evidence += expansion.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        }
        out.append(std::move(u));
        for (const qsizetype pos : at)
            s.replace(pos, o.term.size(), QString(o.term.size(), QLatin1Char(' ')));
    }
    // Out-of-scope terms are matched before the stop phrases go: some hold one (什么牌子).
    for (const QString &p : m_stopPhrases)
        s.replace(p, u" "_s);
    for (const QString &p : std::as_const(m_modelPhrases))
        s.replace(p, u" "_s);
    QHash<QString, qsizetype> index; // key -> position in out
    auto add = [&](const QString &key, double weight, const QStringList &evidence, bool latin) {
        const auto it = index.constFind(key);
        if (it != index.constEnd()) {
            for (const QString &e : evidence) {
                if (!out[it.value()].evidence.contains(e))
                    out[it.value()].evidence << e;
            }
            return;
        }
        index.insert(key, out.size());
        out.append({key, weight, evidence, latin, latin && isCode(key), false, false});
    };
    const QStringList runs = Segmenter::runs(s);
    for (const QString &run : runs) {
        if (!Segmenter::isCjkRun(run)) {
            // A quantity no entry names (10g of data, 100 yuan, 5000 points, 2 years) is a
            // detail of the story: the entry answers the question whatever the number.
            if (!m_modelTokens.contains(run) && !(isQuantity(run) && termDf(run) == 0))
                add(run, idf(termDf(run)), {run}, true);
            continue;
        }
        for (qsizetype i = 0; i < run.size(); ++i) {
            const QChar c = run.at(i);
            if (m_stopChars.contains(c))
                continue;
            QStringList evidence;
            if (run.size() == 1)
                evidence << run;
            if (i > 0)
                evidence << run.mid(i - 1, 2);
            if (i + 1 < run.size())
                evidence << run.mid(i, 2);
            add(QString(c), idf(charDf(c)), evidence, false);
        }
    }
    // Incidental: no entry has any of the unit's evidence (a city, a shop, a family member): the
    // knowledge base cannot cover it whatever the question is about. Index tokens are the
    // bigrams and Latin tokens, so the vocabulary's document frequency says it.
    for (Unit &u : out) {
        if (u.outOfScope || u.code)
            continue;
        u.incidental = std::all_of(u.evidence.cbegin(), u.evidence.cend(),
                                   [this](const QString &e) { return termDf(e) == 0; });
    }
    return out;
}

bool KnowledgeSearch::isSmallTalk(const QString &normalized) const
{
    QString s = normalized;
    // Conversational phrases first: some hold a stop phrase (问题已经解决了).
    for (const QString &w : m_conversational) {
        if (Segmenter::isCjk(w.front()) && w.size() > 2)
            s.replace(w, u" "_s);
    }
    for (const QString &p : m_stopPhrases)
        s.replace(p, u" "_s);
    const QStringList runs = Segmenter::runs(s);
    for (const QString &run : runs) {
        if (!Segmenter::isCjkRun(run)) {
            if (!m_conversational.contains(run))
                return false;
            continue;
        }
        QString rest = run;
        for (const QString &w : m_conversational) {
            if (Segmenter::isCjk(w.front()))
                rest.replace(w, u" "_s);
        }
        for (const QChar c : std::as_const(rest)) {
            if (c.isLetterOrNumber() && !m_stopChars.contains(c))
                return false;
        }
    }
    return true;
}

KnowledgeSearch::Coverage KnowledgeSearch::coverageOf(const QList<Unit> &units, const DocText &text)
{
    Coverage c;
    double num = 0;
    double den = 0;
    double topicalDen = 0;
    for (const Unit &u : units) {
        const auto foundIn = [&u](const QString &where) {
            return std::any_of(u.evidence.cbegin(), u.evidence.cend(), [&](const QString &e) {
                return u.outOfScope ? !occurrences(where, e, u.exceptions).isEmpty()
                                    : (u.latin ? containsLatin(where, e) : where.contains(e));
            });
        };
        // A context word is a side detail: anywhere in the entry covers it. Any other
        // out-of-scope term has to be what the entry is about (its title, symptoms). Named only
        // in passing (in its tags, the cause or the solution: "多见于洗车频繁的车辆"), it is not
        // covered, but the entry may still be the one the question is about ("被交警拖走了" and
        // the towed-car entry that says to call the traffic police): the term's weight decides,
        // not an outright refusal.
        const bool strict = u.outOfScope && !u.context;
        const bool covered = foundIn(strict ? text.topic : text.all);
        const double weight = covered && u.coveredWeight >= 0 ? u.coveredWeight : u.weight;
        den += weight;
        if (!u.incidental)
            topicalDen += weight;
        if (!strict)
            c.otherDen += weight;
        else if (covered)
            c.scopeMass += weight;
        if (covered) {
            num += weight;
            if (u.code)
                c.code = true;
        } else if (strict && !foundIn(text.all)) {
            c.uncoveredOutOfScope << u.key;
        }
    }
    c.mass = num;
    c.share = den > 0 ? num / den : 0.0;
    c.topical = topicalDen > 0 ? num / topicalDen : 0.0;
    return c;
}

QStringList KnowledgeSearch::matchTokens(const QStringList &tokens) const
{
    QList<QPair<qint64, QString>> byDf;
    for (const QString &t : tokens) {
        const qint64 df = termDf(t);
        if (df > 0)
            byDf.append({df, t});
    }
    std::stable_sort(byDf.begin(), byDf.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList out;
    qint64 postings = 0;
    for (const auto &[df, t] : std::as_const(byDf)) {
        if (out.size() >= 2 && postings + df > m_options.postingBudget)
            break;
        out << t;
        postings += df;
        if (out.size() >= 64)
            break;
    }
    return out;
}

KnowledgeSearch::QueryPlan KnowledgeSearch::plan(const QString &query, bool tokensOnly) const
{
    QueryPlan p;
    p.normalized = Segmenter::normalize(query.left(m_options.maxQueryLength));
    if (m_options.correctHomophones) {
        p.normalized = HomophoneCorrector::builtin().correct(
            p.normalized, m_segmenter.wordBoundaries(p.normalized),
            [this](const QString &bigram) { return termDf(bigram) > 0; }, m_stopChars, m_lexiconPhrases,
            &p.corrections);
    }
    const SynonymTable::Rewrite rewrite = SynonymTable::builtin().expand(p.normalized);
    p.rewritten = rewrite.text;
    p.idfMax = idf(0);

    QStringList tokens = m_segmenter.indexTokens(p.normalized);
    for (const QString &e : rewrite.expansions)
        tokens += m_segmenter.indexTokens(e);
    QSet<QString> seen;
    for (const QString &t : tokens) {
        if (!seen.contains(t)) {
            seen.insert(t);
            p.tokens << t;
        }
    }
    // Stage 1 matches the rarest tokens first until the posting budget is spent: common tokens
    // add little to BM25 but make FTS5 score most of the table.
    if (!tokensOnly)
        p.matchTokens = matchTokens(p.tokens);
    p.smallTalk = isSmallTalk(p.normalized);
    // The models it names, longest first ("云驰E7 Pro" is not also 云驰 E7).
    QString said = compact(p.normalized);
    for (const auto &[form, name] : std::as_const(m_models)) {
        for (qsizetype at = said.indexOf(form); at >= 0 && !form.isEmpty(); at = said.indexOf(form, at + 1)) {
            const qsizetype end = at + form.size();
            // "e5" is not a model inside "e5001"; a form that starts with CJK has its own edge.
            if ((at > 0 && isLatinWordChar(form.front()) && isLatinWordChar(said.at(at - 1))) ||
                (end < said.size() && isLatinWordChar(form.back()) && isLatinWordChar(said.at(end))))
                continue;
            if (!p.models.contains(name))
                p.models << name;
            said.replace(at, form.size(), QString(form.size(), QLatin1Char(' ')));
        }
    }
    for (const QString &t : std::as_const(p.tokens)) {
        const bool number = std::all_of(t.cbegin(), t.cend(), [](QChar ch) { return ch.isDigit(); });
        // A part of any model's name, named or not ("朔风T3 2021款" reads as t32021 once compacted,
        // and the model is not found there).
        const bool model =
            t.contains(u'款') || std::any_of(m_models.cbegin(), m_models.cend(),
                                             [&](const auto &m) { return m.first.contains(t); });
        if (!number && !model)
            p.translationTokens << t;
    }
    if (tokensOnly)
        return p;
    p.platforms = DomainLexicon::platformsIn(p.normalized);
    p.units = units(p.normalized);
    if (!rewrite.expansions.isEmpty())
        p.rewrittenUnits = units(p.rewritten);
    double all = 0;
    double incidental = 0;
    for (const Unit &u : std::as_const(p.units)) {
        all += u.weight;
        if (u.incidental)
            incidental += u.weight;
    }
    p.incidentalShare = all > 0 ? incidental / all : 0.0;
    return p;
}

const KnowledgeSearch::DocText &KnowledgeSearch::docText(qint64 rid, const KnowledgeEntry &entry) const
{
    auto it = m_docText.constFind(rid);
    if (it == m_docText.constEnd()) {
        if (m_docText.size() > 5000)
            m_docText.clear();
        QString topic = entry.title + u'\n' + entry.symptoms.join(u'\n') + u'\n' + entry.category;
        DocText t{KnowledgeIndexer::searchText(entry), Segmenter::normalize(topic), {}};
        t.title = Segmenter::normalize(entry.title);
        t.symptoms = Segmenter::normalize(entry.symptoms.join(u'\n'));
        for (const QString &line : entry.symptoms) {
            const QString normalized = Segmenter::normalize(line);
            t.symptomUnits.append(units(normalized));
            QSet<QChar> chars;
            for (const QChar ch : normalized) {
                if (Segmenter::isCjk(ch) && !kCommonChars.contains(ch))
                    chars.insert(ch);
            }
            t.symptomChars.append(chars);
        }
        t.platforms = DomainLexicon::platformsIn(Segmenter::basicNormalize(entry.title));
        it = m_docText.insert(rid, std::move(t));
    }
    return it.value();
}

void KnowledgeSearch::cover(const QueryPlan &plan, const DocText &text, Candidate *c) const
{
    const Coverage typed = coverageOf(plan.units, text);
    c->coverage = typed.share;
    c->topical = typed.topical;
    c->evidence = typed.mass;
    c->codeMatch = typed.code;
    c->uncoveredOutOfScope = typed.uncoveredOutOfScope;
    c->rest =
        typed.scopeMass > 0 && typed.otherDen > 0 ? (typed.mass - typed.scopeMass) / typed.otherDen : 1.0;
    // The other way round: how much of one of the entry's symptom lines the query says.
    const QString said = plan.normalized + u'\n' + plan.rewritten;
    const DocText query{said, said, {}};
    c->symptom = 0;
    c->symptomLine = -1;
    for (qsizetype i = 0; i < text.symptomUnits.size(); ++i) {
        const double share = coverageOf(text.symptomUnits.at(i), query).share;
        if (share > c->symptom) {
            c->symptom = share;
            c->symptomLine = i;
        }
    }
    // The same by characters: "iphone昨晚更新了系统…以前都是靠近就解锁" says every character of
    // "iOS更新以后靠近不解锁", though not all of its words.
    c->symptomChars = 0;
    for (const QSet<QChar> &line : text.symptomChars) {
        if (line.isEmpty())
            continue;
        const auto said =
            std::count_if(line.cbegin(), line.cend(),
                          [&asked = std::as_const(query.all)](QChar ch) { return asked.contains(ch); });
        c->symptomChars = std::max(c->symptomChars, double(said) / double(line.size()));
    }
    // How much of the query the entry's own title and symptom lines say (the re-ranking weighs it).
    const auto fieldShare = [&plan](const QString &field) {
        const DocText only{field, field, {}};
        double share = coverageOf(plan.units, only).share;
        if (!plan.rewrittenUnits.isEmpty())
            share = std::max(share, coverageOf(plan.rewrittenUnits, only).share);
        return share;
    };
    c->titleCoverage = fieldShare(text.title);
    c->symptomsCoverage = fieldShare(text.symptoms);
    // Loosely: a word of the query whose character the entry's title or symptoms have, even in
    // another word ("吹的热风" and "只吹自然风").
    {
        double num = 0;
        double den = 0;
        for (const Unit &u : plan.units) {
            if (u.outOfScope)
                continue;
            den += u.weight;
            const bool found = std::any_of(u.evidence.cbegin(), u.evidence.cend(),
                                           [&text](const QString &e) { return text.topic.contains(e); });
            if (found || (!u.latin && text.topic.contains(u.key)))
                num += u.weight;
        }
        c->charCoverage = den > 0 ? num / den : 0.0;
    }
    if (!plan.rewrittenUnits.isEmpty()) {
        const Coverage rewritten = coverageOf(plan.rewrittenUnits, text);
        if (rewritten.share > c->coverage) {
            c->coverage = rewritten.share;
            c->evidence = rewritten.mass;
        }
        c->topical = std::max(c->topical, rewritten.topical);
        c->codeMatch = c->codeMatch || rewritten.code;
        // Uncovered unless the rewritten form has the term and covers it (a rewrite that replaces
        // the term, 多少钱 -> 收费, does not make it covered: the typed unit's evidence holds the
        // rewrite already).
        c->uncoveredOutOfScope.removeIf([&](const QString &t) {
            const bool inRewritten = std::any_of(plan.rewrittenUnits.cbegin(), plan.rewrittenUnits.cend(),
                                                 [&t](const Unit &u) { return u.outOfScope && u.key == t; });
            return inRewritten && !rewritten.uncoveredOutOfScope.contains(t);
        });
    }
}

QList<KnowledgeSearch::Candidate> KnowledgeSearch::rank(const QueryPlan &plan, int topK, Before *before) const
{
    QSqlDatabase d = m_db.db();
    QHash<qint64, Candidate> candidates;
    const int limit = std::max(m_options.candidates, topK);
    if (!plan.matchTokens.isEmpty()) {
        QStringList quoted;
        for (const QString &t : plan.matchTokens)
            quoted << quoteToken(t);
        QSqlQuery q(d);
        q.setForwardOnly(true);
        // Each column's own bm25() too, for the second stage's re-ranking.
        q.prepare(
            u"SELECT rowid, bm25(knowledge_fts, %1, %2, %3, %4, %5) AS s,"
            " bm25(knowledge_fts, 1, 0, 0, 0, 0), bm25(knowledge_fts, 0, 1, 0, 0, 0),"
            " bm25(knowledge_fts, 0, 0, 1, 0, 0), bm25(knowledge_fts, 0, 0, 0, 1, 0),"
            " bm25(knowledge_fts, 0, 0, 0, 0, 1)"
            " FROM knowledge_fts WHERE knowledge_fts MATCH ? ORDER BY s LIMIT ?"_s.arg(m_options.titleWeight)
                .arg(m_options.symptomsWeight)
                .arg(m_options.causeWeight)
                .arg(m_options.tagsWeight)
                .arg(m_options.solutionWeight));
        q.addBindValue(quoted.join(u" OR "_s));
        q.addBindValue(limit);
        if (!q.exec()) {
            qCWarning(lcKnowledge) << "knowledge search failed:" << q.lastError().text();
            return {};
        }
        while (q.next()) {
            Candidate c;
            c.rid = q.value(0).toLongLong();
            c.bm25 = -q.value(1).toDouble(); // FTS5's bm25() is lower-is-better
            for (int f = 0; f < kFields; ++f)
                c.fieldBm25[f] = -q.value(2 + f).toDouble();
            candidates.insert(c.rid, c);
        }
    }

    // Hybrid: nearest vectors join the candidates.
    EmbeddingClient::Vector queryVector;
    if (m_embeddings) {
        // Waiting (the command line): embed what changed and read the vectors here. Otherwise
        // prepare() has them read on a worker thread; until then the previous ones serve.
        if (m_waitForEmbeddings && !m_entriesChecked) {
            QString error;
            if (m_embeddings->sync(kAutoSyncLimit, &error) < 0)
                qCWarning(lcKnowledge) << "could not refresh entry embeddings:" << error;
            m_entriesChecked = true;
        }
        if (m_waitForEmbeddings && !m_embeddingsLoaded) {
            QString error;
            if (!m_embeddings->load(&error))
                qCWarning(lcKnowledge) << "could not read the entry embeddings:" << error;
            m_embeddingsLoaded = true;
        }
        const auto cached = m_queryVectors.constFind(plan.normalized);
        if (cached != m_queryVectors.constEnd()) {
            queryVector = cached.value();
        } else if (!m_waitForEmbeddings) {
            qCDebug(lcKnowledge)
                << "no vector for this query (not prepared, or the endpoint failed); ranking "
                   "by BM25 only";
        } else {
            QString error;
            const auto vectors = m_client->embed({plan.normalized}, &error);
            if (vectors && !vectors->isEmpty()) {
                queryVector = EmbeddingIndex::normalized(vectors->front());
                if (m_queryVectors.size() > 256)
                    m_queryVectors.clear();
                m_queryVectors.insert(plan.normalized, queryVector);
            } else {
                qCWarning(lcKnowledge) << "embedding endpoint failed (" << error << "); ranking by BM25 only";
            }
        }
        if (!queryVector.isEmpty()) {
            QList<QPair<double, qint64>> nearest;
            const auto &vectors = m_embeddings->vectors();
            for (auto it = vectors.constBegin(); it != vectors.constEnd(); ++it)
                nearest.append({EmbeddingIndex::dot(queryVector, it.value()), it.key()});
            const qsizetype keep = std::min<qsizetype>(nearest.size(), m_options.embeddingCandidates);
            std::partial_sort(nearest.begin(), nearest.begin() + keep, nearest.end(),
                              [](const auto &a, const auto &b) { return a.first > b.first; });
            for (qsizetype i = 0; i < keep; ++i) {
                if (!candidates.contains(nearest.at(i).second)) {
                    Candidate c;
                    c.rid = nearest.at(i).second;
                    candidates.insert(c.rid, c);
                }
            }
        }
    }
    if (candidates.isEmpty())
        return {};

    // Fetch the candidates.
    QStringList ids;
    for (auto it = candidates.constBegin(); it != candidates.constEnd(); ++it)
        ids << QString::number(it.key());
    QSqlQuery fetch(d);
    fetch.setForwardOnly(true);
    if (!fetch.exec(u"SELECT "_s + KnowledgeIndexer::selectColumns() + u" FROM knowledge WHERE rid IN ("_s +
                    ids.join(QLatin1Char(',')) + u")"_s)) {
        qCWarning(lcKnowledge) << "knowledge search failed:" << fetch.lastError().text();
        return {};
    }
    double bestBm25 = 0;
    for (const Candidate &c : std::as_const(candidates))
        bestBm25 = std::max(bestBm25, c.bm25);
    QList<Candidate> out;
    while (fetch.next()) {
        qint64 rid = 0;
        KnowledgeEntry entry = KnowledgeIndexer::entryFromRow(fetch, &rid);
        Candidate c = candidates.value(rid);
        c.entry = std::move(entry);
        const DocText &text = docText(rid, c.entry);
        cover(plan, text, &c);
        const double lexical = (1.0 - m_options.coverageShare) * (bestBm25 > 0 ? c.bm25 / bestBm25 : 0.0) +
                               m_options.coverageShare * c.coverage;
        c.score = lexical;
        if (!queryVector.isEmpty()) {
            const auto &vectors = m_embeddings->vectors();
            const auto v = vectors.constFind(rid);
            c.cosine = v == vectors.constEnd() ? 0.0 : EmbeddingIndex::dot(queryVector, v.value());
            c.score = (1.0 - m_options.embeddingShare) * lexical +
                      m_options.embeddingShare * std::max(0.0, c.cosine);
        }
        if (!plan.models.isEmpty() && !c.entry.vehicleModels.isEmpty() &&
            !c.entry.vehicleModels.contains(u"全系车型"_s)) {
            const bool named = std::any_of(plan.models.cbegin(), plan.models.cend(), [&c](const QString &m) {
                return c.entry.vehicleModels.contains(m);
            });
            c.score += named ? m_options.modelBonus : -m_options.modelBonus;
        }
        if (c.codeMatch)
            c.score += m_options.codeBonus;
        if (plan.platforms.size() == 1) {
            if (!text.platforms.isEmpty())
                c.score += text.platforms.contains(plan.platforms.front()) ? m_options.platformBonus
                                                                           : -m_options.platformBonus;
        }
        out.append(std::move(c));
    }
    const auto byScore = [](const Candidate &a, const Candidate &b) {
        if (a.score != b.score)
            return a.score > b.score;
        if (a.baseScore != b.baseScore) // a tie after rerank(): the score alone decides
            return a.baseScore > b.baseScore;
        if (a.bm25 != b.bm25)
            return a.bm25 > b.bm25;
        return a.entry.id < b.entry.id;
    };
    std::sort(out.begin(), out.end(), byScore);
    // The best by the score alone, and its lead then: what the answerable decision weighs.
    if (before && !out.isEmpty()) {
        // The first that covers a word of the query: FTS5 also matches the bigrams of its
        // templates ("是不是" in "续航变短了是不是升级的问题"), which coverage ignores.
        qsizetype first = 0;
        while (first + 1 < out.size() && out.at(first).coverage <= 0)
            ++first;
        if (out.at(first).coverage <= 0)
            first = 0;
        before->best = out.at(first);
        before->first = out.front().entry.id;
        before->lead =
            first + 1 < out.size() ? out.at(first).score - out.at(first + 1).score : out.at(first).score;
    }
    for (Candidate &c : out)
        c.baseScore = c.score;
    rerank(plan, &out);
    std::sort(out.begin(), out.begin() + std::clamp<qsizetype>(m_options.rerankDepth, 0, out.size()),
              byScore);
    if (out.size() > topK)
        out.resize(topK);
    return out;
}

const TranslationTable &KnowledgeSearch::translation() const
{
    // Resolved on the first search, not in the constructor: the built-in table takes about 0.3 s to
    // parse (once per process), and the bot's and the console's searches run on worker threads
    // (RetrieverThread, OperatorDesk), not on the thread that builds a KnowledgeSearch.
    if (!m_translation)
        m_translation = m_options.translation ? m_options.translation.get() : &TranslationTable::builtin();
    return *m_translation;
}

const TranslationTable::Entry &KnowledgeSearch::translationOf(const DocText &text,
                                                              const KnowledgeEntry &entry) const
{
    if (!text.translation) {
        // Analysed like a question, as the table was learnt (fit_translation.py parts).
        QStringList tokens = plan(entry.title, true).translationTokens;
        for (const QString &line : entry.symptoms)
            tokens += plan(line, true).translationTokens;
        text.translation = translation().entry(tokens);
    }
    return *text.translation;
}

void KnowledgeSearch::rerank(const QueryPlan &plan, QList<Candidate> *ranked) const
{
    const qsizetype depth = std::clamp<qsizetype>(m_options.rerankDepth, 0, ranked->size());
    if (depth < 2)
        return;
    // Each figure relative to the best among the first `depth` (their scale varies from one query
    // to the next); coverage, topical and symptom shares are comparable as they are.
    double bestBm25 = 0;
    double bestEvidence = 0;
    double bestField[kFields] = {};
    TranslationTable::Figures bestTranslation{-1e300, -1e300};
    for (qsizetype i = 0; i < depth; ++i) {
        Candidate &c = (*ranked)[i];
        c.translation =
            translation().figures(plan.translationTokens, translationOf(docText(c.rid, c.entry), c.entry));
        bestTranslation.all = std::max(bestTranslation.all, c.translation.all);
        bestTranslation.unmatched = std::max(bestTranslation.unmatched, c.translation.unmatched);
        bestBm25 = std::max(bestBm25, c.bm25);
        bestEvidence = std::max(bestEvidence, c.evidence);
        for (int f = 0; f < kFields; ++f)
            bestField[f] = std::max(bestField[f], c.fieldBm25[f]);
    }
    const auto share = [](double v, double best) { return best > 0 ? v / best : 0.0; };
    const RerankWeights &w = m_options.rerank;
    for (qsizetype i = 0; i < depth; ++i) {
        Candidate &c = (*ranked)[i];
        double correction = w.bm25 * share(c.bm25, bestBm25) + w.coverage * c.coverage +
                            w.topical * c.topical + w.symptom * c.symptom +
                            w.evidence * share(c.evidence, bestEvidence);
        for (int f = 0; f < kFields; ++f)
            correction += w.field[f] * share(c.fieldBm25[f], bestField[f]);
        correction += w.titleCoverage * c.titleCoverage + w.symptomsCoverage * c.symptomsCoverage +
                      w.charCoverage * c.charCoverage + w.symptomChars * c.symptomChars;
        const double floor = m_options.translationFloor;
        correction +=
            w.translation * std::max(c.translation.all - bestTranslation.all, floor) +
            w.translationUnmatched * std::max(c.translation.unmatched - bestTranslation.unmatched, floor);
        c.score += correction;
    }
    // The correction puts an entry ahead of the first by the score alone only when its title says
    // as much of the query as that one's: "车机没网" stays with the head unit's entry rather than
    // the one titled "手机没网" that the tags and the solution favour.
    const Candidate &first = ranked->front();
    for (qsizetype i = 1; i < depth && m_options.rerankTitleGuard; ++i) {
        Candidate &c = (*ranked)[i];
        if (c.titleCoverage < first.titleCoverage)
            c.score = std::min(c.score, first.score);
    }
}

bool KnowledgeSearch::judge(const Candidate &best, const Before &before, const QueryPlan &plan,
                            QString *reason) const
{
    // Whether the knowledge base answers the query is decided on the figures of the best entry by
    // the score alone (its coverage, the lead over the runner-up by the score ...), with one figure
    // of the re-ranking: the score of the entry that comes first after it, which adds how well the
    // re-ranking's figures (the columns matched, the characters of a symptom line) fit. Deciding
    // on every figure of the re-ranked first entry answered 20 more of the 582 unanswerable
    // questions of the read sets, for 40 fewer wrong refusals; with the first entry's score by
    // the score alone instead of the re-ranked one, the learned decision refused 11 more
    // answerable questions of the blind sets and answered 11 more unanswerable ones.
    const bool ok = decide(before.best, before.lead, best.score, best.translation.all, plan, reason);
    if (before.first != best.entry.id)
        *reason += u"; re-ranked: %1 first, %2 by the score alone"_s.arg(best.entry.id, before.first);
    return ok;
}

bool KnowledgeSearch::decide(const Candidate &best, double lead, double score, double translation,
                             const QueryPlan &plan, QString *reason) const
{
    const auto pct = [](double v) { return qRound(v * 100); };
    if (best.codeMatch) {
        *reason = u"answerable: the best entry contains the error code the query names"_s;
        return true;
    }
    if (plan.smallTalk) {
        *reason =
            u"not answerable: small talk (a greeting, thanks or an acknowledgement): nothing to look up"_s;
        return false;
    }
    if (!best.uncoveredOutOfScope.isEmpty()) {
        QStringList named;
        for (const QString &t : best.uncoveredOutOfScope) {
            const auto &all = DomainLexicon::outOfScope();
            const auto it =
                std::find_if(all.cbegin(), all.cend(), [&t](const auto &o) { return o.term == t; });
            named << u"%1 (%2)"_s.arg(t, it == all.cend() ? QString() : it->topic);
        }
        *reason =
            u"not answerable: out of scope: the query is about %1, which the best entry does not cover"_s.arg(
                named.join(u", "_s));
        return false;
    }
    // A question about what something costs, put to an entry that names no cost at all: the entry
    // may say how the thing works, not what it costs ("ota升级要不要收费" and the entry about using
    // the car during an update).
    const auto says = [](const QString &text, std::initializer_list<QStringView> words) {
        return std::any_of(words.begin(), words.end(), [&text](QStringView w) { return text.contains(w); });
    };
    const KnowledgeEntry &e = best.entry;
    if (says(plan.normalized, {u"收费", u"多少钱", u"费用", u"价格", u"价钱"}) &&
        !says(e.title + e.symptoms.join(u'\n') + e.cause + e.solution + e.tags.join(u'\n'),
              {u"费", u"钱", u"价", u"元"})) {
        *reason = u"not answerable: the query asks what something costs and the best entry names no cost"_s;
        return false;
    }
    const QString figures =
        u"coverage %1%, topical %2%, lead %3, incidental %4%, evidence %5, symptom said %6%, score %7, "
        u"length %8, characters %9%, symptom characters %10%, translation %11"_s.arg(pct(best.coverage))
            .arg(pct(best.topical))
            .arg(lead, 0, 'f', 2)
            .arg(pct(plan.incidentalShare))
            .arg(best.evidence, 0, 'f', 2)
            .arg(pct(best.symptom))
            .arg(score, 0, 'f', 3)
            .arg(plan.normalized.size())
            .arg(pct(best.charCoverage))
            .arg(pct(best.symptomChars))
            .arg(translation, 0, 'f', 2);
    if (best.rest < m_options.restCoverage && lead < m_options.restLead) {
        *reason =
            u"not answerable: the best entry has little but an out-of-scope term in common with the "
            u"query (it covers %1% of the other words, needs %2% or a lead of %3; %4)"_s.arg(pct(best.rest))
                .arg(pct(m_options.restCoverage))
                .arg(m_options.restLead, 0, 'f', 2)
                .arg(figures);
        return false;
    }
    const double weight = decisionWeight(best, lead, score, translation, plan);
    QString said;
    if (best.symptom >= 0.5 && best.symptomLine >= 0 && best.symptomLine < best.entry.symptoms.size())
        said = u"; it says %1% of the symptom \"%2\""_s.arg(pct(best.symptom))
                   .arg(best.entry.symptoms.at(best.symptomLine));
    if (weight > 0) {
        *reason = u"answerable: the figures weigh %1 for an answer (%2%3)"_s.arg(weight, 0, 'f', 2)
                      .arg(figures, said);
        return true;
    }
    *reason = u"not answerable: the figures weigh %1 against an answer (%2%3)"_s.arg(-weight, 0, 'f', 2)
                  .arg(figures, said);
    return false;
}

double KnowledgeSearch::decisionWeight(const Candidate &best, double lead, double score, double translation,
                                       const QueryPlan &plan) const
{
    const DecisionWeights &w = m_options.decision;
    const double l = std::min(lead, w.leadCap);
    const double evidence = plan.idfMax > 0 ? std::log1p(best.evidence / plan.idfMax) : 0.0;
    const double length = std::min(double(plan.normalized.size()), w.lengthCap) / 50.0;
    return w.bias + w.coverage * best.coverage + w.topical * best.topical + w.lead * l +
           w.incidental * plan.incidentalShare + w.evidence * evidence + w.symptom * best.symptom +
           w.topicalLead * best.topical * l + w.coverageLead * best.coverage * l +
           w.symptomLead * best.symptom * l + w.score * score +
           w.topicalSquared * best.topical * best.topical +
           w.coverageSquared * best.coverage * best.coverage +
           (w.coverageLength * best.coverage + w.topicalLength * best.topical) * length +
           w.characters * best.charCoverage + w.symptomCharacters * best.symptomChars +
           w.translation * translation;
}

KnowledgeSearchResult KnowledgeSearch::search(const QString &query, int topK) const
{
    KnowledgeSearchResult result;
    result.query = query;
    topK = std::clamp(topK, 0, 100);
    if (topK == 0 || query.trimmed().isEmpty()) {
        result.reason = u"empty query"_s;
        return result;
    }
    QElapsedTimer timer;
    timer.start();
    refresh();
    if (m_count == 0) {
        result.reason = u"the knowledge base is empty"_s;
        return result;
    }
    const QueryPlan p = plan(query);
    Before before;
    const QList<Candidate> ranked = rank(p, topK, &before);
    for (const Candidate &c : ranked)
        result.hits.append({c.entry, c.score, c.coverage});
    if (ranked.isEmpty())
        result.reason = u"not answerable: no entry shares a word with the query"_s;
    else
        result.answerable = judge(ranked.front(), before, p, &result.reason);
    result.lead = ranked.isEmpty() ? -1 : before.lead;
    qCDebug(lcKnowledge).noquote()
        << u"search \"%1\": %2 hit(s), best %3 coverage %4 evidence %5, answerable %6 (%7) in %8 ms"_s
               .arg(query.left(80))
               .arg(ranked.size())
               .arg(ranked.isEmpty() ? u"-"_s : ranked.front().entry.id)
               .arg(ranked.isEmpty() ? 0.0 : ranked.front().coverage, 0, 'f', 3)
               .arg(ranked.isEmpty() ? 0.0 : ranked.front().evidence, 0, 'f', 2)
               .arg(result.answerable ? u"yes"_s : u"no"_s, result.reason)
               .arg(timer.elapsed());
    return result;
}

QJsonObject KnowledgeSearch::explain(const QString &query, int topK) const
{
    refresh();
    const QueryPlan p = plan(query);
    auto unitsJson = [](const QList<Unit> &list) {
        QJsonArray a;
        for (const Unit &u : list) {
            QJsonObject o{{u"unit"_s, u.key}, {u"weight"_s, u.weight}};
            if (u.incidental)
                o.insert(u"incidental"_s, true);
            if (u.outOfScope)
                o.insert(u"out_of_scope"_s, true);
            a.append(o);
        }
        return a;
    };
    QJsonObject o{{u"query"_s, query},
                  {u"normalized"_s, p.normalized},
                  {u"rewritten"_s, p.rewritten},
                  {u"tokens"_s, QJsonArray::fromStringList(p.tokens)},
                  {u"translation_tokens"_s, QJsonArray::fromStringList(p.translationTokens)},
                  {u"match_tokens"_s, QJsonArray::fromStringList(p.matchTokens)},
                  {u"units"_s, unitsJson(p.units)},
                  {u"rewritten_units"_s, unitsJson(p.rewrittenUnits)},
                  {u"entries"_s, m_count},
                  {u"incidental_share"_s, p.incidentalShare},
                  {u"small_talk"_s, p.smallTalk},
                  {u"idf_max"_s, p.idfMax}};
    QJsonArray corrected;
    for (const HomophoneCorrector::Correction &c : std::as_const(p.corrections))
        corrected.append(QJsonObject{{u"typed"_s, c.typed}, {u"term"_s, c.term}, {u"at"_s, c.at}});
    o.insert(u"corrected"_s, corrected);
    Before before;
    const QList<Candidate> ranked = rank(p, std::clamp(topK, 1, 100), &before);
    QJsonArray hits;
    for (const Candidate &c : ranked) {
        hits.append(
            QJsonObject{{u"id"_s, c.entry.id},
                        {u"score"_s, c.score},
                        {u"base_score"_s, c.baseScore},
                        {u"bm25"_s, c.bm25},
                        {u"coverage"_s, c.coverage},
                        {u"topical"_s, c.topical},
                        {u"symptom"_s, c.symptom},
                        {u"rest"_s, c.rest},
                        {u"evidence"_s, c.evidence},
                        {u"cosine"_s, c.cosine},
                        {u"code"_s, c.codeMatch},
                        {u"title_coverage"_s, c.titleCoverage},
                        {u"symptoms_coverage"_s, c.symptomsCoverage},
                        {u"char_coverage"_s, c.charCoverage},
                        {u"symptom_chars"_s, c.symptomChars},
                        {u"translation"_s, c.translation.all},
                        {u"translation_unmatched"_s, c.translation.unmatched},
                        {u"field_bm25"_s, QJsonArray{c.fieldBm25[0], c.fieldBm25[1], c.fieldBm25[2],
                                                     c.fieldBm25[3], c.fieldBm25[4]}},
                        {u"uncovered_out_of_scope"_s, QJsonArray::fromStringList(c.uncoveredOutOfScope)}});
    }
    o.insert(u"hits"_s, hits);
    if (!ranked.isEmpty()) {
        QString reason;
        o.insert(u"lead"_s, before.lead);
        o.insert(u"scored_first"_s, before.first);
        o.insert(u"decided_on"_s, before.best.entry.id);
        o.insert(u"answerable"_s, judge(ranked.front(), before, p, &reason));
        o.insert(u"reason"_s, reason);
    }
    return o;
}

void KnowledgeSearch::prepare(const QStringList &queries, QObject *context, std::function<void()> ready)
{
    if (!m_embeddings) {
        ready();
        return;
    }
    refresh();
    Waiter w;
    for (const QString &query : queries) {
        if (query.trimmed().isEmpty())
            continue;
        const QString normalized = Segmenter::normalize(query.left(m_options.maxQueryLength));
        if (!normalized.isEmpty() && !m_queryVectors.contains(normalized) && !w.queries.contains(normalized))
            w.queries << normalized;
    }
    if ((w.queries.isEmpty() && m_entriesChecked && m_embeddingsLoaded && !m_fetching && !m_scanThread) ||
        m_count == 0) {
        ready(); // nothing to fetch (or nothing to rank)
        return;
    }
    if (m_lastFailure.isValid() && !m_lastFailure.hasExpired(kRetryAfterFailureMs)) {
        qCDebug(lcKnowledge) << "the embedding endpoint failed less than" << kRetryAfterFailureMs / 1000
                             << "s ago: ranking by BM25 only";
        ready();
        return;
    }
    w.context = context;
    w.ready = std::move(ready);
    m_waiting.append(std::move(w));
    fetchNext();
}

void KnowledgeSearch::fetchNext()
{
    if (m_fetching || m_scanThread || m_waiting.isEmpty())
        return;
    refresh();
    if (!m_embeddingsLoaded) {
        startScan(); // fetchNext() again when the vectors are in
        return;
    }
    QList<Waiter> batch = std::exchange(m_waiting, {});
    QStringList queries;
    for (const Waiter &w : std::as_const(batch)) {
        for (const QString &q : w.queries) {
            if (!m_queryVectors.contains(q) && !queries.contains(q))
                queries << q;
        }
    }
    QList<EmbeddingIndex::Stale> entries;
    if (!m_entriesChecked) {
        entries = m_embeddings->pending(kAutoSyncLimit);
        if (entries.isEmpty())
            m_entriesChecked = true;
    }
    if (queries.isEmpty() && entries.isEmpty()) {
        release(batch);
        return;
    }
    QStringList texts;
    for (const EmbeddingIndex::Stale &e : std::as_const(entries))
        texts << e.text;
    texts += queries;
    m_fetching = true;
    m_inFlight = std::move(batch);
    const quint64 serial = ++m_fetchSerial;
    m_client->embedAsync(texts, m_receiver.get(),
                         [this, serial, entries, queries](
                             std::optional<QList<EmbeddingClient::Vector>> vectors, const QString &error) {
                             fetched(serial, entries, queries, std::move(vectors), error);
                         });
    // The client gives a batch up after the timeout without data; this covers a trickle too.
    const qsizetype batches =
        (texts.size() + m_client->options().batchSize - 1) / m_client->options().batchSize;
    const int limitMs = int(std::min<qint64>(batches * m_client->options().timeoutMs + 1000, 600000));
    QTimer::singleShot(limitMs, m_receiver.get(), [this, serial, entries, queries, limitMs] {
        fetched(serial, entries, queries, std::nullopt, u"no answer within %1 ms"_s.arg(limitMs));
    });
}

void KnowledgeSearch::startScan()
{
    if (m_scanThread)
        return;
    static std::atomic<int> connections{0};
    const QString connection = u"%1-embeddings-%2"_s.arg(m_db.connectionName()).arg(++connections);
    const QString model = m_client->options().model;
    const quint64 serial = m_fetchSerial;
    const auto cancel = std::make_shared<std::atomic_bool>(false);
    m_scanCancel = cancel;
    QObject *receiver = m_receiver.get(); // outlives the thread: stopScan() joins it first
    const Database &mainDb = m_db;
    m_scanThread = QThread::create([this, receiver, &mainDb, connection, model, serial, cancel] {
        QElapsedTimer timer;
        timer.start();
        auto scan = std::make_shared<EmbeddingIndex::Scan>();
        QString generation;
        QString error;
        bool opened = false;
        bool ok = false;
        {
            Database db(connection);
            opened = db.openLike(mainDb);
            if (opened) {
                QSqlDatabase d = db.db();
                d.transaction(); // a read: the generation and the rows of one snapshot
                generation = knowledgeGeneration(d);
                // Entries beyond kAutoSyncLimit wait for the next write (or `kb` sync): no need
                // to hold their texts.
                ok = EmbeddingIndex::scan(d, model, true, kAutoSyncLimit, scan.get(), &error, cancel.get());
                d.commit();
            } else {
                error = db.errorString();
            }
        }
        const qint64 ms = timer.elapsed();
        QMetaObject::invokeMethod(
            receiver,
            [this, serial, generation, opened, ok, scan, error, ms] {
                scanned(serial, generation, opened, ok, std::move(*scan), error, ms);
            },
            Qt::QueuedConnection);
    });
    m_scanThread->setObjectName(u"knowledge-embeddings"_s);
    m_scanThread->start(QThread::LowPriority);
}

void KnowledgeSearch::stopScan()
{
    if (!m_scanThread)
        return;
    m_scanCancel->store(true);
    m_scanThread->wait();
    delete std::exchange(m_scanThread, nullptr);
}

void KnowledgeSearch::scanned(quint64 serial, const QString &generation, bool opened, bool ok,
                              EmbeddingIndex::Scan scan, const QString &error, qint64 ms)
{
    if (serial != m_fetchSerial || !m_embeddings)
        return; // of the options before: stopScan() ended that thread
    stopScan(); // it has finished: this was its last act
    refresh();
    if (!opened) {
        // No second connection (not SQLite): read here, once per write generation.
        qCWarning(lcKnowledge) << "cannot read the entry embeddings on a worker thread (" << error
                               << "); reading them on this one";
        QString why;
        if (!m_embeddings->load(&why))
            qCWarning(lcKnowledge) << "could not read the entry embeddings:" << why;
        m_embeddingsLoaded = true;
    } else if (!ok) {
        qCWarning(lcKnowledge) << "could not read the entry embeddings:" << error;
        m_embeddingsLoaded = true; // the previous vectors serve until the next write
        m_entriesChecked = true;
    } else if (generation != m_generation && ++m_scanMismatches < 3) {
        // Written meanwhile: read again (fetchNext() below).
    } else {
        qCInfo(lcKnowledge) << "read" << scan.vectors.size() << "entry vectors," << scan.staleCount
                            << "entries to embed, in" << ms << "ms on a worker thread";
        m_scanMismatches = 0;
        m_embeddings->adopt(std::move(scan));
        m_embeddingsLoaded = true;
    }
    fetchNext();
}

void KnowledgeSearch::fetched(quint64 serial, const QList<EmbeddingIndex::Stale> &entries,
                              const QStringList &queries,
                              std::optional<QList<EmbeddingClient::Vector>> vectors, const QString &error)
{
    if (!m_fetching || serial != m_fetchSerial)
        return; // too late: the fetch was given up (timeout) or the options changed
    m_fetching = false;
    const QList<Waiter> waiters = std::exchange(m_inFlight, {});
    if (vectors && vectors->size() == entries.size() + queries.size()) {
        if (!entries.isEmpty()) {
            // They join the vectors in memory: no rereading of the knowledge base.
            QString why;
            if (m_embeddings->store(entries, vectors->mid(0, entries.size()), &why))
                qCInfo(lcKnowledge) << "embedded" << entries.size() << "knowledge entries with"
                                    << m_client->options().model;
            else
                qCWarning(lcKnowledge) << "could not store entry embeddings:" << why;
        }
        m_entriesChecked = true;
        for (qsizetype i = 0; i < queries.size(); ++i) {
            if (m_queryVectors.size() > 256)
                m_queryVectors.clear();
            m_queryVectors.insert(queries.at(i), EmbeddingIndex::normalized(vectors->at(entries.size() + i)));
        }
        m_lastFailure.invalidate();
    } else {
        qCWarning(lcKnowledge).noquote()
            << u"embedding endpoint failed (%1); ranking by BM25 only for %2 waiting question(s), and "
               u"without "
               u"the endpoint for the next %3 s"_s.arg(error.isEmpty() ? u"wrong number of vectors"_s : error)
                   .arg(waiters.size())
                   .arg(kRetryAfterFailureMs / 1000);
        m_lastFailure.start();
        m_entriesChecked = true; // as search() does after a failed sync: tried again after the next write
    }
    release(waiters);
    fetchNext();
}

void KnowledgeSearch::release(const QList<Waiter> &waiters)
{
    // One turn of the event loop each: a burst of questions released together must not all be
    // answered in one turn (a hundred searches after one slow embedding request stalled the loop
    // 140 ms). Queuing them all at once is not enough: Qt delivers every event posted before a
    // turn in that turn, timers and sockets after them. So each call queues the next.
    m_releasing += waiters;
    releaseNext();
}

void KnowledgeSearch::releaseNext()
{
    if (m_releaseQueued || m_releasing.isEmpty())
        return;
    if (!m_receiver)
        m_receiver = std::make_unique<QObject>();
    m_releaseQueued = true;
    QMetaObject::invokeMethod(
        m_receiver.get(),
        [this] {
            m_releaseQueued = false;
            while (!m_releasing.isEmpty()) {
                const Waiter w = m_releasing.takeFirst();
                if (w.context) {
                    releaseNext(); // the next one in the next turn
                    w.ready();
                    return;
                }
            }
        },
        Qt::QueuedConnection);
}

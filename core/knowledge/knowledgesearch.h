#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>

#include "knowledge/domainlexicon.h"
#include "knowledge/embeddingclient.h"
#include "knowledge/embeddingindex.h"
#include "knowledge/homophonecorrector.h"
#include "knowledge/knowledgeentry.h"
#include "knowledge/segmenter.h"
#include "knowledge/translationtable.h"

class Database;
class QSqlQuery;
class QThread;

// The second stage's learned correction (see KnowledgeSearchOptions::rerank).
struct RerankWeights
{
    double bm25 = -0.1048;    // bm25 relative to the best of the re-ranked candidates
    double coverage = 0.0140; // query coverage
    double topical = 0.0171;  // coverage of the query's topical units
    double symptom = 0.0975;  // share of the entry's best-said symptom line
    double evidence = 0.0179; // covered IDF mass relative to the best
    // Each column's own bm25 relative to the best: title, symptoms, cause, tags (with category
    // and models), solution.
    double field[5] = {0.0168, -0.0927, 0.0319, 0.0881, 0.0098};
    double titleCoverage = 0.0432;    // query coverage by the title alone
    double symptomsCoverage = 0.0334; // by the symptom lines alone
    double charCoverage = 0.0289;     // by the title and symptoms, a character in another word too
    double symptomChars = 0.0836;     // share of the characters of the entry's best-said symptom line
    // How likely the question's tokens are under the entry's (TranslationTable), relative to the
    // best: all of them, and those the entry does not contain itself.
    double translation = 0.2851;
    double translationUnmatched = 0.1321;
};

// The answerable decision on a query's figures, when no hard rule decides (an error code, small
// talk, an out-of-scope term, a price question to an entry that names no cost): answerable when
// bias + the sum of weight * figure is above 0. The figures are the best entry's coverage of the
// query and of its topical words, the lead over the runner-up (capped at leadCap), the query's
// share of incidental words, log(1 + evidence / idfMax), the share of the entry's best-said symptom
// line, three of those times the lead, the first entry's score, the two coverages squared, and the
// two coverages times the query's length in units of 50 characters (capped at lengthCap), and two
// shares of characters rather than words: of the query in the entry's title and symptoms
// (charCoverage) and of the entry's best-said symptom line in the query (symptomChars). The
// length counts only through what is covered of it: a long story with a third of it covered has
// said more of the entry than a short question with a third, but a long question with little
// covered has said little (a length of its own answered long off-topic questions that mention the
// app in passing). The characters count what owners say in other words ("右后门一直是开的样子，人
// 去摸是关好的" against KB-0020's symptom line "车门明明关了显示开着"). The weights were fitted by logistic
// regression on every question set read so far (5,061 queries the figures decide, 274 of them unanswerable)
// by tests/retrieval/fit_decision.py, with the threshold that answers as many of their unanswerable questions
// as the decision before (the hand rules until the fifteenth session; README, fifteenth and sixteenth
// sessions). Since the seventeenth, also the translation figure of the re-ranked first entry (each read set
// searched through a table learnt without it), with an L2 penalty of 0.03 (the least at which the weight
// rises with the lead where the tests look), and without dev-holdout.
struct DecisionWeights
{
    double bias = 1.2570;
    double coverage = 0.9920;
    double topical = -0.3836;
    double lead = 0.2196;
    double incidental = -0.2021;
    double evidence = 0.8583;
    double symptom = 0.5246;
    double topicalLead = -0.3852;
    double coverageLead = 0.8734;
    double symptomLead = 0.0925;
    double score = 2.4467;
    double topicalSquared = -0.2339;
    double coverageSquared = 0.5845;
    double coverageLength = 2.4999;    // coverage times min(length, lengthCap) / 50
    double topicalLength = 1.5547;     // topical coverage times the same
    double characters = 0.8266;        // Candidate::charCoverage
    double symptomCharacters = 3.1687; // Candidate::symptomChars
    double translation = 0.8864;       // TranslationTable::Figures::all of the re-ranked first entry
    double leadCap = 0.6;
    double lengthCap = 80; // characters: a longer query counts as this long
};

struct KnowledgeSearchOptions
{
    // bm25() column weights: title and symptoms above cause and tags above the solution.
    double titleWeight = 3.0;
    double symptomsWeight = 3.0;
    double causeWeight = 1.5;
    double tagsWeight = 1.5; // tags, category and vehicle models
    double solutionWeight = 0.5;

    int candidates = 50;         // first-stage hits re-ranked per query
    qint64 postingBudget = 5000; // rows the (rarest first) match tokens may hit in the first stage
    double coverageShare = 0.3;  // final = (1 - share) * bm25 / best bm25 + share * coverage
    // A query naming a vehicle model: entries listing that model gain this much, entries listing
    // only other models lose it (entries for all models are left alone). Near twins often differ
    // only in the models they apply to. (0.03 until the rewrite tables covered every ticket; with
    // them 0.1 ranks 3 more questions first over the read sets, spread over six of them.)
    double modelBonus = 0.1;
    // An entry containing the error code the query names gains this much: the code says which
    // entry, whatever the rest of the query matches better elsewhere ("升级提示U-4001 车机没反应"
    // matches KB-0068's words by 0.13 more than the code's entry).
    double codeBonus = 0.25;
    // A query naming one phone platform: entries whose title names it gain this much, entries
    // whose title names only another lose it. More than modelBonus: an entry titled for one
    // platform is about that platform, and its twin for the other says the same symptoms.
    double platformBonus = 0.2;

    // The answerable decision (see KnowledgeSearch): the hard rules, then the figures weighed by
    // `decision`.
    double outOfScopeWeight = 3.0; // weight factor of out-of-scope terms (prices, insurance ...)
    DecisionWeights decision;
    // A best entry whose coverage of the query is mostly an out-of-scope term (a price, covered by
    // an entry about a fee) and below restCoverage of the query's other words has only that term
    // in common with it: the question is about something else ("换块屏要多少钱" and the roaming-fee
    // entry). It is answerable only with a lead of restLead.
    double restCoverage = 0.15;
    double restLead = 0.1;

    // Stage 2's re-ranking: the first rerankDepth candidates by score gain a linear correction of
    // figures the score blends only in part or not at all (which column matched, how much of a
    // symptom line the query says, how much of the query the title alone says, how likely the
    // query's words are as owners' words for the entry: TranslationTable). The weights were fitted
    // by a softmax over the right entry among the first ten, on every question set read so far
    // but dev-holdout (4,984 answerable questions), each set's translation figures from a table
    // learnt without it, and checked by six-fold cross-validation over whole sets: 211 more first
    // places than the score alone, 72 without the translation figures (tests/retrieval/README.md, sixth and
    // seventeenth sessions). rerankDepth 0: the score alone.
    int rerankDepth = 10;
    RerankWeights rerank;
    // The correction moves an entry ahead of the first by the score only when its title says as
    // much of the query (RerankWeights::titleCoverage) as that one's. Off since the translation
    // figures: the blind sets rank 0.972 first with it, 0.988 without.
    bool rerankTitleGuard = false;

    // The re-ranking's translation table; null: TranslationTable::builtin(). The evaluation gives
    // each set a table learnt without it (fit_translation.py, kbtool --translation).
    std::shared_ptr<const TranslationTable> translation;
    // The translation figures count at most this far below the best's: they order the candidates
    // near the top, and do not push the others below zero (the assistant reads scores relative to
    // the best: the next candidates after "还是不行" are those within a share of it).
    double translationFloor = -1.0;

    // Read a span that sounds like a domain term as that term (HomophoneCorrector: "能定为吗" says
    // 定位).
    bool correctHomophones = true;

    double embeddingShare = 0.35; // hybrid: final = (1 - share) * lexical + share * cosine
    int embeddingCandidates = 10; // nearest vectors added to the candidates
    int maxQueryLength = 500;     // longer queries are cut (bounded work per search)
};

// Chinese-aware full-text search over the knowledge base (SQLite FTS5 + BM25), with an
// answerable decision and optional hybrid ranking with embeddings.
//
// Ranking: the query is normalised and rewritten like the documents (Segmenter, SynonymTable;
// colloquial phrases add their formal wording). Stage 1 matches the query's tokens, rarest first
// within a posting budget, and ranks by bm25() with column weights. Stage 2 re-ranks the top
// candidates by a score: bm25 (relative to the best) blended with query coverage, plus the bonuses
// below; then the first rerankDepth by that score gain the learned correction (rerank()), which
// separates near twins. The answerable decision is made on the first entry by the score alone
// and its lead then (its thresholds are calibrated on them); the correction only chooses which of
// the candidates comes first, and the reason says when it changed that. A hit's score is the
// score plus the correction: the lexical blend lies in [0, 1], the correction adds at most the sum
// of its positive weights.
//
// Query coverage: the IDF-weighted share of the query's content a candidate contains. Units are
// the query's CJK characters (covered when a bigram holding the character occurs in the entry)
// and its Latin tokens; question templates, particles, numerals and vehicle model names carry no
// weight; out-of-scope terms (prices, insurance, traffic fines ...) count whole and heavier.
// Coverage is computed for the query as typed and as rewritten, and the better one counts.
//
// Answerable (KnowledgeSearchResult::reason says which rule decided):
//  - the best hit contains an error code the query names (E-1042, P0562): codes are strong;
//  - otherwise, unless a rule below refuses, the figures decide, weighed together
//    (DecisionWeights): the best hit's coverage of the query and of its topical units (a unit is
//    incidental when none of its bigrams occurs in any entry, so no entry could ever cover it;
//    out-of-scope terms are never incidental), its lead over the runner-up, the share of
//    incidental words, the covered IDF mass, how much of one of its symptom lines the query says,
//    its score and, through the coverage, the query's length. A clear lead or a said symptom
//    line makes up for side details that keep the coverage down; a question about something the
//    knowledge base never mentions stays unanswerable however well its few domain words match.
// Not answerable, whatever the coverage: small talk, and a query naming an out-of-scope term
// (DomainLexicon::outOfScope, not a context word) the best hit does not name at all. The term is
// covered only where the hit is about it (title, symptoms, category); named in passing in its
// tags, cause or solution, it stays uncovered with its full weight but does not refuse outright.
// Quantities no entry names (10g, 100) are not coverage units. An out-of-scope term weighs
// outOfScopeWeight times while uncovered and like any other word once covered (an entry about a
// fee covering 多少钱 does not carry a question about the price of something else), and a best
// hit that covers little but such a term (restCoverage of the other words) needs a lead of
// restLead.
// Ranking weighs the vehicle model the query names (modelBonus), the error code it names
// (codeBonus) and the phone platform it names against the one in an entry's title
// (platformBonus).
// Everything else is reported as not answerable, with the figures behind it.
//
// Embeddings (optional): when enabled, the nearest entry vectors join the candidates and the
// final score blends in cosine similarity. Vectors are cached in the database and refreshed when
// an entry's text changes. Any endpoint failure is logged and the search ranks by BM25 alone.
//
// Waiting: by default (the command line) search() waits on the endpoint for a query vector it
// does not have and for up to kAutoSyncLimit changed entries. With setWaitForEmbeddings(false) (the
// bot's main thread) it never waits: the caller first calls prepare() with the queries it will
// search, which fetches the missing query vectors and changed entries in one asynchronous request
// (the questions of a burst that arrive meanwhile share the next one) and calls back when they are
// in, or when the endpoint failed or did not answer within its timeout (logged). search() then
// ranks with the vectors it has, by BM25 alone for a query without one; the scoring is the same
// either way. After a failure, prepare() leaves the endpoint alone for kRetryAfterFailureMs.
// The entry vectors and the list of entries to embed come from one read of the knowledge base per
// write generation, made on a worker thread with its own connection before the first fetch (the
// waiting callers wait for it too); vectors fetched later join the ones in memory, so nothing
// rereads the knowledge base on the main thread. Until that read is in, search() ranks with the
// vectors of the previous generation (an entry edited meanwhile keeps its old vector that long).
//
// Lives on the thread of its Database; search() is const but caches statistics, invalidated by
// the knowledge write generation (so edits from other connections are seen).
class KnowledgeSearch final : public KnowledgeRetriever
{
public:
    explicit KnowledgeSearch(Database &db, KnowledgeSearchOptions options = {});
    ~KnowledgeSearch() override;
    KnowledgeSearch(const KnowledgeSearch &) = delete;
    KnowledgeSearch &operator=(const KnowledgeSearch &) = delete;

    KnowledgeSearchResult search(const QString &query, int topK) const override;

    // The query analysis behind a search, for the console's "why" view and debugging.
    QJsonObject explain(const QString &query, int topK = 5) const;

    const KnowledgeSearchOptions &options() const { return m_options; }

    // Embeddings: enable with a configured endpoint; disable with default options.
    void setEmbeddingOptions(const EmbeddingOptions &options);
    bool embeddingsEnabled() const { return m_client != nullptr; }
    // Embeds entries whose text changed (all when limit < 0); -1 on failure. search() does this
    // for up to kAutoSyncLimit entries after each change, so single edits need no call.
    int syncEmbeddings(int limit = -1, QString *error = nullptr);
    static constexpr int kAutoSyncLimit = 32;

    // False: search() never waits on the embedding endpoint (see the class comment).
    void setWaitForEmbeddings(bool wait) { m_waitForEmbeddings = wait; }
    bool waitsForEmbeddings() const { return m_waitForEmbeddings; }
    void prepare(const QStringList &queries, QObject *context, std::function<void()> ready) override;
    static constexpr int kRetryAfterFailureMs = 30000;

    // Forgets cached statistics (they are also dropped when the write generation changes).
    void invalidate() const;

private:
    static constexpr int kFields = 5; // the full-text columns: title, symptoms, cause, tags, solution
    struct Unit
    {
        QString key;
        double weight = 0;
        QStringList evidence; // covered when any of these occurs in the entry
        bool latin = false;
        bool code = false;
        bool incidental = false; // no entry contains any of its evidence
        bool outOfScope = false;
        QStringList exceptions;    // out-of-scope term: words containing it that do not count
        bool context = false;      // out-of-scope context word (DomainLexicon::OutOfScopeTerm)
        double coveredWeight = -1; // its weight when covered, if not `weight` (out-of-scope terms)
    };
    struct QueryPlan
    {
        QString normalized;
        QString rewritten;
        QStringList tokens; // all query tokens (typed and rewritten)
        // The tokens the translation figures weigh: not those of a vehicle model's name, a model
        // year or a number ("朔风T3 2021款的" after a problem says which car, not which problem).
        QStringList translationTokens;
        QStringList matchTokens; // the ones stage 1 matches
        QList<Unit> units;       // coverage units of the typed query
        QList<Unit> rewrittenUnits;
        double idfMax = 0;
        double incidentalShare = 0; // weight share of incidental units (typed query)
        QStringList models;         // vehicle models the query names (as the entries spell them)
        QStringList platforms;      // phone platforms it names (DomainLexicon::phonePlatforms())
        bool smallTalk = false;     // only greetings, thanks, acknowledgements and particles
        QList<HomophoneCorrector::Correction> corrections; // typos read as the term they sound like
    };
    struct Candidate
    {
        qint64 rid = 0;
        double bm25 = 0;
        double cosine = 0;
        double coverage = 0;
        double evidence = 0;
        double topical = 0;         // coverage of the non-incidental units
        double symptom = 0;         // share of the entry's best-covered symptom line the query covers
        qsizetype symptomLine = -1; // which line
        double rest = 1; // coverage of the query's other words when an out-of-scope term is covered
        bool codeMatch = false;
        double fieldBm25[kFields] = {}; // each column's own bm25 (title, symptoms, cause, tags, solution)
        double titleCoverage = 0;       // query coverage by the title alone
        double symptomsCoverage = 0;    // by the symptom lines alone
        double charCoverage = 0;        // by the title and symptoms, a character in another word too
        double symptomChars = 0;        // share of the characters of its best-said symptom line
        TranslationTable::Figures translation; // the question under its tokens (rerank())
        QStringList uncoveredOutOfScope;       // out-of-scope terms of the query the entry lacks
        double score = 0;
        double baseScore = 0; // the score before rerank()'s correction
        KnowledgeEntry entry;
    };

    void refresh() const;
    // tokensOnly: up to the translation tokens, no match tokens, coverage units or small talk (an
    // entry's title and symptom lines read as the translation table was learnt).
    QueryPlan plan(const QString &query, bool tokensOnly = false) const;
    // The tokens stage 1 matches: the rarest first, within the posting budget.
    QStringList matchTokens(const QStringList &tokens) const;
    QList<Unit> units(const QString &text) const;
    bool isSmallTalk(const QString &normalized) const;
    double idf(qint64 df) const;
    qint64 termDf(const QString &term) const;
    qint64 charDf(QChar c) const;
    // An entry's normalised text: all of it, and what it is about (title, symptoms, category;
    // tags name side aspects too: 质保 on the towing entry), where an out-of-scope term must occur to count
    // as covered: an entry about the antenna that says in passing "多见于洗车频繁的车辆" does not answer a
    // question about 洗车.
    struct DocText
    {
        QString all;
        QString topic;
        QList<QList<Unit>> symptomUnits; // each symptom line as coverage units
        QList<QSet<QChar>> symptomChars; // and as its characters, without particles and pronouns
        QStringList platforms;           // phone platforms its title names
        QString title;                   // the title alone, and the symptom lines alone
        QString symptoms;
        // The tokens of the title and symptom lines, made on the first re-ranking that weighs them
        // (translationOf()): most entries that reach the coverage never come that far.
        mutable std::optional<TranslationTable::Entry> translation;
    };
    void cover(const QueryPlan &plan, const DocText &text, Candidate *c) const;
    struct Coverage
    {
        double share = 0;     // covered weight / all weight
        double topical = 0;   // covered weight / weight of the non-incidental units
        double mass = 0;      // covered weight
        bool code = false;    // a covered unit is an error code
        double scopeMass = 0; // covered weight of out-of-scope terms (not context words)
        double otherDen = 0;  // weight of the other units
        QStringList uncoveredOutOfScope;
    };
    static Coverage coverageOf(const QList<Unit> &units, const DocText &text);
    const DocText &docText(qint64 rid, const KnowledgeEntry &entry) const;
    // The best entry by the score alone (before rerank()'s correction) and its lead then.
    struct Before
    {
        Candidate best;
        double lead = -1;
        QString first; // the first by the score alone (best skips one that covers nothing)
    };
    QList<Candidate> rank(const QueryPlan &plan, int topK, Before *before = nullptr) const;
    // The answerable decision for a ranking whose first entry is `best` (see the class comment).
    bool judge(const Candidate &best, const Before &before, const QueryPlan &plan, QString *reason) const;
    // Adds the learned correction to the scores of the first rerankDepth (ranked by score).
    void rerank(const QueryPlan &plan, QList<Candidate> *ranked) const;
    // m_options.translation, or the built-in table.
    const TranslationTable &translation() const;
    const TranslationTable::Entry &translationOf(const DocText &text, const KnowledgeEntry &entry) const;
    bool decide(const Candidate &best, double lead, double score, double translation, const QueryPlan &plan,
                QString *reason) const;
    // DecisionWeights' sum for the best entry: answerable above 0.
    double decisionWeight(const Candidate &best, double lead, double score, double translation,
                          const QueryPlan &plan) const;

    // prepare()'s callers, waiting for a fetch.
    struct Waiter
    {
        QStringList queries; // normalised
        QPointer<QObject> context;
        std::function<void()> ready;
    };
    void fetchNext();
    // The read of every entry's vector on a worker thread (see the class comment), and its result.
    void startScan();
    void scanned(quint64 serial, const QString &generation, bool opened, bool ok, EmbeddingIndex::Scan scan,
                 const QString &error, qint64 ms);
    void stopScan();
    void fetched(quint64 serial, const QList<EmbeddingIndex::Stale> &entries, const QStringList &queries,
                 std::optional<QList<EmbeddingClient::Vector>> vectors, const QString &error);
    // Calls each one's `ready` (unless its context is gone), one per turn of the event loop.
    void release(const QList<Waiter> &waiters);
    void releaseNext();

    Database &m_db;
    KnowledgeSearchOptions m_options;
    Segmenter m_segmenter;
    mutable const TranslationTable *m_translation = nullptr; // translation()'s
    QStringList m_stopPhrases;                               // longest first
    QList<DomainLexicon::OutOfScopeTerm> m_outOfScope;       // longest first
    QStringList m_conversational;                            // longest first
    QSet<QChar> m_stopChars;
    QStringList m_lexiconPhrases; // colloquial phrases the lexicon knows (no homophone correction inside)

    std::unique_ptr<QObject> m_receiver; // asynchronous results arrive here (outlives m_client)
    std::unique_ptr<EmbeddingClient> m_client;
    std::unique_ptr<EmbeddingIndex> m_embeddings;
    bool m_waitForEmbeddings = true;
    QList<Waiter> m_waiting;   // for the next fetch
    QList<Waiter> m_inFlight;  // for the one under way (m_fetchSerial)
    QList<Waiter> m_releasing; // done, their `ready` not called yet (release())
    bool m_releaseQueued = false;
    bool m_fetching = false;
    quint64 m_fetchSerial = 0;       // also tells the results of a scan started before an options change
    QThread *m_scanThread = nullptr; // owned; joined when its result is in, or stopped
    std::shared_ptr<std::atomic_bool> m_scanCancel;
    int m_scanMismatches = 0; // scans in a row of another generation than the one searched
    QElapsedTimer m_lastFailure;

    mutable QString m_generation = QStringLiteral("-");
    mutable qint64 m_count = 0;
    mutable QSet<QString> m_modelTokens;             // Latin parts of vehicle model names (e5, t3, pro)
    mutable QStringList m_modelPhrases;              // CJK parts (云驰, 朔风), longest first
    mutable QList<QPair<QString, QString>> m_models; // (compact form "云驰e7pro", name), longest first
    mutable QHash<QString, qint64> m_termDf;
    mutable QHash<QChar, qint64> m_charDf;
    mutable QHash<qint64, DocText> m_docText;
    mutable bool m_embeddingsLoaded = false; // entry vectors in memory are of m_generation
    mutable bool m_entriesChecked = false;   // changed entries embedded since the last write
    mutable QHash<QString, EmbeddingClient::Vector> m_queryVectors;
    mutable std::unique_ptr<QSqlQuery> m_termQuery;
    mutable std::unique_ptr<QSqlQuery> m_charQuery;
};

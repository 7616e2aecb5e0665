#include <QDir>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include "config/appconfig.h"
#include "knowledge/embeddingclient.h"
#include "knowledge/embeddingindex.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgesearch.h"
#include "knowledge/segmenter.h"
#include "mainthreadprobe.h"
#include "sandbox/embeddingstandin.h"
#include "sandbox/llmstandin.h"
#include "storage/database.h"
#include "tempdatabase.h"

using namespace Qt::Literals::StringLiterals;

// Embeddings against the sandbox's deterministic /v1/embeddings on loopback: the client, the
// vector cache in the database, and hybrid ranking (BM25 + cosine).
class TestEmbeddingIndex final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void standInIsDeterministicAndSemantic();
    void clientMatchesStandIn();
    void clientReportsHttpErrors();
    void syncEmbedsEveryEntryOnce();
    void changedEntryIsRefreshed();
    void vectorsSurviveReopen();
    void blobRoundTrip();
    void optionsFromConfig();
    void hybridScoreBlendsCosine();
    void hybridKeepsBestLexicalHitOnTop();
    void endpointFailureFallsBackToBm25();
    void asyncClientMatchesStandIn();
    void preparedSearchDoesNotBlockAndMatchesWaitingSearch();
    void burstOfQuestionsSharesRequests();
    void endpointDownPreparedSearchIsLexical();
    void slowEndpointTimesOutToLexical();
    void storeJoinsTheVectorsInMemory();
    void preparedWarmUpSearchesWithTheStoredVectors();
    void preparedSearchReembedsAnEditedEntry();
    void releasedCallersGetOneTurnEach();

private:
    EmbeddingOptions options() const;
    qint64 storedVectors();
    // The stand-in lives on its own thread: EmbeddingClient blocks the calling thread.
    void setFailures(int times);
    void setDelay(int ms);
    // The hits of two searches are the same entries with the same scores.
    static void compareHits(const KnowledgeSearchResult &a, const KnowledgeSearchResult &b);
    // An URL on 127.0.0.1 where nothing listens.
    static QString closedBaseUrl();
    int embeddingRequests();
    // The cosine explain() reports for entry `id` among the hits for `query` (nullopt: not a hit).
    static std::optional<double> explainedCosine(const KnowledgeSearch &search, const QString &query,
                                                 const QString &id);
    // The cosine of the stand-in's vectors of the query and of the entry's current text.
    double expectedCosine(const QString &query, const QString &id);

    QThread m_serverThread;
    LlmStandIn *m_standIn = nullptr;
    QString m_baseUrl;
    QString m_model;
    std::unique_ptr<TempKnowledgeDb> m_fixture;
    QTemporaryDir *m_dir = nullptr; // the fixture's
    Database *m_db = nullptr;
    KnowledgeBase *m_kb = nullptr;
};

void TestEmbeddingIndex::initTestCase()
{
    m_serverThread.start();
    m_standIn = new LlmStandIn;
    m_standIn->moveToThread(&m_serverThread);
    bool started = false;
    QMetaObject::invokeMethod(
        m_standIn,
        [this, &started] {
            started = m_standIn->start();
            m_baseUrl = m_standIn->baseUrl();
            m_model = m_standIn->embeddingModel();
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(started);
    QVERIFY(m_baseUrl.startsWith(u"http://127.0.0.1:"_s));
}

void TestEmbeddingIndex::cleanupTestCase()
{
    QMetaObject::invokeMethod(
        m_standIn, [this] { delete m_standIn; }, Qt::BlockingQueuedConnection);
    m_standIn = nullptr;
    m_serverThread.quit();
    m_serverThread.wait();
}

void TestEmbeddingIndex::setFailures(int times)
{
    QMetaObject::invokeMethod(
        m_standIn, [this, times] { m_standIn->setEmbeddingFailures(times); }, Qt::BlockingQueuedConnection);
}

void TestEmbeddingIndex::setDelay(int ms)
{
    QMetaObject::invokeMethod(
        m_standIn, [this, ms] { m_standIn->setEmbeddingDelay(ms); }, Qt::BlockingQueuedConnection);
}

void TestEmbeddingIndex::compareHits(const KnowledgeSearchResult &a, const KnowledgeSearchResult &b)
{
    QCOMPARE(a.hits.size(), b.hits.size());
    for (qsizetype i = 0; i < a.hits.size(); ++i) {
        QCOMPARE(a.hits.at(i).entry.id, b.hits.at(i).entry.id);
        QCOMPARE(a.hits.at(i).score, b.hits.at(i).score);
    }
    QCOMPARE(a.answerable, b.answerable);
}

QString TestEmbeddingIndex::closedBaseUrl()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return u"http://127.0.0.1:%1/v1"_s.arg(port);
}

int TestEmbeddingIndex::embeddingRequests()
{
    int n = 0;
    QMetaObject::invokeMethod(
        m_standIn, [this, &n] { n = m_standIn->embeddingRequestCount(); }, Qt::BlockingQueuedConnection);
    return n;
}

void TestEmbeddingIndex::init()
{
    setFailures(0);
    setDelay(0);
    m_fixture = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_fixture->open(u"tst_embeddingindex"_s, &error), qPrintable(error));
    m_dir = &m_fixture->dir;
    m_db = m_fixture->db.get();
    m_kb = m_fixture->kb.get();
    const KnowledgeImportReport r = m_kb->importFile(KnowledgeBase::bundledResource(), u"test"_s);
    QVERIFY2(r.ok, qPrintable(r.error));
}

void TestEmbeddingIndex::cleanup()
{
    m_kb = nullptr;
    m_db = nullptr;
    m_dir = nullptr;
    m_fixture.reset();
}

EmbeddingOptions TestEmbeddingIndex::options() const
{
    EmbeddingOptions o;
    o.baseUrl = m_baseUrl;
    o.model = m_model;
    o.timeoutMs = 5000;
    return o;
}

qint64 TestEmbeddingIndex::storedVectors()
{
    QSqlQuery q(m_db->db());
    if (q.exec(u"SELECT count(*) FROM knowledge_embeddings"_s) && q.next())
        return q.value(0).toLongLong();
    return -1;
}

void TestEmbeddingIndex::standInIsDeterministicAndSemantic()
{
    const auto a = EmbeddingStandIn::embed(u"远程解锁失败 提示超时"_s);
    QCOMPARE(a.size(), EmbeddingStandIn::kDefaultDimensions);
    QCOMPARE(EmbeddingStandIn::embed(u"远程解锁失败 提示超时"_s), a);
    QVERIFY(qAbs(EmbeddingIndex::dot(a, a) - 1.0) < 1e-5);
    const double related = EmbeddingIndex::dot(a, EmbeddingStandIn::embed(u"远程解锁一直超时"_s));
    const double unrelated = EmbeddingIndex::dot(a, EmbeddingStandIn::embed(u"导航地图不更新"_s));
    QVERIFY2(related > 0.3, qPrintable(QString::number(related)));
    QVERIFY2(related > unrelated + 0.2, qPrintable(QString::number(unrelated)));
    QCOMPARE(EmbeddingStandIn::embed(u"OTA"_s), EmbeddingStandIn::embed(u"ota"_s));
    const auto zero = EmbeddingStandIn::embed(u"，。"_s);
    QVERIFY(std::all_of(zero.cbegin(), zero.cend(), [](float f) { return f == 0.0f; }));
    QCOMPARE(EmbeddingStandIn::embed(u"x"_s, 64).size(), 64);
}

void TestEmbeddingIndex::clientMatchesStandIn()
{
    EmbeddingOptions o = options();
    o.batchSize = 2; // three texts: two requests
    EmbeddingClient client(o);
    const int before = embeddingRequests();
    QString error;
    const QStringList texts{u"车机没网"_s, u"T-Box 离线"_s, u"数字钥匙"_s};
    const auto vectors = client.embed(texts, &error);
    QVERIFY2(vectors, qPrintable(error));
    QCOMPARE(vectors->size(), 3);
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const auto expected = EmbeddingStandIn::embed(texts.at(i));
        QCOMPARE(vectors->at(i).size(), expected.size());
        for (qsizetype d = 0; d < expected.size(); ++d)
            QVERIFY(qAbs(vectors->at(i).at(d) - expected.at(d)) < 1e-6f);
    }
    QCOMPARE(embeddingRequests() - before, 2);

    o.dimensions = 32;
    EmbeddingClient small(o);
    const auto v32 = small.embed({u"车机"_s}, &error);
    QVERIFY(v32);
    QCOMPARE(v32->front().size(), 32);
}

void TestEmbeddingIndex::clientReportsHttpErrors()
{
    setFailures(1);
    EmbeddingClient client(options());
    QString error;
    QVERIFY(!client.embed({u"车机"_s}, &error));
    QVERIFY2(!error.isEmpty(), "an error text");
    QVERIFY(client.embed({u"车机"_s}, &error)); // the fault was for one call
    EmbeddingOptions wrong = options();
    wrong.baseUrl = m_baseUrl + u"/nowhere"_s;
    EmbeddingClient lost(wrong);
    QVERIFY(!lost.embed({u"车机"_s}, &error));
}

void TestEmbeddingIndex::syncEmbedsEveryEntryOnce()
{
    EmbeddingClient client(options());
    EmbeddingIndex index(*m_db, client);
    QString error;
    QCOMPARE(index.sync(-1, &error), 300);
    QCOMPARE(storedVectors(), qint64(300));
    const int requests = embeddingRequests();
    QCOMPARE(index.sync(-1, &error), 0); // nothing stale: no request at all
    QCOMPARE(embeddingRequests(), requests);
    QVERIFY(index.load(&error));
    QCOMPARE(index.vectors().size(), 300);
    QCOMPARE(index.staleCount(), 0);
    for (const auto &v : index.vectors())
        QVERIFY(qAbs(EmbeddingIndex::dot(v, v) - 1.0) < 1e-4);
}

void TestEmbeddingIndex::changedEntryIsRefreshed()
{
    EmbeddingClient client(options());
    EmbeddingIndex index(*m_db, client);
    QCOMPARE(index.sync(-1), 300);
    KnowledgeEntry e = *m_kb->entry(u"KB-0001"_s);
    e.title = u"完全不同的新标题：座椅通风失效"_s;
    QVERIFY(m_kb->update(e, u"op"_s));
    // Only the solution changed: not part of the embedded text, so not stale.
    KnowledgeEntry f = *m_kb->entry(u"KB-0002"_s);
    f.solution += u"\n9. 新的一步"_s;
    QVERIFY(m_kb->update(f, u"op"_s));
    QVERIFY(index.load());
    QCOMPARE(index.staleCount(), 1);
    QCOMPARE(index.vectors().size(), 299);
    QCOMPARE(index.sync(-1), 1);
    QVERIFY(index.load());
    QCOMPARE(index.vectors().size(), 300);
    // The new vector is the one of the new text.
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(u"SELECT rid FROM knowledge WHERE id = 'KB-0001'"_s) && q.next());
    const auto stored = index.vectors().value(q.value(0).toLongLong());
    const auto expected = EmbeddingIndex::normalized(
        EmbeddingStandIn::embed(EmbeddingIndex::embedText(*m_kb->entry(u"KB-0001"_s))));
    QVERIFY(EmbeddingIndex::dot(stored, expected) > 0.9999);
    // A deleted entry takes its vector along.
    QVERIFY(m_kb->remove(u"KB-0003"_s, u"op"_s));
    QCOMPARE(storedVectors(), qint64(299));
}

void TestEmbeddingIndex::vectorsSurviveReopen()
{
    {
        EmbeddingClient client(options());
        EmbeddingIndex index(*m_db, client);
        QCOMPARE(index.sync(-1), 300);
    }
    EmbeddingClient client(options());
    EmbeddingIndex index(*m_db, client);
    const int requests = embeddingRequests();
    QVERIFY(index.load());
    QCOMPARE(index.vectors().size(), 300);
    QCOMPARE(index.sync(-1), 0);
    QCOMPARE(embeddingRequests(), requests);
    // Another model: every vector is stale.
    EmbeddingOptions other = options();
    other.model = u"another-model"_s;
    EmbeddingClient client2(other);
    EmbeddingIndex index2(*m_db, client2);
    QVERIFY(index2.load());
    QCOMPARE(index2.vectors().size(), 0);
    QCOMPARE(index2.staleCount(), 300);
}

void TestEmbeddingIndex::blobRoundTrip()
{
    const EmbeddingClient::Vector v{0.5f, -1.25f, 3.0e-7f, 0.0f};
    QCOMPARE(EmbeddingIndex::fromBlob(EmbeddingIndex::toBlob(v), 4), v);
    QCOMPARE(EmbeddingIndex::toBlob(v).size(), 16);
    QCOMPARE(EmbeddingIndex::dot(v, EmbeddingClient::Vector{1.0f}), 0.0); // size mismatch
}

void TestEmbeddingIndex::hybridScoreBlendsCosine()
{
    const QString query = u"远程解锁一直提示超时"_s;
    // The blend itself, before the re-ranking's correction (which depends on the candidates).
    KnowledgeSearchOptions scoreOnly;
    scoreOnly.rerankDepth = 0;
    KnowledgeSearch plain(*m_db, scoreOnly);
    const KnowledgeSearchResult lexical = plain.search(query, 5);
    QVERIFY(!lexical.hits.isEmpty());

    KnowledgeSearch hybrid(*m_db, scoreOnly);
    hybrid.setEmbeddingOptions(options());
    QVERIFY(hybrid.embeddingsEnabled());
    QCOMPARE(hybrid.syncEmbeddings(), 300);
    const KnowledgeSearchResult mixed = hybrid.search(query, 5);
    QVERIFY(!mixed.hits.isEmpty());
    const double share = hybrid.options().embeddingShare;
    const auto q = EmbeddingIndex::normalized(EmbeddingStandIn::embed(Segmenter::normalize(query)));
    int compared = 0;
    for (const KnowledgeHit &h : mixed.hits) {
        const auto e =
            EmbeddingIndex::normalized(EmbeddingStandIn::embed(EmbeddingIndex::embedText(h.entry)));
        const double cosine = std::max(0.0, EmbeddingIndex::dot(q, e));
        for (const KnowledgeHit &l : lexical.hits) {
            if (l.entry.id != h.entry.id)
                continue;
            // final = (1 - share) * lexical + share * cosine
            QVERIFY2(qAbs(h.score - ((1.0 - share) * l.score + share * cosine)) < 1e-4,
                     qPrintable(h.entry.id + u" "_s + QString::number(h.score)));
            ++compared;
        }
    }
    QVERIFY(compared >= 2);
}

void TestEmbeddingIndex::hybridKeepsBestLexicalHitOnTop()
{
    KnowledgeSearch hybrid(*m_db);
    hybrid.setEmbeddingOptions(options());
    QCOMPARE(hybrid.syncEmbeddings(), 300);
    const KnowledgeSearchResult r = hybrid.search(u"E-1023"_s, 3);
    QVERIFY(r.answerable);
    QCOMPARE(r.hits.value(0).entry.id, u"KB-0151"_s);
    QVERIFY(!hybrid.search(u"车险理赔怎么报案"_s, 3).answerable);
}

void TestEmbeddingIndex::endpointFailureFallsBackToBm25()
{
    const QString query = u"T-Box离线 APP显示车辆不在线"_s;
    KnowledgeSearch plain(*m_db);
    const KnowledgeSearchResult lexical = plain.search(query, 5);
    setFailures(LlmStandIn::kPersistent);
    KnowledgeSearch hybrid(*m_db);
    hybrid.setEmbeddingOptions(options());
    QString error;
    QCOMPARE(hybrid.syncEmbeddings(-1, &error), -1);
    QVERIFY(!error.isEmpty());
    const KnowledgeSearchResult r = hybrid.search(query, 5);
    setFailures(0);
    QCOMPARE(r.hits.size(), lexical.hits.size());
    for (qsizetype i = 0; i < r.hits.size(); ++i) {
        QCOMPARE(r.hits.at(i).entry.id, lexical.hits.at(i).entry.id);
        QCOMPARE(r.hits.at(i).score, lexical.hits.at(i).score);
    }
    QCOMPARE(r.answerable, lexical.answerable);
}

void TestEmbeddingIndex::optionsFromConfig()
{
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = QDir::tempPath();
    AppConfig off;
    QString error;
    QVERIFY(AppConfig::resolve(in, &off, &error));
    QVERIFY(!EmbeddingOptions::fromConfig(off).isEnabled());

    in.commandLine = {{QStringLiteral("EMBEDDING_BASE_URL"), QStringLiteral("http://127.0.0.1:9/v1")},
                      {QStringLiteral("LLM_API_KEY"), QStringLiteral("sk-shared-with-the-llm")}};
    AppConfig on;
    QVERIFY(AppConfig::resolve(in, &on, &error));
    const EmbeddingOptions o = EmbeddingOptions::fromConfig(on);
    QVERIFY(o.isEnabled());
    QCOMPARE(o.baseUrl, QStringLiteral("http://127.0.0.1:9/v1"));
    QCOMPARE(o.model, QStringLiteral("text-embedding-v3"));       // the default model
    QCOMPARE(o.apiKey, QStringLiteral("sk-shared-with-the-llm")); // EMBEDDING_API_KEY defaults to LLM_API_KEY
}

void TestEmbeddingIndex::asyncClientMatchesStandIn()
{
    EmbeddingOptions o = options();
    o.batchSize = 2; // five texts: three requests, one after another
    EmbeddingClient client(o);
    const QStringList texts{u"车机没网"_s, u"T-Box 离线"_s, u"数字钥匙"_s, u"远程解锁"_s, u"导航"_s};
    const int before = embeddingRequests();
    QObject context;
    int calls = 0;
    std::optional<QList<EmbeddingClient::Vector>> got;
    QThread *calledOn = nullptr;
    client.embedAsync(texts, &context, [&](std::optional<QList<EmbeddingClient::Vector>> v, const QString &) {
        got = std::move(v);
        calledOn = QThread::currentThread();
        ++calls;
    });
    QCOMPARE(calls, 0); // never from inside embedAsync()
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 10000);
    QCOMPARE(calledOn, QThread::currentThread());
    QVERIFY(got);
    QCOMPARE(got->size(), texts.size());
    QString error;
    QCOMPARE(*got, *client.embed(texts, &error)); // the same vectors as the blocking call
    QCOMPARE(embeddingRequests() - before, 6);

    // A failure says why, once.
    setFailures(1);
    QString why;
    client.embedAsync({u"车机"_s}, &context,
                      [&](std::optional<QList<EmbeddingClient::Vector>> v, const QString &e) {
                          got = std::move(v);
                          why = e;
                          ++calls;
                      });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 2, 10000);
    QVERIFY(!got);
    QVERIFY(why.contains(u"500"_s));
    QTest::qWait(20);
    QCOMPARE(calls, 2);
}

void TestEmbeddingIndex::preparedSearchDoesNotBlockAndMatchesWaitingSearch()
{
    const QString query = u"远程解锁一直提示超时"_s;
    KnowledgeSearch waiting(*m_db); // as the command line searches: waits on the endpoint
    waiting.setEmbeddingOptions(options());
    QCOMPARE(waiting.syncEmbeddings(), 300);
    const KnowledgeSearchResult expected = waiting.search(query, 5);
    QVERIFY(!expected.hits.isEmpty());

    // The bot's way: a slow endpoint, and the main thread must keep turning meanwhile.
    constexpr int kDelayMs = 1500;
    setDelay(kDelayMs);
    KnowledgeSearch search(*m_db);
    search.setEmbeddingOptions(options());
    search.setWaitForEmbeddings(false);
    const int before = embeddingRequests();
    MainThreadProbe probe;
    QObject context;
    int ready = 0;
    int ticksWhenReady = -1;
    search.prepare({query}, &context, [&] {
        ++ready;
        ticksWhenReady = probe.ticks();
    });
    QCOMPARE(ready, 0); // the vector is being fetched
    QTRY_COMPARE_WITH_TIMEOUT(ready, 1, 20000);
    probe.stop();
    QVERIFY2(ticksWhenReady > 0, "the event loop ran while the embedding was on its way");
    QVERIFY2(probe.longestStallMs() < kDelayMs / 2, qPrintable(probe.report()));
    QCOMPARE(embeddingRequests() - before, 1);

    // The search itself asks nothing more, and ranks exactly as the waiting search did.
    compareHits(search.search(query, 5), expected);
    QCOMPARE(embeddingRequests() - before, 1);
    // Prepared again: nothing to fetch, ready at once.
    search.prepare({query}, &context, [&] { ++ready; });
    QCOMPARE(ready, 2);
}

void TestEmbeddingIndex::burstOfQuestionsSharesRequests()
{
    KnowledgeSearch waiting(*m_db);
    waiting.setEmbeddingOptions(options());
    QCOMPARE(waiting.syncEmbeddings(), 300);
    setDelay(300);
    KnowledgeSearch search(*m_db);
    search.setEmbeddingOptions(options());
    search.setWaitForEmbeddings(false);
    const QStringList questions{u"车机没网"_s, u"T-Box离线 APP显示车辆不在线"_s, u"数字钥匙打不开车门"_s,
                                u"OTA升级失败"_s};
    const int before = embeddingRequests();
    QObject context;
    int ready = 0;
    search.prepare({questions.front()}, &context, [&] { ++ready; });
    // The first question's request is under way (after the entry vectors are read on a worker
    // thread); the three that come meanwhile share the next.
    QTRY_COMPARE_WITH_TIMEOUT(embeddingRequests() - before, 1, 20000);
    for (const QString &q : questions.mid(1))
        search.prepare({q}, &context, [&] { ++ready; });
    QTRY_COMPARE_WITH_TIMEOUT(ready, 4, 20000);
    QCOMPARE(embeddingRequests() - before, 2);
    QList<KnowledgeSearchResult> prepared;
    for (const QString &q : questions)
        prepared << search.search(q, 5);
    QCOMPARE(embeddingRequests() - before, 2); // the searches asked for nothing more
    for (qsizetype i = 0; i < questions.size(); ++i)
        compareHits(prepared.at(i), waiting.search(questions.at(i), 5));
}

void TestEmbeddingIndex::endpointDownPreparedSearchIsLexical()
{
    const QString query = u"T-Box离线 APP显示车辆不在线"_s;
    KnowledgeSearch plain(*m_db);
    const KnowledgeSearchResult lexical = plain.search(query, 5);
    QVERIFY(!lexical.hits.isEmpty());

    EmbeddingOptions down = options();
    down.baseUrl = closedBaseUrl();
    QVERIFY(!down.baseUrl.isEmpty());
    KnowledgeSearch search(*m_db);
    search.setEmbeddingOptions(down);
    search.setWaitForEmbeddings(false);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"embedding endpoint failed .*ranking by BM25 only"_s));
    QObject context;
    int ready = 0;
    search.prepare({query}, &context, [&] { ++ready; });
    QTRY_COMPARE_WITH_TIMEOUT(ready, 1, 10000);
    compareHits(search.search(query, 5), lexical);

    // Within the retry period the endpoint is left alone: ready at once, still lexical.
    search.prepare({u"车机没网"_s}, &context, [&] { ++ready; });
    QCOMPARE(ready, 2);
    compareHits(search.search(u"车机没网"_s, 5), plain.search(u"车机没网"_s, 5));
}

void TestEmbeddingIndex::slowEndpointTimesOutToLexical()
{
    const QString query = u"数字钥匙打不开车门"_s;
    KnowledgeSearch plain(*m_db);
    const KnowledgeSearchResult lexical = plain.search(query, 5);
    KnowledgeSearch waiting(*m_db);
    waiting.setEmbeddingOptions(options());
    QCOMPARE(waiting.syncEmbeddings(), 300);

    setDelay(3000);
    EmbeddingOptions quick = options();
    quick.timeoutMs = 300; // gives up long before the answer comes
    KnowledgeSearch search(*m_db);
    search.setEmbeddingOptions(quick);
    search.setWaitForEmbeddings(false);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"embedding endpoint failed .*timed out"_s));
    QObject context;
    int ready = 0;
    search.prepare({query}, &context, [&] { ++ready; });
    QCOMPARE(ready, 0);
    QTRY_COMPARE_WITH_TIMEOUT(ready, 1, 2500); // well before the stand-in would answer
    compareHits(search.search(query, 5), lexical);
}

std::optional<double> TestEmbeddingIndex::explainedCosine(const KnowledgeSearch &search, const QString &query,
                                                          const QString &id)
{
    const QJsonArray hits = search.explain(query).value(u"hits"_s).toArray();
    for (const QJsonValue &h : hits) {
        if (h.toObject().value(u"id"_s).toString() == id)
            return h.toObject().value(u"cosine"_s).toDouble();
    }
    return std::nullopt;
}

double TestEmbeddingIndex::expectedCosine(const QString &query, const QString &id)
{
    const auto q = EmbeddingIndex::normalized(EmbeddingStandIn::embed(Segmenter::normalize(query)));
    const auto e =
        EmbeddingIndex::normalized(EmbeddingStandIn::embed(EmbeddingIndex::embedText(*m_kb->entry(id))));
    return EmbeddingIndex::dot(q, e);
}

void TestEmbeddingIndex::storeJoinsTheVectorsInMemory()
{
    EmbeddingClient client(options());
    EmbeddingIndex index(*m_db, client);
    QVERIFY(index.load());
    QCOMPARE(index.vectors().size(), 0);
    QCOMPARE(index.staleCount(), 300);
    const QList<EmbeddingIndex::Stale> first = index.pending(5);
    QCOMPARE(first.size(), 5);
    QCOMPARE(index.pending(-1).size(), 300);
    QStringList texts;
    for (const EmbeddingIndex::Stale &e : first)
        texts << e.text;
    const auto vectors = client.embed(texts);
    QVERIFY(vectors);
    // A vector of an older text of the sixth entry (it changed while being embedded): stored, but it
    // neither joins the vectors nor takes the entry off the list.
    EmbeddingIndex::Stale older = index.pending(6).at(5);
    older.hash = EmbeddingIndex::textHash(m_model, u"an older text"_s);
    QVERIFY(index.store(first + QList<EmbeddingIndex::Stale>{older},
                        *vectors + QList<EmbeddingClient::Vector>{vectors->front()}));
    // Without another load(): the stored vectors are in, those entries are off the list.
    QCOMPARE(index.vectors().size(), 5);
    QCOMPARE(index.staleCount(), 295);
    QCOMPARE(index.pending(1).value(0).id, older.id);
    for (qsizetype i = 0; i < first.size(); ++i) {
        QVERIFY(first.at(i).rid > 0);
        QVERIFY(EmbeddingIndex::dot(index.vectors().value(first.at(i).rid),
                                    EmbeddingIndex::normalized(vectors->at(i))) > 0.9999);
    }
    // The same as a fresh read of the database.
    EmbeddingIndex fresh(*m_db, client);
    QVERIFY(fresh.load());
    QCOMPARE(fresh.staleCount(), 295);
    auto freshKeys = fresh.vectors().keys();
    auto keys = index.vectors().keys();
    std::sort(freshKeys.begin(), freshKeys.end());
    std::sort(keys.begin(), keys.end());
    QCOMPARE(keys, freshKeys);
    // A read for a few to embed keeps only their texts, but counts them all.
    EmbeddingIndex::Scan limited;
    QVERIFY(EmbeddingIndex::scan(m_db->db(), m_model, false, 3, &limited));
    QCOMPARE(limited.stale.size(), 3);
    QCOMPARE(limited.staleCount, 295);
    QVERIFY(limited.vectors.isEmpty());
    QCOMPARE(limited.stale.at(0).id, older.id);
    // An index never loaded keeps nothing in memory: vectors() is what load() read.
    EmbeddingIndex unloaded(*m_db, client);
    QVERIFY(!unloaded.isLoaded());
    QCOMPARE(unloaded.sync(3), 3);
    QCOMPARE(unloaded.vectors().size(), 0);
}

void TestEmbeddingIndex::preparedWarmUpSearchesWithTheStoredVectors()
{
    // Nothing embedded yet: the first prepare() embeds the first kAutoSyncLimit entries (read on a
    // worker thread), and the search ranks with them at once.
    const QString query = u"远程解锁一直提示超时"_s;
    KnowledgeSearch search(*m_db);
    search.setEmbeddingOptions(options());
    search.setWaitForEmbeddings(false);
    const int before = embeddingRequests();
    QObject context;
    int ready = 0;
    search.prepare({query}, &context, [&] { ++ready; });
    QCOMPARE(ready, 0);
    QTRY_COMPARE_WITH_TIMEOUT(ready, 1, 20000);
    // The entries and the query in one fetch (of batchSize texts a request).
    const int batch = options().batchSize;
    QCOMPARE(embeddingRequests() - before, (KnowledgeSearch::kAutoSyncLimit + 1 + batch - 1) / batch);
    QCOMPARE(storedVectors(), qint64(KnowledgeSearch::kAutoSyncLimit));
    QSet<QString> embedded;
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(u"SELECT entry_id FROM knowledge_embeddings"_s));
    while (q.next())
        embedded.insert(q.value(0).toString());
    QStringList ids(embedded.cbegin(), embedded.cend());
    ids.sort();
    // The title of an embedded entry: it is a hit, with its new vector's cosine.
    const QString id = ids.value(0);
    const QString title = m_kb->entry(id)->title;
    search.prepare({title}, &context, [&] { ++ready; });
    QTRY_COMPARE_WITH_TIMEOUT(ready, 2, 20000);
    // Up to kAutoSyncLimit entries per write: the rest wait for `kb embed` or the next write.
    QCOMPARE(storedVectors(), qint64(KnowledgeSearch::kAutoSyncLimit));
    const auto cosine = explainedCosine(search, title, id);
    QVERIFY(cosine);
    QVERIFY(qAbs(*cosine - expectedCosine(title, id)) < 1e-4);
    const QJsonArray hits = search.explain(title).value(u"hits"_s).toArray();
    for (const QJsonValue &h : hits) {
        const QString hit = h.toObject().value(u"id"_s).toString();
        const double c = h.toObject().value(u"cosine"_s).toDouble();
        if (embedded.contains(hit))
            QVERIFY2(qAbs(c - expectedCosine(title, hit)) < 1e-4, qPrintable(hit));
        else
            QCOMPARE(c, 0.0); // no vector yet
    }
}

void TestEmbeddingIndex::preparedSearchReembedsAnEditedEntry()
{
    KnowledgeSearch search(*m_db);
    search.setEmbeddingOptions(options());
    QCOMPARE(search.syncEmbeddings(), 300);
    search.setWaitForEmbeddings(false);
    QObject context;
    int ready = 0;
    search.prepare({u"远程解锁一直提示超时"_s}, &context, [&] { ++ready; });
    QTRY_COMPARE_WITH_TIMEOUT(ready, 1, 20000);

    KnowledgeEntry e = *m_kb->entry(u"KB-0001"_s);
    e.title = u"座椅通风不出风，通风档位无反应"_s;
    QVERIFY(m_kb->update(e, u"op"_s));
    const QString query = u"座椅通风不出风"_s;
    const int before = embeddingRequests();
    search.prepare({query}, &context, [&] { ++ready; });
    QCOMPARE(ready, 1); // the changed entry is read and embedded first
    QTRY_COMPARE_WITH_TIMEOUT(ready, 2, 20000);
    QCOMPARE(embeddingRequests() - before, 1); // the edited entry and the query in one request
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(u"SELECT text_hash FROM knowledge_embeddings WHERE entry_id = 'KB-0001'"_s) && q.next());
    QCOMPARE(q.value(0).toString(),
             EmbeddingIndex::textHash(m_model, EmbeddingIndex::embedText(*m_kb->entry(u"KB-0001"_s))));
    // The search ranks with the new vector, as one that reads everything from the database does.
    const auto cosine = explainedCosine(search, query, u"KB-0001"_s);
    QVERIFY(cosine);
    QVERIFY(qAbs(*cosine - expectedCosine(query, u"KB-0001"_s)) < 1e-4);
    KnowledgeSearch waiting(*m_db);
    waiting.setEmbeddingOptions(options());
    compareHits(search.search(query, 5), waiting.search(query, 5));
    QCOMPARE(embeddingRequests() - before, 2); // the waiting search embedded only its query
}

void TestEmbeddingIndex::releasedCallersGetOneTurnEach()
{
    // Questions that waited for one request are answered one per turn of the event loop, with
    // timers and sockets between them: a zero timer counts the turns.
    KnowledgeSearch waiting(*m_db);
    waiting.setEmbeddingOptions(options());
    QCOMPARE(waiting.syncEmbeddings(), 300);
    setDelay(200);
    KnowledgeSearch search(*m_db);
    search.setEmbeddingOptions(options());
    search.setWaitForEmbeddings(false);
    int turns = 0;
    QTimer turn;
    turn.setInterval(0);
    connect(&turn, &QTimer::timeout, this, [&turns] { ++turns; });
    turn.start();
    const QStringList questions{u"车机没网"_s, u"T-Box离线"_s, u"数字钥匙打不开车门"_s, u"OTA升级失败"_s,
                                u"远程解锁超时"_s};
    QObject context;
    QList<int> turnAt;
    for (const QString &q : questions)
        search.prepare({q}, &context, [&] { turnAt << turns; });
    // All of them wait for the same request (after the read of the vectors).
    QTRY_COMPARE_WITH_TIMEOUT(turnAt.size(), questions.size(), 20000);
    turn.stop();
    for (qsizetype i = 1; i < turnAt.size(); ++i)
        QVERIFY2(turnAt.at(i) > turnAt.at(i - 1),
                 qPrintable(u"callers %1 and %2 answered in one turn"_s.arg(i - 1).arg(i)));
    // A caller gone meanwhile is skipped; the ones after it still get their call.
    auto gone = std::make_unique<QObject>();
    int called = 0;
    search.prepare({u"座椅加热不工作"_s}, gone.get(), [&] { ++called; });
    search.prepare({u"空调不制冷"_s}, &context, [&] { ++called; });
    gone.reset();
    QTRY_COMPARE_WITH_TIMEOUT(called, 1, 20000);
}

QTEST_GUILESS_MAIN(TestEmbeddingIndex)
#include "tst_embeddingindex.moc"

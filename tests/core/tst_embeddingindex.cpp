#include <QDir>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "config/appconfig.h"
#include "knowledge/embeddingclient.h"
#include "knowledge/embeddingindex.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgesearch.h"
#include "knowledge/segmenter.h"
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

private:
    EmbeddingOptions options() const;
    qint64 storedVectors();
    // The stand-in lives on its own thread: EmbeddingClient blocks the calling thread.
    void setFailures(int times);
    int embeddingRequests();

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
    KnowledgeSearch plain(*m_db);
    const KnowledgeSearchResult lexical = plain.search(query, 5);
    QVERIFY(!lexical.hits.isEmpty());

    KnowledgeSearch hybrid(*m_db);
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

QTEST_GUILESS_MAIN(TestEmbeddingIndex)
#include "tst_embeddingindex.moc"

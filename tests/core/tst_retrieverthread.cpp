#include <atomic>

#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include "assistant/analyzer.h"
#include "assistant/assistant.h"
#include "fixedretriever.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgesearch.h"
#include "knowledge/retrieverthread.h"
#include "mainthreadprobe.h"
#include "tempdatabase.h"

using namespace Qt::Literals::StringLiterals;

namespace {

KnowledgeEntry makeEntry(const QString &id, const QString &title, const QStringList &symptoms,
                         const QString &solution)
{
    KnowledgeEntry e;
    e.id = id;
    e.title = title;
    e.category = u"车机联网/4G信号"_s;
    e.symptoms = symptoms;
    e.solution = solution;
    e.vehicleModels = {u"云驰 E5"_s};
    return e;
}

// A retriever that says on which thread it searched, and can be made slow (like a search over a
// very large knowledge base).
class ThreadRecordingRetriever final : public KnowledgeRetriever
{
public:
    explicit ThreadRecordingRetriever(int delayMs = 0)
        : m_delayMs(delayMs)
    {}
    KnowledgeSearchResult search(const QString &query, int topK) const override
    {
        threads.append(QThread::currentThread());
        if (m_delayMs > 0)
            QThread::msleep(m_delayMs);
        return m_inner.search(query, topK);
    }
    mutable QList<QThread *> threads;

private:
    FixedRetriever m_inner;
    int m_delayMs = 0;
};

AnswerRequest request(const QString &question)
{
    AnswerRequest r;
    r.sessionKey = u"oc_1:ou_1"_s;
    r.question = question;
    r.history = {ConversationTurn{ConversationTurn::Role::Customer, question, {}}};
    return r;
}

// Whether a job queued now replies to a live receiver: its reply comes after those of the jobs
// queued before it, so when it is in, they have been handled.
bool drained(RetrieverThread &thread)
{
    QObject live;
    bool replied = false;
    thread.run(&live, [&](KnowledgeRetriever *, QObject *, const RetrieverThread::Reply &reply) {
        reply([&] { replied = true; });
    });
    return QTest::qWaitFor([&] { return replied; }, 10000);
}

} // namespace

class TestRetrieverThread final : public QObject
{
    Q_OBJECT
private slots:
    void searchesOnItsOwnThreadWithItsOwnConnection();
    void seesWritesOfTheMainConnection();
    void replyIsDroppedWhenTheReceiverIsGone();
    void jobsNotRunYetAreDroppedAtTheEnd();
    void noRetrieverWhenTheConnectionCannotOpen();
    void assistantSearchesOnTheThreadWithTheSameAnswer();
    void assistantKeepsTheLoopTurningWhileASlowSearchRuns();
    void assistantGoneWhileSearchingGetsNoCall();
    void analyzerSearchesOnTheThread();
};

void TestRetrieverThread::searchesOnItsOwnThreadWithItsOwnConnection()
{
    TempKnowledgeDb t;
    QString error;
    QVERIFY2(t.open(u"tst_retrieverthread_a"_s, &error), qPrintable(error));
    QVERIFY(t.kb->create(makeEntry(u"KB-0001"_s, u"车机无法联网"_s, {u"车机没网"_s}, u"重启T-Box"_s),
                         u"seed"_s, &error));
    QVERIFY(t.kb->create(makeEntry(u"KB-0002"_s, u"远程解锁失败"_s, {u"App远程解锁没反应"_s}, u"检查网络"_s),
                         u"seed"_s, &error));
    QVERIFY(RetrieverThread::canSearchOn(*t.db));

    RetrieverThread thread(u"test-search"_s, RetrieverThread::searchOn(*t.db));
    QObject receiver;
    QThread *ranOn = nullptr;
    QThread *repliedOn = nullptr;
    KnowledgeSearchResult found;
    bool replied = false;
    thread.run(&receiver,
               [&](KnowledgeRetriever *retriever, QObject *context, const RetrieverThread::Reply &reply) {
                   ranOn = QThread::currentThread();
                   QVERIFY(retriever);
                   QCOMPARE(context->thread(), QThread::currentThread());
                   KnowledgeSearchResult r = retriever->search(u"车机没网了"_s, 5);
                   reply([&, r] {
                       repliedOn = QThread::currentThread();
                       found = r;
                       replied = true;
                   });
               });
    QVERIFY(!replied); // never within the call
    QTRY_VERIFY(replied);
    QVERIFY(ranOn && ranOn != QThread::currentThread());
    QCOMPARE(repliedOn, QThread::currentThread());
    // The same ranking as a search on the main connection.
    KnowledgeSearch here(*t.db);
    const KnowledgeSearchResult expected = here.search(u"车机没网了"_s, 5);
    QVERIFY(!found.hits.isEmpty());
    QCOMPARE(found.hits.size(), expected.hits.size());
    for (qsizetype i = 0; i < found.hits.size(); ++i)
        QCOMPARE(found.hits.at(i).entry.id, expected.hits.at(i).entry.id);
    QCOMPARE(found.hits.first().entry.id, u"KB-0001"_s);
    QCOMPARE(found.answerable, expected.answerable);
    QCOMPARE(found.reason, expected.reason);
}

void TestRetrieverThread::seesWritesOfTheMainConnection()
{
    TempKnowledgeDb t;
    QString error;
    QVERIFY2(t.open(u"tst_retrieverthread_b"_s, &error), qPrintable(error));
    QVERIFY(t.kb->create(makeEntry(u"KB-0001"_s, u"车机无法联网"_s, {u"车机没网"_s}, u"重启T-Box"_s),
                         u"seed"_s, &error));
    RetrieverThread thread(u"test-search"_s, RetrieverThread::searchOn(*t.db));
    QObject receiver;
    QStringList ids;
    const auto searchFor = [&](const QString &query) {
        ids.clear();
        bool done = false;
        thread.run(&receiver,
                   [&, query](KnowledgeRetriever *retriever, QObject *, const RetrieverThread::Reply &reply) {
                       QStringList found;
                       for (const KnowledgeHit &h : retriever->search(query, 5).hits)
                           found << h.entry.id;
                       reply([&, found] {
                           ids = found;
                           done = true;
                       });
                   });
        return QTest::qWaitFor([&] { return done; }, 10000);
    };
    QVERIFY(searchFor(u"数字钥匙蓝牙连不上"_s));
    QVERIFY2(!ids.contains(u"KB-0002"_s), qPrintable(ids.join(u' ')));
    // An entry written on the main connection after the thread's search warmed its caches.
    QVERIFY(
        t.kb->create(makeEntry(u"KB-0002"_s, u"数字钥匙蓝牙连接失败"_s, {u"蓝牙钥匙连不上"_s}, u"重新配对"_s),
                     u"operator"_s, &error));
    QVERIFY(searchFor(u"数字钥匙蓝牙连不上"_s));
    QVERIFY(!ids.isEmpty());
    QCOMPARE(ids.first(), u"KB-0002"_s);
}

void TestRetrieverThread::replyIsDroppedWhenTheReceiverIsGone()
{
    RetrieverThread thread(u"test"_s, [] { return std::make_unique<FixedRetriever>(); });
    auto *receiver = new QObject;
    QSemaphore searched;
    bool called = false;
    thread.run(receiver, [&](KnowledgeRetriever *, QObject *, const RetrieverThread::Reply &reply) {
        reply([&] { called = true; });
        searched.release();
    });
    QVERIFY(searched.tryAcquire(1, 10000)); // the reply is queued now
    delete receiver;
    QVERIFY(drained(thread));
    QVERIFY(!called);
}

void TestRetrieverThread::jobsNotRunYetAreDroppedAtTheEnd()
{
    std::atomic_bool firstEnded = false;
    std::atomic_bool secondRan = false;
    QSemaphore started;
    QSemaphore release;
    {
        // Releases the first job once the destructor (a few statements from here) has begun
        // waiting for it. Declared first: waited for after ~RetrieverThread.
        const std::unique_ptr<QThread> releaser(QThread::create([&] {
            QThread::msleep(300);
            release.release();
        }));
        const auto waitForReleaser = qScopeGuard([&] { releaser->wait(); });
        RetrieverThread thread(u"test"_s, [] { return std::make_unique<FixedRetriever>(); });
        thread.run(nullptr, [&](KnowledgeRetriever *, QObject *, const RetrieverThread::Reply &) {
            started.release();
            release.acquire(); // holds the thread until the destructor began
            firstEnded = true;
        });
        thread.run(nullptr, [&](KnowledgeRetriever *, QObject *, const RetrieverThread::Reply &) {
            secondRan = true;
        });
        releaser->start();
        QVERIFY(started.tryAcquire(1, 10000));
        QVERIFY(releaser->isRunning());
        // ~RetrieverThread here, then the releaser is waited for.
    }
    QVERIFY(firstEnded); // the destructor waited for the job that was running
    QVERIFY(!secondRan); // and dropped the one queued after it
}

void TestRetrieverThread::noRetrieverWhenTheConnectionCannotOpen()
{
    // A database that never opened (nothing like it can open on the thread).
    Database closed(u"tst_retrieverthread_closed"_s);
    RetrieverThread thread(u"test-search"_s, RetrieverThread::searchOn(closed));
    QObject receiver;
    bool replied = false;
    bool hadRetriever = true;
    thread.run(&receiver, [&](KnowledgeRetriever *retriever, QObject *, const RetrieverThread::Reply &reply) {
        const bool has = retriever != nullptr;
        reply([&, has] {
            hadRetriever = has;
            replied = true;
        });
    });
    QTRY_VERIFY(replied);
    QVERIFY(!hadRetriever);
}

void TestRetrieverThread::assistantSearchesOnTheThreadWithTheSameAnswer()
{
    // The same question answered with the search here and on the thread: the same answer, and
    // the thread's retriever did the searching.
    FixedRetriever here;
    Assistant local(&here);
    Answer expected;
    bool localDone = false;
    local.answer(request(u"远程解锁失败，App提示E-1001"_s), [&](const Answer &a) {
        expected = a;
        localDone = true;
    });
    QTRY_VERIFY(localDone);

    auto *remote = new ThreadRecordingRetriever;
    RetrieverThread thread(u"test"_s, [remote] { return std::unique_ptr<KnowledgeRetriever>(remote); });
    FixedRetriever unused; // must not be searched
    Assistant assistant(&unused);
    assistant.setRetrieverThread(&thread);
    Answer got;
    bool done = false;
    assistant.answer(request(u"远程解锁失败，App提示E-1001"_s), [&](const Answer &a) {
        got = a;
        done = true;
    });
    QVERIFY(!done);
    QTRY_VERIFY(done);
    QVERIFY(unused.queries().isEmpty());
    QVERIFY(!remote->threads.isEmpty());
    for (QThread *t : std::as_const(remote->threads))
        QVERIFY(t != QThread::currentThread());
    QCOMPARE(got.text, expected.text);
    QCOMPARE(got.source, expected.source);
    QCOMPARE(got.decisionReason, expected.decisionReason);
    QVERIFY(!got.refs.isEmpty());
    QCOMPARE(got.refs.first().id, expected.refs.first().id);
}

void TestRetrieverThread::assistantKeepsTheLoopTurningWhileASlowSearchRuns()
{
    static constexpr int kSearchMs = 600;
    RetrieverThread thread(u"test"_s, [] { return std::make_unique<ThreadRecordingRetriever>(kSearchMs); });
    Assistant assistant(nullptr);
    assistant.setRetrieverThread(&thread);
    bool done = false;
    MainThreadProbe probe;
    assistant.answer(request(u"远程解锁失败，App提示E-1001"_s), [&](const Answer &) { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    probe.stop();
    QVERIFY2(probe.ticks() > 0, "the event loop ran while the search did");
    QVERIFY2(probe.longestStallMs() < kSearchMs / 2, qPrintable(probe.report()));
}

void TestRetrieverThread::assistantGoneWhileSearchingGetsNoCall()
{
    QSemaphore inSearch;
    QSemaphore finish;
    class Blocking final : public KnowledgeRetriever
    {
    public:
        Blocking(QSemaphore *in, QSemaphore *out)
            : m_in(in)
            , m_out(out)
        {}
        KnowledgeSearchResult search(const QString &query, int topK) const override
        {
            m_in->release();
            m_out->acquire();
            return m_inner.search(query, topK);
        }

    private:
        QSemaphore *m_in;
        QSemaphore *m_out;
        FixedRetriever m_inner;
    };
    RetrieverThread thread(u"test"_s, [&] { return std::make_unique<Blocking>(&inSearch, &finish); });
    bool called = false;
    {
        Assistant assistant(nullptr);
        assistant.setRetrieverThread(&thread);
        assistant.answer(request(u"远程解锁失败"_s), [&](const Answer &) { called = true; });
        QVERIFY(inSearch.tryAcquire(1, 10000));
    } // the Assistant goes while its search runs
    finish.release(2);
    QVERIFY(drained(thread));
    QVERIFY(!called);
}

void TestRetrieverThread::analyzerSearchesOnTheThread()
{
    auto *remote = new ThreadRecordingRetriever;
    RetrieverThread thread(u"test"_s, [remote] { return std::unique_ptr<KnowledgeRetriever>(remote); });
    Analyzer analyzer(nullptr);
    analyzer.setRetrieverThread(&thread);
    const QList<ConversationTurn> conversation{
        {ConversationTurn::Role::Customer, u"远程解锁失败，App提示E-1001"_s, {}}};
    Analysis got;
    bool done = false;
    analyzer.analyze(conversation, [&](const Analysis &a) {
        got = a;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(!remote->threads.isEmpty());
    QVERIFY(remote->threads.first() != QThread::currentThread());
    // The rules used the thread's hit, as they use the local one.
    FixedRetriever here;
    Analyzer local(&here);
    const Analysis expected = local.analyzeWithRules(conversation);
    QVERIFY(!expected.knowledgeId.isEmpty());
    QCOMPARE(got.knowledgeId, expected.knowledgeId);
    QCOMPARE(got.category, expected.category);
}

QTEST_GUILESS_MAIN(TestRetrieverThread)
#include "tst_retrieverthread.moc"

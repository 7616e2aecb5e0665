#include "knowledge/retrieverthread.h"

#include <atomic>

#include <QObject>
#include <QPointer>
#include <QThread>

#include "logging_p.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// searchOn()'s retriever: the search and the connection it reads, both made and ended on the thread.
class SearchOnConnection final : public KnowledgeRetriever
{
public:
    std::unique_ptr<Database> db; // declared first: ends after the search
    std::unique_ptr<KnowledgeSearch> engine;

    KnowledgeSearchResult search(const QString &query, int topK) const override
    {
        return engine->search(query, topK);
    }
    void prepare(const QStringList &queries, QObject *context, std::function<void()> ready) override
    {
        engine->prepare(queries, context, std::move(ready));
    }
};

} // namespace

struct RetrieverThread::Private
{
    QThread thread;
    QObject *context = nullptr;                    // lives on `thread`
    QObject relay;                                 // lives on the owner's thread: replies are queued to it
    Make make;                                     // used on `thread`
    bool made = false;                             // on `thread`
    std::atomic_bool stopping = false;             // jobs not run yet are dropped
    std::unique_ptr<KnowledgeRetriever> retriever; // on `thread`
};

RetrieverThread::RetrieverThread(const QString &name, Make make)
    : d(std::make_unique<Private>())
{
    d->make = std::move(make);
    d->thread.setObjectName(name);
    d->context = new QObject;
    d->context->moveToThread(&d->thread);
    d->thread.start();
}

RetrieverThread::~RetrieverThread()
{
    // The retriever and its connection end on the thread that used them, then the thread ends.
    // A waiting prepare() is released into the context's queue, which goes with the context.
    Private *p = d.get();
    p->stopping = true;
    QMetaObject::invokeMethod(
        p->context,
        [p] {
            p->retriever.reset();
            delete p->context;
            p->context = nullptr;
        },
        Qt::BlockingQueuedConnection);
    p->thread.quit();
    p->thread.wait();
}

void RetrieverThread::run(QObject *receiver, Job job)
{
    Private *p = d.get();
    const QPointer<QObject> to(receiver);
    QObject *relay = &p->relay;
    // The relay outlives the thread (the destructor waits for it), so replies can always be queued
    // to it; whether the receiver is still there is asked on the receiver's thread.
    Reply reply = [relay, to, hasReceiver = receiver != nullptr](std::function<void()> fn) {
        if (!hasReceiver)
            return;
        QMetaObject::invokeMethod(relay, [to, fn = std::move(fn)] {
            if (to && fn)
                fn();
        });
    };
    QMetaObject::invokeMethod(p->context, [p, job = std::move(job), reply = std::move(reply)] {
        if (p->stopping)
            return;
        if (!p->made) {
            p->made = true;
            p->retriever = p->make();
        }
        job(p->retriever.get(), p->context, reply);
    });
}

RetrieverThread::Make RetrieverThread::searchOn(const Database &like, KnowledgeSearchOptions options,
                                                EmbeddingOptions embeddings)
{
    static std::atomic<int> connections{0};
    const QString connection = u"%1-retriever-%2"_s.arg(like.connectionName()).arg(++connections);
    const Database *source = &like;
    // `like` is read once, by the first job; its owner keeps it open longer than this thread.
    return [source, connection, options, embeddings]() -> std::unique_ptr<KnowledgeRetriever> {
        auto r = std::make_unique<SearchOnConnection>();
        r->db = std::make_unique<Database>(connection);
        if (!r->db->openLike(*source)) {
            qCWarning(lcKnowledge).noquote()
                << "knowledge search thread: cannot open the database:" << r->db->errorString();
            return nullptr;
        }
        r->engine = std::make_unique<KnowledgeSearch>(*r->db, options);
        if (embeddings.isEnabled())
            r->engine->setEmbeddingOptions(embeddings);
        r->engine->setWaitForEmbeddings(false);
        return r;
    };
}

bool RetrieverThread::canSearchOn(const Database &like)
{
    return like.isSqlite();
}

void RetrieverThread::setEmbeddingOptions(const EmbeddingOptions &options)
{
    run(nullptr, [options](KnowledgeRetriever *retriever, QObject *, const Reply &) {
        if (auto *s = dynamic_cast<SearchOnConnection *>(retriever))
            s->engine->setEmbeddingOptions(options);
    });
}

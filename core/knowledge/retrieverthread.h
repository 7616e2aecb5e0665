#pragma once

#include <functional>
#include <memory>

#include <QString>

#include "knowledge/embeddingclient.h"
#include "knowledge/knowledgeentry.h"
#include "knowledge/knowledgesearch.h"

class Database;
class QObject;

// A thread of its own for a retriever's searches, so that the event loop that asks for them never
// waits on a search (the bot's answers and analyses, on the main thread). The retriever is made by
// `make` on that thread at the first job, used only there and destroyed there; a knowledge search
// opens a database connection of its own for it (searchOn()).
//
// Jobs run in the order they were queued. A job may wait asynchronously (prepare() calls back
// through the thread's event loop), so several can be under way at once. Its outcome goes back
// through `reply`, queued to the receiver it was queued for, and is dropped when that receiver is
// gone by then: a receiver may go before the thread does. Destroying the RetrieverThread drops the
// jobs that have not run yet (their replies never come) and waits for the one that is running.
class RetrieverThread final
{
public:
    // Makes the retriever, on the thread; null when it cannot (`make` says why in the log).
    using Make = std::function<std::unique_ptr<KnowledgeRetriever>()>;
    // Runs a function on the thread that queued the job, queued to the job's receiver.
    using Reply = std::function<void(std::function<void()>)>;
    // The retriever (null when none could be made), an object living on the thread (the context
    // for prepare()), and the way back.
    using Job =
        std::function<void(KnowledgeRetriever *retriever, QObject *threadContext, const Reply &reply)>;

    RetrieverThread(const QString &name, Make make);
    ~RetrieverThread();
    RetrieverThread(const RetrieverThread &) = delete;
    RetrieverThread &operator=(const RetrieverThread &) = delete;

    // Queues `job` to the thread; its reply goes to `receiver` (none when null).
    void run(QObject *receiver, Job job);

    // A KnowledgeSearch over a connection of its own to the SQLite file `like` is open on, with
    // these options; it never waits on the embedding endpoint (callers prepare() first). Null
    // where the connection cannot open (a PostgreSQL database: the caller searches on its own
    // thread instead, see canSearchOn()).
    static Make searchOn(const Database &like, KnowledgeSearchOptions options = {},
                         EmbeddingOptions embeddings = {});
    static bool canSearchOn(const Database &like);
    // The embedding endpoint of a retriever made by searchOn(), for the jobs queued after this call.
    void setEmbeddingOptions(const EmbeddingOptions &options);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

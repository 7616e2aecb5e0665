#pragma once

#include <functional>

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

class QObject;

// One solved ticket in the knowledge base. JSON field names follow shared/data/tsp-knowledge.jsonl.
struct KnowledgeEntry
{
    QString id;
    QString title;
    QString category;
    QStringList vehicleModels;
    QStringList symptoms;
    QString cause;
    QString solution;
    QStringList tags;
    QString source = QStringLiteral("imported"); // imported, operator, promoted, bitable
    QString updatedAt;                           // ISO-8601 as stored

    bool operator==(const KnowledgeEntry &) const = default;
};

struct KnowledgeHit
{
    KnowledgeEntry entry;
    double score = 0.0;    // higher is better; comparable within one search only
    double coverage = 0.0; // 0..1: IDF-weighted share of the query's content this entry covers
};

struct KnowledgeSearchResult
{
    QString query;
    QList<KnowledgeHit> hits; // best first
    bool answerable = false;  // is the best hit good enough to answer from?
    QString reason;           // why (not) answerable, for logs and the console
    // The lead the decision weighed: the best score's margin over the runner-up's before any
    // re-ranking (KnowledgeSearch); -1 when the retriever does not say.
    double lead = -1;
};

// What the assistant needs from the knowledge base. The knowledge module implements it; tests
// may implement it over a fixed list.
class KnowledgeRetriever
{
public:
    virtual ~KnowledgeRetriever() = default;
    virtual KnowledgeSearchResult search(const QString &query, int topK) const = 0;

    // Gets ready to search `queries` without waiting on the network (a retriever with embeddings
    // fetches their vectors), then calls `ready` on the caller's thread: at once when there is
    // nothing to fetch, else later from the event loop, when the fetch is done or has failed
    // (search() then ranks without what is missing). `ready` is not called once `context` is
    // gone. The default has nothing to fetch.
    virtual void prepare(const QStringList &queries, QObject *context, std::function<void()> ready)
    {
        Q_UNUSED(queries)
        Q_UNUSED(context)
        ready();
    }
};

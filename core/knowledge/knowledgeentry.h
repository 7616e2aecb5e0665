#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

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
};

// What the assistant needs from the knowledge base. The knowledge module implements it; tests
// may implement it over a fixed list.
class KnowledgeRetriever
{
public:
    virtual ~KnowledgeRetriever() = default;
    virtual KnowledgeSearchResult search(const QString &query, int topK) const = 0;
};

#pragma once

#include <atomic>
#include <optional>

#include <QHash>
#include <QList>
#include <QString>

#include "knowledge/embeddingclient.h"
#include "knowledge/knowledgeentry.h"

class Database;
class QSqlDatabase;

// The entry vectors of one embedding model, cached in knowledge_embeddings with a hash of the
// model and the embedded text: an entry whose text changed is stale until sync() embeds it again.
//
// In memory: load() (or adopt() of a scan() made elsewhere, e.g. on a worker thread with its own
// connection) keeps the current vectors and the list of stale entries; store() then keeps both up
// to date, so embedding the stale entries needs no second read of the knowledge base.
class EmbeddingIndex
{
public:
    EmbeddingIndex(Database &db, EmbeddingClient &client);

    // What gets embedded: title, symptoms, cause and tags (not the long solution).
    static QString embedText(const KnowledgeEntry &entry);
    static QString textHash(const QString &model, const QString &text);

    // Embeds up to `limit` missing or stale entries (all when limit < 0), waiting on the endpoint.
    // Returns how many were embedded, or -1 when the endpoint or the database failed (*error says
    // why).
    int sync(int limit, QString *error = nullptr);

    // sync() in two steps, for a caller that embeds asynchronously: what needs embedding (up to
    // `limit`; all when limit < 0), then storing the vectors in the same order.
    struct Stale
    {
        qint64 rid = 0; // knowledge.rid
        QString id;
        QString text;
        QString hash;
    };
    std::optional<QList<Stale>> stale(int limit, QString *error = nullptr) const;
    // Stores the vectors; when the index is loaded, they join vectors() and leave pending().
    bool store(const QList<Stale> &entries, const QList<EmbeddingClient::Vector> &vectors,
               QString *error = nullptr);

    // One read of every entry of the knowledge base: the current vectors (L2-normalised) by rid,
    // unless withVectors is false, and the missing or stale entries (the first staleLimit of them,
    // all when staleLimit < 0; staleCount counts them all). Runs on any thread, on the connection
    // given; stops early (returning false) when *cancel becomes true.
    struct Scan
    {
        QHash<qint64, EmbeddingClient::Vector> vectors;
        QList<Stale> stale;
        int staleCount = 0;
    };
    static bool scan(const QSqlDatabase &db, const QString &model, bool withVectors, int staleLimit,
                     Scan *out, QString *error = nullptr, const std::atomic_bool *cancel = nullptr);
    // Loads the current vectors (L2-normalised) into memory; stale ones are left out.
    bool load(QString *error = nullptr);
    // Takes a scan() made elsewhere (of this index's model) as what load() would have read.
    void adopt(Scan scan);
    bool isLoaded() const { return m_loaded; }
    // The stale entries as of the last load() or adopt(), less those store()d since (up to `limit`;
    // all when limit < 0).
    QList<Stale> pending(int limit) const;
    int staleCount() const { return m_staleCount; }

    const QHash<qint64, EmbeddingClient::Vector> &vectors() const { return m_vectors; } // by knowledge.rid

    static EmbeddingClient::Vector normalized(EmbeddingClient::Vector v);
    static double dot(const EmbeddingClient::Vector &a, const EmbeddingClient::Vector &b);
    static QByteArray toBlob(const EmbeddingClient::Vector &v);
    static EmbeddingClient::Vector fromBlob(const QByteArray &blob, int dims);

private:
    Database &m_db;
    EmbeddingClient &m_client;
    QHash<qint64, EmbeddingClient::Vector> m_vectors;
    QList<Stale> m_pending;
    int m_staleCount = 0;
    bool m_loaded = false;
};

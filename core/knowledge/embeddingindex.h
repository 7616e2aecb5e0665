#pragma once

#include <optional>

#include <QHash>
#include <QString>

#include "knowledge/embeddingclient.h"
#include "knowledge/knowledgeentry.h"

class Database;

// The entry vectors of one embedding model, cached in knowledge_embeddings with a hash of the
// model and the embedded text: an entry whose text changed is stale until sync() embeds it again.
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
        QString id;
        QString text;
        QString hash;
    };
    std::optional<QList<Stale>> stale(int limit, QString *error = nullptr) const;
    bool store(const QList<Stale> &entries, const QList<EmbeddingClient::Vector> &vectors,
               QString *error = nullptr);
    // Loads the current vectors (L2-normalised) into memory; stale ones are left out.
    bool load(QString *error = nullptr);
    int staleCount() const { return m_stale; }

    const QHash<qint64, EmbeddingClient::Vector> &vectors() const { return m_vectors; } // by knowledge.rid

    static EmbeddingClient::Vector normalized(EmbeddingClient::Vector v);
    static double dot(const EmbeddingClient::Vector &a, const EmbeddingClient::Vector &b);
    static QByteArray toBlob(const EmbeddingClient::Vector &v);
    static EmbeddingClient::Vector fromBlob(const QByteArray &blob, int dims);

private:
    Database &m_db;
    EmbeddingClient &m_client;
    QHash<qint64, EmbeddingClient::Vector> m_vectors;
    int m_stale = 0;
};

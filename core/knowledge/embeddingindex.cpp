#include "knowledge/embeddingindex.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>

#include "knowledge/knowledgeindexer.h"
#include "logging_p.h"
#include "storage/database.h"
#include "storage/transaction.h"

using namespace Qt::Literals::StringLiterals;

EmbeddingIndex::EmbeddingIndex(Database &db, EmbeddingClient &client)
    : m_db(db)
    , m_client(client)
{}

QString EmbeddingIndex::embedText(const KnowledgeEntry &e)
{
    return e.title + u'\n' + e.symptoms.join(u"；"_s) + u'\n' + e.cause + u'\n' + e.tags.join(u"，"_s);
}

QString EmbeddingIndex::textHash(const QString &model, const QString &text)
{
    QCryptographicHash h(QCryptographicHash::Sha1);
    h.addData(model.toUtf8());
    h.addData(QByteArrayView("\n", 1));
    h.addData(text.toUtf8());
    return QString::fromLatin1(h.result().toHex());
}

EmbeddingClient::Vector EmbeddingIndex::normalized(EmbeddingClient::Vector v)
{
    double norm = 0;
    for (const float x : v)
        norm += double(x) * x;
    norm = std::sqrt(norm);
    if (norm > 0) {
        for (float &x : v)
            x = static_cast<float>(x / norm);
    }
    return v;
}

double EmbeddingIndex::dot(const EmbeddingClient::Vector &a, const EmbeddingClient::Vector &b)
{
    if (a.size() != b.size())
        return 0.0;
    double s = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        s += double(a.at(i)) * b.at(i);
    return s;
}

QByteArray EmbeddingIndex::toBlob(const EmbeddingClient::Vector &v)
{
    QByteArray blob(v.size() * 4, Qt::Uninitialized);
    for (qsizetype i = 0; i < v.size(); ++i) {
        quint32 bits;
        std::memcpy(&bits, &v.at(i), 4);
        qToLittleEndian(bits, blob.data() + i * 4);
    }
    return blob;
}

EmbeddingClient::Vector EmbeddingIndex::fromBlob(const QByteArray &blob, int dims)
{
    EmbeddingClient::Vector v;
    if (dims <= 0 || blob.size() != qsizetype(dims) * 4)
        return v;
    v.resize(dims);
    for (int i = 0; i < dims; ++i) {
        const quint32 bits = qFromLittleEndian<quint32>(blob.constData() + i * 4);
        std::memcpy(&v[i], &bits, 4);
    }
    return v;
}

bool EmbeddingIndex::scan(const QSqlDatabase &db, const QString &model, bool withVectors, int staleLimit,
                          Scan *out, QString *error, const std::atomic_bool *cancel)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT k.rid, k.id, k.title, k.category, k.vehicle_models, k.symptoms, k.cause, k.solution,"
              " k.tags, k.source, k.updated_at, e.text_hash, "_s +
              (withVectors ? u"e.dims, e.vector"_s : u"NULL, NULL"_s) +
              u" FROM knowledge k LEFT JOIN knowledge_embeddings e ON e.entry_id = k.id AND e.model = ?"_s);
    q.addBindValue(model);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    while (q.next()) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            if (error)
                *error = u"cancelled"_s;
            return false;
        }
        qint64 rid = 0;
        const KnowledgeEntry e = KnowledgeIndexer::entryFromRow(q, &rid);
        QString text = embedText(e);
        QString hash = textHash(model, text);
        if (q.value(11).toString() != hash) {
            // A new model makes every entry stale: only the ones asked for are kept with their text.
            if (staleLimit < 0 || out->stale.size() < staleLimit)
                out->stale.append({rid, e.id, std::move(text), std::move(hash)});
            ++out->staleCount;
        } else if (withVectors) {
            EmbeddingClient::Vector v = fromBlob(q.value(13).toByteArray(), q.value(12).toInt());
            if (!v.isEmpty())
                out->vectors.insert(rid, normalized(std::move(v)));
        }
    }
    return true;
}

std::optional<QList<EmbeddingIndex::Stale>> EmbeddingIndex::stale(int limit, QString *error) const
{
    Scan s;
    if (!scan(m_db.db(), m_client.options().model, false, limit, &s, error))
        return std::nullopt;
    return s.stale;
}

bool EmbeddingIndex::store(const QList<Stale> &entries, const QList<EmbeddingClient::Vector> &vectors,
                           QString *error)
{
    if (entries.size() != vectors.size()) {
        if (error)
            *error = u"%1 entries but %2 vectors"_s.arg(entries.size()).arg(vectors.size());
        return false;
    }
    const QString model = m_client.options().model;
    QSqlDatabase d = m_db.db();
    // Transaction, not QSqlDatabase::transaction(): a search can run inside the bot's write
    // batch, where a plain BEGIN would fail and the COMMIT end the batch's transaction.
    Transaction tx(d);
    QSqlQuery up(d);
    up.prepare(
        u"INSERT INTO knowledge_embeddings(entry_id, model, text_hash, dims, vector) VALUES(?, ?, ?, ?, "
        u"?)"
        " ON CONFLICT(entry_id) DO UPDATE SET model = excluded.model, text_hash = excluded.text_hash,"
        " dims = excluded.dims, vector = excluded.vector"_s);
    for (qsizetype j = 0; j < entries.size(); ++j) {
        up.addBindValue(entries.at(j).id);
        up.addBindValue(model);
        up.addBindValue(entries.at(j).hash);
        up.addBindValue(int(vectors.at(j).size()));
        up.addBindValue(toBlob(vectors.at(j)));
        if (!up.exec()) {
            qCWarning(lcDb) << "cannot store an embedding:" << up.lastError().text();
            if (error)
                *error = up.lastError().text();
            tx.rollback();
            return false;
        }
    }
    if (!tx.commit()) {
        if (error)
            *error = u"cannot commit the embeddings"_s;
        return false;
    }
    if (m_loaded) {
        // Only what the last read asked for: a vector of an older text (the entry changed while it
        // was embedded) neither joins the vectors nor takes the entry off the list.
        QHash<QString, qsizetype> stored; // "id\nhash" -> index in entries
        for (qsizetype j = 0; j < entries.size(); ++j)
            stored.insert(entries.at(j).id + u'\n' + entries.at(j).hash, j);
        const qsizetype removed = m_pending.removeIf([&](const Stale &p) {
            const auto it = stored.constFind(p.id + u'\n' + p.hash);
            if (it == stored.constEnd() || p.rid <= 0)
                return false;
            m_vectors.insert(p.rid, normalized(vectors.at(it.value())));
            return true;
        });
        m_staleCount = std::max(0, m_staleCount - int(removed));
    }
    return true;
}

int EmbeddingIndex::sync(int limit, QString *error)
{
    const auto pending = stale(limit, error);
    if (!pending)
        return -1;
    int done = 0;
    const int batch = std::max(1, m_client.options().batchSize);
    for (qsizetype i = 0; i < pending->size(); i += batch) {
        const QList<Stale> part = pending->mid(i, batch);
        QStringList texts;
        for (const Stale &p : part)
            texts << p.text;
        QString e;
        const auto vectors = m_client.embed(texts, &e);
        if (!vectors) {
            qCWarning(lcKnowledge) << "embedding the knowledge entries failed:" << e;
            if (error)
                *error = e;
            return -1;
        }
        if (!store(part, *vectors, error))
            return -1;
        done += int(part.size());
    }
    if (done > 0)
        qCInfo(lcKnowledge) << "embedded" << done << "knowledge entries with" << m_client.options().model;
    return done;
}

bool EmbeddingIndex::load(QString *error)
{
    Scan s;
    if (!scan(m_db.db(), m_client.options().model, true, -1, &s, error)) {
        adopt({});
        return false;
    }
    adopt(std::move(s));
    return true;
}

void EmbeddingIndex::adopt(Scan scan)
{
    m_vectors = std::move(scan.vectors);
    m_pending = std::move(scan.stale);
    m_staleCount = scan.staleCount;
    m_loaded = true;
}

QList<EmbeddingIndex::Stale> EmbeddingIndex::pending(int limit) const
{
    return limit >= 0 ? m_pending.mid(0, limit) : m_pending;
}

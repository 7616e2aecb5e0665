#pragma once

#include <memory>

#include <QHash>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include "knowledge/knowledgeentry.h"
#include "knowledge/segmenter.h"

class QSqlQuery;

// Keeps the full-text index (knowledge_fts), the character document frequencies
// (knowledge_chardf) and the write generation (knowledge_meta) in step with the knowledge table.
// Used by KnowledgeBase inside its transactions; not thread-safe (one per connection/thread).
class KnowledgeIndexer
{
public:
    explicit KnowledgeIndexer(const QSqlDatabase &db);
    ~KnowledgeIndexer();
    KnowledgeIndexer(const KnowledgeIndexer &) = delete;
    KnowledgeIndexer &operator=(const KnowledgeIndexer &) = delete;

    // The column list every entry query selects, and the row -> entry conversion for it.
    static QString selectColumns(); // rid, id, title, ...
    static KnowledgeEntry entryFromRow(const QSqlQuery &query, qint64 *rid = nullptr);
    static QString listToJson(const QStringList &list);
    static QStringList listFromJson(const QString &json);

    // The normalised text of all fields but the vehicle models: what a query must be covered by.
    static QString searchText(const KnowledgeEntry &entry);

    bool add(qint64 rid, const KnowledgeEntry &entry, QString *error);
    bool remove(qint64 rid, const KnowledgeEntry &entry, QString *error);
    // Writes the character frequency changes and bumps the generation. Call before commit.
    bool flush(QString *error);
    // Re-creates the index from the knowledge table (inside the caller's transaction).
    bool rebuild(QString *error);

    // Whether the index was built by this tokenisation (Segmenter::fingerprint()).
    static bool isCurrent(const QSqlDatabase &db);
    static QString meta(const QSqlDatabase &db, const QString &key);
    static bool setMeta(const QSqlDatabase &db, const QString &key, const QString &value, QString *error);

private:
    struct Columns
    {
        QString title, symptoms, cause, tags, solution;
    };
    Columns columns(const KnowledgeEntry &entry) const;
    void countChars(const KnowledgeEntry &entry, int delta);
    bool write(bool remove, qint64 rid, const KnowledgeEntry &entry, QString *error);

    QSqlDatabase m_db;
    Segmenter m_segmenter;
    std::unique_ptr<QSqlQuery> m_insert;
    std::unique_ptr<QSqlQuery> m_delete;
    QHash<QChar, qint64> m_dfDelta;
    bool m_dirty = false;
};

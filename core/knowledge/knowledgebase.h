#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include "knowledge/knowledgeentry.h"
#include "knowledge/knowledgeformat.h"

class Database;
class KnowledgeIndexer;
class Transaction;

// One edit of an entry: who, when, what changed.
struct KnowledgeVersion
{
    QString entryId;
    int version = 0;
    QString actor;
    QDateTime at;        // UTC
    QString action;      // create, update, delete
    QJsonObject changes; // {field: [old, new]}; {} for create; delete: {field: [old, null]}
};

struct KnowledgeImportReport
{
    bool ok = false;
    QString path;
    QString format;
    qint64 total = 0; // entries in the file
    qint64 created = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;            // ids that exist with identical content: no new version
    bool cancelled = false;          // stopped by the caller's cancel flag; nothing was imported
    QList<KnowledgeRowError> errors; // rejected rows; nothing is imported when there is one
    qint64 droppedErrors = 0;        // errors beyond KnowledgeFormat::kMaxErrors
    QString error;                   // I/O or database failure, or a summary of the row errors
};
Q_DECLARE_METATYPE(KnowledgeImportReport)

// What an operator promotes from a conversation.
struct KnowledgePromotion
{
    QString title;
    QString question; // the customer's words: becomes a symptom
    QString answer;   // the final answer sent: becomes the solution
    QString cause;
    QString category;
    QStringList tags;
    QStringList vehicleModels;
};

// The knowledge base: entries with full version history, import/export, and the search index
// kept in step with every write (see KnowledgeIndexer). Lives on the thread of its Database.
//
// Imports are all-or-nothing: the whole file is parsed and checked first; one bad row rejects the
// file with every error listed by line, and the writes run in one transaction. An id that exists
// is updated (a new version) unless its content is identical.
class KnowledgeBase final : public QObject
{
    Q_OBJECT
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;

    explicit KnowledgeBase(Database &db, QObject *parent = nullptr);
    ~KnowledgeBase() override;
    Q_DISABLE_COPY_MOVE(KnowledgeBase)

    // Rebuilds the search index when the tokenisation changed since it was built (a new
    // lexicon or ICU version). Writes do this on their own; call it at start-up so the first
    // search does not see a stale index.
    bool ensureIndex(QString *error = nullptr);

    qint64 count() const;
    std::optional<KnowledgeEntry> entry(const QString &id) const;
    QList<KnowledgeEntry> entries(qint64 limit = -1, qint64 offset = 0) const; // ordered by id
    QList<KnowledgeVersion> versions(const QString &id) const;                 // oldest first

    // Operator edits. updated_at becomes now. create() fails if the id exists, update() and
    // remove() if it does not. An update with no change is accepted and writes no version.
    bool create(const KnowledgeEntry &entry, const QString &actor, QString *error = nullptr);
    bool update(const KnowledgeEntry &entry, const QString &actor, QString *error = nullptr);
    bool remove(const QString &id, const QString &actor, QString *error = nullptr);

    // `cancel` (optional) is polled between rows: when it becomes true the transaction is rolled
    // back and the report says cancelled (nothing imported, all or nothing as for bad rows).
    KnowledgeImportReport importData(const QByteArray &data, KnowledgeFormat::Format format,
                                     const QString &actor, const Progress &progress = {},
                                     const std::atomic_bool *cancel = nullptr);
    // Format by extension (.jsonl/.ndjson, .json, .csv).
    KnowledgeImportReport importFile(const QString &path, const QString &actor, const Progress &progress = {},
                                     const std::atomic_bool *cancel = nullptr);
    QByteArray exportData(KnowledgeFormat::Format format) const;
    bool exportFile(const QString &path, QString *error = nullptr, qint64 *count = nullptr) const;

    // Imports on a worker thread with its own connection (Database::openLike); reports through
    // importProgress/importFinished on this object's thread. Returns false if one is running.
    bool importFileAsync(const QString &path, const QString &actor);
    bool isImporting() const { return m_importThread != nullptr; }

    // The demo knowledge base on a fresh install. The app calls this once at start-up: the first
    // time a database is opened it imports bundledResource() (source "imported", actor "seed")
    // and records that in knowledge_meta ("seeded"), so the demo entries never come back after an
    // operator deleted them. A database that already has entries is only marked. Idempotent;
    // when done already it costs two small queries. Also brings the search index up to date.
    bool ensureSeeded(QString *error = nullptr);
    bool isSeeded() const;
    // Imports the demo knowledge base whenever there are no entries (also after a deletion of
    // all entries); ensureSeeded() is what a start-up wants.
    bool seedIfEmpty(QString *error = nullptr);
    static QString bundledResource() { return QStringLiteral(":/knowledge/tsp-knowledge.jsonl"); }

    // An existing entry that already answers this text (title + question), to edit instead of
    // creating a near duplicate; empty when none is close enough.
    std::optional<KnowledgeHit> suggestSimilar(const QString &text) const;
    // Creates an entry from a conversation (source "promoted", the next free KB-nnnn id).
    std::optional<KnowledgeEntry> promote(const KnowledgePromotion &promotion, const QString &actor,
                                          QString *error = nullptr);
    QString nextId() const;

    static QString nowIso();
    // Field name -> JSON value (lists as arrays): what version diffs record.
    static QJsonObject fieldValues(const KnowledgeEntry &entry);
    // Equal in everything a version records (id and updated_at aside).
    static bool sameContent(const KnowledgeEntry &a, const KnowledgeEntry &b);

signals:
    void entryChanged(const QString &id); // created or updated
    void entryRemoved(const QString &id);
    void entriesReset(); // after an import
    void importProgress(qint64 done, qint64 total);
    void importFinished(const KnowledgeImportReport &report);

private:
    struct Statements;
    struct Existing
    {
        qint64 rid = 0;
        int version = 0;
        KnowledgeEntry entry;
    };
    enum class Write { Created, Updated, Unchanged, Failed };
    Statements &statements();
    std::optional<Existing> findExisting(const QString &id, QString *error, bool *ok);
    bool addVersion(const QString &id, int version, const QString &actor, const QString &action,
                    const QJsonObject &changes, QString *error);
    Write put(const KnowledgeEntry &entry, const QString &actor, bool mustBeNew, bool mustExist,
              QString *error);
    bool ensureIndexInTransaction(QString *error);
    bool begin(QString *error);
    bool commit(QString *error);
    void rollback();

    Database &m_db;
    std::unique_ptr<KnowledgeIndexer> m_indexer;
    std::unique_ptr<Statements> m_statements;
    // The open write (begin() .. commit()/rollback()): the project's nesting Transaction, so a
    // knowledge write inside another unit of work joins it instead of failing to BEGIN again.
    std::unique_ptr<Transaction> m_transaction;
    QPointer<QThread> m_importThread;
};

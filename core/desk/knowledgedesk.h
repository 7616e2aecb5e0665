#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThread>

#include "desk/desktypes.h"
#include "knowledge/knowledgeentry.h"

class Database;
class KnowledgeBase;
class KnowledgeSearch;

// One row of the knowledge editor's table.
struct KnowledgeRow
{
    QString id;
    QString title;
    QString category;
    QStringList vehicleModels;
    QString updatedAt; // ISO-8601 as stored
    QString source;    // imported, operator, promoted, bitable
    int citations = 0; // turns that cited the entry in the last 7 days
    double score = -1; // search rank score; -1 when the page is not a search

    bool operator==(const KnowledgeRow &) const = default;
};

// What the table shows: every entry (ordered by id) or the hits of a search, both optionally
// limited to one category.
struct KnowledgeQuery
{
    QString text;     // '' = every entry, by id; otherwise the bot's own search (best first)
    QString category; // '' = every category

    bool operator==(const KnowledgeQuery &) const = default;
};

// A page of rows. For a plain listing, ask for the next page with after = rows.last().id; a
// search returns all of its hits (bounded) in the first page.
struct KnowledgeRowPage
{
    QList<KnowledgeRow> rows;
    bool hasMore = false;
};
Q_DECLARE_METATYPE(KnowledgeRowPage)

// A problem with one field of the form.
struct KnowledgeFieldError
{
    QString field; // title, category, vehicle_models, symptoms, cause, solution, tags, id
    QString message;
};

// One field that changed in one version.
struct KnowledgeFieldChange
{
    QString field;
    QString before; // lists joined with '\n'; '' when there was none
    QString after;
};

// One version of an entry, as the history view shows it.
struct KnowledgeHistoryItem
{
    int version = 0;
    QString actor;
    qint64 at = 0;  // ms since the epoch
    QString action; // create, update, delete
    QList<KnowledgeFieldChange> changes;
    bool restorable = false; // the content of this version can be reconstructed
};

// Customer questions the bot handed to a person because no entry fitted, grouped by similarity.
struct KnowledgeGap
{
    QString question;         // the most representative question of the group
    QStringList examples;     // distinct questions of the group, most recent first (up to 8)
    int count = 0;            // questions in the group
    qint64 lastAt = 0;        // the newest one, ms since the epoch
    QString category;         // the most common analysis category of their sessions, or ''
    QList<qint64> sessionIds; // where they were asked
};

// The outcome of an import or an export run by KnowledgeDesk on its worker thread.
struct KnowledgeTransferReport
{
    enum class Kind { Import, Export };
    Kind kind = Kind::Import;
    bool ok = false;
    bool cancelled = false;
    QString path;
    qint64 total = 0; // entries in the file (import) or written (export)
    qint64 created = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
    QStringList errors; // "FILE:LINE: reason", as `kb import` prints them
    QString errorFile;  // where the full list was written ('' when none)
    QString message;    // one sentence for the operator
};
Q_DECLARE_METATYPE(KnowledgeTransferReport)

// The knowledge editor's way into core: one main-thread QObject with value-type queries, edits
// through KnowledgeBase (a new version each, the search index updated in the same transaction,
// so the bot's next answer already uses the new text) and imports/exports on a worker thread
// with its own database connection. The console never sees the Database.
class KnowledgeDesk final : public QObject
{
    Q_OBJECT
public:
    // `db` and `kb` live on this (the main) thread; both must outlive the desk.
    KnowledgeDesk(Database &db, KnowledgeBase &kb, QObject *parent = nullptr);
    ~KnowledgeDesk() override;
    Q_DISABLE_COPY_MOVE(KnowledgeDesk)

    void setOperatorName(const QString &name) { m_operator = name; }
    QString operatorName() const { return m_operator; }

    // --- Table ---------------------------------------------------------------------------------
    int count(const KnowledgeQuery &query = {}) const;
    KnowledgeRowPage page(const KnowledgeQuery &query, const QString &afterId = {}, int limit = 200) const;
    // A search for the table (query.text not empty) on a worker thread with its own connection
    // and its own KnowledgeSearch: at 100,000 entries one takes 30-70 ms, too long for the event
    // loop. searchFinished() brings the rows, page() for the same query would return; a search
    // asked for while one runs replaces one that waits for it. Returns the search's serial.
    quint64 startSearch(const KnowledgeQuery &query);
    QStringList categories() const; // distinct, sorted; '' left out
    std::optional<KnowledgeEntry> entry(const QString &id) const;
    QString nextId() const;

    // --- Editing -------------------------------------------------------------------------------
    // Every problem of the form, one per field (empty = acceptable). isNew: the id must be free.
    QList<KnowledgeFieldError> validate(const KnowledgeEntry &entry, bool isNew) const;
    // Creates (isNew) or updates the entry as operatorName(). A new entry without an id gets
    // nextId() (returned in *savedId). Returns the validation messages joined in error when it
    // is not acceptable.
    DeskResult save(const KnowledgeEntry &entry, bool isNew, QString *savedId = nullptr);
    // The entries most like the form's text (title, symptoms, cause, solution), best first,
    // without `excludeId` (the entry being edited).
    QList<CitedEntry> similar(const KnowledgeEntry &form, const QString &excludeId = {}, int limit = 5) const;
    // similar() on the search worker (as startSearch()): similarFound() brings the entries.
    quint64 startSimilar(const KnowledgeEntry &form, const QString &excludeId = {}, int limit = 5);

    // --- History -------------------------------------------------------------------------------
    QList<KnowledgeHistoryItem> history(const QString &id) const; // newest first
    // The entry as it was after `version` (reconstructed from the current row by undoing later
    // changes, or from the delete record).
    std::optional<KnowledgeEntry> entryAtVersion(const QString &id, int version) const;
    // Writes that content as a new version (audited like any edit).
    DeskResult restore(const QString &id, int version);

    // --- Gaps ----------------------------------------------------------------------------------
    // Questions of the last `days` days that the bot handed off for want of an entry, grouped.
    QList<KnowledgeGap> gaps(int days = 30, int limit = 50) const;
    // A new entry prefilled from a group (id = nextId(), source operator).
    KnowledgeEntry entryFromGap(const KnowledgeGap &gap) const;

    // --- Import / export (worker thread) -------------------------------------------------------
    // Format by extension (.jsonl/.ndjson, .json, .csv). Returns false when one is running or the
    // file type is unknown (transferFinished then reports why).
    bool startImport(const QString &path);
    bool startExport(const QString &path);
    void cancelTransfer();
    bool isTransferring() const { return m_thread != nullptr; }

    // Where the errors of an import of `path` are written: next to it, or in the temp dir
    // when that directory is not writable.
    static QString errorFileFor(const QString &path);

signals:
    void entryChanged(const QString &id);
    void entryRemoved(const QString &id);
    void entriesReset();
    void transferProgress(qint64 done, qint64 total);
    void transferFinished(const KnowledgeTransferReport &report);
    // The rows of the search startSearch() returned `serial` for.
    void searchFinished(quint64 serial, const KnowledgeRowPage &page);
    // The entries of the similar search startSimilar() returned `serial` for.
    void similarFound(quint64 serial, const QList<CitedEntry> &entries);

private:
    struct SearchWorker;
    // A search job: run on the worker with its connection and search (both null when the
    // connection cannot be opened); returns what then runs on the desk's thread.
    using SearchJob = std::function<std::function<void()>(Database *, const KnowledgeSearch *)>;
    enum class SearchKind { Table, Similar };
    // Runs `job` on the worker, or lets it wait; a waiting job of the same kind is replaced.
    void enqueueSearch(SearchKind kind, SearchJob job);
    void runSearch(SearchJob job);
    void stopSearchWorker();
    bool startTransfer(KnowledgeTransferReport::Kind kind, const QString &path);
    // The rows of a search over `db` (a table search: the bot's own ranking, one page).
    static KnowledgeRowPage searchRows(Database &db, const KnowledgeSearch &search,
                                       const KnowledgeQuery &query);
    static QList<CitedEntry> similarIn(const KnowledgeSearch &search, const KnowledgeEntry &form,
                                       const QString &excludeId, int limit);
    static QHash<QString, int> citationCounts(Database &db, const QStringList &ids);

    Database &m_db;
    KnowledgeBase &m_kb;
    std::unique_ptr<KnowledgeSearch> m_search;
    QString m_operator;
    QPointer<QThread> m_thread;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::unique_ptr<SearchWorker> m_searchWorker;
    quint64 m_searchSerial = 0;
};

#include "knowledge/knowledgebase.h"

#include <atomic>

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include "knowledge/knowledgeindexer.h"
#include "knowledge/knowledgesearch.h"
#include "logging_p.h"
#include "storage/database.h"
#include "storage/transaction.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// suggestSimilar: the best hit must cover at least this share of the text.
constexpr double kSimilarCoverage = 0.5;

bool failed(const QSqlQuery &q, QString *error)
{
    if (error)
        *error = q.lastError().text();
    qCWarning(lcDb) << "knowledge query failed:" << q.lastQuery().left(200) << q.lastError().text();
    return false;
}

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// A null QString binds as SQL NULL; the text columns are NOT NULL with '' for "none".
QString text(const QString &s)
{
    return s.isNull() ? u""_s : s;
}

QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

QJsonObject KnowledgeBase::fieldValues(const KnowledgeEntry &e)
{
    return QJsonObject{
        {u"title"_s, e.title},
        {u"category"_s, e.category},
        {u"vehicle_models"_s, QJsonArray::fromStringList(e.vehicleModels)},
        {u"symptoms"_s, QJsonArray::fromStringList(e.symptoms)},
        {u"cause"_s, e.cause},
        {u"solution"_s, e.solution},
        {u"tags"_s, QJsonArray::fromStringList(e.tags)},
        {u"source"_s, e.source},
        {u"updated_at"_s, e.updatedAt},
    };
}

bool KnowledgeBase::sameContent(const KnowledgeEntry &a, const KnowledgeEntry &b)
{
    return a.title == b.title && a.category == b.category && a.vehicleModels == b.vehicleModels &&
           a.symptoms == b.symptoms && a.cause == b.cause && a.solution == b.solution && a.tags == b.tags &&
           a.source == b.source;
}

// Prepared once per KnowledgeBase: a bulk import runs them a hundred thousand times.
struct KnowledgeBase::Statements
{
    explicit Statements(const QSqlDatabase &d)
        : find(d)
        , insert(d)
        , update(d)
        , version(d)
        , lastVersion(d)
    {
        find.prepare(u"SELECT "_s + KnowledgeIndexer::selectColumns() +
                     u", version FROM knowledge WHERE id = ?"_s);
        insert.prepare(
            u"INSERT INTO knowledge(id, title, category, vehicle_models, symptoms, cause, solution, tags,"
            " source, updated_at, version) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        update.prepare(
            u"UPDATE knowledge SET title = ?, category = ?, vehicle_models = ?, symptoms = ?, cause = ?,"
            " solution = ?, tags = ?, source = ?, updated_at = ?, version = ? WHERE rid = ?"_s);
        version.prepare(u"INSERT INTO knowledge_versions(entry_id, version, actor, at, action, changes)"
                        " VALUES(?, ?, ?, ?, ?, ?)"_s);
        // A deleted id can come back: its history goes on after the delete.
        lastVersion.prepare(u"SELECT max(version) FROM knowledge_versions WHERE entry_id = ?"_s);
    }
    QSqlQuery find, insert, update, version, lastVersion;
};

KnowledgeBase::KnowledgeBase(Database &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_indexer(std::make_unique<KnowledgeIndexer>(db.db()))
{}

KnowledgeBase::~KnowledgeBase()
{
    m_statements.reset();
    if (m_importThread) {
        qCInfo(lcKnowledge) << "waiting for the running knowledge import to finish";
        m_importThread->wait();
    }
}

QString KnowledgeBase::nowIso()
{
    const QDateTime now = QDateTime::currentDateTime();
    return now.toOffsetFromUtc(now.offsetFromUtc()).toString(Qt::ISODate);
}

bool KnowledgeBase::begin(QString *error)
{
    QSqlDatabase d = m_db.db();
    m_transaction = std::make_unique<Transaction>(d);
    if (!m_transaction->isActive()) {
        m_transaction.reset();
        setError(error, u"cannot start a transaction: %1"_s.arg(d.lastError().text()));
        qCWarning(lcDb) << "cannot start a knowledge transaction:" << d.lastError().text();
        return false;
    }
    return true;
}

bool KnowledgeBase::commit(QString *error)
{
    QString flushError;
    if (!m_indexer->flush(&flushError)) {
        rollback();
        setError(error, flushError);
        return false;
    }
    QSqlDatabase d = m_db.db();
    const bool committed = m_transaction && m_transaction->commit();
    m_transaction.reset();
    if (!committed) {
        setError(error, u"cannot commit: %1"_s.arg(d.lastError().text()));
        qCWarning(lcDb) << "knowledge commit failed:" << d.lastError().text();
        rollback();
        return false;
    }
    return true;
}

void KnowledgeBase::rollback()
{
    // Drop the index writer's pending counts with the transaction.
    m_statements.reset();
    m_indexer = std::make_unique<KnowledgeIndexer>(m_db.db());
    if (m_transaction)
        m_transaction->rollback();
    m_transaction.reset();
}

bool KnowledgeBase::ensureIndexInTransaction(QString *error)
{
    if (KnowledgeIndexer::isCurrent(m_db.db()))
        return true;
    // A fresh database has no index yet: building it is not news (and "another tokenisation"
    // would puzzle whoever reads the first start's log).
    const bool fresh = KnowledgeIndexer::meta(m_db.db(), u"index_version"_s).isEmpty() && count() == 0;
    if (fresh)
        qCDebug(lcKnowledge) << "creating the knowledge search index";
    else
        qCInfo(lcKnowledge) << "the knowledge search index was built by another tokenisation; rebuilding it";
    QString e;
    if (!m_indexer->rebuild(&e)) {
        setError(error, u"cannot rebuild the search index: %1"_s.arg(e));
        return false;
    }
    return true;
}

bool KnowledgeBase::ensureIndex(QString *error)
{
    if (KnowledgeIndexer::isCurrent(m_db.db()))
        return true;
    if (!begin(error))
        return false;
    if (!ensureIndexInTransaction(error)) {
        rollback();
        return false;
    }
    return commit(error);
}

qint64 KnowledgeBase::count() const
{
    QSqlQuery q(m_db.db());
    if (q.exec(u"SELECT count(*) FROM knowledge"_s) && q.next())
        return q.value(0).toLongLong();
    failed(q, nullptr);
    return 0;
}

std::optional<KnowledgeEntry> KnowledgeBase::entry(const QString &id) const
{
    QSqlQuery q(m_db.db());
    q.prepare(u"SELECT "_s + KnowledgeIndexer::selectColumns() + u" FROM knowledge WHERE id = ?"_s);
    q.addBindValue(id);
    if (!q.exec()) {
        failed(q, nullptr);
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return KnowledgeIndexer::entryFromRow(q);
}

QList<KnowledgeEntry> KnowledgeBase::entries(qint64 limit, qint64 offset) const
{
    QList<KnowledgeEntry> out;
    QSqlQuery q(m_db.db());
    q.setForwardOnly(true);
    q.prepare(u"SELECT "_s + KnowledgeIndexer::selectColumns() +
              u" FROM knowledge ORDER BY id LIMIT ? OFFSET ?"_s);
    q.addBindValue(limit < 0 ? qint64(-1) : limit);
    q.addBindValue(std::max<qint64>(0, offset));
    if (!q.exec()) {
        failed(q, nullptr);
        return out;
    }
    while (q.next())
        out << KnowledgeIndexer::entryFromRow(q);
    return out;
}

QList<KnowledgeVersion> KnowledgeBase::versions(const QString &id) const
{
    QList<KnowledgeVersion> out;
    QSqlQuery q(m_db.db());
    q.prepare(
        u"SELECT entry_id, version, actor, at, action, changes FROM knowledge_versions WHERE entry_id = ?"
        " ORDER BY version"_s);
    q.addBindValue(id);
    if (!q.exec()) {
        failed(q, nullptr);
        return out;
    }
    while (q.next()) {
        KnowledgeVersion v;
        v.entryId = q.value(0).toString();
        v.version = q.value(1).toInt();
        v.actor = q.value(2).toString();
        v.at = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
        v.action = q.value(4).toString();
        v.changes = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
        out << v;
    }
    return out;
}

KnowledgeBase::Statements &KnowledgeBase::statements()
{
    if (!m_statements)
        m_statements = std::make_unique<Statements>(m_db.db());
    return *m_statements;
}

bool KnowledgeBase::addVersion(const QString &id, int version, const QString &actor, const QString &action,
                               const QJsonObject &changes, QString *error)
{
    QSqlQuery &v = statements().version;
    v.addBindValue(id);
    v.addBindValue(version);
    v.addBindValue(actor);
    v.addBindValue(QDateTime::currentMSecsSinceEpoch());
    v.addBindValue(action);
    v.addBindValue(compactJson(changes));
    return v.exec() || failed(v, error);
}

std::optional<KnowledgeBase::Existing> KnowledgeBase::findExisting(const QString &id, QString *error,
                                                                   bool *ok)
{
    QSqlQuery &find = statements().find;
    find.addBindValue(id);
    *ok = find.exec();
    if (!*ok) {
        failed(find, error);
        return std::nullopt;
    }
    if (!find.next()) {
        find.finish();
        return std::nullopt;
    }
    Existing existing;
    existing.entry = KnowledgeIndexer::entryFromRow(find, &existing.rid);
    existing.version = find.value(11).toInt();
    find.finish();
    return existing;
}

KnowledgeBase::Write KnowledgeBase::put(const KnowledgeEntry &entry, const QString &actor, bool mustBeNew,
                                        bool mustExist, QString *error)
{
    bool ok = false;
    const std::optional<Existing> existing = findExisting(entry.id, error, &ok);
    if (!ok)
        return Write::Failed;
    QString e;
    if (existing) {
        if (mustBeNew) {
            setError(error, u"an entry with the id %1 exists already"_s.arg(entry.id));
            return Write::Failed;
        }
        const KnowledgeEntry &old = existing->entry;
        if (sameContent(old, entry))
            return Write::Unchanged;
        const QJsonObject before = fieldValues(old);
        const QJsonObject after = fieldValues(entry);
        QJsonObject changes;
        for (auto it = after.constBegin(); it != after.constEnd(); ++it) {
            if (before.value(it.key()) != it.value())
                changes.insert(it.key(), QJsonArray{before.value(it.key()), it.value()});
        }
        QSqlQuery &up = statements().update;
        up.addBindValue(text(entry.title));
        up.addBindValue(text(entry.category));
        up.addBindValue(KnowledgeIndexer::listToJson(entry.vehicleModels));
        up.addBindValue(KnowledgeIndexer::listToJson(entry.symptoms));
        up.addBindValue(text(entry.cause));
        up.addBindValue(text(entry.solution));
        up.addBindValue(KnowledgeIndexer::listToJson(entry.tags));
        up.addBindValue(text(entry.source));
        up.addBindValue(text(entry.updatedAt));
        up.addBindValue(existing->version + 1);
        up.addBindValue(existing->rid);
        if (!up.exec()) {
            failed(up, error);
            return Write::Failed;
        }
        if (!m_indexer->remove(existing->rid, old, &e) || !m_indexer->add(existing->rid, entry, &e)) {
            setError(error, e);
            return Write::Failed;
        }
        if (!addVersion(entry.id, existing->version + 1, actor, u"update"_s, changes, error))
            return Write::Failed;
        return Write::Updated;
    }
    if (mustExist) {
        setError(error, u"there is no entry with the id %1"_s.arg(entry.id));
        return Write::Failed;
    }
    QSqlQuery &ins = statements().insert;
    ins.addBindValue(text(entry.id));
    ins.addBindValue(text(entry.title));
    ins.addBindValue(text(entry.category));
    ins.addBindValue(KnowledgeIndexer::listToJson(entry.vehicleModels));
    ins.addBindValue(KnowledgeIndexer::listToJson(entry.symptoms));
    ins.addBindValue(text(entry.cause));
    ins.addBindValue(text(entry.solution));
    ins.addBindValue(KnowledgeIndexer::listToJson(entry.tags));
    ins.addBindValue(text(entry.source));
    ins.addBindValue(text(entry.updatedAt));
    int version = 1;
    {
        QSqlQuery &last = statements().lastVersion;
        last.addBindValue(entry.id);
        if (!last.exec()) {
            failed(last, error);
            return Write::Failed;
        }
        if (last.next())
            version = last.value(0).toInt() + 1;
        last.finish();
    }
    ins.addBindValue(version);
    if (!ins.exec()) {
        failed(ins, error);
        return Write::Failed;
    }
    const qint64 rid = ins.lastInsertId().toLongLong();
    if (!m_indexer->add(rid, entry, &e)) {
        setError(error, e);
        return Write::Failed;
    }
    if (!addVersion(entry.id, version, actor, u"create"_s, QJsonObject(), error))
        return Write::Failed;
    return Write::Created;
}

bool KnowledgeBase::create(const KnowledgeEntry &entry, const QString &actor, QString *error)
{
    KnowledgeEntry e = entry;
    e.id = e.id.trimmed();
    if (e.source == u"imported"_s)
        e.source = u"operator"_s;
    e.updatedAt = nowIso();
    if (const QString problem = KnowledgeFormat::validate(e); !problem.isEmpty()) {
        setError(error, problem);
        qCWarning(lcKnowledge) << "rejected a new knowledge entry:" << problem;
        return false;
    }
    if (!begin(error))
        return false;
    if (!ensureIndexInTransaction(error) || put(e, actor, true, false, error) != Write::Created) {
        rollback();
        return false;
    }
    if (!commit(error))
        return false;
    qCInfo(lcKnowledge) << "knowledge entry" << e.id << "created by" << actor;
    emit entryChanged(e.id);
    return true;
}

bool KnowledgeBase::update(const KnowledgeEntry &entry, const QString &actor, QString *error)
{
    KnowledgeEntry e = entry;
    e.updatedAt = nowIso();
    if (const QString problem = KnowledgeFormat::validate(e); !problem.isEmpty()) {
        setError(error, problem);
        qCWarning(lcKnowledge) << "rejected an edit of" << e.id << ":" << problem;
        return false;
    }
    if (!begin(error))
        return false;
    Write result = Write::Failed;
    if (!ensureIndexInTransaction(error) || (result = put(e, actor, false, true, error)) == Write::Failed) {
        rollback();
        return false;
    }
    if (!commit(error))
        return false;
    if (result == Write::Updated) {
        qCInfo(lcKnowledge) << "knowledge entry" << e.id << "updated by" << actor;
        emit entryChanged(e.id);
    }
    return true;
}

bool KnowledgeBase::remove(const QString &id, const QString &actor, QString *error)
{
    if (!begin(error))
        return false;
    bool ok = false;
    std::optional<Existing> existing;
    if (ensureIndexInTransaction(error))
        existing = findExisting(id, error, &ok);
    if (ok && !existing)
        setError(error, u"there is no entry with the id %1"_s.arg(id));
    if (!existing) {
        rollback();
        return false;
    }
    QString e;
    if (!m_indexer->remove(existing->rid, existing->entry, &e)) {
        setError(error, e);
        rollback();
        return false;
    }
    QSqlQuery del(m_db.db());
    del.prepare(u"DELETE FROM knowledge WHERE rid = ?"_s);
    del.addBindValue(existing->rid);
    QJsonObject changes;
    const QJsonObject before = fieldValues(existing->entry);
    for (auto it = before.constBegin(); it != before.constEnd(); ++it)
        changes.insert(it.key(), QJsonArray{it.value(), QJsonValue()});
    if (!del.exec()) {
        failed(del, error);
        rollback();
        return false;
    }
    if (!addVersion(id, existing->version + 1, actor, u"delete"_s, changes, error)) {
        rollback();
        return false;
    }
    if (!commit(error))
        return false;
    qCInfo(lcKnowledge) << "knowledge entry" << id << "deleted by" << actor;
    emit entryRemoved(id);
    return true;
}

KnowledgeImportReport KnowledgeBase::importData(const QByteArray &data, KnowledgeFormat::Format format,
                                                const QString &actor, const Progress &progress,
                                                const std::atomic_bool *cancel)
{
    KnowledgeImportReport report;
    report.format = KnowledgeFormat::formatName(format);
    KnowledgeParseResult parsed = KnowledgeFormat::parse(data, format);
    report.total = parsed.entries.size();
    if (!parsed.ok()) {
        report.errors = parsed.errors;
        report.droppedErrors = parsed.droppedErrors;
        report.error =
            u"%1 row(s) rejected; nothing was imported"_s.arg(parsed.errors.size() + parsed.droppedErrors);
        qCWarning(lcKnowledge).noquote()
            << "knowledge import rejected:" << report.error << "- first:"
            << (parsed.errors.isEmpty()
                    ? QString()
                    : u"line %1: %2"_s.arg(parsed.errors.front().line).arg(parsed.errors.front().reason));
        return report;
    }
    if (!begin(&report.error))
        return report;
    if (!ensureIndexInTransaction(&report.error)) {
        rollback();
        return report;
    }
    const qint64 total = parsed.entries.size();
    const qint64 step = std::max<qint64>(1, total / 100);
    if (progress)
        progress(0, total);
    const QString now = nowIso();
    for (qint64 i = 0; i < total; ++i) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            rollback();
            report.created = report.updated = report.unchanged = 0;
            report.cancelled = true;
            report.error = u"cancelled after %1 of %2 entries; nothing was imported"_s.arg(i).arg(total);
            qCInfo(lcKnowledge).noquote() << "knowledge import" << report.error;
            return report;
        }
        KnowledgeEntry &e = parsed.entries[i];
        if (e.updatedAt.isEmpty())
            e.updatedAt = now;
        QString error;
        switch (put(e, actor, false, false, &error)) {
        case Write::Created:
            ++report.created;
            break;
        case Write::Updated:
            ++report.updated;
            break;
        case Write::Unchanged:
            ++report.unchanged;
            break;
        case Write::Failed:
            rollback();
            report.created = report.updated = report.unchanged = 0;
            report.error =
                u"database error at line %1 (%2): %3; nothing was imported"_s.arg(parsed.lines.at(i))
                    .arg(e.id, error);
            qCWarning(lcKnowledge).noquote() << "knowledge import failed:" << report.error;
            return report;
        }
        if (progress && ((i + 1) % step == 0 || i + 1 == total))
            progress(i + 1, total);
    }
    if (!commit(&report.error)) {
        report.created = report.updated = report.unchanged = 0;
        return report;
    }
    report.ok = true;
    qCInfo(lcKnowledge) << "knowledge import by" << actor << ":" << report.created << "created,"
                        << report.updated << "updated," << report.unchanged << "unchanged";
    emit entriesReset();
    return report;
}

KnowledgeImportReport KnowledgeBase::importFile(const QString &path, const QString &actor,
                                                const Progress &progress, const std::atomic_bool *cancel)
{
    KnowledgeImportReport report;
    report.path = path;
    const KnowledgeFormat::Format format = KnowledgeFormat::formatForPath(path);
    report.format = KnowledgeFormat::formatName(format);
    if (format == KnowledgeFormat::Format::Unknown) {
        report.error = u"%1: unknown file type (use .jsonl, .json or .csv)"_s.arg(path);
        return report;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        report.error = u"cannot read %1: %2"_s.arg(path, f.errorString());
        return report;
    }
    if (f.size() > KnowledgeFormat::kMaxFileBytes) {
        report.error = u"%1 is larger than %2 bytes"_s.arg(path).arg(KnowledgeFormat::kMaxFileBytes);
        return report;
    }
    const QByteArray data = f.readAll();
    report = importData(data, format, actor, progress, cancel);
    report.path = path;
    return report;
}

QByteArray KnowledgeBase::exportData(KnowledgeFormat::Format format) const
{
    return KnowledgeFormat::serialize(entries(), format);
}

bool KnowledgeBase::exportFile(const QString &path, QString *error, qint64 *count) const
{
    const KnowledgeFormat::Format format = KnowledgeFormat::formatForPath(path);
    if (format == KnowledgeFormat::Format::Unknown) {
        setError(error, u"%1: unknown file type (use .jsonl, .json or .csv)"_s.arg(path));
        return false;
    }
    const QList<KnowledgeEntry> all = entries();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        setError(error, u"cannot write %1: %2"_s.arg(path, f.errorString()));
        return false;
    }
    f.write(KnowledgeFormat::serialize(all, format));
    if (!f.commit()) {
        setError(error, u"cannot write %1: %2"_s.arg(path, f.errorString()));
        return false;
    }
    if (count)
        *count = all.size();
    qCInfo(lcKnowledge) << "exported" << all.size() << "knowledge entries to" << path;
    return true;
}

bool KnowledgeBase::importFileAsync(const QString &path, const QString &actor)
{
    if (m_importThread)
        return false;
    static std::atomic<int> serial{0};
    const QString connection = u"%1-kb-import-%2"_s.arg(m_db.connectionName()).arg(++serial);
    Database &mainDb = m_db;
    QPointer<KnowledgeBase> self(this);
    QThread *thread = QThread::create([self, &mainDb, path, actor, connection] {
        KnowledgeImportReport report;
        {
            Database db(connection);
            if (!db.openLike(mainDb)) {
                report.path = path;
                report.error = u"cannot open the database for the import: %1"_s.arg(db.errorString());
            } else {
                KnowledgeBase worker(db);
                qint64 lastDone = -1;
                report = worker.importFile(path, actor, [self, &lastDone](qint64 done, qint64 total) {
                    if (done == lastDone)
                        return;
                    lastDone = done;
                    QMetaObject::invokeMethod(
                        self,
                        [self, done, total] {
                            if (self)
                                emit self->importProgress(done, total);
                        },
                        Qt::QueuedConnection);
                });
            }
        }
        QMetaObject::invokeMethod(
            self,
            [self, report] {
                if (!self)
                    return;
                if (report.ok)
                    emit self->entriesReset();
                emit self->importFinished(report);
            },
            Qt::QueuedConnection);
    });
    m_importThread = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    return true;
}

bool KnowledgeBase::seedIfEmpty(QString *error)
{
    if (!ensureIndex(error))
        return false;
    if (count() > 0)
        return true;
    const KnowledgeImportReport report = importFile(bundledResource(), u"seed"_s);
    if (!report.ok) {
        setError(error, report.error);
        qCWarning(lcKnowledge) << "could not seed the knowledge base:" << report.error;
        return false;
    }
    qCInfo(lcKnowledge) << "seeded the knowledge base with" << report.created << "demo entries";
    return true;
}

bool KnowledgeBase::isSeeded() const
{
    return !KnowledgeIndexer::meta(m_db.db(), u"seeded"_s).isEmpty();
}

bool KnowledgeBase::ensureSeeded(QString *error)
{
    if (!ensureIndex(error))
        return false;
    if (isSeeded())
        return true;
    if (count() > 0) {
        // Entries from before (an import, an older version): not a fresh install.
        return KnowledgeIndexer::setMeta(m_db.db(), u"seeded"_s, u"existing "_s + nowIso(), error);
    }
    const KnowledgeImportReport report = importFile(bundledResource(), u"seed"_s);
    if (!report.ok) {
        setError(error, report.error);
        qCWarning(lcKnowledge) << "could not seed the knowledge base:" << report.error;
        return false;
    }
    qCInfo(lcKnowledge) << "seeded the knowledge base with" << report.created << "demo entries";
    return KnowledgeIndexer::setMeta(m_db.db(), u"seeded"_s, u"demo "_s + nowIso(), error);
}

std::optional<KnowledgeHit> KnowledgeBase::suggestSimilar(const QString &text) const
{
    KnowledgeSearch search(m_db);
    const KnowledgeSearchResult result = search.search(text, 1);
    if (result.hits.isEmpty() || !result.answerable || result.hits.front().coverage < kSimilarCoverage)
        return std::nullopt;
    return result.hits.front();
}

QString KnowledgeBase::nextId() const
{
    QSqlQuery q(m_db.db());
    qint64 max = 0;
    if (q.exec(u"SELECT max(CAST(substr(id, 4) AS INTEGER)) FROM knowledge"
               " WHERE id GLOB 'KB-[0-9]*' AND NOT substr(id, 4) GLOB '*[^0-9]*'"_s) &&
        q.next())
        max = q.value(0).toLongLong();
    else if (q.lastError().isValid())
        failed(q, nullptr);
    return u"KB-%1"_s.arg(max + 1, 4, 10, QLatin1Char('0'));
}

std::optional<KnowledgeEntry> KnowledgeBase::promote(const KnowledgePromotion &p, const QString &actor,
                                                     QString *error)
{
    if (p.title.trimmed().isEmpty() || p.answer.trimmed().isEmpty()) {
        setError(error, u"a promoted entry needs a title and an answer"_s);
        return std::nullopt;
    }
    KnowledgeEntry e;
    e.id = nextId();
    e.title = p.title.trimmed();
    e.category = p.category;
    e.vehicleModels = p.vehicleModels;
    if (!p.question.trimmed().isEmpty())
        e.symptoms << p.question.trimmed();
    e.cause = p.cause;
    e.solution = p.answer.trimmed();
    e.tags = p.tags;
    e.source = u"promoted"_s;
    if (!create(e, actor, error))
        return std::nullopt;
    return entry(e.id);
}

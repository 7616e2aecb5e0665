#include "knowledge/knowledgeindexer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include "logging_p.h"

using namespace Qt::Literals::StringLiterals;

namespace {

bool failed(const QSqlQuery &q, QString *error)
{
    *error = q.lastError().text();
    qCWarning(lcDb) << "knowledge index query failed:" << q.lastQuery().left(200) << q.lastError().text();
    return false;
}

QString joinLines(const QStringList &list)
{
    return list.join(QLatin1Char('\n'));
}

// "全系车型" (all models) is the data's way to say "no particular model".
QStringList specificModels(const QStringList &models)
{
    QStringList out;
    for (const QString &m : models) {
        if (m != u"全系车型"_s)
            out << m;
    }
    return out;
}

} // namespace

KnowledgeIndexer::KnowledgeIndexer(const QSqlDatabase &db)
    : m_db(db)
{}

KnowledgeIndexer::~KnowledgeIndexer() = default;

QString KnowledgeIndexer::selectColumns()
{
    return u"rid, id, title, category, vehicle_models, symptoms, cause, solution, tags, source, updated_at"_s;
}

QString KnowledgeIndexer::listToJson(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList KnowledgeIndexer::listFromJson(const QString &json)
{
    QStringList out;
    const QJsonArray a = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &v : a)
        out << v.toString();
    return out;
}

KnowledgeEntry KnowledgeIndexer::entryFromRow(const QSqlQuery &q, qint64 *rid)
{
    KnowledgeEntry e;
    if (rid)
        *rid = q.value(0).toLongLong();
    e.id = q.value(1).toString();
    e.title = q.value(2).toString();
    e.category = q.value(3).toString();
    e.vehicleModels = listFromJson(q.value(4).toString());
    e.symptoms = listFromJson(q.value(5).toString());
    e.cause = q.value(6).toString();
    e.solution = q.value(7).toString();
    e.tags = listFromJson(q.value(8).toString());
    e.source = q.value(9).toString();
    e.updatedAt = q.value(10).toString();
    return e;
}

QString KnowledgeIndexer::searchText(const KnowledgeEntry &e)
{
    return Segmenter::normalize(e.title + u'\n' + joinLines(e.symptoms) + u'\n' + e.cause + u'\n' +
                                joinLines(e.tags) + u'\n' + e.category + u'\n' + e.solution);
}

KnowledgeIndexer::Columns KnowledgeIndexer::columns(const KnowledgeEntry &e) const
{
    auto tokens = [this](const QString &text) -> QString {
        return m_segmenter.indexTokens(Segmenter::normalize(text)).join(QLatin1Char(' '));
    };
    Columns c;
    c.title = tokens(e.title);
    c.symptoms = tokens(joinLines(e.symptoms));
    c.cause = tokens(e.cause);
    c.tags =
        tokens(joinLines(e.tags) + u'\n' + e.category + u'\n' + joinLines(specificModels(e.vehicleModels)));
    c.solution = tokens(e.solution);
    return c;
}

void KnowledgeIndexer::countChars(const KnowledgeEntry &entry, int delta)
{
    const QString text = searchText(entry);
    QSet<QChar> seen;
    for (const QChar c : text) {
        if (Segmenter::isCjk(c) && !seen.contains(c)) {
            seen.insert(c);
            m_dfDelta[c] += delta;
        }
    }
}

bool KnowledgeIndexer::write(bool remove, qint64 rid, const KnowledgeEntry &entry, QString *error)
{
    const Columns c = columns(entry);
    std::unique_ptr<QSqlQuery> &q = remove ? m_delete : m_insert;
    if (!q) {
        q = std::make_unique<QSqlQuery>(m_db);
        q->prepare(
            remove
                ? u"INSERT INTO knowledge_fts(knowledge_fts, rowid, title, symptoms, cause, tags, solution)"
                  " VALUES('delete', ?, ?, ?, ?, ?, ?)"_s
                : u"INSERT INTO knowledge_fts(rowid, title, symptoms, cause, tags, solution)"
                  " VALUES(?, ?, ?, ?, ?, ?)"_s);
    }
    q->addBindValue(rid);
    q->addBindValue(c.title);
    q->addBindValue(c.symptoms);
    q->addBindValue(c.cause);
    q->addBindValue(c.tags);
    q->addBindValue(c.solution);
    if (!q->exec())
        return failed(*q, error);
    m_dirty = true;
    return true;
}

bool KnowledgeIndexer::add(qint64 rid, const KnowledgeEntry &entry, QString *error)
{
    if (!write(false, rid, entry, error))
        return false;
    countChars(entry, +1);
    return true;
}

bool KnowledgeIndexer::remove(qint64 rid, const KnowledgeEntry &entry, QString *error)
{
    // A contentless table forgets a row given exactly the tokens it was indexed with.
    if (!write(true, rid, entry, error))
        return false;
    countChars(entry, -1);
    return true;
}

bool KnowledgeIndexer::flush(QString *error)
{
    if (!m_dirty && m_dfDelta.isEmpty())
        return true;
    QSqlQuery q(m_db);
    q.prepare(
        u"INSERT INTO knowledge_chardf(ch, df) VALUES(?, ?) ON CONFLICT(ch) DO UPDATE SET df = df + excluded.df"_s);
    for (auto it = m_dfDelta.constBegin(); it != m_dfDelta.constEnd(); ++it) {
        if (it.value() == 0)
            continue;
        q.addBindValue(QString(it.key()));
        q.addBindValue(it.value());
        if (!q.exec())
            return failed(q, error);
    }
    m_dfDelta.clear();
    QSqlQuery d(m_db);
    if (!d.exec(u"DELETE FROM knowledge_chardf WHERE df <= 0"_s))
        return failed(d, error);
    QSqlQuery g(m_db);
    if (!g.exec(u"INSERT INTO knowledge_meta(key, value) VALUES('generation', '1')"
                " ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"_s))
        return failed(g, error);
    m_dirty = false;
    return true;
}

bool KnowledgeIndexer::rebuild(QString *error)
{
    QSqlQuery q(m_db);
    if (!q.exec(u"INSERT INTO knowledge_fts(knowledge_fts) VALUES('delete-all')"_s) ||
        !q.exec(u"DELETE FROM knowledge_chardf"_s))
        return failed(q, error);
    m_dfDelta.clear();
    QSqlQuery all(m_db);
    all.setForwardOnly(true);
    if (!all.exec(u"SELECT "_s + selectColumns() + u" FROM knowledge"_s))
        return failed(all, error);
    qint64 n = 0;
    while (all.next()) {
        qint64 rid = 0;
        const KnowledgeEntry e = entryFromRow(all, &rid);
        if (!add(rid, e, error))
            return false;
        ++n;
    }
    m_dirty = true;
    if (!flush(error) || !setMeta(m_db, u"index_version"_s, Segmenter::fingerprint(), error))
        return false;
    if (n > 0)
        qCInfo(lcKnowledge) << "rebuilt the knowledge search index:" << n << "entries";
    return true;
}

bool KnowledgeIndexer::isCurrent(const QSqlDatabase &db)
{
    return meta(db, u"index_version"_s) == Segmenter::fingerprint();
}

QString KnowledgeIndexer::meta(const QSqlDatabase &db, const QString &key)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT value FROM knowledge_meta WHERE key = ?"_s);
    q.addBindValue(key);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return {};
}

bool KnowledgeIndexer::setMeta(const QSqlDatabase &db, const QString &key, const QString &value,
                               QString *error)
{
    QSqlQuery q(db);
    q.prepare(
        u"INSERT INTO knowledge_meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s);
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        return failed(q, error);
    return true;
}

#include "desk/knowledgedesk.h"

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QSaveFile>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgeformat.h"
#include "knowledge/knowledgeindexer.h"
#include "knowledge/knowledgesearch.h"
#include "knowledge/segmenter.h"
#include "logging_p.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kSearchLimit = 100; // hits a table search shows
constexpr qint64 kCitationWindowMs = 7LL * 24 * 3600 * 1000;
constexpr int kGapQuestions = 2000;    // newest handed-off questions grouped
constexpr double kGapSimilarity = 0.5; // overlap of character bigrams to join a group
constexpr int kExportChunk = 2000;

void logFailure(const QSqlQuery &q)
{
    qCWarning(lcDb) << "knowledge desk query failed:" << q.lastQuery().left(200) << q.lastError().text();
}

QString jsonText(const QJsonValue &v)
{
    if (v.isArray()) {
        QStringList items;
        for (const QJsonValue &item : v.toArray())
            items << item.toString();
        return items.join(QLatin1Char('\n'));
    }
    return v.isNull() || v.isUndefined() ? QString() : v.toString();
}

QStringList listOf(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out << item.toString();
    return out;
}

KnowledgeEntry entryOf(const QString &id, const QJsonObject &o)
{
    KnowledgeEntry e;
    e.id = id;
    e.title = o.value(u"title"_s).toString();
    e.category = o.value(u"category"_s).toString();
    e.vehicleModels = listOf(o.value(u"vehicle_models"_s));
    e.symptoms = listOf(o.value(u"symptoms"_s));
    e.cause = o.value(u"cause"_s).toString();
    e.solution = o.value(u"solution"_s).toString();
    e.tags = listOf(o.value(u"tags"_s));
    e.source = o.value(u"source"_s).toString(u"operator"_s);
    e.updatedAt = o.value(u"updated_at"_s).toString();
    return e;
}

// Character bigrams (CJK) and words (other scripts) of normalised text: what gap grouping compares.
QSet<QString> shingles(const QString &text)
{
    QSet<QString> out;
    for (const QString &run : Segmenter::runs(Segmenter::normalize(text))) {
        if (Segmenter::isCjkRun(run)) {
            if (run.size() == 1)
                out.insert(run);
            for (qsizetype i = 0; i + 1 < run.size(); ++i)
                out.insert(run.mid(i, 2));
        } else {
            out.insert(run);
        }
    }
    return out;
}

// The share of the shorter question's bigrams the other one has too (the overlap coefficient):
// "车机如何连接WiFi" and "车机怎么连接家里的WiFi" differ in their question words and details,
// which Jaccard would weigh as heavily as the subject.
double overlap(const QSet<QString> &a, const QSet<QString> &b)
{
    if (a.isEmpty() || b.isEmpty())
        return 0;
    qsizetype common = 0;
    const QSet<QString> &small = a.size() < b.size() ? a : b;
    const QSet<QString> &large = a.size() < b.size() ? b : a;
    for (const QString &s : small)
        common += large.contains(s) ? 1 : 0;
    return double(common) / double(small.size());
}

QString formText(const KnowledgeEntry &e)
{
    QStringList parts{e.title};
    parts << e.symptoms << e.cause;
    parts.removeAll(QString());
    return parts.join(QLatin1Char(' ')).simplified();
}

} // namespace

KnowledgeDesk::KnowledgeDesk(Database &db, KnowledgeBase &kb, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_kb(kb)
    , m_search(std::make_unique<KnowledgeSearch>(db))
    , m_operator(qEnvironmentVariable("USER", u"operator"_s))
{
    qRegisterMetaType<KnowledgeTransferReport>();
    connect(&m_kb, &KnowledgeBase::entryChanged, this, &KnowledgeDesk::entryChanged);
    connect(&m_kb, &KnowledgeBase::entryRemoved, this, &KnowledgeDesk::entryRemoved);
    connect(&m_kb, &KnowledgeBase::entriesReset, this, &KnowledgeDesk::entriesReset);
}

KnowledgeDesk::~KnowledgeDesk()
{
    stopSearchWorker();
    if (m_thread) {
        m_cancel->store(true);
        m_thread->wait();
    }
}

// --- Table -----------------------------------------------------------------------------------

int KnowledgeDesk::count(const KnowledgeQuery &query) const
{
    if (!query.text.trimmed().isEmpty())
        return int(page(query).rows.size());
    QSqlQuery q(m_db.db());
    q.prepare(query.category.isEmpty() ? u"SELECT count(*) FROM knowledge"_s
                                       : u"SELECT count(*) FROM knowledge WHERE category = ?"_s);
    if (!query.category.isEmpty())
        q.addBindValue(query.category);
    if (!q.exec() || !q.next()) {
        logFailure(q);
        return 0;
    }
    return q.value(0).toInt();
}

QHash<QString, int> KnowledgeDesk::citationCounts(Database &db, const QStringList &ids)
{
    QHash<QString, int> out;
    if (ids.isEmpty())
        return out;
    QStringList marks(ids.size(), u"?"_s);
    QSqlQuery q(db.db());
    q.prepare(u"SELECT entry_id, count(*) FROM knowledge_citations WHERE cited_at >= ? AND entry_id IN ("_s +
              marks.join(QLatin1Char(',')) + u") GROUP BY entry_id"_s);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch() - kCitationWindowMs);
    for (const QString &id : ids)
        q.addBindValue(id);
    if (!q.exec()) {
        logFailure(q);
        return out;
    }
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toInt());
    return out;
}

KnowledgeRowPage KnowledgeDesk::searchRows(Database &db, const KnowledgeSearch &search,
                                           const KnowledgeQuery &query)
{
    KnowledgeRowPage out;
    const KnowledgeSearchResult result = search.search(query.text.trimmed(), kSearchLimit);
    QStringList ids;
    for (const KnowledgeHit &h : result.hits) {
        if (!query.category.isEmpty() && h.entry.category != query.category)
            continue;
        out.rows << KnowledgeRow{h.entry.id,
                                 h.entry.title,
                                 h.entry.category,
                                 h.entry.vehicleModels,
                                 h.entry.updatedAt,
                                 h.entry.source,
                                 0,
                                 h.score};
        ids << h.entry.id;
    }
    const QHash<QString, int> cited = citationCounts(db, ids);
    for (KnowledgeRow &r : out.rows)
        r.citations = cited.value(r.id);
    return out;
}

KnowledgeRowPage KnowledgeDesk::page(const KnowledgeQuery &query, const QString &afterId, int limit) const
{
    KnowledgeRowPage out;
    limit = std::clamp(limit, 1, 5000);
    if (!query.text.trimmed().isEmpty())
        return afterId.isEmpty() ? searchRows(m_db, *m_search, query) : out; // a search is one page
    QString sql =
        u"SELECT id, title, category, vehicle_models, updated_at, source FROM knowledge WHERE id > ?"_s;
    if (!query.category.isEmpty())
        sql += u" AND category = ?"_s;
    sql += u" ORDER BY id LIMIT ?"_s;
    QSqlQuery q(m_db.db());
    q.setForwardOnly(true);
    q.prepare(sql);
    q.addBindValue(afterId.isEmpty() ? u""_s : afterId); // a null string would bind NULL
    if (!query.category.isEmpty())
        q.addBindValue(query.category);
    q.addBindValue(limit + 1);
    if (!q.exec()) {
        logFailure(q);
        return out;
    }
    while (q.next()) {
        if (out.rows.size() == limit) {
            out.hasMore = true;
            break;
        }
        out.rows << KnowledgeRow{q.value(0).toString(), q.value(1).toString(),
                                 q.value(2).toString(), KnowledgeIndexer::listFromJson(q.value(3).toString()),
                                 q.value(4).toString(), q.value(5).toString()};
    }
    QStringList ids;
    for (const KnowledgeRow &r : std::as_const(out.rows))
        ids << r.id;
    const QHash<QString, int> cited = citationCounts(m_db, ids);
    for (KnowledgeRow &r : out.rows)
        r.citations = cited.value(r.id);
    return out;
}

// --- Search on a worker ------------------------------------------------------------------------

// The table's and the form's searches: a thread with a connection and a KnowledgeSearch of its
// own (made and destroyed on that thread). One job runs at a time; of each kind, the newest one
// asked for meanwhile waits.
struct KnowledgeDesk::SearchWorker
{
    QThread thread;
    QObject *context = nullptr; // lives on `thread`
    std::unique_ptr<Database> db;
    std::unique_ptr<KnowledgeSearch> search;
    bool busy = false;
    QList<std::pair<SearchKind, SearchJob>> waiting; // oldest first, one per kind
};

quint64 KnowledgeDesk::startSearch(const KnowledgeQuery &query)
{
    const quint64 serial = ++m_searchSerial;
    enqueueSearch(SearchKind::Table, [this, serial, query](Database *db, const KnowledgeSearch *search) {
        const KnowledgeRowPage rows = search ? searchRows(*db, *search, query) : KnowledgeRowPage{};
        return std::function<void()>([this, serial, rows] { emit searchFinished(serial, rows); });
    });
    return serial;
}

quint64 KnowledgeDesk::startSimilar(const KnowledgeEntry &form, const QString &excludeId, int limit)
{
    const quint64 serial = ++m_searchSerial;
    enqueueSearch(SearchKind::Similar, [this, serial, form, excludeId, limit](Database *,
                                                                              const KnowledgeSearch *search) {
        const QList<CitedEntry> found =
            search ? similarIn(*search, form, excludeId, limit) : QList<CitedEntry>{};
        return std::function<void()>([this, serial, found] { emit similarFound(serial, found); });
    });
    return serial;
}

void KnowledgeDesk::enqueueSearch(SearchKind kind, SearchJob job)
{
    if (!m_searchWorker) {
        m_searchWorker = std::make_unique<SearchWorker>();
        m_searchWorker->thread.setObjectName(u"kb-desk-search"_s);
        m_searchWorker->context = new QObject;
        m_searchWorker->context->moveToThread(&m_searchWorker->thread);
        m_searchWorker->thread.start();
    }
    SearchWorker *w = m_searchWorker.get();
    if (!w->busy) {
        runSearch(std::move(job));
        return;
    }
    for (auto &[k, waiting] : w->waiting) {
        if (k == kind) {
            waiting = std::move(job);
            return;
        }
    }
    w->waiting.append({kind, std::move(job)});
}

void KnowledgeDesk::runSearch(SearchJob job)
{
    SearchWorker *w = m_searchWorker.get();
    w->busy = true;
    static std::atomic<int> connections{0};
    const QString connection = u"%1-kb-desk-search-%2"_s.arg(m_db.connectionName()).arg(++connections);
    Database *mainDb = &m_db;
    QMetaObject::invokeMethod(w->context, [this, w, mainDb, connection, job = std::move(job)] {
        if (!w->db) {
            w->db = std::make_unique<Database>(connection);
            if (w->db->openLike(*mainDb))
                w->search = std::make_unique<KnowledgeSearch>(*w->db);
            else
                qCWarning(lcKnowledge).noquote()
                    << "knowledge desk search: cannot open the database:" << w->db->errorString();
        }
        std::function<void()> deliver = job(w->search ? w->db.get() : nullptr, w->search.get());
        // Queued to the desk, which outlives the worker (its destructor waits for the thread).
        QMetaObject::invokeMethod(this, [this, deliver = std::move(deliver)] {
            m_searchWorker->busy = false;
            deliver();
            if (!m_searchWorker->waiting.isEmpty())
                runSearch(m_searchWorker->waiting.takeFirst().second);
        });
    });
}

void KnowledgeDesk::stopSearchWorker()
{
    if (!m_searchWorker)
        return;
    SearchWorker *w = m_searchWorker.get();
    // The search and its connection end on the thread that used them, then the thread ends.
    QMetaObject::invokeMethod(
        w->context,
        [w] {
            w->search.reset();
            w->db.reset();
            delete w->context;
        },
        Qt::BlockingQueuedConnection);
    w->thread.quit();
    w->thread.wait();
    m_searchWorker.reset();
}

QStringList KnowledgeDesk::categories() const
{
    QStringList out;
    QSqlQuery q(m_db.db());
    if (!q.exec(u"SELECT DISTINCT category FROM knowledge WHERE category <> '' ORDER BY category"_s)) {
        logFailure(q);
        return out;
    }
    while (q.next())
        out << q.value(0).toString();
    return out;
}

std::optional<KnowledgeEntry> KnowledgeDesk::entry(const QString &id) const
{
    return m_kb.entry(id);
}

QString KnowledgeDesk::nextId() const
{
    return m_kb.nextId();
}

// --- Editing ---------------------------------------------------------------------------------

QList<KnowledgeFieldError> KnowledgeDesk::validate(const KnowledgeEntry &e, bool isNew) const
{
    QList<KnowledgeFieldError> out;
    const auto tooLong = [](const QString &s, qsizetype max) { return s.size() > max; };
    if (e.title.trimmed().isEmpty())
        out << KnowledgeFieldError{u"title"_s, tr("Enter a title: a short description of the problem.")};
    else if (tooLong(e.title, KnowledgeFormat::kMaxShortText))
        out << KnowledgeFieldError{
            u"title"_s,
            tr("The title is too long (at most %1 characters).").arg(KnowledgeFormat::kMaxShortText)};
    if (e.category.trimmed().isEmpty())
        out << KnowledgeFieldError{u"category"_s, tr("Choose or type a category.")};
    else if (tooLong(e.category, KnowledgeFormat::kMaxShortText))
        out << KnowledgeFieldError{
            u"category"_s,
            tr("The category is too long (at most %1 characters).").arg(KnowledgeFormat::kMaxShortText)};
    if (e.solution.trimmed().isEmpty())
        out << KnowledgeFieldError{u"solution"_s,
                                   tr("Enter the solution: it is what the bot answers the customer.")};
    else if (tooLong(e.solution, KnowledgeFormat::kMaxLongText))
        out << KnowledgeFieldError{
            u"solution"_s,
            tr("The solution is too long (at most %1 characters).").arg(KnowledgeFormat::kMaxLongText)};
    if (tooLong(e.cause, KnowledgeFormat::kMaxLongText))
        out << KnowledgeFieldError{
            u"cause"_s,
            tr("The cause is too long (at most %1 characters).").arg(KnowledgeFormat::kMaxLongText)};
    const QList<std::pair<QString, QStringList>> lists{
        {u"vehicle_models"_s, e.vehicleModels}, {u"symptoms"_s, e.symptoms}, {u"tags"_s, e.tags}};
    for (const auto &[field, items] : lists) {
        if (items.size() > KnowledgeFormat::kMaxListItems)
            out << KnowledgeFieldError{
                field, tr("Too many items (at most %1).").arg(KnowledgeFormat::kMaxListItems)};
        for (const QString &item : items) {
            if (tooLong(item, KnowledgeFormat::kMaxShortText)) {
                out << KnowledgeFieldError{
                    field,
                    tr("An item is too long (at most %1 characters).").arg(KnowledgeFormat::kMaxShortText)};
                break;
            }
        }
    }
    if (isNew && !e.id.trimmed().isEmpty() && m_kb.entry(e.id.trimmed()))
        out << KnowledgeFieldError{
            u"id"_s, tr("An entry with the id %1 exists already: edit it instead.").arg(e.id.trimmed())};
    if (!isNew && !m_kb.entry(e.id))
        out << KnowledgeFieldError{u"id"_s,
                                   tr("The entry %1 no longer exists (deleted meanwhile?).").arg(e.id)};
    if (out.isEmpty()) {
        KnowledgeEntry check = e;
        if (check.id.trimmed().isEmpty())
            check.id = u"KB-0"_s;
        if (const QString problem = KnowledgeFormat::validate(check); !problem.isEmpty())
            out << KnowledgeFieldError{QString(), problem};
    }
    return out;
}

DeskResult KnowledgeDesk::save(const KnowledgeEntry &entry, bool isNew, QString *savedId)
{
    KnowledgeEntry e = entry;
    e.title = e.title.trimmed();
    e.category = e.category.trimmed();
    e.id = e.id.trimmed();
    if (const QList<KnowledgeFieldError> problems = validate(e, isNew); !problems.isEmpty()) {
        QStringList messages;
        for (const KnowledgeFieldError &p : problems)
            messages << p.message;
        return DeskResult::failure(messages.join(QLatin1Char('\n')));
    }
    QString error;
    if (isNew) {
        if (e.id.isEmpty())
            e.id = m_kb.nextId();
        if (e.source.isEmpty() || e.source == u"imported"_s)
            e.source = u"operator"_s;
        if (!m_kb.create(e, m_operator, &error))
            return DeskResult::failure(tr("The entry was not saved: %1").arg(error));
    } else {
        if (e.source.isEmpty())
            e.source = u"operator"_s;
        if (!m_kb.update(e, m_operator, &error))
            return DeskResult::failure(tr("The entry was not saved: %1").arg(error));
    }
    if (savedId)
        *savedId = e.id;
    return DeskResult::success();
}

QList<CitedEntry> KnowledgeDesk::similar(const KnowledgeEntry &form, const QString &excludeId,
                                         int limit) const
{
    return similarIn(*m_search, form, excludeId, limit);
}

QList<CitedEntry> KnowledgeDesk::similarIn(const KnowledgeSearch &search, const KnowledgeEntry &form,
                                           const QString &excludeId, int limit)
{
    QList<CitedEntry> out;
    const QString text = formText(form);
    if (text.size() < 2)
        return out;
    const KnowledgeSearchResult result = search.search(text, limit + 1);
    for (const KnowledgeHit &h : result.hits) {
        if (h.entry.id == excludeId)
            continue;
        if (out.size() == limit)
            break;
        out << CitedEntry{h.entry.id, h.entry.title, h.score};
    }
    return out;
}

// --- History ---------------------------------------------------------------------------------

QList<KnowledgeHistoryItem> KnowledgeDesk::history(const QString &id) const
{
    QList<KnowledgeHistoryItem> out;
    const QList<KnowledgeVersion> versions = m_kb.versions(id);
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        KnowledgeHistoryItem item;
        item.version = it->version;
        item.actor = it->actor;
        item.at = it->at.toMSecsSinceEpoch();
        item.action = it->action;
        item.restorable = it->action != u"delete"_s;
        for (auto c = it->changes.constBegin(); c != it->changes.constEnd(); ++c) {
            if (c.key() == u"updated_at"_s)
                continue; // every edit changes it: not news
            const QJsonArray pair = c.value().toArray();
            item.changes << KnowledgeFieldChange{c.key(), jsonText(pair.at(0)), jsonText(pair.at(1))};
        }
        out << item;
    }
    return out;
}

std::optional<KnowledgeEntry> KnowledgeDesk::entryAtVersion(const QString &id, int version) const
{
    const QList<KnowledgeVersion> versions = m_kb.versions(id); // oldest first
    const std::optional<KnowledgeEntry> current = m_kb.entry(id);
    std::optional<QJsonObject> state;
    if (current)
        state = KnowledgeBase::fieldValues(*current);
    bool found = false;
    for (auto it = versions.crbegin(); it != versions.crend(); ++it) {
        if (it->version == version) {
            found = true;
            break;
        }
        if (it->version < version)
            break;
        // Undo this version: go back to the state before it.
        if (it->action == u"create"_s) {
            state.reset();
        } else if (it->action == u"delete"_s) {
            QJsonObject before;
            for (auto c = it->changes.constBegin(); c != it->changes.constEnd(); ++c)
                before.insert(c.key(), c.value().toArray().at(0));
            state = before;
        } else if (state) {
            for (auto c = it->changes.constBegin(); c != it->changes.constEnd(); ++c)
                state->insert(c.key(), c.value().toArray().at(0));
        }
    }
    if (!found || !state)
        return std::nullopt;
    return entryOf(id, *state);
}

DeskResult KnowledgeDesk::restore(const QString &id, int version)
{
    std::optional<KnowledgeEntry> old = entryAtVersion(id, version);
    if (!old)
        return DeskResult::failure(tr("Version %1 of %2 cannot be restored.").arg(version).arg(id));
    const std::optional<KnowledgeEntry> current = m_kb.entry(id);
    if (current && KnowledgeBase::sameContent(*current, *old))
        return DeskResult::failure(
            tr("Version %1 is the same as the current entry: nothing to restore.").arg(version));
    QString error;
    const bool ok = current ? m_kb.update(*old, m_operator, &error) : m_kb.create(*old, m_operator, &error);
    if (!ok)
        return DeskResult::failure(tr("Version %1 was not restored: %2").arg(version).arg(error));
    qCInfo(lcKnowledge) << "knowledge entry" << id << "restored to version" << version << "by" << m_operator;
    return DeskResult::success(version);
}

// --- Gaps ------------------------------------------------------------------------------------

QList<KnowledgeGap> KnowledgeDesk::gaps(int days, int limit) const
{
    struct Question
    {
        qint64 messageId = 0;
        QString text;
        qint64 at = 0;
        qint64 sessionId = 0;
        QString category;
    };
    QList<Question> questions;
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - qint64(std::max(1, days)) * 24 * 3600 * 1000;
    QSqlQuery q(m_db.db());
    q.setForwardOnly(true);
    // Auto mode: the bot turn that handed off names the customer message it answers. Review
    // mode: the draft holds the customer turn. (A draft sent later makes a bot turn too: the
    // customer message id keeps each question once.)
    q.prepare(u"SELECT c.id, c.content, c.created_at, c.session_id, coalesce(a.category, '')"
              " FROM messages b"
              " JOIN messages c ON c.feishu_message_id = json_extract(b.meta, '$.in_reply_to') AND c.role = "
              "'customer'"
              " LEFT JOIN analysis a ON a.session_id = c.session_id"
              " WHERE b.created_at >= ? AND b.role = 'bot' AND b.meta IS NOT NULL AND json_valid(b.meta)"
              " AND json_extract(b.meta, '$.source') = 'handoff'"
              " UNION ALL"
              " SELECT c.id, c.content, c.created_at, c.session_id, coalesce(a.category, '')"
              " FROM drafts d JOIN messages c ON c.id = d.inbound_message_id"
              " LEFT JOIN analysis a ON a.session_id = c.session_id"
              " WHERE d.created_at >= ? AND d.source = 'handoff'"
              " ORDER BY 3 DESC LIMIT ?"_s);
    q.addBindValue(since);
    q.addBindValue(since);
    q.addBindValue(kGapQuestions);
    if (!q.exec()) {
        logFailure(q);
        return {};
    }
    QSet<qint64> seen;
    while (q.next()) {
        const qint64 mid = q.value(0).toLongLong();
        if (seen.contains(mid) || q.value(1).toString().trimmed().isEmpty())
            continue;
        seen.insert(mid);
        questions << Question{mid, q.value(1).toString().trimmed(), q.value(2).toLongLong(),
                              q.value(3).toLongLong(), q.value(4).toString()};
    }

    struct Group
    {
        QSet<QString> shingles; // of the first (newest) question
        QList<Question> members;
    };
    QList<Group> groups;
    for (const Question &question : std::as_const(questions)) {
        const QSet<QString> s = shingles(question.text);
        Group *best = nullptr;
        double bestSimilarity = kGapSimilarity;
        for (Group &g : groups) {
            const double sim = overlap(s, g.shingles);
            if (sim >= bestSimilarity) {
                bestSimilarity = sim;
                best = &g;
            }
        }
        if (best)
            best->members << question;
        else
            groups << Group{s, {question}};
    }

    QList<KnowledgeGap> out;
    for (const Group &g : std::as_const(groups)) {
        KnowledgeGap gap;
        gap.count = int(g.members.size());
        QHash<QString, int> textCounts;
        QHash<QString, int> categoryCounts;
        for (const Question &m : g.members) {
            ++textCounts[m.text];
            if (!m.category.isEmpty())
                ++categoryCounts[m.category];
            gap.lastAt = std::max(gap.lastAt, m.at);
            if (!gap.sessionIds.contains(m.sessionId))
                gap.sessionIds << m.sessionId;
            if (!gap.examples.contains(m.text) && gap.examples.size() < 8)
                gap.examples << m.text;
        }
        // The most frequent wording; the newest among equals (members are newest first).
        int bestCount = 0;
        for (const Question &m : g.members) {
            if (textCounts.value(m.text) > bestCount) {
                bestCount = textCounts.value(m.text);
                gap.question = m.text;
            }
        }
        int bestCategory = 0;
        for (auto it = categoryCounts.constBegin(); it != categoryCounts.constEnd(); ++it) {
            if (it.value() > bestCategory || (it.value() == bestCategory && it.key() < gap.category)) {
                bestCategory = it.value();
                gap.category = it.key();
            }
        }
        out << gap;
    }
    std::stable_sort(out.begin(), out.end(), [](const KnowledgeGap &a, const KnowledgeGap &b) {
        return a.count != b.count ? a.count > b.count : a.lastAt > b.lastAt;
    });
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

KnowledgeEntry KnowledgeDesk::entryFromGap(const KnowledgeGap &gap) const
{
    KnowledgeEntry e;
    e.id = m_kb.nextId();
    e.title = gap.question.left(120).simplified();
    e.category = gap.category;
    e.symptoms = gap.examples;
    e.source = u"operator"_s;
    return e;
}

// --- Import / export -------------------------------------------------------------------------

QString KnowledgeDesk::errorFileFor(const QString &path)
{
    const QFileInfo info(path);
    const QString name = info.fileName() + u".errors.txt"_s;
    if (QFileInfo(info.absolutePath()).isWritable())
        return info.absoluteDir().filePath(name);
    return QDir::temp().filePath(name);
}

bool KnowledgeDesk::startImport(const QString &path)
{
    return startTransfer(KnowledgeTransferReport::Kind::Import, path);
}

bool KnowledgeDesk::startExport(const QString &path)
{
    return startTransfer(KnowledgeTransferReport::Kind::Export, path);
}

void KnowledgeDesk::cancelTransfer()
{
    if (m_thread && m_cancel)
        m_cancel->store(true);
}

namespace {

KnowledgeTransferReport runImport(Database &db, const QString &path, const QString &actor,
                                  const std::atomic_bool *cancel, const KnowledgeBase::Progress &progress)
{
    KnowledgeTransferReport out;
    out.kind = KnowledgeTransferReport::Kind::Import;
    out.path = path;
    KnowledgeBase worker(db);
    const KnowledgeImportReport r = worker.importFile(path, actor, progress, cancel);
    out.ok = r.ok;
    out.cancelled = r.cancelled;
    out.total = r.total;
    out.created = r.created;
    out.updated = r.updated;
    out.unchanged = r.unchanged;
    for (const KnowledgeRowError &e : r.errors)
        out.errors << (e.line > 0 ? u"%1:%2: %3"_s.arg(path).arg(e.line).arg(e.reason)
                                  : u"%1: %2"_s.arg(path, e.reason));
    if (r.droppedErrors > 0)
        out.errors << u"%1: ... and %2 more errors"_s.arg(path).arg(r.droppedErrors);
    if (!out.errors.isEmpty()) {
        const QString errorPath = KnowledgeDesk::errorFileFor(path);
        QSaveFile f(errorPath);
        if (f.open(QIODevice::WriteOnly)) {
            f.write((out.errors.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
            if (f.commit())
                out.errorFile = errorPath;
        }
        if (out.errorFile.isEmpty())
            qCWarning(lcKnowledge) << "cannot write the import error file" << errorPath;
    }
    out.message = r.ok ? QString() : r.error;
    return out;
}

KnowledgeTransferReport runExport(Database &db, const QString &path, const std::atomic_bool *cancel,
                                  const KnowledgeBase::Progress &progress)
{
    KnowledgeTransferReport out;
    out.kind = KnowledgeTransferReport::Kind::Export;
    out.path = path;
    KnowledgeBase worker(db);
    const qint64 total = worker.count();
    QList<KnowledgeEntry> all;
    all.reserve(total);
    progress(0, total);
    while (all.size() < total) {
        if (cancel->load()) {
            out.cancelled = true;
            out.message =
                u"cancelled after %1 of %2 entries; no file was written"_s.arg(all.size()).arg(total);
            return out;
        }
        const QList<KnowledgeEntry> chunk = worker.entries(kExportChunk, all.size());
        if (chunk.isEmpty())
            break;
        all << chunk;
        progress(std::min<qint64>(all.size(), total), total);
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        out.message = u"cannot write %1: %2"_s.arg(path, f.errorString());
        return out;
    }
    f.write(KnowledgeFormat::serialize(all, KnowledgeFormat::formatForPath(path)));
    if (cancel->load()) {
        f.cancelWriting();
        out.cancelled = true;
        out.message = u"cancelled; no file was written"_s;
        return out;
    }
    if (!f.commit()) {
        out.message = u"cannot write %1: %2"_s.arg(path, f.errorString());
        return out;
    }
    out.ok = true;
    out.total = all.size();
    return out;
}

} // namespace

bool KnowledgeDesk::startTransfer(KnowledgeTransferReport::Kind kind, const QString &path)
{
    if (m_thread)
        return false;
    if (KnowledgeFormat::formatForPath(path) == KnowledgeFormat::Format::Unknown) {
        KnowledgeTransferReport report;
        report.kind = kind;
        report.path = path;
        report.message = tr("%1: unknown file type (use .jsonl, .json or .csv)").arg(path);
        QMetaObject::invokeMethod(
            this, [this, report] { emit transferFinished(report); }, Qt::QueuedConnection);
        return false;
    }
    static std::atomic<int> serial{0};
    const QString connection = u"%1-kb-transfer-%2"_s.arg(m_db.connectionName()).arg(++serial);
    m_cancel = std::make_shared<std::atomic_bool>(false);
    std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    Database &mainDb = m_db;
    const QString actor = m_operator;
    QPointer<KnowledgeDesk> self(this);
    QThread *thread = QThread::create([self, &mainDb, kind, path, actor, cancel, connection] {
        qint64 lastDone = -1;
        const KnowledgeBase::Progress progress = [self, &lastDone](qint64 done, qint64 total) {
            if (done == lastDone)
                return;
            lastDone = done;
            QMetaObject::invokeMethod(
                self,
                [self, done, total] {
                    if (self)
                        emit self->transferProgress(done, total);
                },
                Qt::QueuedConnection);
        };
        KnowledgeTransferReport report;
        {
            Database db(connection);
            if (!db.openLike(mainDb)) {
                report.kind = kind;
                report.path = path;
                report.message = u"cannot open the database: %1"_s.arg(db.errorString());
            } else if (kind == KnowledgeTransferReport::Kind::Import) {
                report = runImport(db, path, actor, cancel.get(), progress);
            } else {
                report = runExport(db, path, cancel.get(), progress);
            }
        }
        QMetaObject::invokeMethod(
            self,
            [self, report] {
                if (!self)
                    return;
                self->m_thread = nullptr;
                if (report.ok && report.kind == KnowledgeTransferReport::Kind::Import)
                    emit self->entriesReset();
                emit self->transferFinished(report);
            },
            Qt::QueuedConnection);
    });
    m_thread = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    return true;
}

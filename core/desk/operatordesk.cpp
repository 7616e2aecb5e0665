#include "desk/operatordesk.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>
#include <QVariant>

#include "assistant/analyzer.h"
#include "chat/draftstore.h"
#include "chat/outbox.h"
#include "chat/pipeline.h"
#include "chat/sessionmanager.h"
#include "desk/changefeed.h"
#include "desk/deskbackend.h"
#include "desk/healthmonitor.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgesearch.h"
#include "logging_p.h"
#include "storage/analysisstore.h"
#include "storage/auditlog.h"
#include "storage/database.h"
#include "storage/settingsstore.h"
#include "storage/sqlutil.h"
#include "storage/transaction.h"

namespace {

const QString kPausedKey = QStringLiteral("bot.paused");

const QString kSummaryColumns = QStringLiteral(
    "s.id, s.session_key, s.chat_id, s.chat_type, s.chat_name, s.open_id, s.user_name, s.mode, s.state,"
    " s.needs_operator,"
    " EXISTS(SELECT 1 FROM drafts d WHERE d.session_id = s.id AND d.state = 'pending'),"
    " s.unread, s.last_preview, s.last_role, s.last_active_at, s.waiting_since, s.created_at, s.vin, "
    "s.plate");

SessionSummary readSummary(const QSqlQuery &q)
{
    SessionSummary s;
    s.id = q.value(0).toLongLong();
    s.key = q.value(1).toString();
    s.chatId = q.value(2).toString();
    s.chatType = q.value(3).toString();
    s.chatName = q.value(4).toString();
    s.openId = q.value(5).toString();
    s.userName = q.value(6).toString();
    s.mode = parseSessionMode(q.value(7).toString()).value_or(SessionMode::Auto);
    s.active = q.value(8).toString() == QLatin1String("active");
    s.needsOperator = q.value(9).toInt() != 0;
    s.draftPending = q.value(10).toInt() != 0;
    s.unread = q.value(11).toInt();
    s.lastPreview = q.value(12).toString();
    s.lastRole = parseTurnRole(q.value(13).toString()).value_or(TurnRole::Customer);
    s.lastActiveAt = q.value(14).toLongLong();
    s.waitingSince = q.value(15).toLongLong();
    s.createdAt = q.value(16).toLongLong();
    s.vin = q.value(17).toString();
    s.plate = q.value(18).toString();
    return s;
}

// `text` as a LIKE pattern that matches it anywhere, its wildcards taken literally (ESCAPE '\\').
QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('%'), QLatin1String("\\%"))
        .replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// A sub-select of the ids of the sessions with a turn containing `text`, appending its one value.
// Three characters or more: the trigram index (messages_fts, migration 6), as one quoted phrase so
// the text matches as a substring whatever it holds. Shorter text has no trigram: a scan of the
// turns, once (not once per session), with instr() unless ASCII letters need LIKE's case folding.
QString contentMatchSql(const QString &text, QVariantList *values)
{
    if (text.toUcs4().size() >= 3) {
        QString phrase = text;
        phrase.replace(QLatin1Char('"'), QLatin1String("\"\""));
        *values << QString(QLatin1Char('"') + phrase + QLatin1Char('"'));
        return QStringLiteral("SELECT m.session_id FROM messages m WHERE m.id IN"
                              " (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)");
    }
    bool hasLetters = false; // ASCII letters: LIKE ignores their case; instr() does not
    for (const QChar c : text)
        hasLetters = hasLetters || (c.unicode() < 128 && c.isLetter());
    if (hasLetters) {
        *values << likePattern(text);
        return QStringLiteral("SELECT m.session_id FROM messages m WHERE m.content LIKE ? ESCAPE '\\'");
    }
    *values << text; // a plain substring search, cheaper than LIKE's pattern matching
    return QStringLiteral("SELECT m.session_id FROM messages m WHERE instr(m.content, ?) > 0");
}

// WHERE clause and its values for a filter.
QString filterWhere(const SessionFilter &f, QVariantList *values)
{
    QStringList parts;
    if (f.attention == Desk::Attention::NeedsAttention)
        parts << QStringLiteral(
            "(s.needs_operator = 1 OR s.unread > 0 OR EXISTS(SELECT 1 FROM drafts d WHERE d.session_id = s.id"
            " AND d.state = 'pending'))");
    if (f.mode) {
        parts << QStringLiteral("s.mode = ?");
        *values << sessionModeName(*f.mode);
    }
    if (!f.chatId.isEmpty()) {
        parts << QStringLiteral("s.chat_id = ?");
        *values << f.chatId;
    }
    if (f.activeOnly)
        parts << QStringLiteral("s.state = 'active'");
    const QString text = f.text.trimmed();
    if (!text.isEmpty()) {
        for (int i = 0; i < 6; ++i) // the name columns' values come before the content's
            *values << likePattern(text);
        parts << QStringLiteral(
                     "(s.user_name LIKE ? ESCAPE '\\' OR s.chat_name LIKE ? ESCAPE '\\' OR s.open_id LIKE ? "
                     "ESCAPE '\\' OR s.session_key LIKE ? ESCAPE '\\' OR s.vin LIKE ? ESCAPE '\\'"
                     " OR s.plate LIKE ? ESCAPE '\\' OR s.id IN (") +
                     contentMatchSql(text, values) + QStringLiteral("))");
    }
    return parts.isEmpty() ? QString() : QStringLiteral(" WHERE ") + parts.join(QStringLiteral(" AND "));
}

QString osUserName()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USERNAME");
    return name.isEmpty() ? QStringLiteral("operator") : name;
}

} // namespace

struct OperatorDesk::Private
{
    DeskBackend b;
    ChangeFeed *feed = nullptr;
    QString conn;
    bool paused = false;
    int lastAttention = -1;
    int lastDrafts = -1;
    // The counts are two queries: asked once per event-loop pass however many changes came in it
    // (a burst brings several per push), and only for changes that can move them.
    QTimer countsTimer;

    // The text filter's worker: a thread with its own connection (opened there on first use).
    QThread *searchThread = nullptr;
    QObject *searcher = nullptr;        // lives on searchThread
    std::unique_ptr<Database> searchDb; // opened, used and closed on searchThread only
    // Text of 1-2 characters has no trigram: the worker keeps every session's turn text in
    // memory for it (turns are append-only; caught up by id before each lookup).
    struct ShortText
    {
        qint64 lastTurnId = 0;
        QHash<qint64, QString> bySession; // turn contents, one per line
    };
    std::unique_ptr<ShortText> shortText; // searchThread only
    static void catchUp(const QSqlDatabase &db, ShortText *cache);
    static QList<qint64> shortContentMatches(const QSqlDatabase &db, ShortText *cache, const QString &text);
    bool searching = false;
    std::optional<QString> nextSearch;
    // The composer's knowledge search, on the same worker (made, used and destroyed there).
    std::unique_ptr<KnowledgeSearch> kbSearch;
    struct KnowledgeRequest
    {
        quint64 serial = 0;
        QString query;
        int limit = 8;
    };
    quint64 kbSerial = 0;
    bool kbSearching = false;
    std::optional<KnowledgeRequest> nextKb;
    void startKnowledgeSearch(OperatorDesk *desk, const KnowledgeRequest &request);

    QSqlDatabase db() const { return Sql::connection(conn); }
    void ensureSearchThread();
    void startSearch(OperatorDesk *desk, const QString &text);
    void stopSearchThread();
    QHash<QString, QString> titles(const QSet<QString> &ids) const;
    QList<CitedEntry> cited(const QList<KnowledgeRef> &refs) const;
    Desk::DeliveryState delivery(const QList<Outbox::Item> &items, QString *error) const;
    TurnView view(const Turn &t, const QList<Outbox::Item> &items,
                  const QHash<QString, QString> &titles) const;
    DraftView draftView(const DraftStore::Draft &d) const;
};

QHash<QString, QString> OperatorDesk::Private::titles(const QSet<QString> &ids) const
{
    QHash<QString, QString> out;
    if (ids.isEmpty())
        return out;
    QStringList marks;
    QVariantList values;
    for (const QString &id : ids) {
        marks << QStringLiteral("?");
        values << id;
    }
    QSqlQuery q(db());
    if (!Sql::run(q,
                  QStringLiteral("SELECT id, title FROM knowledge WHERE id IN (%1)")
                      .arg(marks.join(QLatin1Char(','))),
                  values, "read cited titles"))
        return out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

QList<CitedEntry> OperatorDesk::Private::cited(const QList<KnowledgeRef> &refs) const
{
    QSet<QString> ids;
    for (const KnowledgeRef &r : refs)
        ids.insert(r.id);
    const QHash<QString, QString> t = titles(ids);
    QList<CitedEntry> out;
    for (const KnowledgeRef &r : refs)
        out.append(CitedEntry{r.id, t.value(r.id), r.score});
    std::stable_sort(out.begin(), out.end(),
                     [](const CitedEntry &a, const CitedEntry &b) { return a.score > b.score; });
    return out;
}

Desk::DeliveryState OperatorDesk::Private::delivery(const QList<Outbox::Item> &items, QString *error) const
{
    if (items.isEmpty())
        return Desk::DeliveryState::None;
    bool pending = false;
    bool sending = false;
    for (const Outbox::Item &i : items) {
        if (i.state == Outbox::State::Failed) {
            *error = i.lastError;
            return Desk::DeliveryState::Failed;
        }
        if (i.state == Outbox::State::Pending) {
            pending = true;
            sending = sending || b.outbox->isInFlight(i.id);
        }
    }
    if (!pending)
        return Desk::DeliveryState::Sent;
    return sending ? Desk::DeliveryState::Sending : Desk::DeliveryState::Queued;
}

TurnView OperatorDesk::Private::view(const Turn &t, const QList<Outbox::Item> &items,
                                     const QHash<QString, QString> &titles) const
{
    TurnView v;
    v.id = t.id;
    v.sessionId = t.sessionId;
    v.role = t.role;
    v.text = t.content;
    v.createdAt = t.createdAt;
    v.operatorName = t.meta.value(QStringLiteral("operator")).toString();
    v.source = t.meta.value(QStringLiteral("source")).toString();
    for (const KnowledgeRef &r : t.refs)
        v.cited.append(CitedEntry{r.id, titles.value(r.id), r.score});
    std::stable_sort(v.cited.begin(), v.cited.end(),
                     [](const CitedEntry &a, const CitedEntry &b) { return a.score > b.score; });
    v.delivery = delivery(items, &v.deliveryError);
    v.decisionReason = t.meta.value(QStringLiteral("reason")).toString();
    v.decisionLead = t.meta.value(QStringLiteral("lead")).toDouble(-1);
    v.decisionCoverage = t.meta.value(QStringLiteral("coverage")).toDouble(-1);
    return v;
}

DraftView OperatorDesk::Private::draftView(const DraftStore::Draft &d) const
{
    DraftView v;
    v.id = d.id;
    v.sessionId = d.sessionId;
    v.inboundTurnId = d.inboundTurnId;
    v.botText = d.botText;
    v.source = d.source;
    v.cited = cited(d.refs);
    v.escalate = d.escalate;
    v.state = DraftStore::stateName(d.state);
    v.finalText = d.finalText;
    v.decidedBy = d.decidedBy;
    v.createdAt = d.createdAt;
    v.decidedAt = d.decidedAt;
    const QJsonObject meta = b.drafts->meta(d.id);
    const double coverage = meta.value(QStringLiteral("coverage")).toDouble(-1);
    v.coverage = coverage >= 0 ? qBound(0.0, coverage, 1.0) : -1.0;
    QSqlQuery q(db());
    if (Sql::run(
            q,
            QStringLiteral("SELECT EXISTS(SELECT 1 FROM messages WHERE session_id = ? AND role = 'customer'"
                           " AND id > ?)"),
            {d.sessionId, d.inboundTurnId}, "newer customer turn") &&
        q.next())
        v.customerWroteSince = q.value(0).toInt() != 0;
    return v;
}

// The ids of the sessions with a turn containing `text`, on the connection `db`.
static QList<qint64> contentMatches(const QSqlDatabase &db, const QString &text)
{
    QList<qint64> out;
    QVariantList values;
    const QString sql = QStringLiteral("SELECT DISTINCT session_id FROM (") + contentMatchSql(text, &values) +
                        QStringLiteral(")");
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!Sql::run(q, sql, values, "find turn content"))
        return out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

// The sessions whose turns contain `text` (1-2 characters), from the in-memory text, after
// reading the turns added since the last lookup.
QList<qint64> OperatorDesk::Private::shortContentMatches(const QSqlDatabase &db, ShortText *cache,
                                                         const QString &text)
{
    catchUp(db, cache);
    bool hasLetters = false;
    for (const QChar c : text)
        hasLetters = hasLetters || (c.unicode() < 128 && c.isLetter());
    const Qt::CaseSensitivity cs = hasLetters ? Qt::CaseInsensitive : Qt::CaseSensitive;
    QList<qint64> out;
    for (auto it = cache->bySession.cbegin(); it != cache->bySession.cend(); ++it)
        if (it.value().contains(text, cs))
            out.append(it.key());
    return out;
}

void OperatorDesk::Private::catchUp(const QSqlDatabase &db, ShortText *cache)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Sql::run(q, QStringLiteral("SELECT id, session_id, content FROM messages WHERE id > ? ORDER BY id"),
                 {cache->lastTurnId}, "read new turn text")) {
        while (q.next()) {
            QString &all = cache->bySession[q.value(1).toLongLong()];
            if (!all.isEmpty())
                all += QLatin1Char('\n');
            all += q.value(2).toString();
            cache->lastTurnId = q.value(0).toLongLong();
        }
    }
}

void OperatorDesk::Private::ensureSearchThread()
{
    if (!searchThread) {
        static std::atomic<int> serial{0};
        searchThread = new QThread;
        searchThread->setObjectName(QStringLiteral("desk-search"));
        searcher = new QObject;
        searcher->moveToThread(searchThread);
        searchDb = std::make_unique<Database>(QStringLiteral("%1-search-%2").arg(conn).arg(++serial));
        shortText = std::make_unique<ShortText>();
        searchThread->start();
    }
}

void OperatorDesk::Private::startSearch(OperatorDesk *desk, const QString &text)
{
    ensureSearchThread();
    searching = true;
    Database *worker = searchDb.get();
    Database *main = b.db;
    ShortText *cache = shortText.get();
    QMetaObject::invokeMethod(searcher, [desk, worker, main, cache, text] {
        QElapsedTimer t;
        t.start();
        QList<qint64> ids;
        if (worker->db().isOpen() || worker->openLike(*main))
            ids = text.toUcs4().size() >= 3 ? contentMatches(worker->db(), text)
                                            : shortContentMatches(worker->db(), cache, text);
        else
            qCWarning(lcSession).noquote()
                << "text filter: cannot open the database:" << worker->errorString();
        const double ms = double(t.nsecsElapsed()) / 1e6;
        // Queued to the desk: dropped by Qt if the desk is gone by then.
        QMetaObject::invokeMethod(desk, [desk, text, ids, ms] {
            desk->d->searching = false;
            emit desk->contentMatchesReady(text, ids, ms);
            if (desk->d->nextSearch)
                desk->d->startSearch(desk, *std::exchange(desk->d->nextSearch, std::nullopt));
        });
        // The first lookup made the worker: have the short text ready before it is asked for.
        if (cache->lastTurnId == 0 && worker->db().isOpen())
            catchUp(worker->db(), cache);
    });
}

void OperatorDesk::Private::startKnowledgeSearch(OperatorDesk *desk, const KnowledgeRequest &request)
{
    ensureSearchThread();
    kbSearching = true;
    Database *worker = searchDb.get();
    Database *main = b.db;
    const KnowledgeSearchOptions options = b.search->options();
    QMetaObject::invokeMethod(searcher, [this, desk, worker, main, options, request] {
        QList<CitedEntry> hits;
        if (!kbSearch && (worker->db().isOpen() || worker->openLike(*main)))
            kbSearch = std::make_unique<KnowledgeSearch>(*worker, options);
        if (kbSearch) {
            const KnowledgeSearchResult r = kbSearch->search(request.query, qBound(1, request.limit, 50));
            for (const KnowledgeHit &h : r.hits)
                hits.append(CitedEntry{h.entry.id, h.entry.title, h.score});
        } else {
            qCWarning(lcSession).noquote()
                << "knowledge search: cannot open the database:" << worker->errorString();
        }
        // Queued to the desk: dropped by Qt if the desk is gone by then.
        QMetaObject::invokeMethod(desk, [desk, serial = request.serial, hits] {
            desk->d->kbSearching = false;
            emit desk->knowledgeSearchReady(serial, hits);
            if (desk->d->nextKb)
                desk->d->startKnowledgeSearch(desk, *std::exchange(desk->d->nextKb, std::nullopt));
        });
    });
}

void OperatorDesk::Private::stopSearchThread()
{
    if (!searchThread)
        return;
    // The connection is closed on the thread that used it, then the thread ends.
    QMetaObject::invokeMethod(
        searcher,
        [this] {
            kbSearch.reset(); // before the connection it reads
            searchDb.reset();
            shortText.reset();
            delete searcher;
        },
        Qt::BlockingQueuedConnection);
    searcher = nullptr;
    searchThread->quit();
    searchThread->wait();
    delete searchThread;
    searchThread = nullptr;
}

OperatorDesk::OperatorDesk(const DeskBackend &backend, ChangeFeed *feed, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
    , m_operator(osUserName())
{
    qRegisterMetaType<SessionSummary>();
    qRegisterMetaType<TurnView>();
    qRegisterMetaType<DraftView>();
    qRegisterMetaType<AnalysisView>();
    qRegisterMetaType<ConnectionHealth>();
    d->b = backend;
    d->feed = feed;
    d->conn = backend.db ? backend.db->connectionName() : QString();

    d->paused = SettingsStore(backend.db).value(kPausedKey) == QLatin1String("1");
    if (d->paused) {
        d->b.sessions->setNewSessionOverride(SessionMode::Manual);
        qCInfo(lcSession) << "the bot is paused (from the last run): new conversations start in manual mode";
    }
    if (d->b.health) {
        d->b.health->setPaused(d->paused);
        connect(d->b.health, &HealthMonitor::healthChanged, this, &OperatorDesk::healthChanged);
    }

    connect(feed, &ChangeFeed::changed, this, [this](const Change &c) {
        switch (c.kind) {
        case Change::Kind::SessionAdded:
            emit sessionAdded(c.sessionId);
            break;
        case Change::Kind::SessionChanged:
            emit sessionChanged(c.sessionId);
            break;
        case Change::Kind::TurnAdded:
            emit turnAdded(c.sessionId, c.turnId);
            return; // a turn alone moves no count (the session's own change follows when it does)
        case Change::Kind::DraftCreated:
            emit draftCreated(c.sessionId, c.draftId);
            emit sessionChanged(c.sessionId);
            break;
        case Change::Kind::DraftDecided:
            emit draftDecided(c.sessionId, c.draftId, c.detail);
            emit sessionChanged(c.sessionId);
            break;
        case Change::Kind::DeliveryChanged: {
            if (!c.turnId)
                break;
            QString error;
            const Desk::DeliveryState s = d->delivery(d->b.outbox->itemsForTurn(c.turnId), &error);
            emit deliveryChanged(c.sessionId, c.turnId, s, error);
            return; // no count changes
        }
        case Change::Kind::AnalysisUpdated:
            emit analysisUpdated(c.sessionId);
            emit sessionChanged(c.sessionId);
            break;
        case Change::Kind::AnswerProgress:
            emit draftStreaming(c.sessionId, c.detail);
            return; // no count changes
        case Change::Kind::Attention:
            emit attentionNeeded(c.sessionId, c.detail);
            break;
        case Change::Kind::DefaultModeChanged:
            emit defaultModeChanged(defaultMode());
            return;
        case Change::Kind::PausedChanged:
            emit pausedChanged(d->paused);
            return;
        }
        if (!d->countsTimer.isActive())
            d->countsTimer.start();
    });
    d->countsTimer.setSingleShot(true);
    d->countsTimer.setInterval(0);
    connect(&d->countsTimer, &QTimer::timeout, this, [this] {
        const int attention = needsAttentionCount();
        const int drafts = pendingDraftCount();
        if (attention != d->lastAttention || drafts != d->lastDrafts) {
            d->lastAttention = attention;
            d->lastDrafts = drafts;
            emit countsChanged(attention, drafts);
        }
    });
}

OperatorDesk::~OperatorDesk()
{
    d->stopSearchThread();
}

void OperatorDesk::setOperatorName(const QString &name)
{
    const QString n = name.trimmed();
    m_operator = n.isEmpty() ? osUserName() : n;
}

// --- Queries ------------------------------------------------------------------------------------

QList<SessionSummary> OperatorDesk::sessions(const SessionFilter &filter, int offset, int limit) const
{
    QList<SessionSummary> out;
    QVariantList values;
    QString sql = QStringLiteral("SELECT ") + kSummaryColumns + QStringLiteral(" FROM sessions s") +
                  filterWhere(filter, &values) + QStringLiteral(" ORDER BY s.last_active_at DESC, s.id DESC");
    if (limit >= 0 || offset > 0) {
        sql += QStringLiteral(" LIMIT ? OFFSET ?");
        values << (limit >= 0 ? limit : -1) << qMax(0, offset);
    }
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    if (!Sql::run(q, sql, values, "read session list"))
        return out;
    while (q.next())
        out.append(readSummary(q));
    return out;
}

QList<qint64> OperatorDesk::sessionIds(const SessionFilter &filter) const
{
    QList<qint64> out;
    QVariantList values;
    QSqlQuery q(d->db());
    q.setForwardOnly(true);
    if (!Sql::run(q, QStringLiteral("SELECT s.id FROM sessions s") + filterWhere(filter, &values), values,
                  "read session ids"))
        return out;
    while (q.next())
        out.append(q.value(0).toLongLong());
    return out;
}

void OperatorDesk::requestContentMatches(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        emit contentMatchesReady(t, {}, 0);
        return;
    }
    if (d->searching) {
        d->nextSearch = t;
        return;
    }
    d->startSearch(this, t);
}

void OperatorDesk::warmUpContentSearch()
{
    if (d->searchThread)
        return; // already made (and warmed, or warming)
    d->ensureSearchThread();
    Database *worker = d->searchDb.get();
    Database *main = d->b.db;
    Private::ShortText *cache = d->shortText.get();
    // Lookups run after this on the same thread: one that comes early waits for it, no longer.
    QMetaObject::invokeMethod(d->searcher, [worker, main, cache] {
        if ((worker->db().isOpen() || worker->openLike(*main)) && cache->lastTurnId == 0)
            Private::catchUp(worker->db(), cache);
    });
}

int OperatorDesk::sessionCount(const SessionFilter &filter) const
{
    QVariantList values;
    QSqlQuery q(d->db());
    if (!Sql::run(q, QStringLiteral("SELECT COUNT(*) FROM sessions s") + filterWhere(filter, &values), values,
                  "count sessions") ||
        !q.next())
        return 0;
    return q.value(0).toInt();
}

std::optional<SessionSummary> OperatorDesk::session(qint64 sessionId) const
{
    QSqlQuery q(d->db());
    if (!Sql::run(q,
                  QStringLiteral("SELECT ") + kSummaryColumns +
                      QStringLiteral(" FROM sessions s WHERE s.id = ?"),
                  {sessionId}, "read session") ||
        !q.next())
        return std::nullopt;
    return readSummary(q);
}

QList<QPair<QString, QString>> OperatorDesk::chats() const
{
    QList<QPair<QString, QString>> out;
    QSqlQuery q(d->db());
    if (!Sql::run(
            q,
            QStringLiteral("SELECT chat_id, MAX(chat_name), MAX(chat_type) FROM sessions GROUP BY chat_id"
                           " ORDER BY MAX(last_active_at) DESC"),
            {}, "read chats"))
        return out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString()});
    return out;
}

TurnPage OperatorDesk::turns(qint64 sessionId, qint64 beforeTurnId, int limit) const
{
    TurnPage page;
    limit = qBound(1, limit, 1000);
    QList<Turn> rows = d->b.sessions->turnsBefore(sessionId, beforeTurnId, limit + 1);
    if (rows.size() > limit) {
        page.hasOlder = true;
        rows.removeLast();
    }
    if (rows.isEmpty())
        return page;
    QSet<QString> refIds;
    for (const Turn &t : std::as_const(rows)) {
        for (const KnowledgeRef &r : t.refs)
            refIds.insert(r.id);
    }
    const qint64 newest = rows.first().id;
    const qint64 oldest = rows.last().id;
    // Delivery of the outgoing turns of the page, in one query.
    QHash<qint64, QList<Outbox::Item>> items;
    for (const Outbox::Item &i : d->b.outbox->items(sessionId)) {
        if (i.turnId >= oldest && i.turnId <= newest)
            items[i.turnId].append(i);
    }
    const QHash<QString, QString> titles = d->titles(refIds);
    for (const Turn &t : std::as_const(rows))
        page.turns.append(d->view(t, items.value(t.id), titles));
    return page;
}

std::optional<TurnView> OperatorDesk::turn(qint64 turnId) const
{
    const auto t = d->b.sessions->turn(turnId);
    if (!t)
        return std::nullopt;
    QSet<QString> ids;
    for (const KnowledgeRef &r : t->refs)
        ids.insert(r.id);
    return d->view(*t, d->b.outbox->itemsForTurn(turnId), d->titles(ids));
}

std::optional<TurnView> OperatorDesk::lastCustomerTurn(qint64 sessionId) const
{
    const auto t = d->b.sessions->lastCustomerTurn(sessionId);
    if (!t)
        return std::nullopt;
    return d->view(*t, {}, {});
}

QList<DraftView> OperatorDesk::pendingDrafts() const
{
    QList<DraftView> out;
    for (const DraftStore::Draft &dr : d->b.drafts->pending())
        out.append(d->draftView(dr));
    return out;
}

std::optional<DraftView> OperatorDesk::pendingDraft(qint64 sessionId) const
{
    const QList<DraftStore::Draft> all = d->b.drafts->forSession(sessionId);
    for (auto it = all.crbegin(); it != all.crend(); ++it) {
        if (it->state == DraftStore::State::Pending)
            return d->draftView(*it);
    }
    return std::nullopt;
}

std::optional<DraftView> OperatorDesk::draft(qint64 draftId) const
{
    const auto dr = d->b.drafts->draft(draftId);
    if (!dr)
        return std::nullopt;
    return d->draftView(*dr);
}

std::optional<AnalysisView> OperatorDesk::analysis(qint64 sessionId) const
{
    if (!d->b.analysis)
        return std::nullopt;
    const auto record = d->b.analysis->load(sessionId);
    if (!record)
        return std::nullopt;
    const auto a = std::optional<Analysis>(Analysis::fromRecord(*record));
    AnalysisView v;
    v.sessionId = sessionId;
    v.category = a->category;
    v.urgency = a->urgency;
    v.summary = a->summary;
    v.nextStep = a->nextStep;
    v.source = a->source;
    v.updatedAt = a->updatedAt;
    for (const Entity &e : a->entities)
        v.entities.append(EntityView{Entity::typeName(e.type), e.value, e.valid});
    return v;
}

QList<SessionSummary> OperatorDesk::vehicleHistory(const QString &vin, const QString &plate,
                                                   qint64 excludeSessionId, int limit) const
{
    QList<SessionSummary> out;
    const QString v = vin.trimmed().toUpper();
    const QString p = plate.trimmed().toUpper();
    if (v.isEmpty() && p.isEmpty())
        return out;
    QSqlQuery q(d->db());
    const bool byVin = !v.isEmpty();
    if (!Sql::run(q,
                  QStringLiteral("SELECT ") + kSummaryColumns + QStringLiteral(" FROM sessions s WHERE ") +
                      (byVin ? QStringLiteral("s.vin = ?") : QStringLiteral("s.plate = ?")) +
                      QStringLiteral(" AND s.id <> ? ORDER BY s.last_active_at DESC LIMIT ?"),
                  {byVin ? v : p, excludeSessionId, qMax(1, limit)}, "read vehicle history"))
        return out;
    while (q.next())
        out.append(readSummary(q));
    return out;
}

QList<CitedEntry> OperatorDesk::citedEntries(qint64 turnId) const
{
    const auto t = d->b.sessions->turn(turnId);
    if (!t)
        return {};
    return d->cited(t->refs);
}

QList<CitedEntry> OperatorDesk::searchKnowledge(const QString &query, int limit) const
{
    QList<CitedEntry> out;
    if (!d->b.search || query.trimmed().isEmpty())
        return out;
    const KnowledgeSearchResult r = d->b.search->search(query, qBound(1, limit, 50));
    for (const KnowledgeHit &h : r.hits)
        out.append(CitedEntry{h.entry.id, h.entry.title, h.score});
    return out;
}

quint64 OperatorDesk::requestKnowledgeSearch(const QString &query, int limit)
{
    const Private::KnowledgeRequest request{++d->kbSerial, query.trimmed(), limit};
    if (!d->b.search || request.query.isEmpty()) {
        // Nothing to search: answered all the same, after the caller returns.
        QMetaObject::invokeMethod(
            this, [this, serial = request.serial] { emit knowledgeSearchReady(serial, {}); },
            Qt::QueuedConnection);
        return request.serial;
    }
    if (d->kbSearching)
        d->nextKb = request;
    else
        d->startKnowledgeSearch(this, request);
    return request.serial;
}

std::optional<KnowledgeEntry> OperatorDesk::knowledgeEntry(const QString &id) const
{
    if (!d->b.knowledge)
        return std::nullopt;
    return d->b.knowledge->entry(id);
}

QString OperatorDesk::knowledgeOrigin(const QString &entryId) const
{
    QSqlQuery q(d->db());
    if (!Sql::run(q, QStringLiteral("SELECT origin FROM knowledge WHERE id = ?"), {entryId},
                  "read entry origin") ||
        !q.next())
        return {};
    return q.value(0).toString();
}

KnowledgeEntry OperatorDesk::promotionDraft(qint64 turnId) const
{
    KnowledgeEntry e;
    e.source = QStringLiteral("promoted");
    const auto t = d->b.sessions->turn(turnId);
    if (!t)
        return e;
    e.solution = t->content;
    // The customer's question: the newest customer turn before this one.
    QSqlQuery q(d->db());
    if (Sql::run(q,
                 QStringLiteral(
                     "SELECT content FROM messages WHERE session_id = ? AND role = 'customer' AND id < ?"
                     " ORDER BY id DESC LIMIT 1"),
                 {t->sessionId, t->id}, "read promoted question") &&
        q.next()) {
        const QString question = q.value(0).toString().simplified();
        e.symptoms = QStringList{question};
        e.title = question.left(40);
    }
    if (const auto a = analysis(t->sessionId)) {
        e.category = a->category;
        for (const EntityView &ent : a->entities) {
            if (ent.type == QLatin1String("vehicle_model") && !e.vehicleModels.contains(ent.value))
                e.vehicleModels.append(ent.value);
        }
        if (!a->summary.isEmpty() && e.title.isEmpty())
            e.title = a->summary.left(40);
    }
    if (!t->refs.isEmpty() && d->b.knowledge) {
        if (const auto cited = d->b.knowledge->entry(t->refs.first().id)) {
            e.cause = cited->cause;
            if (e.category.isEmpty())
                e.category = cited->category;
            e.tags = cited->tags;
        }
    }
    return e;
}

SessionMode OperatorDesk::defaultMode() const
{
    return d->b.sessions->defaultMode();
}

int OperatorDesk::needsAttentionCount() const
{
    QSqlQuery q(d->db());
    if (!Sql::run(
            q, QStringLiteral("SELECT COUNT(*) FROM sessions WHERE needs_operator = 1 AND state = 'active'"),
            {}, "count attention") ||
        !q.next())
        return 0;
    return q.value(0).toInt();
}

int OperatorDesk::pendingDraftCount() const
{
    QSqlQuery q(d->db());
    if (!Sql::run(q, QStringLiteral("SELECT COUNT(*) FROM drafts WHERE state = 'pending'"), {},
                  "count drafts") ||
        !q.next())
        return 0;
    return q.value(0).toInt();
}

ConnectionHealth OperatorDesk::health() const
{
    ConnectionHealth h = d->b.health ? d->b.health->snapshot() : ConnectionHealth{};
    h.paused = d->paused;
    return h;
}

bool OperatorDesk::isPaused() const
{
    return d->paused;
}

// --- Actions ------------------------------------------------------------------------------------

DeskResult OperatorDesk::takeOver(qint64 sessionId, const QString &reason)
{
    Transaction tx(d->db());
    const DeskResult r = setMode(sessionId, SessionMode::Manual, reason);
    if (!r.ok)
        return r;
    if (d->b.audit->record(m_operator, QStringLiteral("session.take_over"),
                           QStringLiteral("session:%1").arg(sessionId), reason) <= 0 ||
        !tx.commit())
        return DeskResult::failure(tr("The database refused the change; nothing was changed."));
    return r;
}

DeskResult OperatorDesk::handBack(qint64 sessionId, const QString &reason)
{
    Transaction tx(d->db());
    const DeskResult r = setMode(sessionId, SessionMode::Auto, reason);
    if (!r.ok)
        return r;
    const bool ok = d->b.sessions->setNeedsOperator(sessionId, false) &&
                    d->b.audit->record(m_operator, QStringLiteral("session.hand_back"),
                                       QStringLiteral("session:%1").arg(sessionId), reason) > 0;
    if (!ok || !tx.commit())
        return DeskResult::failure(tr("The database refused the change; nothing was changed."));
    return DeskResult::success(sessionId);
}

DeskResult OperatorDesk::setMode(qint64 sessionId, SessionMode mode, const QString &reason)
{
    if (!d->b.sessions->session(sessionId))
        return DeskResult::failure(tr("Conversation #%1 does not exist.").arg(sessionId));
    if (!d->b.pipeline->setSessionMode(sessionId, mode, m_operator))
        return DeskResult::failure(d->b.pipeline->errorString());
    if (!reason.trimmed().isEmpty())
        d->b.audit->record(m_operator, QStringLiteral("session.mode.reason"),
                           QStringLiteral("session:%1").arg(sessionId), reason.trimmed());
    return DeskResult::success(sessionId);
}

DeskResult OperatorDesk::setDefaultMode(SessionMode mode)
{
    Transaction tx(d->db());
    const bool ok = d->b.sessions->setDefaultMode(mode) &&
                    d->b.audit->record(m_operator, QStringLiteral("default_mode"), QStringLiteral("sessions"),
                                       sessionModeName(mode)) > 0;
    if (!ok || !tx.commit())
        return DeskResult::failure(tr("The default mode could not be saved (database error)."));
    Change c;
    c.kind = Change::Kind::DefaultModeChanged;
    c.detail = sessionModeName(mode);
    d->feed->publish(c);
    return DeskResult::success();
}

DeskResult OperatorDesk::approveDraft(qint64 draftId, bool evenIfCustomerWroteSince)
{
    const auto dr = draft(draftId);
    if (!dr)
        return DeskResult::failure(tr("Draft #%1 does not exist.").arg(draftId));
    if (dr->state != QLatin1String("pending"))
        return DeskResult::failure(tr("This draft was already decided (%1).").arg(dr->state));
    if (dr->customerWroteSince && !evenIfCustomerWroteSince)
        return DeskResult::failure(
            tr("The customer wrote again after this draft was made. Read the new message "
               "before approving."));
    if (!d->b.drafts->approve(draftId, m_operator))
        return DeskResult::failure(d->b.drafts->errorString());
    const auto after = d->b.drafts->draft(draftId);
    return DeskResult::success(after ? after->replyTurnId : 0);
}

DeskResult OperatorDesk::sendEditedDraft(qint64 draftId, const QString &text)
{
    if (text.trimmed().isEmpty())
        return DeskResult::failure(tr("The reply is empty."));
    if (!d->b.drafts->edit(draftId, text.trimmed(), m_operator))
        return DeskResult::failure(d->b.drafts->errorString());
    const auto after = d->b.drafts->draft(draftId);
    return DeskResult::success(after ? after->replyTurnId : 0);
}

DeskResult OperatorDesk::rejectDraft(qint64 draftId, const QString &reason)
{
    const auto dr = d->b.drafts->draft(draftId);
    if (!dr)
        return DeskResult::failure(tr("Draft #%1 does not exist.").arg(draftId));
    // One change: the draft is rejected and the session is the operator's (manual, audited), so
    // the bot does not draft the customer's next message either.
    Transaction tx(d->db());
    if (!d->b.drafts->reject(draftId, m_operator, reason.trimmed()))
        return DeskResult::failure(d->b.drafts->errorString());
    const auto s = d->b.sessions->session(dr->sessionId);
    if (s && s->mode != SessionMode::Manual) {
        const DeskResult r = setMode(dr->sessionId, SessionMode::Manual, QStringLiteral("draft rejected"));
        if (!r.ok)
            return r;
    }
    if (!tx.commit())
        return DeskResult::failure(tr("The database refused the change; nothing was changed."));
    return DeskResult::success(draftId);
}

DeskResult OperatorDesk::sendReply(qint64 sessionId, const QString &text)
{
    const qint64 turnId = d->b.pipeline->sendOperatorReply(sessionId, text, m_operator);
    if (!turnId)
        return DeskResult::failure(d->b.pipeline->errorString());
    return DeskResult::success(turnId);
}

DeskResult OperatorDesk::retryDelivery(qint64 turnId)
{
    const QList<Outbox::Item> items = d->b.outbox->itemsForTurn(turnId);
    int retried = 0;
    qint64 sessionId = 0;
    qint64 lastId = 0;
    for (const Outbox::Item &i : items) {
        sessionId = i.sessionId;
        if (i.state == Outbox::State::Failed && d->b.outbox->retry(i.id)) {
            ++retried;
            lastId = i.id;
        }
    }
    if (!retried)
        return DeskResult::failure(tr("Nothing to retry: this reply has not failed."));
    d->b.audit->record(m_operator, QStringLiteral("delivery.retry"), QStringLiteral("turn:%1").arg(turnId),
                       QStringLiteral("%1 part(s)").arg(retried));
    Change c;
    c.kind = Change::Kind::DeliveryChanged;
    c.sessionId = sessionId;
    c.turnId = turnId;
    c.outboxId = lastId;
    d->feed->publish(c);
    return DeskResult::success(turnId);
}

DeskResult OperatorDesk::promoteToKnowledge(qint64 turnId, const KnowledgeEntry &entry,
                                            const QString &updateEntryId)
{
    const auto t = d->b.sessions->turn(turnId);
    if (!t)
        return DeskResult::failure(tr("Turn #%1 does not exist.").arg(turnId));
    if (t->role != TurnRole::Bot && t->role != TurnRole::Operator)
        return DeskResult::failure(tr("Only a reply sent to the customer can become knowledge."));
    KnowledgeEntry e = entry;
    e.source = QStringLiteral("promoted");
    e.title = e.title.trimmed();
    e.solution = e.solution.trimmed();
    if (e.title.isEmpty())
        return DeskResult::failure(tr("The entry needs a title."));
    if (e.solution.isEmpty())
        return DeskResult::failure(tr("The entry needs a solution."));
    // KnowledgeBase writes in a transaction of its own (the entry, its version and the index);
    // the link and the audit entry follow it.
    QString error;
    bool ok = false;
    if (updateEntryId.isEmpty()) {
        if (e.id.trimmed().isEmpty())
            e.id = d->b.knowledge->nextId();
        ok = d->b.knowledge->create(e, m_operator, &error);
    } else {
        e.id = updateEntryId;
        ok = d->b.knowledge->update(e, m_operator, &error);
    }
    if (!ok)
        return DeskResult::failure(error.isEmpty() ? tr("The entry could not be saved.") : error);
    const QString origin = QStringLiteral("session:%1/turn:%2").arg(t->sessionId).arg(turnId);
    Transaction tx(d->db());
    QSqlQuery q(d->db());
    ok = Sql::run(q, QStringLiteral("UPDATE knowledge SET origin = ? WHERE id = ?"), {origin, e.id},
                  "link promoted entry") &&
         d->b.audit->record(m_operator, QStringLiteral("knowledge.promote"),
                            QStringLiteral("turn:%1").arg(turnId), e.id) > 0;
    if (!ok || !tx.commit())
        return DeskResult::failure(tr("The entry could not be saved (database error)."));
    qCInfo(lcSession).noquote() << "operator" << m_operator << "promoted turn" << turnId
                                << "to knowledge entry" << e.id;
    DeskResult r = DeskResult::success(turnId);
    r.entryId = e.id;
    return r;
}

void OperatorDesk::markRead(qint64 sessionId)
{
    d->b.sessions->markRead(sessionId);
}

DeskResult OperatorDesk::setPaused(bool paused)
{
    if (paused == d->paused)
        return DeskResult::success();
    Transaction tx(d->db());
    const bool ok =
        SettingsStore(d->b.db).setValue(kPausedKey, paused ? QStringLiteral("1") : QStringLiteral("0")) &&
        d->b.audit->record(m_operator, paused ? QStringLiteral("bot.pause") : QStringLiteral("bot.resume"),
                           QStringLiteral("bot")) > 0;
    if (!ok || !tx.commit())
        return DeskResult::failure(tr("The change could not be saved (database error)."));
    d->paused = paused;
    d->b.sessions->setNewSessionOverride(paused ? std::optional<SessionMode>(SessionMode::Manual)
                                                : std::nullopt);
    if (d->b.health)
        d->b.health->setPaused(paused);
    qCInfo(lcSession).noquote() << (paused ? "bot paused: new conversations start in manual mode"
                                           : "bot resumed: new conversations start in the default mode");
    Change c;
    c.kind = Change::Kind::PausedChanged;
    d->feed->publish(c);
    return DeskResult::success();
}

void OperatorDesk::reconnect()
{
    d->b.audit->record(m_operator, QStringLiteral("connection.reconnect"), QStringLiteral("feishu"));
    if (d->b.reconnect)
        d->b.reconnect();
}

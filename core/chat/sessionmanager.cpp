#include "chat/sessionmanager.h"

#include <QJsonDocument>
#include <QPointer>
#include <QSqlQuery>
#include <QVariant>

#include "logging_p.h"
#include "storage/database.h"
#include "storage/settingsstore.h"
#include "storage/transaction.h"

namespace {

const QString kSessionColumns = QStringLiteral(
    "id, session_key, chat_id, chat_type, open_id, user_name, mode, state, needs_operator, created_at,"
    " last_active_at, ended_at");
const QString kTurnColumns = QStringLiteral(
    "id, session_id, role, content, raw_content, feishu_message_id, knowledge_refs, meta, created_at");
const QString kDefaultModeKey = QStringLiteral("chat.default_mode");
constexpr qsizetype kPreviewChars = 200;

Session readSession(const QSqlQuery &q)
{
    Session s;
    s.id = q.value(0).toLongLong();
    s.key = q.value(1).toString();
    s.chatId = q.value(2).toString();
    s.chatType = q.value(3).toString();
    s.openId = q.value(4).toString();
    s.userName = q.value(5).toString();
    s.mode = parseSessionMode(q.value(6).toString()).value_or(SessionMode::Auto);
    s.active = q.value(7).toString() == QLatin1String("active");
    s.needsOperator = q.value(8).toInt() != 0;
    s.createdAt = q.value(9).toLongLong();
    s.lastActiveAt = q.value(10).toLongLong();
    s.endedAt = q.value(11).toLongLong();
    return s;
}

Turn readTurn(const QSqlQuery &q)
{
    Turn t;
    t.id = q.value(0).toLongLong();
    t.sessionId = q.value(1).toLongLong();
    t.role = parseTurnRole(q.value(2).toString()).value_or(TurnRole::System);
    t.content = q.value(3).toString();
    t.rawContent = q.value(4).toString();
    t.feishuMessageId = q.value(5).toString();
    t.refs = knowledgeRefsFromJson(q.value(6).toString());
    t.meta = QJsonDocument::fromJson(q.value(7).toString().toUtf8()).object();
    t.createdAt = q.value(8).toLongLong();
    return t;
}

QVariant nullIfEmpty(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

} // namespace

SessionManager::SessionManager(Database *db, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_conn(db ? db->connectionName() : QString())
{}

SessionManager::~SessionManager() = default;

QString SessionManager::sessionKey(const QString &chatType, const QString &chatId, const QString &openId)
{
    if (chatType == QLatin1String("p2p"))
        return QStringLiteral("feishu_p2p_") + openId;
    return QStringLiteral("feishu_") + chatId + QLatin1Char('_') + openId;
}

void SessionManager::setHistoryLimits(int turns, int chars)
{
    m_historyTurns = qMax(1, turns);
    m_historyChars = qMax(1, chars);
}

void SessionManager::emitAfterCommit(std::function<void(SessionManager *)> fn)
{
    QPointer<SessionManager> self(this);
    Transaction::afterCommit(Sql::connection(m_conn), [self, fn = std::move(fn)] {
        if (self)
            fn(self);
    });
}

SessionMode SessionManager::defaultMode() const
{
    const QString name = SettingsStore(m_db).value(kDefaultModeKey);
    if (name.isEmpty())
        return SessionMode::Auto;
    const auto mode = parseSessionMode(name);
    if (!mode)
        qCWarning(lcSession) << "unknown default session mode" << name << "in settings; using auto";
    return mode.value_or(SessionMode::Auto);
}

bool SessionManager::setDefaultMode(SessionMode mode)
{
    if (!SettingsStore(m_db).setValue(kDefaultModeKey, sessionModeName(mode)))
        return false;
    qCInfo(lcSession).noquote() << "new sessions now start in" << sessionModeName(mode) << "mode";
    return true;
}

QList<Session> SessionManager::querySessions(const QString &where, const QVariantList &values,
                                             const QString &tail) const
{
    QList<Session> out;
    QSqlQuery q(Sql::connection(m_conn));
    QString sql = QStringLiteral("SELECT ") + kSessionColumns + QStringLiteral(" FROM sessions");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    sql += tail;
    if (!Sql::run(q, sql, values, "read sessions"))
        return out;
    while (q.next())
        out.append(readSession(q));
    return out;
}

std::optional<Session> SessionManager::session(qint64 id) const
{
    const auto list = querySessions(QStringLiteral("id = ?"), {id}, {});
    if (list.isEmpty())
        return std::nullopt;
    return list.first();
}

std::optional<Session> SessionManager::activeSession(const QString &key) const
{
    const auto list = querySessions(QStringLiteral("session_key = ? AND state = 'active'"), {key}, {});
    if (list.isEmpty() || list.first().lastActiveAt + m_idleTimeoutMs <= m_clock())
        return std::nullopt;
    return list.first();
}

QList<Session> SessionManager::sessions(bool activeOnly, int limit) const
{
    return querySessions(
        activeOnly ? QStringLiteral("state = 'active'") : QString(), {},
        QStringLiteral(" ORDER BY last_active_at DESC, id DESC LIMIT %1").arg(qMax(1, limit)));
}

SessionManager::Opened SessionManager::openSession(const QString &key, const QString &chatId,
                                                   const QString &chatType, const QString &openId,
                                                   const QString &userName)
{
    Opened result;
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    const qint64 now = m_clock();
    const auto current = querySessions(QStringLiteral("session_key = ? AND state = 'active'"), {key}, {});
    if (!current.isEmpty()) {
        const Session &s = current.first();
        if (s.lastActiveAt + m_idleTimeoutMs > now) {
            result.ok = tx.commit();
            result.session = s;
            return result;
        }
        qCInfo(lcSession).noquote() << "session" << key << QStringLiteral("#%1").arg(s.id) << "ended after"
                                    << (now - s.lastActiveAt) / 1000 << "s without messages";
        QSqlQuery end(db);
        if (!Sql::run(end, QStringLiteral("UPDATE sessions SET state = 'ended', ended_at = ? WHERE id = ?"),
                      {now, s.id}, "end idle session"))
            return result;
        const qint64 endedId = s.id;
        emitAfterCommit([endedId](SessionManager *m) { emit m->sessionUpdated(endedId); });
    }
    const SessionMode mode = m_newSessionOverride.value_or(defaultMode());
    QSqlQuery ins(db);
    if (!Sql::run(
            ins,
            QStringLiteral(
                "INSERT INTO sessions(session_key, chat_id, chat_type, open_id, user_name, mode, state,"
                " needs_operator, created_at, last_active_at) VALUES(?, ?, ?, ?, ?, ?, 'active', 0, ?, ?)"),
            {key, chatId, chatType, openId, userName, sessionModeName(mode), now, now}, "create session"))
        return result;
    Session s;
    s.id = ins.lastInsertId().toLongLong();
    s.key = key;
    s.chatId = chatId;
    s.chatType = chatType;
    s.openId = openId;
    s.userName = userName;
    s.mode = mode;
    s.createdAt = now;
    s.lastActiveAt = now;
    const qint64 newId = s.id;
    emitAfterCommit([newId](SessionManager *m) { emit m->sessionCreated(newId); });
    if (!tx.commit())
        return result;
    result.ok = true;
    result.created = true;
    result.session = s;
    return result;
}

bool SessionManager::endSession(qint64 sessionId)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral(
                      "UPDATE sessions SET state = 'ended', ended_at = ? WHERE id = ? AND state = 'active'"),
                  {m_clock(), sessionId}, "end session"))
        return false;
    if (q.numRowsAffected() != 1)
        return false;
    emitAfterCommit([sessionId](SessionManager *m) { emit m->sessionUpdated(sessionId); });
    return true;
}

int SessionManager::expireIdle()
{
    const qint64 now = m_clock();
    const auto idle = querySessions(QStringLiteral("state = 'active' AND last_active_at + ? <= ?"),
                                    {m_idleTimeoutMs, now}, {});
    int ended = 0;
    for (const Session &s : idle) {
        if (endSession(s.id)) {
            ++ended;
            qCInfo(lcSession).noquote()
                << "session" << s.key << QStringLiteral("#%1").arg(s.id) << "ended after"
                << (now - s.lastActiveAt) / 1000 << "s without messages";
        }
    }
    return ended;
}

bool SessionManager::setMode(qint64 sessionId, SessionMode mode)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("UPDATE sessions SET mode = ? WHERE id = ?"),
                  {sessionModeName(mode), sessionId}, "set session mode"))
        return false;
    if (q.numRowsAffected() != 1)
        return false;
    qCInfo(lcSession).noquote() << QStringLiteral("session #%1").arg(sessionId) << "is now in"
                                << sessionModeName(mode) << "mode";
    emitAfterCommit([sessionId](SessionManager *m) { emit m->sessionUpdated(sessionId); });
    return true;
}

bool SessionManager::setNeedsOperator(qint64 sessionId, bool needsOperator)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("UPDATE sessions SET needs_operator = ? WHERE id = ?"),
                  {needsOperator ? 1 : 0, sessionId}, "set needs-operator flag"))
        return false;
    if (q.numRowsAffected() != 1)
        return false;
    emitAfterCommit([sessionId](SessionManager *m) { emit m->sessionUpdated(sessionId); });
    return true;
}

qint64 SessionManager::addTurn(const Turn &turn)
{
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    const qint64 now = m_clock();
    QSqlQuery q(db);
    const QString meta = turn.meta.isEmpty()
                             ? QString()
                             : QString::fromUtf8(QJsonDocument(turn.meta).toJson(QJsonDocument::Compact));
    if (!Sql::run(
            q,
            QStringLiteral("INSERT INTO messages(session_id, role, content, raw_content, feishu_message_id,"
                           " knowledge_refs, meta, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"),
            {turn.sessionId, turnRoleName(turn.role), turn.content, nullIfEmpty(turn.rawContent),
             nullIfEmpty(turn.feishuMessageId),
             turn.refs.isEmpty() ? QVariant() : QVariant(knowledgeRefsToJson(turn.refs)), nullIfEmpty(meta),
             now},
            "store turn"))
        return 0;
    const qint64 id = q.lastInsertId().toLongLong();
    // The console's list columns move with every turn (see migration 3).
    const bool customer = turn.role == TurnRole::Customer;
    const bool answers = (turn.role == TurnRole::Bot || turn.role == TurnRole::Operator) &&
                         turn.meta.value(QStringLiteral("source")).toString() != QLatin1String("handoff");
    QString preview = turn.content.simplified();
    if (preview.size() > kPreviewChars)
        preview = preview.left(kPreviewChars);
    QSqlQuery touch(db);
    if (!Sql::run(touch,
                  QStringLiteral("UPDATE sessions SET last_active_at = ?, last_preview = ?, last_role = ?,"
                                 " unread = unread + ?,"
                                 " waiting_since = CASE WHEN ? = 1 THEN (CASE WHEN waiting_since = 0 THEN ?"
                                 " ELSE waiting_since END) WHEN ? = 1 THEN 0 ELSE waiting_since END"
                                 " WHERE id = ?"),
                  {now, preview, turnRoleName(turn.role), customer ? 1 : 0, customer ? 1 : 0, now,
                   answers ? 1 : 0, turn.sessionId},
                  "mark session active"))
        return 0;
    const qint64 sessionId = turn.sessionId;
    emitAfterCommit([sessionId, id](SessionManager *m) {
        emit m->messageAdded(sessionId, id);
        emit m->sessionUpdated(sessionId);
    });
    return tx.commit() ? id : 0;
}

std::optional<Turn> SessionManager::turn(qint64 turnId) const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("SELECT ") + kTurnColumns + QStringLiteral(" FROM messages WHERE id = ?"),
                  {turnId}, "read turn") ||
        !q.next())
        return std::nullopt;
    return readTurn(q);
}

QList<Turn> SessionManager::turns(qint64 sessionId) const
{
    QList<Turn> out;
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral("SELECT ") + kTurnColumns +
                      QStringLiteral(" FROM messages WHERE session_id = ? ORDER BY id"),
                  {sessionId}, "read turns"))
        return out;
    while (q.next())
        out.append(readTurn(q));
    return out;
}

QList<Turn> SessionManager::turnsBefore(qint64 sessionId, qint64 beforeTurnId, int limit) const
{
    QList<Turn> out;
    QSqlQuery q(Sql::connection(m_conn));
    q.setForwardOnly(true);
    if (!Sql::run(
            q,
            QStringLiteral("SELECT ") + kTurnColumns +
                QStringLiteral(
                    " FROM messages WHERE session_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?"),
            {sessionId, beforeTurnId, beforeTurnId, qMax(1, limit)}, "read a page of turns"))
        return out;
    while (q.next())
        out.append(readTurn(q));
    return out;
}

std::optional<Turn> SessionManager::lastCustomerTurn(qint64 sessionId) const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(
            q,
            QStringLiteral("SELECT ") + kTurnColumns +
                QStringLiteral(
                    " FROM messages WHERE session_id = ? AND role = 'customer' ORDER BY id DESC LIMIT 1"),
            {sessionId}, "read last customer turn") ||
        !q.next())
        return std::nullopt;
    return readTurn(q);
}

QList<Turn> SessionManager::historyWindow(qint64 sessionId, qint64 currentTurnId) const
{
    QList<Turn> newestFirst;
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral("SELECT ") + kTurnColumns +
                      QStringLiteral(
                          " FROM messages WHERE session_id = ? AND role IN ('customer', 'bot', 'operator')"
                          " AND (? = 0 OR (id <> ? AND NOT (role = 'customer' AND id > ?)))"
                          " ORDER BY id DESC LIMIT ?"),
                  {sessionId, currentTurnId, currentTurnId, currentTurnId, m_historyTurns},
                  "read history window"))
        return {};
    int chars = 0;
    while (q.next()) {
        Turn t = readTurn(q);
        const int len = int(t.content.size());
        if (chars + len > m_historyChars) {
            if (newestFirst.isEmpty()) {
                t.content = t.content.right(m_historyChars);
                newestFirst.append(t);
            }
            break;
        }
        chars += len;
        newestFirst.append(t);
    }
    return QList<Turn>(newestFirst.crbegin(), newestFirst.crend());
}

QList<ConversationTurn> SessionManager::toConversation(const QList<Turn> &turns)
{
    QList<ConversationTurn> out;
    out.reserve(turns.size());
    for (const Turn &t : turns) {
        ConversationTurn c;
        switch (t.role) {
        case TurnRole::Customer:
            c.role = ConversationTurn::Role::Customer;
            break;
        case TurnRole::Bot:
            c.role = ConversationTurn::Role::Bot;
            break;
        case TurnRole::Operator:
            c.role = ConversationTurn::Role::Operator;
            break;
        case TurnRole::System:
            continue;
        }
        c.text = t.content;
        c.refs = t.refs;
        c.askedBack = t.meta.value(QStringLiteral("asked_back")).toBool();
        out.append(c);
    }
    return out;
}

bool SessionManager::markRead(qint64 sessionId)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("UPDATE sessions SET unread = 0 WHERE id = ? AND unread <> 0"),
                  {sessionId}, "mark session read"))
        return false;
    if (q.numRowsAffected() == 1)
        emitAfterCommit([sessionId](SessionManager *m) { emit m->sessionUpdated(sessionId); });
    return true;
}

bool SessionManager::setUserName(const QString &openId, const QString &name)
{
    return setName(QStringLiteral("user_name"), QStringLiteral("open_id"), openId, name);
}

bool SessionManager::setChatName(const QString &chatId, const QString &name)
{
    return setName(QStringLiteral("chat_name"), QStringLiteral("chat_id"), chatId, name);
}

bool SessionManager::setName(const QString &column, const QString &keyColumn, const QString &key,
                             const QString &name)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral("SELECT id FROM sessions WHERE %1 = ? AND %2 <> ?").arg(keyColumn, column),
                  {key, name}, "find sessions to name"))
        return false;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    if (ids.isEmpty())
        return true;
    if (!Sql::run(q, QStringLiteral("UPDATE sessions SET %1 = ? WHERE %2 = ?").arg(column, keyColumn),
                  {name, key}, "set session names"))
        return false;
    for (const qint64 id : std::as_const(ids))
        emitAfterCommit([id](SessionManager *m) { emit m->sessionUpdated(id); });
    return true;
}

bool SessionManager::setVehicle(qint64 sessionId, const QString &vin, const QString &plate)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral(
                      "UPDATE sessions SET vin = ?, plate = ? WHERE id = ? AND (vin <> ? OR plate <> ?)"),
                  {vin, plate, sessionId, vin, plate}, "set session vehicle"))
        return false;
    if (q.numRowsAffected() == 1)
        emitAfterCommit([sessionId](SessionManager *m) { emit m->sessionUpdated(sessionId); });
    return true;
}

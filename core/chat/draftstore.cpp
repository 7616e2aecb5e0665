#include "chat/draftstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSqlQuery>
#include <QVariant>

#include "chat/outbox.h"
#include "chat/sessionmanager.h"
#include "logging_p.h"
#include "storage/auditlog.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace {

const QString kColumns =
    QStringLiteral("id, session_id, inbound_message_id, reply_to, bot_text, knowledge_refs, source,"
                   " escalate, final_text, state, decided_by, created_at, decided_at, reply_turn_id");

// The one name table of the draft states: drafts.state keeps these texts.
struct StateName
{
    DraftStore::State state;
    const char *name;
};
constexpr StateName kStateNames[] = {
    {DraftStore::State::Pending, "pending"},
    {DraftStore::State::Approved, "approved"},
    {DraftStore::State::Edited, "edited"},
    {DraftStore::State::Rejected, "rejected"},
};

} // namespace

DraftStore::DraftStore(Database *db, SessionManager *sessions, Outbox *outbox, AuditLog *audit,
                       QObject *parent)
    : QObject(parent)
    , m_conn(db ? db->connectionName() : QString())
    , m_sessions(sessions)
    , m_outbox(outbox)
    , m_audit(audit)
{}

DraftStore::~DraftStore() = default;

QString DraftStore::stateName(State state)
{
    for (const StateName &n : kStateNames)
        if (n.state == state)
            return QLatin1String(n.name);
    return {};
}

std::optional<DraftStore::State> DraftStore::parseState(const QString &name)
{
    for (const StateName &n : kStateNames)
        if (name == QLatin1String(n.name))
            return n.state;
    return std::nullopt;
}

qint64 DraftStore::create(qint64 sessionId, qint64 inboundTurnId, const QString &replyTo,
                          const QString &botText, const QList<KnowledgeRef> &refs, const QString &source,
                          bool escalate, const QJsonObject &meta)
{
    const QSqlDatabase db = Sql::connection(m_conn);
    QSqlQuery q(db);
    if (!Sql::run(
            q,
            QStringLiteral(
                "INSERT INTO drafts(session_id, inbound_message_id, reply_to, bot_text, knowledge_refs,"
                " source, escalate, state, created_at, meta) VALUES(?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)"),
            {sessionId, inboundTurnId > 0 ? QVariant(inboundTurnId) : QVariant(), replyTo, botText,
             knowledgeRefsToJson(refs), source, escalate ? 1 : 0, m_clock(),
             meta.isEmpty()
                 ? QVariant()
                 : QVariant(QString::fromUtf8(QJsonDocument(meta).toJson(QJsonDocument::Compact)))},
            "store draft"))
        return 0;
    const qint64 id = q.lastInsertId().toLongLong();
    QPointer<DraftStore> self(this);
    Transaction::afterCommit(db, [self, id, sessionId] {
        if (self)
            emit self->draftCreated(id, sessionId);
    });
    return id;
}

QList<DraftStore::Draft> DraftStore::query(const QString &where, const QVariantList &values) const
{
    QList<Draft> out;
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM drafts WHERE ") + where +
                      QStringLiteral(" ORDER BY id"),
                  values, "read drafts"))
        return out;
    while (q.next()) {
        Draft d;
        d.id = q.value(0).toLongLong();
        d.sessionId = q.value(1).toLongLong();
        d.inboundTurnId = q.value(2).toLongLong();
        d.replyTo = q.value(3).toString();
        d.botText = q.value(4).toString();
        d.refs = knowledgeRefsFromJson(q.value(5).toString());
        d.source = q.value(6).toString();
        d.escalate = q.value(7).toInt() != 0;
        d.finalText = q.value(8).toString();
        // A name this version does not know reads as pending: it is not decided as far as we can tell.
        d.state = parseState(q.value(9).toString()).value_or(State::Pending);
        d.decidedBy = q.value(10).toString();
        d.createdAt = q.value(11).toLongLong();
        d.decidedAt = q.value(12).toLongLong();
        d.replyTurnId = q.value(13).toLongLong();
        out.append(d);
    }
    return out;
}

std::optional<DraftStore::Draft> DraftStore::draft(qint64 id) const
{
    const auto list = query(QStringLiteral("id = ?"), {id});
    if (list.isEmpty())
        return std::nullopt;
    return list.first();
}

QList<DraftStore::Draft> DraftStore::pending() const
{
    return query(QStringLiteral("state = 'pending'"), {});
}

QList<DraftStore::Draft> DraftStore::forSession(qint64 sessionId) const
{
    return query(QStringLiteral("session_id = ?"), {sessionId});
}

bool DraftStore::approve(qint64 id, const QString &operatorName)
{
    return decide(id, State::Approved, {}, operatorName, {});
}

bool DraftStore::edit(qint64 id, const QString &newText, const QString &operatorName)
{
    if (newText.trimmed().isEmpty()) {
        m_error = QStringLiteral("the edited reply is empty; reject the draft instead");
        return false;
    }
    return decide(id, State::Edited, newText.trimmed(), operatorName, {});
}

bool DraftStore::reject(qint64 id, const QString &operatorName, const QString &reason)
{
    return decide(id, State::Rejected, {}, operatorName, reason);
}

bool DraftStore::decide(qint64 id, State state, const QString &text, const QString &operatorName,
                        const QString &reason)
{
    m_error.clear();
    const auto d = draft(id);
    if (!d) {
        m_error = QStringLiteral("draft #%1 does not exist").arg(id);
        return false;
    }
    if (d->state != State::Pending) {
        m_error =
            QStringLiteral("draft #%1 was already %2 by %3").arg(id).arg(stateName(d->state), d->decidedBy);
        return false;
    }
    const QString actor =
        operatorName.trimmed().isEmpty() ? QStringLiteral("operator") : operatorName.trimmed();
    const QString finalText = state == State::Approved ? d->botText : text;
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    QSqlQuery q(db);
    if (!Sql::run(q,
                  QStringLiteral("UPDATE drafts SET state = ?, final_text = ?, decided_by = ?, decided_at = ?"
                                 " WHERE id = ? AND state = 'pending'"),
                  {stateName(state), state == State::Rejected ? QVariant() : QVariant(finalText), actor,
                   m_clock(), id},
                  "decide draft")) {
        m_error = QStringLiteral("database error while deciding draft #%1").arg(id);
        return false;
    }
    if (q.numRowsAffected() != 1) {
        m_error = QStringLiteral("draft #%1 was decided meanwhile by someone else").arg(id);
        return false;
    }
    if (state == State::Rejected) {
        if (m_sessions)
            m_sessions->setNeedsOperator(d->sessionId, true);
    } else {
        Turn turn;
        turn.sessionId = d->sessionId;
        turn.role = state == State::Approved ? TurnRole::Bot : TurnRole::Operator;
        turn.content = finalText;
        turn.refs = d->refs;
        turn.meta = QJsonObject{{QStringLiteral("draft_id"), id},
                                {QStringLiteral("decided_by"), actor},
                                {QStringLiteral("source"), d->source},
                                {QStringLiteral("in_reply_to"), d->replyTo}};
        // The bot's clarifying question, sent as written: the customer's next turn answers it.
        if (state == State::Approved && meta(id).value(QStringLiteral("asked_back")).toBool())
            turn.meta.insert(QStringLiteral("asked_back"), true);
        const qint64 turnId = m_sessions ? m_sessions->addTurn(turn) : 0;
        const QList<qint64> rows = turnId > 0 && m_outbox
                                       ? m_outbox->enqueueReply(d->sessionId, d->replyTo, finalText,
                                                                QStringLiteral("answer"), turnId)
                                       : QList<qint64>{};
        QSqlQuery link(db);
        if (rows.isEmpty() ||
            !Sql::run(link, QStringLiteral("UPDATE drafts SET reply_turn_id = ? WHERE id = ?"), {turnId, id},
                      "link draft to its reply")) {
            m_error = QStringLiteral("could not queue the reply of draft #%1").arg(id);
            return false;
        }
    }
    if (m_audit) {
        const QString action =
            QStringLiteral("draft.") + (state == State::Approved ? QStringLiteral("approve")
                                        : state == State::Edited ? QStringLiteral("edit")
                                                                 : QStringLiteral("reject"));
        QString detail = QStringLiteral("session #%1, reply to %2").arg(d->sessionId).arg(d->replyTo);
        if (state == State::Edited)
            detail += QStringLiteral(", %1 -> %2 chars").arg(d->botText.size()).arg(finalText.size());
        if (!reason.isEmpty())
            detail += QStringLiteral(", reason: ") + reason;
        if (m_audit->record(actor, action, QStringLiteral("draft:%1").arg(id), detail) == 0) {
            m_error = QStringLiteral("could not record the decision on draft #%1").arg(id);
            return false;
        }
    }
    QPointer<DraftStore> self(this);
    Transaction::afterCommit(db, [self, id, state] {
        if (self)
            emit self->draftDecided(id, state);
    });
    if (!tx.commit()) {
        m_error = QStringLiteral("database error while deciding draft #%1").arg(id);
        return false;
    }
    qCInfo(lcSession).noquote() << QStringLiteral("draft #%1").arg(id)
                                << QStringLiteral("of session #%1").arg(d->sessionId) << stateName(state)
                                << "by" << actor;
    return true;
}

QJsonObject DraftStore::meta(qint64 id) const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("SELECT meta FROM drafts WHERE id = ?"), {id}, "read draft meta") ||
        !q.next())
        return {};
    return QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
}

#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include "assistant/answerprovider.h"
#include "storage/sqlutil.h"

class AuditLog;
class Database;
class Outbox;
class SessionManager;

// Review mode: the assistant's text waits here until an operator approves it (sent as written),
// edits it (the operator's text is sent) or rejects it (nothing is sent; the session is flagged
// for an operator). Each draft is decided once: the state change is a conditional UPDATE, so two
// consoles cannot both approve. The decision, the resulting turn, its outbox rows and the audit
// entry commit together.
class DraftStore final : public QObject
{
    Q_OBJECT
public:
    enum class State { Pending, Approved, Edited, Rejected };
    Q_ENUM(State)

    struct Draft
    {
        qint64 id = 0;
        qint64 sessionId = 0;
        qint64 inboundTurnId = 0; // the customer turn it answers
        QString replyTo;          // Feishu message id it answers
        QString botText;
        QList<KnowledgeRef> refs;
        QString source; // llm, knowledge, handoff, fixed
        bool escalate = false;
        QString finalText; // what was sent (approved or edited)
        State state = State::Pending;
        QString decidedBy;
        qint64 createdAt = 0;
        qint64 decidedAt = 0;
        qint64 replyTurnId = 0; // the bot/operator turn created when it was sent
    };

    DraftStore(Database *db, SessionManager *sessions, Outbox *outbox, AuditLog *audit,
               QObject *parent = nullptr);
    ~DraftStore() override;
    Q_DISABLE_COPY_MOVE(DraftStore)

    // The one name table: "pending", "approved", "edited", "rejected" (as drafts.state keeps them).
    static QString stateName(State state);
    static std::optional<State> parseState(const QString &name);

    void setClock(Sql::Clock clock) { m_clock = std::move(clock); }

    // Returns the new draft id, or 0 on a database error. Joins the caller's transaction.
    qint64 create(qint64 sessionId, qint64 inboundTurnId, const QString &replyTo, const QString &botText,
                  const QList<KnowledgeRef> &refs, const QString &source, bool escalate,
                  const QJsonObject &meta = {});
    // The decision behind a draft ({"reason", "lead", "coverage"}), {} when none was stored.
    QJsonObject meta(qint64 id) const;
    std::optional<Draft> draft(qint64 id) const;
    QList<Draft> pending() const;
    QList<Draft> forSession(qint64 sessionId) const;

    // Each returns false (see errorString()) if the draft does not exist, was decided already, or
    // the database failed.
    bool approve(qint64 id, const QString &operatorName);
    bool edit(qint64 id, const QString &newText, const QString &operatorName);
    bool reject(qint64 id, const QString &operatorName, const QString &reason = {});
    QString errorString() const { return m_error; }

signals:
    void draftCreated(qint64 draftId, qint64 sessionId);
    void draftDecided(qint64 draftId, DraftStore::State state);

private:
    bool decide(qint64 id, State state, const QString &text, const QString &operatorName,
                const QString &reason);
    QList<Draft> query(const QString &where, const QVariantList &values) const;

    QString m_conn;
    SessionManager *m_sessions = nullptr;
    Outbox *m_outbox = nullptr;
    AuditLog *m_audit = nullptr;
    Sql::Clock m_clock = Sql::systemClock();
    QString m_error;
};

#pragma once

#include <optional>

#include <QList>
#include <QObject>
#include <QString>

#include "storage/sqlutil.h"
#include "tickets/ticket.h"

class AuditLog;
class Database;

// Filters of the tickets list; empty members match everything.
struct TicketFilter
{
    QString status;
    QString assignee;
    QString category;
    QString syncState; // synced, pending, conflict, error
    QString text;      // in number, title, VIN, plate or customer
};

// Tickets over the database (tables tickets, ticket_sessions, ticket_sync, ticket_sync_cursor).
// Lives on the thread of its Database. Operator edits make a ticket `pending` for the next push
// (a ticket in conflict stays in conflict until the conflict is resolved); BitableSync uses the
// sync-side methods, which do not. Every write is one transaction.
class TicketStore final : public QObject
{
    Q_OBJECT
public:
    explicit TicketStore(Database *db, QObject *parent = nullptr);
    ~TicketStore() override;
    Q_DISABLE_COPY_MOVE(TicketStore)

    void setClock(Sql::Clock clock) { m_clock = std::move(clock); }
    void setAuditLog(AuditLog *audit) { m_audit = audit; }
    qint64 now() const { return m_clock(); }
    QString errorString() const { return m_error; }
    Database *database() const { return m_db; }

    // --- queries ---------------------------------------------------------------------------
    std::optional<Ticket> ticket(qint64 id) const;
    std::optional<Ticket> byNumber(const QString &number) const;
    std::optional<Ticket> byRecordId(const QString &recordId) const;
    // Newest change first.
    QList<Ticket> tickets(const TicketFilter &filter = {}, int limit = -1) const;
    int count() const;
    // The newest ticket linked to the session (open or not).
    std::optional<Ticket> ticketForSession(qint64 sessionId) const;
    // The conversations linked to the ticket: who and where, for the console's list.
    struct SessionLink
    {
        qint64 sessionId = 0;
        QString openId;
        QString userName; // '' until known
        QString chatId;
        QString chatType; // p2p, group, topic_group
        QString chatName; // '' until known
    };
    QList<SessionLink> sessionLinks(qint64 ticketId) const;
    TicketSyncInfo syncInfo(qint64 ticketId) const;
    // Ids of tickets in these sync states, oldest first.
    QList<qint64> idsInState(const QList<TicketSyncState> &states) const;
    QList<TicketConflict> conflicts() const;
    QStringList assignees() const;
    QStringList categories() const;

    // --- operator actions --------------------------------------------------------------------
    // A new local ticket (number TK-nnnnnn when empty), pending for the next push.
    std::optional<Ticket> create(const Ticket &ticket, const QString &actor);
    // A ticket prefilled from the session (customer, chat) and its analysis (category, urgency,
    // summary, VIN, plate, model), linked to it. origin: operator or escalation.
    std::optional<Ticket> createFromSession(qint64 sessionId, const QString &origin, const QString &actor);
    // Saves a local edit (every synced field of `ticket`); updated_at becomes now.
    bool update(const Ticket &ticket, const QString &actor);
    bool linkSession(qint64 ticketId, qint64 sessionId);
    // Ends a conflict. KeepLocal: the ticket's values win and are pushed; TakeRemote: the ticket
    // takes Bitable's values; Merge: the ticket takes `merged` (any subset of the synced keys)
    // and is pushed. False with errorString() when the ticket is not in conflict.
    enum class Resolution { KeepLocal, TakeRemote, Merge };
    bool resolveConflict(qint64 ticketId, Resolution resolution, const QHash<QString, QString> &merged,
                         const QString &actor);

    // --- sync side ------------------------------------------------------------------------------
    // Inserts a ticket pulled from Bitable (origin bitable) with its sync info in one transaction.
    std::optional<Ticket> insertFromRemote(const Ticket &ticket, const TicketSyncInfo &info);
    // Saves the ticket's fields and its sync info as they are (no pending, no updated_at change).
    bool saveSynced(const Ticket &ticket, const TicketSyncInfo &info);
    bool setSyncInfo(const TicketSyncInfo &info);
    qint64 cursor(const QString &appToken, const QString &tableId) const;
    bool setCursor(const QString &appToken, const QString &tableId, qint64 lastModified);
    static QString numberFor(qint64 id); // TK-000042

signals:
    void ticketChanged(qint64 ticketId);

private:
    bool writeTicket(const Ticket &t);
    bool writeSync(const TicketSyncInfo &info);
    QStringList distinctValues(const char *column) const;
    std::optional<Ticket> loadOne(const QString &where, const QVariant &value) const;
    void audit(const QString &actor, const QString &action, const Ticket &t, const QString &detail);

    Database *m_db = nullptr;
    AuditLog *m_audit = nullptr;
    Sql::Clock m_clock = Sql::systemClock();
    mutable QString m_error;
};

#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include "desk/desktypes.h"
#include "tickets/bitablesync.h"
#include "tickets/ticket.h"
#include "tickets/ticketstore.h"

class KnowledgeBase;
struct KnowledgeEntry;

// One row of the tickets list.
struct TicketView
{
    Ticket ticket;
    TicketSyncState syncState = TicketSyncState::Pending;
    QString syncReason;      // as stored, in English
    BitableSync::Reason why; // the same as a kind, for the console's words
};

// The tickets part of the operator API: a main-thread object the console talks to. Queries are
// small indexed reads and return value types; actions are audited (operatorName()); the sync
// runs asynchronously (BitableSync) and reports through syncProgress/syncFinished. Nothing here
// waits on the network.
class TicketDesk final : public QObject
{
    Q_OBJECT
public:
    // `sync` and `knowledge` may be null (no Bitable configured / no knowledge base).
    TicketDesk(TicketStore *store, BitableSync *sync, KnowledgeBase *knowledge, QObject *parent = nullptr);
    ~TicketDesk() override;
    Q_DISABLE_COPY_MOVE(TicketDesk)

    void setOperatorName(const QString &name) { m_operator = name; }
    QString operatorName() const { return m_operator; }
    // Escalations make tickets (TICKETS_AUTO_ON_ESCALATION).
    void setAutoTicketOnEscalation(bool on) { m_autoOnEscalation = on; }

    // --- queries ---------------------------------------------------------------------------------
    QList<TicketView> tickets(const TicketFilter &filter = {}) const;
    std::optional<TicketView> ticket(qint64 ticketId) const;
    std::optional<TicketView> ticketForSession(qint64 sessionId) const;
    // The conversations linked to the ticket (customer and chat of each), oldest first.
    QList<TicketStore::SessionLink> conversations(qint64 ticketId) const;
    QList<TicketConflict> conflicts() const;
    std::optional<TicketConflict> conflict(qint64 ticketId) const;
    QStringList assignees() const;
    QStringList categories() const;
    bool isSyncConfigured() const;
    bool isSyncing() const;
    // A knowledge entry prefilled from a resolved ticket (source "bitable" for imported tickets,
    // "promoted" otherwise). The id is the ticket's knowledge entry when it came from one
    // (an update), empty for a new entry.
    KnowledgeEntry knowledgeDraft(qint64 ticketId) const;

    // --- actions -----------------------------------------------------------------------------------
    // The conversation's ticket: the existing one (result.id) or a new one prefilled from it.
    DeskResult createFromSession(qint64 sessionId);
    DeskResult setStatus(qint64 ticketId, const QString &status);
    DeskResult setAssignee(qint64 ticketId, const QString &assignee);
    // Resolves the ticket (status resolved) with its resolution.
    DeskResult resolve(qint64 ticketId, const QString &resolution);
    // Saves every editable field of `ticket` (by id).
    DeskResult save(const Ticket &ticket);
    // Turns the ticket into a knowledge entry, or a new version of the entry it came from when
    // entry.id names an existing one. Links the entry to the ticket; result.entryId names the entry.
    DeskResult promoteToKnowledge(qint64 ticketId, const KnowledgeEntry &entry);
    DeskResult resolveConflict(qint64 ticketId, TicketStore::Resolution resolution,
                               const QHash<QString, QString> &merged = {});
    // Starts a sync (false in result when one is running or none is configured).
    DeskResult syncNow();

public slots:
    // Wire to Pipeline::escalated: makes the session's ticket when the setting is on and it has
    // no open one.
    void onEscalated(qint64 sessionId, const QString &reason);

signals:
    void ticketChanged(qint64 ticketId);
    void syncStarted();
    // Steps and the outcome as values: the console words them in its language (english() and
    // Report::error are the log's words).
    void syncProgress(const BitableSync::Progress &progress);
    void syncFinished(const BitableSync::Report &report);

private:
    TicketView view(const Ticket &t) const;

    TicketStore *m_store = nullptr;
    BitableSync *m_sync = nullptr;
    KnowledgeBase *m_knowledge = nullptr;
    QString m_operator;
    bool m_autoOnEscalation = false;
};

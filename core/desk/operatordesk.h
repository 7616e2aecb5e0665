#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QObject>
#include <QString>

#include "desk/desktypes.h"
#include "knowledge/knowledgeentry.h"

class ChangeFeed;
struct DeskBackend;

// The operator API: the one main-thread object the console talks to for conversations.
//
// - Queries return value types (copies) and page through large data. They are indexed reads
//   over denormalised columns (sessions.last_preview, unread, waiting_since, ...), cheap enough
//   for the main thread; nothing here waits on the network.
// - Actions are audited with the acting operator (operatorName()) and the reason where one
//   applies. Replies go through the bot's own Outbox: exactly once, with the same uuid rules.
//   There is exactly one way to change a session's mode: setMode() (takeOver/handBack are
//   setMode(Manual/Auto) with their own audit action).
// - Signals come from one ChangeFeed. The local bot fills it today; in team mode PostgreSQL
//   LISTEN/NOTIFY fills the same feed, so a console cannot tell where a change came from.
//
// The bot's composition root (BotService) makes the desk; tests can make one over their own
// stores (see DeskBackend).
class OperatorDesk final : public QObject
{
    Q_OBJECT
public:
    OperatorDesk(const DeskBackend &backend, ChangeFeed *feed, QObject *parent = nullptr);
    ~OperatorDesk() override;
    Q_DISABLE_COPY_MOVE(OperatorDesk)

    // Who acts (audit log, operator turns). Defaults to the OS user name.
    void setOperatorName(const QString &name);
    QString operatorName() const { return m_operator; }

    // --- Queries -----------------------------------------------------------------------------
    // Sessions matching `filter`, most recently active first; limit < 0 means all.
    QList<SessionSummary> sessions(const SessionFilter &filter = {}, int offset = 0, int limit = -1) const;
    int sessionCount(const SessionFilter &filter = {}) const;
    // Only the ids of the matching sessions.
    QList<qint64> sessionIds(const SessionFilter &filter) const;
    // A list's text filter on each keystroke: the sessions with a turn whose content contains
    // `text` (names are the list's own business), looked up on a worker connection so the main
    // thread never waits. Answered by contentMatchesReady(). While one lookup runs, a newer
    // request replaces the one waiting: only the newest text is looked up next.
    void requestContentMatches(const QString &text);
    // Opens the worker's connection and reads the short-text cache ahead of the first keystroke
    // (a list with a text filter calls it when made), so that keystroke does not pay for them.
    void warmUpContentSearch();
    std::optional<SessionSummary> session(qint64 sessionId) const;
    // Chats seen so far, for the chat filter: (chat id, chat name or '').
    QList<QPair<QString, QString>> chats() const;
    // Turns of one session, newest first. beforeTurnId = 0 starts at the newest.
    TurnPage turns(qint64 sessionId, qint64 beforeTurnId = 0, int limit = 50) const;
    std::optional<TurnView> turn(qint64 turnId) const;
    // The customer's newest turn (what a notification previews: their words, not the bot's).
    std::optional<TurnView> lastCustomerTurn(qint64 sessionId) const;
    QList<DraftView> pendingDrafts() const;
    std::optional<DraftView> pendingDraft(qint64 sessionId) const;
    std::optional<DraftView> draft(qint64 draftId) const;
    std::optional<AnalysisView> analysis(qint64 sessionId) const;
    // Earlier sessions of the same vehicle (by VIN, or by plate when there is no VIN), newest
    // first, without `excludeSessionId`.
    QList<SessionSummary> vehicleHistory(const QString &vin, const QString &plate,
                                         qint64 excludeSessionId = 0, int limit = 20) const;
    // The knowledge entries a turn cited, with scores (best first).
    QList<CitedEntry> citedEntries(qint64 turnId) const;
    // Knowledge for the composer's quick search (Ctrl+K) and for opening a cited entry.
    QList<CitedEntry> searchKnowledge(const QString &query, int limit = 8) const;
    // searchKnowledge() on the text filter's worker, with a search of its own ranked as the bot's
    // (its options; a configured embedding service is the bot's only): the main thread never
    // waits. Answered by knowledgeSearchReady(); while one runs, a newer request replaces the one
    // waiting. Returns the request's serial.
    quint64 requestKnowledgeSearch(const QString &query, int limit = 8);
    std::optional<KnowledgeEntry> knowledgeEntry(const QString &id) const;
    // Where a promoted entry came from ("session:<id>/turn:<id>"); '' for other entries.
    QString knowledgeOrigin(const QString &entryId) const;
    // A new entry prefilled from an operator/bot turn, its conversation and its analysis.
    KnowledgeEntry promotionDraft(qint64 turnId) const;

    SessionMode defaultMode() const;
    int needsAttentionCount() const; // sessions with needs_operator set
    int pendingDraftCount() const;
    ConnectionHealth health() const;
    bool isPaused() const;

    // --- Actions (audited) ----------------------------------------------------------------------
    DeskResult takeOver(qint64 sessionId, const QString &reason = {});
    DeskResult handBack(qint64 sessionId, const QString &reason = {});
    DeskResult setMode(qint64 sessionId, SessionMode mode, const QString &reason = {});
    DeskResult setDefaultMode(SessionMode mode);
    // Sends the draft as the bot wrote it. Fails with a warning when the customer wrote again
    // after the draft was made, unless `evenIfCustomerWroteSince`.
    DeskResult approveDraft(qint64 draftId, bool evenIfCustomerWroteSince = false);
    DeskResult sendEditedDraft(qint64 draftId, const QString &text);
    // Nothing is sent; the session stays with the operator (manual).
    DeskResult rejectDraft(qint64 draftId, const QString &reason = {});
    // An operator reply (answers the latest customer message). Returns the turn id.
    DeskResult sendReply(qint64 sessionId, const QString &text);
    // Tries a failed delivery again (every failed part of the turn).
    DeskResult retryDelivery(qint64 turnId);
    // Makes `entry` a new knowledge entry (updateEntryId empty) or a new version of
    // updateEntryId, with source "promoted" and a link to the turn. Returns in result.error the
    // validation message when the entry is not valid.
    DeskResult promoteToKnowledge(qint64 turnId, const KnowledgeEntry &entry,
                                  const QString &updateEntryId = {});
    // The operator has seen the session up to its newest turn.
    void markRead(qint64 sessionId);
    // Pause: every new conversation starts in manual mode (the bot keeps ACKing and recording).
    DeskResult setPaused(bool paused);
    // Drops the long connection and dials a fresh endpoint.
    void reconnect();

signals:
    void sessionAdded(qint64 sessionId);
    void sessionChanged(qint64 sessionId);
    void turnAdded(qint64 sessionId, qint64 turnId);
    void draftCreated(qint64 sessionId, qint64 draftId);
    void draftDecided(qint64 sessionId, qint64 draftId, const QString &state);
    // The LLM is writing a draft (review mode) or an answer: the whole text so far.
    void draftStreaming(qint64 sessionId, const QString &textSoFar);
    void deliveryChanged(qint64 sessionId, qint64 turnId, Desk::DeliveryState state, const QString &error);
    void analysisUpdated(qint64 sessionId);
    void healthChanged(const ConnectionHealth &health);
    // The status bar's and the tray's counts changed.
    void countsChanged(int needsAttention, int draftsPending);
    // A session was handed to a person (escalation, or a manual-mode message): notify.
    void attentionNeeded(qint64 sessionId, const QString &reason);
    void defaultModeChanged(SessionMode mode);
    void pausedChanged(bool paused);
    // The answer to requestContentMatches(text); queryMs is the time the lookup took on the worker.
    void contentMatchesReady(const QString &text, const QList<qint64> &sessionIds, double queryMs);
    // The answer to requestKnowledgeSearch() `serial`.
    void knowledgeSearchReady(quint64 serial, const QList<CitedEntry> &hits);

private:
    struct Private;
    std::unique_ptr<Private> d;
    QString m_operator;
};

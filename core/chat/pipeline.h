#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QString>
#include <QTimer>

#include "assistant/answerprovider.h"
#include "chat/session.h"
#include "feishu/inboundmessage.h"
#include "storage/eventledger.h"
#include "storage/sqlutil.h"

class AnswerProvider;
class AuditLog;
class Database;
class DraftStore;
class EventLedger;
class Outbox;
class SessionManager;

// The path of one inbound Feishu message after the long connection has ACKed it.
//
//   handle(msg)                                         one transaction ("arrival"):
//     EventLedger::mark(message_id)   seen before?  -> "duplicate delivery of om_..., ignored"
//     group chat and the bot not @-mentioned        -> ledger outcome "ignored", no session
//     SessionManager::openSession + addTurn(customer, with a JSON copy of the InboundMessage)
//   per-session queue (messages of one session are decided strictly in order; sessions run in
//   parallel while the AnswerProvider, which is asynchronous, works):
//     unreadable type (image, file, ...)            -> one short fixed reply naming text and rich text
//     nothing left after stripping mentions         -> a short prompt ("请问有什么可以帮您？")
//     mode manual                                   -> no reply; needs_operator, attentionNeeded()
//     mode auto / review                            -> AnswerProvider::answer(question, history)
//   one transaction ("decision"):
//     auto:   bot turn (text, knowledge refs, source) + Outbox rows + ledger outcome "answered"
//     review: draft (DraftStore) + ledger outcome "draft"; the operator approves/edits/rejects
//     escalate (auto or review): needs_operator = 1, then escalated(sessionId, reason)
//   Outbox delivers after the commit (retries, resumes after a restart).
//
// Crash safety (SIGKILL anywhere):
//   - before the arrival commit: nothing was stored and nothing acknowledged by us in the DB;
//     Feishu redelivers (the ACK went out, but a redelivery after reconnect is common), or the
//     message is lost only if Feishu never redelivers: the window is a few milliseconds.
//   - after the arrival commit, before the decision commit: the ledger row still says
//     "received" and the customer turn holds everything needed. recover() at start-up re-runs
//     every such turn (oldest first, through the same per-session queues). A redelivery in the
//     meantime is a duplicate and is ignored, so the message is decided exactly once.
//   - after the decision commit, before Feishu confirms: the outbox row is pending;
//     Outbox::resumePending() resends it under the same uuid, and Feishu drops a repeat. The
//     uuid derives from the inbound message id and part index, so a decision that is redone
//     (it was never committed) also yields the same uuid.
//   - the ledger's INSERT OR IGNORE runs in a BEGIN IMMEDIATE transaction, so two processes on
//     one database cannot both take the same message.
//
// Auto mode is never silent: an AnswerProvider that fails, answers empty, is missing or does not
// answer within answerTimeoutMs yields a short hand-off reply and an escalation.
//
// Wiring (composition root):
//   Database db(...); db.open(...);
//   EventLedger ledger(&db); SessionManager sessions(&db); AuditLog audit(&db);
//   Outbox outbox(&db, &openApiClient);             // OpenApiClient implements ReplyTransport
//   DraftStore drafts(&db, &sessions, &outbox, &audit);
//   Pipeline pipeline(&db, &ledger, &sessions, &outbox, &drafts, &audit, &assistant);
//   connect(&longConnection, &LongConnection::eventReceived, &pipeline,
//           [&](const QByteArray &payload, const QByteArray &frameType, const QByteArray &) {
//               if (frameType != "event") return;
//               const ParsedEvent ev = eventParser.parse(payload);
//               if (ev.kind == ParsedEvent::Kind::Message) pipeline.handle(ev.message);
//           });
//   pipeline.start();   // recover() undecided messages, Outbox::resumePending(), maintenance timers
// A group message that only @-mentions everyone (@_all, mentionsAll) does not address the bot.
class Pipeline final : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultAnswerTimeoutMs = 90000;
    static constexpr int DefaultMaintenanceIntervalMs = 60000;
    static constexpr int DefaultPruneIntervalMs = 3600000;

    struct Stats
    {
        qint64 received = 0; // inbound messages handed to handle()
        qint64 duplicates = 0;
        qint64 ignored = 0;  // group chatter not addressed to the bot, or no id
        qint64 answered = 0; // auto replies queued (all sources)
        qint64 answeredLlm = 0;
        qint64 answeredKnowledge = 0;
        qint64 answeredHandoff = 0;
        qint64 answeredSmallTalk = 0; // greetings, thanks, "好的"
        qint64 answeredClarify = 0;   // one short question back
        qint64 drafts = 0;
        qint64 manual = 0;
        qint64 unreadable = 0;
        qint64 prompted = 0;
        qint64 escalations = 0;
        qint64 recovered = 0; // undecided messages picked up by recover()
        qint64 answerTimeouts = 0;
        qint64 errors = 0; // database failures (the message stays undecided)
        int queued = 0;    // waiting for their session's turn
        int running = 0;   // being answered now
    };

    Pipeline(Database *db, EventLedger *ledger, SessionManager *sessions, Outbox *outbox, DraftStore *drafts,
             AuditLog *audit, AnswerProvider *answers, QObject *parent = nullptr);
    ~Pipeline() override;
    Q_DISABLE_COPY_MOVE(Pipeline)

    void setAnswerProvider(AnswerProvider *answers) { m_answers = answers; }
    void setAnswerTimeoutMs(int ms) { m_answerTimeoutMs = qMax(1, ms); }
    void setMaintenanceIntervalMs(int ms);
    void setPruneIntervalMs(int ms);
    // Replies the bot sends without the assistant (defaults are polite Chinese).
    void setUnreadableReply(const QString &text) { m_unreadableReply = text; }
    void setEmptyPrompt(const QString &text) { m_emptyPrompt = text; }
    void setHandoffReply(const QString &text) { m_handoffReply = text; }
    QString unreadableReply() const { return m_unreadableReply; }
    QString emptyPrompt() const { return m_emptyPrompt; }
    QString handoffReply() const { return m_handoffReply; }

    // recover(), Outbox::resumePending() and the maintenance timers (idle sessions, ledger pruning).
    void start();
    // Re-queues every customer turn whose ledger entry is still "received" (arrived, not decided)
    // from a previous run. Returns how many. Safe to call more than once.
    int recover();

    // An operator's own reply (manual mode, takeover, after a rejected draft): stored as an
    // operator turn, sent as a reply to the session's latest customer message, audited. Returns
    // the turn id, or 0 (errorString()) when there is nothing to reply to or the database failed.
    qint64 sendOperatorReply(qint64 sessionId, const QString &text, const QString &operatorName);
    // Changes a session's mode and records who did it.
    bool setSessionMode(qint64 sessionId, SessionMode mode, const QString &operatorName);
    QString errorString() const { return m_error; }

    Stats stats() const;
    bool isIdle() const { return m_running.isEmpty() && m_queues.isEmpty(); }

public slots:
    // Entry point for every parsed im.message.receive_v1 (after the ACK).
    void handle(const InboundMessage &message);

signals:
    // outcome: duplicate, ignored, answered/llm|knowledge|handoff, draft, manual, unreadable,
    // prompted, error.
    void handled(const QString &messageId, const QString &outcome);
    void escalated(qint64 sessionId, const QString &reason);
    // An operator should look at the session: manual mode got a message, or a draft waits.
    void attentionNeeded(qint64 sessionId, const QString &reason);
    void statsChanged();
    // The assistant is streaming its answer for a session: the whole text so far.
    void answerProgress(qint64 sessionId, const QString &textSoFar);
    // No message is queued or being answered.
    void idle();

private:
    struct Job
    {
        InboundMessage msg;
        QString ledgerKey;
        QString sessionKey;
        qint64 sessionId = 0;
        qint64 turnId = 0;
        bool recovered = false;
        quint64 token = 0;
    };
    struct Decision
    {
        QString text;
        AnswerSource source = AnswerSource::Fixed;
        Ledger::Outcome outcome = Ledger::Outcome::Answered; // or Unreadable, Prompted
        QList<KnowledgeRef> refs;
        bool escalate = false;
        QString escalateReason;
        QString llmError;
        QString reason;         // why the bot answered or handed off (for operators)
        double lead = -1;       // best score minus the runner-up
        double coverage = -1;   // share of the question the best entry covers
        bool askedBack = false; // a clarifying question (the customer's next turn answers it)
        // {"reason": .., "lead": .., "coverage": ..}: stored with the bot turn or the draft.
        QJsonObject decisionMeta() const
        {
            QJsonObject o;
            if (!reason.isEmpty())
                o.insert(QStringLiteral("reason"), reason);
            if (lead >= 0)
                o.insert(QStringLiteral("lead"), lead);
            if (coverage >= 0)
                o.insert(QStringLiteral("coverage"), coverage);
            if (askedBack)
                o.insert(QStringLiteral("asked_back"), true);
            return o;
        }
    };

    void enqueue(Job job);
    void runNext(const QString &sessionKey);
    void process(const Job &job);
    void onAnswer(const QString &sessionKey, quint64 token, const Answer &answer, bool timedOut);
    void decide(const Job &job, SessionMode mode, const Decision &decision);
    void decideManual(const Job &job);
    void finish(const Job &job, const QString &outcome, const QString &detail);
    void maintain();
    void prune();
    QString ledgerKey(const InboundMessage &msg) const;

    QString m_conn;
    EventLedger *m_ledger = nullptr;
    SessionManager *m_sessions = nullptr;
    Outbox *m_outbox = nullptr;
    DraftStore *m_drafts = nullptr;
    AuditLog *m_audit = nullptr;
    AnswerProvider *m_answers = nullptr;

    int m_answerTimeoutMs = DefaultAnswerTimeoutMs;
    QString m_unreadableReply;
    QString m_emptyPrompt;
    QString m_handoffReply;

    QHash<QString, QQueue<Job>> m_queues; // by session key
    QHash<QString, Job> m_running;        // by session key: the job being answered
    QSet<qint64> m_knownTurns;            // customer turns queued or running (recover() skips them)
    quint64 m_nextToken = 0;
    Stats m_stats;
    QTimer m_maintenance;
    QTimer m_pruneTimer;
    QString m_error;
};

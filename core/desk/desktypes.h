#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include "assistant/answerprovider.h"
#include "chat/session.h"

// Value types of the operator API (OperatorDesk). The console sees these and nothing else of
// the database: every query returns copies, every change arrives as a signal.
namespace Desk {
Q_NAMESPACE

// Where an outgoing turn is on its way to Feishu (all of its outbox parts together).
enum class DeliveryState {
    None,    // nothing to deliver (customer and system turns)
    Queued,  // waiting in the outbox (first attempt, or a retry after a back-off)
    Sending, // an attempt is in flight
    Sent,    // Feishu accepted every part
    Failed,  // given up; deliveryError says why, retryDelivery() tries again
};
Q_ENUM_NS(DeliveryState)

// Which sessions a query returns.
enum class Attention {
    Any,
    NeedsAttention, // escalated (needs a person), a draft waiting, or unread customer turns
};
Q_ENUM_NS(Attention)

} // namespace Desk

// One row of the conversation list.
struct SessionSummary
{
    qint64 id = 0;
    QString key; // feishu_<chat_id>_<open_id> / feishu_p2p_<open_id>: the isolated session
    QString chatId;
    QString chatType; // p2p, group, topic_group
    QString chatName; // '' until known; the console shows 私聊 for p2p
    QString openId;
    QString userName; // '' until known; the console shows the open_id then
    SessionMode mode = SessionMode::Auto;
    bool active = true;
    bool needsOperator = false; // escalated, or a manual-mode session got a message
    bool draftPending = false;  // a review-mode draft waits for a decision
    int unread = 0;             // customer turns after the operator's read marker
    QString lastPreview;        // the last turn, one line
    TurnRole lastRole = TurnRole::Customer;
    qint64 lastActiveAt = 0; // ms since the epoch (UTC)
    qint64 waitingSince = 0; // oldest customer turn not answered yet; 0 when nothing waits
    qint64 createdAt = 0;
    QString vin; // from the analysis, when known
    QString plate;

    bool operator==(const SessionSummary &) const = default;
};

struct SessionFilter
{
    Desk::Attention attention = Desk::Attention::Any;
    std::optional<SessionMode> mode;
    QString chatId; // '' = every chat
    QString text;   // '' = no text filter; names, chat names and turn content (substring)
    bool activeOnly = false;
};

// A knowledge entry a turn (or draft) rests on.
struct CitedEntry
{
    QString id;
    QString title; // '' when the entry was deleted since
    double score = 0.0;
};

// One turn of a conversation, as the thread view shows it.
struct TurnView
{
    qint64 id = 0;
    qint64 sessionId = 0;
    TurnRole role = TurnRole::Customer;
    QString text;
    qint64 createdAt = 0;
    QString operatorName;    // operator turns: who wrote it
    QString source;          // bot turns: llm, knowledge, handoff, smalltalk, fixed, draft
    QList<CitedEntry> cited; // bot turns (and operator turns sent from a draft)
    Desk::DeliveryState delivery = Desk::DeliveryState::None;
    QString deliveryError;        // Failed: the last error
    QString decisionReason;       // bot turns: why the bot answered or handed off
    double decisionLead = -1;     // best score minus the runner-up, when known
    double decisionCoverage = -1; // 0..1 share of the question the best entry covers, when known
};

// A review-mode draft.
struct DraftView
{
    qint64 id = 0;
    qint64 sessionId = 0;
    qint64 inboundTurnId = 0; // the customer turn it answers
    QString botText;
    QString source; // llm, knowledge, handoff, ...
    QList<CitedEntry> cited;
    // The share of the question the best entry covers (0..1, the knowledge search's coverage),
    // -1 when the draft did not record it. Not a confidence: the search may answer at low coverage
    // (a symptom said, a clear lead) and refuse at high (an out-of-scope word); the reason says.
    double coverage = -1;
    bool escalate = false; // the bot itself would have handed off
    QString state;         // pending, approved, edited, rejected
    QString finalText;
    QString decidedBy;
    qint64 createdAt = 0;
    qint64 decidedAt = 0;
    bool customerWroteSince = false; // a newer customer turn exists: warn before approving
};

struct EntityView
{
    QString type;  // vin, plate, phone, dtc, ...
    QString value; // as written by the customer (the console shows it; logs never do)
    bool valid = true;
};

struct AnalysisView
{
    qint64 sessionId = 0;
    QString category;
    QString urgency; // low, normal, high, critical
    QString summary;
    QString nextStep;
    QList<EntityView> entities;
    QString source; // llm, rules
    qint64 updatedAt = 0;
};

// A page of turns, newest first.
struct TurnPage
{
    QList<TurnView> turns; // newest first
    bool hasOlder = false; // ask again with beforeTurnId = turns.last().id
};

// The result of an operator action.
struct DeskResult
{
    bool ok = false;
    qint64 id = 0;   // the new turn or row, where the action makes one
    QString error;   // a sentence for the operator when !ok
    QString entryId; // promoteToKnowledge: the entry written
    static DeskResult success(qint64 id = 0) { return DeskResult{true, id, {}, {}}; }
    static DeskResult failure(const QString &why) { return DeskResult{false, 0, why, {}}; }
};

// What the console shows of the long connection and the outbound legs. Made on the main thread
// from what the I/O thread reports; never read across threads.
struct ConnectionHealth
{
    enum class State { Idle, Connecting, Connected, Reconnecting, Failed };
    State state = State::Idle;
    qint64 stateSince = 0;          // ms since the epoch
    qint64 lastEventAt = 0;         // last push received; 0 = none yet
    double ackLatencyMedianMs = -1; // over the last minute; -1 = no push in that minute
    double ackLatencyP99Ms = -1;
    int reconnects = 0; // since start
    int reconnectsToday = 0;
    QString lastError;     // the last problem, phrased for the operator
    int lastErrorCode = 0; // the platform's code when there was one
    QString lastErrorHint; // what to do about it, in English (the log and headless)
    // What to do about the last error as a stable kind: the console words it in its language.
    enum class Hint {
        None,
        BadCredentials,     // wrong or missing App ID / App Secret
        FeishuInternal,     // Feishu's internal error; retried
        FeishuBusy,         // Feishu is busy; retried
        ReconnectExhausted, // the platform's reconnect attempts are used up
        LongConnectionOff,  // the app may not use the long connection
        ConnectionLimit,    // more than the platform's long connections per app
        AppBlocked,         // the app is disabled or blocked by the tenant
        Tls,                // a TLS problem (an inspecting proxy, a CA)
        Network,            // anything else: retried on its own
    };
    Hint lastErrorHintKind = Hint::None;
    bool terminal = false;      // the connection gave up (bad credentials, not allowed, ...)
    qint64 dedupeHits = 0;      // redeliveries dropped by the ledger
    qint64 tokenExpiresAt = 0;  // tenant token expiry, ms since the epoch; 0 = no token yet
    int outboxDepth = 0;        // replies not delivered yet
    qint64 oldestPendingAt = 0; // the oldest of them, ms since the epoch; 0 = none
    int llmLastLatencyMs = -1;
    QString llmLastError;
    bool paused = false; // the bot is paused: new conversations go to manual

    static QString stateName(State state); // connected, connecting, ...
    // What to do about a hint kind, in English, marked for translation (context "HealthHint"):
    // the console shows QCoreApplication::translate("HealthHint", hintSource(kind)); core never
    // translates it (HealthMonitor::hintText() is the log's words).
    static const char *hintSource(Hint hint);
};

Q_DECLARE_METATYPE(SessionSummary)
Q_DECLARE_METATYPE(TurnView)
Q_DECLARE_METATYPE(DraftView)
Q_DECLARE_METATYPE(AnalysisView)
Q_DECLARE_METATYPE(ConnectionHealth)

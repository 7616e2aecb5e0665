#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include "feishu/replytransport.h"
#include "storage/sqlutil.h"

class Database;

// Replies on their way to Feishu, persisted in `outbox` so that none is lost or sent twice.
//
// - A reply is written as one row per part, each with a uuid derived from what it answers
//   (purpose + inbound message id + part index), never random: if the decision is redone after
//   a crash the same uuid comes out, and Feishu's uuid idempotency (spec §8.2) drops a repeat.
//   Enqueueing joins the caller's Transaction, so the bot turn and its outbox rows commit
//   together; sending starts only after that commit.
// - Long text is split on paragraph, line and sentence boundaries into parts of at most
//   maxPartChars characters (default 4000, far below Feishu's 150 KB text limit); the parts of
//   one session go out strictly in order, one at a time.
// - Transient failures (SendResult::retryable) are retried with a persisted back-off
//   (next_attempt_at), at least retryAfterMs when Feishu rate-limits; permanent failures mark the
//   row failed and emit failed().
// - resumePending() at start-up sends what a previous run left pending, under the same uuid.
// - A row is never in flight twice: one attempt per row at a time, guarded by an in-memory
//   in-flight set (one process owns a database; the app's InstanceGuard ensures that) and by a
//   send timeout after which a silent transport counts as a transient failure.
class Outbox final : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxPartChars = 4000;
    static constexpr int DefaultMaxAttempts = 12;
    static constexpr int DefaultSendTimeoutMs = 120000;
    static constexpr int MaxUuidLength = 50;

    enum class State { Pending, Sent, Failed };

    struct Item
    {
        qint64 id = 0;
        QString uuid;
        qint64 sessionId = 0;
        qint64 turnId = 0;
        int partIndex = 0;
        int partCount = 1;
        QString kind;          // reply, send
        QString target;        // message id (reply) or receive id (send)
        QString receiveIdType; // send only
        QString msgType;
        QString content; // the content JSON string sent to Feishu
        State state = State::Pending;
        int attempts = 0;
        qint64 nextAttemptAt = 0;
        QString lastError;
        QString sentMessageId;
        qint64 createdAt = 0;
        qint64 sentAt = 0;

        QString text() const; // the text of a text message
    };

    struct Stats
    {
        int pending = 0;
        int sent = 0;
        int failed = 0;
        int inFlight = 0;
        qint64 attempts = 0; // this process
        qint64 retries = 0;  // this process: transient failures rescheduled
    };

    explicit Outbox(Database *db, ReplyTransport *transport, QObject *parent = nullptr);
    ~Outbox() override;
    Q_DISABLE_COPY_MOVE(Outbox)

    void setTransport(ReplyTransport *transport);
    void setClock(Sql::Clock clock) { m_clock = std::move(clock); }
    // Delay before attempt n+1 after n failed attempts is backoff[n-1] (the last value repeats).
    void setBackoffMs(const QList<int> &backoff);
    void setMaxAttempts(int attempts) { m_maxAttempts = qMax(1, attempts); }
    void setMaxPartChars(int chars) { m_maxPartChars = qBound(100, chars, 40000); }
    int maxPartChars() const { return m_maxPartChars; }
    void setSendTimeoutMs(int ms) { m_sendTimeoutMs = qMax(1, ms); }

    // Splits `text` (trimmed) into parts of at most maxChars characters, preferring paragraph,
    // then line, then sentence, then word boundaries; never splits a surrogate pair.
    static QStringList splitText(const QString &text, int maxChars = DefaultMaxPartChars);
    // "tsp1-" + 40 hex digits of SHA-1(scope, part): stable, <= 50 characters, no secrets.
    static QString stableUuid(const QString &scope, int part);

    // Queues `text` as a reply to `replyToMessageId`. `purpose` tells replies to the same message
    // apart (answer, operator:<turn id>, ...): one purpose and message always give the same uuids,
    // so enqueueing the same decision twice stores it once. Returns the row ids in part order
    // (the existing ones when already queued), empty on error or empty text.
    QList<qint64> enqueueReply(qint64 sessionId, const QString &replyToMessageId, const QString &text,
                               const QString &purpose = QStringLiteral("answer"), qint64 turnId = 0);
    // Queues a new message to a chat or user (receiveIdType: chat_id, open_id, ...). `scope`
    // must identify the decision, as the uuids derive from it.
    QList<qint64> enqueueSend(qint64 sessionId, const QString &receiveIdType, const QString &receiveId,
                              const QString &text, const QString &scope, qint64 turnId = 0);

    // Sends what is pending (call once at start-up). Returns the number of pending rows.
    int resumePending();
    // An operator asks to try a failed row again (attempts start over). False unless it failed.
    bool retry(qint64 outboxId);

    std::optional<Item> item(qint64 outboxId) const;
    QList<Item> items(qint64 sessionId) const;
    // The rows that deliver one turn, in part order.
    QList<Item> itemsForTurn(qint64 turnId) const;
    // The oldest row not delivered yet (ms since the epoch), 0 when none.
    qint64 oldestPendingAt() const;
    QList<Item> pendingItems() const;
    Stats stats() const;
    bool isInFlight(qint64 outboxId) const { return m_inFlight.contains(outboxId); }

signals:
    void enqueued(qint64 outboxId);
    // An attempt to send the row has started (it is in flight).
    void attemptStarted(qint64 outboxId);
    void delivered(qint64 outboxId, const QString &sentMessageId);
    void failed(qint64 outboxId, const QString &error);
    void retryScheduled(qint64 outboxId, int attempt, qint64 inMs);

private:
    struct Attempt
    {
        quint64 generation = 0;
        QString group;
    };
    QList<qint64> enqueue(qint64 sessionId, const QString &kind, const QString &target,
                          const QString &receiveIdType, const QString &text, const QString &scope,
                          qint64 turnId);
    QList<Item> queryItems(const QString &where, const QVariantList &values, const QString &tail) const;
    void kick();
    void pump();
    void start(const Item &item, const QString &group);
    void finishAttempt(qint64 id, quint64 generation, const SendResult &result, bool timedOut);
    qint64 backoffFor(int attempts) const;

    QString m_conn;
    ReplyTransport *m_transport = nullptr;
    Sql::Clock m_clock = Sql::systemClock();
    QList<int> m_backoffMs = {1000, 2000, 5000, 10000, 30000, 60000, 120000, 300000, 600000};
    int m_maxAttempts = DefaultMaxAttempts;
    int m_maxPartChars = DefaultMaxPartChars;
    int m_sendTimeoutMs = DefaultSendTimeoutMs;
    QHash<qint64, Attempt> m_inFlight;
    QSet<QString> m_busyGroups;
    quint64 m_generation = 0;
    QTimer m_timer;
    bool m_warnedNoTransport = false;
    qint64 m_attempts = 0;
    qint64 m_retries = 0;
};

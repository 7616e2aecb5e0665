#pragma once

#include <optional>

#include <QList>
#include <QObject>
#include <QString>

#include "chat/session.h"
#include "storage/sqlutil.h"

class Database;

// Conversations and their turns, persisted in `sessions` and `messages`.
//
// A session belongs to one person in one chat: feishu_<chat_id>_<open_id> in groups and
// feishu_p2p_<open_id> in direct chats, so nobody ever sees another person's history, and the
// same person in two groups has two separate conversations. A session ends after a configurable
// idle time; the next message then opens a new one. Sessions survive a restart: re-opening the
// database continues the same active session unless it went idle meanwhile.
//
// Every write joins the caller's Transaction; signals are emitted once the data is committed.
class SessionManager final : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 DefaultIdleTimeoutMs = 30LL * 60 * 1000;
    static constexpr int DefaultHistoryTurns = 10;
    static constexpr int DefaultHistoryChars = 4000;

    struct Opened
    {
        bool ok = false;      // false on a database error
        bool created = false; // a new session was started (first message, or the old one went idle)
        Session session;
    };

    explicit SessionManager(Database *db, QObject *parent = nullptr);
    ~SessionManager() override;
    Q_DISABLE_COPY_MOVE(SessionManager)

    static QString sessionKey(const QString &chatType, const QString &chatId, const QString &openId);

    void setClock(Sql::Clock clock) { m_clock = std::move(clock); }
    void setIdleTimeoutMs(qint64 ms) { m_idleTimeoutMs = ms > 0 ? ms : DefaultIdleTimeoutMs; }
    qint64 idleTimeoutMs() const { return m_idleTimeoutMs; }
    // The history handed to the assistant: at most `turns` turns and `chars` characters, newest
    // kept. Values below 1 are raised to 1.
    void setHistoryLimits(int turns, int chars);
    int historyTurns() const { return m_historyTurns; }
    int historyChars() const { return m_historyChars; }

    // The mode new sessions start in (settings key chat.default_mode; auto when unset).
    SessionMode defaultMode() const;
    bool setDefaultMode(SessionMode mode);

    // The active session for `key`, or a new one when there is none or it has been idle for
    // longer than the idle timeout (the old one is ended first).
    Opened openSession(const QString &key, const QString &chatId, const QString &chatType,
                       const QString &openId, const QString &userName = {});
    // The active, not idle-expired session for `key`.
    std::optional<Session> activeSession(const QString &key) const;
    std::optional<Session> session(qint64 id) const;
    // Most recently active first.
    QList<Session> sessions(bool activeOnly = true, int limit = 500) const;
    bool endSession(qint64 sessionId);
    // Ends every active session idle for longer than the timeout; returns how many.
    int expireIdle();

    bool setNeedsOperator(qint64 sessionId, bool needsOperator);
    // The operator has seen every turn: the unread count goes back to 0.
    bool markRead(qint64 sessionId);
    // The vehicle the analysis found (VIN, plate), for the vehicle's earlier conversations.
    bool setVehicle(qint64 sessionId, const QString &vin, const QString &plate);
    // Names from the platform's directory (NameDirectory), on every session of that user / chat.
    bool setUserName(const QString &openId, const QString &name);
    bool setChatName(const QString &chatId, const QString &name);
    // While set, new sessions start in this mode instead of the default (the bot is paused).
    void setNewSessionOverride(std::optional<SessionMode> mode) { m_newSessionOverride = mode; }
    std::optional<SessionMode> newSessionOverride() const { return m_newSessionOverride; }

    // Stores a turn (turn.id and turn.createdAt are ignored) and marks the session active now.
    // Returns the new turn id, or 0 on a database error.
    qint64 addTurn(const Turn &turn);
    std::optional<Turn> turn(qint64 turnId) const;
    // All turns of a session, oldest first.
    QList<Turn> turns(qint64 sessionId) const;
    // At most `limit` turns older than `beforeTurnId` (0: from the newest), newest first.
    QList<Turn> turnsBefore(qint64 sessionId, qint64 beforeTurnId, int limit) const;
    // The latest customer turn of a session (what an operator's reply answers).
    std::optional<Turn> lastCustomerTurn(qint64 sessionId) const;
    // The conversation so far as seen when answering the customer turn `currentTurnId` (0: the
    // whole session): customer turns older than it plus every bot and operator turn (an answer
    // to an earlier question may be stored after later questions arrived), without system notes,
    // within the history limits, newest kept, oldest first. If even the newest turn is longer
    // than the character limit, its last `chars` characters are kept.
    QList<Turn> historyWindow(qint64 sessionId, qint64 currentTurnId = 0) const;
    static QList<ConversationTurn> toConversation(const QList<Turn> &turns);

signals:
    void sessionCreated(qint64 sessionId);
    void sessionUpdated(qint64 sessionId);
    void messageAdded(qint64 sessionId, qint64 turnId);

private:
    // The one way to change a mode is Pipeline::setSessionMode (audited), which the operator API
    // (OperatorDesk::setMode) calls.
    friend class Pipeline;
    friend class TestSessionManager;
    bool setMode(qint64 sessionId, SessionMode mode);

    QList<Session> querySessions(const QString &where, const QVariantList &values, const QString &tail) const;
    void emitAfterCommit(std::function<void(SessionManager *)> fn);
    bool setName(const QString &column, const QString &keyColumn, const QString &key, const QString &name);

    Database *m_db = nullptr;
    QString m_conn;
    Sql::Clock m_clock = Sql::systemClock();
    qint64 m_idleTimeoutMs = DefaultIdleTimeoutMs;
    int m_historyTurns = DefaultHistoryTurns;
    int m_historyChars = DefaultHistoryChars;
    std::optional<SessionMode> m_newSessionOverride;
};

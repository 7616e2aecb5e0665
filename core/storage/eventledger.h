#pragma once

#include <memory>
#include <optional>

#include <QObject>
#include <QString>
#include <QStringList>

#include "storage/sqlutil.h"

class Database;
class QSqlQuery;

namespace Ledger {
Q_NAMESPACE
// What became of a push. event_ledger.outcome keeps the name (outcomeName), as before.
enum class Outcome {
    Received,   // seen, not decided yet (Pipeline::recover() finishes it after a crash)
    Answered,   // the bot replied (auto mode)
    Draft,      // a draft waits for an operator (review mode)
    Manual,     // the operator was notified (manual mode)
    Ignored,    // not for the bot (a group message without the @-mention)
    Unreadable, // not text: the bot asked for text
    Prompted,   // empty after the mention: the bot asked for the question
    Lost,       // undecided at a restart and no longer recoverable
};
Q_ENUM_NS(Outcome)
// The one name table: "received", "answered", "draft", "manual", "ignored", "unreadable",
// "prompted", "lost".
QString outcomeName(Outcome outcome);
std::optional<Outcome> parseOutcome(const QString &name);
} // namespace Ledger

// The persisted seen-set of Feishu deliveries (spec §7.4): delivery is at-least-once, so every
// im.message.receive_v1 is keyed by its message_id (other events by event_id) and remembered for
// at least 8 hours (the platform retries for up to 6 h). The first writer wins atomically
// (INSERT OR IGNORE inside the caller's transaction), so neither a redelivery nor a second bot
// instance on the same database can process one message twice.
//
// Outcomes: Ledger::Outcome. A row still "received" after a crash marks a message
// Pipeline::recover() must finish.
class EventLedger final : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 MinimumRetentionMs = 8LL * 3600 * 1000;
    static constexpr qint64 DefaultRetentionMs = 24LL * 3600 * 1000;

    enum class Mark { New, Duplicate, Error };

    struct Entry
    {
        QString key;
        QString kind;
        qint64 firstSeenAt = 0;
        std::optional<Ledger::Outcome> outcome; // nullopt: a name this version does not know
        qint64 updatedAt = 0;
    };

    explicit EventLedger(Database *db, QObject *parent = nullptr);
    ~EventLedger() override;
    Q_DISABLE_COPY_MOVE(EventLedger)

    void setClock(Sql::Clock clock) { m_clock = std::move(clock); }
    // Clamped to at least MinimumRetentionMs.
    void setRetentionMs(qint64 ms);
    qint64 retentionMs() const { return m_retentionMs; }

    // True if `key` was not seen before (and is now recorded with outcome "received").
    // False if it was seen already, or if the database failed (see mark()).
    bool markSeen(const QString &key, const QString &kind);
    // `outcome` other than Received records a push that is decided at once (a group message
    // for somebody else): one statement instead of mark() + setOutcome().
    Mark mark(const QString &key, const QString &kind, Ledger::Outcome outcome = Ledger::Outcome::Received);
    bool setOutcome(const QString &key, Ledger::Outcome outcome);
    bool contains(const QString &key) const;
    std::optional<Entry> entry(const QString &key) const;
    // Keys whose outcome is still "received", oldest first.
    QStringList undecided() const;
    int count() const;

    // Forgets decided entries first seen more than `olderThanMs` ago (never less than 8 h).
    // Undecided ("received") entries stay until the pipeline has decided them. Returns how many
    // rows were removed, or -1 on a database error.
    int prune(qint64 olderThanMs);
    int prune() { return prune(m_retentionMs); }

private:
    QSqlQuery *prepared(std::unique_ptr<QSqlQuery> &slot, const QString &sql);

    QString m_conn;
    // mark() and setOutcome() run for every push: prepared once, not per call.
    std::unique_ptr<QSqlQuery> m_markQuery;
    std::unique_ptr<QSqlQuery> m_outcomeQuery;
    Sql::Clock m_clock = Sql::systemClock();
    qint64 m_retentionMs = DefaultRetentionMs;
};

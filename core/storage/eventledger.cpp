#include "storage/eventledger.h"

#include <QSqlQuery>
#include <QVariant>

#include "logging_p.h"
#include "storage/database.h"

EventLedger::EventLedger(Database *db, QObject *parent)
    : QObject(parent)
    , m_conn(db ? db->connectionName() : QString())
{}

EventLedger::~EventLedger() = default;

void EventLedger::setRetentionMs(qint64 ms)
{
    if (ms < MinimumRetentionMs) {
        qCWarning(lcSession) << "event ledger retention of" << ms / 1000
                             << "s is below the 8 h Feishu needs; using 8 h";
        ms = MinimumRetentionMs;
    }
    m_retentionMs = ms;
}

bool EventLedger::markSeen(const QString &key, const QString &kind)
{
    return mark(key, kind) == Mark::New;
}

EventLedger::Mark EventLedger::mark(const QString &key, const QString &kind)
{
    if (key.isEmpty())
        return Mark::Error;
    QSqlQuery q(Sql::connection(m_conn));
    const qint64 now = m_clock();
    if (!Sql::run(
            q,
            QStringLiteral("INSERT OR IGNORE INTO event_ledger(key, kind, first_seen_at, outcome, updated_at)"
                           " VALUES(?, ?, ?, 'received', ?)"),
            {key, kind, now, now}, "mark event as seen"))
        return Mark::Error;
    // sqlite3_changes(): 1 when this statement inserted the row, 0 when it was already there.
    return q.numRowsAffected() == 1 ? Mark::New : Mark::Duplicate;
}

bool EventLedger::setOutcome(const QString &key, const QString &outcome)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("UPDATE event_ledger SET outcome = ?, updated_at = ? WHERE key = ?"),
                  {outcome, m_clock(), key}, "set event outcome"))
        return false;
    return q.numRowsAffected() == 1;
}

bool EventLedger::contains(const QString &key) const
{
    return entry(key).has_value();
}

std::optional<EventLedger::Entry> EventLedger::entry(const QString &key) const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral(
                      "SELECT key, kind, first_seen_at, outcome, updated_at FROM event_ledger WHERE key = ?"),
                  {key}, "read event ledger entry") ||
        !q.next())
        return std::nullopt;
    return Entry{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toString(),
                 q.value(4).toLongLong()};
}

QStringList EventLedger::undecided() const
{
    QStringList keys;
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral(
                      "SELECT key FROM event_ledger WHERE outcome = 'received' ORDER BY first_seen_at, key"),
                  {}, "list undecided events"))
        return keys;
    while (q.next())
        keys << q.value(0).toString();
    return keys;
}

int EventLedger::count() const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("SELECT COUNT(*) FROM event_ledger"), {}, "count event ledger") ||
        !q.next())
        return -1;
    return q.value(0).toInt();
}

int EventLedger::prune(qint64 olderThanMs)
{
    if (olderThanMs < MinimumRetentionMs)
        olderThanMs = MinimumRetentionMs;
    const qint64 cutoff = m_clock() - olderThanMs;
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(
            q, QStringLiteral("DELETE FROM event_ledger WHERE first_seen_at < ? AND outcome <> 'received'"),
            {cutoff}, "prune event ledger"))
        return -1;
    const int removed = q.numRowsAffected();
    if (removed > 0)
        qCInfo(lcSession) << "event ledger: forgot" << removed << "deliveries older than"
                          << olderThanMs / 3600000.0 << "h";
    return removed;
}

#include "storage/eventledger.h"

#include <QSqlQuery>
#include <QVariant>

#include "logging_p.h"
#include "storage/database.h"

namespace Ledger {

namespace {

struct OutcomeName
{
    Outcome outcome;
    const char *name;
};
constexpr OutcomeName kOutcomeNames[] = {
    {Outcome::Received, "received"}, {Outcome::Answered, "answered"}, {Outcome::Draft, "draft"},
    {Outcome::Manual, "manual"},     {Outcome::Ignored, "ignored"},   {Outcome::Unreadable, "unreadable"},
    {Outcome::Prompted, "prompted"}, {Outcome::Lost, "lost"},
};

} // namespace

QString outcomeName(Outcome outcome)
{
    for (const OutcomeName &n : kOutcomeNames)
        if (n.outcome == outcome)
            return QLatin1String(n.name);
    return {};
}

std::optional<Outcome> parseOutcome(const QString &name)
{
    for (const OutcomeName &n : kOutcomeNames)
        if (name == QLatin1String(n.name))
            return n.outcome;
    return std::nullopt;
}

} // namespace Ledger

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

QSqlQuery *EventLedger::prepared(std::unique_ptr<QSqlQuery> &slot, const QString &sql)
{
    if (!slot) {
        auto q = std::make_unique<QSqlQuery>(Sql::connection(m_conn));
        if (!Sql::prepare(*q, sql))
            return nullptr;
        slot = std::move(q);
    }
    return slot.get();
}

EventLedger::Mark EventLedger::mark(const QString &key, const QString &kind, Ledger::Outcome outcome)
{
    if (key.isEmpty())
        return Mark::Error;
    QSqlQuery *q = prepared(
        m_markQuery, QStringLiteral("INSERT OR IGNORE INTO event_ledger(key, kind, first_seen_at, outcome,"
                                    " updated_at) VALUES(?, ?, ?, ?, ?)"));
    if (!q)
        return Mark::Error;
    const qint64 now = m_clock();
    q->bindValue(0, key);
    q->bindValue(1, kind.isNull() ? QString(QLatin1String("")) : kind);
    q->bindValue(2, now);
    q->bindValue(3, Ledger::outcomeName(outcome));
    q->bindValue(4, now);
    if (!Sql::exec(*q, "mark event as seen"))
        return Mark::Error;
    // sqlite3_changes(): 1 when this statement inserted the row, 0 when it was already there.
    const Mark mark = q->numRowsAffected() == 1 ? Mark::New : Mark::Duplicate;
    q->finish();
    return mark;
}

bool EventLedger::setOutcome(const QString &key, Ledger::Outcome outcome)
{
    QSqlQuery *q = prepared(
        m_outcomeQuery, QStringLiteral("UPDATE event_ledger SET outcome = ?, updated_at = ? WHERE key = ?"));
    if (!q)
        return false;
    q->bindValue(0, Ledger::outcomeName(outcome));
    q->bindValue(1, m_clock());
    q->bindValue(2, key);
    if (!Sql::exec(*q, "set event outcome"))
        return false;
    const bool changed = q->numRowsAffected() == 1;
    q->finish();
    return changed;
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
    return Entry{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(),
                 Ledger::parseOutcome(q.value(3).toString()), q.value(4).toLongLong()};
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

#include "storage/transaction.h"

#include <QHash>
#include <QList>
#include <QSqlError>
#include <QSqlQuery>

#include "logging_p.h"

namespace {

struct TxState
{
    int depth = 0;
    bool failed = false;
    QList<std::function<void()>> after;
};

QHash<QString, TxState> &states()
{
    thread_local QHash<QString, TxState> s;
    return s;
}

bool execRaw(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    qCWarning(lcDb).noquote() << "query failed (transaction control):" << q.lastQuery() << "-"
                              << q.lastError().text();
    return false;
}

} // namespace

Transaction::Transaction(const QSqlDatabase &db)
    : m_name(db.connectionName())
{
    auto it = states().find(m_name);
    if (it != states().end() && it->depth > 0) {
        ++it->depth;
        m_active = true;
        return;
    }
    const bool sqlite = db.driverName() == QLatin1String("QSQLITE");
    if (!db.isOpen() || !execRaw(db, sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN")))
        return;
    TxState st;
    st.depth = 1;
    states().insert(m_name, st);
    m_active = true;
    m_outermost = true;
}

Transaction::~Transaction()
{
    if (!m_done)
        finish(false);
}

bool Transaction::commit()
{
    if (m_done)
        return false;
    return finish(true);
}

void Transaction::rollback()
{
    if (!m_done)
        finish(false);
}

bool Transaction::finish(bool commit)
{
    m_done = true;
    if (!m_active)
        return false;
    auto it = states().find(m_name);
    if (it == states().end())
        return false;
    if (!commit)
        it->failed = true;
    if (!m_outermost) {
        --it->depth;
        return !it->failed;
    }
    // Outermost level: take the state out first, so callbacks that open a new transaction start
    // from a clean slate.
    TxState st = std::move(*it);
    states().erase(it);
    const QSqlDatabase db = QSqlDatabase::database(m_name, false);
    if (st.failed) {
        execRaw(db, QStringLiteral("ROLLBACK"));
        return false;
    }
    if (!execRaw(db, QStringLiteral("COMMIT"))) {
        execRaw(db, QStringLiteral("ROLLBACK"));
        return false;
    }
    for (const auto &fn : std::as_const(st.after))
        fn();
    return true;
}

bool Transaction::inTransaction(const QSqlDatabase &db)
{
    const auto it = states().constFind(db.connectionName());
    return it != states().constEnd() && it->depth > 0;
}

void Transaction::afterCommit(const QSqlDatabase &db, std::function<void()> fn)
{
    auto it = states().find(db.connectionName());
    if (it != states().end() && it->depth > 0)
        it->after.append(std::move(fn));
    else
        fn();
}

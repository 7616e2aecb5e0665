#include "storage/transaction.h"

#include <utility>

#include <QHash>
#include <QList>
#include <QSqlError>
#include <QSqlQuery>

#include "logging_p.h"

namespace {

struct TxState
{
    int depth = 0;       // open Transaction levels
    bool failed = false; // of the current unit
    QList<std::function<void()>> after;
    bool batch = false;                      // a WriteBatch holds the database transaction
    QList<std::function<void()>> batchAfter; // of the units that committed inside the batch
};

const QString kSavepoint = QStringLiteral("tsp_unit");

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
    if (it != states().end() && it->batch) {
        if (!execRaw(db, QStringLiteral("SAVEPOINT ") + kSavepoint))
            return;
        it->depth = 1;
        it->failed = false;
        m_active = true;
        m_outermost = true;
        m_savepoint = true;
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
    const QSqlDatabase db = QSqlDatabase::database(m_name, false);
    if (m_savepoint) {
        it->depth = 0;
        QList<std::function<void()>> after = std::exchange(it->after, {});
        const bool failed = std::exchange(it->failed, false);
        if (!failed && execRaw(db, QStringLiteral("RELEASE ") + kSavepoint)) {
            it->batchAfter.append(std::move(after));
            return true;
        }
        execRaw(db, QStringLiteral("ROLLBACK TO ") + kSavepoint);
        execRaw(db, QStringLiteral("RELEASE ") + kSavepoint);
        return false;
    }
    // Outermost level: take the state out first, so callbacks that open a new transaction start
    // from a clean slate.
    TxState st = std::move(*it);
    states().erase(it);
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
    return it != states().constEnd() && (it->depth > 0 || it->batch);
}

void Transaction::afterCommit(const QSqlDatabase &db, std::function<void()> fn)
{
    auto it = states().find(db.connectionName());
    if (it != states().end() && it->depth > 0)
        it->after.append(std::move(fn));
    else if (it != states().end() && it->batch)
        it->batchAfter.append(std::move(fn)); // written inside the batch, durable with it
    else
        fn();
}

WriteBatch::WriteBatch(const QSqlDatabase &db)
    : m_name(db.connectionName())
{
    if (states().contains(m_name) || !db.isOpen())
        return;
    const bool sqlite = db.driverName() == QLatin1String("QSQLITE");
    if (!execRaw(db, sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN")))
        return; // the units then run as transactions of their own
    TxState st;
    st.batch = true;
    states().insert(m_name, st);
    m_active = true;
}

WriteBatch::~WriteBatch()
{
    commit();
}

bool WriteBatch::commit()
{
    if (!m_active)
        return false;
    m_active = false;
    auto it = states().find(m_name);
    if (it == states().end())
        return false;
    // A unit still open here (a Transaction that outlives the batch) is a programming error; it
    // is rolled back with the batch rather than committed half-done.
    const bool unitOpen = it->depth > 0;
    TxState st = std::move(*it);
    states().erase(it);
    const QSqlDatabase db = QSqlDatabase::database(m_name, false);
    if (unitOpen) {
        qCCritical(lcDb) << "a transaction was still open when its write batch ended; rolled back";
        execRaw(db, QStringLiteral("ROLLBACK"));
        return false;
    }
    if (!execRaw(db, QStringLiteral("COMMIT"))) {
        qCCritical(lcDb) << "could not commit a write batch; its" << st.batchAfter.size()
                         << "unit(s) are rolled back";
        execRaw(db, QStringLiteral("ROLLBACK"));
        return false;
    }
    for (const auto &fn : std::as_const(st.batchAfter))
        fn();
    return true;
}

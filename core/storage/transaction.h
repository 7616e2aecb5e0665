#pragma once

#include <functional>

#include <QSqlDatabase>
#include <QString>

// A database transaction that nests: the outermost Transaction on a connection issues BEGIN
// (BEGIN IMMEDIATE on SQLite, so two processes serialise on the write lock at the start instead
// of failing on upgrade) and COMMIT; inner ones join it. If any level goes out of scope without
// commit(), the whole transaction is rolled back when the outermost level ends.
//
// afterCommit() defers work (signals for the console, waking the outbox) until the data it
// announces is durable; the callbacks are dropped on rollback. Without an open transaction
// they run at once.
//
// Inside a WriteBatch, the outermost Transaction becomes a SAVEPOINT: it still commits or rolls
// back on its own (a failed message does not take the others of the batch with it), but the
// database transaction, and with it the WAL write, is the batch's. Its afterCommit() callbacks
// wait for the batch to commit.
//
// State is per thread and per connection name; QtSql connections are per thread anyway.
class Transaction final
{
public:
    explicit Transaction(const QSqlDatabase &db);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    // False if BEGIN failed; every statement then runs outside a transaction and commit() fails.
    bool isActive() const { return m_active; }
    // Commits (outermost level) or marks this level as done (inner level). Returns false when
    // the transaction, or a level inside it, failed; the data is then rolled back.
    bool commit();
    // Abandons the transaction explicitly.
    void rollback();

    static bool inTransaction(const QSqlDatabase &db);
    static void afterCommit(const QSqlDatabase &db, std::function<void()> fn);

private:
    bool finish(bool commit);

    QString m_name;
    bool m_active = false;
    bool m_done = false;
    bool m_outermost = false;
    bool m_savepoint = false; // outermost level inside a WriteBatch
};

// Many small units of work committed as one database transaction: the bot handles a slice of
// pushes inside one, so a burst of ignored group messages costs one commit per slice instead of
// one per push (SQLite commits dominated the bot's CPU time: fcntl locks and WAL page writes).
// Only at the outside: a WriteBatch opened inside a Transaction or another WriteBatch does
// nothing. The destructor commits.
class WriteBatch final
{
public:
    explicit WriteBatch(const QSqlDatabase &db);
    ~WriteBatch();
    Q_DISABLE_COPY_MOVE(WriteBatch)

    bool isActive() const { return m_active; }
    // COMMIT, then the callbacks of every unit that committed. False (and everything of the batch
    // rolled back, the callbacks dropped) if the COMMIT failed.
    bool commit();

private:
    QString m_name;
    bool m_active = false;
};

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
};

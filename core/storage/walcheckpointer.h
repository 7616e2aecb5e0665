#pragma once

#include <atomic>
#include <memory>

#include <QObject>
#include <QString>

class Database;
class QThread;

// Runs the WAL checkpoints of an SQLite database on a thread of its own, with its own
// connection, so the fsyncs a checkpoint costs never stall the main thread (architecture: nothing
// blocks the event loop for more than a few milliseconds; a checkpoint on the main connection
// took 10-15 ms every few hundred commits). While it runs, the main connection's automatic
// checkpoints are off; stop() (or the destructor) turns them back on.
//
// PASSIVE checkpoints every intervalMs: they never wait for the writer, and once one has copied
// the whole WAL back, the next write starts the WAL over, so the file stays small.
class WalCheckpointer final : public QObject
{
    Q_OBJECT
public:
    struct Stats
    {
        quint64 runs = 0;               // checkpoints attempted
        quint64 framesCheckpointed = 0; // WAL frames copied back, summed over runs
        quint64 busy = 0;               // runs that could not finish (SQLITE_BUSY)
        quint64 failures = 0;           // runs whose PRAGMA failed
        qint64 longestUs = 0;           // the slowest run
    };

    explicit WalCheckpointer(Database *db, int intervalMs = 500, QObject *parent = nullptr);
    ~WalCheckpointer() override;
    Q_DISABLE_COPY_MOVE(WalCheckpointer)

    // Not for PostgreSQL or an unopened database: false with *error, and nothing changes.
    bool start(QString *error);
    // One last checkpoint on the thread, then the thread ends. Idempotent.
    void stop();
    bool isRunning() const { return m_thread != nullptr; }

    Stats stats() const;
    // The thread the checkpoints run on (for tests: it is not the caller's).
    QThread *workerThread() const { return m_thread.get(); }

private:
    class Worker;

    Database *m_db;
    int m_intervalMs;
    std::unique_ptr<QThread> m_thread;
    Worker *m_worker = nullptr; // lives on m_thread

    struct Counters
    {
        std::atomic<quint64> runs{0}, frames{0}, busy{0}, failures{0};
        std::atomic<qint64> longestUs{0};
    };
    std::shared_ptr<Counters> m_counters;
};

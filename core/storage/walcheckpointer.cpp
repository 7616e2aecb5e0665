#include "storage/walcheckpointer.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

#include "logging_p.h"
#include "storage/database.h"

namespace {

bool setAutoCheckpoint(const QSqlDatabase &db, int pages)
{
    QSqlQuery q(db);
    if (q.exec(QStringLiteral("PRAGMA wal_autocheckpoint = %1").arg(pages)))
        return true;
    qCWarning(lcDb).noquote() << "cannot set wal_autocheckpoint:" << q.lastError().text();
    return false;
}

} // namespace

class WalCheckpointer::Worker final : public QObject
{
public:
    Worker(const Database *source, QString name, int intervalMs, std::shared_ptr<Counters> counters)
        : m_source(source)
        , m_name(std::move(name))
        , m_intervalMs(intervalMs)
        , m_counters(std::move(counters))
        , m_timer(this)
    {
        m_timer.setInterval(m_intervalMs);
        connect(&m_timer, &QTimer::timeout, this, &Worker::checkpoint);
    }

    // On the worker thread.
    bool open(QString *error)
    {
        m_db = std::make_unique<Database>(m_name);
        if (!m_db->openLike(*m_source)) {
            *error = m_db->errorString();
            m_db.reset();
            return false;
        }
        m_timer.start();
        return true;
    }

    void finish()
    {
        m_timer.stop();
        if (!m_db)
            return;
        checkpoint();
        m_db->close();
        m_db.reset();
    }

private:
    void checkpoint()
    {
        QElapsedTimer clock;
        clock.start();
        QSqlQuery q(m_db->db());
        // One row: busy (0/1), frames in the WAL, frames checkpointed.
        const bool ok = q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")) && q.next();
        const qint64 us = clock.nsecsElapsed() / 1000;
        m_counters->runs.fetch_add(1, std::memory_order_relaxed);
        if (!ok) {
            m_counters->failures.fetch_add(1, std::memory_order_relaxed);
            if (m_counters->failures.load(std::memory_order_relaxed) == 1)
                qCWarning(lcDb).noquote() << "WAL checkpoint failed:" << q.lastError().text()
                                          << "(retried every" << m_intervalMs << "ms)";
            return;
        }
        if (q.value(0).toInt() != 0)
            m_counters->busy.fetch_add(1, std::memory_order_relaxed);
        const qint64 done = q.value(2).toLongLong();
        if (done > 0)
            m_counters->frames.fetch_add(quint64(done), std::memory_order_relaxed);
        qint64 longest = m_counters->longestUs.load(std::memory_order_relaxed);
        while (us > longest && !m_counters->longestUs.compare_exchange_weak(longest, us)) {
        }
    }

    const Database *m_source;
    QString m_name;
    int m_intervalMs;
    std::shared_ptr<Counters> m_counters;
    std::unique_ptr<Database> m_db;
    QTimer m_timer;
};

WalCheckpointer::WalCheckpointer(Database *db, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_intervalMs(qMax(10, intervalMs))
    , m_counters(std::make_shared<Counters>())
{}

WalCheckpointer::~WalCheckpointer()
{
    stop();
}

bool WalCheckpointer::start(QString *error)
{
    if (m_thread)
        return true;
    if (!m_db || !m_db->db().isOpen() || !m_db->isSqlite()) {
        *error = QStringLiteral("WAL checkpoints on a thread need an open SQLite database");
        return false;
    }
    auto thread = std::make_unique<QThread>();
    thread->setObjectName(QStringLiteral("db-checkpoint"));
    auto *worker =
        new Worker(m_db, m_db->connectionName() + QStringLiteral("-checkpoint"), m_intervalMs, m_counters);
    worker->moveToThread(thread.get());
    thread->start(QThread::LowPriority);
    bool opened = false;
    QString why;
    QMetaObject::invokeMethod(
        worker, [&] { opened = worker->open(&why); }, Qt::BlockingQueuedConnection);
    if (!opened || !setAutoCheckpoint(m_db->db(), 0)) {
        QMetaObject::invokeMethod(
            worker, [worker] { worker->finish(); }, Qt::BlockingQueuedConnection);
        worker->deleteLater();
        thread->quit();
        thread->wait();
        *error = opened ? QStringLiteral("cannot turn automatic checkpoints off")
                        : QStringLiteral("cannot open a checkpoint connection: %1").arg(why);
        return false;
    }
    m_thread = std::move(thread);
    m_worker = worker;
    return true;
}

void WalCheckpointer::stop()
{
    if (!m_thread)
        return;
    // Automatic checkpoints back on first: from here on the main connection looks after the WAL.
    if (m_db && m_db->db().isOpen())
        setAutoCheckpoint(m_db->db(), 1000);
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->finish(); }, Qt::BlockingQueuedConnection);
    worker->deleteLater(); // deleted by the thread as it ends
    m_worker = nullptr;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
}

WalCheckpointer::Stats WalCheckpointer::stats() const
{
    Stats s;
    s.runs = m_counters->runs.load(std::memory_order_relaxed);
    s.framesCheckpointed = m_counters->frames.load(std::memory_order_relaxed);
    s.busy = m_counters->busy.load(std::memory_order_relaxed);
    s.failures = m_counters->failures.load(std::memory_order_relaxed);
    s.longestUs = m_counters->longestUs.load(std::memory_order_relaxed);
    return s;
}

#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QMutex>
#include <QString>

// The pushes that were ACKed but may not be recorded yet, in a file beside the database.
//
// The long connection ACKs a push at once (spec §5.5 REC) and the main thread records it in the
// event ledger a moment later. A process killed in between would lose the push for good: the
// platform never pushes an ACKed message again. So the I/O thread appends every completed push
// here before its ACK is written (one write(2), no fsync: a killed process loses nothing that
// reached the kernel; a power cut can lose the last pushes, as it can lose SQLite's last commit
// with synchronous=NORMAL). The owner thread settles pushes, oldest first, once their ledger rows
// are committed; when every appended push is settled, the file is emptied. The next start hands
// back what was never settled, and the event ledger drops the ones that were recorded after all.
//
// Record: "P1 <type> <base64 payload>\n". A torn last line (killed mid-write) or a line that does
// not parse is skipped with a warning. Thread-safe: append() on the I/O thread, settle() on the
// owner thread.
class PushJournal
{
public:
    struct Record
    {
        QByteArray payload;
        QByteArray type;
    };

    explicit PushJournal(QString path);
    ~PushJournal();
    Q_DISABLE_COPY_MOVE(PushJournal)

    // Reads what the last run left, then keeps the file open for appending. The left-over records
    // count as appended: settle them like any other. False (with a reason) if the file cannot be
    // read or written; the journal then does nothing, and the bot runs without it.
    bool open(QList<Record> *leftOver, QString *error);
    bool isOpen() const;
    QString path() const { return m_path; }

    // I/O thread, before the ACK. A failed write is logged (once per run of failures) and counted
    // like a written record, so settle() stays in step; the push is then only as safe as without
    // a journal.
    void append(const QByteArray &payload, const QByteArray &type);
    // Owner thread: the next `count` pushes (in append order) are recorded for good.
    void settle(int count);

    // Appended and not yet settled.
    int pending() const;
    qint64 sizeBytes() const;

    // A file larger than this with settled records at its head is rewritten without them.
    static constexpr qint64 kCompactBytes = 1 << 20;

private:
    void compactLocked();

    const QString m_path;
    mutable QMutex m_mutex;
    QFile m_file;
    QList<qint64> m_offsets; // start of every record in the file, in order (-1: not written)
    int m_settled = 0;       // records at the head of m_offsets that are settled
    bool m_failing = false;  // the last append failed (logged once until one succeeds)
};

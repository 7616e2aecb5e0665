#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "storage/database.h"
#include "storage/walcheckpointer.h"

// WAL checkpoints on a thread of their own, on a real SQLite file: the main connection's
// automatic checkpoints are off while the checkpointer runs, the WAL is copied back and starts
// over (so the file stays small), and everything is as before once it stops.
class TestWalCheckpointer final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void takesOverTheCheckpoints();
    void walStaysSmallUnderWrites();
    void stopRestoresAutomaticCheckpoints();
    void refusesAClosedDatabase();

private:
    int autoCheckpointPages();
    bool writeRows(int from, int count);
    qint64 walSize() const { return QFileInfo(m_path + QStringLiteral("-wal")).size(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    QString m_path;
};

void TestWalCheckpointer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("ckpt.db"));
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = m_path;
    m_db = std::make_unique<Database>(QStringLiteral("ckpt-main"));
    QVERIFY2(m_db->open(loc), qPrintable(m_db->errorString()));
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE t(id INTEGER PRIMARY KEY, payload TEXT)")));
}

void TestWalCheckpointer::cleanup()
{
    m_db.reset();
    m_dir.reset();
}

int TestWalCheckpointer::autoCheckpointPages()
{
    QSqlQuery q(m_db->db());
    if (!q.exec(QStringLiteral("PRAGMA wal_autocheckpoint")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

bool TestWalCheckpointer::writeRows(int from, int count)
{
    // One commit per row, 2 KB each: every commit appends pages to the WAL.
    QSqlQuery q(m_db->db());
    if (!q.prepare(QStringLiteral("INSERT INTO t(id, payload) VALUES(?, ?)")))
        return false;
    for (int i = from; i < from + count; ++i) {
        q.bindValue(0, i);
        q.bindValue(1, QString(2048, QChar(u'a' + i % 26)));
        if (!q.exec())
            return false;
    }
    return true;
}

void TestWalCheckpointer::takesOverTheCheckpoints()
{
    QCOMPARE(autoCheckpointPages(), 1000); // SQLite's default before
    WalCheckpointer ckpt(m_db.get(), 20);
    QString error;
    QVERIFY2(ckpt.start(&error), qPrintable(error));
    QVERIFY(ckpt.isRunning());
    QVERIFY(ckpt.workerThread() && ckpt.workerThread() != QThread::currentThread());
    QCOMPARE(autoCheckpointPages(), 0);

    QVERIFY(writeRows(0, 300));
    QTRY_VERIFY(ckpt.stats().framesCheckpointed >= 300);
    const WalCheckpointer::Stats s = ckpt.stats();
    QVERIFY(s.runs > 0);
    QCOMPARE(s.failures, quint64(0));
    QVERIFY(s.longestUs > 0);
}

void TestWalCheckpointer::walStaysSmallUnderWrites()
{
    // Without the automatic checkpoint and without a checkpointer, 3000 commits of 2 KB would
    // leave a WAL of over 12 MB; with it, the WAL is copied back and started over as it goes.
    // Each round of writes begins right after a run has copied the whole WAL back (and long
    // before the next run), so its first commit starts the WAL over; a run that happened to
    // overlap that commit would only postpone the restart to the next round.
    WalCheckpointer ckpt(m_db.get(), 150);
    QString error;
    QVERIFY2(ckpt.start(&error), qPrintable(error));
    qint64 largest = 0;
    for (int round = 0; round < 30; ++round) {
        const quint64 runsBefore = ckpt.stats().runs;
        QTRY_VERIFY(ckpt.stats().runs > runsBefore);
        QVERIFY(writeRows(round * 100, 100));
        largest = qMax(largest, walSize());
    }
    QTRY_VERIFY(ckpt.stats().framesCheckpointed >= 3000);
    // The WAL file is overwritten from its start, not truncated, so its size is the high-water
    // mark: a round is 100 commits of two or three 4 KB pages (about 1.2 MB). Never restarted,
    // 3000 commits would leave at least 3000 pages, over 12 MB.
    QVERIFY2(largest < 6 * 1024 * 1024, qPrintable(QString::number(largest)));
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM t")) && q.next());
    QCOMPARE(q.value(0).toInt(), 3000);
    QCOMPARE(m_db->integrityCheck(true), QStringLiteral("ok"));
}

void TestWalCheckpointer::stopRestoresAutomaticCheckpoints()
{
    auto ckpt = std::make_unique<WalCheckpointer>(m_db.get(), 1000);
    QString error;
    QVERIFY2(ckpt->start(&error), qPrintable(error));
    QVERIFY(writeRows(0, 50));
    ckpt->stop(); // runs one last checkpoint on its thread
    QVERIFY(!ckpt->isRunning());
    QCOMPARE(autoCheckpointPages(), 1000);
    QVERIFY(ckpt->stats().framesCheckpointed >= 50);
    ckpt->stop(); // idempotent
    ckpt.reset();
    QVERIFY(writeRows(50, 10)); // the main connection is untouched
}

void TestWalCheckpointer::refusesAClosedDatabase()
{
    Database closed(QStringLiteral("ckpt-closed"));
    WalCheckpointer ckpt(&closed);
    QString error;
    QVERIFY(!ckpt.start(&error));
    QVERIFY(error.contains(QLatin1String("SQLite")));
    QVERIFY(!ckpt.isRunning());
}

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_walcheckpointer.moc"

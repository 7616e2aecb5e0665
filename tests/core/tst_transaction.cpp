#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "storage/database.h"
#include "storage/transaction.h"

using namespace Qt::StringLiterals;

// Transaction nesting and WriteBatch (one database transaction for many units of work, each
// unit a savepoint that commits or rolls back on its own), on a real SQLite file with a second
// connection looking from outside.
class TestTransaction final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void nestedLevelsJoinAndOneFailureRollsBackAll();
    void batchUnitsCommitOnTheirOwn();
    void batchIsInvisibleOutsideUntilCommitted();
    void afterCommitWaitsForTheBatch();
    void batchInsideTransactionDoesNothing();
    void failedBatchCommitDropsEverything();
    void unitsWithoutBatchStillCommitAtOnce();

private:
    int rows(const QSqlDatabase &db, const QString &where = QString());
    bool insert(int v);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Database> m_other; // another connection to the same file
};

void TestTransaction::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = m_dir->filePath(QStringLiteral("tx.db"));
    m_db = std::make_unique<Database>(QStringLiteral("tx-main"));
    QVERIFY2(m_db->open(loc), qPrintable(m_db->errorString()));
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE t(v INTEGER PRIMARY KEY)")));
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE parent(id INTEGER PRIMARY KEY)")));
    QVERIFY(q.exec(QStringLiteral("CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES "
                                  "parent(id) DEFERRABLE INITIALLY DEFERRED)")));
    m_other = std::make_unique<Database>(QStringLiteral("tx-other"));
    QVERIFY2(m_other->open(loc), qPrintable(m_other->errorString()));
}

void TestTransaction::cleanup()
{
    m_other.reset();
    m_db.reset();
    m_dir.reset();
}

int TestTransaction::rows(const QSqlDatabase &db, const QString &where)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM t") +
                (where.isEmpty() ? QString() : u" WHERE "_s + where)) ||
        !q.next())
        return -1;
    return q.value(0).toInt();
}

bool TestTransaction::insert(int v)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("INSERT INTO t(v) VALUES(?)"));
    q.addBindValue(v);
    return q.exec();
}

void TestTransaction::nestedLevelsJoinAndOneFailureRollsBackAll()
{
    {
        Transaction outer(m_db->db());
        QVERIFY(outer.isActive());
        QVERIFY(insert(1));
        {
            Transaction inner(m_db->db());
            QVERIFY(insert(2));
            inner.rollback();
        }
        QVERIFY(!outer.commit()); // the inner failure poisons the whole transaction
    }
    QCOMPARE(rows(m_other->db()), 0);
}

void TestTransaction::batchUnitsCommitOnTheirOwn()
{
    {
        WriteBatch batch(m_db->db());
        QVERIFY(batch.isActive());
        for (int v = 1; v <= 5; ++v) {
            Transaction unit(m_db->db());
            QVERIFY(unit.isActive());
            QVERIFY(insert(v));
            {
                Transaction inner(m_db->db()); // joins the unit
                QVERIFY(insert(v * 100));
                if (v == 3)
                    inner.rollback();
                else
                    QVERIFY(inner.commit());
            }
            // Unit 3 failed inside: it rolls back alone, its rows go, the others' stay.
            QCOMPARE(unit.commit(), v != 3);
        }
        // A failed statement does not end the batch either: the primary key clash below fails
        // its unit only.
        {
            Transaction unit(m_db->db());
            QVERIFY(!insert(1));
            unit.rollback();
        }
        QVERIFY(batch.commit());
    }
    QCOMPARE(rows(m_other->db()), 8);
    QCOMPARE(rows(m_other->db(), QStringLiteral("v IN (3, 300)")), 0);
    QCOMPARE(rows(m_other->db(), QStringLiteral("v IN (1, 2, 4, 5, 100, 200, 400, 500)")), 8);
}

void TestTransaction::batchIsInvisibleOutsideUntilCommitted()
{
    WriteBatch batch(m_db->db());
    {
        Transaction unit(m_db->db());
        QVERIFY(insert(7));
        QVERIFY(unit.commit());
    }
    QCOMPARE(rows(m_db->db()), 1);    // the batch's own connection sees it
    QCOMPARE(rows(m_other->db()), 0); // nobody else does, not before the batch commits
    QVERIFY(batch.commit());
    QCOMPARE(rows(m_other->db()), 1);
    QVERIFY(!batch.commit()); // once
}

void TestTransaction::afterCommitWaitsForTheBatch()
{
    QStringList ran;
    {
        WriteBatch batch(m_db->db());
        {
            Transaction unit(m_db->db());
            QVERIFY(insert(1));
            Transaction::afterCommit(m_db->db(), [&] { ran << u"unit 1"_s; });
            QVERIFY(unit.commit());
        }
        {
            Transaction unit(m_db->db());
            QVERIFY(insert(2));
            Transaction::afterCommit(m_db->db(), [&] { ran << u"unit 2 (rolled back)"_s; });
            unit.rollback();
        }
        // A statement outside any unit is in the batch too.
        QVERIFY(Transaction::inTransaction(m_db->db()));
        QVERIFY(insert(3));
        Transaction::afterCommit(m_db->db(), [&] { ran << u"outside a unit"_s; });
        QVERIFY(ran.isEmpty()); // nothing announced before it is durable
    }                           // the destructor commits
    QCOMPARE(ran, (QStringList{u"unit 1"_s, u"outside a unit"_s}));
    QCOMPARE(rows(m_other->db()), 2);
    QVERIFY(!Transaction::inTransaction(m_db->db()));
}

void TestTransaction::batchInsideTransactionDoesNothing()
{
    {
        Transaction tx(m_db->db());
        {
            WriteBatch batch(m_db->db());
            QVERIFY(!batch.isActive());
            QVERIFY(insert(1));
        }
        QVERIFY(Transaction::inTransaction(m_db->db())); // the batch did not end the transaction
        QCOMPARE(rows(m_other->db()), 0);
        QVERIFY(tx.commit());
    }
    QCOMPARE(rows(m_other->db()), 1);
    {
        WriteBatch outer(m_db->db());
        WriteBatch inner(m_db->db());
        QVERIFY(outer.isActive());
        QVERIFY(!inner.isActive());
    }
}

void TestTransaction::failedBatchCommitDropsEverything()
{
    // A deferred foreign key is checked at COMMIT, so this batch's COMMIT fails.
    bool announced = false;
    {
        WriteBatch batch(m_db->db());
        {
            Transaction unit(m_db->db());
            QVERIFY(insert(1));
            Transaction::afterCommit(m_db->db(), [&] { announced = true; });
            QVERIFY(unit.commit());
        }
        {
            Transaction unit(m_db->db());
            QSqlQuery q(m_db->db());
            QVERIFY(q.exec(QStringLiteral("INSERT INTO child(id, parent_id) VALUES(1, 42)")));
            QVERIFY(unit.commit()); // RELEASE does not check deferred constraints
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"query failed.*COMMIT.*FOREIGN KEY"_s));
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"could not commit a write batch"_s));
        QVERIFY(!batch.commit());
    }
    QVERIFY(!announced);
    QCOMPARE(rows(m_other->db()), 0);
    QVERIFY(!Transaction::inTransaction(m_db->db()));
    // The connection is usable afterwards.
    {
        Transaction tx(m_db->db());
        QVERIFY(insert(2));
        QVERIFY(tx.commit());
    }
    QCOMPARE(rows(m_other->db()), 1);
}

void TestTransaction::unitsWithoutBatchStillCommitAtOnce()
{
    bool announced = false;
    {
        Transaction tx(m_db->db());
        QVERIFY(insert(1));
        Transaction::afterCommit(m_db->db(), [&] { announced = true; });
        QVERIFY(!announced);
        QVERIFY(tx.commit());
    }
    QVERIFY(announced);
    QCOMPARE(rows(m_other->db()), 1);
}

QTEST_GUILESS_MAIN(TestTransaction)
#include "tst_transaction.moc"

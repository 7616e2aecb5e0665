#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "storage/database.h"

class TestDatabase final : public QObject
{
    Q_OBJECT
private slots:
    void parseUrl_data();
    void parseUrl();
    void createsAndMigrates();
    void reopenKeepsData();
    void refusesDamagedFile();
    void refusesNewerSchema();
};

void TestDatabase::parseUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("path");
    QTest::newRow("relative") << QStringLiteral("sqlite:///data/tsp.db") << int(Database::Location::Sqlite)
                              << QStringLiteral("/base/data/tsp.db");
    QTest::newRow("absolute") << QStringLiteral("sqlite:////var/lib/tsp.db") << int(Database::Location::Sqlite)
                              << QStringLiteral("/var/lib/tsp.db");
    QTest::newRow("postgres") << QStringLiteral("postgresql://u:p@db.local:5433/tsp") << int(Database::Location::Postgres)
                              << QString();
    QTest::newRow("mysql") << QStringLiteral("mysql://x/y") << int(Database::Location::Invalid) << QString();
    QTest::newRow("no file") << QStringLiteral("sqlite:///") << int(Database::Location::Invalid) << QString();
}

void TestDatabase::parseUrl()
{
    QFETCH(QString, url);
    QFETCH(int, kind);
    QFETCH(QString, path);
    const auto loc = Database::parseUrl(url, QStringLiteral("/base"));
    QCOMPARE(int(loc.kind), kind);
    QCOMPARE(loc.sqlitePath, path);
    if (kind == Database::Location::Postgres) {
        QCOMPARE(loc.host, QStringLiteral("db.local"));
        QCOMPARE(loc.port, 5433);
        QCOMPARE(loc.dbName, QStringLiteral("tsp"));
        QCOMPARE(loc.user, QStringLiteral("u"));
    }
    if (kind == Database::Location::Invalid)
        QVERIFY(!loc.error.isEmpty());
}

void TestDatabase::createsAndMigrates()
{
    QTemporaryDir dir;
    Database db(QStringLiteral("t1"));
    QVERIFY2(db.open(Database::parseUrl(QStringLiteral("sqlite:///sub/x.db"), dir.path())), qPrintable(db.errorString()));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("sub/x.db"))));
    QCOMPARE(db.schemaVersion(), Database::latestSchemaVersion());
    QSqlQuery q(db.db());
    QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    for (const char *table : {"sessions", "messages", "drafts", "outbox", "event_ledger", "audit_log", "settings", "knowledge"}) {
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))));
    }
    QCOMPARE(db.integrityCheck(true), QStringLiteral("ok"));
}

void TestDatabase::reopenKeepsData()
{
    QTemporaryDir dir;
    const auto loc = Database::parseUrl(QStringLiteral("sqlite:///x.db"), dir.path());
    {
        Database db(QStringLiteral("t2"));
        QVERIFY(db.open(loc));
        QSqlQuery q(db.db());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO settings(key, value) VALUES ('k', '车机')")));
    }
    Database db(QStringLiteral("t2"));
    QVERIFY2(db.open(loc), qPrintable(db.errorString()));
    QSqlQuery q(db.db());
    QVERIFY(q.exec(QStringLiteral("SELECT value FROM settings WHERE key='k'")) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("车机"));
}

void TestDatabase::refusesDamagedFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.db"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a database, it is a text file that someone renamed");
    }
    Database db(QStringLiteral("t3"));
    QVERIFY(!db.open(Database::parseUrl(QStringLiteral("sqlite:///bad.db"), dir.path())));
    QVERIFY2(db.errorString().contains(QLatin1String("not an SQLite database")), qPrintable(db.errorString()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().startsWith("this is not a database")); // never silently recreated

    // A real database whose pages were overwritten.
    const QString path2 = dir.filePath(QStringLiteral("corrupt.db"));
    {
        Database good(QStringLiteral("t3b"));
        QVERIFY(good.open(Database::parseUrl(QStringLiteral("sqlite:///corrupt.db"), dir.path())));
        QSqlQuery q(good.db());
        QVERIFY(q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
        q.finish();
    }
    {
        QFile f2(path2);
        QVERIFY(f2.open(QIODevice::ReadWrite));
        QVERIFY(f2.size() > 8192);
        // Overwrite the b-tree page headers of pages 2 and 3 (the first tables' roots).
        f2.seek(4096);
        f2.write(QByteArray(64, '\xAB'));
        f2.seek(8192);
        f2.write(QByteArray(64, '\xAB'));
    }
    Database db2(QStringLiteral("t3c"));
    QVERIFY(!db2.open(Database::parseUrl(QStringLiteral("sqlite:///corrupt.db"), dir.path())));
    QVERIFY2(db2.errorString().contains(QLatin1String("damaged")) || db2.errorString().contains(QLatin1String("malformed")),
             qPrintable(db2.errorString()));
}

void TestDatabase::refusesNewerSchema()
{
    QTemporaryDir dir;
    const auto loc = Database::parseUrl(QStringLiteral("sqlite:///n.db"), dir.path());
    {
        Database db(QStringLiteral("t4"));
        QVERIFY(db.open(loc));
        QSqlQuery q(db.db());
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 999")));
    }
    Database db(QStringLiteral("t4"));
    QVERIFY(!db.open(loc));
    QVERIFY2(db.errorString().contains(QLatin1String("newer")), qPrintable(db.errorString()));
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"

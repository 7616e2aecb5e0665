#pragma once

#include <QSqlDatabase>
#include <QString>

// Owns one named QtSql connection (one per thread, as QtSql requires), applies the pragmas and
// migrates the schema forward. The schema version lives in PRAGMA user_version; each migration
// step runs in its own transaction.
class Database final
{
public:
    struct Location
    {
        enum Kind { Invalid, Sqlite, Postgres } kind = Invalid;
        QString sqlitePath;  // absolute or relative to the data dir
        QString host, user, password, dbName;
        int port = 5432;
        QString error;
    };

    // DATABASE_URL as the Python system wrote it: sqlite:///relative.db, sqlite:////abs/path.db,
    // postgresql://user:pass@host:port/db. A relative SQLite path is resolved against baseDir.
    static Location parseUrl(const QString &url, const QString &baseDir);

    explicit Database(QString connectionName);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    // Opens (creating the file if needed), checks integrity of an existing file, sets WAL and
    // migrates. A damaged file is never recreated: open() fails with a message that says so.
    bool open(const Location &location);
    // Opens another connection to the same database for a worker thread (call from that thread).
    bool openLike(const Database &other);
    void close();

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    QString connectionName() const { return m_name; }
    QString errorString() const { return m_error; }
    int schemaVersion() const;
    bool isSqlite() const { return m_location.kind == Location::Sqlite; }
    const Location &location() const { return m_location; }

    // PRAGMA quick_check / integrity_check result: "ok" when healthy.
    QString integrityCheck(bool full = false) const;

    static int latestSchemaVersion();

private:
    bool migrate();

    QString m_name;
    Location m_location;
    QString m_error;
};

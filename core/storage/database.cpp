#include "storage/database.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include "logging_p.h"
#include "storage/migrations.h"

namespace {

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        *error = q.lastError().text();
        qCWarning(lcDb) << "query failed:" << sql.left(200) << q.lastError().text();
        return false;
    }
    return true;
}

// The first 16 bytes of every SQLite 3 database file.
bool looksLikeSqlite(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    if (f.size() == 0)
        return true; // an empty file is a new database as far as SQLite is concerned
    return f.read(16) == QByteArrayView("SQLite format 3\0", 16);
}

} // namespace

Database::Location Database::parseUrl(const QString &url, const QString &baseDir)
{
    Location loc;
    const QString u = url.trimmed();
    if (u.startsWith(QLatin1String("sqlite:///"))) {
        loc.kind = Location::Sqlite;
        QString rest = u.mid(10); // after "sqlite:///"
        if (rest.startsWith(QLatin1Char('/'))) {
            loc.sqlitePath = QDir::cleanPath(rest); // sqlite:////abs/path.db
        } else if (rest.isEmpty()) {
            loc.kind = Location::Invalid;
            loc.error = QStringLiteral("DATABASE_URL names no file: %1").arg(u);
        } else {
            loc.sqlitePath = QDir::cleanPath(QDir(baseDir).absoluteFilePath(rest));
        }
        return loc;
    }
    if (u.startsWith(QLatin1String("postgresql://")) || u.startsWith(QLatin1String("postgres://"))) {
        const QUrl q(u);
        if (!q.isValid() || q.host().isEmpty() || q.path().size() < 2) {
            loc.error = QStringLiteral("DATABASE_URL is not a valid postgresql:// URL");
            return loc;
        }
        loc.kind = Location::Postgres;
        loc.host = q.host();
        loc.port = q.port(5432);
        loc.user = q.userName();
        loc.password = q.password();
        loc.dbName = q.path().mid(1);
        return loc;
    }
    loc.error = QStringLiteral("DATABASE_URL must start with sqlite:/// or postgresql:// (got \"%1\")")
                    .arg(u.section(QLatin1String("://"), 0, 0));
    return loc;
}

Database::Database(QString connectionName)
    : m_name(std::move(connectionName))
{
}

Database::~Database() { close(); }

void Database::close()
{
    if (!QSqlDatabase::contains(m_name))
        return;
    {
        QSqlDatabase d = QSqlDatabase::database(m_name, false);
        if (d.isOpen())
            d.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

bool Database::open(const Location &location)
{
    m_location = location;
    if (location.kind == Location::Invalid) {
        m_error = location.error.isEmpty() ? QStringLiteral("no database configured") : location.error;
        return false;
    }
    if (location.kind == Location::Postgres) {
        QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        d.setHostName(location.host);
        d.setPort(location.port);
        d.setUserName(location.user);
        d.setPassword(location.password);
        d.setDatabaseName(location.dbName);
        if (!d.open()) {
            m_error = QStringLiteral("cannot connect to PostgreSQL at %1:%2: %3")
                          .arg(location.host)
                          .arg(location.port)
                          .arg(d.lastError().text());
            return false;
        }
        m_error = QStringLiteral("PostgreSQL is not supported yet by this build; use a sqlite:/// DATABASE_URL");
        return false;
    }

    const QFileInfo fi(location.sqlitePath);
    const bool existed = fi.exists() && fi.size() > 0;
    if (!QDir().mkpath(fi.absolutePath())) {
        m_error = QStringLiteral("cannot create the folder %1").arg(fi.absolutePath());
        return false;
    }
    if (existed && !looksLikeSqlite(location.sqlitePath)) {
        m_error = QStringLiteral("%1 is not an SQLite database (damaged or a different file). It was left untouched; "
                                 "move it aside or restore a backup.")
                      .arg(location.sqlitePath);
        return false;
    }
    QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    d.setDatabaseName(location.sqlitePath);
    d.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!d.open()) {
        m_error = QStringLiteral("cannot open %1: %2").arg(location.sqlitePath, d.lastError().text());
        return false;
    }
    if (existed) {
        const QString check = integrityCheck(false);
        if (check != QLatin1String("ok")) {
            m_error = QStringLiteral("%1 is damaged (quick_check: %2). It was left untouched; restore a backup or "
                                     "run sqlite3 .recover on a copy.")
                          .arg(location.sqlitePath, check.left(300));
            d.close();
            return false;
        }
    }
    QString err;
    if (!exec(d, QStringLiteral("PRAGMA journal_mode=WAL"), &err) || !exec(d, QStringLiteral("PRAGMA synchronous=NORMAL"), &err)
        || !exec(d, QStringLiteral("PRAGMA foreign_keys=ON"), &err)) {
        m_error = QStringLiteral("cannot configure %1: %2").arg(location.sqlitePath, err);
        return false;
    }
    return migrate();
}

bool Database::openLike(const Database &other)
{
    m_location = other.m_location;
    if (m_location.kind != Location::Sqlite) {
        m_error = QStringLiteral("only SQLite is supported");
        return false;
    }
    QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    d.setDatabaseName(m_location.sqlitePath);
    d.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!d.open()) {
        m_error = d.lastError().text();
        return false;
    }
    QString err;
    exec(d, QStringLiteral("PRAGMA foreign_keys=ON"), &err);
    exec(d, QStringLiteral("PRAGMA synchronous=NORMAL"), &err);
    return true;
}

int Database::schemaVersion() const
{
    QSqlQuery q(db());
    if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
        return q.value(0).toInt();
    return -1;
}

int Database::latestSchemaVersion() { return schemaMigrations().constLast().version; }

QString Database::integrityCheck(bool full) const
{
    QSqlQuery q(db());
    if (!q.exec(full ? QStringLiteral("PRAGMA integrity_check") : QStringLiteral("PRAGMA quick_check")))
        return q.lastError().text();
    QStringList lines;
    while (q.next())
        lines << q.value(0).toString();
    return lines.join(QLatin1String("; "));
}

bool Database::migrate()
{
    QSqlDatabase d = db();
    const int current = schemaVersion();
    if (current < 0) {
        m_error = QStringLiteral("cannot read the schema version");
        return false;
    }
    if (current > latestSchemaVersion()) {
        m_error = QStringLiteral("the database has schema version %1, newer than this program knows (%2); "
                                 "use a newer tsp-assistant")
                      .arg(current)
                      .arg(latestSchemaVersion());
        return false;
    }
    for (const Migration &m : schemaMigrations()) {
        if (m.version <= current)
            continue;
        if (!d.transaction()) {
            m_error = d.lastError().text();
            return false;
        }
        QString err;
        bool ok = true;
        for (const QString &sql : m.statements) {
            if (!exec(d, sql, &err)) {
                ok = false;
                break;
            }
        }
        if (ok)
            ok = exec(d, QStringLiteral("PRAGMA user_version = %1").arg(m.version), &err);
        if (!ok || !d.commit()) {
            d.rollback();
            m_error = QStringLiteral("migration to schema %1 (%2) failed: %3")
                          .arg(m.version)
                          .arg(QLatin1String(m.name), err.isEmpty() ? d.lastError().text() : err);
            return false;
        }
        qCInfo(lcDb) << "migrated schema to version" << m.version << "-" << m.name;
    }
    return true;
}

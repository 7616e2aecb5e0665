#include "storage/settingsstore.h"

#include <QSqlQuery>
#include <QVariant>

#include "storage/database.h"
#include "storage/sqlutil.h"

SettingsStore::SettingsStore(Database *db)
    : m_conn(db ? db->connectionName() : QString())
{}

QString SettingsStore::value(const QString &key) const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("SELECT value FROM settings WHERE key = ?"), {key}, "read setting") ||
        !q.next())
        return {};
    return q.value(0).toString();
}

bool SettingsStore::setValue(const QString &key, const QString &value)
{
    QSqlQuery q(Sql::connection(m_conn));
    return Sql::run(
        q,
        QStringLiteral("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET"
                       " value = excluded.value"),
        {key, value}, "save setting");
}

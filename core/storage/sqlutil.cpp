#include "storage/sqlutil.h"

#include <QDateTime>
#include <QSqlError>
#include <QVariant>

#include "logging_p.h"

namespace Sql {

Clock systemClock()
{
    return [] { return QDateTime::currentMSecsSinceEpoch(); };
}

QSqlDatabase connection(const QString &name)
{
    return QSqlDatabase::database(name, false);
}

bool prepare(QSqlQuery &q, const QString &sql)
{
    if (q.prepare(sql))
        return true;
    qCWarning(lcDb).noquote() << "cannot prepare query:" << sql.left(300) << "-" << q.lastError().text();
    return false;
}

bool exec(QSqlQuery &q, const char *what)
{
    if (q.exec())
        return true;
    qCWarning(lcDb).noquote() << "query failed (" << what << "):" << q.lastQuery().left(300) << "-"
                              << q.lastError().text();
    return false;
}

bool run(QSqlQuery &q, const QString &sql, const QVariantList &values, const char *what)
{
    if (!prepare(q, sql))
        return false;
    for (const QVariant &v : values) {
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            q.addBindValue(QString(QLatin1String("")));
        else
            q.addBindValue(v);
    }
    return exec(q, what);
}

} // namespace Sql

#include "storage/auditlog.h"

#include <QPointer>
#include <QSqlQuery>
#include <QVariant>

#include "logging_p.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace {

QList<AuditLog::Entry> readEntries(QSqlQuery &q)
{
    QList<AuditLog::Entry> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                    q.value(3).toString(), q.value(4).toString(), q.value(5).toString()});
    return out;
}

} // namespace

AuditLog::AuditLog(Database *db, QObject *parent)
    : QObject(parent)
    , m_conn(db ? db->connectionName() : QString())
{}

AuditLog::~AuditLog() = default;

qint64 AuditLog::record(const QString &actor, const QString &action, const QString &target,
                        const QString &detail)
{
    const QSqlDatabase db = Sql::connection(m_conn);
    QSqlQuery q(db);
    if (!Sql::run(
            q,
            QStringLiteral("INSERT INTO audit_log(at, actor, action, target, detail) VALUES(?, ?, ?, ?, ?)"),
            {m_clock(), actor, action, target, detail}, "record audit entry"))
        return 0;
    const qint64 id = q.lastInsertId().toLongLong();
    qCInfo(lcSession).noquote() << "audit:" << actor << action << target;
    QPointer<AuditLog> self(this);
    Transaction::afterCommit(db, [self, id] {
        if (self)
            emit self->recorded(id);
    });
    return id;
}

QList<AuditLog::Entry> AuditLog::entries(int limit) const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral(
                      "SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?"),
                  {limit}, "read audit log"))
        return {};
    return readEntries(q);
}

QList<AuditLog::Entry> AuditLog::entriesFor(const QString &target, int limit) const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(
            q,
            QStringLiteral("SELECT id, at, actor, action, target, detail FROM audit_log WHERE target = ?"
                           " ORDER BY id DESC LIMIT ?"),
            {target, limit}, "read audit log"))
        return {};
    return readEntries(q);
}

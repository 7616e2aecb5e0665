#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include "storage/sqlutil.h"

class Database;

// Who did what in the console: approvals, edits, rejections, takeovers, mode changes.
class AuditLog final : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        qint64 id = 0;
        qint64 at = 0;
        QString actor;
        QString action;
        QString target;
        QString detail;
    };

    explicit AuditLog(Database *db, QObject *parent = nullptr);
    ~AuditLog() override;
    Q_DISABLE_COPY_MOVE(AuditLog)

    void setClock(Sql::Clock clock) { m_clock = std::move(clock); }

    // Returns the new row id, or 0 on a database error. Joins the caller's transaction, if any.
    qint64 record(const QString &actor, const QString &action, const QString &target,
                  const QString &detail = {});
    // Newest first.
    QList<Entry> entries(int limit = 200) const;
    QList<Entry> entriesFor(const QString &target, int limit = 200) const;

signals:
    void recorded(qint64 id);

private:
    QString m_conn;
    Sql::Clock m_clock = Sql::systemClock();
};

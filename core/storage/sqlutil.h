#pragma once

#include <functional>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

// Small helpers every store uses so that each failed query is logged the same way
// (lastQuery + lastError under tsp.db) and timestamps come from one replaceable clock.
namespace Sql {

// Milliseconds since the epoch (UTC). Stores take a Clock so tests can move time.
using Clock = std::function<qint64()>;
Clock systemClock();

// The named connection of the calling thread (invalid if it was never opened).
QSqlDatabase connection(const QString &name);

// Prepares `sql` on `q`; logs and returns false on failure.
bool prepare(QSqlQuery &q, const QString &sql);
// Executes a prepared query; logs lastQuery() and lastError() on failure. `what` says what the
// caller was doing, e.g. "mark event as seen".
bool exec(QSqlQuery &q, const char *what);
// Prepare + bind positional values + exec in one call. A null QString binds as '' (QtSql would
// bind NULL and trip NOT NULL columns); pass QVariant() for an SQL NULL.
bool run(QSqlQuery &q, const QString &sql, const QVariantList &values, const char *what);

} // namespace Sql

#include "storage/analysisstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include "logging_p.h"
#include "storage/database.h"

namespace {

bool execLogged(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    *error = q.lastError().text();
    qCWarning(lcDb).noquote() << "query failed:" << q.lastQuery() << "-" << q.lastError().text();
    return false;
}

} // namespace

AnalysisStore::AnalysisStore(Database *database)
    : m_database(database)
{}

bool AnalysisStore::save(qint64 sessionId, const AnalysisRecord &a)
{
    QSqlQuery q(m_database->db());
    q.prepare(QStringLiteral(
        "INSERT INTO analysis (session_id, category, urgency, summary, entities, next_step, source, "
        "updated_at)"
        " VALUES (:sid, :category, :urgency, :summary, :entities, :next, :source, :at)"
        " ON CONFLICT(session_id) DO UPDATE SET category = excluded.category, urgency = excluded.urgency,"
        " summary = excluded.summary, entities = excluded.entities, next_step = excluded.next_step,"
        " source = excluded.source, updated_at = excluded.updated_at"));
    q.bindValue(QStringLiteral(":sid"), sessionId);
    q.bindValue(QStringLiteral(":category"), a.category);
    q.bindValue(QStringLiteral(":urgency"), a.urgency);
    q.bindValue(QStringLiteral(":summary"), a.summary);
    q.bindValue(QStringLiteral(":entities"),
                QString::fromUtf8(QJsonDocument(a.entities).toJson(QJsonDocument::Compact)));
    q.bindValue(QStringLiteral(":next"), a.nextStep);
    q.bindValue(QStringLiteral(":source"), a.source);
    q.bindValue(QStringLiteral(":at"), a.updatedAt > 0 ? a.updatedAt : QDateTime::currentMSecsSinceEpoch());
    return execLogged(q, &m_error);
}

std::optional<AnalysisRecord> AnalysisStore::load(qint64 sessionId) const
{
    QSqlQuery q(m_database->db());
    q.prepare(QStringLiteral("SELECT category, urgency, summary, entities, next_step, source, updated_at"
                             " FROM analysis WHERE session_id = :sid"));
    q.bindValue(QStringLiteral(":sid"), sessionId);
    if (!execLogged(q, &m_error) || !q.next())
        return std::nullopt;
    AnalysisRecord a;
    a.category = q.value(0).toString();
    a.urgency = q.value(1).toString();
    a.summary = q.value(2).toString();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(q.value(3).toString().toUtf8(), &pe);
    if (pe.error != QJsonParseError::NoError && !q.value(3).toString().isEmpty())
        qCWarning(lcDb) << "analysis of session" << sessionId
                        << "has unreadable entities JSON:" << pe.errorString();
    a.entities = doc.object();
    a.nextStep = q.value(4).toString();
    a.source = q.value(5).toString();
    a.updatedAt = q.value(6).toLongLong();
    return a;
}

bool AnalysisStore::remove(qint64 sessionId)
{
    QSqlQuery q(m_database->db());
    q.prepare(QStringLiteral("DELETE FROM analysis WHERE session_id = :sid"));
    q.bindValue(QStringLiteral(":sid"), sessionId);
    return execLogged(q, &m_error);
}

#include "deskfixture.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

DeskFixture::DeskFixture(Database &db)
    : m_db(db)
{}

qint64 DeskFixture::insert(const QString &sql, const QVariantList &values)
{
    QSqlQuery q(m_db.db());
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        qWarning() << "fixture insert failed:" << sql << q.lastError().text();
        return 0;
    }
    return q.lastInsertId().toLongLong();
}

QString DeskFixture::feishuIdOf(qint64 turnId)
{
    QSqlQuery q(m_db.db());
    q.prepare(u"SELECT feishu_message_id FROM messages WHERE id = ?"_s);
    q.addBindValue(turnId);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

qint64 DeskFixture::addSession(qint64 createdAt, const QString &mode, bool needsOperator,
                               const QString &state)
{
    ++m_serial;
    return insert(
        u"INSERT INTO sessions(session_key, chat_id, chat_type, open_id, mode, state, needs_operator,"
        " created_at, last_active_at) VALUES(?, ?, 'p2p', ?, ?, ?, ?, ?, ?)"_s,
        {u"feishu_p2p_ou_%1"_s.arg(m_serial), u"oc_%1"_s.arg(m_serial), u"ou_%1"_s.arg(m_serial), mode, state,
         needsOperator ? 1 : 0, createdAt, createdAt});
}

qint64 DeskFixture::addCustomer(qint64 sessionId, const QString &text, qint64 at)
{
    ++m_serial;
    return insert(u"INSERT INTO messages(session_id, role, content, feishu_message_id, meta, created_at)"
                  " VALUES(?, 'customer', ?, ?, '{}', ?)"_s,
                  {sessionId, text, u"om_in_%1"_s.arg(m_serial), at});
}

qint64 DeskFixture::addBot(qint64 sessionId, qint64 customerTurnId, const QString &text, qint64 at,
                           const QString &source, bool escalate, const QString &refsJson)
{
    const QJsonObject meta{
        {u"source"_s, source}, {u"in_reply_to"_s, feishuIdOf(customerTurnId)}, {u"escalate"_s, escalate}};
    return insert(u"INSERT INTO messages(session_id, role, content, knowledge_refs, meta, created_at)"
                  " VALUES(?, 'bot', ?, ?, ?, ?)"_s,
                  {sessionId, text, refsJson.isEmpty() ? QVariant() : QVariant(refsJson),
                   QString::fromUtf8(QJsonDocument(meta).toJson(QJsonDocument::Compact)), at});
}

qint64 DeskFixture::addOperator(qint64 sessionId, const QString &text, qint64 at)
{
    return insert(u"INSERT INTO messages(session_id, role, content, meta, created_at)"
                  " VALUES(?, 'operator', ?, '{\"operator\":\"alice\"}', ?)"_s,
                  {sessionId, text, at});
}

qint64 DeskFixture::addDraft(qint64 sessionId, qint64 customerTurnId, const QString &state, qint64 at,
                             const QString &source, bool escalate)
{
    return insert(
        u"INSERT INTO drafts(session_id, inbound_message_id, reply_to, bot_text, source, escalate, state,"
        " created_at) VALUES(?, ?, ?, 'draft text', ?, ?, ?, ?)"_s,
        {sessionId, customerTurnId, feishuIdOf(customerTurnId), source, escalate ? 1 : 0, state, at});
}

bool DeskFixture::setAnalysis(qint64 sessionId, const QString &category, qint64 at)
{
    QSqlQuery q(m_db.db());
    q.prepare(u"INSERT OR REPLACE INTO analysis(session_id, category, urgency, summary, entities, source, "
              u"updated_at)"
              " VALUES(?, ?, 'normal', '', '{}', 'rules', ?)"_s);
    q.addBindValue(sessionId);
    q.addBindValue(category);
    q.addBindValue(at);
    return q.exec();
}

#pragma once

#include <QJsonObject>
#include <QString>

class Database;

// Writes conversation rows (sessions, turns, drafts, analysis) straight into a test database, the
// way the pipeline stores them, so the console's queries can be checked against known contents.
// Every function returns the new row id (0 on failure, with a QFAIL-friendly warning).
class DeskFixture
{
public:
    explicit DeskFixture(Database &db);

    qint64 addSession(qint64 createdAt, const QString &mode = QStringLiteral("auto"),
                      bool needsOperator = false, const QString &state = QStringLiteral("active"));
    qint64 addCustomer(qint64 sessionId, const QString &text, qint64 at);
    // A bot turn answering the customer turn `customerTurnId`, as Pipeline::decide stores it.
    qint64 addBot(qint64 sessionId, qint64 customerTurnId, const QString &text, qint64 at,
                  const QString &source = QStringLiteral("knowledge"), bool escalate = false,
                  const QString &refsJson = {});
    qint64 addOperator(qint64 sessionId, const QString &text, qint64 at);
    qint64 addDraft(qint64 sessionId, qint64 customerTurnId, const QString &state, qint64 at,
                    const QString &source = QStringLiteral("knowledge"), bool escalate = false);
    bool setAnalysis(qint64 sessionId, const QString &category, qint64 at);

private:
    qint64 insert(const QString &sql, const QVariantList &values);
    QString feishuIdOf(qint64 turnId);

    Database &m_db;
    int m_serial = 0;
};

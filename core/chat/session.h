#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QString>

#include "assistant/answerprovider.h"

// How the bot treats a conversation:
//   auto    the assistant answers by itself
//   review  the assistant drafts; an operator approves, edits or rejects before anything is sent
//   manual  the bot stays silent; an operator is notified and answers by hand
enum class SessionMode { Auto, Review, Manual };

QString sessionModeName(SessionMode mode);
std::optional<SessionMode> parseSessionMode(const QString &name);

// Who produced a turn. System turns are notes for operators; they never reach the assistant.
enum class TurnRole { Customer, Bot, Operator, System };

QString turnRoleName(TurnRole role);
std::optional<TurnRole> parseTurnRole(const QString &name);

// One conversation of one person in one chat (see SessionManager::sessionKey).
struct Session
{
    qint64 id = 0;
    QString key;
    QString chatId;
    QString chatType;
    QString openId;
    QString userName;
    SessionMode mode = SessionMode::Auto;
    bool active = true;
    bool needsOperator = false;
    qint64 createdAt = 0;
    qint64 lastActiveAt = 0;
    qint64 endedAt = 0;
};

// One stored message of a session.
struct Turn
{
    qint64 id = 0;
    qint64 sessionId = 0;
    TurnRole role = TurnRole::Customer;
    QString content;          // cleaned text (customer) or the text sent (bot, operator)
    QString rawContent;       // inbound: the content JSON as received
    QString feishuMessageId;  // inbound: om_... received; outbound: om_... of the first part sent
    QList<KnowledgeRef> refs; // bot turns: the tickets the answer rests on
    QJsonObject meta;
    qint64 createdAt = 0;
};

QString knowledgeRefsToJson(const QList<KnowledgeRef> &refs);
QList<KnowledgeRef> knowledgeRefsFromJson(const QString &json);

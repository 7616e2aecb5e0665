#include "chat/session.h"

#include <QJsonArray>
#include <QJsonDocument>

QString sessionModeName(SessionMode mode)
{
    switch (mode) {
    case SessionMode::Auto:
        return QStringLiteral("auto");
    case SessionMode::Review:
        return QStringLiteral("review");
    case SessionMode::Manual:
        return QStringLiteral("manual");
    }
    return QStringLiteral("auto");
}

std::optional<SessionMode> parseSessionMode(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("auto"))
        return SessionMode::Auto;
    if (n == QLatin1String("review"))
        return SessionMode::Review;
    if (n == QLatin1String("manual"))
        return SessionMode::Manual;
    return std::nullopt;
}

QString turnRoleName(TurnRole role)
{
    switch (role) {
    case TurnRole::Customer:
        return QStringLiteral("customer");
    case TurnRole::Bot:
        return QStringLiteral("bot");
    case TurnRole::Operator:
        return QStringLiteral("operator");
    case TurnRole::System:
        return QStringLiteral("system");
    }
    return QStringLiteral("system");
}

std::optional<TurnRole> parseTurnRole(const QString &name)
{
    if (name == QLatin1String("customer"))
        return TurnRole::Customer;
    if (name == QLatin1String("bot"))
        return TurnRole::Bot;
    if (name == QLatin1String("operator"))
        return TurnRole::Operator;
    if (name == QLatin1String("system"))
        return TurnRole::System;
    return std::nullopt;
}

QString knowledgeRefsToJson(const QList<KnowledgeRef> &refs)
{
    QJsonArray arr;
    for (const KnowledgeRef &r : refs)
        arr.append(QJsonObject{{QStringLiteral("id"), r.id}, {QStringLiteral("score"), r.score}});
    return QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact));
}

QList<KnowledgeRef> knowledgeRefsFromJson(const QString &json)
{
    QList<KnowledgeRef> refs;
    if (json.isEmpty())
        return refs;
    const QJsonArray arr = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue &v : arr) {
        const QJsonObject o = v.toObject();
        refs.append({o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("score")).toDouble()});
    }
    return refs;
}

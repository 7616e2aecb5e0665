#include "conversationtext.h"

#include <QDateTime>

QString ConversationText::modeName(SessionMode mode)
{
    switch (mode) {
    case SessionMode::Auto:
        return tr("Auto");
    case SessionMode::Review:
        return tr("Review");
    case SessionMode::Manual:
        return tr("Manual");
    }
    return {};
}

QString ConversationText::modeDescription(SessionMode mode)
{
    switch (mode) {
    case SessionMode::Auto:
        return tr("The bot is handling this conversation.");
    case SessionMode::Review:
        return tr("The bot drafts; you approve, edit or reject.");
    case SessionMode::Manual:
        return tr("You are handling this conversation; the bot is quiet.");
    }
    return {};
}

QString ConversationText::roleName(TurnRole role)
{
    switch (role) {
    case TurnRole::Customer:
        return tr("Customer");
    case TurnRole::Bot:
        return tr("Bot");
    case TurnRole::Operator:
        return tr("Operator");
    case TurnRole::System:
        return tr("System");
    }
    return {};
}

QString ConversationText::deliveryName(Desk::DeliveryState state)
{
    switch (state) {
    case Desk::DeliveryState::None:
        return {};
    case Desk::DeliveryState::Queued:
        return tr("Queued");
    case Desk::DeliveryState::Sending:
        return tr("Sending");
    case Desk::DeliveryState::Sent:
        return tr("Sent");
    case Desk::DeliveryState::Failed:
        return tr("Failed");
    }
    return {};
}

QString ConversationText::urgencyName(const QString &urgency)
{
    if (urgency == QLatin1String("low"))
        return tr("Low");
    if (urgency == QLatin1String("normal"))
        return tr("Normal");
    if (urgency == QLatin1String("high"))
        return tr("High");
    if (urgency == QLatin1String("critical"))
        return tr("Critical");
    return urgency;
}

QString ConversationText::customerName(const SessionSummary &s)
{
    return s.userName.isEmpty() ? s.openId : s.userName;
}

QString ConversationText::chatLabel(const SessionSummary &s)
{
    if (s.chatType == QLatin1String("p2p"))
        return tr("Direct chat");
    return s.chatName.isEmpty() ? s.chatId : s.chatName;
}

QString ConversationText::sinceText(qint64 thenMs, qint64 nowMs)
{
    if (thenMs <= 0)
        return {};
    const qint64 minutes = qMax<qint64>(0, nowMs - thenMs) / 60000;
    if (minutes < 1)
        return tr("now");
    if (minutes < 60)
        return tr("%n min", nullptr, int(minutes));
    if (minutes < 60 * 24)
        return tr("%n h", nullptr, int(minutes / 60));
    return tr("%n d", nullptr, int(minutes / (60 * 24)));
}

QString ConversationText::clockText(qint64 ms, qint64 nowMs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs).toLocalTime();
    if (t.date() == now.date())
        return t.toString(QStringLiteral("HH:mm"));
    return t.toString(QStringLiteral("MM-dd HH:mm"));
}

QString ConversationText::accessibleRow(const SessionSummary &s, qint64 nowMs)
{
    QStringList parts{customerName(s), chatLabel(s), modeName(s.mode)};
    if (s.needsOperator)
        parts << tr("needs a person");
    if (s.draftPending)
        parts << tr("draft waiting");
    if (s.unread > 0)
        parts << tr("%n unread", nullptr, s.unread);
    const QString since = sinceText(s.lastActiveAt, nowMs);
    if (!since.isEmpty())
        parts << since;
    parts << s.lastPreview;
    return parts.join(QStringLiteral(", "));
}

QString ConversationText::citedList(const QList<CitedEntry> &cited)
{
    constexpr qsizetype kTitleChars = 24;
    QStringList parts;
    for (const CitedEntry &c : cited) {
        const QString title = c.title.simplified();
        if (title.isEmpty())
            parts << c.id;
        else
            parts << QStringLiteral("%1 “%2”").arg(
                c.id, title.size() > kTitleChars ? title.left(kTitleChars) + QStringLiteral("…") : title);
    }
    return parts.join(QStringLiteral(" · "));
}

QString ConversationText::citedScores(const QList<CitedEntry> &cited)
{
    QStringList parts;
    for (const CitedEntry &c : cited)
        parts << QStringLiteral("%1 %2").arg(c.id, QString::number(c.score, 'f', 2));
    return parts.join(QStringLiteral(", "));
}

QFont ConversationText::scaledFont(const QFont &base, qreal factor)
{
    QFont f = base;
    if (base.pointSizeF() > 0)
        f.setPointSizeF(base.pointSizeF() * factor);
    else if (base.pixelSize() > 0)
        f.setPixelSize(qMax(1, qRound(base.pixelSize() * factor)));
    return f;
}

#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// An im.message.receive_v1 event, parsed and cleaned (spec §7.2, §7.3).
struct InboundMention
{
    QString key;    // @_user_1
    QString openId;
    QString name;
};

struct InboundMessage
{
    QString eventId;       // header.event_id
    QString eventType;     // header.event_type
    QString messageId;     // message.message_id (om_...): reply target and idempotency key
    QString chatId;        // oc_...
    QString chatType;      // p2p, group, topic_group
    QString threadId;
    QString rootId;
    QString parentId;
    QString senderOpenId;
    QString senderUnionId;
    QString senderUserId;
    QString senderType;    // user, app
    QString tenantKey;
    QString messageType;   // text, post, image, file, ...
    QString rawContent;    // message.content as received (a JSON string)
    QString text;          // cleaned text: own mention stripped, others as @name, post flattened
    QList<InboundMention> mentions;
    bool mentionsBot = false;     // any mention whose open_id is the bot's
    bool mentionsAll = false;     // the text or post @-mentions everyone (@_all); not counted as mentionsBot
    bool readable = true;         // false for types the bot cannot read (image, file, sticker, ...)
    qint64 createTimeMs = 0;

    bool isGroup() const { return chatType != QLatin1String("p2p"); }
};

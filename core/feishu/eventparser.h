#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "feishu/inboundmessage.h"

// The outcome of parsing one event payload (the JSON of a completed DATA frame).
struct ParsedEvent
{
    enum class Kind {
        Message,   // im.message.receive_v1: `message` is filled
        Other,     // any other well-formed event (card.action.trigger, legacy v1 envelopes, ...)
        Malformed, // not a usable event: `reason` says why
    };

    Kind kind = Kind::Malformed;
    QString schema;    // "2.0"; "1.0" for a legacy v1 envelope
    QString eventType; // header.event_type (v1: event.type)
    QString eventId;   // header.event_id (v1: uuid): the dedupe key of non-message events
    QString appId;     // header.app_id
    QString tenantKey; // header.tenant_key
    qint64 createTimeMs = 0;
    QString reason;         // Malformed only
    InboundMessage message; // Message only
    QJsonObject event;      // Other: the envelope's "event" object, for handlers of those events
};

// Envelope (schema 2.0, spec §7.1) -> ParsedEvent; for im.message.receive_v1 a cleaned
// InboundMessage (spec §7.2, §7.3):
// - text: every @_user_N placeholder is looked up as an exact token (so @_user_1 never matches
//   inside @_user_10); the bot's own mention is removed, other mentions become @name, @_all
//   becomes @all (and sets mentionsAll); the result is trimmed.
// - post: title first, then the paragraphs joined by '\n' (text, a, at, code_block, md, emotion);
//   `at` elements that point to the bot are dropped.
// - image, file, audio, media, sticker, interactive, share_*, ...: readable = false, empty text.
// Any broken input (invalid UTF-8, bad JSON, missing fields, content that is not a JSON string)
// gives Kind::Malformed with a reason. All work is linear in the payload size.
// Stateless apart from the bot's open_id: parse() is const and may be called from any thread.
class EventParser
{
public:
    EventParser() = default;
    explicit EventParser(const QString &botOpenId);

    // The bot's own open_id (GET /open-apis/bot/v3/info). Without it no mention counts as the
    // bot's: mentionsBot stays false and nothing is stripped.
    void setBotOpenId(const QString &openId) { m_botOpenId = openId; }
    QString botOpenId() const { return m_botOpenId; }

    ParsedEvent parse(QByteArrayView payload) const;

    static QString kindName(ParsedEvent::Kind kind);

private:
    QString m_botOpenId;
};

#include "feishu/eventparser.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include "logging_p.h"

namespace {

const QString kReceiveV1 = QStringLiteral("im.message.receive_v1");
const QString kAllText = QStringLiteral("@all");

struct MentionTarget
{
    QString replacement; // empty for the bot: its mention is removed
    bool isBot = false;
    bool isAll = false;
};

// mentions[] of a message, keyed by placeholder (@_user_N), plus what each one becomes in text.
struct MentionMap
{
    QHash<QString, MentionTarget> byKey;
    QString botOpenId;

    // A post `at` element names its target by placeholder or, in some payloads, by open_id.
    const MentionTarget *find(const QString &key) const
    {
        const auto it = byKey.constFind(key);
        return it == byKey.constEnd() ? nullptr : &*it;
    }
};

// ASCII only, on purpose: Chinese text often follows a placeholder without a space
// ("@_user_1你好"), and must not be read as part of the token.
bool isTokenChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_';
}

bool isInlineSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == QChar(0x00A0) || c == QChar(0x2005);
}

struct TextResult
{
    bool mentionsAll = false;
};

// Appends `in` to *out, replacing each @token that is an exact key of `mentions` (or @_all).
// One pass; hash look-ups only at '@' positions.
void appendReplacingMentions(QString *out, QStringView in, const MentionMap &mentions, TextResult *flags,
                             bool skipLeadingSpace = false)
{
    qsizetype i = 0;
    const qsizetype n = in.size();
    if (skipLeadingSpace) {
        while (i < n && isInlineSpace(in[i]))
            ++i;
    }
    qsizetype copyFrom = i;
    while (i < n) {
        if (in[i] != u'@') {
            ++i;
            continue;
        }
        qsizetype end = i + 1;
        while (end < n && isTokenChar(in[end]))
            ++end;
        if (end == i + 1) {
            ++i;
            continue;
        }
        const QStringView token = in.sliced(i, end - i);
        const MentionTarget *target = mentions.find(token.toString());
        const bool bareAll = !target && token == u"@_all";
        if (!target && !bareAll) {
            i = end;
            continue;
        }
        out->append(in.sliced(copyFrom, i - copyFrom));
        if (bareAll || target->isAll) {
            flags->mentionsAll = true;
            out->append(bareAll ? kAllText : target->replacement);
        } else if (target->isBot) {
            // Drop the mention and the blank after it when it would leave a double blank.
            if (out->isEmpty() || isInlineSpace(out->back())) {
                while (end < n && isInlineSpace(in[end]))
                    ++end;
            }
        } else {
            out->append(target->replacement);
        }
        i = end;
        copyFrom = end;
    }
    out->append(in.sliced(copyFrom));
}

QString stringField(const QJsonObject &o, QLatin1StringView key)
{
    return o.value(key).toString();
}

qint64 msField(const QJsonValue &v)
{
    // Feishu sends ms timestamps as strings; accept numbers too.
    if (v.isString()) {
        bool ok = false;
        const qint64 ms = v.toString().toLongLong(&ok);
        return ok ? ms : 0;
    }
    if (v.isDouble())
        return qint64(v.toDouble());
    return 0;
}

ParsedEvent malformed(ParsedEvent e, const QString &reason)
{
    e.kind = ParsedEvent::Kind::Malformed;
    e.reason = reason;
    return e;
}

bool parseObject(QByteArrayView bytes, QJsonObject *out, QString *error, const QString &what)
{
    QJsonParseError pe;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(bytes.data(), bytes.size()), &pe);
    if (pe.error == QJsonParseError::IllegalUTF8String) {
        *error = what + QStringLiteral(" is not valid UTF-8 (at byte %1)").arg(pe.offset);
        return false;
    }
    if (pe.error != QJsonParseError::NoError) {
        *error =
            what + QStringLiteral(" is not valid JSON: %1 at byte %2").arg(pe.errorString()).arg(pe.offset);
        return false;
    }
    if (!doc.isObject()) {
        *error = what + QStringLiteral(" is JSON but not an object");
        return false;
    }
    *out = doc.object();
    return true;
}

MentionMap buildMentions(const QJsonArray &array, const QString &botOpenId, InboundMessage *msg)
{
    MentionMap map;
    map.botOpenId = botOpenId;
    map.byKey.reserve(array.size());
    for (const QJsonValue &v : array) {
        const QJsonObject m = v.toObject();
        InboundMention mention;
        mention.key = stringField(m, QLatin1StringView("key"));
        mention.openId =
            m.value(QLatin1StringView("id")).toObject().value(QLatin1StringView("open_id")).toString();
        mention.name = stringField(m, QLatin1StringView("name"));
        if (mention.key.isEmpty())
            continue;
        MentionTarget target;
        target.isBot = !botOpenId.isEmpty() && mention.openId == botOpenId;
        target.isAll = mention.key == u"@_all";
        if (target.isBot)
            msg->mentionsBot = true;
        if (target.isAll)
            target.replacement = kAllText;
        else if (!target.isBot)
            target.replacement = mention.name.isEmpty() ? mention.key : QStringLiteral("@") + mention.name;
        map.byKey.insert(mention.key, target);
        msg->mentions.append(std::move(mention));
    }
    return map;
}

// The received post form is {"title":..,"content":[[...]]}; tolerate the send form with a
// language key ({"zh_cn":{"title":..,"content":..}}) too.
QJsonObject postBody(const QJsonObject &post)
{
    if (post.value(QLatin1StringView("content")).isArray())
        return post;
    for (const char *lang : {"zh_cn", "en_us", "ja_jp"}) {
        const QJsonObject inner = post.value(QLatin1StringView(lang)).toObject();
        if (inner.value(QLatin1StringView("content")).isArray())
            return inner;
    }
    for (auto it = post.begin(); it != post.end(); ++it) {
        const QJsonObject inner = it.value().toObject();
        if (inner.value(QLatin1StringView("content")).isArray())
            return inner;
    }
    return {};
}

bool flattenPost(const QJsonObject &post, const MentionMap &mentions, InboundMessage *msg, QString *error)
{
    const QJsonObject body = postBody(post);
    if (body.isEmpty()) {
        *error = QStringLiteral("post content has no \"content\" array");
        return false;
    }
    TextResult flags;
    QString out;
    const QString title = body.value(QLatin1StringView("title")).toString().trimmed();
    if (!title.isEmpty())
        out = title;
    const QJsonArray paragraphs = body.value(QLatin1StringView("content")).toArray();
    QString line;
    for (const QJsonValue &pv : paragraphs) {
        line.clear();
        bool skipSpace = false;
        const QJsonArray elements = pv.toArray();
        for (const QJsonValue &ev : elements) {
            const QJsonObject el = ev.toObject();
            const QString tag = el.value(QLatin1StringView("tag")).toString();
            const bool skip = skipSpace;
            skipSpace = false;
            if (tag == u"text" || tag == u"md" || tag == u"code_block") {
                appendReplacingMentions(&line, el.value(QLatin1StringView("text")).toString(), mentions,
                                        &flags, skip);
            } else if (tag == u"a") {
                const QString text = el.value(QLatin1StringView("text")).toString();
                line += text.isEmpty() ? el.value(QLatin1StringView("href")).toString() : text;
            } else if (tag == u"at") {
                const QString userId = el.value(QLatin1StringView("user_id")).toString();
                const QString userName = el.value(QLatin1StringView("user_name")).toString();
                const MentionTarget *target = mentions.find(userId);
                const bool isBot = (target && target->isBot) ||
                                   (!mentions.botOpenId.isEmpty() && userId == mentions.botOpenId);
                if (isBot) {
                    msg->mentionsBot = true;
                    skipSpace = line.isEmpty() || isInlineSpace(line.back());
                } else if ((target && target->isAll) || userId == u"all" || userId == u"@_all") {
                    flags.mentionsAll = true;
                    line += kAllText;
                } else if (target) {
                    line += target->replacement;
                } else if (!userName.isEmpty()) {
                    line += QStringLiteral("@") + userName;
                }
            } else if (tag == u"emotion") {
                const QString emoji = el.value(QLatin1StringView("emoji_type")).toString();
                if (!emoji.isEmpty())
                    line += QStringLiteral("[") + emoji + QStringLiteral("]");
            }
            // img, media, hr and unknown tags carry no text.
        }
        if (!out.isEmpty())
            out += u'\n';
        out += QStringView(line).trimmed();
    }
    msg->text = out.trimmed();
    msg->mentionsAll = msg->mentionsAll || flags.mentionsAll;
    return true;
}

} // namespace

EventParser::EventParser(const QString &botOpenId)
    : m_botOpenId(botOpenId)
{}

QString EventParser::kindName(ParsedEvent::Kind kind)
{
    switch (kind) {
    case ParsedEvent::Kind::Message:
        return QStringLiteral("message");
    case ParsedEvent::Kind::Other:
        return QStringLiteral("other");
    case ParsedEvent::Kind::Malformed:
        break;
    }
    return QStringLiteral("malformed");
}

ParsedEvent EventParser::parse(QByteArrayView payload) const
{
    ParsedEvent e;
    if (payload.isEmpty())
        return malformed(e, QStringLiteral("empty payload"));

    QJsonObject root;
    QString error;
    if (!parseObject(payload, &root, &error, QStringLiteral("event payload")))
        return malformed(e, error);

    const QJsonValue headerValue = root.value(QLatin1StringView("header"));
    const QString schema = root.value(QLatin1StringView("schema")).toString();
    if (schema.isEmpty() && !headerValue.isObject()) {
        // Legacy 1.0 envelope: {"uuid", "token", "ts", "type":"event_callback", "event":{"type":...}}.
        const QString uuid = root.value(QLatin1StringView("uuid")).toString();
        if (!uuid.isEmpty()) {
            e.kind = ParsedEvent::Kind::Other;
            e.schema = QStringLiteral("1.0");
            e.eventId = uuid;
            e.event = root.value(QLatin1StringView("event")).toObject();
            e.eventType = e.event.value(QLatin1StringView("type")).toString();
            e.createTimeMs = msField(root.value(QLatin1StringView("ts"))) * 1000; // v1 ts is in seconds
            return e;
        }
        if (root.contains(QLatin1StringView("encrypt")))
            return malformed(e, QStringLiteral("event is encrypted (an Encrypt Key is set for the app); "
                                               "the long connection expects plain events"));
        return malformed(e,
                         QStringLiteral("neither a 2.0 envelope (schema/header) nor a 1.0 envelope (uuid)"));
    }

    e.schema = schema.isEmpty() ? QStringLiteral("2.0") : schema;
    const QJsonObject header = headerValue.toObject();
    e.eventType = stringField(header, QLatin1StringView("event_type"));
    e.eventId = stringField(header, QLatin1StringView("event_id"));
    e.appId = stringField(header, QLatin1StringView("app_id"));
    e.tenantKey = stringField(header, QLatin1StringView("tenant_key"));
    e.createTimeMs = msField(header.value(QLatin1StringView("create_time")));
    if (e.eventType.isEmpty())
        return malformed(e, QStringLiteral("header.event_type is missing"));
    if (e.eventId.isEmpty())
        return malformed(e, QStringLiteral("header.event_id is missing (event type %1)").arg(e.eventType));

    const QJsonValue eventValue = root.value(QLatin1StringView("event"));
    if (e.eventType != kReceiveV1) {
        e.kind = ParsedEvent::Kind::Other;
        e.event = eventValue.toObject();
        return e;
    }

    const QJsonObject event = eventValue.toObject();
    const QJsonValue messageValue = event.value(QLatin1StringView("message"));
    if (!messageValue.isObject())
        return malformed(e, QStringLiteral("im.message.receive_v1 without an event.message object"));
    const QJsonObject message = messageValue.toObject();

    InboundMessage &msg = e.message;
    msg.eventId = e.eventId;
    msg.eventType = e.eventType;
    msg.messageId = stringField(message, QLatin1StringView("message_id"));
    msg.chatId = stringField(message, QLatin1StringView("chat_id"));
    msg.chatType = stringField(message, QLatin1StringView("chat_type"));
    msg.threadId = stringField(message, QLatin1StringView("thread_id"));
    msg.rootId = stringField(message, QLatin1StringView("root_id"));
    msg.parentId = stringField(message, QLatin1StringView("parent_id"));
    msg.messageType = stringField(message, QLatin1StringView("message_type"));
    msg.createTimeMs = msField(message.value(QLatin1StringView("create_time")));
    if (msg.createTimeMs == 0)
        msg.createTimeMs = e.createTimeMs;

    const QJsonObject sender = event.value(QLatin1StringView("sender")).toObject();
    const QJsonObject senderId = sender.value(QLatin1StringView("sender_id")).toObject();
    msg.senderOpenId = stringField(senderId, QLatin1StringView("open_id"));
    msg.senderUnionId = stringField(senderId, QLatin1StringView("union_id"));
    msg.senderUserId = stringField(senderId, QLatin1StringView("user_id"));
    msg.senderType = stringField(sender, QLatin1StringView("sender_type"));
    msg.tenantKey = stringField(sender, QLatin1StringView("tenant_key"));
    if (msg.tenantKey.isEmpty())
        msg.tenantKey = e.tenantKey;

    if (msg.messageId.isEmpty())
        return malformed(e, QStringLiteral("event.message.message_id is missing"));
    if (msg.chatId.isEmpty())
        return malformed(e,
                         QStringLiteral("event.message.chat_id is missing (message %1)").arg(msg.messageId));
    if (msg.messageType.isEmpty())
        return malformed(
            e, QStringLiteral("event.message.message_type is missing (message %1)").arg(msg.messageId));
    const QJsonValue contentValue = message.value(QLatin1StringView("content"));
    if (!contentValue.isString())
        return malformed(e, QStringLiteral("event.message.content is not a string holding JSON (message %1)")
                                .arg(msg.messageId));
    msg.rawContent = contentValue.toString();

    const MentionMap mentions =
        buildMentions(message.value(QLatin1StringView("mentions")).toArray(), m_botOpenId, &msg);

    if (msg.messageType == u"text" || msg.messageType == u"post") {
        QJsonObject content;
        const QByteArray utf8 = msg.rawContent.toUtf8();
        if (!parseObject(utf8, &content, &error, QStringLiteral("message content")))
            return malformed(e, error + QStringLiteral(" (message %1)").arg(msg.messageId));
        if (msg.messageType == u"text") {
            const QJsonValue text = content.value(QLatin1StringView("text"));
            if (!text.isString())
                return malformed(e, QStringLiteral("text message content has no \"text\" string (message %1)")
                                        .arg(msg.messageId));
            TextResult flags;
            QString out;
            const QString raw = text.toString();
            out.reserve(raw.size());
            appendReplacingMentions(&out, raw, mentions, &flags);
            msg.text = out.trimmed();
            msg.mentionsAll = msg.mentionsAll || flags.mentionsAll;
        } else if (!flattenPost(content, mentions, &msg, &error)) {
            return malformed(e, error + QStringLiteral(" (message %1)").arg(msg.messageId));
        }
        msg.readable = true;
    } else {
        // image, file, audio, media, sticker, interactive, share_chat, share_user, ...
        msg.readable = false;
    }
    for (const InboundMention &m : std::as_const(msg.mentions)) {
        if (m.key == u"@_all")
            msg.mentionsAll = true;
    }
    e.kind = ParsedEvent::Kind::Message;
    return e;
}

// libFuzzer target: EventParser::parse on arbitrary bytes, three ways (first byte chooses):
//  0: the bytes are the whole event payload;
//  1: the bytes are the text of a valid text message that mentions the bot and others;
//  2: the bytes are message.content (a JSON string) of a post or text message.
// Invariants: never crash; Malformed always has a reason; a Message always has message_id and
// chat_id; in mode 1 the result is a Message, it no longer holds the bot's placeholder as a token,
// and cleaning is idempotent (cleaning the cleaned text again changes nothing).
#include <cstdint>
#include <cstdlib>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include "feishu/eventparser.h"

namespace {

const QString kBot = QStringLiteral("ou_fuzzbot");

QJsonObject mention(const QString &key, const QString &openId, const QString &name)
{
    return QJsonObject{{QStringLiteral("key"), key},
                       {QStringLiteral("id"), QJsonObject{{QStringLiteral("open_id"), openId}}},
                       {QStringLiteral("name"), name}};
}

QByteArray envelope(const QString &type, const QString &content)
{
    const QJsonArray mentions{
        mention(QStringLiteral("@_user_1"), kBot, QStringLiteral("Bot")),
        mention(QStringLiteral("@_user_2"), QStringLiteral("ou_a"), QStringLiteral("Alice")),
        mention(QStringLiteral("@_user_10"), QStringLiteral("ou_b"), QStringLiteral("Bob")),
        mention(QStringLiteral("@_all"), QString(), QStringLiteral("all"))};
    const QJsonObject message{{QStringLiteral("message_id"), QStringLiteral("om_1")},
                              {QStringLiteral("chat_id"), QStringLiteral("oc_1")},
                              {QStringLiteral("chat_type"), QStringLiteral("group")},
                              {QStringLiteral("message_type"), type},
                              {QStringLiteral("content"), content},
                              {QStringLiteral("mentions"), mentions}};
    const QJsonObject root{
        {QStringLiteral("schema"), QStringLiteral("2.0")},
        {QStringLiteral("header"),
         QJsonObject{{QStringLiteral("event_id"), QStringLiteral("e1")},
                     {QStringLiteral("event_type"), QStringLiteral("im.message.receive_v1")}}},
        {QStringLiteral("event"), QJsonObject{{QStringLiteral("message"), message}}}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QString textContent(const QString &text)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("text"), text}}).toJson(QJsonDocument::Compact));
}

bool holdsToken(const QString &text, QStringView token)
{
    auto isTokenChar = [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'_';
    };
    for (qsizetype at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
        const qsizetype end = at + token.size();
        if (end >= text.size() || !isTokenChar(text[end]))
            return true;
    }
    return false;
}

void check(const ParsedEvent &e)
{
    if (e.kind == ParsedEvent::Kind::Malformed && e.reason.isEmpty())
        std::abort();
    if (e.kind == ParsedEvent::Kind::Message && (e.message.messageId.isEmpty() || e.message.chatId.isEmpty()))
        std::abort();
    if (e.kind != ParsedEvent::Kind::Malformed && !e.reason.isEmpty())
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const EventParser parser(kBot);
    const int mode = data[0] % 3;
    const QByteArrayView rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (mode == 0) {
        check(parser.parse(rest));
    } else if (mode == 1) {
        const QString text = QString::fromUtf8(rest);
        const ParsedEvent e = parser.parse(envelope(QStringLiteral("text"), textContent(text)));
        check(e);
        if (e.kind != ParsedEvent::Kind::Message || !e.message.mentionsBot || !e.message.mentionsAll)
            std::abort();
        if (holdsToken(e.message.text, u"@_user_1"))
            std::abort();
        const ParsedEvent again = parser.parse(envelope(QStringLiteral("text"), textContent(e.message.text)));
        if (again.kind != ParsedEvent::Kind::Message || again.message.text != e.message.text)
            std::abort();
    } else {
        const QString content = QString::fromUtf8(rest);
        check(parser.parse(envelope(QStringLiteral("post"), content)));
        check(parser.parse(envelope(QStringLiteral("text"), content)));
    }
    return 0;
}

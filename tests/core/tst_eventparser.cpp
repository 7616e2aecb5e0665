#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "feishu/eventparser.h"

using namespace Qt::StringLiterals;

namespace {

const QString kBot = u"ou_bot0000000000000000000000000001"_s;

QString json(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject mention(const QString &key, const QString &openId, const QString &name)
{
    return QJsonObject{{u"key"_s, key},
                       {u"id"_s, QJsonObject{{u"union_id"_s, QString(u"on_"_s + openId.mid(3))},
                                             {u"user_id"_s, u""_s},
                                             {u"open_id"_s, openId}}},
                       {u"name"_s, name},
                       {u"tenant_key"_s, u"736588c9260f175e"_s}};
}

QJsonObject message(const QString &type, const QString &content, const QJsonArray &mentions = {},
                    const QString &chatType = u"group"_s)
{
    QJsonObject m{{u"message_id"_s, u"om_5ce6d572455d361153b7cb51da133945"_s},
                  {u"create_time"_s, u"1609073151345"_s},
                  {u"update_time"_s, u"1609073151345"_s},
                  {u"chat_id"_s, u"oc_5ce6d572455d361153b7xx51da133945"_s},
                  {u"chat_type"_s, chatType},
                  {u"message_type"_s, type},
                  {u"content"_s, content}};
    if (!mentions.isEmpty())
        m.insert(u"mentions"_s, mentions);
    return m;
}

QByteArray envelope(const QJsonObject &msg, const QString &eventType = u"im.message.receive_v1"_s)
{
    const QJsonObject root{
        {u"schema"_s, u"2.0"_s},
        {u"header"_s, QJsonObject{{u"event_id"_s, u"5e3702a84e847582be8db7fb73283c02"_s},
                                  {u"event_type"_s, eventType},
                                  {u"create_time"_s, u"1608725989000"_s},
                                  {u"token"_s, u""_s},
                                  {u"app_id"_s, u"cli_9e28cb7ba56a100e"_s},
                                  {u"tenant_key"_s, u"2ca1d211f64f6438"_s}}},
        {u"event"_s,
         QJsonObject{
             {u"sender"_s,
              QJsonObject{{u"sender_id"_s, QJsonObject{{u"union_id"_s, u"on_8ed6aa67826108097d9e"_s},
                                                       {u"user_id"_s, u"e33ggbyz"_s},
                                                       {u"open_id"_s, u"ou_84aad35d084aa403a838cf73ee"_s}}},
                          {u"sender_type"_s, u"user"_s},
                          {u"tenant_key"_s, u"736588c9260f175e"_s}}},
             {u"message"_s, msg}}}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QString textContent(const QString &text)
{
    return json(QJsonObject{{u"text"_s, text}});
}

} // namespace

class TestEventParser final : public QObject
{
    Q_OBJECT
private slots:
    void p2pText();
    void groupMentionAmongOthers_data();
    void groupMentionAmongOthers();
    void botMentionedButNotInText();
    void withoutBotOpenIdNothingIsStripped();
    void atAll();
    void post();
    void postSendFormWithLanguageKey();
    void postAtBotByOpenId();
    void unreadableTypes_data();
    void unreadableTypes();
    void malformed_data();
    void malformed();
    void invalidUtf8();
    void legacyV1Envelope();
    void cardActionTrigger();
    void otherEventType();
    void hugeTextIsKept();
    void tenMegabyteEvent();
    void onlyMentions();
};

void TestEventParser::p2pText()
{
    EventParser parser(kBot);
    const auto e =
        parser.parse(envelope(message(u"text"_s, textContent(u"  车机没网怎么办？ "_s), {}, u"p2p"_s)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.reason.isEmpty());
    QCOMPARE(e.schema, u"2.0"_s);
    QCOMPARE(e.eventType, u"im.message.receive_v1"_s);
    QCOMPARE(e.eventId, u"5e3702a84e847582be8db7fb73283c02"_s);
    QCOMPARE(e.appId, u"cli_9e28cb7ba56a100e"_s);
    QCOMPARE(e.createTimeMs, 1608725989000);
    const InboundMessage &m = e.message;
    QCOMPARE(m.eventId, e.eventId);
    QCOMPARE(m.eventType, e.eventType);
    QCOMPARE(m.messageId, u"om_5ce6d572455d361153b7cb51da133945"_s);
    QCOMPARE(m.chatId, u"oc_5ce6d572455d361153b7xx51da133945"_s);
    QCOMPARE(m.chatType, u"p2p"_s);
    QVERIFY(!m.isGroup());
    QCOMPARE(m.senderOpenId, u"ou_84aad35d084aa403a838cf73ee"_s);
    QCOMPARE(m.senderUnionId, u"on_8ed6aa67826108097d9e"_s);
    QCOMPARE(m.senderUserId, u"e33ggbyz"_s);
    QCOMPARE(m.senderType, u"user"_s);
    QCOMPARE(m.tenantKey, u"736588c9260f175e"_s);
    QCOMPARE(m.messageType, u"text"_s);
    QCOMPARE(m.rawContent, textContent(u"  车机没网怎么办？ "_s));
    QCOMPARE(m.text, u"车机没网怎么办？"_s);
    QCOMPARE(m.createTimeMs, 1609073151345);
    QVERIFY(m.readable);
    QVERIFY(!m.mentionsBot);
    QVERIFY(!m.mentionsAll);
    QVERIFY(m.mentions.isEmpty());
}

void TestEventParser::groupMentionAmongOthers_data()
{
    QTest::addColumn<QJsonArray>("mentions");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QJsonArray tenPeople; // @_user_1 is the bot, @_user_2..@_user_10 are people
    tenPeople.append(mention(u"@_user_1"_s, kBot, u"TicketBot"_s));
    for (int i = 2; i <= 10; ++i)
        tenPeople.append(mention(u"@_user_%1"_s.arg(i), u"ou_person%1"_s.arg(i), u"用户%1"_s.arg(i)));
    QTest::newRow("bot first, @_user_10 is someone else")
        << tenPeople << u"@_user_1 请帮 @_user_10 看看 @_user_2 的车"_s << u"请帮 @用户10 看看 @用户2 的车"_s;
    QTest::newRow("bot in the middle") << tenPeople << u"请 @_user_1 帮忙查一下"_s << u"请 帮忙查一下"_s;
    QTest::newRow("bot at the end") << tenPeople << u"远程解锁失败 @_user_1"_s << u"远程解锁失败"_s;
    QTest::newRow("Chinese right after the placeholder")
        << tenPeople << u"@_user_1帮我查@_user_3的工单"_s << u"帮我查@用户3的工单"_s;
    QTest::newRow("placeholder not in mentions stays")
        << tenPeople << u"@_user_1 见 @_user_11 和 @_user_"_s << u"见 @_user_11 和 @_user_"_s;
    QTest::newRow("email-like text untouched")
        << tenPeople << u"@_user_1 发到 a@_user_1x.com"_s << u"发到 a@_user_1x.com"_s;

    QJsonArray botIsTen; // the bot is @_user_10; @_user_1 must not match inside it
    for (int i = 1; i <= 9; ++i)
        botIsTen.append(mention(u"@_user_%1"_s.arg(i), u"ou_person%1"_s.arg(i), u"P%1"_s.arg(i)));
    botIsTen.append(mention(u"@_user_10"_s, kBot, u"TicketBot"_s));
    QTest::newRow("bot is @_user_10") << botIsTen << u"@_user_10 @_user_1 你好"_s << u"@P1 你好"_s;
    QTest::newRow("bot is @_user_10, twice")
        << botIsTen << u"@_user_10 问 @_user_1 @_user_10"_s << u"问 @P1"_s;

    QJsonArray noName{mention(u"@_user_1"_s, kBot, u"Bot"_s), mention(u"@_user_2"_s, u"ou_x"_s, u""_s)};
    QTest::newRow("mention without a name keeps its key")
        << noName << u"@_user_1 @_user_2 在吗"_s << u"@_user_2 在吗"_s;
}

void TestEventParser::groupMentionAmongOthers()
{
    QFETCH(QJsonArray, mentions);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    EventParser parser(kBot);
    const auto e = parser.parse(envelope(message(u"text"_s, textContent(text), mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QCOMPARE(e.message.text, expected);
    QVERIFY(e.message.mentionsBot);
    QVERIFY(e.message.isGroup());
    QCOMPARE(e.message.mentions.size(), mentions.size());
    for (const InboundMention &m : e.message.mentions) {
        QVERIFY(m.key.startsWith(u"@_user_"));
        QVERIFY(!m.openId.isEmpty());
    }
}

void TestEventParser::botMentionedButNotInText()
{
    // "Was the bot addressed?" is decided by mentions[], not by text search.
    EventParser parser(kBot);
    const QJsonArray mentions{mention(u"@_user_1"_s, u"ou_other"_s, u"Alice"_s)};
    auto e = parser.parse(envelope(message(u"text"_s, textContent(u"@_user_1 早"_s), mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(!e.message.mentionsBot);
    QCOMPARE(e.message.text, u"@Alice 早"_s);
}

void TestEventParser::withoutBotOpenIdNothingIsStripped()
{
    EventParser parser;
    const QJsonArray mentions{mention(u"@_user_1"_s, kBot, u"TicketBot"_s)};
    const auto e = parser.parse(envelope(message(u"text"_s, textContent(u"@_user_1 hi"_s), mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(!e.message.mentionsBot);
    QCOMPARE(e.message.text, u"@TicketBot hi"_s);
    // Setting it later changes the outcome.
    parser.setBotOpenId(kBot);
    const auto e2 = parser.parse(envelope(message(u"text"_s, textContent(u"@_user_1 hi"_s), mentions)));
    QVERIFY(e2.message.mentionsBot);
    QCOMPARE(e2.message.text, u"hi"_s);
}

void TestEventParser::atAll()
{
    EventParser parser(kBot);
    auto e = parser.parse(envelope(message(u"text"_s, textContent(u"@_all 今晚 TSP 平台维护"_s))));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QCOMPARE(e.message.text, u"@all 今晚 TSP 平台维护"_s);
    QVERIFY(e.message.mentionsAll);
    QVERIFY(!e.message.mentionsBot);
    // With an accompanying mentions[] entry, and the bot also mentioned.
    const QJsonArray mentions{mention(u"@_all"_s, u""_s, u"所有人"_s),
                              mention(u"@_user_1"_s, kBot, u"Bot"_s)};
    e = parser.parse(envelope(message(u"text"_s, textContent(u"@_all @_user_1 注意"_s), mentions)));
    QCOMPARE(e.message.text, u"@all 注意"_s);
    QVERIFY(e.message.mentionsAll);
    QVERIFY(e.message.mentionsBot);
    // "@_allx" is not @_all.
    e = parser.parse(envelope(message(u"text"_s, textContent(u"@_allx"_s))));
    QCOMPARE(e.message.text, u"@_allx"_s);
    QVERIFY(!e.message.mentionsAll);
}

void TestEventParser::post()
{
    const QJsonObject content{
        {u"title"_s, u"数字钥匙故障"_s},
        {u"content"_s,
         QJsonArray{
             QJsonArray{
                 QJsonObject{
                     {u"tag"_s, u"at"_s}, {u"user_id"_s, u"@_user_1"_s}, {u"user_name"_s, u"TicketBot"_s}},
                 QJsonObject{{u"tag"_s, u"text"_s},
                             {u"text"_s, u" 车主反馈 "_s},
                             {u"style"_s, QJsonArray{u"bold"_s}}},
                 QJsonObject{{u"tag"_s, u"at"_s}, {u"user_id"_s, u"@_user_2"_s}, {u"user_name"_s, u"张三"_s}},
                 QJsonObject{{u"tag"_s, u"text"_s}, {u"text"_s, u" 的车无法解锁"_s}}},
             QJsonArray{QJsonObject{{u"tag"_s, u"a"_s},
                                    {u"text"_s, u"工单"_s},
                                    {u"href"_s, u"https://example.com/t/42"_s}},
                        QJsonObject{{u"tag"_s, u"text"_s}, {u"text"_s, u" 见链接 "_s}},
                        QJsonObject{{u"tag"_s, u"emotion"_s}, {u"emoji_type"_s, u"SMILE"_s}}},
             QJsonArray{
                 QJsonObject{{u"tag"_s, u"img"_s}, {u"image_key"_s, u"img_v2_abc"_s}, {u"width"_s, 100}}},
             QJsonArray{QJsonObject{
                 {u"tag"_s, u"code_block"_s}, {u"language"_s, u"JSON"_s}, {u"text"_s, u"{\"vin\":1}"_s}}},
             QJsonArray{QJsonObject{{u"tag"_s, u"md"_s}, {u"text"_s, u"**重启** T-Box"_s}}},
             QJsonArray{QJsonObject{{u"tag"_s, u"hr"_s}}},
             QJsonArray{
                 QJsonObject{{u"tag"_s, u"at"_s}, {u"user_id"_s, u"all"_s}, {u"user_name"_s, u"所有人"_s}},
                 QJsonObject{{u"tag"_s, u"unknown_future_tag"_s}, {u"text"_s, u"ignored"_s}}}}}};
    const QJsonArray mentions{mention(u"@_user_1"_s, kBot, u"TicketBot"_s),
                              mention(u"@_user_2"_s, u"ou_zs"_s, u"张三"_s)};
    EventParser parser(kBot);
    const auto e = parser.parse(envelope(message(u"post"_s, json(content), mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.message.readable);
    QVERIFY(e.message.mentionsBot);
    QVERIFY(e.message.mentionsAll);
    QCOMPARE(
        e.message.text,
        u"数字钥匙故障\n车主反馈 @张三 的车无法解锁\n工单 见链接 [SMILE]\n\n{\"vin\":1}\n**重启** T-Box\n\n@all"_s);
}

void TestEventParser::postSendFormWithLanguageKey()
{
    const QJsonObject inner{
        {u"title"_s, u""_s},
        {u"content"_s, QJsonArray{QJsonArray{QJsonObject{{u"tag"_s, u"text"_s}, {u"text"_s, u"第一段"_s}}},
                                  QJsonArray{QJsonObject{{u"tag"_s, u"text"_s}, {u"text"_s, u"第二段"_s}}}}}};
    EventParser parser(kBot);
    const auto e = parser.parse(envelope(message(u"post"_s, json(QJsonObject{{u"zh_cn"_s, inner}}))));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QCOMPARE(e.message.text, u"第一段\n第二段"_s);
}

void TestEventParser::postAtBotByOpenId()
{
    // Some payloads put the real open_id in the at element instead of the placeholder.
    const QJsonObject content{
        {u"content"_s, QJsonArray{QJsonArray{
                           QJsonObject{{u"tag"_s, u"at"_s}, {u"user_id"_s, kBot}, {u"user_name"_s, u"Bot"_s}},
                           QJsonObject{{u"tag"_s, u"text"_s}, {u"text"_s, u" 在吗"_s}}}}}};
    EventParser parser(kBot);
    const auto e = parser.parse(envelope(message(u"post"_s, json(content))));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.message.mentionsBot);
    QCOMPARE(e.message.text, u"在吗"_s);
}

void TestEventParser::unreadableTypes_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("content");
    QTest::newRow("image") << u"image"_s << u"{\"image_key\":\"img_v2_041b28e3\"}"_s;
    QTest::newRow("file") << u"file"_s << u"{\"file_key\":\"file_456\",\"file_name\":\"log.txt\"}"_s;
    QTest::newRow("audio") << u"audio"_s << u"{\"file_key\":\"file_v2_1\",\"duration\":2000}"_s;
    QTest::newRow("media") << u"media"_s << u"{\"file_key\":\"f\",\"image_key\":\"i\"}"_s;
    QTest::newRow("sticker") << u"sticker"_s << u"{\"file_key\":\"sticker_1\"}"_s;
    QTest::newRow("interactive") << u"interactive"_s << u"{\"elements\":[]}"_s;
    QTest::newRow("share_chat") << u"share_chat"_s << u"{\"chat_id\":\"oc_1\"}"_s;
    QTest::newRow("share_user") << u"share_user"_s << u"{\"user_id\":\"ou_1\"}"_s;
    QTest::newRow("future type") << u"hologram"_s << u"{}"_s;
}

void TestEventParser::unreadableTypes()
{
    QFETCH(QString, type);
    QFETCH(QString, content);
    EventParser parser(kBot);
    const auto e = parser.parse(envelope(message(type, content, {mention(u"@_user_1"_s, kBot, u"Bot"_s)})));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QCOMPARE(e.message.messageType, type);
    QVERIFY(!e.message.readable);
    QVERIFY(e.message.text.isEmpty());
    QCOMPARE(e.message.rawContent, content);
    QVERIFY(e.message.mentionsBot);
}

void TestEventParser::malformed_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("broken JSON") << QByteArray("{\"schema\":\"2.0\",\"header\":{") << u"not valid JSON"_s;
    QTest::newRow("array") << QByteArray("[1,2]") << u"not an object"_s;
    QTest::newRow("no envelope") << QByteArray("{\"a\":1}") << u"envelope"_s;
    QTest::newRow("encrypted") << QByteArray("{\"encrypt\":\"FIAfJPGRmFZWkaxPQ1XrJZVbv2JwdjfLk4jx0k\"}")
                               << u"encrypted"_s;

    QJsonObject noMessage =
        QJsonDocument::fromJson(envelope(message(u"text"_s, textContent(u"x"_s)))).object();
    QJsonObject event = noMessage.value(u"event"_s).toObject();
    event.remove(u"message"_s);
    noMessage.insert(u"event"_s, event);
    QTest::newRow("missing message") << QJsonDocument(noMessage).toJson() << u"event.message"_s;

    QJsonObject noType = QJsonDocument::fromJson(envelope(message(u"text"_s, textContent(u"x"_s)))).object();
    QJsonObject header = noType.value(u"header"_s).toObject();
    header.remove(u"event_type"_s);
    noType.insert(u"header"_s, header);
    QTest::newRow("missing event_type") << QJsonDocument(noType).toJson() << u"event_type"_s;
    header = noMessage.value(u"header"_s).toObject();
    header.remove(u"event_id"_s);
    noType = noMessage;
    noType.insert(u"header"_s, header);
    QTest::newRow("missing event_id") << QJsonDocument(noType).toJson() << u"event_id"_s;

    QJsonObject contentObject = message(u"text"_s, {});
    contentObject.insert(u"content"_s, QJsonObject{{u"text"_s, u"hi"_s}});
    QTest::newRow("content is an object, not a string") << envelope(contentObject) << u"not a string"_s;
    QJsonObject noContent = message(u"text"_s, {});
    noContent.remove(u"content"_s);
    QTest::newRow("content missing") << envelope(noContent) << u"not a string"_s;
    QTest::newRow("content is not JSON")
        << envelope(message(u"text"_s, u"hello"_s)) << u"message content is not valid JSON"_s;
    QTest::newRow("text without text")
        << envelope(message(u"text"_s, u"{\"txt\":\"hi\"}"_s)) << u"no \"text\""_s;
    QTest::newRow("text is a number") << envelope(message(u"text"_s, u"{\"text\":5}"_s)) << u"no \"text\""_s;
    QTest::newRow("post without content")
        << envelope(message(u"post"_s, u"{\"title\":\"t\"}"_s)) << u"content\" array"_s;
    QJsonObject noId = message(u"text"_s, textContent(u"x"_s));
    noId.remove(u"message_id"_s);
    QTest::newRow("no message_id") << envelope(noId) << u"message_id"_s;
    QJsonObject noChat = message(u"text"_s, textContent(u"x"_s));
    noChat.remove(u"chat_id"_s);
    QTest::newRow("no chat_id") << envelope(noChat) << u"chat_id"_s;
}

void TestEventParser::malformed()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, why);
    EventParser parser(kBot);
    const auto e = parser.parse(payload);
    QCOMPARE(e.kind, ParsedEvent::Kind::Malformed);
    QVERIFY2(e.reason.contains(why), qPrintable(e.reason));
}

void TestEventParser::invalidUtf8()
{
    EventParser parser(kBot);
    QByteArray payload = envelope(message(u"text"_s, textContent(u"MARKER"_s)));
    const qsizetype at = payload.indexOf("MARKER");
    QVERIFY(at > 0);
    payload.replace(at, 6, QByteArray("\xff\xfe\xc0\x80", 4));
    auto e = parser.parse(payload);
    QCOMPARE(e.kind, ParsedEvent::Kind::Malformed);
    QVERIFY2(e.reason.contains(u"UTF-8"), qPrintable(e.reason));
    // A lone surrogate (CESU-style) is invalid UTF-8 too.
    payload = envelope(message(u"text"_s, textContent(u"MARKER"_s)));
    payload.replace(payload.indexOf("MARKER"), 6, QByteArray("\xed\xa0\x80", 3));
    e = parser.parse(payload);
    QCOMPARE(e.kind, ParsedEvent::Kind::Malformed);
    QVERIFY2(e.reason.contains(u"UTF-8"), qPrintable(e.reason));
}

void TestEventParser::legacyV1Envelope()
{
    const QByteArray v1 =
        R"({"uuid":"41b5f371157e3b3a1a4e2d5b3bff0d3e","token":"41b5f371157e3b3a","ts":"1550038209.428520",
        "type":"event_callback","event":{"type":"message","app_id":"cli_xxx","chat_type":"private",
        "msg_type":"text","open_id":"ou_xxx","text":"hello"}})";
    EventParser parser(kBot);
    const auto e = parser.parse(v1);
    QCOMPARE(e.kind, ParsedEvent::Kind::Other);
    QCOMPARE(e.schema, u"1.0"_s);
    QCOMPARE(e.eventId, u"41b5f371157e3b3a1a4e2d5b3bff0d3e"_s);
    QCOMPARE(e.eventType, u"message"_s);
    QCOMPARE(e.event.value(u"text"_s).toString(), u"hello"_s);
}

void TestEventParser::cardActionTrigger()
{
    const QByteArray payload = R"({"schema":"2.0","header":{"event_id":"f7984f25108f8137722bb63cee927e66",
        "token":"066zT6pS4QCbgj5Do145GfDbbagCHGgF","create_time":"1603977298000000","event_type":"card.action.trigger",
        "tenant_key":"2df73991750f175e","app_id":"cli_a5fb0ae6a4f8d00b"},
        "event":{"operator":{"tenant_key":"2df73991750f175e","user_id":"867ecd3c","open_id":"ou_3c14f3a59eaf2825dbe25359f15a"},
        "token":"c-295ee57216a5dc9de90fefd0aadb4b1d7d337bc9","action":{"value":{"action":"close","ticket":"42"},"tag":"button"},
        "host":"im_message","context":{"open_message_id":"om_x100b","open_chat_id":"oc_95c7f8"}}})";
    EventParser parser(kBot);
    const auto e = parser.parse(payload);
    QCOMPARE(e.kind, ParsedEvent::Kind::Other);
    QCOMPARE(e.eventType, u"card.action.trigger"_s);
    QCOMPARE(e.eventId, u"f7984f25108f8137722bb63cee927e66"_s);
    QCOMPARE(e.event.value(u"action"_s).toObject().value(u"value"_s).toObject().value(u"ticket"_s).toString(),
             u"42"_s);
    QVERIFY(e.message.messageId.isEmpty());
}

void TestEventParser::otherEventType()
{
    EventParser parser(kBot);
    const auto e =
        parser.parse(envelope(message(u"text"_s, textContent(u"x"_s)), u"im.chat.member.bot.added_v1"_s));
    QCOMPARE(e.kind, ParsedEvent::Kind::Other);
    QCOMPARE(e.eventType, u"im.chat.member.bot.added_v1"_s);
    QVERIFY(e.message.text.isEmpty());
}

void TestEventParser::hugeTextIsKept()
{
    // 2 MB of text with 100k placeholders: kept whole, every mention handled (linear work).
    QJsonArray mentions{mention(u"@_user_1"_s, kBot, u"Bot"_s), mention(u"@_user_2"_s, u"ou_a"_s, u"A"_s)};
    QString text = u"@_user_1 "_s;
    QString expected;
    for (int i = 0; i < 100000; ++i) {
        text += u"车机 @_user_2 x @_user_12 "_s;
        expected += u"车机 @A x @_user_12 "_s;
    }
    EventParser parser(kBot);
    const auto e = parser.parse(envelope(message(u"text"_s, textContent(text), mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QCOMPARE(e.message.text, expected.trimmed());
    QVERIFY(e.message.mentionsBot);
}

void TestEventParser::tenMegabyteEvent()
{
    // Issue 5, bad input: a 10 MB text event (mixed Chinese and ASCII, mentions in it) parses
    // into one Message with the whole text, in linear time.
    QJsonArray mentions{mention(u"@_user_1"_s, kBot, u"Bot"_s), mention(u"@_user_2"_s, u"ou_a"_s, u"A"_s)};
    const QString chunk = u"车机没网了怎么办 T-Box offline @_user_2 "_s;
    QString text = u"@_user_1 "_s;
    QString expected;
    const qsizetype chunkBytes = chunk.toUtf8().size();
    for (qsizetype bytes = 0; bytes < 10 * 1024 * 1024; bytes += chunkBytes) {
        text += chunk;
        expected += u"车机没网了怎么办 T-Box offline @A "_s;
    }
    const QByteArray payload = envelope(message(u"text"_s, textContent(text), mentions));
    QVERIFY(payload.size() > 10 * 1024 * 1024);
    EventParser parser(kBot);
    const auto e = parser.parse(payload);
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.message.mentionsBot);
    QCOMPARE(e.message.text.size(), expected.trimmed().size());
    QCOMPARE(e.message.text, expected.trimmed());
}

void TestEventParser::onlyMentions()
{
    // Issue 5, bad input: a message that is nothing but mentions. Only the bot: a readable
    // Message with empty text that mentions the bot (the pipeline answers it with a prompt, see
    // TestPipeline::onlyMentionsGetsAPrompt). The bot and others: just the others' names.
    // @_all alone: mentionsAll, the text "@all".
    QJsonArray mentions{mention(u"@_user_1"_s, kBot, u"Bot"_s), mention(u"@_user_2"_s, u"ou_a"_s, u"Alice"_s),
                        mention(u"@_all"_s, QString(), u"所有人"_s)};
    EventParser parser(kBot);
    auto e = parser.parse(envelope(message(u"text"_s, textContent(u" @_user_1 "_s), mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.message.readable);
    QVERIFY(e.message.mentionsBot);
    QVERIFY(e.message.text.isEmpty());

    e = parser.parse(envelope(message(u"text"_s, textContent(u"@_user_1 @_user_2"_s), mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.message.mentionsBot);
    QCOMPARE(e.message.text, u"@Alice"_s);

    e = parser.parse(envelope(message(u"text"_s, textContent(u"@_all"_s), QJsonArray{mentions.at(2)})));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.message.mentionsAll);
    QVERIFY(!e.message.mentionsBot);
    QCOMPARE(e.message.text, u"@all"_s);

    // A post that holds only an at of the bot is empty too.
    const QString post = json(QJsonObject{
        {u"title"_s, u""_s},
        {u"content"_s, QJsonArray{QJsonArray{QJsonObject{{u"tag"_s, u"at"_s}, {u"user_id"_s, kBot}}}}}});
    e = parser.parse(envelope(message(u"post"_s, post, mentions)));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QVERIFY(e.message.text.trimmed().isEmpty());
}

QTEST_GUILESS_MAIN(TestEventParser)
#include "tst_eventparser.moc"

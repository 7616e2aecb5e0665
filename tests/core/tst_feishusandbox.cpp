#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

#include "feishu/eventparser.h"
#include "feishu/frame.h"
#include "sandbox/feishusandbox.h"

using namespace Qt::StringLiterals;

namespace {

struct HttpResult
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

// A raw long-connection client: collects every frame the sandbox sends.
struct RawClient
{
    QWebSocket ws;
    QList<Frame> frames;
    int textMessages = 0;
    int undecodable = 0;

    RawClient()
    {
        ws.setProxy(QNetworkProxy::NoProxy);
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws, [this](const QByteArray &b) {
            Frame f;
            if (FrameCodec::decode(b, &f))
                frames.append(f);
            else
                ++undecodable;
        });
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [this] { ++textMessages; });
    }
    bool open(const QUrl &url)
    {
        QSignalSpy connected(&ws, &QWebSocket::connected);
        ws.open(url);
        return connected.wait(5000);
    }
    void send(const Frame &f) { ws.sendBinaryMessage(FrameCodec::encode(f)); }
    QList<Frame> dataFrames() const
    {
        QList<Frame> out;
        for (const Frame &f : frames) {
            if (f.method == Frame::Data)
                out.append(f);
        }
        return out;
    }
    int countType(const QByteArray &type) const
    {
        return int(std::count_if(frames.cbegin(), frames.cend(),
                                 [&](const Frame &f) { return f.header("type") == type; }));
    }
};

Frame makeAck(const Frame &pushed, const QByteArray &bizRt = "3",
              const QByteArray &payload = R"({"code":200})")
{
    Frame ack = pushed;
    if (!bizRt.isNull())
        ack.appendHeader("biz_rt", bizRt);
    ack.payload = payload;
    return ack;
}

QByteArray jsonBytes(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestFeishuSandbox final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void bootstrapReturnsUrlAndConfig();
    void bootstrapRejectsWrongCredentials();
    void bootstrapFaults();
    void ticketIsSingleUse();
    void pingGetsPongWithClientConfig();
    void pongDisabledAndSilent();
    void pushTextIsFaithfulEnvelope();
    void envelopeParsesWithEventParser();
    void ackIsRecordedAndValidated();
    void badAcksAreCounted();
    void fragmentsShuffledAndDuplicated();
    void fragmentsNeverEmpty();
    void unackedPushIsRepushed();
    void preparedPushIsSentOnlyWhenPushed();
    void redeliverKeepsEventIds();
    void pushWaitsForConnection();
    void killConnectionsAbortsClients();
    void garbageFromClientIsCounted();
    void tokenEndpoint();
    void botInfoNeedsValidToken();
    void replyAndSendAreRecorded();
    void messageValidation_data();
    void messageValidation();
    void uuidIsIdempotent();
    void faults();
    void tokenFaultAndExpiry();
    void extraHandlersGoFirst();

private:
    HttpResult http(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                    const QByteArray &auth = {}, int transferTimeoutMs = 0);
    QJsonObject bootstrap(const QString &appId = {}, const QString &secret = {});
    QUrl wsUrl();
    QByteArray token();
    bool connectClient(RawClient &c)
    {
        return c.open(wsUrl()) && QTest::qWaitFor([&] { return m_sandbox->connectionCount() > 0; });
    }

    FeishuSandbox *m_sandbox = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
};

void TestFeishuSandbox::init()
{
    m_sandbox = new FeishuSandbox(FeishuSandbox::Options{}, this);
    QVERIFY(m_sandbox->start());
    m_nam = new QNetworkAccessManager(this);
    m_nam->setProxy(QNetworkProxy::NoProxy);
}

void TestFeishuSandbox::cleanup()
{
    delete m_nam;
    m_nam = nullptr;
    delete m_sandbox;
    m_sandbox = nullptr;
}

HttpResult TestFeishuSandbox::http(const QByteArray &verb, const QString &path, const QByteArray &body,
                                   const QByteArray &auth, int transferTimeoutMs)
{
    QNetworkRequest req(m_sandbox->baseUrl().resolved(QUrl(path)));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    if (!auth.isEmpty())
        req.setRawHeader("Authorization", auth);
    if (transferTimeoutMs > 0)
        req.setTransferTimeout(transferTimeoutMs);
    QNetworkReply *reply = m_nam->sendCustomRequest(req, verb, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    HttpResult r;
    if (!done.wait(10000)) {
        reply->abort();
        r.error = QNetworkReply::TimeoutError;
        reply->deleteLater();
        return r;
    }
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.error = reply->error();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    r.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return r;
}

QJsonObject TestFeishuSandbox::bootstrap(const QString &appId, const QString &secret)
{
    const QJsonObject body{
        {QStringLiteral("AppID"), appId.isNull() ? m_sandbox->options().appId : appId},
        {QStringLiteral("AppSecret"), secret.isNull() ? m_sandbox->options().appSecret : secret}};
    return http("POST", QStringLiteral("/callback/ws/endpoint"), jsonBytes(body)).json;
}

QUrl TestFeishuSandbox::wsUrl()
{
    return QUrl(bootstrap().value(QStringLiteral("data")).toObject().value(QStringLiteral("URL")).toString());
}

QByteArray TestFeishuSandbox::token()
{
    const QJsonObject body{{QStringLiteral("app_id"), m_sandbox->options().appId},
                           {QStringLiteral("app_secret"), m_sandbox->options().appSecret}};
    const HttpResult r =
        http("POST", QStringLiteral("/open-apis/auth/v3/tenant_access_token/internal"), jsonBytes(body));
    return "Bearer " + r.json.value(QStringLiteral("tenant_access_token")).toString().toUtf8();
}

void TestFeishuSandbox::bootstrapReturnsUrlAndConfig()
{
    QSignalSpy requested(m_sandbox, &FeishuSandbox::bootstrapRequested);
    m_sandbox->setClientConfig(
        QJsonObject{{QStringLiteral("PingInterval"), 2}, {QStringLiteral("ReconnectCount"), -1}});
    const QJsonObject r = bootstrap();
    QCOMPARE(r.value(QStringLiteral("code")).toInt(-1), 0);
    const QJsonObject data = r.value(QStringLiteral("data")).toObject();
    const QUrl url(data.value(QStringLiteral("URL")).toString());
    QCOMPARE(url.scheme(), QStringLiteral("ws"));
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(url.port(), int(m_sandbox->wsPort()));
    QCOMPARE(url.path(), QStringLiteral("/ws/v2"));
    const QUrlQuery q(url);
    QCOMPARE(q.queryItemValue(QStringLiteral("service_id")), QStringLiteral("33554678"));
    QVERIFY(!q.queryItemValue(QStringLiteral("device_id")).isEmpty());
    QVERIFY(!q.queryItemValue(QStringLiteral("ticket")).isEmpty());
    QVERIFY(!q.queryItemValue(QStringLiteral("access_key")).isEmpty());
    QCOMPARE(
        data.value(QStringLiteral("ClientConfig")).toObject().value(QStringLiteral("PingInterval")).toInt(),
        2);
    QCOMPARE(m_sandbox->bootstrapCount(), 1);
    QCOMPARE(requested.size(), 1);
    // Every bootstrap hands out a different ticket.
    const QUrl second(
        bootstrap().value(QStringLiteral("data")).toObject().value(QStringLiteral("URL")).toString());
    QVERIFY(QUrlQuery(second).queryItemValue(QStringLiteral("ticket")) !=
            q.queryItemValue(QStringLiteral("ticket")));
}

void TestFeishuSandbox::bootstrapRejectsWrongCredentials()
{
    const QJsonObject r = bootstrap(QString(), QStringLiteral("wrong"));
    const int code = r.value(QStringLiteral("code")).toInt();
    QVERIFY(code != 0 && code != 1 && code != 1000040343); // terminal, not one of the retryable codes
    QVERIFY(r.value(QStringLiteral("data")).toObject().value(QStringLiteral("URL")).toString().isEmpty());
    QCOMPARE(
        bootstrap(QStringLiteral("cli_0000000000000000"), QString()).value(QStringLiteral("code")).toInt(),
        code);
}

void TestFeishuSandbox::bootstrapFaults()
{
    m_sandbox->setBootstrapFault(1000040343, QStringLiteral("internal error"));
    QJsonObject r = bootstrap();
    QCOMPARE(r.value(QStringLiteral("code")).toInt(), 1000040343);
    QCOMPARE(r.value(QStringLiteral("msg")).toString(), QStringLiteral("internal error"));
    m_sandbox->clearBootstrapFault();

    m_sandbox->setBootstrapHttpStatus(503);
    const HttpResult h = http("POST", QStringLiteral("/callback/ws/endpoint"),
                              jsonBytes({{QStringLiteral("AppID"), m_sandbox->options().appId},
                                         {QStringLiteral("AppSecret"), m_sandbox->options().appSecret}}));
    QCOMPARE(h.status, 503);
    m_sandbox->setBootstrapHttpStatus(0);

    m_sandbox->setBootstrapEmptyUrl(true);
    r = bootstrap();
    QCOMPARE(r.value(QStringLiteral("code")).toInt(-1), 0);
    QVERIFY(r.value(QStringLiteral("data")).toObject().value(QStringLiteral("URL")).toString().isEmpty());
    m_sandbox->clearBootstrapFault();
    QVERIFY(!wsUrl().isEmpty());
    QCOMPARE(m_sandbox->bootstrapCount(), 4);
}

void TestFeishuSandbox::ticketIsSingleUse()
{
    const QUrl url = wsUrl();
    RawClient first;
    QVERIFY(first.open(url));
    QTRY_COMPARE(m_sandbox->connectionCount(), 1);

    RawClient second;
    QSignalSpy disconnected(&second.ws, &QWebSocket::disconnected);
    QSignalSpy connected(&second.ws, &QWebSocket::connected);
    second.ws.open(url);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(connected.size(), 0);
    QCOMPARE(m_sandbox->refusedHandshakes(), 1);

    // A forged ticket is refused as well.
    QUrl forged = wsUrl();
    QUrlQuery q(forged);
    q.removeQueryItem(QStringLiteral("ticket"));
    q.addQueryItem(QStringLiteral("ticket"), QStringLiteral("deadbeef"));
    forged.setQuery(q);
    RawClient third;
    QSignalSpy thirdDown(&third.ws, &QWebSocket::disconnected);
    third.ws.open(forged);
    QVERIFY(thirdDown.wait(5000));
    QCOMPARE(m_sandbox->refusedHandshakes(), 2);
    QCOMPARE(m_sandbox->connectionCount(), 1);
    QCOMPARE(m_sandbox->totalConnections(), 1);
}

void TestFeishuSandbox::pingGetsPongWithClientConfig()
{
    RawClient c;
    QVERIFY(connectClient(c));
    QSignalSpy pinged(m_sandbox, &FeishuSandbox::pingReceived);
    const QJsonObject nonsense{{QStringLiteral("PingInterval"), QStringLiteral("x")},
                               {QStringLiteral("ReconnectInterval"), -5}};
    m_sandbox->setClientConfig(nonsense);
    c.send(FrameCodec::makePing(33554678));
    QTRY_COMPARE(c.frames.size(), 1);
    const Frame pong = c.frames.first();
    QCOMPARE(pong.method, qint32(Frame::Control));
    QCOMPARE(pong.header("type"), QByteArray("pong"));
    QCOMPARE(QJsonDocument::fromJson(pong.payload.value_or(QByteArray())).object(), nonsense);
    QCOMPARE(pinged.size(), 1);
    QCOMPARE(m_sandbox->pingCount(), 1);
    QCOMPARE(m_sandbox->pings().first().frame.service, 33554678);

    m_sandbox->setPongPayloadRaw("not json");
    c.send(FrameCodec::makePing(33554678));
    QTRY_COMPARE(c.frames.size(), 2);
    QCOMPARE(c.frames.last().payload.value_or(QByteArray()), QByteArray("not json"));
}

void TestFeishuSandbox::pongDisabledAndSilent()
{
    RawClient c;
    QVERIFY(connectClient(c));
    m_sandbox->setPongEnabled(false);
    c.send(FrameCodec::makePing(1));
    QTRY_COMPARE(m_sandbox->pingCount(), 1);
    m_sandbox->setPongEnabled(true);

    m_sandbox->setSilent(true);
    c.send(FrameCodec::makePing(1));
    QTRY_COMPARE(m_sandbox->pingCount(), 2);
    const QByteArray lost = m_sandbox->pushEvent(R"({"schema":"2.0"})");
    QVERIFY(!lost.isEmpty());
    m_sandbox->setSilent(false);

    // The socket is still open: the next ping is answered, and it is the only frame that came.
    c.send(FrameCodec::makePing(1));
    QTRY_COMPARE(c.frames.size(), 1);
    QCOMPARE(c.frames.first().header("type"), QByteArray("pong"));
    QCOMPARE(m_sandbox->pingCount(), 3);
    QCOMPARE(c.ws.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_sandbox->unackedCount(), 1);
}

void TestFeishuSandbox::pushTextIsFaithfulEnvelope()
{
    RawClient c;
    QVERIFY(connectClient(c));
    FeishuSandbox::TextPush t;
    t.chatId = QStringLiteral("oc_group1");
    t.senderOpenId = QStringLiteral("ou_alice");
    t.text = QStringLiteral("车机没网");
    t.mentionBot = true;
    t.otherMentions = {{QStringLiteral("ou_bob"), QStringLiteral("Bob")}};
    const QString imId = m_sandbox->pushText(t);
    QVERIFY(imId.startsWith(QLatin1String("om_")));
    QTRY_COMPARE(c.frames.size(), 1);
    const Frame f = c.frames.first();
    QCOMPARE(f.method, qint32(Frame::Data));
    QCOMPARE(f.service, 33554678);
    QList<QByteArray> keys;
    for (const auto &h : f.headers)
        keys << h.key;
    QCOMPARE(keys,
             (QList<QByteArray>{"type", "message_id", "sum", "seq", "trace_id", "timestamp", "instance_id"}));
    QCOMPARE(f.header("type"), QByteArray("event"));
    QCOMPARE(f.header("sum"), QByteArray("1"));
    QCOMPARE(f.header("seq"), QByteArray("0"));
    QCOMPARE(f.header("message_id"), m_sandbox->frameMessageIdOf(imId));
    QVERIFY(f.header("message_id") != imId.toUtf8());
    QVERIFY(!f.header("instance_id").isEmpty());

    const QJsonObject env = QJsonDocument::fromJson(f.payload.value_or(QByteArray())).object();
    QCOMPARE(env.value(QStringLiteral("schema")).toString(), QStringLiteral("2.0"));
    const QJsonObject header = env.value(QStringLiteral("header")).toObject();
    QCOMPARE(header.value(QStringLiteral("event_type")).toString(), QStringLiteral("im.message.receive_v1"));
    QVERIFY(header.value(QStringLiteral("create_time")).isString());
    QVERIFY(header.value(QStringLiteral("token")).isString());
    QVERIFY(!header.value(QStringLiteral("event_id")).toString().isEmpty());
    QCOMPARE(header.value(QStringLiteral("app_id")).toString(), m_sandbox->options().appId);
    QVERIFY(!header.value(QStringLiteral("tenant_key")).toString().isEmpty());
    const QJsonObject event = env.value(QStringLiteral("event")).toObject();
    const QJsonObject sender = event.value(QStringLiteral("sender")).toObject();
    QCOMPARE(sender.value(QStringLiteral("sender_id")).toObject().value(QStringLiteral("open_id")).toString(),
             QStringLiteral("ou_alice"));
    QCOMPARE(sender.value(QStringLiteral("sender_type")).toString(), QStringLiteral("user"));
    const QJsonObject msg = event.value(QStringLiteral("message")).toObject();
    QCOMPARE(msg.value(QStringLiteral("message_id")).toString(), imId);
    QCOMPARE(msg.value(QStringLiteral("chat_id")).toString(), QStringLiteral("oc_group1"));
    QCOMPARE(msg.value(QStringLiteral("chat_type")).toString(), QStringLiteral("group"));
    QCOMPARE(msg.value(QStringLiteral("message_type")).toString(), QStringLiteral("text"));
    QVERIFY(msg.value(QStringLiteral("content")).isString());
    const QJsonObject content =
        QJsonDocument::fromJson(msg.value(QStringLiteral("content")).toString().toUtf8()).object();
    QCOMPARE(content.value(QStringLiteral("text")).toString(), QStringLiteral("@_user_1 车机没网 @_user_2"));
    const QJsonArray mentions = msg.value(QStringLiteral("mentions")).toArray();
    QCOMPARE(mentions.size(), 2);
    const QJsonObject m1 = mentions.at(0).toObject();
    QCOMPARE(m1.value(QStringLiteral("key")).toString(), QStringLiteral("@_user_1"));
    QCOMPARE(m1.value(QStringLiteral("id")).toObject().value(QStringLiteral("open_id")).toString(),
             m_sandbox->options().botOpenId);
    QCOMPARE(m1.value(QStringLiteral("name")).toString(), m_sandbox->options().botName);
    QCOMPARE(mentions.at(1).toObject().value(QStringLiteral("key")).toString(), QStringLiteral("@_user_2"));
    QCOMPARE(mentions.at(1)
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toObject()
                 .value(QStringLiteral("open_id"))
                 .toString(),
             QStringLiteral("ou_bob"));

    // rawContent goes through untouched; p2p without mentions has no mentions array.
    FeishuSandbox::TextPush raw;
    raw.chatType = QStringLiteral("p2p");
    raw.messageType = QStringLiteral("post");
    raw.rawContent = QStringLiteral(R"({"title":"t","content":[[{"tag":"text","text":"hi"}]]})");
    m_sandbox->pushText(raw);
    QTRY_COMPARE(c.frames.size(), 2);
    const QJsonObject msg2 = QJsonDocument::fromJson(c.frames.last().payload.value_or(QByteArray()))
                                 .object()
                                 .value(QStringLiteral("event"))
                                 .toObject()
                                 .value(QStringLiteral("message"))
                                 .toObject();
    QCOMPARE(msg2.value(QStringLiteral("content")).toString(), raw.rawContent);
    QCOMPARE(msg2.value(QStringLiteral("chat_type")).toString(), QStringLiteral("p2p"));
    QVERIFY(!msg2.contains(QStringLiteral("mentions")));
}

void TestFeishuSandbox::envelopeParsesWithEventParser()
{
    // What the sandbox pushes is what the client's parser understands (mention stripping included).
    FeishuSandbox::TextPush t;
    t.chatId = QStringLiteral("oc_group1");
    t.senderOpenId = QStringLiteral("ou_alice");
    t.text = QStringLiteral("远程解锁失败");
    t.mentionBot = true;
    t.otherMentions = {{QStringLiteral("ou_bob"), QStringLiteral("Bob")}};
    const QString imId = m_sandbox->pushText(t);
    const ParsedEvent e = EventParser(m_sandbox->options().botOpenId).parse(m_sandbox->eventPayloadOf(imId));
    QCOMPARE(e.kind, ParsedEvent::Kind::Message);
    QCOMPARE(e.eventType, QStringLiteral("im.message.receive_v1"));
    QCOMPARE(e.appId, m_sandbox->options().appId);
    QVERIFY(e.createTimeMs > 0);
    QCOMPARE(e.message.messageId, imId);
    QCOMPARE(e.message.chatId, QStringLiteral("oc_group1"));
    QCOMPARE(e.message.chatType, QStringLiteral("group"));
    QCOMPARE(e.message.senderOpenId, QStringLiteral("ou_alice"));
    QVERIFY(e.message.mentionsBot);
    QCOMPARE(e.message.text, QStringLiteral("远程解锁失败 @Bob"));
    QCOMPARE(e.message.mentions.size(), 2);
}

void TestFeishuSandbox::ackIsRecordedAndValidated()
{
    RawClient c;
    QVERIFY(connectClient(c));
    QSignalSpy acked(m_sandbox, &FeishuSandbox::ackReceived);
    const QByteArray id = m_sandbox->pushEvent(R"({"schema":"2.0","header":{"event_type":"x"}})");
    QCOMPARE(m_sandbox->unackedCount(), 1);
    QTRY_COMPARE(c.frames.size(), 1);
    c.send(makeAck(c.frames.first()));
    QVERIFY(acked.wait(5000));
    QCOMPARE(acked.first().first().toByteArray(), id);
    QCOMPARE(m_sandbox->ackCount(), 1);
    const auto rec = m_sandbox->acks().first();
    QCOMPARE(rec.frameMessageId, id);
    QVERIFY2(rec.valid, qPrintable(rec.problems.join(QLatin1String("; "))));
    QCOMPARE(rec.code, 200);
    QCOMPARE(rec.payload.value(QStringLiteral("code")).toInt(), 200);
    QCOMPARE(rec.frame.header("biz_rt"), QByteArray("3"));
    QVERIFY(rec.latencyUs >= 0);
    QCOMPARE(m_sandbox->badAcks(), 0);
    QCOMPARE(m_sandbox->unackedCount(), 0);
    QVERIFY(m_sandbox->isAcked(id));

    // The Go SDK's ACK body is fine too; a second ACK is only counted.
    c.send(makeAck(c.frames.first(), "1", R"({"code":200,"headers":null,"data":null})"));
    QTRY_COMPARE(m_sandbox->duplicateAcks(), 1);
    QCOMPARE(m_sandbox->ackCount(), 1);
}

void TestFeishuSandbox::badAcksAreCounted()
{
    RawClient c;
    QVERIFY(connectClient(c));
    for (int i = 0; i < 5; ++i)
        m_sandbox->pushEvent(R"({"schema":"2.0"})");
    QTRY_COMPARE(c.frames.size(), 5);

    // Negative biz_rt (the Node SDK): delivered, but flagged.
    c.send(makeAck(c.frames[0], "-4"));
    QTRY_COMPARE(m_sandbox->ackCount(), 1);
    QCOMPARE(m_sandbox->badAcks(), 1);
    QVERIFY(m_sandbox->isAcked(c.frames[0].header("message_id")));
    QVERIFY(!m_sandbox->acks().last().valid);

    // instance_id dropped: flagged.
    Frame noInstance = makeAck(c.frames[1]);
    noInstance.headers.removeIf([](const FrameHeader &h) { return h.key == "instance_id"; });
    c.send(noInstance);
    QTRY_COMPARE(m_sandbox->ackCount(), 2);
    QCOMPARE(m_sandbox->badAcks(), 2);

    // No biz_rt: flagged.
    c.send(makeAck(c.frames[2], QByteArray()));
    QTRY_COMPARE(m_sandbox->ackCount(), 3);
    QCOMPARE(m_sandbox->badAcks(), 3);

    // code 0 instead of 200: flagged and not delivered (the platform will push it again).
    c.send(makeAck(c.frames[3], "1", R"({"code":0})"));
    QTRY_COMPARE(m_sandbox->ackCount(), 4);
    QCOMPARE(m_sandbox->badAcks(), 4);
    QVERIFY(!m_sandbox->isAcked(c.frames[3].header("message_id")));

    // Headers reordered: flagged.
    Frame reordered = makeAck(c.frames[4]);
    std::swap(reordered.headers[0], reordered.headers[4]);
    c.send(reordered);
    QTRY_COMPARE(m_sandbox->ackCount(), 5);
    QCOMPARE(m_sandbox->badAcks(), 5);

    // An ACK for something never pushed.
    Frame unknown = makeAck(c.frames[4]);
    unknown.headers[1].value = "no-such-id";
    c.send(unknown);
    QTRY_COMPARE(m_sandbox->unknownAcks(), 1);
    QCOMPARE(m_sandbox->unackedCount(), 1); // only the code-0 one
}

void TestFeishuSandbox::fragmentsShuffledAndDuplicated()
{
    RawClient c;
    QVERIFY(connectClient(c));
    QByteArray payload;
    for (int i = 0; i < 100; ++i)
        payload += "{\"n\":" + QByteArray::number(i) + "}";
    FeishuSandbox::PushOptions o;
    o.fragments = 4;
    o.shuffle = true;
    o.duplicateFragment = true;
    const QByteArray id = m_sandbox->pushEvent(payload, o);
    QTRY_COMPARE(c.frames.size(), 5);
    QList<int> seqs;
    QMap<int, QByteArray> parts;
    for (const Frame &f : std::as_const(c.frames)) {
        QCOMPARE(f.header("message_id"), id);
        QCOMPARE(f.header("sum"), QByteArray("4"));
        const int seq = f.header("seq").toInt();
        QVERIFY(!f.payload.value_or(QByteArray()).isEmpty());
        if (parts.contains(seq))
            QCOMPARE(parts.value(seq), f.payload.value_or(QByteArray())); // the duplicate is identical
        parts.insert(seq, f.payload.value_or(QByteArray()));
        seqs << seq;
    }
    QCOMPARE(parts.keys(), (QList<int>{0, 1, 2, 3}));
    QVERIFY(!std::is_sorted(seqs.begin(), seqs.end()) ||
            seqs.size() != QSet<int>(seqs.begin(), seqs.end()).size());
    QList<int> unique(seqs);
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    QCOMPARE(unique.size(), 4);
    QByteArray joined;
    for (const QByteArray &p : std::as_const(parts))
        joined += p;
    QCOMPARE(joined, payload);

    // The client ACKs with the frame of the fragment that completed the set.
    c.send(makeAck(c.frames.last()));
    QTRY_COMPARE(m_sandbox->ackCount(), 1);
    QVERIFY(m_sandbox->acks().first().valid);
}

void TestFeishuSandbox::fragmentsNeverEmpty()
{
    RawClient c;
    QVERIFY(connectClient(c));
    FeishuSandbox::PushOptions o;
    o.fragments = 6;
    m_sandbox->pushEvent("0123456789", o); // 10 bytes in 6 parts: 2,2,2,2,1,1
    o.fragments = 50;
    m_sandbox->pushEvent("abc", o); // more parts than bytes: clamped to 3
    QTRY_COMPARE(c.frames.size(), 9);
    QByteArray first, second;
    for (int i = 0; i < 6; ++i) {
        QCOMPARE(c.frames[i].header("sum"), QByteArray("6"));
        QVERIFY(!c.frames[i].payload->isEmpty());
        first += *c.frames[i].payload;
    }
    for (int i = 6; i < 9; ++i) {
        QCOMPARE(c.frames[i].header("sum"), QByteArray("3"));
        QCOMPARE(c.frames[i].payload->size(), 1);
        second += *c.frames[i].payload;
    }
    QCOMPARE(first, QByteArray("0123456789"));
    QCOMPARE(second, QByteArray("abc"));
}

void TestFeishuSandbox::preparedPushIsSentOnlyWhenPushed()
{
    // preparePush() builds the frame ahead (a load generator's burst then only sends); the frame
    // on the wire, its ACK check and a re-push must be what pushEvent() gives.
    FeishuSandbox::Options opts;
    opts.repushDelayMs = 40;
    opts.maxRepushes = 1;
    delete m_sandbox;
    m_sandbox = new FeishuSandbox(opts, this);
    QVERIFY(m_sandbox->start());
    RawClient c;
    QVERIFY(connectClient(c));
    const QByteArray first = m_sandbox->preparePush(R"({"schema":"2.0","n":1})");
    const QByteArray second = m_sandbox->preparePush(R"({"schema":"2.0","n":2})");
    QVERIFY(!first.isEmpty() && first != second);
    QTest::qWait(100);
    QCOMPARE(c.frames.size(), 0); // prepared, not pushed
    QCOMPARE(m_sandbox->unackedCount(), 0);

    m_sandbox->pushPrepared(second); // in the order asked for, not the order prepared
    m_sandbox->pushPrepared(first);
    QTRY_COMPARE(c.frames.size(), 2);
    QCOMPARE(c.frames[0].header("message_id"), second);
    QCOMPARE(c.frames[1].header("message_id"), first);
    QCOMPARE(c.frames[1].payload.value_or(QByteArray()), QByteArray(R"({"schema":"2.0","n":1})"));
    QCOMPARE(c.frames[1].header("type"), QByteArray("event"));
    QCOMPARE(c.frames[1].header("sum"), QByteArray("1"));
    QVERIFY(c.frames[1].hasHeader("trace_id") && c.frames[1].hasHeader("instance_id"));
    c.send(makeAck(c.frames[1]));
    QTRY_COMPARE(m_sandbox->ackCount(), 1);
    QVERIFY2(m_sandbox->acks().first().valid, qPrintable(m_sandbox->acks().first().problems.join(u"; "_s)));

    // The unACKed one is re-pushed, rebuilt the same.
    QTRY_COMPARE(m_sandbox->repushCount(), 1);
    QTRY_COMPARE(c.frames.size(), 3);
    QCOMPARE(c.frames[2].header("message_id"), second);
    QCOMPARE(c.frames[2].payload, c.frames[0].payload);
    QCOMPARE(c.frames[2].headers, c.frames[0].headers);

    // Pushing an id twice, or one never prepared, sends nothing.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"pushPrepared\\(\\) of an unknown push"_s));
    m_sandbox->pushPrepared(first);
    QTest::qWait(100);
    QCOMPARE(c.frames.size(), 3);
}

void TestFeishuSandbox::unackedPushIsRepushed()
{
    FeishuSandbox::Options opts;
    opts.repushDelayMs = 40;
    opts.maxRepushes = 2;
    delete m_sandbox;
    m_sandbox = new FeishuSandbox(opts, this);
    QVERIFY(m_sandbox->start());
    RawClient c;
    QVERIFY(connectClient(c));
    QSignalSpy repushed(m_sandbox, &FeishuSandbox::repushed);

    const QByteArray acked = m_sandbox->pushEvent(R"({"a":1})");
    QTRY_COMPARE(c.frames.size(), 1);
    c.send(makeAck(c.frames.first()));
    QTRY_COMPARE(m_sandbox->ackCount(), 1);

    FeishuSandbox::PushOptions o;
    o.fragments = 2;
    const QByteArray unacked = m_sandbox->pushEvent(R"({"b":2})", o);
    // Two fragments, then two complete re-pushes of two fragments each, then nothing more.
    QTRY_COMPARE(m_sandbox->repushCount(), 2);
    QTRY_COMPARE(c.frames.size(), 1 + 2 * 3);
    QCOMPARE(repushed.size(), 2);
    QCOMPARE(repushed.first().first().toByteArray(), unacked);
    int ofAcked = 0, ofUnacked = 0;
    for (const Frame &f : std::as_const(c.frames)) {
        ofAcked += f.header("message_id") == acked;
        ofUnacked += f.header("message_id") == unacked;
    }
    QCOMPARE(ofAcked, 1);
    QCOMPARE(ofUnacked, 6);
    QCOMPARE(m_sandbox->unackedCount(), 1);

    // A late ACK still counts (the re-pushed frames carry the same headers).
    c.send(makeAck(c.frames.last()));
    QTRY_COMPARE(m_sandbox->unackedCount(), 0);
    QVERIFY(m_sandbox->acks().last().valid);

    // Re-pushes go to the current connection after a reconnect.
    const QByteArray third = m_sandbox->pushEvent(R"({"c":3})");
    QTRY_COMPARE(c.frames.size(), 8);
    m_sandbox->killConnections();
    QTRY_COMPARE(m_sandbox->connectionCount(), 0);
    RawClient d;
    QVERIFY(connectClient(d));
    QTRY_VERIFY(!d.frames.isEmpty());
    QCOMPARE(d.frames.first().header("message_id"), third);
}

void TestFeishuSandbox::redeliverKeepsEventIds()
{
    RawClient c;
    QVERIFY(connectClient(c));
    FeishuSandbox::TextPush t;
    t.text = QStringLiteral("远程解锁失败");
    const QString imId = m_sandbox->pushText(t);
    QTRY_COMPARE(c.frames.size(), 1);
    const QByteArray firstFrame = m_sandbox->frameMessageIdOf(imId);
    const QByteArray again = m_sandbox->redeliver(imId);
    QVERIFY(!again.isEmpty());
    QVERIFY(again != firstFrame);
    QCOMPARE(m_sandbox->frameMessageIdOf(imId), again);
    QTRY_COMPARE(c.frames.size(), 2);
    QCOMPARE(c.frames[1].header("message_id"), again);
    QCOMPARE(*c.frames[1].payload, *c.frames[0].payload); // same event_id, same IM message_id
    QVERIFY(m_sandbox->redeliver(QStringLiteral("om_unknown")).isEmpty());
}

void TestFeishuSandbox::pushWaitsForConnection()
{
    const QByteArray id = m_sandbox->pushEvent(R"({"early":true})");
    QCOMPARE(m_sandbox->unackedCount(), 1);
    RawClient c;
    QVERIFY(connectClient(c));
    QTRY_COMPARE(c.frames.size(), 1);
    QCOMPARE(c.frames.first().header("message_id"), id);
}

void TestFeishuSandbox::killConnectionsAbortsClients()
{
    RawClient c;
    QSignalSpy serverSide(m_sandbox, &FeishuSandbox::wsClientDisconnected);
    QVERIFY(connectClient(c));
    QSignalSpy down(&c.ws, &QWebSocket::disconnected);
    m_sandbox->killConnections();
    QVERIFY(down.wait(5000));
    QTRY_COMPARE(m_sandbox->connectionCount(), 0);
    QCOMPARE(serverSide.size(), 1);

    RawClient d;
    QVERIFY(connectClient(d));
    QSignalSpy closed(&d.ws, &QWebSocket::disconnected);
    m_sandbox->closeConnections();
    QVERIFY(closed.wait(5000));
    QCOMPARE(d.ws.closeCode(), QWebSocketProtocol::CloseCodeNormal);
}

void TestFeishuSandbox::garbageFromClientIsCounted()
{
    RawClient c;
    QVERIFY(connectClient(c));
    c.ws.sendBinaryMessage(QByteArray::fromHex("ffffffff"));
    QTRY_COMPARE(m_sandbox->badFrames(), 1);
    c.ws.sendTextMessage(QStringLiteral("hello"));
    c.send(FrameCodec::makePing(1));
    QTRY_COMPARE(c.frames.size(), 1); // still served after bad input
    QCOMPARE(c.ws.state(), QAbstractSocket::ConnectedState);

    m_sandbox->pushRaw(QByteArray::fromHex("0801")); // truncated frame
    m_sandbox->pushRawText(QStringLiteral("text message"));
    QTRY_COMPARE(c.textMessages, 1);
    QCOMPARE(c.undecodable, 1);
}

void TestFeishuSandbox::tokenEndpoint()
{
    const QString path = QStringLiteral("/open-apis/auth/v3/tenant_access_token/internal");
    HttpResult r = http("POST", path,
                        jsonBytes({{QStringLiteral("app_id"), m_sandbox->options().appId},
                                   {QStringLiteral("app_secret"), QStringLiteral("nope")}}));
    QCOMPARE(r.status, 200);
    QVERIFY(r.json.value(QStringLiteral("code")).toInt() != 0);
    QVERIFY(!r.json.contains(QStringLiteral("tenant_access_token")));
    // PascalCase keys (the bootstrap's) are not accepted here.
    r = http("POST", path,
             jsonBytes({{QStringLiteral("AppID"), m_sandbox->options().appId},
                        {QStringLiteral("AppSecret"), m_sandbox->options().appSecret}}));
    QVERIFY(r.json.value(QStringLiteral("code")).toInt() != 0);

    r = http("POST", path,
             jsonBytes({{QStringLiteral("app_id"), m_sandbox->options().appId},
                        {QStringLiteral("app_secret"), m_sandbox->options().appSecret}}));
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(-1), 0);
    const QString tok = r.json.value(QStringLiteral("tenant_access_token")).toString();
    QVERIFY(tok.startsWith(QLatin1String("t-")));
    QVERIFY(qAbs(r.json.value(QStringLiteral("expire")).toInt() - 7200) <= 1);
    QVERIFY(!r.header("X-Tt-Logid").isEmpty());
    QCOMPARE(m_sandbox->tokenRequests(), 3);
    // Like Feishu: a token with more than 30 minutes left is handed out again.
    QCOMPARE(token(), "Bearer " + tok.toUtf8());
}

void TestFeishuSandbox::botInfoNeedsValidToken()
{
    const QString path = QStringLiteral("/open-apis/bot/v3/info");
    HttpResult r = http("GET", path);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(), 99991661);
    r = http("GET", path, {}, "Bearer t-forged");
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(), 99991663);
    const QByteArray auth = token();
    r = http("GET", path, {}, auth);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(-1), 0);
    const QJsonObject bot = r.json.value(QStringLiteral("bot")).toObject();
    QCOMPARE(bot.value(QStringLiteral("open_id")).toString(), m_sandbox->options().botOpenId);
    QCOMPARE(bot.value(QStringLiteral("app_name")).toString(), m_sandbox->options().botName);
    QCOMPARE(bot.value(QStringLiteral("activate_status")).toInt(), 2);
    m_sandbox->revokeTokens();
    r = http("GET", path, {}, auth);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(), 99991663);
}

void TestFeishuSandbox::replyAndSendAreRecorded()
{
    RawClient c;
    QVERIFY(connectClient(c));
    FeishuSandbox::TextPush t;
    t.chatId = QStringLiteral("oc_chat42");
    t.text = QStringLiteral("hi");
    const QString imId = m_sandbox->pushText(t);
    const QByteArray auth = token();
    QSignalSpy sent(m_sandbox, &FeishuSandbox::messageSent);

    const QString content =
        QString::fromUtf8(jsonBytes({{QStringLiteral("text"), QStringLiteral("请重启车机")}}));
    HttpResult r = http("POST", QStringLiteral("/open-apis/im/v1/messages/%1/reply").arg(imId),
                        jsonBytes({{QStringLiteral("msg_type"), QStringLiteral("text")},
                                   {QStringLiteral("content"), content},
                                   {QStringLiteral("uuid"), QStringLiteral("u-1")}}),
                        auth);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(-1), 0);
    const QJsonObject data = r.json.value(QStringLiteral("data")).toObject();
    const QString created = data.value(QStringLiteral("message_id")).toString();
    QVERIFY(created.startsWith(QLatin1String("om_")));
    QCOMPARE(data.value(QStringLiteral("parent_id")).toString(), imId);
    QCOMPARE(data.value(QStringLiteral("chat_id")).toString(), QStringLiteral("oc_chat42"));
    QCOMPARE(data.value(QStringLiteral("body")).toObject().value(QStringLiteral("content")).toString(),
             content);
    QCOMPARE(sent.size(), 1);
    const auto m = m_sandbox->sentMessages().first();
    QCOMPARE(m.kind, QStringLiteral("reply"));
    QCOMPARE(m.target, imId);
    QCOMPARE(m.msgType, QStringLiteral("text"));
    QCOMPARE(m.text, QStringLiteral("请重启车机"));
    QCOMPARE(m.uuid, QStringLiteral("u-1"));
    QCOMPARE(m.createdMessageId, created);
    QCOMPARE(sent.first().first().value<FeishuSandboxSentMessage>().createdMessageId, created);

    r = http("POST", QStringLiteral("/open-apis/im/v1/messages?receive_id_type=chat_id"),
             jsonBytes({{QStringLiteral("receive_id"), QStringLiteral("oc_other")},
                        {QStringLiteral("msg_type"), QStringLiteral("text")},
                        {QStringLiteral("content"), content}}),
             auth);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(-1), 0);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);
    const auto s = m_sandbox->sentMessages().last();
    QCOMPARE(s.kind, QStringLiteral("send"));
    QCOMPARE(s.target, QStringLiteral("oc_other"));
    QCOMPARE(s.receiveIdType, QStringLiteral("chat_id"));
    QVERIFY(s.uuid.isEmpty());

    // Without a token nothing is sent.
    r = http("POST", QStringLiteral("/open-apis/im/v1/messages/%1/reply").arg(imId),
             jsonBytes({{QStringLiteral("msg_type"), QStringLiteral("text")},
                        {QStringLiteral("content"), content}}));
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(), 99991661);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);
}

void TestFeishuSandbox::messageValidation_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("code");
    const QString reply = QStringLiteral("/open-apis/im/v1/messages/om_abc/reply");
    const QString send = QStringLiteral("/open-apis/im/v1/messages?receive_id_type=open_id");
    QTest::newRow("content object not string")
        << reply << QByteArray(R"({"msg_type":"text","content":{"text":"x"}})") << 230001;
    QTest::newRow("content not json")
        << reply << QByteArray(R"({"msg_type":"text","content":"hello"})") << 230001;
    QTest::newRow("text key missing")
        << reply << QByteArray(R"({"msg_type":"text","content":"{\"txt\":\"x\"}"})") << 230001;
    QTest::newRow("unknown msg_type")
        << reply << QByteArray(R"({"msg_type":"bogus","content":"{\"text\":\"x\"}"})") << 230001;
    QTest::newRow("body not json") << reply << QByteArray("msg_type=text") << 230001;
    QTest::newRow("bad reply target")
        << QStringLiteral("/open-apis/im/v1/messages/12345/reply")
        << QByteArray(R"({"msg_type":"text","content":"{\"text\":\"x\"}"})") << 230001;
    QTest::newRow("bad receive_id_type")
        << QStringLiteral("/open-apis/im/v1/messages?receive_id_type=phone")
        << QByteArray(R"({"receive_id":"x","msg_type":"text","content":"{\"text\":\"x\"}"})") << 230001;
    QTest::newRow("missing receive_id")
        << send << QByteArray(R"({"msg_type":"text","content":"{\"text\":\"x\"}"})") << 230001;
    QTest::newRow("uuid too long") << reply
                                   << QByteArray(
                                          R"({"msg_type":"text","content":"{\"text\":\"x\"}","uuid":")") +
                                          QByteArray(51, 'u') + QByteArray("\"}")
                                   << 230001;
    const QByteArray big = jsonBytes({{QStringLiteral("text"), QString(150 * 1024, u'x')}});
    QTest::newRow("text over 150 KB") << reply
                                      << jsonBytes({{QStringLiteral("msg_type"), QStringLiteral("text")},
                                                    {QStringLiteral("content"), QString::fromUtf8(big)}})
                                      << 230025;
    const QByteArray card = jsonBytes({{QStringLiteral("elements"), QString(31 * 1024, u'x')}});
    QTest::newRow("card over 30 KB") << reply
                                     << jsonBytes(
                                            {{QStringLiteral("msg_type"), QStringLiteral("interactive")},
                                             {QStringLiteral("content"), QString::fromUtf8(card)}})
                                     << 230025;
}

void TestFeishuSandbox::messageValidation()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, code);
    const HttpResult r = http("POST", path, body, token());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(), code);
    QVERIFY(!r.json.value(QStringLiteral("msg")).toString().isEmpty());
    QCOMPARE(m_sandbox->sentMessages().size(), 0);
}

void TestFeishuSandbox::uuidIsIdempotent()
{
    const QByteArray auth = token();
    const QString path = QStringLiteral("/open-apis/im/v1/messages/om_target/reply");
    auto body = [](const QString &text, const QString &uuid) {
        return jsonBytes(
            {{QStringLiteral("msg_type"), QStringLiteral("text")},
             {QStringLiteral("content"), QString::fromUtf8(jsonBytes({{QStringLiteral("text"), text}}))},
             {QStringLiteral("uuid"), uuid}});
    };
    const HttpResult a = http("POST", path, body(QStringLiteral("one"), QStringLiteral("uuid-A")), auth);
    const HttpResult b = http("POST", path, body(QStringLiteral("one"), QStringLiteral("uuid-A")), auth);
    const QString idA =
        a.json.value(QStringLiteral("data")).toObject().value(QStringLiteral("message_id")).toString();
    QVERIFY(!idA.isEmpty());
    QCOMPARE(b.json.value(QStringLiteral("data")).toObject().value(QStringLiteral("message_id")).toString(),
             idA);
    QCOMPARE(m_sandbox->sentMessages().size(), 1);
    QCOMPARE(m_sandbox->duplicateUuidRequests(), 1);
    const HttpResult c = http("POST", path, body(QStringLiteral("one"), QStringLiteral("uuid-B")), auth);
    QVERIFY(c.json.value(QStringLiteral("data")).toObject().value(QStringLiteral("message_id")).toString() !=
            idA);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);
    // Without uuid every request creates a message.
    http("POST", path, body(QStringLiteral("x"), QString()), auth);
    http("POST", path, body(QStringLiteral("x"), QString()), auth);
    QCOMPARE(m_sandbox->sentMessages().size(), 4);
}

void TestFeishuSandbox::faults()
{
    const QByteArray auth = token();
    const QString path = QStringLiteral("/open-apis/im/v1/messages/om_target/reply");
    const QByteArray body = R"({"msg_type":"text","content":"{\"text\":\"x\"}","uuid":"f-1"})";

    m_sandbox->injectFault(FeishuSandbox::Fault::InvalidToken);
    HttpResult r = http("POST", path, body, auth);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(), 99991663);
    QCOMPARE(m_sandbox->sentMessages().size(), 0);

    m_sandbox->injectFault(FeishuSandbox::Fault::RateLimit);
    r = http("POST", path, body, auth);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(), 99991400);
    QCOMPARE(r.header("x-ogw-ratelimit-reset"), QByteArray("1"));
    QVERIFY(!r.header("x-ogw-ratelimit-limit").isEmpty());
    QCOMPARE(m_sandbox->sentMessages().size(), 0);

    m_sandbox->injectFault(FeishuSandbox::Fault::ServerError, 2);
    QCOMPARE(http("POST", path, body, auth).status, 500);
    QCOMPARE(http("GET", QStringLiteral("/open-apis/bot/v3/info"), {}, auth).status, 500);
    QCOMPARE(m_sandbox->sentMessages().size(), 0);

    // DropConnection: the request is processed, the answer lost. QNetworkAccessManager itself
    // resends a request whose connection closed before any answer, so several drops are queued.
    m_sandbox->injectFault(FeishuSandbox::Fault::DropConnection, 10);
    const int before = m_sandbox->openApiRequests();
    r = http("POST", path, body, auth);
    QVERIFY(r.error != QNetworkReply::NoError);
    QCOMPARE(r.status, 0);
    const int attempts = m_sandbox->openApiRequests() - before;
    qInfo() << "QNetworkAccessManager sent the dropped POST" << attempts << "times";
    QVERIFY(attempts >= 1 && attempts < 10);
    m_sandbox->clearFaults();
    QCOMPARE(m_sandbox->sentMessages().size(), 1);
    QCOMPARE(m_sandbox->duplicateUuidRequests(), attempts - 1);
    // The retry under the same uuid gets the same message, not a second one.
    r = http("POST", path, body, auth);
    QCOMPARE(r.json.value(QStringLiteral("code")).toInt(-1), 0);
    QCOMPARE(r.json.value(QStringLiteral("data")).toObject().value(QStringLiteral("message_id")).toString(),
             m_sandbox->sentMessages().first().createdMessageId);
    QCOMPARE(m_sandbox->sentMessages().size(), 1);

    // Timeout: processed, never answered.
    m_sandbox->injectFault(FeishuSandbox::Fault::Timeout);
    r = http("POST", path, R"({"msg_type":"text","content":"{\"text\":\"y\"}","uuid":"f-2"})", auth, 300);
    QVERIFY(r.error != QNetworkReply::NoError);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);

    // Faults are used up; calls work again.
    QCOMPARE(http("GET", QStringLiteral("/open-apis/bot/v3/info"), {}, auth)
                 .json.value(QStringLiteral("code"))
                 .toInt(-1),
             0);
}

void TestFeishuSandbox::tokenFaultAndExpiry()
{
    m_sandbox->injectTokenFault(FeishuSandbox::Fault::ServerError);
    const QJsonObject body{{QStringLiteral("app_id"), m_sandbox->options().appId},
                           {QStringLiteral("app_secret"), m_sandbox->options().appSecret}};
    const QString path = QStringLiteral("/open-apis/auth/v3/tenant_access_token/internal");
    QCOMPARE(http("POST", path, jsonBytes(body)).status, 500);
    // OpenAPI faults do not hit the token endpoint.
    m_sandbox->injectFault(FeishuSandbox::Fault::ServerError);
    QCOMPARE(http("POST", path, jsonBytes(body)).json.value(QStringLiteral("code")).toInt(-1), 0);
    m_sandbox->clearFaults();

    m_sandbox->revokeTokens();
    m_sandbox->setTokenExpireSeconds(1);
    const HttpResult r = http("POST", path, jsonBytes(body));
    QCOMPARE(r.json.value(QStringLiteral("expire")).toInt(), 1);
    const QByteArray auth =
        "Bearer " + r.json.value(QStringLiteral("tenant_access_token")).toString().toUtf8();
    QCOMPARE(http("GET", QStringLiteral("/open-apis/bot/v3/info"), {}, auth)
                 .json.value(QStringLiteral("code"))
                 .toInt(-1),
             0);
    QTest::qWait(1100);
    QCOMPARE(http("GET", QStringLiteral("/open-apis/bot/v3/info"), {}, auth)
                 .json.value(QStringLiteral("code"))
                 .toInt(),
             99991663);
    // A short-lived token is never reused: the next request gets a new one.
    QVERIFY(token() != auth);
}

void TestFeishuSandbox::extraHandlersGoFirst()
{
    int seen = 0;
    m_sandbox->addHandler([&seen](const HttpRequest &req, HttpResponder *resp) {
        if (req.path != "/v1/chat/completions")
            return false;
        ++seen;
        resp->respond(200, R"({"ok":true})");
        return true;
    });
    const HttpResult r = http("POST", QStringLiteral("/v1/chat/completions"), "{}");
    QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(seen, 1);
    // Other routes still reach the sandbox.
    QCOMPARE(bootstrap().value(QStringLiteral("code")).toInt(-1), 0);
    QCOMPARE(http("GET", QStringLiteral("/nowhere")).status, 404);
}

QTEST_GUILESS_MAIN(TestFeishuSandbox)
#include "tst_feishusandbox.moc"

#include "sandbox/feishusandbox.h"

#include <algorithm>
#include <utility>

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

#include "logging_p.h"
#include "sandbox/bitablesandbox.h"

namespace {

constexpr qint64 kTicketLifetimeMs = 5 * 60 * 1000;
constexpr qint64 kUuidWindowMs = 60 * 60 * 1000;      // Feishu: same uuid succeeds once per hour
constexpr qint64 kTokenReuseBelowMs = 30 * 60 * 1000; // a token with more left is handed out again
constexpr qsizetype kTextLimit = 150 * 1024;          // spec §8.3
constexpr qsizetype kRichLimit = 30 * 1024;           // post and interactive
constexpr qsizetype kMaxHandshakeHead = 16 * 1024;
constexpr qsizetype kMaxFrameFromClient = 16 * 1024 * 1024;
constexpr int kExceedConnLimit = 1000040350;
constexpr int kAuthFailed = 514;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray codeBody(int code, const QString &msg)
{
    return compact(QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("msg"), msg}});
}

qint64 wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString unionIdFor(const QString &openId)
{
    return QStringLiteral("on_") +
           QString::fromLatin1(QCryptographicHash::hash(openId.toUtf8(), QCryptographicHash::Md5).toHex());
}

QJsonObject userIdObject(const QString &openId)
{
    return QJsonObject{{QStringLiteral("open_id"), openId},
                       {QStringLiteral("union_id"), unionIdFor(openId)},
                       {QStringLiteral("user_id"), QString()}};
}

const QSet<QString> &knownMsgTypes()
{
    static const QSet<QString> types{QStringLiteral("text"),       QStringLiteral("post"),
                                     QStringLiteral("image"),      QStringLiteral("file"),
                                     QStringLiteral("audio"),      QStringLiteral("media"),
                                     QStringLiteral("sticker"),    QStringLiteral("interactive"),
                                     QStringLiteral("share_chat"), QStringLiteral("share_user")};
    return types;
}

const QSet<QString> &receiveIdTypes()
{
    static const QSet<QString> types{QStringLiteral("open_id"), QStringLiteral("user_id"),
                                     QStringLiteral("union_id"), QStringLiteral("email"),
                                     QStringLiteral("chat_id")};
    return types;
}

} // namespace

FeishuSandbox::FeishuSandbox(QObject *parent)
    : FeishuSandbox(Options{}, parent)
{}

FeishuSandbox::FeishuSandbox(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_ws(new QWebSocketServer(QStringLiteral("FeishuSandbox"), QWebSocketServer::NonSecureMode, this))
    , m_rng(options.seed ? options.seed : QRandomGenerator::global()->generate())
    , m_bitable(new BitableSandbox(this))
{
    qRegisterMetaType<FeishuSandboxSentMessage>();
    m_clock.start();
    m_instanceId =
        "i-" + randomHex(12).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    m_ws->setMaxPendingConnections(m_options.maxConnections + 8);
    setClientConfig(QJsonObject{{QStringLiteral("ReconnectCount"), -1},
                                {QStringLiteral("ReconnectInterval"), 120},
                                {QStringLiteral("ReconnectNonce"), 30},
                                {QStringLiteral("PingInterval"), 120}});
    m_http.setHandler([this](const HttpRequest &req, HttpResponder *resp) { onHttpRequest(req, resp); });
    connect(&m_wsTcp, &QTcpServer::newConnection, this, &FeishuSandbox::onWsTcpConnection);
    connect(m_ws, &QWebSocketServer::newConnection, this, &FeishuSandbox::onWsConnected);
    m_repushTimer.setSingleShot(true);
    connect(&m_repushTimer, &QTimer::timeout, this, &FeishuSandbox::onRepushTimer);
}

FeishuSandbox::~FeishuSandbox()
{
    // Sockets first: their disconnected() handlers must not run into a half-destroyed object.
    const auto conns = m_connections;
    m_connections.clear();
    for (const Connection &c : conns) {
        c.socket->disconnect(this);
        c.socket->abort();
        delete c.socket;
    }
}

bool FeishuSandbox::start(quint16 port)
{
    if (!m_http.listen(QHostAddress::LocalHost, port)) {
        qCWarning(lcSandbox).noquote()
            << "sandbox: cannot listen for HTTP on 127.0.0.1 port" << port << ":" << m_http.errorString();
        return false;
    }
    if (!m_wsTcp.listen(QHostAddress::LocalHost, 0)) {
        qCWarning(lcSandbox).noquote()
            << "sandbox: cannot listen for WebSocket connections:" << m_wsTcp.errorString();
        return false;
    }
    qCInfo(lcSandbox).noquote() << QStringLiteral("Feishu sandbox listening on %1 (WebSocket port %2)")
                                       .arg(baseUrl().toString())
                                       .arg(m_wsTcp.serverPort());
    return true;
}

QUrl FeishuSandbox::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_http.port()));
}

quint16 FeishuSandbox::port() const
{
    return m_http.port();
}

quint16 FeishuSandbox::wsPort() const
{
    return m_wsTcp.serverPort();
}

// --- bootstrap -----------------------------------------------------------------------------------

void FeishuSandbox::setClientConfig(const QJsonObject &config)
{
    m_clientConfig = config;
    m_pongPayload = compact(config);
}

void FeishuSandbox::setPongPayloadRaw(const QByteArray &payload)
{
    m_pongPayload = payload;
}

void FeishuSandbox::setBootstrapFault(int code, const QString &msg)
{
    m_bootstrapFaultCode = code;
    m_bootstrapFaultMsg = msg;
}

void FeishuSandbox::clearBootstrapFault()
{
    m_bootstrapFaultCode = 0;
    m_bootstrapFaultMsg.clear();
    m_bootstrapHttpStatus = 0;
    m_bootstrapEmptyUrl = false;
}

void FeishuSandbox::setBootstrapHttpStatus(int status)
{
    m_bootstrapHttpStatus = status;
}

void FeishuSandbox::setBootstrapEmptyUrl(bool empty)
{
    m_bootstrapEmptyUrl = empty;
}

void FeishuSandbox::setHandshakeFault(int handshakeStatus, int authErrCode)
{
    m_handshakeFaultStatus = handshakeStatus;
    m_handshakeFaultAuthCode = authErrCode;
}

void FeishuSandbox::onHttpRequest(const HttpRequest &req, HttpResponder *resp)
{
    const auto handlers = m_handlers; // a handler may add handlers
    for (const HttpHandler &h : handlers) {
        if (h(req, resp))
            return;
    }
    if (req.path == "/callback/ws/endpoint")
        return handleBootstrap(req, resp);
    if (req.path == "/open-apis/auth/v3/tenant_access_token/internal")
        return handleToken(req, resp);
    if (req.path.startsWith("/open-apis/bitable/")) {
        ++m_openApiRequests;
        m_lastAuthorization = req.headers.value("authorization");
        if (const QByteArray refused = tokenProblem(req); !refused.isEmpty()) {
            resp->respond(200, refused);
            return;
        }
        return m_bitable->handle(req, resp);
    }
    if (answerDirectory(req, resp))
        return;
    if (req.path.startsWith("/open-apis/"))
        return handleOpenApi(req, resp);
    qCDebug(lcSandbox) << "sandbox: no route for" << req.method << req.path;
    resp->respond(404, codeBody(404, QStringLiteral("404 page not found")));
}

void FeishuSandbox::handleBootstrap(const HttpRequest &req, HttpResponder *resp)
{
    ++m_bootstrapCount;
    emit bootstrapRequested();
    if (req.method != "POST") {
        resp->respond(404, codeBody(404, QStringLiteral("404 page not found")));
        return;
    }
    if (m_bootstrapHttpStatus != 0 && m_bootstrapHttpStatus != 200) {
        qCDebug(lcSandbox) << "sandbox: bootstrap answered with injected HTTP status"
                           << m_bootstrapHttpStatus;
        resp->respond(m_bootstrapHttpStatus, codeBody(m_bootstrapHttpStatus, QStringLiteral("system busy")));
        return;
    }
    const QJsonObject body = QJsonDocument::fromJson(req.body).object();
    if (m_bootstrapFaultCode != 0) {
        qCDebug(lcSandbox) << "sandbox: bootstrap answered with injected code" << m_bootstrapFaultCode;
        resp->respond(200, codeBody(m_bootstrapFaultCode, m_bootstrapFaultMsg));
        return;
    }
    if (body.value(QStringLiteral("AppID")).toString() != m_options.appId ||
        body.value(QStringLiteral("AppSecret")).toString() != m_options.appSecret) {
        qCDebug(lcSandbox) << "sandbox: bootstrap with wrong AppID/AppSecret";
        resp->respond(200, codeBody(10003, QStringLiteral("invalid app credentials")));
        return;
    }

    const qint64 now = wallMs();
    if (m_tickets.size() > 64) {
        for (auto it = m_tickets.begin(); it != m_tickets.end();)
            it = it->expiresMs < now ? m_tickets.erase(it) : std::next(it);
    }
    const QByteArray ticket = randomHex(16);
    Ticket t;
    t.accessKey = randomHex(16);
    t.deviceId = QByteArray::number(m_nextDeviceId++);
    t.expiresMs = now + kTicketLifetimeMs;
    m_tickets.insert(ticket, t);

    QString url;
    if (!m_bootstrapEmptyUrl) {
        url = QStringLiteral("ws://127.0.0.1:%1/ws/"
                             "v2?fpid=493&aid=552564&device_id=%2&access_key=%3&service_id=%4&ticket=%5")
                  .arg(m_wsTcp.serverPort())
                  .arg(QString::fromLatin1(t.deviceId), QString::fromLatin1(t.accessKey))
                  .arg(m_options.serviceId)
                  .arg(QString::fromLatin1(ticket));
    }
    const QJsonObject data{{QStringLiteral("URL"), url}, {QStringLiteral("ClientConfig"), m_clientConfig}};
    qCDebug(lcSandbox) << "sandbox: bootstrap OK, device_id" << t.deviceId;
    resp->respond(200, compact(QJsonObject{{QStringLiteral("code"), 0},
                                           {QStringLiteral("msg"), QStringLiteral("ok")},
                                           {QStringLiteral("data"), data}}));
}

// --- WebSocket handshake ----------------------------------------------------------------------------

void FeishuSandbox::onWsTcpConnection()
{
    while (QTcpSocket *socket = m_wsTcp.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onWsHandshakeData(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [socket] { socket->deleteLater(); });
        // A client that never finishes its upgrade request is dropped.
        QTimer::singleShot(10000, socket, [socket] {
            if (!socket->property("tsp_upgraded").toBool())
                socket->abort();
        });
    }
}

void FeishuSandbox::onWsHandshakeData(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(kMaxHandshakeHead + 4);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (socket->bytesAvailable() > kMaxHandshakeHead) {
            qCWarning(lcSandbox) << "sandbox: WebSocket upgrade request head too large, dropping it";
            socket->abort();
        }
        return;
    }
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QByteArray target = requestLine.value(1);
    const qsizetype qm = target.indexOf('?');
    const QByteArray path = qm < 0 ? target : target.left(qm);
    const QUrlQuery query(qm < 0 ? QString() : QString::fromUtf8(target.mid(qm + 1)));
    const QByteArray ticket = query.queryItemValue(QStringLiteral("ticket")).toUtf8();
    const QByteArray accessKey = query.queryItemValue(QStringLiteral("access_key")).toUtf8();

    int status = 0, authCode = 0;
    QByteArray why;
    if (requestLine.value(0) != "GET" || path != "/ws/v2") {
        status = 404;
        why = "unknown path";
    } else if (m_handshakeFaultStatus != 0) {
        status = m_handshakeFaultStatus;
        authCode = m_handshakeFaultAuthCode;
        why = "injected handshake fault";
    } else if (!m_tickets.contains(ticket) || m_tickets.value(ticket).accessKey != accessKey ||
               m_tickets.value(ticket).expiresMs < wallMs()) {
        status = kAuthFailed;
        why = "unknown, used or expired ticket";
    } else if (m_connections.size() >= m_options.maxConnections) {
        status = kAuthFailed;
        authCode = kExceedConnLimit;
        why = "too many connections";
    }
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    if (status != 0) {
        ++m_refusedHandshakes;
        qCDebug(lcSandbox) << "sandbox: refusing WebSocket upgrade:" << why;
        m_tickets.remove(ticket); // a ticket is good for one attempt, failed or not
        const int httpStatus = status == 404 ? 404 : 403;
        QByteArray resp = "HTTP/1.1 " + QByteArray::number(httpStatus) + ' ' +
                          (httpStatus == 404 ? QByteArray("Not Found") : QByteArray("Forbidden")) + "\r\n";
        resp += "Handshake-Status: " + QByteArray::number(status) + "\r\n";
        resp += "Handshake-Msg: " + why + "\r\n";
        if (authCode != 0)
            resp += "Handshake-Autherrcode: " + QByteArray::number(authCode) + "\r\n";
        resp += "Content-Length: 0\r\nConnection: close\r\n\r\n";
        socket->write(resp);
        socket->disconnectFromHost();
        return;
    }
    m_tickets.remove(ticket); // single use
    socket->setProperty("tsp_upgraded", true);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // pushes go out at once, as the platform's

    disconnect(socket, &QTcpSocket::disconnected, this, nullptr); // the QWebSocket owns it from here
    m_ws->handleConnection(socket);
}

void FeishuSandbox::onWsConnected()
{
    while (QWebSocket *s = m_ws->nextPendingConnection()) {
        s->setParent(this);
        s->setMaxAllowedIncomingMessageSize(kMaxFrameFromClient);
        Connection c;
        c.id = m_nextConnectionId++;
        c.socket = s;
        c.deviceId = QUrlQuery(s->requestUrl()).queryItemValue(QStringLiteral("device_id")).toUtf8();
        m_connections.append(c);
        ++m_totalConnections;
        const int id = c.id;
        connect(s, &QWebSocket::binaryMessageReceived, this,
                [this, id](const QByteArray &bytes) { onBinaryMessage(id, bytes); });
        connect(s, &QWebSocket::textMessageReceived, this, [](const QString &text) {
            qCWarning(lcSandbox) << "sandbox: client sent a text WebSocket message (" << text.size()
                                 << "chars); the platform only speaks binary frames";
        });
        connect(s, &QWebSocket::disconnected, this, [this, s, id] {
            for (qsizetype i = 0; i < m_connections.size(); ++i) {
                if (m_connections[i].id == id) {
                    m_connections.removeAt(i);
                    break;
                }
            }
            s->deleteLater();
            qCInfo(lcSandbox) << "sandbox: long-connection client" << id << "disconnected,"
                              << m_connections.size() << "left";
            emit wsClientDisconnected();
        });
        qCInfo(lcSandbox) << "sandbox: long-connection client" << id << "connected, device_id" << c.deviceId;
        emit wsClientConnected();
    }
    // Events pushed while nobody was connected go out now.
    const auto unsent = std::exchange(m_unsent, {});
    for (const QByteArray &id : unsent) {
        auto it = m_pending.find(id);
        if (it != m_pending.end() && it->lastSentUs < 0)
            sendPush(*it);
    }
}

void FeishuSandbox::setSilent(bool silent)
{
    m_silent = silent;
}

void FeishuSandbox::setPongEnabled(bool enabled)
{
    m_pongEnabled = enabled;
}

void FeishuSandbox::killConnections()
{
    const auto conns = m_connections;
    for (const Connection &c : conns)
        c.socket->abort();
}

void FeishuSandbox::closeConnections()
{
    const auto conns = m_connections;
    for (const Connection &c : conns)
        c.socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("server closing"));
}

QWebSocket *FeishuSandbox::currentSocket() const
{
    return m_connections.isEmpty() ? nullptr : m_connections.last().socket;
}

void FeishuSandbox::sendBinary(QWebSocket *socket, const QByteArray &bytes)
{
    if (m_silent || !socket)
        return;
    socket->sendBinaryMessage(bytes);
}

// --- frames from the client --------------------------------------------------------------------------

void FeishuSandbox::onBinaryMessage(int connectionId, const QByteArray &bytes)
{
    Frame frame;
    QString error;
    if (!FrameCodec::decode(bytes, &frame, &error)) {
        ++m_badFrames;
        qCWarning(lcSandbox).noquote() << "sandbox: undecodable frame from client" << connectionId << "("
                                       << bytes.size() << "bytes):" << error;
        return;
    }
    if (frame.method == Frame::Control) {
        const QByteArray type = frame.header("type");
        if (type != "ping") {
            qCDebug(lcSandbox) << "sandbox: ignoring control frame of type" << type;
            return;
        }
        m_pings.append(PingRecord{frame, m_clock.elapsed(), connectionId});
        qCDebug(lcSandbox) << "sandbox: ping from client" << connectionId << "service" << frame.service;
        emit pingReceived();
        if (!m_pongEnabled)
            return;
        Frame pong;
        pong.service = frame.service;
        pong.method = Frame::Control;
        pong.appendHeader(QByteArrayLiteral("type"), QByteArrayLiteral("pong"));
        pong.payload = m_pongPayload;
        for (const Connection &c : std::as_const(m_connections)) {
            if (c.id == connectionId)
                sendBinary(c.socket, FrameCodec::encode(pong));
        }
        return;
    }
    if (frame.method == Frame::Data)
        return handleAck(frame);
    qCDebug(lcSandbox) << "sandbox: ignoring frame with method" << frame.method;
}

void FeishuSandbox::handleAck(const Frame &frame)
{
    const QByteArray id = frame.header("message_id");
    auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        if (m_acked.contains(id)) {
            ++m_duplicateAcks;
            qCDebug(lcSandbox) << "sandbox: second ACK for" << id;
        } else {
            ++m_unknownAcks;
            qCWarning(lcSandbox) << "sandbox: ACK for a message_id that was never pushed:" << id;
        }
        return;
    }
    const Push &push = *it;
    AckRecord rec;
    rec.frameMessageId = id;
    rec.frame = frame;
    rec.latencyUs = nowUs() - push.lastSentUs;

    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(frame.payload.value_or(QByteArray()), &perr);
    if (!doc.isObject()) {
        rec.problems << QStringLiteral("payload is not a JSON object");
    } else {
        rec.payload = doc.object();
        const QJsonValue code = rec.payload.value(QStringLiteral("code"));
        rec.code = code.toInt();
        if (!code.isDouble() || rec.code != 200)
            rec.problems << QStringLiteral("payload code is not 200");
    }

    // biz_rt: the client's processing time in ms, appended after the echoed headers.
    QList<FrameHeader> echoed = frame.headers;
    qsizetype bizIdx = -1;
    for (qsizetype i = echoed.size() - 1; i >= 0; --i) {
        if (echoed[i].key == "biz_rt") {
            bizIdx = i;
            break;
        }
    }
    if (bizIdx < 0) {
        rec.problems << QStringLiteral("biz_rt header missing");
    } else {
        bool ok = false;
        const qlonglong rt = echoed[bizIdx].value.toLongLong(&ok);
        if (!ok)
            rec.problems << QStringLiteral("biz_rt is not an integer");
        else if (rt < 0)
            rec.problems << QStringLiteral("biz_rt is negative (%1)").arg(rt);
        echoed.removeAt(bizIdx);
    }
    if (!frame.hasHeader("instance_id"))
        rec.problems << QStringLiteral("instance_id header missing");
    // All pushed headers must come back in their order; seq may be that of any fragment.
    bool headersOk = echoed.size() == push.headers.size();
    for (qsizetype i = 0; headersOk && i < echoed.size(); ++i) {
        const FrameHeader &a = echoed[i], &b = push.headers[i];
        if (a.key != b.key)
            headersOk = false;
        else if (a.key == "seq")
            headersOk = a.value.toInt() >= 0 && a.value.toInt() < push.headers[2].value.toInt();
        else
            headersOk = a.value == b.value;
    }
    if (!headersOk)
        rec.problems << QStringLiteral("pushed headers not echoed unchanged and in order");
    if (frame.seqId != push.seqId)
        rec.problems
            << QStringLiteral("SeqID not echoed (pushed %1, got %2)").arg(push.seqId).arg(frame.seqId);
    if (frame.logId != push.logId)
        rec.problems
            << QStringLiteral("LogID not echoed (pushed %1, got %2)").arg(push.logId).arg(frame.logId);
    if (frame.service != m_options.serviceId)
        rec.problems << QStringLiteral("service not echoed (pushed %1, got %2)")
                            .arg(m_options.serviceId)
                            .arg(frame.service);

    rec.valid = rec.problems.isEmpty();
    if (!rec.valid) {
        ++m_badAcks;
        qCWarning(lcSandbox).noquote()
            << "sandbox: ACK for" << QString::fromLatin1(id)
            << "is not what the platform expects:" << rec.problems.join(QStringLiteral("; "));
    }
    const bool delivered = rec.code == 200;
    qCDebug(lcSandbox) << "sandbox: ACK for" << id << "code" << rec.code << "after" << rec.latencyUs << "us";
    if (delivered) {
        m_pending.erase(it);
        m_acked.insert(id);
    }
    m_acks.append(std::move(rec));
    emit ackReceived(id);
}

// --- pushes -----------------------------------------------------------------------------------------

FeishuSandbox::Push FeishuSandbox::makePush(const QByteArray &payloadJson, const PushOptions &o)
{
    Push p;
    p.messageId = randomHex(8) + QByteArray::number(++m_frameCounter, 16).rightJustified(8, '0');
    p.payload = payloadJson;
    p.options = o;
    p.options.fragments =
        int(std::clamp<qsizetype>(o.fragments, 1, std::max<qsizetype>(1, payloadJson.size())));
    p.seqId = m_nextSeqId++;
    // The official Node SDK decodes uint64 fields into JavaScript numbers, so a LogID above 2^53
    // would come back rounded in its ACK. The platform's real LogID range is unknown; random ones
    // stay JavaScript-safe and a test can still ask for a big one.
    p.logId = o.logId != 0 ? o.logId : (m_rng.generate64() >> 11) + 1;
    p.headers = {{QByteArrayLiteral("type"), o.frameType},
                 {QByteArrayLiteral("message_id"), p.messageId},
                 {QByteArrayLiteral("sum"), QByteArray::number(p.options.fragments)},
                 {QByteArrayLiteral("seq"), QByteArrayLiteral("0")},
                 {QByteArrayLiteral("trace_id"), randomHex(16)},
                 {QByteArrayLiteral("timestamp"), QByteArray::number(wallMs())},
                 {QByteArrayLiteral("instance_id"), m_instanceId}};
    return p;
}

void FeishuSandbox::enqueuePush(Push &&p)
{
    ++m_pushCount;
    const QByteArray id = p.messageId;
    auto it = m_pending.insert(id, std::move(p));
    if (currentSocket()) {
        sendPush(*it);
    } else {
        qCDebug(lcSandbox) << "sandbox: no client connected; push" << id << "waits for one";
        m_unsent.append(id);
    }
}

QByteArray FeishuSandbox::pushEvent(const QByteArray &payloadJson, const PushOptions &o)
{
    Push p = makePush(payloadJson, o);
    const QByteArray id = p.messageId;
    enqueuePush(std::move(p));
    return id;
}

QByteArray FeishuSandbox::preparePush(const QByteArray &payloadJson, const PushOptions &o)
{
    Push p = makePush(payloadJson, o);
    if (p.options.fragments == 1 && !p.options.duplicateFragment) {
        Frame f = dataFrame(p);
        f.payload = p.payload;
        p.encoded = FrameCodec::encode(f);
    }
    const QByteArray id = p.messageId;
    m_prepared.insert(id, std::move(p));
    return id;
}

void FeishuSandbox::pushPrepared(const QByteArray &frameMessageId)
{
    auto it = m_prepared.find(frameMessageId);
    if (it == m_prepared.end()) {
        qCWarning(lcSandbox) << "sandbox: pushPrepared() of an unknown push" << frameMessageId;
        return;
    }
    Push p = std::move(*it);
    m_prepared.erase(it);
    enqueuePush(std::move(p));
}

Frame FeishuSandbox::dataFrame(const Push &p) const
{
    Frame f;
    f.seqId = p.seqId;
    f.logId = p.logId;
    f.service = m_options.serviceId;
    f.method = Frame::Data;
    f.headers = p.headers;
    return f;
}

void FeishuSandbox::sendPush(Push &p)
{
    QWebSocket *socket = currentSocket();
    if (!socket) {
        // Nobody to deliver to: the re-push schedule goes on (the platform keeps retrying).
        p.lastSentUs = nowUs();
        scheduleRepush(p);
        return;
    }
    // n <= payload size (clamped in pushEvent), so no fragment is empty: the SDKs would take an
    // empty fragment for a missing one.
    if (!p.encoded.isEmpty()) {
        // Prepared ahead (preparePush): the same frame, built once; a re-push builds it anew.
        sendBinary(socket, std::exchange(p.encoded, {}));
        p.lastSentUs = nowUs();
        scheduleRepush(p);
        return;
    }
    const int n = p.options.fragments;
    const qsizetype base = p.payload.size() / n, extra = p.payload.size() % n;
    QList<int> order(n);
    for (int i = 0; i < n; ++i)
        order[i] = i;
    if (p.options.shuffle && n > 1) {
        std::shuffle(order.begin(), order.end(), m_rng);
        if (std::is_sorted(order.begin(), order.end()))
            std::reverse(order.begin(), order.end());
    }
    if (p.options.duplicateFragment) {
        const int dup = order[int(m_rng.bounded(n))];
        order.insert(int(m_rng.bounded(n + 1)), dup);
    }
    Frame f = dataFrame(p);
    for (int idx : std::as_const(order)) {
        f.headers[3].value = QByteArray::number(idx);
        f.payload = p.payload.mid(idx * base + std::min<qsizetype>(idx, extra), base + (idx < extra ? 1 : 0));
        sendBinary(socket, FrameCodec::encode(f));
    }
    p.lastSentUs = nowUs();
    scheduleRepush(p);
}

void FeishuSandbox::scheduleRepush(Push &p)
{
    if (m_options.repushDelayMs <= 0 || p.repushes >= m_options.maxRepushes) {
        p.deadlineUs = 0;
        return;
    }
    p.deadlineUs = nowUs() + qint64(m_options.repushDelayMs) * 1000;
    m_repushQueue.emplace(p.deadlineUs, p.messageId);
    armRepushTimer();
}

void FeishuSandbox::armRepushTimer()
{
    if (m_repushQueue.empty()) {
        m_repushTimer.stop();
        m_repushTimerDueUs = -1;
        return;
    }
    const qint64 due = m_repushQueue.begin()->first;
    if (m_repushTimer.isActive() && m_repushTimerDueUs <= due)
        return;
    m_repushTimerDueUs = due;
    m_repushTimer.start(int(std::max<qint64>(0, (due - nowUs() + 999) / 1000)));
}

void FeishuSandbox::onRepushTimer()
{
    m_repushTimerDueUs = -1;
    const qint64 now = nowUs();
    QList<QByteArray> due;
    while (!m_repushQueue.empty() && m_repushQueue.begin()->first <= now) {
        auto q = m_repushQueue.begin();
        auto it = m_pending.find(q->second);
        if (it != m_pending.end() && it->deadlineUs == q->first)
            due.append(q->second);
        m_repushQueue.erase(q);
    }
    for (const QByteArray &id : std::as_const(due)) {
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            continue;
        ++it->repushes;
        ++m_repushCount;
        qCDebug(lcSandbox) << "sandbox: no ACK for" << id << "- re-push" << it->repushes << "of"
                           << m_options.maxRepushes;
        sendPush(*it);
        if (it->repushes >= m_options.maxRepushes)
            qCDebug(lcSandbox) << "sandbox: that was the last re-push for" << id;
        emit repushed(id);
    }
    armRepushTimer();
}

QString FeishuSandbox::pushText(const TextPush &t)
{
    QString imId;
    const QByteArray payload = textEvent(t, &imId);
    const QByteArray frameId = pushEvent(payload, t.push);
    m_frameIdByImId.insert(imId, frameId);
    qCDebug(lcSandbox).noquote() << "sandbox: pushed" << t.messageType << "message" << imId << "as frame"
                                 << QString::fromLatin1(frameId);
    return imId;
}

QByteArray FeishuSandbox::textEvent(const TextPush &t, QString *imMessageId)
{
    const QString imId = t.imMessageId.isEmpty() ? newImMessageId() : t.imMessageId;
    const QString sender = t.senderOpenId.isEmpty() ? QStringLiteral("ou_sandbox_user") : t.senderOpenId;
    QString chatId = t.chatId;
    if (chatId.isEmpty()) {
        chatId = t.chatType == QLatin1String("p2p")
                     ? QStringLiteral("oc_p2p_") + QString::fromLatin1(randomHex(8))
                     : QStringLiteral("oc_sandbox_group");
    }
    const QString createMs = QString::number(wallMs());

    QJsonArray mentions;
    QString text;
    int n = 0;
    auto mention = [&](const QString &openId, const QString &name) -> QString {
        const QString key = QStringLiteral("@_user_%1").arg(++n);
        mentions.append(QJsonObject{{QStringLiteral("key"), key},
                                    {QStringLiteral("id"), userIdObject(openId)},
                                    {QStringLiteral("name"), name},
                                    {QStringLiteral("tenant_key"), m_options.tenantKey}});
        return key;
    };
    if (t.mentionBot)
        text = mention(m_options.botOpenId, m_options.botName) + u' ';
    text += t.text;
    for (const auto &[openId, name] : t.otherMentions)
        text += u' ' + mention(openId, name);
    const QString content = !t.rawContent.isEmpty()
                                ? t.rawContent
                                : QString::fromUtf8(compact(QJsonObject{{QStringLiteral("text"), text}}));

    QJsonObject message{{QStringLiteral("message_id"), imId},
                        {QStringLiteral("create_time"), createMs},
                        {QStringLiteral("update_time"), createMs},
                        {QStringLiteral("chat_id"), chatId},
                        {QStringLiteral("chat_type"), t.chatType},
                        {QStringLiteral("message_type"), t.messageType},
                        {QStringLiteral("content"), content},
                        {QStringLiteral("user_agent"),
                         QStringLiteral("Mozilla/5.0 (X11; Linux x86_64) Lark/7.45.7 LarkLocale/zh_CN")}};
    if (!mentions.isEmpty())
        message.insert(QStringLiteral("mentions"), mentions);
    const QJsonObject event{
        {QStringLiteral("sender"), QJsonObject{{QStringLiteral("sender_id"), userIdObject(sender)},
                                               {QStringLiteral("sender_type"), QStringLiteral("user")},
                                               {QStringLiteral("tenant_key"), m_options.tenantKey}}},
        {QStringLiteral("message"), message}};
    const QJsonObject header{{QStringLiteral("event_id"), QString::fromLatin1(randomHex(16))},
                             {QStringLiteral("event_type"), QStringLiteral("im.message.receive_v1")},
                             {QStringLiteral("create_time"), createMs},
                             {QStringLiteral("token"), QString()},
                             {QStringLiteral("app_id"), m_options.appId},
                             {QStringLiteral("tenant_key"), m_options.tenantKey}};
    const QByteArray payload = compact(QJsonObject{{QStringLiteral("schema"), QStringLiteral("2.0")},
                                                   {QStringLiteral("header"), header},
                                                   {QStringLiteral("event"), event}});
    m_eventsByImId.insert(imId, payload);
    m_chatByImId.insert(imId, chatId);
    if (imMessageId)
        *imMessageId = imId;
    return payload;
}

QByteArray FeishuSandbox::redeliver(const QString &imMessageId)
{
    const auto it = m_eventsByImId.constFind(imMessageId);
    if (it == m_eventsByImId.constEnd()) {
        qCWarning(lcSandbox) << "sandbox: cannot redeliver unknown message" << imMessageId;
        return {};
    }
    const QByteArray frameId = pushEvent(*it);
    m_frameIdByImId.insert(imMessageId, frameId);
    qCDebug(lcSandbox) << "sandbox: redelivered" << imMessageId << "as frame" << frameId;
    return frameId;
}

QByteArray FeishuSandbox::frameMessageIdOf(const QString &imMessageId) const
{
    return m_frameIdByImId.value(imMessageId);
}

void FeishuSandbox::pushRaw(const QByteArray &bytes)
{
    if (QWebSocket *s = currentSocket())
        sendBinary(s, bytes);
    else
        qCWarning(lcSandbox) << "sandbox: pushRaw without a connected client";
}

void FeishuSandbox::pushRawText(const QString &text)
{
    QWebSocket *s = currentSocket();
    if (!s)
        qCWarning(lcSandbox) << "sandbox: pushRawText without a connected client";
    else if (!m_silent)
        s->sendTextMessage(text);
}

// --- OpenAPI ------------------------------------------------------------------------------------------

void FeishuSandbox::addHandler(HttpHandler handler)
{
    m_handlers.append(std::move(handler));
}

void FeishuSandbox::injectFault(Fault fault, int count)
{
    for (int i = 0; i < count; ++i)
        m_faults.append(fault);
}

void FeishuSandbox::injectTokenFault(Fault fault, int count)
{
    for (int i = 0; i < count; ++i)
        m_tokenFaults.append(fault);
}

void FeishuSandbox::clearFaults()
{
    m_faults.clear();
    m_tokenFaults.clear();
}

void FeishuSandbox::revokeTokens()
{
    m_tokens.clear();
    m_currentToken.clear();
}

bool FeishuSandbox::takeFault(QList<Fault> &queue, Fault *fault)
{
    if (queue.isEmpty())
        return false;
    *fault = queue.takeFirst();
    return true;
}

void FeishuSandbox::respondFault(Fault fault, HttpResponder *resp, const std::function<void()> &process)
{
    qCDebug(lcSandbox) << "sandbox: injected fault" << fault;
    const QList<QPair<QByteArray, QByteArray>> logId{{QByteArrayLiteral("X-Tt-Logid"), randomHex(12)}};
    switch (fault) {
    case Fault::InvalidToken:
        resp->respond(200,
                      codeBody(99991663, QStringLiteral("Invalid access token for authorization. "
                                                        "Please make a request with token attached.")),
                      "application/json; charset=utf-8", logId);
        return;
    case Fault::RateLimit:
        resp->respond(429, codeBody(99991400, QStringLiteral("request trigger frequency limit")),
                      "application/json; charset=utf-8",
                      {logId.first(),
                       {QByteArrayLiteral("x-ogw-ratelimit-limit"), QByteArrayLiteral("50")},
                       {QByteArrayLiteral("x-ogw-ratelimit-reset"), QByteArray::number(m_rateLimitReset)}});
        return;
    case Fault::ServerError:
        resp->respond(500, codeBody(500, QStringLiteral("internal server error")),
                      "application/json; charset=utf-8", logId);
        return;
    case Fault::DropConnection:
        process();
        resp->abortConnection();
        return;
    case Fault::Timeout:
        process(); // and never answer: the responder dies with the client's connection
        return;
    }
}

void FeishuSandbox::handleToken(const HttpRequest &req, HttpResponder *resp)
{
    ++m_tokenRequests;
    auto process = [this, &req](int *status, QByteArray *body) {
        *status = 200;
        if (req.method != "POST") {
            *status = 404;
            *body = codeBody(404, QStringLiteral("404 page not found"));
            return;
        }
        const QJsonObject o = QJsonDocument::fromJson(req.body).object();
        if (o.value(QStringLiteral("app_id")).toString() != m_options.appId) {
            *body = codeBody(10003, QStringLiteral("invalid param: app_id"));
            return;
        }
        if (o.value(QStringLiteral("app_secret")).toString() != m_options.appSecret) {
            *body = codeBody(10014, QStringLiteral("app secret invalid"));
            return;
        }
        const qint64 now = wallMs();
        const qint64 left = m_currentToken.isEmpty() ? 0 : m_tokens.value(m_currentToken) - now;
        if (left <= kTokenReuseBelowMs) {
            m_currentToken = QStringLiteral("t-") + QString::fromLatin1(randomHex(20));
            m_tokens.insert(m_currentToken, now + qint64(m_options.tokenExpireSeconds) * 1000);
        }
        const qint64 expire = (m_tokens.value(m_currentToken) - now + 999) / 1000;
        *body = compact(QJsonObject{{QStringLiteral("code"), 0},
                                    {QStringLiteral("msg"), QStringLiteral("ok")},
                                    {QStringLiteral("tenant_access_token"), m_currentToken},
                                    {QStringLiteral("expire"), expire}});
        qCDebug(lcSandbox) << "sandbox: tenant token issued, expires in" << expire << "s";
        emit tokenIssued();
    };
    Fault fault;
    if (takeFault(m_tokenFaults, &fault)) {
        respondFault(fault, resp, [&] {
            int s = 0;
            QByteArray b;
            process(&s, &b);
        });
        return;
    }
    int status = 0;
    QByteArray body;
    process(&status, &body);
    resp->respond(status, body, "application/json; charset=utf-8",
                  {{QByteArrayLiteral("X-Tt-Logid"), randomHex(12)}});
}

void FeishuSandbox::handleOpenApi(const HttpRequest &req, HttpResponder *resp)
{
    ++m_openApiRequests;
    m_lastAuthorization = req.headers.value("authorization");
    Fault fault;
    if (takeFault(m_faults, &fault)) {
        respondFault(fault, resp, [&] {
            int s = 0;
            QByteArray b;
            answerOpenApi(req, &s, &b);
        });
        return;
    }
    int status = 200;
    QByteArray body;
    answerOpenApi(req, &status, &body);
    resp->respond(status, body, "application/json; charset=utf-8",
                  {{QByteArrayLiteral("X-Tt-Logid"), randomHex(12)}});
}

// The names a console shows (not in the long-connection spec): apart from the OpenAPI the spec
// covers, so they neither count as OpenAPI requests nor take injected faults meant for replies.
bool FeishuSandbox::answerDirectory(const HttpRequest &req, HttpResponder *resp)
{
    static const QByteArray users = "/open-apis/contact/v3/users/";
    static const QByteArray chats = "/open-apis/im/v1/chats/";
    const bool user = req.path.startsWith(users);
    if (req.method != "GET" || !(user || req.path.startsWith(chats)))
        return false;
    ++m_nameRequests;
    if (const QByteArray refused = tokenProblem(req); !refused.isEmpty()) {
        resp->respond(200, refused);
        return true;
    }
    const QString id = QString::fromUtf8(req.path.mid(user ? users.size() : chats.size()));
    const QHash<QString, QString> &names = user ? m_userNames : m_chatNames;
    if (!names.contains(id)) {
        resp->respond(user ? 200 : 400,
                      user ? codeBody(41050, QStringLiteral("no user authority error"))
                           : codeBody(232011, QStringLiteral("Operator can NOT be out of the chat.")));
        return true;
    }
    const QJsonObject data =
        user ? QJsonObject{{QStringLiteral("user"), QJsonObject{{QStringLiteral("open_id"), id},
                                                                {QStringLiteral("name"), names.value(id)}}}}
             : QJsonObject{{QStringLiteral("name"), names.value(id)},
                           {QStringLiteral("chat_mode"), QStringLiteral("group")}};
    resp->respond(200, compact(QJsonObject{{QStringLiteral("code"), 0},
                                           {QStringLiteral("msg"), QStringLiteral("success")},
                                           {QStringLiteral("data"), data}}));
    return true;
}

QByteArray FeishuSandbox::tokenProblem(const HttpRequest &req) const
{
    const QByteArray auth = req.headers.value("authorization");
    if (!auth.startsWith("Bearer ") || auth.size() <= 7)
        return codeBody(99991661, QStringLiteral("Missing access token for authorization. "
                                                 "Please make a request with token attached."));
    const QString token = QString::fromLatin1(auth.mid(7).trimmed());
    const auto tok = m_tokens.constFind(token);
    if (tok == m_tokens.constEnd() || *tok <= wallMs()) {
        qCDebug(lcSandbox) << "sandbox: OpenAPI call with an unknown or expired tenant token";
        return codeBody(99991663, QStringLiteral("Invalid access token for authorization. "
                                                 "Please make a request with token attached."));
    }
    return {};
}

void FeishuSandbox::answerOpenApi(const HttpRequest &req, int *status, QByteArray *body)
{
    *status = 200;
    if (const QByteArray refused = tokenProblem(req); !refused.isEmpty()) {
        *body = refused;
        return;
    }
    static const QByteArray messages = "/open-apis/im/v1/messages";
    if (req.path == "/open-apis/bot/v3/info" && req.method == "GET") {
        const QJsonObject bot{{QStringLiteral("activate_status"), 2},
                              {QStringLiteral("app_name"), m_options.botName},
                              {QStringLiteral("avatar_url"), QString()},
                              {QStringLiteral("ip_white_list"), QJsonArray()},
                              {QStringLiteral("open_id"), m_options.botOpenId}};
        *body = compact(QJsonObject{{QStringLiteral("code"), 0},
                                    {QStringLiteral("msg"), QStringLiteral("ok")},
                                    {QStringLiteral("bot"), bot}});
        return;
    }
    if (req.method == "POST" && req.path.startsWith(QByteArray(messages + '/')) &&
        req.path.endsWith("/reply")) {
        const QByteArray id = req.path.mid(messages.size() + 1, req.path.size() - messages.size() - 1 - 6);
        *body = handleMessage(req, QStringLiteral("reply"), QString::fromUtf8(id));
        return;
    }
    if (req.method == "POST" && req.path == messages) {
        *body = handleMessage(req, QStringLiteral("send"), QString());
        return;
    }
    *status = 404;
    *body = codeBody(404, QStringLiteral("404 page not found"));
}

QByteArray FeishuSandbox::handleMessage(const HttpRequest &req, const QString &kind, const QString &target)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &perr);
    if (!doc.isObject())
        return codeBody(230001, QStringLiteral("invalid request body: ") + perr.errorString());
    const QJsonObject o = doc.object();
    const bool reply = kind == QLatin1String("reply");
    QString receiveIdType, receiveId;
    if (reply) {
        static const QRegularExpression omId(QStringLiteral("^om_[0-9A-Za-z_-]+$"));
        if (!omId.match(target).hasMatch())
            return codeBody(230001, QStringLiteral("invalid message_id: %1").arg(target.left(64)));
    } else {
        receiveIdType = req.query.queryItemValue(QStringLiteral("receive_id_type"));
        if (!receiveIdTypes().contains(receiveIdType))
            return codeBody(230001, QStringLiteral("invalid receive_id_type"));
        receiveId = o.value(QStringLiteral("receive_id")).toString();
        if (receiveId.isEmpty())
            return codeBody(230001, QStringLiteral("receive_id is required"));
    }
    const QString msgType = o.value(QStringLiteral("msg_type")).toString();
    if (!knownMsgTypes().contains(msgType))
        return codeBody(230001, QStringLiteral("invalid msg_type"));
    if (!o.value(QStringLiteral("content")).isString())
        return codeBody(230001, QStringLiteral("content must be a string holding JSON"));
    const QString content = o.value(QStringLiteral("content")).toString();
    const QByteArray contentUtf8 = content.toUtf8();
    const qsizetype limit = msgType == QLatin1String("text") ? kTextLimit : kRichLimit;
    if (contentUtf8.size() > limit)
        return codeBody(230025, QStringLiteral("message content too long: %1 bytes, the limit is %2")
                                    .arg(contentUtf8.size())
                                    .arg(limit));
    const QJsonDocument contentDoc = QJsonDocument::fromJson(contentUtf8);
    if (!contentDoc.isObject())
        return codeBody(230001, QStringLiteral("content is not a JSON object"));
    QString text;
    if (msgType == QLatin1String("text")) {
        if (!contentDoc.object().value(QStringLiteral("text")).isString())
            return codeBody(230001, QStringLiteral("text content needs a \"text\" string"));
        text = contentDoc.object().value(QStringLiteral("text")).toString();
    }
    const QJsonValue uuidValue = o.value(QStringLiteral("uuid"));
    if (!uuidValue.isUndefined() && !uuidValue.isString())
        return codeBody(230001, QStringLiteral("uuid must be a string"));
    const QString uuid = uuidValue.toString();
    if (uuid.size() > 50)
        return codeBody(230001, QStringLiteral("uuid longer than 50 characters"));

    const qint64 now = wallMs();
    if (!uuid.isEmpty()) {
        const auto prior = m_byUuid.constFind(uuid);
        if (prior != m_byUuid.constEnd() && now - prior->atMs < kUuidWindowMs) {
            ++m_duplicateUuid;
            qCDebug(lcSandbox) << "sandbox: repeated uuid" << uuid
                               << "- answering with the message already created";
            return prior->response;
        }
    }

    const QString createdId = newImMessageId();
    const QString chatId =
        reply
            ? m_chatByImId.value(target, QStringLiteral("oc_sandbox_group"))
            : (receiveIdType == QLatin1String("chat_id") ? receiveId : QStringLiteral("oc_p2p_") + receiveId);
    const QString nowStr = QString::number(now);
    QJsonObject data{
        {QStringLiteral("message_id"), createdId},
        {QStringLiteral("msg_type"), msgType},
        {QStringLiteral("create_time"), nowStr},
        {QStringLiteral("update_time"), nowStr},
        {QStringLiteral("deleted"), false},
        {QStringLiteral("updated"), false},
        {QStringLiteral("chat_id"), chatId},
        {QStringLiteral("sender"), QJsonObject{{QStringLiteral("id"), m_options.appId},
                                               {QStringLiteral("id_type"), QStringLiteral("app_id")},
                                               {QStringLiteral("sender_type"), QStringLiteral("app")},
                                               {QStringLiteral("tenant_key"), m_options.tenantKey}}},
        {QStringLiteral("body"), QJsonObject{{QStringLiteral("content"), content}}}};
    if (reply) {
        data.insert(QStringLiteral("root_id"), target);
        data.insert(QStringLiteral("parent_id"), target);
    }
    const QByteArray response = compact(QJsonObject{{QStringLiteral("code"), 0},
                                                    {QStringLiteral("msg"), QStringLiteral("success")},
                                                    {QStringLiteral("data"), data}});
    SentMessage m;
    m.kind = kind;
    m.target = reply ? target : receiveId;
    m.receiveIdType = receiveIdType;
    m.msgType = msgType;
    m.content = content;
    m.text = text;
    m.uuid = uuid;
    m.createdMessageId = createdId;
    m.atMs = now;
    m_sent.append(m);
    if (!uuid.isEmpty())
        m_byUuid.insert(uuid, IssuedMessage{response, now});
    qCDebug(lcSandbox) << "sandbox: bot" << kind << "to" << m.target << "->" << createdId;
    emit messageSent(m);
    return response;
}

// --- helpers -------------------------------------------------------------------------------------------

QByteArray FeishuSandbox::randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i)
        raw[i] = char(m_rng.bounded(256));
    return raw.toHex();
}

QString FeishuSandbox::newImMessageId()
{
    return QStringLiteral("om_") + QString::fromLatin1(randomHex(16));
}

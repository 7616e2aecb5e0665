#pragma once

#include <functional>
#include <map>

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QRandomGenerator>
#include <QSet>
#include <QString>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

#include "feishu/frame.h"
#include "sandbox/httpserver.h"

class BitableSandbox;

class QWebSocket;
class QWebSocketServer;

// The value types of FeishuSandbox live at namespace scope (a nested struct with default member
// initialisers cannot be a default argument inside its enclosing class); FeishuSandbox re-exports
// them under the short names (FeishuSandbox::Options, ::PushOptions, ...).

struct FeishuSandboxOptions
{
    QString appId = QStringLiteral("cli_a1b2c3d4e5f60718");
    QString appSecret = QStringLiteral("sandbox-app-secret");
    QString botOpenId = QStringLiteral("ou_sandbox_bot");
    QString botName = QStringLiteral("TSP助手");
    QString tenantKey = QStringLiteral("sandbox_tenant");
    int tokenExpireSeconds = 7200;
    int repushDelayMs = 15000; // 0 = never re-push
    int maxRepushes = 4;
    qint32 serviceId = 33554678; // service_id in the WebSocket URL and Frame.service of pushes
    int maxConnections = 50;     // the platform's per-app limit (handshake 514 + 1000040350 beyond)
    quint32 seed = 0;            // random generator seed for shuffles and ids; 0 = random
};

struct FeishuSandboxPushOptions
{
    int fragments = 1;              // split the payload into this many DATA frames (clamped to [1, size])
    bool shuffle = false;           // send the fragments out of order (never in order when > 1)
    bool duplicateFragment = false; // send one fragment twice
    QByteArray frameType = "event"; // the frame's type header ("event" or the legacy "card")
    quint64 logId = 0;              // Frame.LogID; 0 = random below 2^53 (JavaScript-safe, see .cpp)
};

struct FeishuSandboxTextPush
{
    QString chatId;                               // oc_... (generated from the sender if empty)
    QString chatType = QStringLiteral("group");   // group, p2p, topic_group
    QString senderOpenId;                         // ou_... (a fixed test user if empty)
    QString text;                                 // the text as the user typed it, without mentions
    bool mentionBot = false;                      // "@_user_1 text", mentions[0] = the bot
    QList<QPair<QString, QString>> otherMentions; // open_id, name: appended as @_user_N after the text
    QString imMessageId;                          // om_...; generated if empty
    QString messageType = QStringLiteral("text");
    QString rawContent; // the content JSON string as-is (overrides text)
    FeishuSandboxPushOptions push;
};

// One ACK (a DATA frame from the client whose message_id matches a push).
struct FeishuSandboxAck
{
    QByteArray frameMessageId;
    Frame frame;
    QJsonObject payload;  // the parsed ACK body ({"code":200,...}); empty if not JSON
    qint64 latencyUs = 0; // from the (latest) push of this message to this ACK
    int code = 0;         // payload "code" (0 if absent)
    bool valid = true;    // false: something the platform would object to (see problems)
    QStringList problems; // why it is not valid
};

struct FeishuSandboxPing
{
    Frame frame;
    qint64 atMs = 0; // since the sandbox started
    int connectionId = 0;
};

// One message the bot sent through the OpenAPI (reply or send), recorded once per uuid.
struct FeishuSandboxSentMessage
{
    QString kind;          // "reply" or "send"
    QString target;        // reply: the om_ id replied to; send: the receive_id
    QString receiveIdType; // send only
    QString msgType;
    QString content; // the content string as sent
    QString text;    // content's "text" for msg_type text (empty otherwise)
    QString uuid;
    QString createdMessageId; // om_... the sandbox created
    qint64 atMs = 0;          // wall clock, ms since the epoch
};
Q_DECLARE_METATYPE(FeishuSandboxSentMessage)

// A local stand-in for the Feishu open platform on 127.0.0.1: the long-connection bootstrap
// (POST /callback/ws/endpoint), the WebSocket with pbbp2 frames (pings, pushes, ACKs, re-pushes)
// and the OpenAPI a bot uses (tenant token, bot info, reply, send), with the platform's error
// codes and injectable faults. Used by the tests, by --demo and as a load generator.
class FeishuSandbox final : public QObject
{
    Q_OBJECT
public:
    using Options = FeishuSandboxOptions;
    using PushOptions = FeishuSandboxPushOptions;
    using TextPush = FeishuSandboxTextPush;
    using AckRecord = FeishuSandboxAck;
    using PingRecord = FeishuSandboxPing;
    using SentMessage = FeishuSandboxSentMessage;
    using HttpHandler = std::function<bool(const HttpRequest &, HttpResponder *)>;

    // Faults for the next OpenAPI calls (bot info, reply, send; token calls only through
    // injectTokenFault).
    enum class Fault {
        InvalidToken,   // HTTP 200, code 99991663
        RateLimit,      // HTTP 429, code 99991400, x-ogw-ratelimit-limit / -reset headers
        ServerError,    // HTTP 500
        DropConnection, // the request is processed, then the socket is aborted without an answer
        Timeout,        // the request is processed, the answer never comes
    };
    Q_ENUM(Fault)

    explicit FeishuSandbox(QObject *parent = nullptr);
    explicit FeishuSandbox(const Options &options, QObject *parent = nullptr);
    ~FeishuSandbox() override;
    Q_DISABLE_COPY_MOVE(FeishuSandbox)

    // Listens on 127.0.0.1: HTTP on `port` (0 = any free port), the WebSocket on a free port.
    bool start(quint16 port = 0);
    QUrl baseUrl() const; // http://127.0.0.1:<port>: what a client uses as FEISHU_DOMAIN
    quint16 port() const;
    quint16 wsPort() const;
    const Options &options() const { return m_options; }

    // --- bootstrap -------------------------------------------------------------------------
    void setClientConfig(const QJsonObject &config); // returned by bootstrap and in every pong
    QJsonObject clientConfig() const { return m_clientConfig; }
    void setPongPayloadRaw(const QByteArray &payload); // the pong payload as-is (e.g. not JSON)
    void setBootstrapFault(int code, const QString &msg);
    void clearBootstrapFault();
    void setBootstrapHttpStatus(int status); // 0 or 200 = normal
    void setBootstrapEmptyUrl(bool empty);
    int bootstrapCount() const { return m_bootstrapCount; }
    // Refuse the next WebSocket upgrades with these Handshake-Status / -Autherrcode headers
    // (status 0 clears). Tickets are checked as well: unknown or used ones are refused (514).
    void setHandshakeFault(int handshakeStatus, int authErrCode = 0);
    int refusedHandshakes() const { return m_refusedHandshakes; }

    // --- WebSocket ---------------------------------------------------------------------------
    void setSilent(bool silent);       // nothing at all is sent to the clients (half-open link)
    void setPongEnabled(bool enabled); // pings are recorded but not answered
    QList<PingRecord> pings() const { return m_pings; }
    int pingCount() const { return int(m_pings.size()); }
    int connectionCount() const { return int(m_connections.size()); }
    int totalConnections() const { return m_totalConnections; }
    void killConnections();  // abort every socket (no close frame)
    void closeConnections(); // close every socket with a normal close handshake

    // --- pushes ------------------------------------------------------------------------------
    // Sends a DATA frame (or fragments) with this payload to the newest connection; returns the
    // frame message_id. Without a connection the push waits for the next one.
    QByteArray pushEvent(const QByteArray &payloadJson, const PushOptions &o = {});
    // A load generator's pushEvent() in two halves: preparePush() builds the push (ids, headers
    // and, for one fragment, the encoded frame) ahead of time, pushPrepared() only sends it, so a
    // burst measures the client, not the building. Returns / takes the frame message_id.
    QByteArray preparePush(const QByteArray &payloadJson, const PushOptions &o = {});
    void pushPrepared(const QByteArray &frameMessageId);
    // A faithful im.message.receive_v1 schema-2.0 event; returns the IM message id (om_...).
    QString pushText(const TextPush &push);
    // The event pushText() would push, remembered for redeliver() but not pushed: a load generator
    // builds its events first and then times pushEvent() alone. `imMessageId` receives the om_ id.
    QByteArray textEvent(const TextPush &push, QString *imMessageId = nullptr);
    // The same event again (same IM message_id and event_id, new frame message_id), as the
    // platform redelivers. Returns the new frame message_id, or empty if the id is unknown.
    QByteArray redeliver(const QString &imMessageId);
    // The frame message_id of the latest push of this IM message (empty if unknown).
    QByteArray frameMessageIdOf(const QString &imMessageId) const;
    // The event JSON pushed for this IM message (empty if unknown).
    QByteArray eventPayloadOf(const QString &imMessageId) const { return m_eventsByImId.value(imMessageId); }
    void pushRaw(const QByteArray &bytes); // any bytes as one binary message
    void pushRawText(const QString &text); // a text WebSocket message
    int pushCount() const { return m_pushCount; }
    int unackedCount() const { return int(m_pending.size()); }
    int repushCount() const { return m_repushCount; }

    // --- ACKs ----------------------------------------------------------------------------------
    QList<AckRecord> acks() const { return m_acks; }
    int ackCount() const { return int(m_acks.size()); }
    int badAcks() const { return m_badAcks; }
    int duplicateAcks() const { return m_duplicateAcks; }
    int unknownAcks() const { return m_unknownAcks; }
    int badFrames() const { return m_badFrames; }
    bool isAcked(const QByteArray &frameMessageId) const { return m_acked.contains(frameMessageId); }

    // --- HTTP / OpenAPI -------------------------------------------------------------------
    void addHandler(HttpHandler handler); // tried first, in order; return true when handled
    void injectFault(Fault fault, int count = 1);
    void injectTokenFault(Fault fault, int count = 1);
    void clearFaults();
    void setRateLimitResetSeconds(int seconds) { m_rateLimitReset = seconds; }
    void revokeTokens();
    void setTokenExpireSeconds(int seconds) { m_options.tokenExpireSeconds = seconds; }
    int tokenRequests() const { return m_tokenRequests; }
    QList<SentMessage> sentMessages() const { return m_sent; }
    int duplicateUuidRequests() const { return m_duplicateUuid; }
    int openApiRequests() const { return m_openApiRequests; }
    // The directory a bot may read names from (not in the long-connection spec; the platform's
    // GET /open-apis/contact/v3/users/{open_id} and GET /open-apis/im/v1/chats/{chat_id}). A user
    // or chat without a name here answers as one the app may not read (code 41050 / 232011).
    void setUserName(const QString &openId, const QString &name) { m_userNames.insert(openId, name); }
    void setChatName(const QString &chatId, const QString &name) { m_chatNames.insert(chatId, name); }
    int nameRequests() const { return m_nameRequests; }
    // The Bitable tables and records API (tickets sync, spec §8.6).
    BitableSandbox *bitable() const { return m_bitable; }
    // Authorization headers seen on OpenAPI calls (for "no token leaked into the wrong call" checks).
    QByteArray lastAuthorization() const { return m_lastAuthorization; }

signals:
    void bootstrapRequested();
    void wsClientConnected();
    void wsClientDisconnected();
    void pingReceived();
    void ackReceived(const QByteArray &frameMessageId);
    void repushed(const QByteArray &frameMessageId);
    void messageSent(const FeishuSandboxSentMessage &message);
    void tokenIssued();

private:
    struct Connection
    {
        int id = 0;
        QWebSocket *socket = nullptr;
        QByteArray deviceId;
    };
    struct Push
    {
        QByteArray messageId;
        QByteArray payload;
        PushOptions options;
        QList<FrameHeader> headers; // type, message_id, sum, seq, trace_id, timestamp, instance_id
        quint64 seqId = 0;
        quint64 logId = 0;
        qint64 lastSentUs = -1; // -1: never sent yet (no connection)
        int repushes = 0;
        qint64 deadlineUs = 0; // for re-push
        QByteArray encoded;    // preparePush(): the one fragment, encoded; sent once, then dropped
    };
    struct Ticket
    {
        QByteArray accessKey;
        QByteArray deviceId;
        qint64 expiresMs = 0;
    };
    struct IssuedMessage
    {
        QByteArray response; // the whole JSON answer, replayed for a repeated uuid
        qint64 atMs = 0;
    };

    void onHttpRequest(const HttpRequest &req, HttpResponder *resp);
    void handleBootstrap(const HttpRequest &req, HttpResponder *resp);
    void handleToken(const HttpRequest &req, HttpResponder *resp);
    void handleOpenApi(const HttpRequest &req, HttpResponder *resp);
    void answerOpenApi(const HttpRequest &req, int *status, QByteArray *body);
    // Why the call's tenant token is not accepted (the answer to give), or empty when it is.
    QByteArray tokenProblem(const HttpRequest &req) const;
    bool answerDirectory(const HttpRequest &req, HttpResponder *resp);
    QByteArray handleMessage(const HttpRequest &req, const QString &kind, const QString &target);
    bool takeFault(QList<Fault> &queue, Fault *fault);
    void respondFault(Fault fault, HttpResponder *resp, const std::function<void()> &process);

    void onWsTcpConnection();
    void onWsHandshakeData(QTcpSocket *socket);
    void onWsConnected();
    void onBinaryMessage(int connectionId, const QByteArray &bytes);
    void handleAck(const Frame &frame);

    QWebSocket *currentSocket() const;
    void sendPush(Push &push);
    Push makePush(const QByteArray &payloadJson, const PushOptions &o);
    Frame dataFrame(const Push &push) const; // the DATA frame of a push, without its payload
    void enqueuePush(Push &&push);
    void scheduleRepush(Push &push);
    void armRepushTimer();
    void onRepushTimer();
    void sendBinary(QWebSocket *socket, const QByteArray &bytes);

    QByteArray randomHex(int bytes);
    QString newImMessageId();
    qint64 nowUs() const { return m_clock.nsecsElapsed() / 1000; }

    Options m_options;
    HttpServer m_http;
    QTcpServer m_wsTcp;
    QWebSocketServer *m_ws = nullptr;
    QList<HttpHandler> m_handlers;
    QElapsedTimer m_clock;
    QRandomGenerator m_rng;
    QByteArray m_instanceId;

    // bootstrap
    QJsonObject m_clientConfig;
    QByteArray m_pongPayload;
    int m_bootstrapFaultCode = 0;
    QString m_bootstrapFaultMsg;
    int m_bootstrapHttpStatus = 0;
    bool m_bootstrapEmptyUrl = false;
    int m_bootstrapCount = 0;
    QHash<QByteArray, Ticket> m_tickets;
    quint64 m_nextDeviceId = 7300000000000000001ULL;
    int m_handshakeFaultStatus = 0;
    int m_handshakeFaultAuthCode = 0;
    int m_refusedHandshakes = 0;

    // WebSocket
    QList<Connection> m_connections; // oldest first; pushes go to the last
    int m_nextConnectionId = 1;
    int m_totalConnections = 0;
    bool m_silent = false;
    bool m_pongEnabled = true;
    QList<PingRecord> m_pings;

    // pushes
    quint64 m_nextSeqId = 1;
    quint64 m_frameCounter = 0;
    int m_pushCount = 0;
    int m_repushCount = 0;
    QHash<QByteArray, Push> m_pending;               // frame message_id -> unACKed push
    QHash<QByteArray, Push> m_prepared;              // preparePush() -> pushPrepared()
    std::multimap<qint64, QByteArray> m_repushQueue; // deadline (us) -> frame message_id
    QTimer m_repushTimer;
    qint64 m_repushTimerDueUs = -1;
    QSet<QByteArray> m_acked;
    QHash<QString, QByteArray> m_eventsByImId; // IM message id -> event JSON
    QHash<QString, QByteArray> m_frameIdByImId;
    QHash<QString, QString> m_chatByImId;
    QList<AckRecord> m_acks;
    QList<QByteArray> m_unsent; // pushed while no client was connected
    int m_badAcks = 0;
    int m_duplicateAcks = 0;
    int m_unknownAcks = 0;
    int m_badFrames = 0;

    // OpenAPI
    QHash<QString, qint64> m_tokens; // token -> expiry (ms since the epoch)
    QString m_currentToken;
    int m_tokenRequests = 0;
    int m_openApiRequests = 0;
    QHash<QString, QString> m_userNames;
    QHash<QString, QString> m_chatNames;
    int m_nameRequests = 0;
    QList<Fault> m_faults;
    QList<Fault> m_tokenFaults;
    int m_rateLimitReset = 1;
    QList<SentMessage> m_sent;
    QHash<QString, IssuedMessage> m_byUuid;
    int m_duplicateUuid = 0;
    QByteArray m_lastAuthorization;
    BitableSandbox *m_bitable = nullptr;
};

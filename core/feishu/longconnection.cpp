#include "feishu/longconnection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>

#include "feishu/pushjournal.h"
#include "logging/redact.h"
#include "logging_p.h"

namespace {

// ClientConfig values above this many seconds (one day) are nonsense and ignored.
constexpr int kMaxConfigSeconds = 86400;
constexpr int kWatchdogCapSeconds = 30;

const QByteArray kAckPayload = QByteArrayLiteral("{\"code\":200}");
const QByteArray kHeaderType = QByteArrayLiteral("type");
const QByteArray kHeaderBizRt = QByteArrayLiteral("biz_rt");

int clampMs(qint64 ms)
{
    return int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max()));
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
}

QString describeJsonValue(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 17);
    case QJsonValue::String:
        return QLatin1Char('"') + v.toString().left(40) + QLatin1Char('"');
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

QString shortText(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes.left(80));
}

} // namespace

LongConnection::LongConnection(QObject *parent)
    : LongConnection(Options{}, parent)
{}

LongConnection::LongConnection(const Options &options, QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    // Children, so moveToThread() takes the timers along (BotService runs the connection on an
    // I/O thread of its own).
    , m_pingTimer(this)
    , m_watchdog(this)
    , m_reconnectTimer(this)
    , m_fragmentSweep(this)
    , m_random(QRandomGenerator::global()->generate())
{
    m_clock.start();
    qRegisterMetaType<LongConnection::Metrics>();
    m_metricsTimer.setParent(this);
    m_metricsTimer.setSingleShot(true);
    m_metricsTimer.setInterval(1000);
    connect(&m_metricsTimer, &QTimer::timeout, this,
            [this] { emit metricsReported(std::exchange(m_metrics, Metrics{})); });
    for (QTimer *t : {&m_pingTimer, &m_watchdog, &m_reconnectTimer, &m_fragmentSweep}) {
        t->setSingleShot(true);
        t->setTimerType(Qt::PreciseTimer);
    }
    // Timer callbacks check the generation they were armed in (stored in the timer's property).
    auto guarded = [this](QTimer *timer, void (LongConnection::*handler)()) {
        connect(timer, &QTimer::timeout, this, [this, timer, handler] {
            if (timer->property("generation").toULongLong() != m_generation)
                return;
            (this->*handler)();
        });
    };
    guarded(&m_pingTimer, &LongConnection::onPingTimer);
    guarded(&m_watchdog, &LongConnection::onWatchdog);
    guarded(&m_reconnectTimer, &LongConnection::beginAttempt);
    connect(&m_fragmentSweep, &QTimer::timeout, this, [this] {
        m_assembler.expire(m_clock.elapsed());
        armFragmentSweep();
    });
    setOptions(options);
}

LongConnection::~LongConnection()
{
    m_wanted = false;
    teardown();
}

void LongConnection::setOptions(const Options &options)
{
    m_options = options;
    // Base URL: a trailing '/' is dropped, so {domain}/callback/... never has '//'.
    m_options.domain = options.domain.adjusted(QUrl::StripTrailingSlash);
    if (m_options.secondMs <= 0)
        m_options.secondMs = 1000;
    if (m_options.bootstrapTimeoutMs <= 0)
        m_options.bootstrapTimeoutMs = 15000;
    if (m_options.fragmentTtlMs <= 0)
        m_options.fragmentTtlMs = 10000;
    Redact::registerSecret(m_options.appSecret);
    if (m_state == State::Idle || m_state == State::Failed)
        m_config = m_options.initialConfig;
}

qint64 LongConnection::watchdogMs() const
{
    if (m_options.watchdogMs > 0)
        return m_options.watchdogMs;
    return qMin(pingIntervalMs(), qint64(kWatchdogCapSeconds) * m_options.secondMs);
}

void LongConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

// ---------------------------------------------------------------------------------------------
// Start, stop, attempts

void LongConnection::start()
{
    if (m_wanted) {
        qCDebug(lcFeishu) << "start() ignored: the long connection is already running";
        return;
    }
    if (m_options.appId.isEmpty() || m_options.appSecret.isEmpty()) {
        // The Python SDK's client-side check: no request without credentials.
        failTerminal(
            kCodeNoCredential,
            QStringLiteral("App ID or App Secret is empty: set FEISHU_APP_ID and FEISHU_APP_SECRET"));
        return;
    }
    m_wanted = true;
    m_attempts = 0;
    m_config = m_options.initialConfig;
    FragmentAssembler::Limits limits;
    limits.ttlMs = m_options.fragmentTtlMs;
    m_counters.expiredIncomplete += quint64(m_assembler.expiredTotal());
    m_assembler = FragmentAssembler(limits);
    m_options.network.apply(m_nam);
    qCInfo(lcFeishu).noquote() << QStringLiteral("connecting app %1 to Feishu at %2")
                                      .arg(m_options.appId, Redact::url(m_options.domain));
    setState(State::Connecting);
    beginAttempt();
}

void LongConnection::restart()
{
    if (!m_wanted)
        return;
    qCInfo(lcFeishu) << "reconnecting with a fresh endpoint, as asked";
    const bool wasConnected = m_state == State::Connected;
    teardown();
    if (wasConnected)
        emit disconnected();
    ++m_counters.reconnects;
    setState(State::Reconnecting);
    emit reconnecting(m_attempts + 1, 0);
    beginAttempt();
}

void LongConnection::stop()
{
    const bool wasConnected = m_state == State::Connected;
    const bool wasRunning = m_wanted;
    m_wanted = false;
    teardown();
    setState(State::Idle);
    if (wasRunning)
        qCInfo(lcFeishu) << "long connection stopped";
    if (wasConnected)
        emit disconnected();
}

void LongConnection::beginAttempt()
{
    if (!m_wanted)
        return;
    ++m_generation;
    m_lastTlsError.clear();
    bootstrap();
}

void LongConnection::teardown()
{
    ++m_generation; // every callback of what is torn down below is stale from here on
    m_pingTimer.stop();
    m_watchdog.stop();
    m_reconnectTimer.stop();
    m_fragmentSweep.stop();
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
    // ACKs still in the write buffer go out before the socket is dropped, and the pushes they
    // answer are handed on: they were ACKed, so nothing would bring them back.
    deliverPending();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        socket->deleteLater();
    }
    // Fragments of an unacknowledged push are re-pushed whole by the server.
    m_assembler.clear();
    m_connId.clear();
    m_serviceId = 0;
    m_pingBytes.clear();
    m_lastPongPayload.clear();
}

void LongConnection::failAttempt(const QString &why)
{
    const bool wasConnected = m_state == State::Connected;
    teardown();
    if (wasConnected) {
        qCWarning(lcFeishu).noquote() << QStringLiteral("connection to Feishu lost: %1").arg(why);
        emit disconnected();
    } else {
        qCWarning(lcFeishu).noquote() << QStringLiteral("connecting to Feishu failed: %1").arg(why);
    }
    if (!m_wanted) {
        setState(State::Idle);
        return;
    }
    const int limit = m_config.reconnectCount;
    if (limit >= 0 && m_attempts >= limit) {
        failTerminal(kCodeReconnectExhausted,
                     QStringLiteral("reconnect attempts exhausted (%1 of %1 failed); last error: %2")
                         .arg(limit)
                         .arg(why));
        return;
    }
    // Jitter before the first attempt only, so many clients do not reconnect in step; then the
    // server's interval between attempts (spec §6.2).
    qint64 delayMs = reconnectIntervalMs();
    if (m_attempts == 0) {
        const qint64 nonceMs = reconnectNonceMs();
        delayMs = nonceMs > 0 ? qint64(m_random.bounded(quint32(qMin<qint64>(nonceMs, 0x7fffffff)) + 1)) : 0;
    }
    ++m_attempts;
    ++m_counters.reconnects;
    setState(State::Reconnecting);
    const QString of = limit < 0 ? QStringLiteral("∞") : QString::number(limit);
    qCInfo(lcFeishu).noquote()
        << QStringLiteral("reconnecting in %1 (attempt %2/%3)").arg(seconds(delayMs)).arg(m_attempts).arg(of);
    m_reconnectTimer.setProperty("generation", m_generation);
    m_reconnectTimer.start(clampMs(delayMs));
    emit reconnecting(m_attempts, clampMs(delayMs));
}

void LongConnection::failTerminal(int code, const QString &message)
{
    m_wanted = false;
    const bool wasConnected = m_state == State::Connected;
    teardown();
    qCCritical(lcFeishu).noquote() << QStringLiteral("the Feishu long connection gave up (code %1): %2; "
                                                     "it will not reconnect by itself")
                                          .arg(code)
                                          .arg(message);
    setState(State::Failed);
    if (wasConnected)
        emit disconnected();
    emit fatalError(code, message);
}

// ---------------------------------------------------------------------------------------------
// Bootstrap (spec §1)

void LongConnection::bootstrap()
{
    QUrl url = m_options.domain;
    url.setPath(url.path() + QStringLiteral("/callback/ws/endpoint"));
    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("locale"), QByteArrayLiteral("zh"));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("tsp-assistant/" TSP_VERSION));
    request.setTransferTimeout(m_options.bootstrapTimeoutMs);
    if (url.scheme() == QLatin1String("https")) {
        QString caError;
        request.setSslConfiguration(m_options.network.sslConfiguration(&caError));
        if (!caError.isEmpty())
            qCWarning(lcFeishu).noquote() << caError;
    }
    const QJsonObject body{{QStringLiteral("AppID"), m_options.appId},
                           {QStringLiteral("AppSecret"), m_options.appSecret}};
    qCDebug(lcFeishu).noquote() << QStringLiteral("asking %1 for a WebSocket endpoint").arg(Redact::url(url));

    QNetworkReply *reply = m_nam->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    m_reply = reply;
    const quint64 generation = m_generation;
    connect(reply, &QNetworkReply::sslErrors, this, [this, generation, url](const QList<QSslError> &errors) {
        if (generation != m_generation)
            return;
        m_lastTlsError = describeSslErrors(errors, url.host(), !m_options.network.extraCaFile.isEmpty());
        qCWarning(lcFeishu).noquote() << m_lastTlsError;
        emit errorOccurred(m_lastTlsError);
    });
    connect(reply, &QNetworkReply::finished, this, [this, generation, reply] {
        reply->deleteLater();
        if (generation != m_generation)
            return;
        m_reply = nullptr;
        onBootstrapFinished(reply);
    });
}

void LongConnection::onBootstrapFinished(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    if (status == 0) {
        if (!m_lastTlsError.isEmpty()) { // already explained (and signalled) by the sslErrors handler
            failAttempt(m_lastTlsError);
            return;
        }
        const QString why = reply->error() == QNetworkReply::OperationCanceledError
                                ? QStringLiteral("the endpoint request timed out after %1 ms")
                                      .arg(m_options.bootstrapTimeoutMs)
                                : QStringLiteral("the endpoint request failed: %1").arg(reply->errorString());
        emit errorOccurred(why);
        failAttempt(why);
        return;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    const QJsonObject root = doc.object();
    if (status != 200) {
        const QString msg = root.value(QLatin1String("msg")).toString();
        const QString why = QStringLiteral("the endpoint request answered HTTP %1%2")
                                .arg(status)
                                .arg(msg.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(msg));
        emit errorOccurred(why);
        failAttempt(why);
        return;
    }
    if (pe.error != QJsonParseError::NoError || !doc.isObject() ||
        !root.value(QLatin1String("code")).isDouble()) {
        const QString why =
            QStringLiteral("the endpoint answer is not the expected JSON (%1 bytes)").arg(bytes.size());
        emit errorOccurred(why);
        failAttempt(why);
        return;
    }
    const double codeValue = root.value(QLatin1String("code")).toDouble();
    const int code = std::isfinite(codeValue) && std::abs(codeValue) < 2147483647.0 ? int(codeValue) : -2;
    const QString msg = root.value(QLatin1String("msg")).toString();
    if (code != kCodeOk) {
        const QString why =
            QStringLiteral("the endpoint request was refused with code %1: %2").arg(code).arg(msg);
        if (code == kCodeSystemBusy || code == kCodeInternalError) {
            emit errorOccurred(why);
            failAttempt(why);
        } else {
            // Bad credentials, not a self-built app, long connection not enabled, ...: retrying
            // cannot help (spec §1.3).
            failTerminal(code, msg.isEmpty() ? why : msg);
        }
        return;
    }
    const QJsonObject data = root.value(QLatin1String("data")).toObject();
    const QJsonValue config = data.value(QLatin1String("ClientConfig"));
    if (config.isObject())
        applyConfig(config.toObject(), QStringLiteral("the endpoint answer"));
    const QString urlText = data.value(QLatin1String("URL")).toString();
    if (urlText.isEmpty()) {
        const QString why = QStringLiteral("the endpoint answer has no WebSocket URL");
        emit errorOccurred(why);
        failAttempt(why);
        return;
    }
    // Dial the URL exactly as returned: keep its percent-encoding as it is.
    const QUrl url = QUrl::fromEncoded(urlText.toUtf8(), QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
        const QString why =
            QStringLiteral("the endpoint answer has an unusable WebSocket URL (%1)").arg(Redact::url(url));
        emit errorOccurred(why);
        failAttempt(why);
        return;
    }
    const QUrlQuery query(url);
    m_connId = query.queryItemValue(QStringLiteral("device_id"), QUrl::FullyDecoded);
    m_serviceId = 0;
    if (query.hasQueryItem(QStringLiteral("service_id"))) {
        bool ok = false;
        const QString text = query.queryItemValue(QStringLiteral("service_id"), QUrl::FullyDecoded);
        const qint32 id = text.toInt(&ok);
        if (ok)
            m_serviceId = id;
        else
            qCWarning(lcFeishu).noquote()
                << QStringLiteral(
                       "service_id \"%1\" in the WebSocket URL is not a 32-bit integer; pings use 0")
                       .arg(text.left(20));
    } else {
        qCWarning(lcFeishu) << "the WebSocket URL has no service_id; pings use 0";
    }
    m_pingBytes = FrameCodec::encode(FrameCodec::makePing(m_serviceId));
    dial(url);
}

bool LongConnection::applyClientConfig(const QJsonObject &object, ClientConfig *config, const QString &source)
{
    const ClientConfig before = *config;
    struct Key
    {
        QLatin1String name;
        int *target;
        bool anyInt; // ReconnectCount: any int, < 0 = infinite
    };
    const Key keys[] = {
        {QLatin1String("ReconnectCount"), &config->reconnectCount, true},
        {QLatin1String("ReconnectInterval"), &config->reconnectInterval, false},
        {QLatin1String("ReconnectNonce"), &config->reconnectNonce, false},
        {QLatin1String("PingInterval"), &config->pingInterval, false},
    };
    for (const Key &key : keys) {
        const auto it = object.constFind(key.name);
        if (it == object.constEnd())
            continue;
        const QJsonValue v = it.value();
        const double d = v.toDouble();
        const bool integral = v.isDouble() && std::isfinite(d) && std::trunc(d) == d;
        bool ok = false;
        if (key.anyInt)
            ok = integral && d >= double(std::numeric_limits<int>::min()) &&
                 d <= double(std::numeric_limits<int>::max());
        else
            ok = integral && d >= 1 && d <= kMaxConfigSeconds;
        if (!ok) {
            qCWarning(lcFeishu).noquote()
                << QStringLiteral("ignored ClientConfig.%1 = %2 from %3: expected %4")
                       .arg(key.name, describeJsonValue(v), source,
                            key.anyInt ? QStringLiteral("a whole number")
                                       : QStringLiteral("a whole number of seconds from 1 to %1")
                                             .arg(kMaxConfigSeconds));
            continue;
        }
        *key.target = int(d);
    }
    return !(before == *config);
}

void LongConnection::applyConfig(const QJsonObject &object, const QString &source)
{
    const qint64 oldPingMs = pingIntervalMs();
    if (!applyClientConfig(object, &m_config, source))
        return;
    qCInfo(lcFeishu).noquote() << QStringLiteral(
                                      "Feishu client config from %1: ping every %2 s, reconnect every "
                                      "%3 s after a jitter of up to %4 s, %5 attempts")
                                      .arg(source)
                                      .arg(m_config.pingInterval)
                                      .arg(m_config.reconnectInterval)
                                      .arg(m_config.reconnectNonce)
                                      .arg(m_config.reconnectCount < 0
                                               ? QStringLiteral("unlimited")
                                               : QString::number(m_config.reconnectCount));
    // A new ping interval applies from now, not after the old (maybe long) wait.
    if (pingIntervalMs() != oldPingMs && m_pingTimer.isActive())
        m_pingTimer.start(clampMs(pingIntervalMs()));
    emit clientConfigChanged();
}

// ---------------------------------------------------------------------------------------------
// WebSocket (spec §2, §3)

void LongConnection::dial(const QUrl &url)
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    socket->setMaxAllowedIncomingFrameSize(quint64(FrameCodec::kMaxFrameBytes));
    socket->setMaxAllowedIncomingMessageSize(quint64(FrameCodec::kMaxFrameBytes));
    m_options.network.apply(socket, url);
    const quint64 generation = m_generation;
    connect(socket, &QWebSocket::connected, this, [this, generation, socket] {
        if (generation != m_generation)
            return;
        // An ACK is a small frame that must leave at once (spec §5.5); with Nagle's algorithm it
        // waits for the peer's delayed TCP ACK of the previous one (up to 40 ms on Linux).
        // QWebSocket has no option for it; its TCP socket is its child.
        const auto tcps = socket->findChildren<QAbstractSocket *>();
        for (QAbstractSocket *tcp : tcps)
            tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (tcps.isEmpty())
            qCDebug(lcFeishu) << "no TCP socket found under the WebSocket; Nagle's algorithm stays on";
        onSocketConnected();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, generation, socket] {
        if (generation != m_generation)
            return;
        const QString reason = socket->closeReason();
        onSocketGone(QStringLiteral("the WebSocket closed (code %1%2)")
                         .arg(int(socket->closeCode()))
                         .arg(reason.isEmpty() ? QString() : QStringLiteral(", ") + reason));
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, generation, socket] {
                if (generation == m_generation)
                    onSocketGone(m_lastTlsError.isEmpty()
                                     ? QStringLiteral("WebSocket error: %1").arg(socket->errorString())
                                     : m_lastTlsError);
            });
    connect(socket, &QWebSocket::sslErrors, this, [this, generation, url](const QList<QSslError> &errors) {
        if (generation != m_generation)
            return;
        m_lastTlsError = describeSslErrors(errors, url.host(), !m_options.network.extraCaFile.isEmpty());
        qCWarning(lcFeishu).noquote() << m_lastTlsError;
        emit errorOccurred(m_lastTlsError);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this, generation](const QByteArray &message) {
        if (generation == m_generation)
            onBinaryMessage(message);
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, generation](const QString &message) {
        if (generation != m_generation)
            return;
        m_watchdog.stop(); // not a protocol frame, but proof that the connection is alive
        qCDebug(lcFeishuFrames) << "ignored a text WebSocket message of" << message.size()
                                << "characters (the protocol is binary only)";
    });
    // The handshake gets the bootstrap timeout; the watchdog guards it.
    m_watchdog.setProperty("generation", m_generation);
    m_watchdog.start(m_options.bootstrapTimeoutMs);
    qCInfo(lcFeishu).noquote()
        << QStringLiteral("opening the WebSocket %1 (conn_id=%2)").arg(Redact::url(url), m_connId);
    socket->open(url);
}

void LongConnection::onSocketConnected()
{
    m_watchdog.stop();
    m_attempts = 0;
    setState(State::Connected);
    qCInfo(lcFeishu).noquote()
        << QStringLiteral("connected to Feishu (conn_id=%1, service_id=%2)").arg(m_connId).arg(m_serviceId);
    sendPing(); // at once, then every PingInterval (spec §3.5)
    m_pingTimer.setProperty("generation", m_generation);
    m_pingTimer.start(clampMs(pingIntervalMs()));
    emit connected();
}

void LongConnection::onSocketGone(const QString &why)
{
    failAttempt(why);
}

void LongConnection::sendPing()
{
    if (!m_socket)
        return;
    m_socket->sendBinaryMessage(m_pingBytes);
    ++m_counters.pingsOut;
    qCDebug(lcFeishuFrames) << "ping out, service" << m_serviceId;
    // Armed by a ping, cleared by any inbound frame. A still-running watchdog is not restarted:
    // if nothing came back since the previous ping it must be allowed to fire.
    if (!m_watchdog.isActive()) {
        m_watchdog.setProperty("generation", m_generation);
        m_watchdog.start(clampMs(watchdogMs()));
    }
}

void LongConnection::onPingTimer()
{
    sendPing();
    m_pingTimer.start(clampMs(pingIntervalMs())); // re-read: a pong may have changed it
    m_assembler.expire(m_clock.elapsed());
}

void LongConnection::onWatchdog()
{
    if (m_state == State::Connected)
        failAttempt(
            QStringLiteral("no frame from Feishu within %1 ms after a ping; the connection is presumed dead")
                .arg(watchdogMs()));
    else
        failAttempt(QStringLiteral("the WebSocket handshake did not finish within %1 ms")
                        .arg(m_options.bootstrapTimeoutMs));
}

void LongConnection::onBinaryMessage(const QByteArray &message)
{
    const qint64 receivedAtNs = m_clock.nsecsElapsed();
    m_watchdog.stop(); // any inbound frame proves the connection is alive
    ++m_counters.framesIn;
    Frame frame;
    QString error;
    if (!FrameCodec::decode(message, &frame, &error)) {
        ++m_counters.malformedFrames;
        qCWarning(lcFeishuFrames).noquote()
            << QStringLiteral("ignored an undecodable frame of %1 bytes: %2").arg(message.size()).arg(error);
        return;
    }
    if (frame.method == Frame::Control)
        handleControl(frame);
    else if (frame.method == Frame::Data)
        handleData(std::move(frame), receivedAtNs);
    else
        qCDebug(lcFeishuFrames) << "ignored a frame with unknown method" << frame.method;
}

void LongConnection::handleControl(Frame &frame)
{
    const QByteArray type = frame.header(kHeaderType);
    if (type == "pong") {
        ++m_counters.pongsIn;
        qCDebug(lcFeishuFrames) << "pong in," << (frame.payload ? frame.payload->size() : 0) << "bytes";
        if (!frame.payload || frame.payload->isEmpty())
            return;
        // The server repeats the same config in every pong: parse (and complain) only on a change.
        if (*frame.payload == m_lastPongPayload)
            return;
        m_lastPongPayload = *frame.payload;
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(*frame.payload, &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            qCWarning(lcFeishu).noquote()
                << QStringLiteral("ignored a pong whose payload is not a JSON object (%1 bytes)")
                       .arg(frame.payload->size());
            return;
        }
        applyConfig(doc.object(), QStringLiteral("a pong"));
    } else if (type == "ping") {
        qCDebug(lcFeishuFrames) << "ignored a ping from the server";
    } else {
        qCDebug(lcFeishuFrames).noquote()
            << QStringLiteral("ignored a control frame of type \"%1\"").arg(shortText(type));
    }
}

void LongConnection::handleData(Frame &&frame, qint64 receivedAtNs)
{
    const QByteArray type = frame.header(kHeaderType);
    // type=card is handled exactly like type=event (spec §5.4 REC): the SDKs' silent drop of it
    // makes the platform re-push and the user see an error.
    if (type != "event" && type != "card") {
        ++m_counters.malformedFrames;
        if (type.isEmpty())
            qCWarning(lcFeishuFrames) << "ignored a data frame without a type header";
        else
            qCInfo(lcFeishuFrames).noquote()
                << QStringLiteral("ignored a data frame of type \"%1\"").arg(shortText(type));
        return;
    }
    const QByteArray traceId = frame.header("trace_id");
    if (lcFeishuFrames().isDebugEnabled()) {
        qCDebug(lcFeishuFrames).noquote()
            << QStringLiteral("data in: type=%1 message_id=%2 trace_id=%3 seq=%4 sum=%5 payload=%6 bytes")
                   .arg(QString::fromUtf8(type), shortText(frame.header("message_id")), shortText(traceId),
                        shortText(frame.header("seq", "0")), shortText(frame.header("sum", "1")))
                   .arg(frame.payload ? frame.payload->size() : 0);
    }
    FragmentAssembler::Result result = m_assembler.add(std::move(frame), m_clock.elapsed());
    switch (result.outcome) {
    case FragmentAssembler::Outcome::Rejected:
        ++m_counters.rejectedFragments;
        qCWarning(lcFeishuFrames).noquote()
            << QStringLiteral("dropped a data fragment (trace_id=%1): %2; the server will push it again")
                   .arg(shortText(traceId), result.reason);
        return;
    case FragmentAssembler::Outcome::Duplicate:
        qCDebug(lcFeishuFrames) << "duplicate fragment ignored," << result.received << "of" << result.sum
                                << "held";
        return;
    case FragmentAssembler::Outcome::Pending:
        armFragmentSweep();
        return;
    case FragmentAssembler::Outcome::Complete:
        break;
    }
    // ACK first, at once, whatever the event type (spec §5.3 REC); then hand the event on. The
    // ACKs of one socket read leave in one write (deliverPending), before any event is emitted.
    // The journal has the push before its ACK exists: a process killed after the ACK and before
    // the push is recorded hands it on at its next start.
    if (m_journal)
        m_journal->append(result.payload, type);
    sendAck(result.frame, receivedAtNs);
    ++m_counters.eventsIn;
    m_pending.append(PendingEvent{result.payload, type, traceId});
    if (!m_deliverPosted) {
        m_deliverPosted = true;
        QMetaObject::invokeMethod(this, &LongConnection::deliverPending, Qt::QueuedConnection);
    }
}

void LongConnection::deliverPending()
{
    m_deliverPosted = false;
    if (m_socket)
        m_socket->flush();
    if (!m_ackReceivedNs.isEmpty()) {
        const qint64 now = m_clock.nsecsElapsed();
        constexpr qsizetype kMaxSamples = 4096; // per report: plenty for a median and a p99
        for (const qint64 at : std::as_const(m_ackReceivedNs)) {
            if (m_metrics.ackLatenciesMs.size() < kMaxSamples)
                m_metrics.ackLatenciesMs.append(float(double(now - at) / 1e6));
        }
        m_ackReceivedNs.clear();
        m_metrics.lastEventAtMs = QDateTime::currentMSecsSinceEpoch();
        if (!m_metricsTimer.isActive())
            m_metricsTimer.start();
    }
    const QList<PendingEvent> batch = std::exchange(m_pending, {});
    for (const PendingEvent &e : batch)
        emit eventReceived(e.payload, e.type, e.traceId);
    if (!batch.isEmpty())
        emit eventsDelivered();
}

void LongConnection::sendAck(Frame &frame, qint64 receivedAtNs)
{
    if (!m_socket)
        return;
    const qint64 bizRtMs = qMax<qint64>(0, (m_clock.nsecsElapsed() - receivedAtNs) / 1000000);
    frame.headers.append(FrameHeader{kHeaderBizRt, QByteArray::number(bizRtMs)});
    frame.payload = kAckPayload;
    m_socket->sendBinaryMessage(FrameCodec::encode(frame)); // flushed by deliverPending()
    m_ackReceivedNs.append(receivedAtNs);
    ++m_counters.acksOut;
    qCDebug(lcFeishuFrames).noquote() << QStringLiteral("ack out: message_id=%1 biz_rt=%2 ms")
                                             .arg(shortText(frame.header("message_id")))
                                             .arg(bizRtMs);
}

void LongConnection::armFragmentSweep()
{
    const auto next = m_assembler.nextExpiryMs();
    if (!next) {
        m_fragmentSweep.stop();
        return;
    }
    const qint64 inMs = qMax<qint64>(0, *next - m_clock.elapsed());
    if (!m_fragmentSweep.isActive() || m_fragmentSweep.remainingTime() > inMs)
        m_fragmentSweep.start(clampMs(inMs));
}

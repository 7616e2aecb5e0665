#include "desk/healthmonitor.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int kEmitIntervalMs = 250;
constexpr qint64 kWindowMs = 60 * 1000;
constexpr qsizetype kMaxSamples = 60 * 2000; // a minute at 2,000 pushes a second

ConnectionHealth::State fromConnection(LongConnection::State s)
{
    switch (s) {
    case LongConnection::State::Idle:
        return ConnectionHealth::State::Idle;
    case LongConnection::State::Connecting:
        return ConnectionHealth::State::Connecting;
    case LongConnection::State::Connected:
        return ConnectionHealth::State::Connected;
    case LongConnection::State::Reconnecting:
        return ConnectionHealth::State::Reconnecting;
    case LongConnection::State::Failed:
        return ConnectionHealth::State::Failed;
    }
    return ConnectionHealth::State::Idle;
}

// Platform codes beside LongConnection's own (spec §1.3, §2): the endpoint's "invalid param"
// (a wrong App ID or secret), the token's "app secret invalid", the handshake's limit and 403.
constexpr int kCodeInvalidParam = 10003;
constexpr int kCodeSecretInvalid = 10014;
constexpr int kCodeExceedConnLimit = 1000040350;
constexpr int kCodeForbidden = 403;

qint64 dayOf(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).date().toJulianDay();
}

} // namespace

QString ConnectionHealth::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Connected:
        return QStringLiteral("connected");
    case State::Reconnecting:
        return QStringLiteral("reconnecting");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

HealthMonitor::HealthMonitor(QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_health.stateSince = m_clock();
    m_emitTimer.setSingleShot(true);
    m_emitTimer.setInterval(kEmitIntervalMs);
    connect(&m_emitTimer, &QTimer::timeout, this, [this] {
        recompute();
        emit healthChanged(m_health);
    });
}

HealthMonitor::~HealthMonitor() = default;

ConnectionHealth HealthMonitor::snapshot() const
{
    return m_health;
}

void HealthMonitor::changed(bool now)
{
    if (now) {
        m_emitTimer.stop();
        recompute();
        emit healthChanged(m_health);
        return;
    }
    if (!m_emitTimer.isActive())
        m_emitTimer.start();
}

void HealthMonitor::recompute()
{
    const qint64 cutoff = m_clock() - kWindowMs;
    const auto firstKept =
        std::find_if(m_acks.cbegin(), m_acks.cend(),
                     [cutoff](const QPair<qint64, float> &a) { return a.first >= cutoff; });
    m_acks.erase(m_acks.cbegin(), firstKept);
    if (m_acks.isEmpty()) {
        m_health.ackLatencyMedianMs = -1;
        m_health.ackLatencyP99Ms = -1;
        return;
    }
    QList<float> sorted;
    sorted.reserve(m_acks.size());
    for (const auto &a : std::as_const(m_acks))
        sorted.append(a.second);
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&sorted](double q) {
        const qsizetype i =
            qBound<qsizetype>(0, qsizetype(q * double(sorted.size() - 1) + 0.5), sorted.size() - 1);
        return double(sorted.at(i));
    };
    m_health.ackLatencyMedianMs = at(0.5);
    m_health.ackLatencyP99Ms = at(0.99);
}

void HealthMonitor::connectionStateChanged(LongConnection::State state)
{
    const ConnectionHealth::State s = fromConnection(state);
    if (s == m_health.state)
        return;
    m_health.state = s;
    m_health.stateSince = m_clock();
    if (s == ConnectionHealth::State::Connected) {
        m_health.terminal = false;
    }
    changed(true);
}

void HealthMonitor::reconnectScheduled()
{
    const qint64 now = m_clock();
    if (dayOf(now) != m_reconnectDay) {
        m_reconnectDay = dayOf(now);
        m_health.reconnectsToday = 0;
    }
    ++m_health.reconnects;
    ++m_health.reconnectsToday;
    changed();
}

void HealthMonitor::connectionError(const QString &message)
{
    m_health.lastError = message;
    m_health.lastErrorCode = 0;
    m_health.lastErrorHintKind = hintKind(0, message);
    m_health.lastErrorHint = hintText(m_health.lastErrorHintKind);
    changed();
}

void HealthMonitor::connectionFatal(int code, const QString &message)
{
    m_health.lastError = message;
    m_health.lastErrorCode = code;
    m_health.lastErrorHintKind = hintKind(code, message);
    m_health.lastErrorHint = hintText(m_health.lastErrorHintKind);
    m_health.terminal = true;
    changed(true);
}

void HealthMonitor::metricsReported(const LongConnection::Metrics &metrics)
{
    const qint64 now = m_clock();
    for (const float ms : metrics.ackLatenciesMs) {
        if (m_acks.size() >= kMaxSamples)
            m_acks.removeFirst();
        m_acks.append({now, ms});
    }
    if (metrics.lastEventAtMs > 0)
        m_health.lastEventAt = metrics.lastEventAtMs;
    changed();
}

void HealthMonitor::duplicateDropped()
{
    ++m_health.dedupeHits;
    changed();
}

void HealthMonitor::setTokenExpiry(qint64 expiresAtMs)
{
    if (m_health.tokenExpiresAt == expiresAtMs)
        return;
    m_health.tokenExpiresAt = expiresAtMs;
    changed();
}

void HealthMonitor::setOutbox(int depth, qint64 oldestPendingAt)
{
    if (m_health.outboxDepth == depth && m_health.oldestPendingAt == oldestPendingAt)
        return;
    m_health.outboxDepth = depth;
    m_health.oldestPendingAt = oldestPendingAt;
    changed();
}

void HealthMonitor::llmFinished(int latencyMs, const QString &error)
{
    m_health.llmLastLatencyMs = latencyMs;
    m_health.llmLastError = error;
    changed();
}

void HealthMonitor::setPaused(bool paused)
{
    if (m_health.paused == paused)
        return;
    m_health.paused = paused;
    changed(true);
}

ConnectionHealth::Hint HealthMonitor::hintKind(int code, const QString &message)
{
    using Hint = ConnectionHealth::Hint;
    switch (code) {
    case LongConnection::kCodeNoCredential:
    case kCodeInvalidParam:
    case kCodeSecretInvalid:
        return Hint::BadCredentials;
    case LongConnection::kCodeInternalError:
        return Hint::FeishuInternal;
    case LongConnection::kCodeSystemBusy:
        return Hint::FeishuBusy;
    case LongConnection::kCodeReconnectExhausted:
        return Hint::ReconnectExhausted;
    case kCodeExceedConnLimit:
        return Hint::ConnectionLimit;
    case kCodeForbidden:
        return Hint::AppBlocked;
    default:
        break;
    }
    const auto says = [&message](QLatin1String word) { return message.contains(word, Qt::CaseInsensitive); };
    if (says("credential"_L1) || says("secret"_L1) || says("app id"_L1) || says("app_id"_L1))
        return Hint::BadCredentials;
    if (says("not enabled"_L1) || says("long connection"_L1) || says("not allowed"_L1))
        return Hint::LongConnectionOff;
    if (says("TLS"_L1) || says("certificate"_L1))
        return Hint::Tls;
    return message.isEmpty() ? Hint::None : Hint::Network;
}

const char *ConnectionHealth::hintSource(Hint hint)
{
    switch (hint) {
    case Hint::None:
        return "";
    case Hint::BadCredentials:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "The App ID or App Secret is wrong or missing. Copy both again from "
                                 "the Feishu developer console (Credentials & Basic Info) into the "
                                 "settings.");
    case Hint::FeishuInternal:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "Feishu had an internal error; the bot keeps retrying. If it lasts, "
                                 "check the Feishu status page.");
    case Hint::FeishuBusy:
        return QT_TRANSLATE_NOOP("HealthHint", "Feishu is busy; the bot keeps retrying on its own.");
    case Hint::ReconnectExhausted:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "The reconnect attempts the platform allows are used up. Press "
                                 "Reconnect, or check the network and the proxy settings.");
    case Hint::LongConnectionOff:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "In the Feishu developer console, turn on \"receive events over the "
                                 "long connection\" (使用长连接接收事件), subscribe to "
                                 "im.message.receive_v1, and publish a new version of the app.");
    case Hint::ConnectionLimit:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "The app already has the most long connections Feishu allows (50). "
                                 "Stop other bots or consoles that use the same app, then press "
                                 "Reconnect.");
    case Hint::AppBlocked:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "Feishu refused the app: it is disabled or blocked. Ask the tenant "
                                 "administrator to enable it in the Feishu admin console.");
    case Hint::Tls:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "A TLS problem: an intranet proxy may inspect traffic. Set its CA "
                                 "certificate (FEISHU_CA_FILE) or the proxy (FEISHU_PROXY) in the "
                                 "settings.");
    case Hint::Network:
        return QT_TRANSLATE_NOOP("HealthHint",
                                 "The bot retries on its own. If this lasts, check the network, the "
                                 "proxy and the Feishu domain in the settings.");
    }
    return "";
}

QString HealthMonitor::hintText(ConnectionHealth::Hint hint)
{
    return QString::fromUtf8(ConnectionHealth::hintSource(hint));
}

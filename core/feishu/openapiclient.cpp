#include "feishu/openapiclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

#include "logging/redact.h"
#include "logging_p.h"
#include "net/backoff.h"

namespace {

const QString kTokenPath = QStringLiteral("/open-apis/auth/v3/tenant_access_token/internal");

// Spec §8.1: the codes after which the cached token is dropped and the call retried once.
bool isTokenInvalidCode(int code)
{
    return code == 99991661 || code == 99991663 || code == 99991664 || code == 99991668 || code == 99991671;
}

constexpr int kRateLimitCode = 99991400;
constexpr int kChatRateLimitCode = 230020; // per-chat send frequency: try again later

QString pathOnly(const QString &pathAndQuery)
{
    const qsizetype q = pathAndQuery.indexOf(u'?');
    return q < 0 ? pathAndQuery : pathAndQuery.left(q);
}

} // namespace

OpenApiClient::OpenApiClient(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_nam(new QNetworkAccessManager(this))
{
    m_clock.start();
    setOptions(options);
}

void OpenApiClient::setOptions(const Options &options)
{
    QString domain = options.domain.trimmed();
    while (domain.endsWith(u'/'))
        domain.chop(1);
    if (domain != m_domain || options.appId != m_options.appId || options.appSecret != m_options.appSecret) {
        m_token.clear(); // a token of another app or server is no use
        m_tokenRefreshAtMs = 0;
    }
    m_options = options;
    m_domain = domain;
    Redact::registerSecret(options.appSecret);
    m_options.network.apply(m_nam);
    QString caError;
    m_ssl = m_options.network.sslConfiguration(&caError);
    m_haveExtraCa = !m_options.network.extraCaFile.isEmpty() && caError.isEmpty();
    if (!caError.isEmpty())
        qCWarning(lcOpenApi).noquote() << caError;
}

OpenApiClient::~OpenApiClient() = default;

qint64 OpenApiClient::tokenExpiresAtMs() const
{
    if (m_token.isEmpty())
        return 0;
    return QDateTime::currentMSecsSinceEpoch() + (m_tokenExpiresAtMs - m_clock.elapsed());
}

bool OpenApiClient::hasValidToken() const
{
    return !m_token.isEmpty() && m_clock.elapsed() < m_tokenRefreshAtMs;
}

void OpenApiClient::ensureToken(TokenDone done)
{
    if (hasValidToken()) {
        done(true, QString());
        return;
    }
    m_tokenWaiters.append([done = std::move(done)](const Result &r) { done(r.ok, r.message); });
    startTokenFetch();
}

void OpenApiClient::startTokenFetch()
{
    if (m_tokenFetching)
        return; // the refresh in flight serves every waiter
    m_tokenFetching = true;
    Call call;
    call.what = QStringLiteral("token");
    call.verb = "POST";
    call.pathAndQuery = kTokenPath;
    call.body = QJsonDocument(QJsonObject{{QStringLiteral("app_id"), m_options.appId},
                                          {QStringLiteral("app_secret"), m_options.appSecret}})
                    .toJson(QJsonDocument::Compact);
    call.needsToken = false;
    call.idempotent = true; // asking for a token twice is harmless
    call.done = [this](const Result &r) { finishTokenFetch(r); };
    qCDebug(lcOpenApi) << "fetching a tenant access token";
    execute(std::move(call));
}

void OpenApiClient::finishTokenFetch(const Result &fetched)
{
    m_tokenFetching = false;
    Result r = fetched;
    if (r.ok) {
        const QString token = r.json.value(QStringLiteral("tenant_access_token")).toString();
        const qint64 expireS = r.json.value(QStringLiteral("expire")).toInteger();
        if (token.isEmpty() || expireS <= 0) {
            r.ok = false;
            r.retryable = true;
            r.message = QStringLiteral("the token answer has no tenant_access_token or expire");
        } else {
            Redact::registerSecret(token);
            const qint64 lifetimeMs = expireS * 1000;
            const qint64 margin = std::min<qint64>(m_options.tokenRefreshMarginMs, lifetimeMs / 2);
            const qint64 now = m_clock.elapsed();
            m_token = token;
            m_tokenExpiresAtMs = now + lifetimeMs;
            m_tokenRefreshAtMs = now + lifetimeMs - margin;
            qCInfo(lcOpenApi) << "tenant access token obtained, valid for" << expireS << "s, refresh in"
                              << (lifetimeMs - margin) / 1000 << "s";
            emit tokenRefreshed();
        }
    }
    if (!r.ok) {
        r.message = QStringLiteral("cannot get a tenant access token: ") +
                    (r.code != 0 ? QStringLiteral("code %1, ").arg(r.code) : QString()) + r.message;
        qCWarning(lcOpenApi).noquote() << r.message;
    }
    const auto waiters = std::exchange(m_tokenWaiters, {});
    for (const auto &w : waiters)
        w(r);
}

void OpenApiClient::execute(Call call)
{
    if (!call.needsToken) {
        sendAttempt(std::move(call), QString());
        return;
    }
    if (hasValidToken()) {
        const QString token = m_token;
        sendAttempt(std::move(call), token);
        return;
    }
    m_tokenWaiters.append([this, call](const Result &tokenResult) mutable {
        if (!tokenResult.ok) {
            Result r = tokenResult;
            r.json = {};
            call.done(r);
            return;
        }
        const QString token = m_token;
        sendAttempt(std::move(call), token);
    });
    startTokenFetch();
}

void OpenApiClient::sendAttempt(Call call, const QString &token)
{
    ++call.attempt;
    ++m_counters.requests;
    if (call.what == QLatin1String("token"))
        ++m_counters.tokenFetches;
    QNetworkRequest req(QUrl(m_domain + call.pathAndQuery));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    req.setTransferTimeout(m_options.timeoutMs);
    if (req.url().scheme() == QLatin1String("https"))
        req.setSslConfiguration(m_ssl);
    const qint64 started = m_clock.elapsed();
    QNetworkReply *reply = m_nam->sendCustomRequest(req, call.verb, call.body);
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        reply->setProperty("tsp_tls", describeSslErrors(errors, reply->url().host(), m_haveExtraCa));
    });
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, call = std::move(call), token, started]() mutable {
                onFinished(reply, std::move(call), token, started);
            });
}

int OpenApiClient::backoffMs(int attempt) const
{
    return int(Backoff{m_options.retryBaseMs, m_options.retryMaxDelayMs}.delayMs(attempt));
}

bool OpenApiClient::retryLater(Call &call, int delayMs, const QString &why)
{
    if (call.attempt > m_options.maxRetries)
        return false;
    ++m_counters.retries;
    qCInfo(lcOpenApi).noquote() << call.what << "attempt" << call.attempt
                                << QStringLiteral("failed (") + why + QStringLiteral("), retrying in")
                                << delayMs << "ms";
    emit retryScheduled(call.what, call.attempt, delayMs);
    QTimer::singleShot(delayMs, this, [this, call]() mutable { execute(std::move(call)); });
    return true;
}

void OpenApiClient::onFinished(QNetworkReply *reply, Call call, const QString &token, qint64 startedMs)
{
    reply->deleteLater();
    const QByteArray logId = reply->rawHeader("X-Tt-Logid");
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const qint64 elapsed = m_clock.elapsed() - startedMs;
    const QString where = QString::fromLatin1(call.verb) + u' ' + pathOnly(call.pathAndQuery);
    Result r;
    r.httpStatus = status;

    if (status == 0) {
        ++m_counters.networkErrors;
        const QString tls = reply->property("tsp_tls").toString();
        r.retryable = true;
        r.message = tls.isEmpty() ? QStringLiteral("network error: ") + reply->errorString() : tls;
        if (call.idempotent && retryLater(call, backoffMs(call.attempt), r.message))
            return;
        qCWarning(lcOpenApi).noquote() << where << "failed after" << elapsed << "ms:" << r.message;
        call.done(r);
        return;
    }

    const QByteArray body = reply->readAll();
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    const QJsonObject json = doc.object();
    const bool hasCode = json.value(QStringLiteral("code")).isDouble();
    r.code = json.value(QStringLiteral("code")).toInt();
    r.message = json.value(QStringLiteral("msg")).toString();
    qCDebug(lcOpenApi).noquote() << where << "-> HTTP" << status << "code" << r.code << "in" << elapsed
                                 << "ms, logid" << QString::fromLatin1(logId);

    if (status == 429 || (hasCode && r.code == kRateLimitCode)) {
        ++m_counters.rateLimited;
        bool ok = false;
        const int resetS = reply->rawHeader("x-ogw-ratelimit-reset").trimmed().toInt(&ok);
        const int waitMs = ok && resetS >= 0
                               ? int(std::min<qint64>(qint64(resetS) * 1000, m_options.maxRateLimitWaitMs))
                               : backoffMs(call.attempt);
        r.retryable = true;
        r.retryAfterMs = waitMs;
        if (!hasCode)
            r.code = kRateLimitCode;
        if (r.message.isEmpty())
            r.message = QStringLiteral("rate limited");
        // A rate-limited request was not carried out: repeating it is safe with or without uuid.
        if (retryLater(call, waitMs, QStringLiteral("rate limited, logid ") + QString::fromLatin1(logId)))
            return;
        qCWarning(lcOpenApi).noquote() << where << "still rate limited after" << call.attempt
                                       << "attempts, logid" << QString::fromLatin1(logId);
        call.done(r);
        return;
    }
    if (status >= 500) {
        ++m_counters.serverErrors;
        r.retryable = true;
        r.message = QStringLiteral("HTTP %1 from the server%2")
                        .arg(status)
                        .arg(r.message.isEmpty() ? QString() : QStringLiteral(": ") + r.message);
        if (call.idempotent && retryLater(call, backoffMs(call.attempt), r.message))
            return;
        qCWarning(lcOpenApi).noquote()
            << where << "failed:" << r.message << "logid" << QString::fromLatin1(logId);
        call.done(r);
        return;
    }
    if (hasCode && isTokenInvalidCode(r.code) && call.needsToken) {
        if (!call.tokenRetried) {
            ++m_counters.tokenInvalidations;
            if (m_token == token)
                m_token.clear(); // another call may already have replaced it
            call.tokenRetried = true;
            qCInfo(lcOpenApi).noquote() << where << "was refused with code" << r.code
                                        << "(token invalid): fetching a new token and retrying once";
            execute(std::move(call));
            return;
        }
        r.message =
            QStringLiteral("the tenant token was refused again (code %1: %2)").arg(r.code).arg(r.message);
    }
    if (!hasCode) {
        r.retryable = false;
        r.message = doc.isObject() || status != 200
                        ? QStringLiteral("HTTP %1 without a Feishu code").arg(status)
                        : QStringLiteral("answer is not JSON: ") + perr.errorString();
        ++m_counters.apiErrors;
        qCWarning(lcOpenApi).noquote()
            << where << "failed:" << r.message << "logid" << QString::fromLatin1(logId);
        call.done(r);
        return;
    }
    if (r.code != 0) {
        ++m_counters.apiErrors;
        // A token refused again after the refetch is not this call's fault and not for good (a
        // token revoked while the new one was on its way, a platform hiccup): the outbox tries
        // again later with a fresh token. The 30-minute fault soak lost two replies when it was
        // final.
        r.retryable = r.code == kChatRateLimitCode || (isTokenInvalidCode(r.code) && call.needsToken);
        qCWarning(lcOpenApi).noquote() << where << "failed with code" << r.code << ":" << r.message << "(HTTP"
                                       << status << "logid" << QString::fromLatin1(logId) + u')';
        call.done(r);
        return;
    }
    ++m_counters.succeeded;
    r.ok = true;
    r.json = json;
    call.done(r);
}

void OpenApiClient::fetchBotInfo(BotInfoDone done)
{
    Call call;
    call.what = QStringLiteral("bot info");
    call.verb = "GET";
    call.pathAndQuery = QStringLiteral("/open-apis/bot/v3/info");
    call.idempotent = true; // a read
    call.done = [done = std::move(done)](const Result &r) {
        if (!r.ok) {
            done(false, QString(), QString(),
                 r.code != 0 ? QStringLiteral("code %1: %2").arg(r.code).arg(r.message) : r.message);
            return;
        }
        const QJsonObject bot = r.json.value(QStringLiteral("bot")).toObject();
        const QString openId = bot.value(QStringLiteral("open_id")).toString();
        if (openId.isEmpty()) {
            done(false, QString(), QString(), QStringLiteral("bot info without open_id"));
            return;
        }
        done(true, openId, bot.value(QStringLiteral("app_name")).toString(), QString());
    };
    execute(std::move(call));
}

SendResult OpenApiClient::toSendResult(const Result &r)
{
    SendResult s;
    s.ok = r.ok;
    s.retryable = r.retryable;
    s.httpStatus = r.httpStatus;
    s.code = r.code;
    s.message = r.message;
    s.retryAfterMs = r.retryAfterMs;
    s.sentMessageId =
        r.json.value(QStringLiteral("data")).toObject().value(QStringLiteral("message_id")).toString();
    return s;
}

void OpenApiClient::postMessage(const QString &what, const QString &pathAndQuery, const QJsonObject &body,
                                bool idempotent, Done done)
{
    Call call;
    call.what = what;
    call.verb = "POST";
    call.pathAndQuery = pathAndQuery;
    call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    call.idempotent = idempotent;
    call.done = [done = std::move(done)](const Result &r) { done(toSendResult(r)); };
    execute(std::move(call));
}

void OpenApiClient::replyMessage(const QString &messageId, const QString &msgType, const QString &content,
                                 const QString &uuid, Done done)
{
    QJsonObject body{{QStringLiteral("msg_type"), msgType}, {QStringLiteral("content"), content}};
    if (!uuid.isEmpty())
        body.insert(QStringLiteral("uuid"), uuid);
    const QString path = QStringLiteral("/open-apis/im/v1/messages/") +
                         QString::fromLatin1(QUrl::toPercentEncoding(messageId)) + QStringLiteral("/reply");
    postMessage(QStringLiteral("reply"), path, body, !uuid.isEmpty(), std::move(done));
}

void OpenApiClient::sendMessage(const QString &receiveIdType, const QString &receiveId,
                                const QString &msgType, const QString &content, const QString &uuid,
                                Done done)
{
    QJsonObject body{{QStringLiteral("receive_id"), receiveId},
                     {QStringLiteral("msg_type"), msgType},
                     {QStringLiteral("content"), content}};
    if (!uuid.isEmpty())
        body.insert(QStringLiteral("uuid"), uuid);
    const QString path = QStringLiteral("/open-apis/im/v1/messages?receive_id_type=") +
                         QString::fromLatin1(QUrl::toPercentEncoding(receiveIdType));
    postMessage(QStringLiteral("send"), path, body, !uuid.isEmpty(), std::move(done));
}

void OpenApiClient::request(const QString &what, const QByteArray &verb, const QString &pathAndQuery,
                            const QJsonObject &body, bool idempotent, ResultDone done)
{
    Call call;
    call.what = what;
    call.verb = verb;
    call.pathAndQuery = pathAndQuery;
    if (verb != "GET")
        call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    call.idempotent = idempotent;
    call.done = std::move(done);
    execute(std::move(call));
}

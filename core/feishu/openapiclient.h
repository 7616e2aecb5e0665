#pragma once

#include <functional>

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QString>

#include "feishu/replytransport.h"
#include "net/networkoptions.h"

class QNetworkAccessManager;
class QNetworkReply;

// The Feishu/Lark OpenAPI a bot needs (spec §8): the tenant access token (cached, refreshed
// ahead of expiry, one refresh shared by concurrent callers, dropped and refetched once when the
// server calls it invalid), bot info, reply and send. Retries: rate limits (HTTP 429 or code
// 99991400) wait for x-ogw-ratelimit-reset; 5xx and network errors are retried with back-off only
// for calls made idempotent by a uuid. Tokens and the app secret never reach a log line.
class OpenApiClient final : public QObject, public ReplyTransport
{
    Q_OBJECT
public:
    struct Options
    {
        QString domain = QStringLiteral("https://open.feishu.cn"); // FEISHU_DOMAIN; trailing '/' trimmed
        QString appId;
        QString appSecret;
        NetworkOptions network;
        int timeoutMs = 15000;          // per HTTP attempt
        int retryBaseMs = 500;          // first back-off delay, doubled per retry
        int retryMaxDelayMs = 30000;    // back-off cap
        int maxRetries = 3;             // retries after the first attempt (5xx, network, 429)
        int maxRateLimitWaitMs = 60000; // cap on x-ogw-ratelimit-reset
        int tokenRefreshMarginMs =
            5 * 60 * 1000; // refresh this long before expiry (at most half the lifetime)
    };

    struct Counters
    {
        int requests = 0;           // HTTP attempts, token fetches included
        int tokenFetches = 0;       // token requests sent
        int tokenInvalidations = 0; // tokens dropped because the server called them invalid
        int retries = 0;            // attempts repeated (back-off, rate limit)
        int rateLimited = 0;        // 429 / 99991400 answers
        int networkErrors = 0;      // attempts without an HTTP answer
        int serverErrors = 0;       // 5xx answers
        int apiErrors = 0;          // HTTP 200 with code != 0 reported to the caller
        int succeeded = 0;          // calls completed with code 0
    };

    using BotInfoDone =
        std::function<void(bool ok, const QString &openId, const QString &appName, const QString &error)>;
    using TokenDone = std::function<void(bool ok, const QString &error)>;
    // The outcome of one call (after this client's own retries). json: the whole answer when ok.
    struct Result
    {
        bool ok = false;
        bool retryable = false;
        int httpStatus = 0;
        int code = 0;
        QString message;
        int retryAfterMs = -1;
        QJsonObject json;
    };
    using ResultDone = std::function<void(const Result &)>;

    explicit OpenApiClient(const Options &options, QObject *parent = nullptr);
    ~OpenApiClient() override;
    Q_DISABLE_COPY_MOVE(OpenApiClient)

    QString domain() const { return m_domain; }
    // New domain, credentials or network settings (live reconfiguration). Calls already on the
    // wire finish where they went; every later attempt (retries included) uses the new values.
    // A cached tenant token is dropped when the domain or the app changes.
    void setOptions(const Options &options);
    Counters counters() const { return m_counters; }
    bool hasValidToken() const;
    // When the cached tenant token expires (ms since the epoch); 0 when there is none.
    qint64 tokenExpiresAtMs() const;

    // GET /open-apis/bot/v3/info.
    void fetchBotInfo(BotInfoDone done);
    // Makes sure a usable tenant token is cached (fetches one if needed).
    void ensureToken(TokenDone done);

    // ReplyTransport. A non-empty uuid makes the call idempotent: only then are 5xx answers and
    // network errors retried here; without one such failures come back with retryable=true.
    void replyMessage(const QString &messageId, const QString &msgType, const QString &content,
                      const QString &uuid, Done done) override;
    void sendMessage(const QString &receiveIdType, const QString &receiveId, const QString &msgType,
                     const QString &content, const QString &uuid, Done done) override;

    // Any other OpenAPI call with the tenant token (e.g. Bitable): verb GET/POST/PUT/...,
    // pathAndQuery from /open-apis/, a JSON body (ignored when empty for GET). Same token, rate
    // limit and retry rules as above; `idempotent` (a read, or a write carrying a client_token)
    // allows retrying 5xx answers and network errors here.
    void request(const QString &what, const QByteArray &verb, const QString &pathAndQuery,
                 const QJsonObject &body, bool idempotent, ResultDone done);

signals:
    // A failed attempt will be repeated in `inMs` (what: e.g. "reply", "send", "token").
    void retryScheduled(const QString &what, int attempt, int inMs);
    void tokenRefreshed();

private:
    struct Call
    {
        QString what;
        QByteArray verb;
        QString pathAndQuery;
        QByteArray body;
        bool needsToken = true;
        bool idempotent = false;
        int attempt = 0; // attempts made so far
        bool tokenRetried = false;
        std::function<void(const Result &)> done;
    };

    void execute(Call call);
    void sendAttempt(Call call, const QString &token);
    void onFinished(QNetworkReply *reply, Call call, const QString &token, qint64 startedMs);
    bool retryLater(Call &call, int delayMs, const QString &why);
    int backoffMs(int attempt) const;
    void startTokenFetch();
    void finishTokenFetch(const Result &r);
    static SendResult toSendResult(const Result &r);
    void postMessage(const QString &what, const QString &pathAndQuery, const QJsonObject &body,
                     bool idempotent, Done done);

    Options m_options;
    QString m_domain;
    QNetworkAccessManager *m_nam = nullptr;
    QSslConfiguration m_ssl;
    bool m_haveExtraCa = false;
    QElapsedTimer m_clock;

    QString m_token;
    qint64 m_tokenRefreshAtMs = 0; // on m_clock: use the token until then
    qint64 m_tokenExpiresAtMs = 0;
    bool m_tokenFetching = false;
    QList<std::function<void(const Result &)>> m_tokenWaiters;
    Counters m_counters;
};

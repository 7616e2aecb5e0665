#pragma once

#include <functional>
#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include "net/networkoptions.h"

struct AppConfig;
class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

// Settings of the OpenAI-compatible chat completions endpoint. Empty baseUrl/model take the
// provider's preset; every other provider than ollama needs an API key.
struct LlmConfig
{
    enum class Provider { None, Qwen, OpenAi, DeepSeek, Ollama, Custom };

    Provider provider = Provider::None;
    QString apiKey;
    QString baseUrl; // the ".../v1" base; the client POSTs to {base}/chat/completions
    QString model;
    double temperature = 0.3;
    int maxTokens = 1024;
    int connectTimeoutMs = 10000; // until the response headers arrive
    int timeoutMs = 60000;        // for the whole attempt, headers and body (streams included)
    int retries = 2;              // extra attempts on network errors, 5xx and 429 (never on other 4xx)
    int retryDelayMs = 1000;      // first back-off; doubles per attempt, capped at maxRetryDelayMs
    int maxRetryDelayMs = 15000;  // also caps a server's Retry-After
    bool stream = true;

    // "qwen", "openai", "deepseek", "ollama", "custom" (case-insensitive; "" and "none" give None).
    static bool parseProvider(const QString &text, Provider *provider);
    static QString providerName(Provider provider);
    static QString presetBaseUrl(Provider provider);
    static QString presetModel(Provider provider);

    // The LLM_* keys of a resolved configuration (AppConfig::resolve has checked them against the
    // settings table already).
    static LlmConfig fromConfig(const AppConfig &config);

    QString effectiveBaseUrl() const;
    QString effectiveModel() const;
    QUrl chatCompletionsUrl() const;
    // True when a request can be attempted; otherwise *why says what is missing.
    bool isConfigured(QString *why = nullptr) const;
};

struct LlmMessage
{
    enum class Role { System, User, Assistant };
    Role role = Role::User;
    QString content;
    static QString roleName(Role role);
};

struct LlmRequestOptions
{
    bool jsonMode = false;      // response_format {"type":"json_object"}
    std::optional<bool> stream; // overrides LlmConfig::stream
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    std::optional<int> timeoutMs; // overrides LlmConfig::timeoutMs for this request
    std::optional<int> retries;
};

struct LlmResult
{
    enum class Error {
        None,
        NotConfigured,
        Network,         // connection refused, reset, DNS, TLS ...
        Timeout,         // no headers within connectTimeoutMs, or not finished within timeoutMs
        Http,            // a non-2xx status (see httpStatus, message from the body's error.message)
        InvalidResponse, // a 2xx body that is not the expected JSON
        StreamCut,       // the stream ended before [DONE] / finish_reason; text holds the partial answer
        Empty,           // no choices, or an empty message
    };

    bool ok() const { return error == Error::None; }

    Error error = Error::None;
    QString errorString;  // a clear sentence for logs and the console
    QString text;         // the answer; on StreamCut the partial text received
    QString finishReason; // stop, length, ...
    QString model;        // as reported by the server
    int httpStatus = 0;
    int attempts = 0;
    int elapsedMs = -1; // from the request to its end, all attempts
    int promptTokens = -1;
    int completionTokens = -1;
};

// Asynchronous OpenAI-compatible chat completions client on QNetworkAccessManager. Never blocks.
// Retries network errors, 5xx and 429 with back-off (honouring Retry-After), never other 4xx.
// A stream cut after text arrived is not retried (the partial text is already out). The API key
// is registered with Redact and never logged.
class LlmClient final : public QObject
{
    Q_OBJECT
public:
    using RequestId = quint64;
    using Done = std::function<void(const LlmResult &)>;
    // Streaming only: the new piece and the whole text so far.
    using Partial = std::function<void(const QString &delta, const QString &textSoFar)>;

    explicit LlmClient(QObject *parent = nullptr);
    ~LlmClient() override;
    Q_DISABLE_COPY_MOVE(LlmClient)

    void setConfig(const LlmConfig &config);
    const LlmConfig &config() const { return m_config; }
    bool isConfigured(QString *why = nullptr) const { return m_config.isConfigured(why); }

    // Proxy and extra CA for the client's own QNetworkAccessManager.
    void setNetworkOptions(const NetworkOptions &options);
    // Use a shared manager instead of the client's own (not owned; must outlive the client).
    void setNetworkAccessManager(QNetworkAccessManager *manager);

    // Starts a request. `done` is called exactly once, always from the event loop (never inside
    // this call), unless the request is cancelled or the client destroyed first.
    RequestId complete(const QList<LlmMessage> &messages, const LlmRequestOptions &options, Done done,
                       Partial partial = {});
    // Aborts a request; its callbacks are not called.
    void cancel(RequestId id);
    int pendingCount() const { return int(m_requests.size()); }

signals:
    void partialText(LlmClient::RequestId id, const QString &delta, const QString &textSoFar);
    void finished(LlmClient::RequestId id, const LlmResult &result);
    void retryScheduled(LlmClient::RequestId id, int attempt, int inMs);

private:
    struct Request;
    void startAttempt(RequestId id);
    void onReadyRead(RequestId id);
    void onReplyFinished(RequestId id);
    void onTimeout(RequestId id, bool connectPhase);
    void processStreamEvents(Request &r);
    void handleErrorOutcome(RequestId id, LlmResult result, bool retryable, int retryAfterMs);
    void finish(RequestId id, LlmResult result);
    QByteArray buildBody(const Request &r) const;
    QNetworkAccessManager *manager();

    LlmConfig m_config;
    NetworkOptions m_networkOptions;
    bool m_haveNetworkOptions = false;
    QNetworkAccessManager *m_ownManager = nullptr;
    QPointer<QNetworkAccessManager> m_externalManager;
    QHash<RequestId, Request *> m_requests;
    RequestId m_nextId = 1;
};

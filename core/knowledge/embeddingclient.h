#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QList>
#include <QString>
#include <QStringList>

#include "net/networkoptions.h"

class QThread;
class QObject;

struct AppConfig;

// An OpenAI-compatible /embeddings endpoint (DashScope text-embedding-v3, OpenAI, a local
// server, or the sandbox's EmbeddingStandIn).
struct EmbeddingOptions
{
    QString baseUrl;        // EMBEDDING_BASE_URL: the ".../v1" base; the client posts to {base}/embeddings
    QString model;          // EMBEDDING_MODEL
    QString apiKey;         // EMBEDDING_API_KEY (sent as a Bearer token when set)
    int timeoutMs = 5000;   // EMBEDDING_TIMEOUT_MS: per request
    int dimensions = 0;     // EMBEDDING_DIMENSIONS: sent as "dimensions" when > 0
    int batchSize = 10;     // texts per request (text-embedding-v3 takes at most 10)
    NetworkOptions network; // FEISHU_PROXY and FEISHU_CA_FILE: the proxy and CAs of every outbound leg

    bool isEnabled() const { return !baseUrl.isEmpty() && !model.isEmpty(); }
    // The EMBEDDING_* keys (and the proxy and CA file) of a resolved configuration (disabled when
    // EMBEDDING_BASE_URL is empty).
    static EmbeddingOptions fromConfig(const AppConfig &config);
};

// The requests run on the client's own network thread. embed() blocks: it waits on the calling
// thread for at most timeoutMs per batch, so it never re-enters the caller's event loop (the
// command line). embedAsync() does not wait: the outcome comes back queued to a context object
// (the bot's main thread). Failures (timeout, HTTP error, malformed answer) return nothing and say
// why; callers fall back.
class EmbeddingClient final
{
public:
    using Vector = QList<float>;

    explicit EmbeddingClient(EmbeddingOptions options);
    ~EmbeddingClient();
    EmbeddingClient(const EmbeddingClient &) = delete;
    EmbeddingClient &operator=(const EmbeddingClient &) = delete;

    const EmbeddingOptions &options() const { return m_options; }
    std::optional<QList<Vector>> embed(const QStringList &texts, QString *error = nullptr);

    // The vectors of `texts` in order, or nothing and why.
    using Callback = std::function<void(std::optional<QList<Vector>> vectors, const QString &error)>;
    // Asynchronous embed(): `done` runs exactly once on `context`'s thread, from its event loop
    // (also for an empty list or a disabled client). Each batch is given up after timeoutMs without
    // data. `context` must outlive this client (the client's destruction ends what is in flight).
    void embedAsync(const QStringList &texts, QObject *context, Callback done);

    static constexpr int kMaxDimensions = 16384;

private:
    struct BatchResult
    {
        std::optional<QList<Vector>> vectors;
        QString error; // redacted
    };
    struct Chain;

    std::optional<QList<Vector>> embedBatch(const QStringList &texts, QString *error);
    void ensureThread();
    // One request on the worker; `finished` runs there.
    void post(const QStringList &texts, std::function<void(BatchResult)> finished);
    void postNext(std::shared_ptr<Chain> chain);

    EmbeddingOptions m_options;
    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr;
};

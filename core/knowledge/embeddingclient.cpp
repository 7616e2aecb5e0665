#include "knowledge/embeddingclient.h"

#include <algorithm>
#include <chrono>
#include <future>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QThread>
#include <QUrl>

#include "config/appconfig.h"
#include "logging/redact.h"
#include "logging_p.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// A 10 x 16384-dimension batch is far below this.
constexpr qint64 kMaxAnswerBytes = 64 * 1024 * 1024;

std::optional<QList<EmbeddingClient::Vector>> parseResponse(const QByteArray &body, qsizetype expected,
                                                            QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"the answer is not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonArray data = doc.object().value(u"data"_s).toArray();
    if (data.size() != expected) {
        *error = u"expected %1 embeddings, got %2"_s.arg(expected).arg(data.size());
        return std::nullopt;
    }
    QList<EmbeddingClient::Vector> out(expected);
    QList<bool> filled(expected, false);
    qsizetype dims = -1;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const QJsonObject item = data.at(i).toObject();
        const qsizetype index = item.contains(u"index"_s) ? item.value(u"index"_s).toInteger(-1) : i;
        const QJsonArray values = item.value(u"embedding"_s).toArray();
        if (index < 0 || index >= expected || filled.at(index)) {
            *error = u"embedding %1 has a bad index"_s.arg(i);
            return std::nullopt;
        }
        if (values.isEmpty() || values.size() > EmbeddingClient::kMaxDimensions ||
            (dims >= 0 && values.size() != dims)) {
            *error = u"embedding %1 has %2 dimensions"_s.arg(i).arg(values.size());
            return std::nullopt;
        }
        dims = values.size();
        EmbeddingClient::Vector v;
        v.reserve(values.size());
        for (const QJsonValue &x : values) {
            if (!x.isDouble()) {
                *error = u"embedding %1 holds a value that is not a number"_s.arg(i);
                return std::nullopt;
            }
            v << static_cast<float>(x.toDouble());
        }
        out[index] = std::move(v);
        filled[index] = true;
    }
    return out;
}

} // namespace

EmbeddingOptions EmbeddingOptions::fromConfig(const AppConfig &config)
{
    if (config.embeddingBaseUrl.isEmpty())
        return {};
    EmbeddingOptions o;
    o.baseUrl = config.embeddingBaseUrl;
    o.model = config.embeddingModel;
    o.apiKey = config.embeddingApiKey;
    o.timeoutMs = config.embeddingTimeoutMs;
    o.dimensions = config.embeddingDimensions;
    QString why; // AppConfig::resolve has checked the proxy and the CA file already
    NetworkOptions::parseProxy(config.proxy, &o.network, &why);
    o.network.extraCaFile = config.caFile;
    return o;
}

EmbeddingClient::EmbeddingClient(EmbeddingOptions options)
    : m_options(std::move(options))
{
    while (m_options.baseUrl.endsWith(QLatin1Char('/')))
        m_options.baseUrl.chop(1);
    m_options.batchSize = std::clamp(m_options.batchSize, 1, 256);
    m_options.timeoutMs = std::max(100, m_options.timeoutMs);
    if (!m_options.apiKey.isEmpty())
        Redact::registerSecret(m_options.apiKey);
}

EmbeddingClient::~EmbeddingClient()
{
    if (!m_thread)
        return;
    QObject *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { delete worker; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

std::optional<QList<EmbeddingClient::Vector>> EmbeddingClient::embed(const QStringList &texts, QString *error)
{
    QList<Vector> all;
    all.reserve(texts.size());
    for (qsizetype i = 0; i < texts.size(); i += m_options.batchSize) {
        QString e;
        auto batch = embedBatch(texts.mid(i, m_options.batchSize), &e);
        if (!batch) {
            if (error)
                *error = e;
            return std::nullopt;
        }
        all += *batch;
    }
    return all;
}

void EmbeddingClient::ensureThread()
{
    if (m_thread)
        return;
    m_thread = new QThread;
    m_thread->setObjectName(u"embeddings"_s);
    m_worker = new QObject;
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

void EmbeddingClient::post(const QStringList &texts, std::function<void(BatchResult)> finished)
{
    QJsonObject body{{u"model"_s, m_options.model},
                     {u"input"_s, QJsonArray::fromStringList(texts)},
                     {u"encoding_format"_s, u"float"_s}};
    if (m_options.dimensions > 0)
        body.insert(u"dimensions"_s, m_options.dimensions);
    const QByteArray payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const QUrl url(m_options.baseUrl + u"/embeddings"_s);
    const EmbeddingOptions options = m_options;
    const qsizetype expected = texts.size();
    QObject *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, finished = std::move(finished), payload, url, options, expected] {
            auto *nam = worker->findChild<QNetworkAccessManager *>();
            if (!nam) {
                nam = new QNetworkAccessManager(worker);
                options.network.apply(nam);
            }
            QNetworkRequest request(url);
            request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            if (!options.apiKey.isEmpty())
                request.setRawHeader("Authorization", "Bearer " + options.apiKey.toUtf8());
            request.setTransferTimeout(options.timeoutMs);
            options.network.apply(&request);
            QNetworkReply *reply = nam->post(request, payload);
            QObject::connect(reply, &QNetworkReply::downloadProgress, worker,
                             [reply](qint64 received, qint64) {
                                 if (received > kMaxAnswerBytes)
                                     reply->abort();
                             });
            QObject::connect(reply, &QNetworkReply::finished, worker, [reply, finished, expected] {
                reply->deleteLater();
                BatchResult result;
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                const QByteArray body = reply->read(kMaxAnswerBytes);
                if (reply->error() != QNetworkReply::NoError && status == 0) {
                    result.error = reply->error() == QNetworkReply::OperationCanceledError
                                       ? u"timed out"_s
                                       : reply->errorString();
                } else if (status != 200) {
                    result.error = u"HTTP %1: %2"_s.arg(status).arg(QString::fromUtf8(body.left(200)));
                } else {
                    result.vectors = parseResponse(body, expected, &result.error);
                }
                if (!result.vectors)
                    result.error = Redact::text(result.error);
                finished(std::move(result));
            });
        },
        Qt::QueuedConnection);
}

std::optional<QList<EmbeddingClient::Vector>> EmbeddingClient::embedBatch(const QStringList &texts,
                                                                          QString *error)
{
    if (!m_options.isEnabled()) {
        *error = u"no embedding endpoint configured"_s;
        return std::nullopt;
    }
    ensureThread();
    auto promise = std::make_shared<std::promise<BatchResult>>();
    std::future<BatchResult> future = promise->get_future();
    post(texts, [promise](BatchResult result) { promise->set_value(std::move(result)); });

    // The transfer timeout aborts the request; the extra second covers queueing on the worker.
    if (future.wait_for(std::chrono::milliseconds(m_options.timeoutMs + 1000)) != std::future_status::ready) {
        *error = u"timed out after %1 ms"_s.arg(m_options.timeoutMs);
        return std::nullopt;
    }
    BatchResult result = future.get();
    if (!result.vectors)
        *error = result.error;
    return result.vectors;
}

// An asynchronous request of several batches, sent one after another.
struct EmbeddingClient::Chain
{
    QList<QStringList> batches;
    QList<Vector> all;
    QObject *context = nullptr;
    Callback done;

    // Queued to the context's thread.
    void report(std::optional<QList<Vector>> vectors, const QString &error)
    {
        QMetaObject::invokeMethod(
            context,
            [done = std::move(done), vectors = std::move(vectors), error]() mutable {
                done(std::move(vectors), error);
            },
            Qt::QueuedConnection);
    }
};

void EmbeddingClient::embedAsync(const QStringList &texts, QObject *context, Callback done)
{
    auto chain = std::make_shared<Chain>();
    chain->context = context;
    chain->done = std::move(done);
    if (texts.isEmpty()) {
        chain->report(QList<Vector>(), QString());
        return;
    }
    if (!m_options.isEnabled()) {
        chain->report(std::nullopt, u"no embedding endpoint configured"_s);
        return;
    }
    for (qsizetype i = 0; i < texts.size(); i += m_options.batchSize)
        chain->batches << texts.mid(i, m_options.batchSize);
    ensureThread();
    postNext(std::move(chain));
}

void EmbeddingClient::postNext(std::shared_ptr<Chain> chain)
{
    // Called on the caller's thread for the first batch and on the worker for the next ones: post()
    // only reads what is fixed once the worker runs.
    const QStringList batch = chain->batches.takeFirst();
    post(batch, [this, chain](BatchResult result) {
        if (!result.vectors) {
            chain->report(std::nullopt, result.error);
            return;
        }
        chain->all += *result.vectors;
        if (chain->batches.isEmpty())
            chain->report(std::move(chain->all), QString());
        else
            postNext(chain);
    });
}

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
#include <QThread>
#include <QUrl>

#include "config/appconfig.h"
#include "logging/redact.h"
#include "logging_p.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// A 10 x 16384-dimension batch is far below this.
constexpr qint64 kMaxAnswerBytes = 64 * 1024 * 1024;

struct BatchResult
{
    std::optional<QList<EmbeddingClient::Vector>> vectors;
    QString error;
};

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

std::optional<QList<EmbeddingClient::Vector>> EmbeddingClient::embedBatch(const QStringList &texts,
                                                                          QString *error)
{
    if (!m_options.isEnabled()) {
        *error = u"no embedding endpoint configured"_s;
        return std::nullopt;
    }
    if (!m_thread) {
        m_thread = new QThread;
        m_thread->setObjectName(u"embeddings"_s);
        m_worker = new QObject;
        m_worker->moveToThread(m_thread);
        m_thread->start();
    }
    QJsonObject body{{u"model"_s, m_options.model},
                     {u"input"_s, QJsonArray::fromStringList(texts)},
                     {u"encoding_format"_s, u"float"_s}};
    if (m_options.dimensions > 0)
        body.insert(u"dimensions"_s, m_options.dimensions);
    const QByteArray payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
    const QUrl url(m_options.baseUrl + u"/embeddings"_s);
    const EmbeddingOptions options = m_options;
    const qsizetype expected = texts.size();

    auto promise = std::make_shared<std::promise<BatchResult>>();
    std::future<BatchResult> future = promise->get_future();
    QObject *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, promise, payload, url, options, expected] {
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
            QObject::connect(reply, &QNetworkReply::finished, worker, [reply, promise, expected] {
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
                promise->set_value(std::move(result));
            });
        },
        Qt::QueuedConnection);

    // The transfer timeout aborts the request; the extra second covers queueing on the worker.
    if (future.wait_for(std::chrono::milliseconds(options.timeoutMs + 1000)) != std::future_status::ready) {
        *error = u"timed out after %1 ms"_s.arg(options.timeoutMs);
        return std::nullopt;
    }
    BatchResult result = future.get();
    if (!result.vectors)
        *error = Redact::text(result.error);
    return result.vectors;
}

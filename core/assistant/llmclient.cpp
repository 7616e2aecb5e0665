#include "assistant/llmclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>

#include "assistant/sseparser.h"
#include "config/appconfig.h"
#include "logging/redact.h"
#include "logging_p.h"
#include "net/backoff.h"

namespace {

constexpr qsizetype kMaxBodyBytes = 8 * 1024 * 1024;

QString snippet(const QByteArray &body)
{
    QString s = QString::fromUtf8(body.left(160)).simplified();
    if (body.size() > 160)
        s += QStringLiteral("...");
    return s;
}

// The human part of an error body: OpenAI {"error":{"message":..}}, {"error":".."}, {"message":..}.
QString errorMessageFromBody(const QByteArray &body)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return body.isEmpty() ? QString() : snippet(body);
    const QJsonObject o = doc.object();
    const QJsonValue err = o.value(QLatin1String("error"));
    if (err.isObject()) {
        const QJsonObject e = err.toObject();
        QString msg = e.value(QLatin1String("message")).toString();
        const QJsonValue code = e.value(QLatin1String("code"));
        const QString codeText = code.isString()   ? code.toString()
                                 : code.isDouble() ? QString::number(code.toInteger())
                                                   : e.value(QLatin1String("type")).toString();
        if (!codeText.isEmpty())
            msg += QStringLiteral(" (") + codeText + QLatin1Char(')');
        return msg;
    }
    if (err.isString())
        return err.toString();
    for (const auto key : {QLatin1String("message"), QLatin1String("msg"), QLatin1String("detail")}) {
        if (o.value(key).isString())
            return o.value(key).toString();
    }
    return snippet(body);
}

int parseRetryAfterMs(QNetworkReply *reply)
{
    bool ok = false;
    const QByteArray ms = reply->rawHeader("retry-after-ms");
    if (!ms.isEmpty()) {
        const int v = ms.trimmed().toInt(&ok);
        if (ok && v >= 0)
            return v;
    }
    const QByteArray s = reply->rawHeader("retry-after");
    if (!s.isEmpty()) {
        const double v = s.trimmed().toDouble(&ok);
        if (ok && v >= 0)
            return int(qMin(v * 1000.0, 3600.0 * 1000.0));
    }
    return -1;
}

QString withDetail(const QString &lead, const QString &detail)
{
    return detail.isEmpty() ? lead : lead + QStringLiteral(": ") + detail;
}

QString describeNetworkError(QNetworkReply *reply)
{
    return QStringLiteral("network error talking to the LLM server (%1): %2")
        .arg(Redact::url(reply->url()), Redact::text(reply->errorString()));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// LlmConfig

bool LlmConfig::parseProvider(const QString &text, Provider *provider)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty() || t == QLatin1String("none"))
        *provider = Provider::None;
    else if (t == QLatin1String("qwen") || t == QLatin1String("dashscope") || t == QLatin1String("tongyi"))
        *provider = Provider::Qwen;
    else if (t == QLatin1String("openai"))
        *provider = Provider::OpenAi;
    else if (t == QLatin1String("deepseek"))
        *provider = Provider::DeepSeek;
    else if (t == QLatin1String("ollama"))
        *provider = Provider::Ollama;
    else if (t == QLatin1String("custom"))
        *provider = Provider::Custom;
    else
        return false;
    return true;
}

QString LlmConfig::providerName(Provider provider)
{
    switch (provider) {
    case Provider::None:
        return QStringLiteral("none");
    case Provider::Qwen:
        return QStringLiteral("qwen");
    case Provider::OpenAi:
        return QStringLiteral("openai");
    case Provider::DeepSeek:
        return QStringLiteral("deepseek");
    case Provider::Ollama:
        return QStringLiteral("ollama");
    case Provider::Custom:
        return QStringLiteral("custom");
    }
    return {};
}

QString LlmConfig::presetBaseUrl(Provider provider)
{
    switch (provider) {
    case Provider::Qwen:
        return QStringLiteral("https://dashscope.aliyuncs.com/compatible-mode/v1");
    case Provider::OpenAi:
        return QStringLiteral("https://api.openai.com/v1");
    case Provider::DeepSeek:
        return QStringLiteral("https://api.deepseek.com/v1");
    case Provider::Ollama:
        return QStringLiteral("http://127.0.0.1:11434/v1");
    case Provider::None:
    case Provider::Custom:
        break;
    }
    return {};
}

QString LlmConfig::presetModel(Provider provider)
{
    switch (provider) {
    case Provider::Qwen:
        return QStringLiteral("qwen-plus");
    case Provider::OpenAi:
        return QStringLiteral("gpt-4o-mini");
    case Provider::DeepSeek:
        return QStringLiteral("deepseek-chat");
    case Provider::Ollama:
        return QStringLiteral("qwen2.5:7b");
    case Provider::None:
    case Provider::Custom:
        break;
    }
    return {};
}

LlmConfig LlmConfig::fromConfig(const AppConfig &config)
{
    LlmConfig c;
    parseProvider(config.llmProvider, &c.provider); // a table choice: always parses
    c.apiKey = config.llmApiKey;
    c.baseUrl = config.llmBaseUrl;
    c.model = config.llmModel;
    c.temperature = config.llmTemperature;
    c.maxTokens = config.llmMaxTokens;
    c.timeoutMs = config.llmTimeoutMs;
    c.retries = config.llmRetries;
    c.stream = config.llmStream;
    return c;
}

QString LlmConfig::effectiveBaseUrl() const
{
    return baseUrl.trimmed().isEmpty() ? presetBaseUrl(provider) : baseUrl.trimmed();
}

QString LlmConfig::effectiveModel() const
{
    return model.trimmed().isEmpty() ? presetModel(provider) : model.trimmed();
}

QUrl LlmConfig::chatCompletionsUrl() const
{
    QString base = effectiveBaseUrl();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    // Accept a full endpoint URL too: people paste it from provider docs.
    if (!base.endsWith(QLatin1String("/chat/completions")))
        base += QStringLiteral("/chat/completions");
    return QUrl(base, QUrl::StrictMode);
}

bool LlmConfig::isConfigured(QString *why) const
{
    auto no = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (provider == Provider::None)
        return no(QStringLiteral("no LLM provider is set (LLM_PROVIDER)"));
    if (effectiveBaseUrl().isEmpty())
        return no(QStringLiteral("the custom LLM provider needs LLM_BASE_URL (the .../v1 base URL)"));
    const QUrl url = chatCompletionsUrl();
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return no(QStringLiteral("LLM_BASE_URL \"%1\" is not a valid http(s) URL")
                      .arg(Redact::url(QUrl(effectiveBaseUrl()))));
    if (effectiveModel().isEmpty())
        return no(QStringLiteral("the custom LLM provider needs LLM_MODEL"));
    if (apiKey.trimmed().isEmpty() && provider != Provider::Ollama)
        return no(QStringLiteral("no API key is set for the %1 LLM provider (LLM_API_KEY)")
                      .arg(providerName(provider)));
    if (why)
        why->clear();
    return true;
}

QString LlmMessage::roleName(Role role)
{
    switch (role) {
    case Role::System:
        return QStringLiteral("system");
    case Role::User:
        return QStringLiteral("user");
    case Role::Assistant:
        return QStringLiteral("assistant");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// LlmClient

namespace {

// Timers may be the sender of the signal being handled: stop now, delete later.
template<typename R> void disposeTimers(R *r)
{
    for (QTimer *t : {r->connectTimer, r->totalTimer, r->retryTimer}) {
        if (t) {
            t->stop();
            t->disconnect();
            t->deleteLater();
        }
    }
}

} // namespace

struct LlmClient::Request
{
    RequestId id = 0;
    QList<LlmMessage> messages;
    LlmRequestOptions options;
    bool stream = true;
    int timeoutMs = 60000;
    int retries = 0;
    Done done;
    Partial partial;
    int attempt = 0;
    QElapsedTimer elapsed;

    // Per attempt.
    QPointer<QNetworkReply> reply;
    QTimer *connectTimer = nullptr;
    QTimer *totalTimer = nullptr;
    QTimer *retryTimer = nullptr;
    bool timedOut = false;
    bool timedOutBeforeHeaders = false;
    bool tooLarge = false;
    bool eventStream = false;
    bool headersSeen = false;
    SseParser sse;
    QByteArray body;
    QString text;
    QString finishReason;
    QString model;
    QString streamError;
    bool sawDone = false;
    bool sawChoices = false;
    int badChunks = 0;
    int promptTokens = -1;
    int completionTokens = -1;

    void resetAttempt()
    {
        timedOut = timedOutBeforeHeaders = tooLarge = eventStream = headersSeen = false;
        sse.reset();
        body.clear();
        text.clear();
        finishReason.clear();
        model.clear();
        streamError.clear();
        sawDone = sawChoices = false;
        badChunks = 0;
        promptTokens = completionTokens = -1;
    }
};

LlmClient::LlmClient(QObject *parent)
    : QObject(parent)
{}

LlmClient::~LlmClient()
{
    const auto ids = m_requests.keys();
    for (RequestId id : ids)
        cancel(id);
}

void LlmClient::setConfig(const LlmConfig &config)
{
    m_config = config;
    if (!config.apiKey.isEmpty())
        Redact::registerSecret(config.apiKey);
    QString why;
    if (config.isConfigured(&why))
        qCInfo(lcLlm).noquote() << "LLM configured: provider" << LlmConfig::providerName(config.provider)
                                << "model" << config.effectiveModel() << "endpoint"
                                << Redact::url(config.chatCompletionsUrl())
                                << (config.stream ? "streaming" : "not streaming");
    else
        qCInfo(lcLlm).noquote() << "LLM not configured:" << why
                                << "- answers come from the knowledge base alone";
}

void LlmClient::setNetworkOptions(const NetworkOptions &options)
{
    m_networkOptions = options;
    m_haveNetworkOptions = true;
    if (m_ownManager)
        m_networkOptions.apply(m_ownManager);
}

void LlmClient::setNetworkAccessManager(QNetworkAccessManager *manager)
{
    m_externalManager = manager;
}

QNetworkAccessManager *LlmClient::manager()
{
    if (m_externalManager)
        return m_externalManager;
    if (!m_ownManager) {
        m_ownManager = new QNetworkAccessManager(this);
        if (m_haveNetworkOptions)
            m_networkOptions.apply(m_ownManager);
    }
    return m_ownManager;
}

LlmClient::RequestId LlmClient::complete(const QList<LlmMessage> &messages, const LlmRequestOptions &options,
                                         Done done, Partial partial)
{
    const RequestId id = m_nextId++;
    QString why;
    if (!m_config.isConfigured(&why)) {
        LlmResult result;
        result.error = LlmResult::Error::NotConfigured;
        result.errorString = why;
        QTimer::singleShot(0, this, [this, id, result, done = std::move(done)] {
            if (done)
                done(result);
            emit finished(id, result);
        });
        return id;
    }
    auto *r = new Request;
    r->id = id;
    r->messages = messages;
    r->options = options;
    r->stream = options.stream.value_or(m_config.stream);
    r->timeoutMs = qMax(1, options.timeoutMs.value_or(m_config.timeoutMs));
    r->retries = qMax(0, options.retries.value_or(m_config.retries));
    r->done = std::move(done);
    r->partial = std::move(partial);
    r->elapsed.start();
    r->connectTimer = new QTimer(this);
    r->connectTimer->setSingleShot(true);
    r->totalTimer = new QTimer(this);
    r->totalTimer->setSingleShot(true);
    r->retryTimer = new QTimer(this);
    r->retryTimer->setSingleShot(true);
    connect(r->connectTimer, &QTimer::timeout, this, [this, id] { onTimeout(id, true); });
    connect(r->totalTimer, &QTimer::timeout, this, [this, id] { onTimeout(id, false); });
    connect(r->retryTimer, &QTimer::timeout, this, [this, id] { startAttempt(id); });
    m_requests.insert(id, r);
    qCDebug(lcLlm).noquote() << "LLM request" << id << ":" << messages.size() << "messages to"
                             << Redact::url(m_config.chatCompletionsUrl()) << "model"
                             << m_config.effectiveModel() << (r->stream ? "(stream)" : "")
                             << (options.jsonMode ? "(json)" : "");
    // Start from the event loop so a caller's state is settled before anything can come back.
    r->retryTimer->start(0);
    return id;
}

void LlmClient::cancel(RequestId id)
{
    Request *r = m_requests.take(id);
    if (!r)
        return;
    if (r->reply) {
        r->reply->disconnect(this);
        r->reply->abort();
        r->reply->deleteLater();
    }
    disposeTimers(r);
    delete r;
}

QByteArray LlmClient::buildBody(const Request &r) const
{
    QJsonArray msgs;
    for (const LlmMessage &m : r.messages)
        msgs.append(QJsonObject{{QStringLiteral("role"), LlmMessage::roleName(m.role)},
                                {QStringLiteral("content"), m.content}});
    QJsonObject body{
        {QStringLiteral("model"), m_config.effectiveModel()},
        {QStringLiteral("messages"), msgs},
        {QStringLiteral("temperature"), r.options.temperature.value_or(m_config.temperature)},
        {QStringLiteral("max_tokens"), r.options.maxTokens.value_or(m_config.maxTokens)},
        {QStringLiteral("stream"), r.stream},
    };
    if (r.options.jsonMode)
        body.insert(QStringLiteral("response_format"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("json_object")}});
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void LlmClient::startAttempt(RequestId id)
{
    Request *r = m_requests.value(id);
    if (!r)
        return;
    ++r->attempt;
    r->resetAttempt();
    const QUrl url = m_config.chatCompletionsUrl();
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setRawHeader("Accept", r->stream ? QByteArrayLiteral("text/event-stream")
                                         : QByteArrayLiteral("application/json"));
    if (!m_config.apiKey.trimmed().isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_config.apiKey.trimmed().toUtf8());
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (m_haveNetworkOptions)
        m_networkOptions.apply(&req);

    QNetworkReply *reply = manager()->post(req, buildBody(*r));
    r->reply = reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, id] {
        if (Request *req = m_requests.value(id)) {
            req->headersSeen = true;
            req->connectTimer->stop();
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, id] { onReadyRead(id); });
    connect(reply, &QNetworkReply::finished, this, [this, id] { onReplyFinished(id); });
    r->connectTimer->start(qMax(1, qMin(m_config.connectTimeoutMs, r->timeoutMs)));
    r->totalTimer->start(r->timeoutMs);
}

void LlmClient::onTimeout(RequestId id, bool connectPhase)
{
    Request *r = m_requests.value(id);
    if (!r || !r->reply)
        return;
    if (connectPhase && r->headersSeen)
        return;
    r->timedOut = true;
    r->timedOutBeforeHeaders = !r->headersSeen;
    r->reply->abort(); // finished() follows and reports the timeout
}

void LlmClient::onReadyRead(RequestId id)
{
    Request *r = m_requests.value(id);
    if (!r || !r->reply)
        return;
    QNetworkReply *reply = r->reply;
    r->headersSeen = true;
    r->connectTimer->stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
    r->eventStream = status >= 200 && status < 300 && contentType.startsWith("text/event-stream");
    const QByteArray data = reply->readAll();
    if (r->eventStream) {
        if (!r->sse.feed(data)) {
            qCWarning(lcLlm).noquote()
                << "LLM request" << id << ": the event stream is malformed:" << r->sse.errorString();
            r->tooLarge = true;
            reply->abort();
            return;
        }
        processStreamEvents(*r);
        return;
    }
    if (r->body.size() + data.size() > kMaxBodyBytes) {
        qCWarning(lcLlm).noquote() << "LLM request" << id << ": response body larger than" << kMaxBodyBytes
                                   << "bytes, giving up";
        r->tooLarge = true;
        reply->abort();
        return;
    }
    r->body += data;
}

void LlmClient::processStreamEvents(Request &r)
{
    const QList<SseEvent> events = r.sse.takeEvents();
    for (const SseEvent &e : events) {
        const QString data = e.data.trimmed();
        if (data == QLatin1String("[DONE]")) {
            r.sawDone = true;
            continue;
        }
        if (data.isEmpty())
            continue;
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(data.toUtf8(), &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            if (++r.badChunks == 1)
                qCWarning(lcLlm).noquote()
                    << "LLM request" << r.id
                    << ": skipping a stream chunk that is not JSON:" << pe.errorString();
            continue;
        }
        const QJsonObject o = doc.object();
        if (o.contains(QLatin1String("error"))) {
            r.streamError = errorMessageFromBody(data.toUtf8());
            continue;
        }
        if (o.value(QLatin1String("model")).isString())
            r.model = o.value(QLatin1String("model")).toString();
        const QJsonObject usage = o.value(QLatin1String("usage")).toObject();
        if (!usage.isEmpty()) {
            r.promptTokens = usage.value(QLatin1String("prompt_tokens")).toInt(-1);
            r.completionTokens = usage.value(QLatin1String("completion_tokens")).toInt(-1);
        }
        const QJsonArray choices = o.value(QLatin1String("choices")).toArray();
        if (choices.isEmpty())
            continue;
        r.sawChoices = true;
        const QJsonObject c0 = choices.first().toObject();
        const QString delta =
            c0.value(QLatin1String("delta")).toObject().value(QLatin1String("content")).toString();
        if (!delta.isEmpty()) {
            r.text += delta;
            const RequestId id = r.id;
            const QString soFar = r.text;
            if (r.partial)
                r.partial(delta, soFar);
            if (!m_requests.contains(id))
                return; // cancelled from the callback
            emit partialText(id, delta, soFar);
            if (!m_requests.contains(id))
                return;
        }
        const QJsonValue fr = c0.value(QLatin1String("finish_reason"));
        if (fr.isString() && !fr.toString().isEmpty())
            r.finishReason = fr.toString();
    }
}

void LlmClient::onReplyFinished(RequestId id)
{
    Request *r = m_requests.value(id);
    if (!r || !r->reply)
        return;
    QNetworkReply *reply = r->reply;
    r->reply = nullptr;
    reply->deleteLater();
    r->connectTimer->stop();
    r->totalTimer->stop();

    // Drain what is left (finished can come without a last readyRead).
    if (!r->timedOut && !r->tooLarge && reply->bytesAvailable() > 0) {
        r->reply = reply;
        onReadyRead(id);
        if (!m_requests.contains(id))
            return;
        r->reply = nullptr;
    }

    LlmResult result;
    result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();

    if (r->timedOut) {
        result.error = LlmResult::Error::Timeout;
        result.text = r->text;
        result.errorString =
            r->timedOutBeforeHeaders
                ? QStringLiteral("the LLM server did not answer within %1 ms")
                      .arg(qMin(m_config.connectTimeoutMs, r->timeoutMs))
                : QStringLiteral("the LLM answer did not complete within %1 ms").arg(r->timeoutMs);
        // Retrying makes sense only when nothing came back at all.
        handleErrorOutcome(id, result, r->timedOutBeforeHeaders, -1);
        return;
    }
    if (r->tooLarge) {
        result.error = LlmResult::Error::InvalidResponse;
        result.text = r->text;
        result.errorString =
            r->eventStream ? QStringLiteral("the LLM event stream is malformed: %1").arg(r->sse.errorString())
                           : QStringLiteral("the LLM response is larger than %1 bytes").arg(kMaxBodyBytes);
        handleErrorOutcome(id, result, false, -1);
        return;
    }
    if (result.httpStatus == 0) { // no HTTP response at all, or the connection broke mid-body
        if (!r->text.isEmpty()) {
            result.error = LlmResult::Error::StreamCut;
            result.text = r->text;
            result.errorString = QStringLiteral("the LLM stream broke off after %1 characters: %2")
                                     .arg(r->text.size())
                                     .arg(Redact::text(reply->errorString()));
            handleErrorOutcome(id, result, false, -1);
        } else {
            result.error = LlmResult::Error::Network;
            result.errorString = describeNetworkError(reply);
            handleErrorOutcome(id, result, true, -1);
        }
        return;
    }
    if (result.httpStatus < 200 || result.httpStatus >= 300) {
        result.error = LlmResult::Error::Http;
        const QString msg = errorMessageFromBody(r->body);
        result.errorString =
            withDetail(QStringLiteral("the LLM server answered HTTP %1").arg(result.httpStatus), msg);
        const bool retryable =
            result.httpStatus >= 500 || result.httpStatus == 429 || result.httpStatus == 408;
        const bool mayHaveRetryAfter = result.httpStatus == 429 || result.httpStatus == 503;
        handleErrorOutcome(id, result, retryable, mayHaveRetryAfter ? parseRetryAfterMs(reply) : -1);
        return;
    }

    if (r->eventStream) {
        if (r->sse.finish())
            qCDebug(lcLlm) << "LLM request" << id
                           << ": dropped an unterminated event at the end of the stream";
        result.text = r->text;
        result.finishReason = r->finishReason;
        result.model = r->model;
        result.promptTokens = r->promptTokens;
        result.completionTokens = r->completionTokens;
        if (!r->streamError.isEmpty()) {
            result.error = LlmResult::Error::InvalidResponse;
            result.errorString =
                QStringLiteral("the LLM server reported an error in the stream: %1").arg(r->streamError);
            handleErrorOutcome(id, result, false, -1);
            return;
        }
        if (!r->sawDone && r->finishReason.isEmpty()) {
            if (r->text.isEmpty()) {
                result.error = LlmResult::Error::Network;
                result.errorString = QStringLiteral("the LLM stream ended before any answer arrived");
                handleErrorOutcome(id, result, true, -1);
            } else {
                result.error = LlmResult::Error::StreamCut;
                result.errorString = QStringLiteral("the LLM stream ended before [DONE] after %1 characters")
                                         .arg(r->text.size());
                handleErrorOutcome(id, result, false, -1);
            }
            return;
        }
        if (r->text.trimmed().isEmpty()) {
            result.error = LlmResult::Error::Empty;
            result.errorString = r->sawChoices ? QStringLiteral("the LLM returned an empty message")
                                               : QStringLiteral("the LLM returned no choices");
            handleErrorOutcome(id, result, false, -1);
            return;
        }
        finish(id, result);
        return;
    }

    // A complete JSON body (also when a server ignores "stream": true).
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(r->body, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        result.error = LlmResult::Error::InvalidResponse;
        result.errorString =
            QStringLiteral("the LLM server answered HTTP %1 with a body that is not JSON (%2): %3")
                .arg(result.httpStatus)
                .arg(pe.error != QJsonParseError::NoError ? pe.errorString()
                                                          : QStringLiteral("not an object"),
                     snippet(r->body));
        handleErrorOutcome(id, result, false, -1);
        return;
    }
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1String("error"))) {
        result.error = LlmResult::Error::Http;
        result.errorString =
            QStringLiteral("the LLM server reported an error: %1").arg(errorMessageFromBody(r->body));
        handleErrorOutcome(id, result, false, -1);
        return;
    }
    result.model = o.value(QLatin1String("model")).toString();
    const QJsonObject usage = o.value(QLatin1String("usage")).toObject();
    result.promptTokens = usage.value(QLatin1String("prompt_tokens")).toInt(-1);
    result.completionTokens = usage.value(QLatin1String("completion_tokens")).toInt(-1);
    const QJsonArray choices = o.value(QLatin1String("choices")).toArray();
    if (choices.isEmpty()) {
        result.error = LlmResult::Error::Empty;
        result.errorString = QStringLiteral("the LLM returned no choices");
        handleErrorOutcome(id, result, false, -1);
        return;
    }
    const QJsonObject c0 = choices.first().toObject();
    result.text = c0.value(QLatin1String("message")).toObject().value(QLatin1String("content")).toString();
    result.finishReason = c0.value(QLatin1String("finish_reason")).toString();
    if (result.text.trimmed().isEmpty()) {
        result.error = LlmResult::Error::Empty;
        result.errorString = QStringLiteral("the LLM returned an empty message");
        handleErrorOutcome(id, result, false, -1);
        return;
    }
    finish(id, result);
}

void LlmClient::handleErrorOutcome(RequestId id, LlmResult result, bool retryable, int retryAfterMs)
{
    Request *r = m_requests.value(id);
    if (!r)
        return;
    if (retryable && r->attempt <= r->retries) {
        int delay = int(Backoff{m_config.retryDelayMs, m_config.maxRetryDelayMs}.delayMs(r->attempt));
        if (retryAfterMs >= 0)
            delay = qMin(retryAfterMs, m_config.maxRetryDelayMs);
        else if (delay > 0) // a little jitter so several consoles do not retry in lockstep
            delay += int(QRandomGenerator::global()->bounded(qMax(1, delay / 5)));
        qCWarning(lcLlm).noquote() << "LLM request" << id << "attempt" << r->attempt
                                   << "failed:" << result.errorString << "- retrying in" << delay << "ms";
        emit retryScheduled(id, r->attempt, delay);
        if (m_requests.contains(id))
            r->retryTimer->start(delay);
        return;
    }
    finish(id, result);
}

void LlmClient::finish(RequestId id, LlmResult result)
{
    Request *r = m_requests.take(id);
    if (!r)
        return;
    result.attempts = r->attempt;
    result.elapsedMs = int(r->elapsed.elapsed());
    if (result.ok())
        qCInfo(lcLlm).noquote() << "LLM request" << id << "answered in" << r->elapsed.elapsed() << "ms,"
                                << result.text.size() << "characters," << r->attempt
                                << (r->attempt == 1 ? "attempt" : "attempts")
                                << (result.finishReason.isEmpty()
                                        ? QString()
                                        : QString(QStringLiteral("(finish: ") + result.finishReason +
                                                  QLatin1Char(')')));
    else
        qCWarning(lcLlm).noquote() << "LLM request" << id << "failed after" << r->attempt
                                   << (r->attempt == 1 ? "attempt" : "attempts") << "and"
                                   << r->elapsed.elapsed() << "ms:" << result.errorString;
    Done done = std::move(r->done);
    disposeTimers(r);
    delete r;
    QPointer<LlmClient> self(this);
    if (done)
        done(result);
    if (self)
        emit finished(id, result);
}

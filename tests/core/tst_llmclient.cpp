#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "assistant/llmclient.h"
#include "config/appconfig.h"
#include "logging/redact.h"
#include "sandbox/llmstandin.h"

namespace {

const QString kKey = QStringLiteral("sk-test-9f8e7d6c5b4a3210");

QMutex g_logMutex;
QStringList g_logLines;

void captureHandler(QtMsgType, const QMessageLogContext &ctx, const QString &msg)
{
    QMutexLocker lock(&g_logMutex);
    g_logLines << QString::fromLatin1(ctx.category ? ctx.category : "default") + QStringLiteral(": ") + msg;
}

} // namespace

class TestLlmClient final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void providerPresets_data();
    void providerPresets();
    void isConfiguredRules();
    void fromConfigReadsEveryKey();
    void endpointUrl();

    void jsonCompletion();
    void streamingCompletion();
    void jsonModeSendsResponseFormat();
    void retriesOn500ThenSucceeds();
    void gives500AfterRetriesWithServerMessage();
    void retriesOn429();
    void doesNotRetry4xx();
    void timeoutWhenServerNeverAnswers();
    void timeoutBeforeHeadersIsRetried();
    void bodyThatIsNotJson();
    void cutStreamKeepsPartialText();
    void cutNonStreamBody();
    void emptyChoices_data();
    void emptyChoices();
    void networkErrorRetriedThenReported();
    void notConfiguredAnswersAsynchronously();
    void cancelSuppressesCallback();
    void explicitProxyIsUsed();
    void externalManagerIsUsed();
    void apiKeySentAsBearerAndNeverLogged();

private:
    LlmConfig config(bool stream = false) const;
    LlmResult run(LlmClient &client, const LlmRequestOptions &options = {}, QStringList *deltas = nullptr,
                  const QList<LlmMessage> &messages = {});

    LlmStandIn *m_standIn = nullptr;
};

static QList<LlmMessage> sampleMessages()
{
    return {{LlmMessage::Role::System,
             QStringLiteral("你是客服助手。\n参考工单：\n[KB-0007] 标题：远程解锁失败\n解决方案：\n"
                            "1. 唤醒车辆后重试\n2. 检查车辆网络\n")},
            {LlmMessage::Role::User, QStringLiteral("远程解锁一直失败怎么办")}};
}

void TestLlmClient::init()
{
    m_standIn = new LlmStandIn(this);
    QVERIFY(m_standIn->start());
}

void TestLlmClient::cleanup()
{
    delete m_standIn;
    m_standIn = nullptr;
}

LlmConfig TestLlmClient::config(bool stream) const
{
    LlmConfig c;
    c.provider = LlmConfig::Provider::Custom;
    c.baseUrl = m_standIn->baseUrl();
    c.model = QStringLiteral("test-model");
    c.apiKey = kKey;
    c.stream = stream;
    c.retries = 2;
    c.retryDelayMs = 10;
    c.maxRetryDelayMs = 50;
    c.connectTimeoutMs = 5000;
    c.timeoutMs = 10000;
    return c;
}

LlmResult TestLlmClient::run(LlmClient &client, const LlmRequestOptions &options, QStringList *deltas,
                             const QList<LlmMessage> &messages)
{
    LlmResult out;
    bool done = false;
    int calls = 0;
    client.complete(
        messages.isEmpty() ? sampleMessages() : messages, options,
        [&](const LlmResult &r) {
            out = r;
            done = true;
            ++calls;
        },
        [&](const QString &delta, const QString &) {
            if (deltas)
                deltas->append(delta);
        });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qWarning("the LLM request did not finish");
    QTest::qWait(0);
    if (calls != 1)
        qWarning("done was called %d times", calls);
    return out;
}

void TestLlmClient::providerPresets_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("model");
    QTest::newRow("qwen") << "qwen"
                          << "https://dashscope.aliyuncs.com/compatible-mode/v1"
                          << "qwen-plus";
    QTest::newRow("openai") << "OpenAI"
                            << "https://api.openai.com/v1"
                            << "gpt-4o-mini";
    QTest::newRow("deepseek") << "deepseek"
                              << "https://api.deepseek.com/v1"
                              << "deepseek-chat";
    QTest::newRow("ollama") << "ollama"
                            << "http://127.0.0.1:11434/v1"
                            << "qwen2.5:7b";
}

void TestLlmClient::providerPresets()
{
    QFETCH(QString, name);
    QFETCH(QString, base);
    QFETCH(QString, model);
    LlmConfig c;
    QVERIFY(LlmConfig::parseProvider(name, &c.provider));
    QCOMPARE(c.effectiveBaseUrl(), base);
    QCOMPARE(c.effectiveModel(), model);
    QCOMPARE(c.chatCompletionsUrl().toString(), base + QStringLiteral("/chat/completions"));
    QCOMPARE(LlmConfig::providerName(c.provider), name.toLower());
}

void TestLlmClient::isConfiguredRules()
{
    LlmConfig c;
    QString why;
    QVERIFY(!c.isConfigured(&why));
    QVERIFY(why.contains(QLatin1String("LLM_PROVIDER")));

    c.provider = LlmConfig::Provider::Qwen;
    QVERIFY(!c.isConfigured(&why));
    QVERIFY(why.contains(QLatin1String("LLM_API_KEY")));
    c.apiKey = QStringLiteral("sk-x1234");
    QVERIFY(c.isConfigured(&why));
    QVERIFY(why.isEmpty());

    c = {};
    c.provider = LlmConfig::Provider::Ollama; // no key needed
    QVERIFY(c.isConfigured());

    c = {};
    c.provider = LlmConfig::Provider::Custom;
    c.apiKey = QStringLiteral("sk-x1234");
    QVERIFY(!c.isConfigured(&why));
    QVERIFY(why.contains(QLatin1String("LLM_BASE_URL")));
    c.baseUrl = QStringLiteral("ftp://example.com/v1");
    QVERIFY(!c.isConfigured(&why));
    QVERIFY(why.contains(QLatin1String("not a valid http(s) URL")));
    c.baseUrl = QStringLiteral("not a url");
    QVERIFY(!c.isConfigured());
    c.baseUrl = QStringLiteral("http://10.0.0.5:8000/v1");
    QVERIFY(!c.isConfigured(&why));
    QVERIFY(why.contains(QLatin1String("LLM_MODEL")));
    c.model = QStringLiteral("my-model");
    QVERIFY(c.isConfigured());
}

void TestLlmClient::fromConfigReadsEveryKey()
{
    AppConfig::Inputs in;
    in.environment = QProcessEnvironment();
    in.dataDir = QDir::tempPath();
    in.commandLine = {{QStringLiteral("LLM_PROVIDER"), QStringLiteral("DeepSeek")},
                      {QStringLiteral("LLM_API_KEY"), QStringLiteral(" sk-abc123 ")},
                      {QStringLiteral("LLM_MODEL"), QStringLiteral("deepseek-reasoner")},
                      {QStringLiteral("LLM_TIMEOUT_MS"), QStringLiteral("2500")},
                      {QStringLiteral("LLM_STREAM"), QStringLiteral("off")},
                      {QStringLiteral("LLM_TEMPERATURE"), QStringLiteral("1.25")},
                      {QStringLiteral("LLM_MAX_TOKENS"), QStringLiteral("77")},
                      {QStringLiteral("LLM_RETRIES"), QStringLiteral("many")}};
    AppConfig config;
    QString error;
    QVERIFY2(AppConfig::resolve(in, &config, &error), qPrintable(error));
    const LlmConfig c = LlmConfig::fromConfig(config);
    QCOMPARE(c.provider, LlmConfig::Provider::DeepSeek);
    QCOMPARE(c.apiKey, QStringLiteral("sk-abc123"));
    QCOMPARE(c.effectiveModel(), QStringLiteral("deepseek-reasoner"));
    QCOMPARE(c.effectiveBaseUrl(), QStringLiteral("https://api.deepseek.com/v1"));
    QCOMPARE(c.timeoutMs, 2500);
    QCOMPARE(c.stream, false);
    QCOMPARE(c.temperature, 1.25);
    QCOMPARE(c.maxTokens, 77);
    QCOMPARE(c.retries, LlmConfig().retries); // "many" is not a number: the default, with a warning
    QCOMPARE(config.warnings.size(), 1);
    QVERIFY(config.warnings.first().contains(QLatin1String("LLM_RETRIES")));

    in.commandLine = {{QStringLiteral("LLM_PROVIDER"), QStringLiteral("gemini")}};
    QVERIFY(!AppConfig::resolve(in, &config, &error));
    QVERIFY(error.contains(QLatin1String("LLM_PROVIDER")));
}

void TestLlmClient::endpointUrl()
{
    LlmConfig c;
    c.provider = LlmConfig::Provider::Custom;
    c.baseUrl = QStringLiteral("http://host:8000/v1/");
    QCOMPARE(c.chatCompletionsUrl().toString(), QStringLiteral("http://host:8000/v1/chat/completions"));
    c.baseUrl = QStringLiteral("http://host:8000/v1/chat/completions");
    QCOMPARE(c.chatCompletionsUrl().toString(), QStringLiteral("http://host:8000/v1/chat/completions"));
}

void TestLlmClient::jsonCompletion()
{
    LlmClient client;
    client.setConfig(config(false));
    const LlmResult r = run(client);
    QVERIFY2(r.ok(), qPrintable(r.errorString));
    QCOMPARE(r.attempts, 1);
    QCOMPARE(r.httpStatus, 200);
    QCOMPARE(r.model, QStringLiteral("standin-1"));
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QVERIFY(r.promptTokens > 0);
    // The stand-in answered from the cited ticket's steps.
    QCOMPARE(r.text, LlmStandIn::replyFor(m_standIn->lastRequest()));
    QVERIFY(r.text.contains(QStringLiteral("1. 唤醒车辆后重试")));

    const QJsonObject req = m_standIn->lastRequest();
    QCOMPARE(req.value(QLatin1String("model")).toString(), QStringLiteral("test-model"));
    QCOMPARE(req.value(QLatin1String("stream")).toBool(true), false);
    QCOMPARE(req.value(QLatin1String("max_tokens")).toInt(), LlmConfig().maxTokens);
    QVERIFY(qAbs(req.value(QLatin1String("temperature")).toDouble() - 0.3) < 1e-9);
    QVERIFY(!req.contains(QLatin1String("response_format")));
    const QJsonArray msgs = req.value(QLatin1String("messages")).toArray();
    QCOMPARE(msgs.size(), 2);
    QCOMPARE(msgs[0].toObject().value(QLatin1String("role")).toString(), QStringLiteral("system"));
    QCOMPARE(msgs[1].toObject().value(QLatin1String("role")).toString(), QStringLiteral("user"));
    QCOMPARE(msgs[1].toObject().value(QLatin1String("content")).toString(),
             QStringLiteral("远程解锁一直失败怎么办"));
}

void TestLlmClient::streamingCompletion()
{
    LlmClient client;
    client.setConfig(config(true));
    QSignalSpy partialSpy(&client, &LlmClient::partialText);
    QSignalSpy finishedSpy(&client, &LlmClient::finished);
    QStringList deltas;
    const LlmResult r = run(client, {}, &deltas);
    QVERIFY2(r.ok(), qPrintable(r.errorString));
    QVERIFY(m_standIn->lastRequest().value(QLatin1String("stream")).toBool());
    const QString expected = LlmStandIn::replyFor(m_standIn->lastRequest());
    QCOMPARE(r.text, expected);
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QVERIFY(deltas.size() > 3);
    QCOMPARE(deltas.join(QString()), expected);
    QCOMPARE(partialSpy.size(), deltas.size());
    QCOMPARE(partialSpy.last().at(2).toString(), expected);
    QCOMPARE(finishedSpy.size(), 1);
}

void TestLlmClient::jsonModeSendsResponseFormat()
{
    LlmClient client;
    client.setConfig(config(false));
    LlmRequestOptions o;
    o.jsonMode = true;
    o.temperature = 0.0;
    o.maxTokens = 300;
    const LlmResult r =
        run(client, o, nullptr,
            {{LlmMessage::Role::User, QStringLiteral("客户：车机没网了，VIN LSVAB2BJ0N2000001")}});
    QVERIFY2(r.ok(), qPrintable(r.errorString));
    const QJsonObject req = m_standIn->lastRequest();
    QCOMPARE(req.value(QLatin1String("response_format")).toObject().value(QLatin1String("type")).toString(),
             QStringLiteral("json_object"));
    QCOMPARE(req.value(QLatin1String("max_tokens")).toInt(), 300);
    QCOMPARE(req.value(QLatin1String("temperature")).toDouble(-1), 0.0);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(r.text.toUtf8(), &pe);
    QCOMPARE(pe.error, QJsonParseError::NoError);
    QCOMPARE(doc.object().value(QLatin1String("category")).toString(), QStringLiteral("车机联网/4G信号"));
}

void TestLlmClient::retriesOn500ThenSucceeds()
{
    LlmClient client;
    client.setConfig(config(true));
    QSignalSpy retrySpy(&client, &LlmClient::retryScheduled);
    m_standIn->setFault(LlmStandIn::Fault::Http500, 2);
    const LlmResult r = run(client);
    QVERIFY2(r.ok(), qPrintable(r.errorString));
    QCOMPARE(r.attempts, 3);
    QCOMPARE(m_standIn->requestCount(), 3);
    QCOMPARE(retrySpy.size(), 2);
    QCOMPARE(retrySpy.at(0).at(1).toInt(), 1);
    QCOMPARE(retrySpy.at(1).at(1).toInt(), 2);
    QVERIFY(!r.text.isEmpty());
}

void TestLlmClient::gives500AfterRetriesWithServerMessage()
{
    LlmClient client;
    LlmConfig c = config(false);
    c.retries = 1;
    client.setConfig(c);
    m_standIn->setFault(LlmStandIn::Fault::Http500);
    const LlmResult r = run(client);
    QCOMPARE(r.error, LlmResult::Error::Http);
    QCOMPARE(r.httpStatus, 500);
    QCOMPARE(r.attempts, 2);
    QCOMPARE(m_standIn->requestCount(), 2);
    QVERIFY2(r.errorString.contains(QLatin1String("HTTP 500")), qPrintable(r.errorString));
    QVERIFY2(r.errorString.contains(QLatin1String("The server had an error")), qPrintable(r.errorString));
}

void TestLlmClient::retriesOn429()
{
    LlmClient client;
    client.setConfig(config(false));
    m_standIn->setFault(LlmStandIn::Fault::Http429, 1);
    const LlmResult r = run(client);
    QVERIFY2(r.ok(), qPrintable(r.errorString));
    QCOMPARE(r.attempts, 2);
}

void TestLlmClient::doesNotRetry4xx()
{
    LlmClient client;
    client.setConfig(config(false));
    m_standIn->setRequiredApiKey(QStringLiteral("sk-a-different-key"));
    const LlmResult r = run(client);
    QCOMPARE(r.error, LlmResult::Error::Http);
    QCOMPARE(r.httpStatus, 401);
    QCOMPARE(r.attempts, 1);
    QCOMPARE(m_standIn->requestCount(), 1);
    QVERIFY2(r.errorString.contains(QLatin1String("Incorrect API key provided")), qPrintable(r.errorString));
    QVERIFY2(r.errorString.contains(QLatin1String("invalid_api_key")), qPrintable(r.errorString));
}

void TestLlmClient::timeoutWhenServerNeverAnswers()
{
    LlmClient client;
    LlmConfig c = config(true);
    c.retries = 0;
    c.connectTimeoutMs = 200;
    c.timeoutMs = 400;
    client.setConfig(c);
    m_standIn->setFault(LlmStandIn::Fault::NoAnswer);
    const LlmResult r = run(client);
    QCOMPARE(r.error, LlmResult::Error::Timeout);
    QVERIFY2(r.errorString.contains(QLatin1String("did not answer within 200 ms")),
             qPrintable(r.errorString));
    QCOMPARE(r.attempts, 1);
    QCOMPARE(client.pendingCount(), 0);
}

void TestLlmClient::timeoutBeforeHeadersIsRetried()
{
    LlmClient client;
    LlmConfig c = config(false);
    c.retries = 1;
    c.connectTimeoutMs = 150;
    client.setConfig(c);
    m_standIn->setFault(LlmStandIn::Fault::NoAnswer, 1);
    const LlmResult r = run(client);
    QVERIFY2(r.ok(), qPrintable(r.errorString));
    QCOMPARE(r.attempts, 2);
    QCOMPARE(m_standIn->requestCount(), 2);
}

void TestLlmClient::bodyThatIsNotJson()
{
    LlmClient client;
    client.setConfig(config(false));
    m_standIn->setFault(LlmStandIn::Fault::NotJson);
    const LlmResult r = run(client);
    QCOMPARE(r.error, LlmResult::Error::InvalidResponse);
    QVERIFY2(r.errorString.contains(QLatin1String("not JSON")), qPrintable(r.errorString));
    QVERIFY(r.errorString.contains(QLatin1String("502 Bad Gateway")));
    QCOMPARE(r.attempts, 1); // a 200 that is not JSON is not retried

    // Asked for a stream, the same HTML page is reported the same way.
    client.setConfig(config(true));
    const LlmResult s = run(client);
    QCOMPARE(s.error, LlmResult::Error::InvalidResponse);
}

void TestLlmClient::cutStreamKeepsPartialText()
{
    LlmClient client;
    client.setConfig(config(true));
    m_standIn->setFault(LlmStandIn::Fault::CutStream);
    QStringList deltas;
    const LlmResult r = run(client, {}, &deltas);
    QCOMPARE(r.error, LlmResult::Error::StreamCut);
    QVERIFY(!r.text.isEmpty());
    const QString full = LlmStandIn::replyFor(m_standIn->lastRequest());
    QVERIFY(full.startsWith(r.text));
    QVERIFY(r.text.size() < full.size());
    QCOMPARE(deltas.join(QString()), r.text);
    QVERIFY2(r.errorString.contains(QLatin1String("[DONE]")), qPrintable(r.errorString));
    QCOMPARE(m_standIn->requestCount(), 1); // text already went out: never retried
}

void TestLlmClient::cutNonStreamBody()
{
    LlmClient client;
    client.setConfig(config(false));
    m_standIn->setFault(LlmStandIn::Fault::CutStream);
    const LlmResult r = run(client);
    QCOMPARE(r.error, LlmResult::Error::InvalidResponse);
}

void TestLlmClient::emptyChoices_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestLlmClient::emptyChoices()
{
    QFETCH(bool, stream);
    LlmClient client;
    client.setConfig(config(stream));
    m_standIn->setFault(LlmStandIn::Fault::EmptyChoices);
    const LlmResult r = run(client);
    QCOMPARE(r.error, LlmResult::Error::Empty);
    QVERIFY2(r.errorString.contains(QLatin1String("no choices")), qPrintable(r.errorString));
    QCOMPARE(r.attempts, 1);
}

void TestLlmClient::networkErrorRetriedThenReported()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 deadPort = probe.serverPort();
    probe.close();
    LlmClient client;
    LlmConfig c = config(false);
    c.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(deadPort);
    c.retries = 1;
    client.setConfig(c);
    QSignalSpy retrySpy(&client, &LlmClient::retryScheduled);
    const LlmResult r = run(client);
    QCOMPARE(r.error, LlmResult::Error::Network);
    QCOMPARE(r.attempts, 2);
    QCOMPARE(retrySpy.size(), 1);
    QVERIFY2(r.errorString.contains(QLatin1String("network error")), qPrintable(r.errorString));
}

void TestLlmClient::notConfiguredAnswersAsynchronously()
{
    LlmClient client;
    bool called = false;
    LlmResult got;
    client.complete(sampleMessages(), {}, [&](const LlmResult &r) {
        called = true;
        got = r;
    });
    QVERIFY(!called); // never from inside complete()
    QTRY_VERIFY(called);
    QCOMPARE(got.error, LlmResult::Error::NotConfigured);
    QVERIFY(got.errorString.contains(QLatin1String("LLM_PROVIDER")));
    QCOMPARE(m_standIn->requestCount(), 0);
}

void TestLlmClient::cancelSuppressesCallback()
{
    LlmClient client;
    client.setConfig(config(false));
    m_standIn->setFault(LlmStandIn::Fault::NoAnswer);
    bool called = false;
    const auto id = client.complete(sampleMessages(), {}, [&](const LlmResult &) { called = true; });
    QTRY_COMPARE(m_standIn->requestCount(), 1);
    QCOMPARE(client.pendingCount(), 1);
    client.cancel(id);
    QCOMPARE(client.pendingCount(), 0);
    QTest::qWait(50);
    QVERIFY(!called);
}

void TestLlmClient::explicitProxyIsUsed()
{
    // A proxy that refuses connections: the request must fail, which shows the proxy is used.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 deadPort = probe.serverPort();
    probe.close();
    NetworkOptions opts;
    QString err;
    QVERIFY(NetworkOptions::parseProxy(QStringLiteral("http://127.0.0.1:%1").arg(deadPort), &opts, &err));
    LlmClient client;
    LlmConfig c = config(false);
    c.retries = 0;
    client.setConfig(c);
    client.setNetworkOptions(opts);
    const LlmResult viaProxy = run(client);
    QCOMPARE(viaProxy.error, LlmResult::Error::Network);
    QCOMPARE(m_standIn->requestCount(), 0);

    QVERIFY(NetworkOptions::parseProxy(QStringLiteral("none"), &opts, &err));
    client.setNetworkOptions(opts);
    const LlmResult direct = run(client);
    QVERIFY2(direct.ok(), qPrintable(direct.errorString));
    QCOMPARE(m_standIn->requestCount(), 1);
}

void TestLlmClient::externalManagerIsUsed()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 deadPort = probe.serverPort();
    probe.close();
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), deadPort));
    LlmClient client;
    LlmConfig c = config(false);
    c.retries = 0;
    client.setConfig(c);
    client.setNetworkAccessManager(&nam);
    QCOMPARE(run(client).error, LlmResult::Error::Network);
    nam.setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    QVERIFY(run(client).ok());
}

void TestLlmClient::apiKeySentAsBearerAndNeverLogged()
{
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*.debug=true"));
    {
        QMutexLocker lock(&g_logMutex);
        g_logLines.clear();
    }
    const QtMessageHandler previous = qInstallMessageHandler(captureHandler);
    {
        LlmClient client;
        client.setConfig(config(true));
        QVERIFY(run(client).ok());
        QCOMPARE(m_standIn->lastAuthorization(), QByteArray("Bearer " + kKey.toUtf8()));

        m_standIn->setRequiredApiKey(QStringLiteral("sk-another-key-000"));
        QCOMPARE(run(client).httpStatus, 401);
        m_standIn->setRequiredApiKey({});
        m_standIn->setFault(LlmStandIn::Fault::Http500, 1);
        QVERIFY(run(client).ok());
    }
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*.debug=false"));

    QMutexLocker lock(&g_logMutex);
    QVERIFY2(g_logLines.size() >= 4, qPrintable(g_logLines.join(QLatin1Char('\n'))));
    for (const QString &line : std::as_const(g_logLines))
        QVERIFY2(!line.contains(kKey), qPrintable(line));
    // And the key is registered, so even a line that quoted it would reach the sinks masked.
    QVERIFY(!Redact::text(QStringLiteral("key=") + kKey).contains(kKey));
}

QTEST_GUILESS_MAIN(TestLlmClient)
#include "tst_llmclient.moc"

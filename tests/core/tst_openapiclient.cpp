#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "feishu/openapiclient.h"
#include "logging/redact.h"
#include "sandbox/feishusandbox.h"

namespace {

QString textContent(const QString &text)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("text"), text}}).toJson(QJsonDocument::Compact));
}

} // namespace

class TestOpenApiClient final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void domainIsTrimmed();
    void tokenIsCachedAcrossCalls();
    void concurrentCallersShareOneFetch();
    void tokenRefreshedBeforeExpiry();
    void invalidTokenRefetchedAndRetriedOnce();
    void invalidTokenTwiceIsReported();
    void rateLimitWaitsForReset();
    void rateLimitWaitIsCapped();
    void serverErrorRetriedOnlyWithUuid();
    void dropConnectionDeliveredExactlyOnce();
    void timeoutRetriedWithUuid();
    void nonZeroCodeSurfaced();
    void sendMessageWithReceiveIdType();
    void botInfo();
    void wrongSecretIsTerminal();
    void unreachableServerIsRetryable();

private:
    OpenApiClient::Options options() const;
    SendResult reply(OpenApiClient &client, const QString &text, const QString &uuid);

    FeishuSandbox *m_sandbox = nullptr;
    OpenApiClient *m_client = nullptr;
    QString m_target;
};

OpenApiClient::Options TestOpenApiClient::options() const
{
    OpenApiClient::Options o;
    o.domain = m_sandbox->baseUrl().toString() + QStringLiteral("//");
    o.appId = m_sandbox->options().appId;
    o.appSecret = m_sandbox->options().appSecret;
    o.network.proxyMode = NetworkOptions::ProxyMode::None;
    o.timeoutMs = 3000;
    o.retryBaseMs = 10;
    o.maxRetries = 3;
    return o;
}

void TestOpenApiClient::init()
{
    m_sandbox = new FeishuSandbox(FeishuSandbox::Options{}, this);
    QVERIFY(m_sandbox->start());
    m_client = new OpenApiClient(options(), this);
    m_target = QStringLiteral("om_0123456789abcdef0123456789abcdef");
}

void TestOpenApiClient::cleanup()
{
    delete m_client;
    m_client = nullptr;
    delete m_sandbox;
    m_sandbox = nullptr;
}

SendResult TestOpenApiClient::reply(OpenApiClient &client, const QString &text, const QString &uuid)
{
    SendResult out;
    bool done = false;
    client.replyMessage(m_target, QStringLiteral("text"), textContent(text), uuid, [&](const SendResult &r) {
        out = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        out.message = QStringLiteral("test: no answer within 20 s");
    return out;
}

void TestOpenApiClient::domainIsTrimmed()
{
    QCOMPARE(m_client->domain(), m_sandbox->baseUrl().toString());
    QVERIFY(!m_client->domain().endsWith(u'/'));
    const SendResult r = reply(*m_client, QStringLiteral("hi"), QString());
    QVERIFY2(r.ok, qPrintable(r.message));
}

void TestOpenApiClient::tokenIsCachedAcrossCalls()
{
    for (int i = 0; i < 5; ++i) {
        const SendResult r = reply(*m_client, QStringLiteral("msg %1").arg(i), QStringLiteral("u-%1").arg(i));
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(r.sentMessageId.startsWith(QLatin1String("om_")));
        QCOMPARE(r.code, 0);
    }
    QCOMPARE(m_sandbox->tokenRequests(), 1);
    QCOMPARE(m_client->counters().tokenFetches, 1);
    QCOMPARE(m_client->counters().succeeded, 6); // the token fetch and five replies
    QCOMPARE(m_sandbox->sentMessages().size(), 5);
    QCOMPARE(m_sandbox->sentMessages().at(3).text, QStringLiteral("msg 3"));
    QCOMPARE(m_sandbox->sentMessages().at(3).uuid, QStringLiteral("u-3"));
    QVERIFY(m_client->hasValidToken());
}

void TestOpenApiClient::concurrentCallersShareOneFetch()
{
    int done = 0, ok = 0;
    for (int i = 0; i < 10; ++i) {
        m_client->replyMessage(m_target, QStringLiteral("text"), textContent(QString::number(i)), QString(),
                               [&](const SendResult &r) {
                                   ++done;
                                   ok += r.ok;
                               });
    }
    bool botOk = false;
    m_client->fetchBotInfo([&](bool okay, const QString &, const QString &, const QString &) {
        botOk = okay;
        ++done;
    });
    QTRY_COMPARE_WITH_TIMEOUT(done, 11, 10000);
    QCOMPARE(ok, 10);
    QVERIFY(botOk);
    QCOMPARE(m_sandbox->tokenRequests(), 1);
    QCOMPARE(m_sandbox->sentMessages().size(), 10);
}

void TestOpenApiClient::tokenRefreshedBeforeExpiry()
{
    m_sandbox->setTokenExpireSeconds(2);
    OpenApiClient::Options o = options();
    o.tokenRefreshMarginMs = 1000;
    OpenApiClient client(o);
    QSignalSpy refreshed(&client, &OpenApiClient::tokenRefreshed);
    QVERIFY(reply(client, QStringLiteral("a"), QString()).ok);
    QCOMPARE(m_sandbox->tokenRequests(), 1);
    QVERIFY(client.hasValidToken());
    // After the refresh point (1 s) but before the token expires (2 s) a call fetches a new one
    // first, so the server never sees the old token refused.
    QTRY_VERIFY_WITH_TIMEOUT(!client.hasValidToken(), 5000);
    QVERIFY(reply(client, QStringLiteral("b"), QString()).ok);
    QCOMPARE(m_sandbox->tokenRequests(), 2);
    QCOMPARE(refreshed.size(), 2);
    QCOMPARE(client.counters().tokenInvalidations, 0);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);
}

void TestOpenApiClient::invalidTokenRefetchedAndRetriedOnce()
{
    QVERIFY(reply(*m_client, QStringLiteral("warm-up"), QString()).ok);
    m_sandbox->injectFault(FeishuSandbox::Fault::InvalidToken);
    SendResult r = reply(*m_client, QStringLiteral("after invalid"), QString());
    QVERIFY2(r.ok, qPrintable(r.message));
    QCOMPARE(m_sandbox->tokenRequests(), 2);
    QCOMPARE(m_client->counters().tokenInvalidations, 1);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);

    // Tokens revoked server-side: every waiting caller shares one refetch.
    m_sandbox->revokeTokens();
    int done = 0, ok = 0;
    for (int i = 0; i < 4; ++i) {
        m_client->replyMessage(m_target, QStringLiteral("text"), textContent(QStringLiteral("r%1").arg(i)),
                               QStringLiteral("rv-%1").arg(i), [&](const SendResult &res) {
                                   ++done;
                                   ok += res.ok;
                               });
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 4, 10000);
    QCOMPARE(ok, 4);
    QCOMPARE(m_sandbox->tokenRequests(), 3);
    QCOMPARE(m_sandbox->sentMessages().size(), 6);
}

void TestOpenApiClient::invalidTokenTwiceIsReported()
{
    m_sandbox->injectFault(FeishuSandbox::Fault::InvalidToken, 2);
    const SendResult r = reply(*m_client, QStringLiteral("x"), QStringLiteral("u-x"));
    QVERIFY(!r.ok);
    QCOMPARE(r.code, 99991663);
    QVERIFY(!r.message.isEmpty());
    QVERIFY(r.retryable); // the outbox tries again later; a refused token is not the reply's fault
    QCOMPARE(m_sandbox->tokenRequests(), 2); // one refetch, one retry, no loop
    QCOMPARE(m_sandbox->sentMessages().size(), 0);
}

void TestOpenApiClient::rateLimitWaitsForReset()
{
    QSignalSpy retry(m_client, &OpenApiClient::retryScheduled);
    m_sandbox->setRateLimitResetSeconds(1);
    m_sandbox->injectFault(FeishuSandbox::Fault::RateLimit);
    const SendResult r = reply(*m_client, QStringLiteral("limited"), QString()); // safe without uuid
    QVERIFY2(r.ok, qPrintable(r.message));
    QCOMPARE(retry.size(), 1);
    QCOMPARE(retry.first().at(0).toString(), QStringLiteral("reply"));
    QCOMPARE(retry.first().at(2).toInt(), 1000); // x-ogw-ratelimit-reset: 1
    QCOMPARE(m_client->counters().rateLimited, 1);
    QCOMPARE(m_sandbox->sentMessages().size(), 1);
}

void TestOpenApiClient::rateLimitWaitIsCapped()
{
    OpenApiClient::Options o = options();
    o.maxRateLimitWaitMs = 50;
    o.maxRetries = 1;
    OpenApiClient client(o);
    QSignalSpy retry(&client, &OpenApiClient::retryScheduled);
    m_sandbox->setRateLimitResetSeconds(30);
    m_sandbox->injectFault(FeishuSandbox::Fault::RateLimit, 2);
    const SendResult r = reply(client, QStringLiteral("limited"), QStringLiteral("u-rl"));
    QCOMPARE(retry.size(), 1);
    QCOMPARE(retry.first().at(2).toInt(), 50);
    // Retries used up: the caller learns when to come back.
    QVERIFY(!r.ok);
    QVERIFY(r.retryable);
    QCOMPARE(r.code, 99991400);
    QCOMPARE(r.httpStatus, 429);
    QCOMPARE(r.retryAfterMs, 50);
}

void TestOpenApiClient::serverErrorRetriedOnlyWithUuid()
{
    QVERIFY(reply(*m_client, QStringLiteral("warm-up"), QString()).ok);
    m_sandbox->injectFault(FeishuSandbox::Fault::ServerError, 2);
    SendResult r = reply(*m_client, QStringLiteral("with uuid"), QStringLiteral("u-5xx"));
    QVERIFY2(r.ok, qPrintable(r.message));
    QCOMPARE(m_client->counters().serverErrors, 2);
    QCOMPARE(m_client->counters().retries, 2);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);

    const int before = m_sandbox->openApiRequests();
    m_sandbox->injectFault(FeishuSandbox::Fault::ServerError);
    r = reply(*m_client, QStringLiteral("without uuid"), QString());
    QVERIFY(!r.ok);
    QVERIFY(r.retryable);
    QCOMPARE(r.httpStatus, 500);
    QCOMPARE(m_sandbox->openApiRequests() - before, 1); // not repeated here
    QCOMPARE(m_client->counters().retries, 2);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);

    // More failures than retries: reported as retryable after maxRetries + 1 attempts.
    m_sandbox->injectFault(FeishuSandbox::Fault::ServerError, 10);
    const int before2 = m_sandbox->openApiRequests();
    r = reply(*m_client, QStringLiteral("hopeless"), QStringLiteral("u-hopeless"));
    QVERIFY(!r.ok);
    QVERIFY(r.retryable);
    QCOMPARE(m_sandbox->openApiRequests() - before2, 4);
}

void TestOpenApiClient::dropConnectionDeliveredExactlyOnce()
{
    QVERIFY(reply(*m_client, QStringLiteral("warm-up"), QString()).ok);
    // Each drop happens after the sandbox created the message (the answer is what gets lost).
    // Qt 6.4 itself resends a request once when the connection closes before any answer, so
    // drop more often than that.
    m_sandbox->injectFault(FeishuSandbox::Fault::DropConnection, 3);
    const SendResult r = reply(*m_client, QStringLiteral("exactly once"), QStringLiteral("u-drop"));
    QVERIFY2(r.ok, qPrintable(r.message));
    QVERIFY(m_client->counters().networkErrors >= 1);
    QVERIFY(m_client->counters().retries >= 1);
    QVERIFY(m_sandbox->duplicateUuidRequests() >= 1);
    int copies = 0;
    QString created;
    const auto sent = m_sandbox->sentMessages();
    for (const auto &m : sent) {
        if (m.text == QLatin1String("exactly once")) {
            ++copies;
            created = m.createdMessageId;
        }
    }
    QCOMPARE(copies, 1);
    QCOMPARE(r.sentMessageId, created);
}

void TestOpenApiClient::timeoutRetriedWithUuid()
{
    OpenApiClient::Options o = options();
    o.timeoutMs = 300;
    OpenApiClient client(o);
    QVERIFY(reply(client, QStringLiteral("warm-up"), QString()).ok);
    m_sandbox->injectFault(FeishuSandbox::Fault::Timeout);
    const SendResult r = reply(client, QStringLiteral("slow"), QStringLiteral("u-slow"));
    QVERIFY2(r.ok, qPrintable(r.message));
    QCOMPARE(client.counters().networkErrors, 1);
    QCOMPARE(m_sandbox->sentMessages().size(), 2);

    m_sandbox->injectFault(FeishuSandbox::Fault::Timeout);
    const SendResult r2 = reply(client, QStringLiteral("slow, no uuid"), QString());
    QVERIFY(!r2.ok);
    QVERIFY(r2.retryable);
    QCOMPARE(r2.httpStatus, 0);
}

void TestOpenApiClient::nonZeroCodeSurfaced()
{
    SendResult out;
    bool done = false;
    m_client->replyMessage(m_target, QStringLiteral("text"), QStringLiteral("not json"),
                           QStringLiteral("u-bad"), [&](const SendResult &r) {
                               out = r;
                               done = true;
                           });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QVERIFY(!out.ok);
    QVERIFY(!out.retryable);
    QCOMPARE(out.httpStatus, 200);
    QCOMPARE(out.code, 230001);
    QVERIFY(!out.message.isEmpty());
    QCOMPARE(m_client->counters().retries, 0);
    QCOMPARE(m_client->counters().apiErrors, 1);

    done = false;
    m_client->replyMessage(QStringLiteral("not-an-om-id"), QStringLiteral("text"),
                           textContent(QStringLiteral("x")), QString(), [&](const SendResult &r) {
                               out = r;
                               done = true;
                           });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(out.code, 230001);
    QCOMPARE(m_sandbox->sentMessages().size(), 0);
}

void TestOpenApiClient::sendMessageWithReceiveIdType()
{
    SendResult out;
    bool done = false;
    m_client->sendMessage(QStringLiteral("open_id"), QStringLiteral("ou_alice"), QStringLiteral("text"),
                          textContent(QStringLiteral("私聊")), QStringLiteral("u-send"),
                          [&](const SendResult &r) {
                              out = r;
                              done = true;
                          });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(m_sandbox->sentMessages().size(), 1);
    const auto m = m_sandbox->sentMessages().first();
    QCOMPARE(m.kind, QStringLiteral("send"));
    QCOMPARE(m.receiveIdType, QStringLiteral("open_id"));
    QCOMPARE(m.target, QStringLiteral("ou_alice"));
    QCOMPARE(m.text, QStringLiteral("私聊"));
    QCOMPARE(m.uuid, QStringLiteral("u-send"));
    QCOMPARE(out.sentMessageId, m.createdMessageId);
}

void TestOpenApiClient::botInfo()
{
    bool done = false, ok = false;
    QString openId, name, error;
    m_client->fetchBotInfo([&](bool okay, const QString &id, const QString &n, const QString &e) {
        done = true;
        ok = okay;
        openId = id;
        name = n;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(openId, m_sandbox->options().botOpenId);
    QCOMPARE(name, m_sandbox->options().botName);
}

void TestOpenApiClient::wrongSecretIsTerminal()
{
    OpenApiClient::Options o = options();
    o.appSecret = QStringLiteral("definitely-wrong-secret");
    OpenApiClient client(o);
    QCOMPARE(Redact::text(QStringLiteral("secret=definitely-wrong-secret")), QStringLiteral("secret=***"));
    const SendResult r = reply(client, QStringLiteral("x"), QStringLiteral("u-1"));
    QVERIFY(!r.ok);
    QVERIFY(!r.retryable);
    QVERIFY(r.code != 0);
    QVERIFY(r.message.contains(QLatin1String("tenant access token")));
    QCOMPARE(m_sandbox->tokenRequests(), 1); // a business error is not retried
    QCOMPARE(m_sandbox->openApiRequests(), 0);

    bool done = false, ok = true;
    client.ensureToken([&](bool okay, const QString &) {
        done = true;
        ok = okay;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QVERIFY(!ok);
}

void TestOpenApiClient::unreachableServerIsRetryable()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there any more
    OpenApiClient::Options o = options();
    o.domain = QStringLiteral("http://127.0.0.1:%1").arg(port);
    o.maxRetries = 2;
    OpenApiClient client(o);
    QSignalSpy retry(&client, &OpenApiClient::retryScheduled);
    const SendResult r = reply(client, QStringLiteral("x"), QString());
    QVERIFY(!r.ok);
    QVERIFY(r.retryable);
    QCOMPARE(r.httpStatus, 0);
    // The token fetch (idempotent) was retried with back-off: 10 ms, then 20 ms.
    QCOMPARE(retry.size(), 2);
    QCOMPARE(retry.at(0).at(0).toString(), QStringLiteral("token"));
    QCOMPARE(retry.at(0).at(2).toInt(), 10);
    QCOMPARE(retry.at(1).at(2).toInt(), 20);
    QCOMPARE(client.counters().networkErrors, 3);
}

QTEST_GUILESS_MAIN(TestOpenApiClient)
#include "tst_openapiclient.moc"

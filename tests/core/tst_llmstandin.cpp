#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include "assistant/sseparser.h"
#include "sandbox/httpserver.h"
#include "sandbox/llmstandin.h"

class TestLlmStandIn final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void listsModels();
    void jsonAnswerFromFirstCitedTicket();
    void genericAnswerWithoutTickets();
    void noAnswerMarkerWhenTicketsDoNotFit();
    void situationShapesTheAnswer();
    void analysisJsonWhenAsked_data();
    void analysisJsonWhenAsked();
    void analysisSummarySaysWhatTheCustomerSaid();
    void streamWireFormat();
    void faultForNextCallsOnly();
    void persistentFaultUntilCleared();
    void delayHoldsTheAnswer();
    void noAnswerNeverAnswers();
    void cutStreamHasNoDone();
    void emptyChoicesInStream();
    void scriptedContent();
    void rejectsBadRequests();
    void requiresApiKeyWhenSet();
    void recordsRequests();
    void mountsOnSharedServer();

private:
    QNetworkReply *post(const QJsonObject &body, const QByteArray &auth = "Bearer sk-test",
                        const QString &base = {});
    QByteArray waitBody(QNetworkReply *reply, int *status = nullptr);
    static QJsonObject chat(const QString &system, const QString &user, bool stream = false);

    QNetworkAccessManager *m_nam = nullptr;
    LlmStandIn *m_standIn = nullptr;
};

void TestLlmStandIn::init()
{
    m_nam = new QNetworkAccessManager(this);
    m_standIn = new LlmStandIn(this);
    QVERIFY(m_standIn->start());
}

void TestLlmStandIn::cleanup()
{
    delete m_standIn;
    delete m_nam;
}

QJsonObject TestLlmStandIn::chat(const QString &system, const QString &user, bool stream)
{
    QJsonArray msgs;
    if (!system.isEmpty())
        msgs.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                {QStringLiteral("content"), system}});
    msgs.append(
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), user}});
    return {{QStringLiteral("model"), QStringLiteral("m")},
            {QStringLiteral("messages"), msgs},
            {QStringLiteral("stream"), stream}};
}

QNetworkReply *TestLlmStandIn::post(const QJsonObject &body, const QByteArray &auth, const QString &base)
{
    QNetworkRequest req(
        QUrl((base.isEmpty() ? m_standIn->baseUrl() : base) + QStringLiteral("/chat/completions")));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!auth.isEmpty())
        req.setRawHeader("Authorization", auth);
    return m_nam->post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QByteArray TestLlmStandIn::waitBody(QNetworkReply *reply, int *status)
{
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        qWarning("reply did not finish");
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return reply->readAll();
}

static const QString kTwoTickets = QStringLiteral(
    "你是驰联客服助手。\n参考工单：\n"
    "[KB-0012] 标题：远程解锁失败提示 E-1001\n类别：远程控制(远程解锁/空调/寻车)\n原因：T-Box "
    "休眠\n解决方案：\n"
    "1. 在 APP 中下拉刷新车辆状态以唤醒车辆\n2. 等待 30 秒后再次点击解锁\n3. 仍失败请联系客服\n\n"
    "[KB-0099] 标题：另一个工单\n解决方案：\n1. 不应被使用\n");

void TestLlmStandIn::listsModels()
{
    QNetworkReply *reply =
        m_nam->get(QNetworkRequest(QUrl(m_standIn->baseUrl() + QStringLiteral("/models"))));
    int status = 0;
    const QJsonObject o = QJsonDocument::fromJson(waitBody(reply, &status)).object();
    QCOMPARE(status, 200);
    QCOMPARE(
        o.value(QLatin1String("data")).toArray().first().toObject().value(QLatin1String("id")).toString(),
        m_standIn->model());
}

void TestLlmStandIn::jsonAnswerFromFirstCitedTicket()
{
    int status = 0;
    const QJsonObject o =
        QJsonDocument::fromJson(waitBody(post(chat(kTwoTickets, QStringLiteral("远程解锁失败了"))), &status))
            .object();
    QCOMPARE(status, 200);
    QCOMPARE(o.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion"));
    const QJsonObject c0 = o.value(QLatin1String("choices")).toArray().first().toObject();
    QCOMPARE(c0.value(QLatin1String("finish_reason")).toString(), QStringLiteral("stop"));
    QCOMPARE(c0.value(QLatin1String("message")).toObject().value(QLatin1String("role")).toString(),
             QStringLiteral("assistant"));
    const QString text =
        c0.value(QLatin1String("message")).toObject().value(QLatin1String("content")).toString();
    QVERIFY2(text.startsWith(QStringLiteral("您好，关于“远程解锁失败提示 E-1001”，可以按以下步骤处理：\n")),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral(
        "1. 在 APP 中下拉刷新车辆状态以唤醒车辆\n2. 等待 30 秒后再次点击解锁\n3. 仍失败请联系客服\n")));
    QVERIFY(text.contains(QStringLiteral("KB-0012")));
    QVERIFY(!text.contains(QStringLiteral("不应被使用")));
    QVERIFY(o.value(QLatin1String("usage")).toObject().value(QLatin1String("prompt_tokens")).toInt() > 0);
}

static QString contentOf(const QByteArray &body)
{
    return QJsonDocument::fromJson(body)
        .object()
        .value(QLatin1String("choices"))
        .toArray()
        .first()
        .toObject()
        .value(QLatin1String("message"))
        .toObject()
        .value(QLatin1String("content"))
        .toString();
}

void TestLlmStandIn::noAnswerMarkerWhenTicketsDoNotFit()
{
    // The prompt asks for the marker (as PromptBuilder's does); the question shares nothing with
    // the first ticket: the stand-in answers with the marker alone, streamed or not.
    const QString system = QStringLiteral("不符时只输出一行 [[NO_ANSWER]]。\n") + kTwoTickets;
    QCOMPARE(contentOf(waitBody(post(chat(system, QStringLiteral("NFC卡片钥匙刷门把手没反应"))))),
             QStringLiteral("[[NO_ANSWER]]"));
    QNetworkReply *reply = post(chat(system, QStringLiteral("NFC卡片钥匙刷门把手没反应"), true));
    const QByteArray streamed = waitBody(reply);
    QVERIFY(streamed.contains("data: [DONE]"));
    QCOMPARE(LlmStandIn::replyFor(m_standIn->lastRequest()), QStringLiteral("[[NO_ANSWER]]"));
    // A question about the ticket is answered from it; an error code alone is enough.
    QVERIFY(contentOf(waitBody(post(chat(system, QStringLiteral("远程解锁失败了")))))
                .contains(QStringLiteral("KB-0012")));
    QVERIFY(contentOf(waitBody(post(chat(system, QStringLiteral("e-1001 怎么办")))))
                .contains(QStringLiteral("KB-0012")));
    // Without the request for a marker, the old behaviour: an answer from the first ticket.
    QVERIFY(contentOf(waitBody(post(chat(kTwoTickets, QStringLiteral("NFC卡片钥匙刷门把手没反应")))))
                .contains(QStringLiteral("KB-0012")));
}

void TestLlmStandIn::situationShapesTheAnswer()
{
    const QString context =
        QStringLiteral("当前情况：客户的这句话是对之前对话的回应，没有提出新的问题。\n") + kTwoTickets;
    const QString store = contentOf(waitBody(post(chat(context, QStringLiteral("那我明天去4S店吧")))));
    QVERIFY2(store.startsWith(QStringLiteral("好的。到店时")), qPrintable(store));
    QVERIFY(store.contains(QStringLiteral("KB-0012")));
    const QString failed = QStringLiteral("当前情况：客户表示之前的方法没有解决问题。\n") + kTwoTickets;
    const QString retry = contentOf(waitBody(post(chat(failed, QStringLiteral("远程解锁还是不行")))));
    QVERIFY2(retry.startsWith(QStringLiteral("抱歉，之前的方法没能解决问题。")), qPrintable(retry));
}

void TestLlmStandIn::genericAnswerWithoutTickets()
{
    const QString text =
        contentOf(waitBody(post(chat(QStringLiteral("你是客服。"), QStringLiteral("你好")))));
    QVERIFY(text.startsWith(QStringLiteral("您好")));
    QVERIFY(text.contains(QStringLiteral("VIN")));
}

void TestLlmStandIn::analysisJsonWhenAsked_data()
{
    QTest::addColumn<bool>("viaResponseFormat");
    QTest::newRow("response_format") << true;
    QTest::newRow("analysis prompt") << false;
}

// The summary quotes the customer, first and last message, not the transcript's header or the
// bot's replies.
void TestLlmStandIn::analysisSummarySaysWhatTheCustomerSaid()
{
    QJsonObject body = chat(QStringLiteral("你是分析助手，只输出 JSON。"),
                            QStringLiteral("会话记录：\n客户：车机没网了，导航和音乐都用不了\n"
                                           "机器人：您好，请先重启车机。\n客户：重启过了还是不行"));
    const QString content = contentOf(waitBody(post(body)));
    const QJsonObject a = QJsonDocument::fromJson(content.toUtf8()).object();
    QCOMPARE(a.value(QLatin1String("summary")).toString(),
             QStringLiteral("客户反馈：车机没网了，导航和音乐都用不了；随后补充：重启过了还是不行"));
}

void TestLlmStandIn::analysisJsonWhenAsked()
{
    QFETCH(bool, viaResponseFormat);
    QJsonObject body = chat(
        viaResponseFormat ? QStringLiteral("分析会话。") : QStringLiteral("你是分析助手，只输出 JSON。"),
        QStringLiteral("客户：高速上出了事故，车里在冒烟，ecall 没反应，VIN LSVAB2BJ0N2000001，报 E-1042"));
    if (viaResponseFormat)
        body.insert(QStringLiteral("response_format"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("json_object")}});
    const QString content = contentOf(waitBody(post(body)));
    QJsonParseError pe;
    const QJsonObject a = QJsonDocument::fromJson(content.toUtf8(), &pe).object();
    QCOMPARE(pe.error, QJsonParseError::NoError);
    QCOMPARE(a.value(QLatin1String("category")).toString(), QStringLiteral("eCall/bCall救援"));
    QCOMPARE(a.value(QLatin1String("urgency")).toString(), QStringLiteral("critical"));
    QVERIFY(a.value(QLatin1String("summary")).toString().contains(QStringLiteral("事故")));
    QCOMPARE(a.value(QLatin1String("entities"))
                 .toObject()
                 .value(QLatin1String("vin"))
                 .toArray()
                 .first()
                 .toString(),
             QStringLiteral("LSVAB2BJ0N2000001"));
    QCOMPARE(a.value(QLatin1String("entities"))
                 .toObject()
                 .value(QLatin1String("error_code"))
                 .toArray()
                 .first()
                 .toString(),
             QStringLiteral("E-1042"));
    QVERIFY(!a.value(QLatin1String("next_step")).toString().isEmpty());
}

void TestLlmStandIn::streamWireFormat()
{
    QNetworkReply *reply = post(chat(kTwoTickets, QStringLiteral("解锁失败"), true));
    int status = 0;
    const QByteArray raw = waitBody(reply, &status);
    QCOMPARE(status, 200);
    QVERIFY(reply->header(QNetworkRequest::ContentTypeHeader)
                .toString()
                .startsWith(QLatin1String("text/event-stream")));
    QVERIFY(raw.startsWith("data: {"));
    QVERIFY(raw.endsWith("data: [DONE]\n\n"));
    SseParser p;
    QVERIFY(p.feed(raw));
    const auto events = p.takeEvents();
    QVERIFY(events.size() > 4);
    QString text;
    QString finish;
    for (qsizetype i = 0; i + 1 < events.size(); ++i) {
        const QJsonObject chunk = QJsonDocument::fromJson(events[i].data.toUtf8()).object();
        QCOMPARE(chunk.value(QLatin1String("object")).toString(), QStringLiteral("chat.completion.chunk"));
        const QJsonObject c0 = chunk.value(QLatin1String("choices")).toArray().first().toObject();
        text += c0.value(QLatin1String("delta")).toObject().value(QLatin1String("content")).toString();
        if (c0.value(QLatin1String("finish_reason")).isString())
            finish = c0.value(QLatin1String("finish_reason")).toString();
    }
    QCOMPARE(events.last().data, QStringLiteral("[DONE]"));
    QCOMPARE(finish, QStringLiteral("stop"));
    QCOMPARE(text, LlmStandIn::replyFor(m_standIn->lastRequest()));
}

void TestLlmStandIn::faultForNextCallsOnly()
{
    m_standIn->setFault(LlmStandIn::Fault::Http500, 2);
    int s1 = 0, s2 = 0, s3 = 0;
    const QByteArray b1 = waitBody(post(chat({}, QStringLiteral("a"))), &s1);
    waitBody(post(chat({}, QStringLiteral("b"))), &s2);
    waitBody(post(chat({}, QStringLiteral("c"))), &s3);
    QCOMPARE(s1, 500);
    QCOMPARE(s2, 500);
    QCOMPARE(s3, 200);
    QVERIFY(QJsonDocument::fromJson(b1)
                .object()
                .value(QLatin1String("error"))
                .toObject()
                .contains(QLatin1String("message")));

    m_standIn->setFault(LlmStandIn::Fault::Http429, 1);
    QNetworkReply *r = post(chat({}, QStringLiteral("d")));
    int s4 = 0;
    waitBody(r, &s4);
    QCOMPARE(s4, 429);
    QCOMPARE(r->rawHeader("Retry-After"), QByteArray("0"));
}

void TestLlmStandIn::persistentFaultUntilCleared()
{
    m_standIn->setFault(LlmStandIn::Fault::NotJson);
    for (int i = 0; i < 3; ++i) {
        int status = 0;
        const QByteArray body = waitBody(post(chat({}, QStringLiteral("x"))), &status);
        QCOMPARE(status, 200);
        QVERIFY(QJsonDocument::fromJson(body).isNull());
    }
    m_standIn->clearFaults();
    QVERIFY(QJsonDocument::fromJson(waitBody(post(chat({}, QStringLiteral("x"))))).isObject());
}

void TestLlmStandIn::delayHoldsTheAnswer()
{
    m_standIn->setDelay(400, 1);
    QNetworkReply *reply = post(chat({}, QStringLiteral("x")));
    QTRY_COMPARE(m_standIn->requestCount(), 1);
    QVERIFY(!reply->isFinished()); // the server cannot have answered: its timer has not fired yet
    int status = 0;
    waitBody(reply, &status);
    QCOMPARE(status, 200);
}

void TestLlmStandIn::noAnswerNeverAnswers()
{
    m_standIn->setFault(LlmStandIn::Fault::NoAnswer, 1);
    QNetworkReply *reply = post(chat({}, QStringLiteral("x")));
    QTRY_COMPARE(m_standIn->requestCount(), 1);
    QTest::qWait(200);
    QVERIFY(!reply->isFinished());
    reply->abort();
    delete reply;
    // The next call is answered normally.
    int status = 0;
    waitBody(post(chat({}, QStringLiteral("y"))), &status);
    QCOMPARE(status, 200);
}

void TestLlmStandIn::cutStreamHasNoDone()
{
    m_standIn->setFault(LlmStandIn::Fault::CutStream, 1);
    const QByteArray raw = waitBody(post(chat(kTwoTickets, QStringLiteral("解锁失败"), true)));
    QVERIFY(raw.startsWith("data: {"));
    QVERIFY(!raw.contains("[DONE]"));
    QVERIFY(!raw.contains("\"finish_reason\":\"stop\""));
}

void TestLlmStandIn::emptyChoicesInStream()
{
    m_standIn->setFault(LlmStandIn::Fault::EmptyChoices, 1);
    const QByteArray raw = waitBody(post(chat({}, QStringLiteral("x"), true)));
    QVERIFY(raw.contains("\"choices\":[]"));
    QVERIFY(raw.endsWith("data: [DONE]\n\n"));
}

void TestLlmStandIn::scriptedContent()
{
    m_standIn->setScriptedContent(QStringLiteral("{\"category\": 42}"), 1);
    auto content = [this] {
        const QJsonObject o = QJsonDocument::fromJson(waitBody(post(chat({}, QStringLiteral("x"))))).object();
        return o.value(QLatin1String("choices"))
            .toArray()
            .first()
            .toObject()
            .value(QLatin1String("message"))
            .toObject()
            .value(QLatin1String("content"))
            .toString();
    };
    QCOMPARE(content(), QStringLiteral("{\"category\": 42}"));
    QVERIFY(content().startsWith(QStringLiteral("您好")));
}

void TestLlmStandIn::rejectsBadRequests()
{
    QNetworkRequest req(QUrl(m_standIn->baseUrl() + QStringLiteral("/chat/completions")));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    int status = 0;
    const QByteArray body = waitBody(m_nam->post(req, QByteArray("{not json")), &status);
    QCOMPARE(status, 400);
    QVERIFY(QJsonDocument::fromJson(body).object().value(QLatin1String("error")).isObject());
    waitBody(m_nam->post(req, QByteArray("{\"messages\":[]}")), &status);
    QCOMPARE(status, 400);
    waitBody(m_nam->get(QNetworkRequest(QUrl(m_standIn->baseUrl() + QStringLiteral("/embeddings")))),
             &status);
    QCOMPARE(status, 404);
}

void TestLlmStandIn::requiresApiKeyWhenSet()
{
    m_standIn->setRequiredApiKey(QStringLiteral("sk-right"));
    int status = 0;
    const QByteArray body = waitBody(post(chat({}, QStringLiteral("x")), "Bearer sk-wrong"), &status);
    QCOMPARE(status, 401);
    QCOMPARE(QJsonDocument::fromJson(body)
                 .object()
                 .value(QLatin1String("error"))
                 .toObject()
                 .value(QLatin1String("code"))
                 .toString(),
             QStringLiteral("invalid_api_key"));
    waitBody(post(chat({}, QStringLiteral("x")), "Bearer sk-right"), &status);
    QCOMPARE(status, 200);
}

void TestLlmStandIn::recordsRequests()
{
    QSignalSpy spy(m_standIn, &LlmStandIn::requestReceived);
    waitBody(post(chat(QStringLiteral("sys"), QStringLiteral("第一个问题"))));
    waitBody(post(chat(QStringLiteral("sys"), QStringLiteral("第二个问题")), "Bearer sk-2"));
    QCOMPARE(m_standIn->requestCount(), 2);
    QCOMPARE(spy.size(), 2);
    QCOMPARE(m_standIn->requests().size(), 2);
    QCOMPARE(m_standIn->lastRequest()
                 .value(QLatin1String("messages"))
                 .toArray()
                 .last()
                 .toObject()
                 .value(QLatin1String("content"))
                 .toString(),
             QStringLiteral("第二个问题"));
    QCOMPARE(m_standIn->lastAuthorization(), QByteArray("Bearer sk-2"));
    m_standIn->clearRecorded();
    QCOMPARE(m_standIn->requestCount(), 0);
    QVERIFY(m_standIn->lastRequest().isEmpty());
}

void TestLlmStandIn::mountsOnSharedServer()
{
    LlmStandIn mounted;
    HttpServer server;
    server.setHandler([&mounted](const HttpRequest &req, HttpResponder *resp) {
        if (!mounted.handle(req, resp))
            resp->respond(200, "{\"other\":true}");
    });
    QVERIFY(server.listen());
    const QString base = QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port());
    int status = 0;
    const QJsonObject o =
        QJsonDocument::fromJson(waitBody(post(chat({}, QStringLiteral("x")), "Bearer k", base), &status))
            .object();
    QCOMPARE(status, 200);
    QVERIFY(o.contains(QLatin1String("choices")));
    QCOMPARE(mounted.requestCount(), 1);
    const QByteArray other = waitBody(m_nam->get(
        QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/open-apis/x").arg(server.port())))));
    QCOMPARE(other, QByteArray("{\"other\":true}"));
    QCOMPARE(mounted.requestCount(), 1);
}

QTEST_GUILESS_MAIN(TestLlmStandIn)
#include "tst_llmstandin.moc"

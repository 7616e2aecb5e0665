#include "sandbox/llmstandin.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include "logging_p.h"
#include "sandbox/embeddingstandin.h"

namespace {

constexpr qint64 kCreated = 1767225600; // 2026-01-01T00:00:00Z: fixed, so answers are deterministic

QByteArray errorBody(const QString &message, const QString &type, const QString &code = {})
{
    QJsonObject e{{QStringLiteral("message"), message}, {QStringLiteral("type"), type}};
    e.insert(QStringLiteral("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code));
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), e}}).toJson(QJsonDocument::Compact);
}

QByteArray sseLine(const QJsonObject &o)
{
    return "data: " + QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n\n";
}

struct CitedTicket
{
    QString id;
    QString title;
    QString about; // the block's lines before the solution (title, category, symptoms, cause)
    QStringList steps;
};

// Finds the first ticket cited in PromptBuilder's format:
//   [KB-0012] 标题：远程解锁失败
//   ...
//   解决方案：
//   1. ...
//   2. ...
bool firstCitedTicket(const QString &text, CitedTicket *out)
{
    static const QRegularExpression head(
        QStringLiteral("^\\[([A-Za-z]+-[0-9A-Za-z]+)\\]\\s*(?:标题[:：])?\\s*(.+)$"),
        QRegularExpression::MultilineOption);
    const auto m = head.match(text);
    if (!m.hasMatch())
        return false;
    out->id = m.captured(1);
    out->title = m.captured(2).trimmed();
    out->about = out->title + QLatin1Char('\n');
    const QStringList lines = text.mid(m.capturedEnd()).split(QLatin1Char('\n'));
    bool inSolution = false;
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.startsWith(QLatin1Char('[')))
            break; // the next ticket
        if (!inSolution && !line.startsWith(QStringLiteral("解决方案")))
            out->about += line + QLatin1Char('\n');
        if (line.startsWith(QStringLiteral("解决方案"))) {
            inSolution = true;
            const QString rest = line.section(QRegularExpression(QStringLiteral("[:：]")), 1).trimmed();
            if (!rest.isEmpty())
                out->steps << rest;
            continue;
        }
        if (!inSolution)
            continue;
        if (line.isEmpty())
            break;
        out->steps << line;
    }
    return true;
}

// Every ticket in PromptBuilder's heads, in order: (id, title).
QList<QPair<QString, QString>> citedHeads(const QString &text)
{
    static const QRegularExpression head(
        QStringLiteral("^\\[([A-Za-z]+-[0-9A-Za-z]+)\\]\\s*(?:标题[:：])?\\s*(.*)$"),
        QRegularExpression::MultilineOption);
    QList<QPair<QString, QString>> heads;
    for (auto it = head.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        heads.append({m.captured(1), m.captured(2).trimmed()});
    }
    return heads;
}

// The words a text is about, as a model would see them: CJK bigrams without function characters,
// and Latin/digit runs of two or more (lower case, without '-').
QSet<QString> contentWords(const QString &text)
{
    static const QString stop = QStringLiteral("的了吗呢吧啊呀嘛哦我你他她它们是在有和就都也还要会能不没这那"
                                               "个么怎什请问一下过着把被给让从到对为与及或等如果可以");
    QSet<QString> out;
    QString latin;
    const QString t = text.toLower();
    for (qsizetype i = 0; i <= t.size(); ++i) {
        const QChar c = i < t.size() ? t.at(i) : QChar();
        if (i < t.size() && c.isLetterOrNumber() && c.unicode() < 0x2E80) {
            latin += c;
            continue;
        }
        if (i < t.size() && c == QLatin1Char('-') && !latin.isEmpty())
            continue;
        if (latin.size() >= 2)
            out.insert(latin);
        latin.clear();
        if (i + 1 < t.size()) {
            const QChar d = t.at(i + 1);
            if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF && d.unicode() >= 0x4E00 &&
                d.unicode() <= 0x9FFF && !stop.contains(c) && !stop.contains(d))
                out.insert(QString(c) + d);
        }
    }
    return out;
}

QString stripNumber(const QString &step)
{
    static const QRegularExpression num(QStringLiteral("^(?:[0-9]+[.、)）]|[-*•])\\s*"));
    QString s = step;
    s.remove(num);
    return s.trimmed();
}

bool containsAny(const QString &text, std::initializer_list<const char16_t *> words)
{
    for (const char16_t *w : words) {
        if (text.contains(QString::fromUtf16(w), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

LlmStandIn::LlmStandIn(QObject *parent)
    : QObject(parent)
{}

LlmStandIn::~LlmStandIn() = default;

bool LlmStandIn::start(quint16 port)
{
    if (!m_server) {
        m_server = new HttpServer(this);
        m_server->setHandler([this](const HttpRequest &req, HttpResponder *resp) {
            if (!handle(req, resp))
                resp->respond(404, errorBody(QStringLiteral("no such endpoint"),
                                             QStringLiteral("invalid_request_error")));
        });
    }
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        qCWarning(lcSandbox).noquote()
            << "LLM stand-in cannot listen on 127.0.0.1:" << port << ":" << m_server->errorString();
        return false;
    }
    qCInfo(lcSandbox).noquote() << "LLM stand-in listening on" << baseUrl();
    return true;
}

quint16 LlmStandIn::port() const
{
    return m_server ? m_server->port() : 0;
}

QString LlmStandIn::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(port());
}

void LlmStandIn::setFault(Fault fault, int times)
{
    m_fault = fault;
    m_faultTimes = fault == Fault::None ? 0 : times;
}

void LlmStandIn::setDelay(int ms, int times)
{
    m_delayMs = qMax(0, ms);
    m_delayTimes = ms > 0 ? times : 0;
}

void LlmStandIn::setScriptedContent(const QString &content, int times)
{
    m_scripted = content;
    m_scriptedTimes = times;
}

void LlmStandIn::clearFaults()
{
    m_fault = Fault::None;
    m_faultTimes = 0;
    m_delayMs = 0;
    m_delayTimes = 0;
    m_scripted.clear();
    m_scriptedTimes = 0;
}

void LlmStandIn::clearRecorded()
{
    m_requestCount = 0;
    m_requests.clear();
    m_lastAuthorization.clear();
}

LlmStandIn::Plan LlmStandIn::takePlan()
{
    Plan p;
    auto take = [](int &times) {
        if (times == 0)
            return false;
        if (times > 0)
            --times;
        return true;
    };
    if (take(m_faultTimes))
        p.fault = m_fault;
    if (take(m_delayTimes))
        p.delayMs = m_delayMs;
    if (take(m_scriptedTimes)) {
        p.scripted = m_scripted;
        p.haveScripted = true;
    }
    return p;
}

bool LlmStandIn::handle(const HttpRequest &request, HttpResponder *responder)
{
    if (request.path.endsWith("/v1/models") && request.method == "GET") {
        const QJsonObject model{{QStringLiteral("id"), m_model},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), kCreated},
                                {QStringLiteral("owned_by"), QStringLiteral("tsp-sandbox")}};
        responder->respond(200, QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                                          {QStringLiteral("data"), QJsonArray{model}}})
                                    .toJson(QJsonDocument::Compact));
        return true;
    }
    if (request.path.endsWith("/v1/embeddings") && request.method == "POST") {
        ++m_embeddingRequestCount;
        m_embeddingRequests << QJsonDocument::fromJson(request.body).object();
        m_lastEmbeddingAuthorization = request.headers.value("authorization");
        if (!m_requiredKey.isEmpty() &&
            request.headers.value("authorization") != "Bearer " + m_requiredKey.toUtf8()) {
            responder->respond(401, errorBody(QStringLiteral("Incorrect API key provided."),
                                              QStringLiteral("invalid_request_error"),
                                              QStringLiteral("invalid_api_key")));
            return true;
        }
        if (m_embeddingFailures != 0) {
            if (m_embeddingFailures > 0)
                --m_embeddingFailures;
            responder->respond(
                500, errorBody(QStringLiteral("The server had an error while processing your request."),
                               QStringLiteral("server_error")));
            return true;
        }
        if (m_embeddingDelayMs > 0) {
            QPointer<HttpResponder> ptr(responder);
            QTimer::singleShot(m_embeddingDelayMs, this, [this, ptr, request] {
                if (ptr && ptr->isConnected())
                    EmbeddingStandIn::handle(request, ptr, m_embeddingModel);
            });
            return true;
        }
        return EmbeddingStandIn::handle(request, responder, m_embeddingModel);
    }
    if (!request.path.endsWith("/chat/completions"))
        return false;
    if (request.method != "POST") {
        responder->respond(405,
                           errorBody(QStringLiteral("use POST"), QStringLiteral("invalid_request_error")));
        return true;
    }
    ++m_requestCount;
    m_lastAuthorization = request.headers.value("authorization");
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &pe);
    const QJsonObject body = doc.object();
    m_requests.append(body);
    if (m_requests.size() > 200) // a long demo must not grow without bound
        m_requests.removeFirst();
    emit requestReceived(body);

    if (!m_requiredKey.isEmpty() && m_lastAuthorization != "Bearer " + m_requiredKey.toUtf8()) {
        responder->respond(401, errorBody(QStringLiteral("Incorrect API key provided."),
                                          QStringLiteral("invalid_request_error"),
                                          QStringLiteral("invalid_api_key")));
        return true;
    }
    if (pe.error != QJsonParseError::NoError || !doc.isObject() ||
        body.value(QLatin1String("messages")).toArray().isEmpty()) {
        responder->respond(400,
                           errorBody(QStringLiteral("the request body must be a JSON object with a non-empty "
                                                    "\"messages\" array"),
                                     QStringLiteral("invalid_request_error")));
        return true;
    }

    const Plan plan = takePlan();
    if (plan.fault == Fault::NoAnswer) {
        m_held.removeAll(nullptr);
        m_held.append(responder); // answered never; freed with its connection
        return true;
    }
    if (plan.delayMs > 0) {
        QPointer<HttpResponder> ptr(responder);
        QTimer::singleShot(plan.delayMs, this, [this, ptr, body, plan] {
            if (ptr && ptr->isConnected())
                answer(body, ptr, plan);
        });
        return true;
    }
    answer(body, responder, plan);
    return true;
}

void LlmStandIn::answer(const QJsonObject &request, HttpResponder *responder, const Plan &plan)
{
    const bool stream = request.value(QLatin1String("stream")).toBool();
    switch (plan.fault) {
    case Fault::Http500:
        responder->respond(500,
                           errorBody(QStringLiteral("The server had an error while processing your request."),
                                     QStringLiteral("server_error")));
        return;
    case Fault::Http429:
        responder->respond(429,
                           errorBody(QStringLiteral("Rate limit reached, please retry later."),
                                     QStringLiteral("rate_limit_error"),
                                     QStringLiteral("rate_limit_exceeded")),
                           "application/json; charset=utf-8", {{"Retry-After", "0"}});
        return;
    case Fault::NotJson:
        responder->respond(200, "<html><body><h1>502 Bad Gateway</h1></body></html>",
                           "text/html; charset=utf-8");
        return;
    case Fault::None:
    case Fault::NoAnswer:
    case Fault::CutStream:
    case Fault::EmptyChoices:
        break;
    }
    const QString content = plan.haveScripted ? plan.scripted : replyFor(request);
    if (stream) {
        streamAnswer(content, responder, plan, plan.fault == Fault::EmptyChoices);
        return;
    }
    int promptChars = 0;
    for (const QJsonValue &m : request.value(QLatin1String("messages")).toArray())
        promptChars += int(m.toObject().value(QLatin1String("content")).toString().size());
    QJsonArray choices;
    if (plan.fault != Fault::EmptyChoices)
        choices.append(QJsonObject{
            {QStringLiteral("index"), 0},
            {QStringLiteral("message"), QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                    {QStringLiteral("content"), content}}},
            {QStringLiteral("finish_reason"), QStringLiteral("stop")}});
    const QJsonObject o{
        {QStringLiteral("id"), QStringLiteral("chatcmpl-standin-%1").arg(++m_completionSeq)},
        {QStringLiteral("object"), QStringLiteral("chat.completion")},
        {QStringLiteral("created"), kCreated},
        {QStringLiteral("model"), m_model},
        {QStringLiteral("choices"), choices},
        {QStringLiteral("usage"),
         QJsonObject{{QStringLiteral("prompt_tokens"), promptChars / 2 + 1},
                     {QStringLiteral("completion_tokens"), int(content.size()) / 2 + 1},
                     {QStringLiteral("total_tokens"), (promptChars + int(content.size())) / 2 + 2}}},
    };
    QByteArray bytes = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (plan.fault == Fault::CutStream)
        bytes.truncate(bytes.size() / 2);
    responder->respond(200, bytes);
}

void LlmStandIn::streamAnswer(const QString &content, HttpResponder *responder, const Plan &plan,
                              bool emptyChoices)
{
    const QString id = QStringLiteral("chatcmpl-standin-%1").arg(++m_completionSeq);
    auto chunk = [&](const QJsonObject &delta, const QJsonValue &finish) {
        return sseLine(QJsonObject{
            {QStringLiteral("id"), id},
            {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
            {QStringLiteral("created"), kCreated},
            {QStringLiteral("model"), m_model},
            {QStringLiteral("choices"), QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                               {QStringLiteral("delta"), delta},
                                                               {QStringLiteral("finish_reason"), finish}}}}});
    };
    QList<QByteArray> parts;
    if (emptyChoices) {
        parts << sseLine(QJsonObject{{QStringLiteral("id"), id},
                                     {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                                     {QStringLiteral("created"), kCreated},
                                     {QStringLiteral("model"), m_model},
                                     {QStringLiteral("choices"), QJsonArray()}});
    } else {
        parts << chunk(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                   {QStringLiteral("content"), QString()}},
                       QJsonValue());
        // Pieces of a few characters, never splitting a surrogate pair.
        qsizetype pos = 0;
        while (pos < content.size()) {
            qsizetype n = qMin<qsizetype>(6, content.size() - pos);
            if (pos + n < content.size() && content.at(pos + n - 1).isHighSurrogate())
                ++n;
            parts << chunk(QJsonObject{{QStringLiteral("content"), content.mid(pos, n)}}, QJsonValue());
            pos += n;
        }
        if (plan.fault == Fault::CutStream) {
            parts.resize(qMax<qsizetype>(2, parts.size() / 2)); // the role chunk and at least one piece
        } else {
            parts << chunk(QJsonObject(), QStringLiteral("stop"));
        }
    }
    if (plan.fault != Fault::CutStream)
        parts << QByteArray("data: [DONE]\n\n");

    responder->beginStream(200, "text/event-stream; charset=utf-8");
    if (m_chunkDelayMs <= 0) {
        for (const QByteArray &p : std::as_const(parts))
            responder->writeChunk(p);
        responder->endStream();
        return;
    }
    // Paced: one chunk per tick.
    auto *timer = new QTimer(this);
    timer->setInterval(m_chunkDelayMs);
    QPointer<HttpResponder> ptr(responder);
    auto index = std::make_shared<qsizetype>(0);
    connect(timer, &QTimer::timeout, this, [timer, ptr, parts, index] {
        if (!ptr || !ptr->isConnected()) {
            timer->deleteLater();
            timer->stop();
            return;
        }
        if (*index < parts.size()) {
            ptr->writeChunk(parts.at((*index)++));
            return;
        }
        ptr->endStream();
        timer->stop();
        timer->deleteLater();
    });
    timer->start();
}

QString LlmStandIn::replyFor(const QJsonObject &request)
{
    QString system;
    QString all;
    QString lastUser;
    for (const QJsonValue &v : request.value(QLatin1String("messages")).toArray()) {
        const QJsonObject m = v.toObject();
        const QString role = m.value(QLatin1String("role")).toString();
        const QString content = m.value(QLatin1String("content")).toString();
        if (role == QLatin1String("system"))
            system += content + QLatin1Char('\n');
        if (role == QLatin1String("user"))
            lastUser = content;
        all += content + QLatin1Char('\n');
    }
    const bool jsonMode =
        request.value(QLatin1String("response_format")).toObject().value(QLatin1String("type")).toString() ==
            QLatin1String("json_object") ||
        system.contains(QStringLiteral("只输出 JSON"));
    if (jsonMode) {
        QString conversation;
        for (const QJsonValue &v : request.value(QLatin1String("messages")).toArray()) {
            const QJsonObject m = v.toObject();
            if (m.value(QLatin1String("role")).toString() == QLatin1String("user"))
                conversation += m.value(QLatin1String("content")).toString() + QLatin1Char('\n');
        }
        return QString::fromUtf8(QJsonDocument(analysisFor(conversation)).toJson(QJsonDocument::Compact));
    }
    CitedTicket t;
    if (firstCitedTicket(all, &t) && !t.steps.isEmpty()) {
        // A model that reads the question: when nothing the customer said is in the first ticket,
        // the tickets do not answer it, and the prompt says to answer with the marker alone.
        QString customer;
        for (const QJsonValue &v : request.value(QLatin1String("messages")).toArray()) {
            const QJsonObject m = v.toObject();
            if (m.value(QLatin1String("role")).toString() == QLatin1String("user"))
                customer += m.value(QLatin1String("content")).toString() + QLatin1Char('\n');
        }
        if (system.contains(QStringLiteral("[[NO_ANSWER]]")) &&
            !contentWords(customer).intersects(contentWords(t.about)))
            return QStringLiteral("[[NO_ANSWER]]");
        const QString situation =
            system.section(QStringLiteral("当前情况："), 1, 1).section(QLatin1Char('\n'), 0, 0);
        if (situation.contains(QStringLiteral("还不能确定"))) // an answer that points to no cause
            return QStringLiteral(
                       "好的，收到。目前还不能确定是哪一种情况，请提供车型和 VIN，工程师会结合您说的情况"
                       "进一步排查。（参考：%1）")
                .arg(t.id);
        if (situation.contains(QStringLiteral("没有提出新的问题"))) {
            const bool store = lastUser.contains(QStringLiteral("4S"), Qt::CaseInsensitive) ||
                               lastUser.contains(QStringLiteral("店"));
            return (store
                        ? QStringLiteral(
                              "好的。到店时请把之前“%1”的情况和已经试过的步骤告诉工作人员，并提供车型和 VIN，"
                              "方便技师直接排查。（参考：%2）")
                        : QStringLiteral("好的。关于“%1”，如果之后还有问题，随时告诉我们，并提供车型和 VIN，"
                                         "我们会继续跟进。（参考：%2）"))
                .arg(t.title, t.id);
        }
        if (situation.contains(QStringLiteral("澄清"))) {
            // The two most likely causes, as the prompt asks, and one question back.
            const QList<QPair<QString, QString>> heads = citedHeads(all);
            const QString question =
                QStringLiteral("请问具体是哪些功能受影响，最近是否更换过蓄电池或升级过车机？");
            if (heads.size() < 2)
                return QStringLiteral("您好，这个现象可能与“%1”有关。%2（参考：%3）")
                    .arg(t.title, question, t.id);
            return QStringLiteral("您好，这个现象常见有两种可能：一是“%1”，二是“%2”。%3（参考：%4、%5）")
                .arg(heads.at(0).second, heads.at(1).second, question, heads.at(0).first, heads.at(1).first);
        }
        QString out =
            situation.contains(QStringLiteral("没有解决"))
                ? QStringLiteral("抱歉，之前的方法没能解决问题。也可能与“%1”有关，可以按以下步骤处理：\n")
                      .arg(t.title)
                : QStringLiteral("您好，关于“%1”，可以按以下步骤处理：\n").arg(t.title);
        int n = 0;
        for (const QString &step : std::as_const(t.steps)) {
            const QString s = stripNumber(step);
            if (!s.isEmpty())
                out += QString::number(++n) + QStringLiteral(". ") + s + QLatin1Char('\n');
        }
        out += QStringLiteral("如果按以上步骤仍未解决，请提供车型和 VIN，我们会安排工程师跟进。（参考：%1）")
                   .arg(t.id);
        return out;
    }
    return QStringLiteral(
        "您好，已收到您的问题。为了更准确地帮您排查，请提供车型、VIN（车架号）以及问题出现的时间和提示信息，"
        "我们会尽快安排工作人员为您处理。");
}

QJsonObject LlmStandIn::analysisFor(const QString &text)
{
    // Deliberately simpler than Analyzer's own rules: the stand-in plays a model, not the rules.
    struct Rule
    {
        const char16_t *category;
        std::initializer_list<const char16_t *> words;
    };
    static const Rule rules[] = {
        {u"eCall/bCall救援", {u"ecall", u"bcall", u"sos", u"救援", u"事故"}},
        {u"远程控制(远程解锁/空调/寻车)", {u"远程解锁", u"远程控制", u"远程空调", u"寻车", u"闪灯鸣笛"}},
        {u"数字钥匙(蓝牙/NFC)", {u"钥匙", u"nfc", u"蓝牙"}},
        {u"T-Box离线", {u"t-box", u"tbox", u"离线"}},
        {u"OTA升级", {u"ota", u"升级"}},
        {u"APP登录与账号绑定", {u"登录", u"验证码", u"绑定", u"账号"}},
        {u"充电预约与电池(新能源)", {u"充电", u"电池", u"soc"}},
        {u"车机联网/4G信号", {u"没网", u"4g", u"信号", u"联网"}},
        {u"导航与地图", {u"导航", u"地图"}},
        {u"语音助手", {u"语音"}},
        {u"车辆定位/轨迹", {u"定位", u"轨迹"}},
        {u"流量与SIM卡/eSIM", {u"流量", u"sim"}},
        {u"车况报告与故障码", {u"故障码", u"车况"}},
        {u"远程诊断", {u"诊断"}},
        {u"车队/企业账号权限", {u"车队", u"企业"}},
    };
    QString category;
    for (const Rule &r : rules) {
        if (containsAny(text, r.words)) {
            category = QString::fromUtf16(r.category);
            break;
        }
    }
    QString urgency = QStringLiteral("normal");
    if (containsAny(text, {u"事故", u"起火", u"冒烟", u"着火", u"ecall", u"救援"}))
        urgency = QStringLiteral("critical");
    else if (containsAny(text, {u"打不开", u"无法解锁", u"启动不了", u"无法启动", u"趴窝"}))
        urgency = QStringLiteral("high");

    QJsonArray vins, codes;
    static const QRegularExpression vinRe(
        QStringLiteral("(?<![A-Za-z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])"));
    for (auto it = vinRe.globalMatch(text); it.hasNext();)
        vins.append(it.next().captured(0));
    static const QRegularExpression codeRe(QStringLiteral("(?<![A-Za-z0-9])[EAKUC]-[0-9]{4}(?![0-9])"));
    for (auto it = codeRe.globalMatch(text); it.hasNext();)
        codes.append(it.next().captured(0));

    // What the customer said, not the transcript's header and labels: the first message and,
    // when they wrote more, the last one ("客户反馈：车机没网；随后补充：重启过了还是不行").
    QStringList said;
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (line.startsWith(QStringLiteral("客户：")))
            said << line.mid(3).simplified();
    }
    const auto cut = [](QString s) { return s.size() > 60 ? s.left(60) + QStringLiteral("…") : s; };
    QString firstLine = said.isEmpty() ? cut(text.simplified()) : cut(said.constFirst());
    if (said.size() > 1 && said.constLast() != said.constFirst())
        firstLine += QStringLiteral("；随后补充：") + cut(said.constLast());
    const QString nextStep = vins.isEmpty()
                                 ? QStringLiteral("请客户提供车辆 VIN 和车型")
                                 : QStringLiteral("在 TSP 后台查询该车辆的 T-Box 在线状态并按知识库处理");
    QJsonObject entities;
    if (!vins.isEmpty())
        entities.insert(QStringLiteral("vin"), vins);
    if (!codes.isEmpty())
        entities.insert(QStringLiteral("error_code"), codes);
    return QJsonObject{{QStringLiteral("category"), category},
                       {QStringLiteral("urgency"), urgency},
                       {QStringLiteral("summary"), QString(QStringLiteral("客户反馈：") + firstLine)},
                       {QStringLiteral("entities"), entities},
                       {QStringLiteral("next_step"), nextStep}};
}

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>
#include <QTest>

#include "assistant/analyzer.h"
#include "fixedretriever.h"
#include "sandbox/llmstandin.h"

namespace {

QMutex g_mutex;
QStringList g_lines;

void capture(QtMsgType, const QMessageLogContext &, const QString &msg)
{
    QMutexLocker lock(&g_mutex);
    g_lines << msg;
}

QList<ConversationTurn> customer(const QString &text)
{
    return {{ConversationTurn::Role::Customer, text}};
}

} // namespace

class TestAnalyzer final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void categoryByKeywords_data();
    void categoryByKeywords();
    void categoryFromKnowledgeHit();
    void unknownCategoryStaysEmpty();
    void urgencyRules_data();
    void urgencyRules();
    void summaryNamesWhatWasGiven();
    void entitiesOnlyFromPeople();
    void nextStep_data();
    void nextStep();
    void entitiesJsonRoundTrip();
    void parseLlmJson_data();
    void parseLlmJson();
    void llmPathWithValidJson();
    void llmInvalidJsonFallsBackToRules_data();
    void llmInvalidJsonFallsBackToRules();
    void llmCannotLowerRuleUrgency();
    void llmEntitiesMustBeInConversation();
    void llmFailureFallsBackToRules();
    void llmTooSlowFallsBackToRules();
    void noLlmUsesRulesAsynchronously();
    void entityValuesNeverLogged();

private:
    Analysis run(Analyzer &analyzer, const QList<ConversationTurn> &conversation);

    LlmStandIn *m_standIn = nullptr;
    LlmClient *m_llm = nullptr;
};

void TestAnalyzer::init()
{
    m_standIn = new LlmStandIn(this);
    QVERIFY(m_standIn->start());
    m_llm = new LlmClient(this);
    LlmConfig c;
    c.provider = LlmConfig::Provider::Custom;
    c.baseUrl = m_standIn->baseUrl();
    c.model = QStringLiteral("standin");
    c.apiKey = QStringLiteral("sk-analyzer-test-01");
    c.retries = 0;
    c.connectTimeoutMs = 5000;
    c.timeoutMs = 10000;
    m_llm->setConfig(c);
}

void TestAnalyzer::cleanup()
{
    delete m_llm;
    delete m_standIn;
}

Analysis TestAnalyzer::run(Analyzer &analyzer, const QList<ConversationTurn> &conversation)
{
    Analysis out;
    int calls = 0;
    analyzer.analyze(conversation, [&](const Analysis &a) {
        out = a;
        ++calls;
    });
    if (!QTest::qWaitFor([&] { return calls > 0; }, 20000))
        qWarning("no analysis");
    QTest::qWait(0);
    if (calls != 1)
        qWarning("done called %d times", calls);
    return out;
}

void TestAnalyzer::categoryByKeywords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("category");
    QTest::newRow("head unit") << QStringLiteral("车机没网了，4G图标都没有") << QStringLiteral("车机联网/4G信号");
    QTest::newRow("tbox") << QStringLiteral("APP 显示车辆离线两天了，T-Box 是不是坏了") << QStringLiteral("T-Box离线");
    QTest::newRow("key code") << QStringLiteral("新卡刷门把手没反应，车机提示K-3015") << QStringLiteral("数字钥匙(蓝牙/NFC)");
    QTest::newRow("ota") << QStringLiteral("OTA 升级到一半失败了 U-4033") << QStringLiteral("OTA升级");
    QTest::newRow("login typo") << QStringLiteral("app收不到验证吗登录不了") << QStringLiteral("APP登录与账号绑定");
    QTest::newRow("charging") << QStringLiteral("预约充电到点不充，报C-6020") << QStringLiteral("充电预约与电池(新能源)");
    QTest::newRow("fleet") << QStringLiteral("车队管理员看不到司机的车辆") << QStringLiteral("车队/企业账号权限");
}

void TestAnalyzer::categoryByKeywords()
{
    QFETCH(QString, text);
    QFETCH(QString, category);
    Analyzer analyzer;
    const Analysis a = analyzer.analyzeWithRules(customer(text));
    QCOMPARE(a.category, category);
    QCOMPARE(a.source, QStringLiteral("rules"));
    QVERIFY(a.updatedAt > 0);
}

void TestAnalyzer::categoryFromKnowledgeHit()
{
    FixedRetriever retriever;
    Analyzer analyzer(&retriever);
    // Keywords alone would say 车机联网 (没网); the best KB hit is the APN ticket of the same
    // category, and its id is recorded.
    const Analysis a = analyzer.analyzeWithRules(customer(QStringLiteral("恢复出厂以后车机就没网了，在线应用提示网络异常")));
    QCOMPARE(a.knowledgeId, QStringLiteral("KB-0008"));
    QCOMPARE(a.category, QStringLiteral("车机联网/4G信号"));
    // The KB decides over keywords: "远程解锁" keywords, but the NFC ticket fits.
    const Analysis b = analyzer.analyzeWithRules(customer(QStringLiteral("新买的NFC卡开不了门，卡片钥匙刷了没反应")));
    QCOMPARE(b.knowledgeId, QStringLiteral("KB-0180"));
    QCOMPARE(b.category, QStringLiteral("数字钥匙(蓝牙/NFC)"));
}

void TestAnalyzer::unknownCategoryStaysEmpty()
{
    Analyzer analyzer;
    const Analysis a = analyzer.analyzeWithRules(customer(QStringLiteral("今天天气怎么样")));
    QVERIFY(a.category.isEmpty());
    QCOMPARE(a.urgency, QStringLiteral("normal"));
    QVERIFY(!a.summary.isEmpty());
    QVERIFY(!a.nextStep.isEmpty());
}

void TestAnalyzer::urgencyRules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("urgency");
    QTest::newRow("accident") << QStringLiteral("高速上追尾了，车头在冒烟") << QStringLiteral("critical");
    QTest::newRow("fire") << QStringLiteral("充电的时候电池包起火了") << QStringLiteral("critical");
    QTest::newRow("trapped") << QStringLiteral("孩子被困在车里了，车门打不开") << QStringLiteral("critical");
    QTest::newRow("ecall broken") << QStringLiteral("按了SOS没有反应") << QStringLiteral("critical");
    QTest::newRow("rescue") << QStringLiteral("车坏在路上了，需要道路救援拖车") << QStringLiteral("critical");
    QTest::newRow("ecall how-to") << QStringLiteral("请问如何测试 eCall 功能是否正常") << QStringLiteral("high");
    QTest::newRow("locked out") << QStringLiteral("钥匙失灵，车门打不开进不去车") << QStringLiteral("high");
    QTest::newRow("no start") << QStringLiteral("早上车启动不了") << QStringLiteral("high");
    QTest::newRow("stolen") << QStringLiteral("车被盗了，定位还在动") << QStringLiteral("high");
    QTest::newRow("complaint") << QStringLiteral("再不解决我就投诉") << QStringLiteral("high");
    QTest::newRow("how-to") << QStringLiteral("请问怎么设置预约充电") << QStringLiteral("low");
    QTest::newRow("question with fault") << QStringLiteral("请问远程解锁失败怎么办") << QStringLiteral("high");
    QTest::newRow("ordinary fault") << QStringLiteral("车机没网了") << QStringLiteral("normal");
}

void TestAnalyzer::urgencyRules()
{
    QFETCH(QString, text);
    QFETCH(QString, urgency);
    QCOMPARE(Analyzer::urgencyFor(text), urgency);
    Analyzer analyzer;
    QCOMPARE(analyzer.analyzeWithRules(customer(text)).urgency, urgency);
}

void TestAnalyzer::summaryNamesWhatWasGiven()
{
    Analyzer analyzer;
    const QList<ConversationTurn> conv = {
        {ConversationTurn::Role::Customer, QStringLiteral("我的云驰 E7 远程解锁一直报E-1001")},
        {ConversationTurn::Role::Bot, QStringLiteral("请提供 VIN")},
        {ConversationTurn::Role::Customer, QStringLiteral("VIN LSVAB2BJXN2000001，电话13812345678")},
    };
    const Analysis a = analyzer.analyzeWithRules(conv);
    QVERIFY2(a.summary.startsWith(QStringLiteral("云驰 E7 车主反馈远程控制(远程解锁/空调/寻车)问题：我的云驰 E7 远程解锁一直报E-1001")),
             qPrintable(a.summary));
    QVERIFY(a.summary.contains(QStringLiteral("随后补充：")));
    QVERIFY(a.summary.contains(QStringLiteral("涉及故障码 E-1001")));
    QVERIFY(a.summary.contains(QStringLiteral("已提供VIN、手机号")));
    QCOMPARE(a.entities.size(), 4);
}

void TestAnalyzer::entitiesOnlyFromPeople()
{
    Analyzer analyzer;
    const QList<ConversationTurn> conv = {
        {ConversationTurn::Role::Customer, QStringLiteral("车机没网")},
        {ConversationTurn::Role::Bot, QStringLiteral("如果提示 E-1001 或 U-4020，请重启")},
        {ConversationTurn::Role::Operator, QStringLiteral("已登记车牌粤B12345")},
    };
    const Analysis a = analyzer.analyzeWithRules(conv);
    QCOMPARE(a.entities.size(), 1);
    QCOMPARE(a.entities.first().type, Entity::Type::Plate);
}

void TestAnalyzer::nextStep_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expectedStart");
    QTest::newRow("critical") << QStringLiteral("出车祸了气囊弹出") << QStringLiteral("立即电话联系客户确认人员安全");
    QTest::newRow("bad vin") << QStringLiteral("T-Box 离线，VIN LFV2A21K8E4123456") << QStringLiteral("客户提供的 VIN 校验不通过");
    QTest::newRow("no vin") << QStringLiteral("APP 显示车辆离线，T-Box 不在线") << QStringLiteral("请客户提供 17 位 VIN");
    QTest::newRow("tbox with vin") << QStringLiteral("T-Box 离线，VIN LFV2A21K6E4123456") << QStringLiteral("在 TSP 后台查询该车 T-Box");
    QTest::newRow("ota with vin") << QStringLiteral("OTA 升级失败 U-4020，车架号 LGXC16DF9M0987654") << QStringLiteral("在 OTA 后台查询");
    QTest::newRow("account") << QStringLiteral("APP 登录一直提示密码错误") << QStringLiteral("在账号后台核对");
}

void TestAnalyzer::nextStep()
{
    QFETCH(QString, text);
    QFETCH(QString, expectedStart);
    Analyzer analyzer;
    const Analysis a = analyzer.analyzeWithRules(customer(text));
    QVERIFY2(a.nextStep.startsWith(expectedStart), qPrintable(a.nextStep));
}

void TestAnalyzer::entitiesJsonRoundTrip()
{
    Analyzer analyzer;
    const Analysis a = analyzer.analyzeWithRules(
        customer(QStringLiteral("VIN LFV2A21K8E4123456 和 LGXC16DF9M0987654，粤BD12345，E-1001")));
    const QJsonObject json = a.entitiesJson();
    const QJsonArray vins = json.value(QLatin1String("vin")).toArray();
    QCOMPARE(vins.size(), 2);
    QCOMPARE(vins[0].toObject().value(QLatin1String("value")).toString(), QStringLiteral("LFV2A21K8E4123456"));
    QCOMPARE(vins[0].toObject().value(QLatin1String("valid")).toBool(), false);
    QVERIFY(vins[0].toObject().value(QLatin1String("note")).toString().contains(QLatin1String("check digit")));
    QCOMPARE(json.value(QLatin1String("plate")).toArray().first().toObject().value(QLatin1String("note")).toString(),
             QStringLiteral("新能源"));
    const QList<Entity> back = Analysis::entitiesFromJson(json);
    QCOMPARE(back.size(), a.entities.size());
    for (const Entity &e : a.entities)
        QVERIFY(back.contains(e));
}

void TestAnalyzer::parseLlmJson_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("whyContains");
    const QString good = QStringLiteral(R"({"category":"OTA升级","urgency":"normal","summary":"客户升级失败","next_step":"查询升级日志","entities":{"error_code":["U-4020"]}})");
    QTest::newRow("good") << good << true << QString();
    QTest::newRow("fenced") << QStringLiteral("```json\n") + good + QStringLiteral("\n```") << true << QString();
    QTest::newRow("prefix category") << QStringLiteral(R"({"category":"远程控制","urgency":"HIGH","summary":"s","next_step":"n"})") << true << QString();
    QTest::newRow("empty category") << QStringLiteral(R"({"category":"","urgency":"low","summary":"s","next_step":"n"})") << true << QString();
    QTest::newRow("not json") << QStringLiteral("好的，这是分析：类别是 OTA") << false << QStringLiteral("not JSON");
    QTest::newRow("array") << QStringLiteral("[1,2]") << false << QStringLiteral("not an object");
    QTest::newRow("bad category") << QStringLiteral(R"({"category":"保险理赔","urgency":"low","summary":"s","next_step":"n"})") << false << QStringLiteral("category");
    QTest::newRow("ambiguous prefix") << QStringLiteral(R"({"category":"车","urgency":"low","summary":"s","next_step":"n"})") << false << QStringLiteral("category");
    QTest::newRow("category number") << QStringLiteral(R"({"category":3,"urgency":"low","summary":"s","next_step":"n"})") << false << QStringLiteral("category");
    QTest::newRow("bad urgency") << QStringLiteral(R"({"category":"OTA升级","urgency":"urgent","summary":"s","next_step":"n"})") << false << QStringLiteral("urgency");
    QTest::newRow("no summary") << QStringLiteral(R"({"category":"OTA升级","urgency":"low","next_step":"n"})") << false << QStringLiteral("summary");
    QTest::newRow("empty next step") << QStringLiteral(R"({"category":"OTA升级","urgency":"low","summary":"s","next_step":" "})") << false << QStringLiteral("next_step");
    QTest::newRow("entities not object") << QStringLiteral(R"({"category":"OTA升级","urgency":"low","summary":"s","next_step":"n","entities":"vin"})") << false << QStringLiteral("entities");
    QTest::newRow("entities not strings") << QStringLiteral(R"({"category":"OTA升级","urgency":"low","summary":"s","next_step":"n","entities":{"vin":[1]}})") << false << QStringLiteral("entities.vin");
    QTest::newRow("huge summary") << QStringLiteral(R"({"category":"OTA升级","urgency":"low","summary":")") + QString(1200, QLatin1Char('x')) + QStringLiteral(R"(","next_step":"n"})") << false << QStringLiteral("longer");
}

void TestAnalyzer::parseLlmJson()
{
    QFETCH(QString, content);
    QFETCH(bool, ok);
    QFETCH(QString, whyContains);
    Analysis a;
    QHash<QString, QStringList> extra;
    QString why;
    QCOMPARE(Analyzer::parseLlmJson(content, &a, &extra, &why), ok);
    if (ok) {
        QVERIFY(Analyzer::urgencies().contains(a.urgency));
        QVERIFY(a.category.isEmpty() || Analyzer::urgencies().size() == 4);
        QVERIFY(!a.summary.isEmpty());
    } else {
        QVERIFY2(why.contains(whyContains), qPrintable(why));
    }
    if (QByteArray(QTest::currentDataTag()) == "prefix category") {
        QCOMPARE(a.category, QStringLiteral("远程控制(远程解锁/空调/寻车)"));
        QCOMPARE(a.urgency, QStringLiteral("high"));
    }
    if (QByteArray(QTest::currentDataTag()) == "good")
        QCOMPARE(extra.value(QStringLiteral("error_code")), QStringList{QStringLiteral("U-4020")});
}

void TestAnalyzer::llmPathWithValidJson()
{
    Analyzer analyzer(nullptr, m_llm);
    const QList<ConversationTurn> conv = {
        {ConversationTurn::Role::Customer, QStringLiteral("车机没网了，VIN LSVAB2BJXN2000001")},
        {ConversationTurn::Role::Bot, QStringLiteral("请检查 APN 设置")},
    };
    const Analysis a = run(analyzer, conv);
    QCOMPARE(a.source, QStringLiteral("llm"));
    QVERIFY(a.llmError.isEmpty());
    // What the stand-in's simple model rules produce for this conversation.
    const QJsonObject expected = LlmStandIn::analysisFor(QStringLiteral("会话记录：\n客户：车机没网了，VIN LSVAB2BJXN2000001\n机器人：请检查 APN 设置\n"));
    QCOMPARE(a.category, expected.value(QLatin1String("category")).toString());
    QCOMPARE(a.category, QStringLiteral("车机联网/4G信号"));
    QVERIFY(a.summary.startsWith(QStringLiteral("客户反馈：")));
    QCOMPARE(a.nextStep, expected.value(QLatin1String("next_step")).toString());
    QCOMPARE(a.entities.size(), 1);
    QCOMPARE(a.entities.first().value, QStringLiteral("LSVAB2BJXN2000001"));

    const QJsonObject req = m_standIn->lastRequest();
    QCOMPARE(req.value(QLatin1String("response_format")).toObject().value(QLatin1String("type")).toString(), QStringLiteral("json_object"));
    QCOMPARE(req.value(QLatin1String("stream")).toBool(true), false);
    const QJsonArray msgs = req.value(QLatin1String("messages")).toArray();
    const QString system = msgs[0].toObject().value(QLatin1String("content")).toString();
    QVERIFY(system.contains(QStringLiteral("只输出 JSON")));
    QVERIFY(system.contains(QStringLiteral("车队/企业账号权限")));
    QCOMPARE(msgs[1].toObject().value(QLatin1String("content")).toString(),
             QStringLiteral("会话记录：\n客户：车机没网了，VIN LSVAB2BJXN2000001\n机器人：请检查 APN 设置"));
}

void TestAnalyzer::llmInvalidJsonFallsBackToRules_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("whyContains");
    QTest::newRow("prose") << QStringLiteral("这位客户的问题是车机没网。") << QStringLiteral("not JSON");
    QTest::newRow("bad urgency") << QStringLiteral(R"({"category":"车机联网/4G信号","urgency":"紧急","summary":"s","next_step":"n"})") << QStringLiteral("urgency");
    QTest::newRow("invented category") << QStringLiteral(R"({"category":"网络问题","urgency":"low","summary":"s","next_step":"n"})") << QStringLiteral("category");
}

void TestAnalyzer::llmInvalidJsonFallsBackToRules()
{
    QFETCH(QString, content);
    QFETCH(QString, whyContains);
    m_standIn->setScriptedContent(content);
    Analyzer analyzer(nullptr, m_llm);
    const QList<ConversationTurn> conv = customer(QStringLiteral("车机没网了，VIN LSVAB2BJXN2000001"));
    const Analysis a = run(analyzer, conv);
    QCOMPARE(a.source, QStringLiteral("rules"));
    QVERIFY2(a.llmError.contains(QLatin1String("failed validation")), qPrintable(a.llmError));
    QVERIFY2(a.llmError.contains(whyContains), qPrintable(a.llmError));
    const Analysis rules = analyzer.analyzeWithRules(conv);
    QCOMPARE(a.category, rules.category);
    QCOMPARE(a.summary, rules.summary);
    QCOMPARE(a.nextStep, rules.nextStep);
    QCOMPARE(a.entities, rules.entities);
}

void TestAnalyzer::llmCannotLowerRuleUrgency()
{
    m_standIn->setScriptedContent(QStringLiteral(R"({"category":"eCall/bCall救援","urgency":"low","summary":"客户咨询","next_step":"回访"})"));
    Analyzer analyzer(nullptr, m_llm);
    const Analysis a = run(analyzer, customer(QStringLiteral("高速上追尾了，车里冒烟")));
    QCOMPARE(a.source, QStringLiteral("llm"));
    QCOMPARE(a.urgency, QStringLiteral("critical"));
    QVERIFY(a.nextStep.startsWith(QStringLiteral("立即电话联系客户确认人员安全")));
    QCOMPARE(a.summary, QStringLiteral("客户咨询"));
}

void TestAnalyzer::llmEntitiesMustBeInConversation()
{
    m_standIn->setScriptedContent(QStringLiteral(
        R"({"category":"T-Box离线","urgency":"normal","summary":"s","next_step":"n",)"
        R"("entities":{"vin":["LSVAB2BJXN2000001"],"phone":["13800000000"],"imei":["860123456789014"],"email":["a@b.c"]}})"));
    Analyzer analyzer(nullptr, m_llm);
    const Analysis a = run(analyzer, customer(QStringLiteral("T-Box 离线了，VIN：LSVAB2BJXN2000001，IMEI 是 860123456789014")));
    QCOMPARE(a.source, QStringLiteral("llm"));
    QStringList types;
    for (const Entity &e : a.entities)
        types << Entity::typeName(e.type) + QLatin1Char(':') + e.value;
    // The invented phone and the unknown type are dropped; the rest were found by the rules anyway.
    QCOMPARE(types, QStringList({QStringLiteral("vin:LSVAB2BJXN2000001"), QStringLiteral("imei:860123456789014")}));
}

void TestAnalyzer::llmFailureFallsBackToRules()
{
    m_standIn->setFault(LlmStandIn::Fault::Http500);
    Analyzer analyzer(nullptr, m_llm);
    const Analysis a = run(analyzer, customer(QStringLiteral("OTA 升级失败 U-4020")));
    QCOMPARE(a.source, QStringLiteral("rules"));
    QVERIFY(a.llmError.contains(QLatin1String("HTTP 500")));
    QCOMPARE(a.category, QStringLiteral("OTA升级"));
}

void TestAnalyzer::llmTooSlowFallsBackToRules()
{
    m_standIn->setFault(LlmStandIn::Fault::NoAnswer);
    Analyzer analyzer(nullptr, m_llm);
    Analyzer::Options o;
    o.deadlineMs = 200;
    analyzer.setOptions(o);
    const Analysis a = run(analyzer, customer(QStringLiteral("OTA 升级失败 U-4020")));
    QCOMPARE(a.source, QStringLiteral("rules"));
    QVERIFY(a.llmError.contains(QLatin1String("200 ms")));
    QCOMPARE(m_llm->pendingCount(), 0);
}

void TestAnalyzer::noLlmUsesRulesAsynchronously()
{
    Analyzer analyzer;
    int calls = 0;
    analyzer.analyze(customer(QStringLiteral("车机没网")), [&](const Analysis &a) {
        ++calls;
        QCOMPARE(a.source, QStringLiteral("rules"));
        QVERIFY(a.llmError.isEmpty());
    });
    QCOMPARE(calls, 0);
    QTRY_COMPARE(calls, 1);
    QCOMPARE(m_standIn->requestCount(), 0);
}

void TestAnalyzer::entityValuesNeverLogged()
{
    const QStringList secrets = {QStringLiteral("LSVAB2BJXN2000001"), QStringLiteral("13812345678"), QStringLiteral("粤B12345"),
                                 QStringLiteral("860123456789014"), QStringLiteral("89860112345678901237")};
    const QString text = QStringLiteral("VIN LSVAB2BJXN2000001 电话13812345678 车牌粤B12345 IMEI 860123456789014 ICCID 89860112345678901237 T-Box 离线");
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*.debug=true"));
    {
        QMutexLocker lock(&g_mutex);
        g_lines.clear();
    }
    const QtMessageHandler previous = qInstallMessageHandler(capture);
    {
        Analyzer rulesOnly;
        run(rulesOnly, customer(text));
        Analyzer withLlm(nullptr, m_llm);
        run(withLlm, customer(text));
        m_standIn->setScriptedContent(QStringLiteral("not json"));
        run(withLlm, customer(text));
    }
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*.debug=false"));
    QMutexLocker lock(&g_mutex);
    QVERIFY(g_lines.size() >= 3);
    bool sawCounts = false;
    for (const QString &line : std::as_const(g_lines)) {
        for (const QString &s : secrets)
            QVERIFY2(!line.contains(s), qPrintable(line));
        sawCounts = sawCounts || line.contains(QLatin1String("vinx1"));
    }
    QVERIFY(sawCounts);
}

QTEST_GUILESS_MAIN(TestAnalyzer)
#include "tst_analyzer.moc"

#include "assistant/analyzer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include "assistant/tspvocabulary.h"
#include "knowledge/retrieverthread.h"
#include "logging_p.h"

namespace {

constexpr int kRulesTopK = 3; // hits the rules' knowledge search fetches

bool containsAny(const QString &text, std::initializer_list<const char16_t *> words)
{
    for (const char16_t *w : words) {
        if (text.contains(QString::fromUtf16(w), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

int urgencyRank(const QString &u)
{
    return int(Analyzer::urgencies().indexOf(u));
}

QString condensed(const QString &text, int maxChars)
{
    QString s = text.simplified();
    if (s.size() > maxChars)
        s = s.left(maxChars) + QStringLiteral("…");
    return s;
}

QString customerText(const QList<ConversationTurn> &conversation, bool withOperator)
{
    QStringList parts;
    for (const ConversationTurn &t : conversation) {
        if (t.role == ConversationTurn::Role::Customer ||
            (withOperator && t.role == ConversationTurn::Role::Operator))
            parts << t.text;
    }
    return parts.join(QLatin1Char('\n'));
}

QString entityCounts(const QList<Entity> &entities)
{
    QMap<QString, int> counts;
    for (const Entity &e : entities)
        ++counts[Entity::typeName(e.type) + (e.valid ? QString() : QStringLiteral("(invalid)"))];
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << QStringLiteral("%1x%2").arg(it.key()).arg(it.value());
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QLatin1Char(' '));
}

bool hasValid(const QList<Entity> &entities, Entity::Type type)
{
    return std::any_of(entities.begin(), entities.end(),
                       [type](const Entity &e) { return e.type == type && e.valid; });
}

const Entity *first(const QList<Entity> &entities, Entity::Type type)
{
    for (const Entity &e : entities) {
        if (e.type == type)
            return &e;
    }
    return nullptr;
}

} // namespace

QJsonObject Analysis::entitiesJson() const
{
    QJsonObject o;
    for (const Entity &e : entities) {
        const QString key = Entity::typeName(e.type);
        QJsonArray list = o.value(key).toArray();
        QJsonObject item{{QStringLiteral("value"), e.value}, {QStringLiteral("valid"), e.valid}};
        if (!e.note.isEmpty())
            item.insert(QStringLiteral("note"), e.note);
        list.append(item);
        o.insert(key, list);
    }
    return o;
}

QList<Entity> Analysis::entitiesFromJson(const QJsonObject &json)
{
    // Grouped by type, in Entity::Type order (the JSON object does not keep the text order).
    QList<Entity> out;
    for (Entity::Type type : {Entity::Type::Vin, Entity::Type::Plate, Entity::Type::Phone, Entity::Type::Imei,
                              Entity::Type::Iccid, Entity::Type::Dtc, Entity::Type::ErrorCode,
                              Entity::Type::AppVersion, Entity::Type::VehicleModel}) {
        for (const QJsonValue &v : json.value(Entity::typeName(type)).toArray()) {
            const QJsonObject item = v.toObject();
            Entity e;
            e.type = type;
            e.value = item.value(QLatin1String("value")).toString();
            e.valid = item.value(QLatin1String("valid")).toBool(true);
            e.note = item.value(QLatin1String("note")).toString();
            if (!e.value.isEmpty())
                out.append(e);
        }
    }
    return out;
}

AnalysisRecord Analysis::toRecord() const
{
    AnalysisRecord r;
    r.category = category;
    r.urgency = urgency;
    r.summary = summary;
    r.entities = entitiesJson();
    r.nextStep = nextStep;
    r.source = source;
    r.updatedAt = updatedAt;
    return r;
}

Analysis Analysis::fromRecord(const AnalysisRecord &r)
{
    Analysis a;
    a.category = r.category;
    a.urgency = r.urgency;
    a.summary = r.summary;
    a.entities = entitiesFromJson(r.entities);
    a.nextStep = r.nextStep;
    a.source = r.source;
    a.updatedAt = r.updatedAt;
    return a;
}

struct Analyzer::Pending
{
    Done done;
    Analysis rules;
    QString conversationText; // customer + operator turns: what LLM entities must come from
    LlmClient::RequestId llmId = 0;
    QTimer *deadline = nullptr;
};

Analyzer::Analyzer(KnowledgeRetriever *retriever, LlmClient *llm, QObject *parent)
    : QObject(parent)
    , m_retriever(retriever)
    , m_llm(llm)
{}

Analyzer::~Analyzer()
{
    for (Pending *p : std::as_const(m_pending)) {
        if (m_llm)
            m_llm->cancel(p->llmId);
        delete p->deadline;
        delete p;
    }
}

QStringList Analyzer::urgencies()
{
    return {QStringLiteral("low"), QStringLiteral("normal"), QStringLiteral("high"),
            QStringLiteral("critical")};
}

QString Analyzer::urgencyFor(const QString &text)
{
    // Safety first: accidents, smoke, fire, injuries, people trapped.
    if (TspVocabulary::isEmergency(text))
        return QStringLiteral("critical");
    const bool informational = containsAny(
        text, {u"如何", u"怎么设置", u"怎么测试", u"测试", u"区别", u"收费", u"误触", u"误按", u"指示灯",
               u"盖板", u"紧急联系人", u"在哪", u"是否", u"能不能", u"可以吗", u"请问", u"咨询"});
    const bool faulty = containsAny(text, {u"失败", u"不行", u"没反应", u"用不了", u"打不开", u"报错",
                                           u"故障", u"异常", u"不能", u"无法", u"离线", u"没网", u"坏",
                                           u"不了", u"没有声音", u"听不到", u"不工作"});
    // Rescue calls are critical unless the customer is only asking how the service works.
    if (containsAny(text, {u"ecall", u"bcall", u"sos", u"救援", u"紧急呼叫", u"拖车"}))
        return informational && !faulty ? QStringLiteral("high") : QStringLiteral("critical");
    if (containsAny(text, {u"打不开车门", u"打不开门", u"开不了门", u"进不去车", u"进不了车", u"锁在车外",
                           u"无法解锁",   u"解锁失败", u"锁不上",   u"无法锁车", u"无法启动", u"启动不了",
                           u"打不着火",   u"不能启动", u"趴窝",     u"抛锚",     u"困在",     u"高速上",
                           u"半路",       u"被盗",     u"被偷",     u"车丢了",   u"异常移动", u"投诉",
                           u"12315",      u"曝光",     u"着急",     u"很急",     u"急用"}))
        return QStringLiteral("high");
    if (informational && !faulty)
        return QStringLiteral("low");
    return QStringLiteral("normal");
}

Analysis Analyzer::analyzeWithRules(const QList<ConversationTurn> &conversation) const
{
    return analyzeWithRules(conversation, std::nullopt);
}

Analysis Analyzer::analyzeWithRules(const QList<ConversationTurn> &conversation,
                                    const std::optional<KnowledgeSearchResult> &found) const
{
    Analysis a;
    a.source = QStringLiteral("rules");
    const QString customer = customerText(conversation, false);
    a.entities = EntityExtractor::extract(customerText(conversation, true));

    // Category: the knowledge base's best answerable hit knows best; keywords otherwise.
    if ((found || m_retriever) && !customer.trimmed().isEmpty()) {
        const KnowledgeSearchResult r = found ? *found : m_retriever->search(customer, kRulesTopK);
        if (r.answerable && !r.hits.isEmpty()) {
            a.knowledgeId = r.hits.first().entry.id;
            if (TspVocabulary::isCategory(r.hits.first().entry.category))
                a.category = r.hits.first().entry.category;
        }
    }
    if (a.category.isEmpty()) {
        const auto scores = TspVocabulary::scoreCategories(customer);
        if (!scores.isEmpty())
            a.category = scores.first().name;
    }
    a.urgency = urgencyFor(customer);

    // Summary: who, what, what they gave us.
    QStringList turns;
    for (const ConversationTurn &t : conversation) {
        if (t.role == ConversationTurn::Role::Customer && !t.text.trimmed().isEmpty())
            turns << t.text;
    }
    QString summary;
    const Entity *model = first(a.entities, Entity::Type::VehicleModel);
    summary += model ? model->value + QStringLiteral(" 车主") : QStringLiteral("客户");
    summary +=
        a.category.isEmpty() ? QStringLiteral("反馈：") : QStringLiteral("反馈%1问题：").arg(a.category);
    summary += turns.isEmpty() ? QStringLiteral("（没有客户消息）") : condensed(turns.first(), 80);
    if (turns.size() > 1)
        summary += QStringLiteral("；随后补充：") + condensed(turns.last(), 40);
    QStringList given;
    if (hasValid(a.entities, Entity::Type::Vin))
        given << QStringLiteral("VIN");
    else if (first(a.entities, Entity::Type::Vin))
        given << QStringLiteral("VIN（校验不通过）");
    if (first(a.entities, Entity::Type::Phone))
        given << QStringLiteral("手机号");
    if (first(a.entities, Entity::Type::Plate))
        given << QStringLiteral("车牌");
    if (first(a.entities, Entity::Type::Imei))
        given << QStringLiteral("T-Box IMEI");
    QStringList codes;
    for (const Entity &e : std::as_const(a.entities)) {
        if (e.type == Entity::Type::ErrorCode || e.type == Entity::Type::Dtc)
            codes << e.value;
    }
    if (!codes.isEmpty())
        summary += QStringLiteral("。涉及故障码 ") + codes.join(QStringLiteral("、"));
    if (!given.isEmpty())
        summary += QStringLiteral("。已提供") + given.join(QStringLiteral("、"));
    summary += QStringLiteral("。");
    a.summary = summary;
    a.nextStep = nextStepFor(a);
    a.updatedAt = QDateTime::currentMSecsSinceEpoch();
    return a;
}

QString Analyzer::nextStepFor(const Analysis &a) const
{
    if (a.urgency == QLatin1String("critical"))
        return QStringLiteral(
            "立即电话联系客户确认人员安全，协助联系救援中心（必要时拨打 110/119/120），并升级至二线值班。");
    const Entity *vin = first(a.entities, Entity::Type::Vin);
    if (vin && !hasValid(a.entities, Entity::Type::Vin))
        return QStringLiteral("客户提供的 VIN 校验不通过，请客户核对行驶证上的 17 位车架号后重新提供。");
    static const QStringList vehicleSpecific = {
        QStringLiteral("T-Box离线"),        QStringLiteral("远程控制(远程解锁/空调/寻车)"),
        QStringLiteral("OTA升级"),          QStringLiteral("车辆定位/轨迹"),
        QStringLiteral("流量与SIM卡/eSIM"), QStringLiteral("车况报告与故障码"),
        QStringLiteral("远程诊断"),         QStringLiteral("数字钥匙(蓝牙/NFC)"),
        QStringLiteral("车机联网/4G信号"),  QStringLiteral("充电预约与电池(新能源)")};
    if (!vin && vehicleSpecific.contains(a.category))
        return QStringLiteral("请客户提供 17 位 VIN（车架号）和车型，便于在后台查询车辆状态。");
    if (a.category == QStringLiteral("T-Box离线") ||
        a.category == QStringLiteral("远程控制(远程解锁/空调/寻车)"))
        return QStringLiteral("在 TSP 后台查询该车 T-Box 最后在线时间与信号，必要时下发远程唤醒或远程重启 "
                              "T-Box；仍离线则升级至二线。");
    if (a.category == QStringLiteral("OTA升级"))
        return QStringLiteral("在 OTA 后台查询该车升级任务与日志，按错误码指导客户；连续失败升级至二线。");
    if (a.category == QStringLiteral("APP登录与账号绑定"))
        return QStringLiteral("在账号后台核对手机号、账号状态与车辆绑定关系。");
    if (a.category == QStringLiteral("数字钥匙(蓝牙/NFC)"))
        return QStringLiteral("在钥匙管理后台核对该车钥匙状态（激活、吊销、数量上限）。");
    if (a.category == QStringLiteral("流量与SIM卡/eSIM"))
        return QStringLiteral("在流量平台查询该车 SIM/eSIM 状态、实名和套餐余量。");
    if (a.category == QStringLiteral("eCall/bCall救援"))
        return QStringLiteral("核对该车 eCall/bCall 服务状态与最近呼叫记录，并回访客户。");
    if (!a.knowledgeId.isEmpty())
        return QStringLiteral("按知识库 %1 的步骤指导客户；仍未解决则升级至二线支持。").arg(a.knowledgeId);
    return QStringLiteral("按知识库方案回复客户；仍未解决则升级至二线支持。");
}

QString Analyzer::analysisSystemPrompt()
{
    return QStringLiteral(
               "你是车联网（TSP）客服质检助手，负责分析一段客服会话。只输出 JSON "
               "对象，不要输出其他文字。字段：\n"
               "- category：字符串，必须是以下类别之一，无法判断时为空字符串：%1\n"
               "- urgency：low、normal、high、critical 之一。事故、冒烟、起火、人员受伤或被困、eCall/救援为 "
               "critical；"
               "无法开门、无法启动、车辆被盗、客户投诉为 high；单纯咨询为 low；其他为 normal。\n"
               "- summary：一段中文摘要（不超过 150 字），说明客户的问题、已尝试的操作和当前状态。\n"
               "- entities：对象，键为 "
               "vin、plate、phone、imei、iccid、dtc、error_code、app_version、vehicle_model，"
               "值为会话中原样出现的字符串数组；没有就省略。\n"
               "- next_step：给客服的下一步建议（一句话），例如索要 VIN、远程重启 T-Box、升级至二线。\n")
        .arg(TspVocabulary::categoryNames().join(QStringLiteral("、")));
}

bool Analyzer::parseLlmJson(const QString &content, Analysis *out, QHash<QString, QStringList> *extraEntities,
                            QString *why)
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    QString text = content.trimmed();
    // Some models wrap JSON in a Markdown fence even in JSON mode.
    if (text.startsWith(QLatin1String("```"))) {
        const qsizetype nl = text.indexOf(QLatin1Char('\n'));
        const qsizetype end = text.lastIndexOf(QLatin1String("```"));
        if (nl > 0 && end > nl)
            text = text.mid(nl + 1, end - nl - 1).trimmed();
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(QStringLiteral("not JSON (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("the JSON is not an object"));
    const QJsonObject o = doc.object();

    const QJsonValue category = o.value(QLatin1String("category"));
    if (!category.isString())
        return fail(QStringLiteral("\"category\" is missing or not a string"));
    QString cat = category.toString().trimmed();
    if (!cat.isEmpty() && !TspVocabulary::isCategory(cat)) {
        // Accept an unambiguous prefix ("远程控制" for "远程控制(远程解锁/空调/寻车)").
        QStringList matches;
        for (const QString &name : TspVocabulary::categoryNames()) {
            if (name.startsWith(cat))
                matches << name;
        }
        if (matches.size() != 1)
            return fail(QStringLiteral("\"category\" \"%1\" is not one of the 15 knowledge categories")
                            .arg(cat.left(40)));
        cat = matches.first();
    }
    const QString urgency = o.value(QLatin1String("urgency")).toString().trimmed().toLower();
    if (!urgencies().contains(urgency))
        return fail(QStringLiteral("\"urgency\" must be low, normal, high or critical"));
    const QJsonValue summary = o.value(QLatin1String("summary"));
    if (!summary.isString() || summary.toString().trimmed().isEmpty())
        return fail(QStringLiteral("\"summary\" is missing or empty"));
    if (summary.toString().size() > 1000)
        return fail(QStringLiteral("\"summary\" is longer than 1000 characters"));
    const QJsonValue next = o.value(QLatin1String("next_step"));
    if (!next.isString() || next.toString().trimmed().isEmpty())
        return fail(QStringLiteral("\"next_step\" is missing or empty"));
    if (next.toString().size() > 500)
        return fail(QStringLiteral("\"next_step\" is longer than 500 characters"));
    QHash<QString, QStringList> extra;
    if (o.contains(QLatin1String("entities"))) {
        const QJsonValue ents = o.value(QLatin1String("entities"));
        if (!ents.isObject() && !ents.isNull())
            return fail(QStringLiteral("\"entities\" is not an object"));
        const QJsonObject eo = ents.toObject();
        for (auto it = eo.begin(); it != eo.end(); ++it) {
            if (!it.value().isArray())
                return fail(QStringLiteral("\"entities.%1\" is not an array").arg(it.key().left(30)));
            for (const QJsonValue &v : it.value().toArray()) {
                if (!v.isString())
                    return fail(QStringLiteral("\"entities.%1\" holds something other than strings")
                                    .arg(it.key().left(30)));
                extra[it.key()] << v.toString();
            }
        }
    }
    out->category = cat;
    out->urgency = urgency;
    out->summary = summary.toString().trimmed();
    out->nextStep = next.toString().trimmed();
    if (extraEntities)
        *extraEntities = extra;
    return true;
}

void Analyzer::analyze(const QList<ConversationTurn> &conversation, Done done)
{
    if (m_retrieverThread) {
        // The search runs (and is prepared) on the retriever thread; the rest goes on here.
        const quint64 id = m_nextId++;
        m_searching.insert(id, {conversation, std::move(done)});
        m_retrieverThread->run(
            this, [this, id, customer = customerText(conversation, false)](
                      KnowledgeRetriever *retriever, QObject *context, const RetrieverThread::Reply &reply) {
                // On the retriever thread: nothing of this object but its address is touched here.
                if (!retriever || customer.trimmed().isEmpty()) {
                    reply([this, id] { searched(id, std::nullopt); });
                    return;
                }
                retriever->prepare({customer}, context, [this, id, customer, retriever, reply] {
                    KnowledgeSearchResult r = retriever->search(customer, kRulesTopK);
                    reply([this, id, r = std::move(r)] { searched(id, r); });
                });
            });
        return;
    }
    if (!m_retriever) {
        analyzePrepared(conversation, std::move(done));
        return;
    }
    // The rules search the knowledge base with the customer's words: the retriever fetches what it
    // needs (the query's embedding) without blocking the event loop first.
    m_retriever->prepare({customerText(conversation, false)}, this,
                         [this, conversation, done = std::move(done)]() mutable {
                             analyzePrepared(conversation, std::move(done));
                         });
}

void Analyzer::searched(quint64 id, const std::optional<KnowledgeSearchResult> &result)
{
    auto it = m_searching.find(id);
    if (it == m_searching.end())
        return;
    Searching s = std::move(it.value());
    m_searching.erase(it);
    analyzePrepared(s.conversation, std::move(s.done), result);
}

void Analyzer::analyzePrepared(const QList<ConversationTurn> &conversation, Done done,
                               const std::optional<KnowledgeSearchResult> &found)
{
    const Analysis rules = analyzeWithRules(conversation, found);
    const quint64 id = m_nextId++;
    auto *p = new Pending;
    p->done = std::move(done);
    p->rules = rules;
    p->conversationText = customerText(conversation, true);
    m_pending.insert(id, p);

    QString why;
    if (!m_llm || !m_llm->isConfigured(&why)) {
        QTimer::singleShot(0, this, [this, id, rules] { finish(id, rules); });
        return;
    }
    // The newest part of the conversation that fits, labelled by speaker.
    QStringList lines;
    int chars = 0;
    for (qsizetype i = conversation.size() - 1; i >= 0; --i) {
        const ConversationTurn &t = conversation.at(i);
        const QString who = t.role == ConversationTurn::Role::Customer ? QStringLiteral("客户")
                            : t.role == ConversationTurn::Role::Bot    ? QStringLiteral("机器人")
                                                                       : QStringLiteral("人工客服");
        const QString line = who + QStringLiteral("：") + t.text.simplified();
        if (chars + line.size() > m_options.maxConversationChars && !lines.isEmpty())
            break;
        chars += int(line.size());
        lines.prepend(line);
    }
    const QList<LlmMessage> messages = {
        {LlmMessage::Role::System, analysisSystemPrompt()},
        {LlmMessage::Role::User, QStringLiteral("会话记录：\n") + lines.join(QLatin1Char('\n'))},
    };
    LlmRequestOptions options;
    options.jsonMode = true;
    options.temperature = 0.0;
    options.stream = false;
    p->deadline = new QTimer(this);
    p->deadline->setSingleShot(true);
    connect(p->deadline, &QTimer::timeout, this, [this, id] {
        Pending *q = m_pending.value(id);
        if (!q)
            return;
        if (m_llm)
            m_llm->cancel(q->llmId);
        Analysis a = q->rules;
        a.llmError = QStringLiteral("the LLM did not answer within %1 ms").arg(m_options.deadlineMs);
        qCWarning(lcAssistant).noquote() << "analysis:" << a.llmError << "- using the rules";
        finish(id, a);
    });
    p->deadline->start(qMax(1, m_options.deadlineMs));
    p->llmId = m_llm->complete(messages, options, [this, id](const LlmResult &r) { onLlmDone(id, r); });
}

void Analyzer::onLlmDone(quint64 id, const LlmResult &result)
{
    Pending *p = m_pending.value(id);
    if (!p)
        return;
    Analysis a = p->rules;
    if (!result.ok()) {
        a.llmError = result.errorString;
        qCWarning(lcAssistant).noquote()
            << "analysis: the LLM failed (" << result.errorString << ") - using the rules";
        finish(id, a);
        return;
    }
    Analysis fromLlm;
    QHash<QString, QStringList> extra;
    QString why;
    if (!parseLlmJson(result.text, &fromLlm, &extra, &why)) {
        a.llmError = QStringLiteral("the LLM analysis failed validation: ") + why;
        qCWarning(lcAssistant).noquote() << "analysis:" << a.llmError << "- using the rules";
        finish(id, a);
        return;
    }
    a.source = QStringLiteral("llm");
    a.category = fromLlm.category.isEmpty() ? p->rules.category : fromLlm.category;
    // Never below what the safety rules say.
    a.urgency =
        urgencyRank(fromLlm.urgency) >= urgencyRank(p->rules.urgency) ? fromLlm.urgency : p->rules.urgency;
    a.summary = fromLlm.summary;
    a.nextStep = a.urgency == QLatin1String("critical") && p->rules.urgency == QLatin1String("critical")
                     ? p->rules.nextStep
                     : fromLlm.nextStep;
    // LLM entities only when they really are in the conversation and pass the same checks.
    int dropped = 0;
    for (auto it = extra.cbegin(); it != extra.cend(); ++it) {
        Entity::Type type;
        if (!Entity::parseType(it.key(), &type)) {
            dropped += int(it.value().size());
            continue;
        }
        for (const QString &value : it.value()) {
            if (value.trimmed().isEmpty() ||
                !p->conversationText.contains(value.trimmed(), Qt::CaseInsensitive)) {
                ++dropped;
                continue;
            }
            const QList<Entity> checked = EntityExtractor::extract(value.trimmed());
            bool added = false;
            for (const Entity &e : checked) {
                if (e.type != type)
                    continue;
                added = true;
                if (!std::any_of(a.entities.begin(), a.entities.end(), [&e](const Entity &have) {
                        return have.type == e.type && have.value == e.value;
                    }))
                    a.entities.append(e);
            }
            if (!added)
                ++dropped;
        }
    }
    if (dropped > 0)
        qCInfo(lcAssistant)
            << "analysis:" << dropped
            << "entity value(s) from the LLM were not in the conversation or failed their checks";
    finish(id, a);
}

void Analyzer::finish(quint64 id, Analysis analysis)
{
    Pending *p = m_pending.take(id);
    if (!p)
        return;
    if (p->deadline) {
        p->deadline->stop();
        p->deadline->deleteLater();
    }
    analysis.updatedAt = QDateTime::currentMSecsSinceEpoch();
    // Counts only: entity values are customer data.
    qCInfo(lcAssistant).noquote() << QStringLiteral("analysis (%1): category").arg(analysis.source)
                                  << (analysis.category.isEmpty() ? QStringLiteral("unknown")
                                                                  : analysis.category)
                                  << "urgency" << analysis.urgency << "entities"
                                  << entityCounts(analysis.entities);
    Done done = std::move(p->done);
    delete p;
    if (done)
        done(analysis);
    emit analyzed(analysis);
}

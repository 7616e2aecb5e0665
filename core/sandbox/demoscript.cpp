#include "sandbox/demoscript.h"

#include <iterator>
#include <utility>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "logging_p.h"

namespace {

const QString kOwnerChat = QStringLiteral("oc_demo_p2p_wang");
const QString kFleetGroup = QStringLiteral("oc_demo_fleet_group");
const QString kOwnersGroup = QStringLiteral("oc_demo_owners_group");
const QString kWang = QStringLiteral("ou_demo_wang");
const QString kLi = QStringLiteral("ou_demo_li");
const QString kZhang = QStringLiteral("ou_demo_zhang");
const QString kZhao = QStringLiteral("ou_demo_zhao");
const QString kZhou = QStringLiteral("ou_demo_zhou");
const QString kSun = QStringLiteral("ou_demo_sun");
const QString kSunChat = QStringLiteral("oc_demo_p2p_sun");

DemoScript::Step step(const QString &who, const QString &chatId, const QString &chatType,
                      const QString &openId, const QString &text, bool mention, bool expectReply = true)
{
    DemoScript::Step s;
    s.who = who;
    s.push.chatId = chatId;
    s.push.chatType = chatType;
    s.push.senderOpenId = openId;
    s.push.text = text;
    s.push.mentionBot = mention;
    s.expectReply = expectReply;
    return s;
}

QString oneLine(QString text, int max = 160)
{
    text.replace(QLatin1Char('\n'), QStringLiteral(" / "));
    if (text.size() > max)
        text = text.left(max) + QStringLiteral("…");
    return text;
}

} // namespace

DemoScript::DemoScript(FeishuSandbox *sandbox, QObject *parent)
    : QObject(parent)
    , m_sandbox(sandbox)
    , m_steps(defaultSteps())
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { stepDone(true); });
    m_pause.setSingleShot(true);
    connect(&m_pause, &QTimer::timeout, this, &DemoScript::runStep);
    connect(m_sandbox, &FeishuSandbox::messageSent, this, &DemoScript::onMessageSent);
    // The tenant's directory: the bot looks these names up for the console.
    for (const auto &[openId, name] :
         {std::pair{kWang, QStringLiteral("王先生")}, std::pair{kLi, QStringLiteral("李工")},
          std::pair{kZhang, QStringLiteral("张三")}, std::pair{kZhao, QStringLiteral("赵女士")},
          std::pair{kZhou, QStringLiteral("周经理")}, std::pair{kSun, QStringLiteral("孙先生")}})
        m_sandbox->setUserName(openId, name);
    m_sandbox->setChatName(kFleetGroup, QStringLiteral("云驰车队服务群"));
    m_sandbox->setChatName(kOwnersGroup, QStringLiteral("车主交流群"));
}

DemoScript::~DemoScript() = default;

QList<DemoScript::Step> DemoScript::defaultSteps()
{
    const QString p2p = QStringLiteral("p2p");
    const QString group = QStringLiteral("group");
    QList<Step> steps;
    steps << step(QStringLiteral("王先生 (私聊)"), kOwnerChat, p2p, kWang,
                  QStringLiteral("车机没网了，导航和音乐都用不了"), false);
    steps << step(QStringLiteral("王先生 (私聊)"), kOwnerChat, p2p, kWang,
                  QStringLiteral("重启过了还是不行，还有其他方法吗"), false);
    steps << step(QStringLiteral("李工 (车队群)"), kFleetGroup, group, kLi,
                  QStringLiteral("远程解锁失败，APP一直转圈"), true);
    steps << step(QStringLiteral("张三 (车队群, 没有@机器人)"), kFleetGroup, group, kZhang,
                  QStringLiteral("下午三点开例会，大家别忘了"), false, false);
    steps << step(QStringLiteral("赵女士 (车主群)"), kOwnersGroup, group, kZhao,
                  QStringLiteral("车钥匙用不了，蓝牙连不上车"), true);
    steps << step(QStringLiteral("李工 (车队群)"), kFleetGroup, group, kLi,
                  QStringLiteral("车停在地下车库，信号不太好"), true);
    Step image = step(QStringLiteral("王先生 (私聊, 图片)"), kOwnerChat, p2p, kWang, QString(), false);
    image.push.messageType = QStringLiteral("image");
    image.push.rawContent = QStringLiteral("{\"image_key\":\"img_v2_demo_dashboard\"}");
    steps << image;
    Step again;
    again.who = QStringLiteral("飞书平台 (重投第一条消息)");
    again.redeliverFirst = true;
    again.expectReply = false;
    steps << again;
    return steps;
}

QList<DemoScript::Step> DemoScript::consoleSteps()
{
    const QString p2p = QStringLiteral("p2p");
    const QString group = QStringLiteral("group");
    QList<Step> steps;
    steps << step(QStringLiteral("王先生 (私聊)"), kOwnerChat, p2p, kWang,
                  QStringLiteral("车机没网了，导航和音乐都用不了"), false);
    steps << step(QStringLiteral("李工 (车队群)"), kFleetGroup, group, kLi,
                  QStringLiteral("远程解锁失败，APP一直转圈"), true);
    steps << step(QStringLiteral("赵女士 (车主群)"), kOwnersGroup, group, kZhao,
                  QStringLiteral("车钥匙用不了，蓝牙连不上车"), true);
    steps << step(QStringLiteral("王先生 (私聊)"), kOwnerChat, p2p, kWang,
                  QStringLiteral("重启过了还是不行，还有其他方法吗"), false);
    steps << step(QStringLiteral("周经理 (车队群)"), kFleetGroup, group, kZhou,
                  QStringLiteral("我们车队另一台车的远程空调也开不了"), true);
    steps << step(QStringLiteral("孙先生 (私聊)"), kSunChat, p2p, kSun,
                  QStringLiteral("仪表台下面冒烟了，车现在停在应急车道上，怎么办"), false);
    steps << step(QStringLiteral("李工 (车队群)"), kFleetGroup, group, kLi,
                  QStringLiteral("车停在地下车库，信号不太好"), true);
    steps << step(QStringLiteral("赵女士 (车主群)"), kOwnersGroup, group, kZhao,
                  QStringLiteral("手机换了新的，数字钥匙要重新绑定吗"), true);
    return steps;
}

QString DemoScript::reviewChatId()
{
    return kOwnersGroup;
}

void DemoScript::setContinuous(bool continuous, int intervalMs)
{
    m_continuous = continuous;
    m_intervalMs = qMax(100, intervalMs);
    if (continuous && m_kbQuestions.isEmpty()) {
        QFile kb(QStringLiteral(":/knowledge/tsp-knowledge.jsonl"));
        if (kb.open(QIODevice::ReadOnly)) {
            while (!kb.atEnd()) {
                const QJsonObject entry = QJsonDocument::fromJson(kb.readLine()).object();
                const QJsonArray symptoms = entry.value(QStringLiteral("symptoms")).toArray();
                if (!symptoms.isEmpty())
                    m_kbQuestions << symptoms.first().toString();
            }
        }
    }
}

DemoScript::Step DemoScript::knowledgeStep(int n) const
{
    struct Customer
    {
        const char *who;
        const QString &chat;
        const char *type;
        const QString &openId;
    };
    static const Customer cast[] = {
        {"王先生 (私聊)", kOwnerChat, "p2p", kWang},       {"李工 (车队群)", kFleetGroup, "group", kLi},
        {"赵女士 (车主群)", kOwnersGroup, "group", kZhao}, {"周经理 (车队群)", kFleetGroup, "group", kZhou},
        {"孙先生 (私聊)", kSunChat, "p2p", kSun},
    };
    const Customer &c = cast[n % int(std::size(cast))];
    const QString question =
        m_kbQuestions.isEmpty() ? QStringLiteral("车机没网了") : m_kbQuestions.at(n % m_kbQuestions.size());
    const bool isGroup = QLatin1String(c.type) == QLatin1String("group");
    return step(QString::fromUtf8(c.who), c.chat, QLatin1String(c.type), c.openId, question, isGroup);
}

void DemoScript::start()
{
    if (m_running)
        return;
    m_running = true;
    m_index = -1;
    m_summary = {};
    qCInfo(lcSandbox).noquote() << QStringLiteral("demo: %1 scripted steps start now").arg(m_steps.size());
    runStep();
}

void DemoScript::runStep()
{
    ++m_index;
    if (m_continuous && m_index >= m_steps.size()) {
        const Step s = knowledgeStep(m_index - int(m_steps.size()));
        m_currentImId = m_sandbox->pushText(s.push);
        qCInfo(lcSandbox).noquote() << QStringLiteral("demo ▶ %1: %2「%3」")
                                           .arg(s.who,
                                                s.push.mentionBot ? QStringLiteral("@TSP助手 ") : QString(),
                                                oneLine(s.push.text));
        ++m_summary.pushed;
        m_pause.start(m_intervalMs);
        return;
    }
    if (m_index >= m_steps.size()) {
        m_running = false;
        qCInfo(lcSandbox).noquote()
            << QStringLiteral("demo finished: %1 message(s) pushed, %2 repl(ies), %3 missing, %4 unexpected")
                   .arg(m_summary.pushed)
                   .arg(m_summary.replies)
                   .arg(m_summary.missingReplies)
                   .arg(m_summary.unexpectedReplies);
        emit finished(m_summary);
        return;
    }
    const Step &s = m_steps.at(m_index);
    if (s.redeliverFirst) {
        m_sandbox->redeliver(m_firstImId);
        m_currentImId = m_firstImId;
        qCInfo(lcSandbox).noquote()
            << QStringLiteral("demo ▶ %1: 「%2」 again, same message id %3; the bot must not answer twice")
                   .arg(s.who, oneLine(m_firstText), m_firstImId);
    } else {
        m_currentImId = m_sandbox->pushText(s.push);
        const QString shown = s.push.messageType == QLatin1String("text")
                                  ? QStringLiteral("「%1」").arg(oneLine(s.push.text))
                                  : QStringLiteral("[%1 message]").arg(s.push.messageType);
        qCInfo(lcSandbox).noquote() << QStringLiteral("demo ▶ %1: %2%3")
                                           .arg(s.who,
                                                s.push.mentionBot ? QStringLiteral("@TSP助手 ") : QString(),
                                                shown);
        if (m_firstImId.isEmpty()) {
            m_firstImId = m_currentImId;
            m_firstText = s.push.text;
        }
    }
    ++m_summary.pushed;
    if (m_continuous) {
        m_pause.start(m_intervalMs); // customers do not wait: an operator may hold the session
        return;
    }
    m_timeout.start(s.expectReply ? m_replyTimeoutMs : m_quietMs);
}

void DemoScript::onMessageSent(const FeishuSandboxSentMessage &message)
{
    if (m_continuous && m_running) {
        ++m_summary.replies;
        qCInfo(lcSandbox).noquote()
            << QStringLiteral("demo ◀ TSP助手 → %1: 「%2」").arg(message.target, oneLine(message.text));
        return;
    }
    if (!m_running || m_index < 0 || m_index >= m_steps.size())
        return;
    const Step &s = m_steps.at(m_index);
    qCInfo(lcSandbox).noquote()
        << QStringLiteral("demo ◀ TSP助手 → %1: 「%2」").arg(s.who, oneLine(message.text));
    if (message.kind != QLatin1String("reply") || message.target != m_currentImId)
        return; // a later part of a long reply, or an answer to an earlier step
    ++m_summary.replies;
    if (!s.expectReply) {
        ++m_summary.unexpectedReplies;
        qCWarning(lcSandbox).noquote() << "demo: this step should have had no reply";
        return;
    }
    if (m_timeout.isActive())
        stepDone(false);
}

void DemoScript::stepDone(bool timedOut)
{
    m_timeout.stop();
    const Step &s = m_steps.at(m_index);
    if (timedOut && s.expectReply) {
        ++m_summary.missingReplies;
        qCWarning(lcSandbox).noquote()
            << QStringLiteral("demo: no reply to %1 within %2 ms").arg(s.who).arg(m_replyTimeoutMs);
    } else if (timedOut) {
        qCInfo(lcSandbox).noquote() << QStringLiteral("demo: no reply, as expected");
    }
    m_pause.start(m_pauseMs);
}

#include "demosandbox.h"

#include <QJsonObject>

#include "applogging.h"
#include "sandbox/bitablesandbox.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"

using namespace AppLogging;

DemoSandbox::DemoSandbox() = default;

DemoSandbox::~DemoSandbox()
{
    m_feishu.reset();
    m_llm.reset();
}

bool DemoSandbox::start(AppConfig *config, QString *error)
{
    FeishuSandbox::Options so;
    m_feishu = std::make_unique<FeishuSandbox>(so);
    m_feishu->setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 30},
                                          {QStringLiteral("ReconnectCount"), -1},
                                          {QStringLiteral("ReconnectInterval"), 2},
                                          {QStringLiteral("ReconnectNonce"), 1}});
    if (!m_feishu->start()) {
        *error = QStringLiteral("cannot listen on 127.0.0.1");
        return false;
    }
    config->appId = so.appId;
    config->appSecret = so.appSecret;
    config->feishuDomain = m_feishu->baseUrl();
    config->proxy = QStringLiteral("none");
    config->caFile.clear();
    for (const char *key : {"FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_DOMAIN"})
        config->sources.insert(QLatin1String(key), AppConfig::Source::CommandLine);
    if (!config->hasLlm()) {
        m_llm = std::make_unique<LlmStandIn>();
        if (!m_llm->start()) {
            *error = QStringLiteral("cannot start the LLM stand-in on 127.0.0.1");
            return false;
        }
        config->llmProvider = QStringLiteral("custom");
        config->llmBaseUrl = m_llm->baseUrl();
        config->llmModel = m_llm->model();
        config->llmApiKey =
            QStringLiteral("demo-standin-key"); // the stand-in checks none; the client wants one
    }
    addTicketTable(config);
    qCInfo(lcSandbox).noquote()
        << QStringLiteral("demo sandbox on %1 (Feishu) and %2 (LLM stand-in); no credentials needed")
               .arg(m_feishu->baseUrl().toString(), m_llm ? m_llm->baseUrl() : QStringLiteral("<your LLM>"));
    return true;
}

// The team's ticket table in the sandbox's Bitable, with tickets the team typed there, so the
// Tickets page and its sync show in the demo too.
void DemoSandbox::addTicketTable(AppConfig *config)
{
    const QString app = QStringLiteral("bascnDemoTickets");
    const QString table = QStringLiteral("tblDemoTickets");
    BitableSandbox *bitable = m_feishu->bitable();
    bitable->createTable(app, table);
    const auto ticket = [](const QString &title, const QString &category, const QString &urgency,
                           const QString &status, const QString &assignee, const QString &description) {
        return QJsonObject{{QStringLiteral("标题"), title},
                           {QStringLiteral("分类"), category},
                           {QStringLiteral("紧急程度"), urgency},
                           {QStringLiteral("状态"), status},
                           {QStringLiteral("处理人"), assignee},
                           {QStringLiteral("问题描述"), description},
                           {QStringLiteral("客户"), QStringLiteral("车队管理员")}};
    };
    bitable->addRecords(app, table,
                        {ticket(QStringLiteral("车队 12 台车远程解锁超时"), QStringLiteral("远程控制"),
                                QStringLiteral("高"), QStringLiteral("处理中"), QStringLiteral("李工"),
                                QStringLiteral("早高峰时段远程解锁超时，APP 提示“车辆响应超时”。")),
                         ticket(QStringLiteral("车机 4G 图标在但无法上网"), QStringLiteral("车联网"),
                                QStringLiteral("中"), QStringLiteral("待客户反馈"), QStringLiteral("王工"),
                                QStringLiteral("已请客户重启车机并检查流量套餐，等待回复。")),
                         ticket(QStringLiteral("更换手机后数字钥匙需重新绑定"), QStringLiteral("其他"),
                                QStringLiteral("低"), QStringLiteral("已解决"), QStringLiteral("李工"),
                                QStringLiteral("指导客户在 APP 中解绑旧手机后重新配对。"))});
    config->bitableAppToken = app;
    config->bitableTableId = table;
    for (const char *key : {"BITABLE_APP_TOKEN", "BITABLE_TABLE_ID"})
        config->sources.insert(QLatin1String(key), AppConfig::Source::CommandLine);
}

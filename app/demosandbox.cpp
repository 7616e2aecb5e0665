#include "demosandbox.h"

#include <QJsonObject>

#include "applogging.h"
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
    qCInfo(lcSandbox).noquote()
        << QStringLiteral("demo sandbox on %1 (Feishu) and %2 (LLM stand-in); no credentials needed")
               .arg(m_feishu->baseUrl().toString(), m_llm ? m_llm->baseUrl() : QStringLiteral("<your LLM>"));
    return true;
}

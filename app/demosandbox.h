#pragma once

#include <memory>

#include <QString>

#include "config/appconfig.h"

class FeishuSandbox;
class LlmStandIn;

// The in-process stand-ins `--demo` runs on (headless and console alike): a FeishuSandbox and,
// when no LLM is configured, the OpenAI-compatible LlmStandIn, both on 127.0.0.1. start() points
// the configuration at them, so no credentials are needed and no real tenant is touched; the
// ticket sync goes to a table in the sandbox's Bitable that holds a few of the team's tickets.
class DemoSandbox final
{
public:
    DemoSandbox();
    ~DemoSandbox();
    Q_DISABLE_COPY_MOVE(DemoSandbox)

    // False with *error when a stand-in cannot listen.
    bool start(AppConfig *config, QString *error);
    FeishuSandbox *feishu() const { return m_feishu.get(); }

private:
    void addTicketTable(AppConfig *config);

    std::unique_ptr<FeishuSandbox> m_feishu;
    std::unique_ptr<LlmStandIn> m_llm;
};

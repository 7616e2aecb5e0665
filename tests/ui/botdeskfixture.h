#pragma once

// The real bot over a real SQLite file in a temporary data dir, with FeishuSandbox as the
// remote side and LlmStandIn as the LLM: what the conversation widget tests drive through the
// operator API (bot.desk()). Header-only, shared by the tests in tests/ui.
#include <memory>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "bot/botservice.h"
#include "desk/operatordesk.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"

class BotDeskFixture final
{
public:
    BotDeskFixture()
    {
        FeishuSandbox::Options o;
        o.repushDelayMs = 0;
        sandbox = std::make_unique<FeishuSandbox>(o);
        llm = std::make_unique<LlmStandIn>();
    }
    ~BotDeskFixture()
    {
        if (bot) {
            QSignalSpy stopped(bot.get(), &BotService::stopped);
            bot->stop();
            stopped.wait(5000);
        }
        bot.reset();
        sandbox.reset();
        llm.reset();
    }
    Q_DISABLE_COPY_MOVE(BotDeskFixture)

    // Starts the sandbox, the LLM stand-in and the bot; false with *error when any fails.
    bool start(QString *error)
    {
        if (!dir.isValid() || !sandbox->start() || !llm->start()) {
            *error = QStringLiteral("sandbox, LLM stand-in or temp dir failed to start");
            return false;
        }
        BotService::Options o;
        AppConfig::Inputs in;
        in.environment = QProcessEnvironment();
        in.dataDir = dir.path();
        in.commandLine = {{QStringLiteral("FEISHU_APP_ID"), sandbox->options().appId},
                          {QStringLiteral("FEISHU_APP_SECRET"), sandbox->options().appSecret},
                          {QStringLiteral("FEISHU_DOMAIN"), sandbox->baseUrl().toString()},
                          {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")},
                          {QStringLiteral("LLM_PROVIDER"), QStringLiteral("custom")},
                          {QStringLiteral("LLM_BASE_URL"), llm->baseUrl()},
                          {QStringLiteral("LLM_API_KEY"), QStringLiteral("sk-test")},
                          {QStringLiteral("LLM_MODEL"), llm->model()}};
        if (!AppConfig::resolve(in, &o.config, error))
            return false;
        o.drainTimeoutMs = 2000;
        o.analysisDebounceMs = 50;
        bot = std::make_unique<BotService>(o);
        if (!bot->open(error))
            return false;
        QSignalSpy ready(bot.get(), &BotService::ready);
        bot->start();
        if (!ready.wait(10000)) {
            *error = QStringLiteral("the bot did not connect to the sandbox");
            return false;
        }
        QElapsedTimer t;
        t.start();
        while (bot->botOpenId() != sandbox->options().botOpenId && t.elapsed() < 10000)
            QTest::qWait(20);
        return bot->botOpenId() == sandbox->options().botOpenId;
    }

    OperatorDesk *desk() const { return bot->desk(); }

    // A customer writes to the bot; returns the IM message id (om_...).
    QString customerWrites(const QString &openId, const QString &text, const QString &chatId = {},
                           const QString &chatType = QStringLiteral("p2p"))
    {
        FeishuSandbox::TextPush p;
        p.chatType = chatType;
        p.chatId = chatId.isEmpty() ? QStringLiteral("oc_p2p_") + openId : chatId;
        p.senderOpenId = openId;
        p.text = text;
        p.mentionBot = chatType != QLatin1String("p2p");
        return sandbox->pushText(p);
    }

    // While on, every reply or send the bot makes is refused with a final Feishu error (the bot
    // is not in the chat), so its delivery fails for good.
    void refuseMessages(bool on)
    {
        m_refuse = on;
        if (m_handlerAdded)
            return;
        m_handlerAdded = true;
        sandbox->addHandler([this](const HttpRequest &req, HttpResponder *resp) {
            if (!m_refuse || !req.path.contains("/im/v1/messages"))
                return false;
            resp->respond(400, R"({"code":230002,"msg":"The bot is not in the chat."})");
            return true;
        });
    }

    // The session a customer's messages landed in, once the desk knows it (0 = not yet).
    qint64 sessionOf(const QString &openId) const
    {
        for (const SessionSummary &s : desk()->sessions())
            if (s.openId == openId)
                return s.id;
        return 0;
    }

    // Everything the bot sent to Feishu as a reply to `imId`.
    int repliesTo(const QString &imId) const
    {
        int n = 0;
        for (const FeishuSandbox::SentMessage &m : sandbox->sentMessages())
            n += m.target == imId;
        return n;
    }
    QStringList sentTexts() const
    {
        QStringList texts;
        for (const FeishuSandbox::SentMessage &m : sandbox->sentMessages())
            texts << m.text;
        return texts;
    }

    QTemporaryDir dir;
    std::unique_ptr<FeishuSandbox> sandbox;
    std::unique_ptr<LlmStandIn> llm;
    std::unique_ptr<BotService> bot;

private:
    bool m_refuse = false;
    bool m_handlerAdded = false;
};

#include "headlessrunner.h"

#include "applogging.h"
#include "bot/botservice.h"
#include "sandbox/demoscript.h"

using namespace AppLogging;

HeadlessRunner::HeadlessRunner(const CommandLine &commandLine, QObject *parent)
    : QObject(parent)
    , m_app(commandLine)
{}

HeadlessRunner::~HeadlessRunner() = default;

int HeadlessRunner::start()
{
    QString error;
    if (!m_app.loadConfiguration(&error)) {
        qCCritical(lcConfig).noquote() << "configuration:" << error;
        return ExitCode::Usage;
    }
    if (!m_app.acquireDataDir(&error)) {
        qCCritical(lcApp).noquote() << error;
        return ExitCode::AlreadyRunning;
    }
    m_app.setupLogging();

    const CommandLine &cl = m_app.commandLine();
    if (cl.demo) {
        if (!m_app.startDemo(&error)) {
            qCCritical(lcApp).noquote() << "demo sandbox:" << error;
            return ExitCode::Failed;
        }
        connect(m_app.demo(), &DemoScript::finished, this, [this](const DemoScript::Summary &s) {
            const bool ok = s.missingReplies == 0 && s.unexpectedReplies == 0;
            if (m_app.commandLine().once) {
                m_app.quit(ok ? ExitCode::Ok : ExitCode::Failed);
                return;
            }
            qCInfo(lcApp).noquote() << "the demo bot keeps running; press Ctrl+C to quit";
        });
    }

    m_app.logBanner(QStringLiteral("headless"));
    if (!m_app.config().hasFeishuCredentials()) {
        qCCritical(lcConfig).noquote()
            << "FEISHU_APP_ID and FEISHU_APP_SECRET are not set: put them in .env (or the environment), "
               "or try the local sandbox with --demo";
        return ExitCode::Usage;
    }

    if (!m_app.openBot(&error)) {
        qCCritical(lcApp).noquote() << "cannot start:" << error;
        return ExitCode::Failed;
    }
    // Without a window nobody would see the error: give up with a non-zero exit (the log says why).
    connect(m_app.bot(), &BotService::fatalError, this, [this] {
        qCCritical(lcApp) << "not retrying";
        m_app.quit(ExitCode::Failed);
    });
    m_app.startBot();
    return -1;
}

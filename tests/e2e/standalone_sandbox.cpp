// A Feishu sandbox and the LLM stand-in on 127.0.0.1 as a process of their own, for end-to-end
// scripts that drive the real console from outside (wizard_atspi.py): the console is pointed at
// them as if they were the platform and an LLM service.
//
//   tsp_standalone_sandbox
//
// Prints one JSON line on stdout once both listen:
//   {"feishu":"http://127.0.0.1:P","app_id":..,"app_secret":..,"llm":"http://127.0.0.1:Q/v1","model":..}
// then one line {"connections":N} whenever the number of long connections changes. Runs until
// stdin closes or SIGTERM.
#include <csignal>
#include <unistd.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::signal(SIGTERM, [](int) { QCoreApplication::exit(0); });

    FeishuSandbox feishu;
    feishu.setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 30},
                                       {QStringLiteral("ReconnectCount"), -1},
                                       {QStringLiteral("ReconnectInterval"), 1},
                                       {QStringLiteral("ReconnectNonce"), 0}});
    LlmStandIn llm;
    if (!feishu.start() || !llm.start()) {
        QTextStream(stderr) << "tsp_standalone_sandbox: cannot listen on 127.0.0.1\n";
        return 1;
    }
    QTextStream out(stdout);
    const QJsonObject ready{{QStringLiteral("feishu"), feishu.baseUrl().toString()},
                            {QStringLiteral("app_id"), feishu.options().appId},
                            {QStringLiteral("app_secret"), feishu.options().appSecret},
                            {QStringLiteral("llm"), llm.baseUrl()},
                            {QStringLiteral("model"), llm.model()}};
    out << QJsonDocument(ready).toJson(QJsonDocument::Compact) << Qt::endl;

    int connections = 0;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (feishu.connectionCount() == connections)
            return;
        connections = feishu.connectionCount();
        out << QJsonDocument(QJsonObject{{QStringLiteral("connections"), connections}})
                   .toJson(QJsonDocument::Compact)
            << Qt::endl;
    });
    poll.start(100);

    // The script ends the sandbox by closing our stdin (or by SIGTERM).
    QSocketNotifier stdinClosed(0, QSocketNotifier::Read);
    QObject::connect(&stdinClosed, &QSocketNotifier::activated, &app, [&] {
        char buf[256];
        if (::read(0, buf, sizeof buf) <= 0)
            QCoreApplication::exit(0);
    });
    return QCoreApplication::exec();
}

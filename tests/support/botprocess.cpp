#include "botprocess.h"

#include <csignal>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTest>

#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "testutil.h"

BotProcess::BotProcess(const QString &dataDir)
    : m_dataDir(dataDir)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&m_process, &QProcess::readyRead, &m_process, [this] { drain(); });
}

BotProcess::~BotProcess()
{
    if (isRunning())
        kill();
}

QString BotProcess::envFilePath() const
{
    return QDir(m_dataDir).absoluteFilePath(QStringLiteral("bot.env"));
}

void BotProcess::writeEnv(const QHash<QString, QString> &env)
{
    QDir().mkpath(m_dataDir);
    QFile f(envFilePath());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(envFilePath()));
    QStringList keys = env.keys();
    keys.sort();
    for (const QString &k : std::as_const(keys))
        f.write((k + QLatin1Char('=') + env.value(k) + QLatin1Char('\n')).toUtf8());
}

bool BotProcess::start(const QStringList &extraArgs)
{
    QStringList args{QStringLiteral("--headless"), QStringLiteral("--env-file"), envFilePath(),
                     QStringLiteral("--data-dir"), m_dataDir};
    args << extraArgs;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The bot's own rules apply, not the test runner's.
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    for (const char *k : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        env.remove(QLatin1String(k));
    m_process.setProcessEnvironment(env);
    m_process.setWorkingDirectory(m_dataDir);
    m_process.start(TestUtil::appBinary(), args);
    return m_process.waitForStarted(10000);
}

int BotProcess::terminate(int timeoutMs)
{
    if (!isRunning())
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    return waitForExit(timeoutMs);
}

void BotProcess::kill()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process.processId()), SIGKILL);
    m_process.waitForFinished(10000);
    drain();
}

int BotProcess::waitForExit(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (isRunning() && !deadline.hasExpired())
        QTest::qWait(20);
    drain();
    if (isRunning())
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QString BotProcess::log()
{
    drain();
    return QString::fromUtf8(m_log);
}

bool BotProcess::waitForLog(const QString &needle, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!log().contains(needle)) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

qint64 BotProcess::statusKb(qint64 pid, const char *field)
{
    if (pid <= 0)
        return -1;
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

void BotProcess::drain()
{
    m_log += m_process.readAll();
}

QHash<QString, QString> BotProcess::sandboxEnv(const FeishuSandbox &sandbox, const LlmStandIn &llm,
                                               const QString &apiKey, const QString &logLevel)
{
    const FeishuSandbox::Options &o = sandbox.options();
    return {{QStringLiteral("FEISHU_APP_ID"), o.appId},
            {QStringLiteral("FEISHU_APP_SECRET"), o.appSecret},
            {QStringLiteral("FEISHU_DOMAIN"), sandbox.baseUrl().toString()},
            {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")},
            {QStringLiteral("LLM_PROVIDER"), QStringLiteral("custom")},
            {QStringLiteral("LLM_BASE_URL"), llm.baseUrl()},
            {QStringLiteral("LLM_MODEL"), llm.model()},
            {QStringLiteral("LLM_API_KEY"), apiKey},
            {QStringLiteral("LOG_LEVEL"), logLevel},
            {QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:///bot.db")}};
}

#include "benchsupport.h"

#include <algorithm>
#include <cmath>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

namespace Bench {

void init()
{
    if (qEnvironmentVariableIsEmpty("TSP_BINARY"))
        qputenv("TSP_BINARY", TSP_BENCH_APP_BINARY);
    // The sandbox warns for every ACK it would object to (the Node SDK's negative biz_rt); the
    // benchmarks count those instead of printing them.
    QLoggingCategory::setFilterRules(
        QStringLiteral("tsp.*.debug=false\ntsp.*.info=false\ntsp.sandbox.warning=false"));
}

QString sourceDir()
{
    const QString env = qEnvironmentVariable("TSP_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(TSP_BENCH_SOURCE_DIR) : env;
}

QString option(const QStringList &args, const QString &name, const QString &defaultValue)
{
    const QString prefix = QStringLiteral("--") + name + QLatin1Char('=');
    for (const QString &a : args) {
        if (a.startsWith(prefix))
            return a.mid(prefix.size());
    }
    return defaultValue;
}

int intOption(const QStringList &args, const QString &name, int defaultValue)
{
    bool ok = false;
    const int v = option(args, name).toInt(&ok);
    return ok ? v : defaultValue;
}

bool flag(const QStringList &args, const QString &name)
{
    return args.contains(QStringLiteral("--") + name);
}

Percentiles percentiles(std::vector<double> values)
{
    Percentiles p;
    p.count = qsizetype(values.size());
    if (values.empty())
        return p;
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least q of the samples at or below it.
    auto at = [&](double q) {
        const auto rank = qsizetype(std::ceil(q * double(values.size())));
        return values[size_t(std::clamp<qsizetype>(rank - 1, 0, qsizetype(values.size()) - 1))];
    };
    p.p50 = at(0.50);
    p.p90 = at(0.90);
    p.p99 = at(0.99);
    p.max = values.back();
    return p;
}

QString formatMs(const Percentiles &p)
{
    return QStringLiteral("p50 %1 ms, p90 %2 ms, p99 %3 ms, max %4 ms (n=%5)")
        .arg(p.p50, 0, 'f', 2)
        .arg(p.p90, 0, 'f', 2)
        .arg(p.p99, 0, 'f', 2)
        .arg(p.max, 0, 'f', 2)
        .arg(p.count);
}

// Both wait in the event loop without burning a core: processEvents() with a time limit drops
// WaitForMoreEvents and polls, and on this 2-core machine a polling load generator takes the CPU
// the bot under test needs. A 5 ms tick wakes the loop to re-check the condition.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTimer tick;
    tick.start(5);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(std::max(0, ms), Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

Memory memoryOf(qint64 pid)
{
    return Memory{BotProcess::statusKb(pid, "VmRSS"), BotProcess::statusKb(pid, "VmHWM")};
}

QString formatMemory(const Memory &m)
{
    return QStringLiteral("VmRSS %1 MB, VmHWM %2 MB")
        .arg(m.rssKb / 1024.0, 0, 'f', 1)
        .arg(m.hwmKb / 1024.0, 0, 'f', 1);
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromLatin1(f.readAll()).split(QLatin1Char(' ')).mid(0, 3).join(QLatin1Char(' '));
}

FeishuSandbox::Options sandboxOptions()
{
    FeishuSandbox::Options o;
    o.repushDelayMs = 0;
    o.seed = 20240601;
    return o;
}

void configure(FeishuSandbox *sandbox)
{
    sandbox->setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 30},
                                         {QStringLiteral("ReconnectCount"), -1},
                                         {QStringLiteral("ReconnectInterval"), 1},
                                         {QStringLiteral("ReconnectNonce"), 1}});
}

Bot::Bot(FeishuSandbox *sandbox, LlmStandIn *llm, const QString &logLevel)
    : m_sandbox(sandbox)
    , m_process(std::make_unique<BotProcess>(m_dir.path()))
{
    m_process->writeEnv(BotProcess::sandboxEnv(*sandbox, *llm, QStringLiteral("sk-bench"), logLevel));
}

bool Bot::start()
{
    m_connectionsBefore = m_sandbox->totalConnections();
    return m_process->start();
}

bool Bot::waitReady(int timeoutMs)
{
    if (qEnvironmentVariableIsSet("TSP_BENCH_READY_MS")) // e.g. under valgrind
        timeoutMs = qMax(timeoutMs, qEnvironmentVariableIntValue("TSP_BENCH_READY_MS"));
    QDeadlineTimer deadline(timeoutMs);
    if (!waitUntil(
            [this] { return m_sandbox->totalConnections() > m_connectionsBefore || !m_process->isRunning(); },
            timeoutMs) ||
        !m_process->isRunning())
        return false;
    // The bot info answer is logged at INFO; at a quieter level, its request is the sign.
    if (!waitUntil(
            [this] {
                return m_process->log().contains(QStringLiteral("open_id ou_sandbox_bot")) ||
                       m_sandbox->openApiRequests() > 0;
            },
            int(std::max<qint64>(1, deadline.remainingTime()))))
        return false;
    spin(200); // the answer to bot/v3/info is taken in
    return m_process->isRunning();
}

int Bot::stop()
{
    // Under valgrind the bot needs longer to exit (and write its profile): TSP_BENCH_STOP_MS.
    const int ms = qEnvironmentVariableIsSet("TSP_BENCH_STOP_MS")
                       ? qEnvironmentVariableIntValue("TSP_BENCH_STOP_MS")
                       : 10000;
    return m_process->terminate(ms);
}

} // namespace Bench

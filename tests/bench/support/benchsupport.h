#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QHash>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include "botprocess.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"

// Helpers for the benchmarks that drive the real tsp-assistant binary from a load generator (the
// sandbox and the LLM stand-in) in the benchmark's own process.
namespace Bench {

// Call first in main(): points BotProcess at the tsp-assistant built beside the benchmark (unless
// TSP_BINARY is set) and keeps the sandbox's per-event log lines out of the figures.
void init();
QString sourceDir();

// --name=value options; `defaultValue` when absent.
QString option(const QStringList &args, const QString &name, const QString &defaultValue = {});
int intOption(const QStringList &args, const QString &name, int defaultValue);
bool flag(const QStringList &args, const QString &name);

struct Percentiles
{
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
    qsizetype count = 0;
};
Percentiles percentiles(std::vector<double> values);
QString formatMs(const Percentiles &p); // "p50 1.23 ms, p90 ..., p99 ..., max ... (n=...)"

// Runs the event loop until `done` is true or `timeoutMs` passed; returns done().
bool waitUntil(const std::function<bool()> &done, int timeoutMs);
void spin(int ms); // runs the event loop for `ms`

struct Memory
{
    qint64 rssKb = -1; // VmRSS
    qint64 hwmKb = -1; // VmHWM
};
Memory memoryOf(qint64 pid); // from /proc/<pid>/status
QString formatMemory(const Memory &m);
// The first three fields of /proc/loadavg ("13.49 13.09 9.56"), as `uptime` shows them.
QString loadAverage();

// The sandbox a benchmark uses: no re-push (a missing ACK stays missing), quick reconnects.
FeishuSandbox::Options sandboxOptions();
void configure(FeishuSandbox *sandbox);

// The real bot in a fresh data dir, wired to `sandbox` and `llm`.
class Bot
{
public:
    Bot(FeishuSandbox *sandbox, LlmStandIn *llm, const QString &logLevel = QStringLiteral("INFO"));
    bool start();
    // Connected (the sandbox has its WebSocket) and the bot knows its own open_id.
    bool waitReady(int timeoutMs = 20000);
    int stop(); // SIGTERM, returns the exit code
    BotProcess &process() { return *m_process; }
    qint64 pid() const { return m_process->pid(); }
    QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    FeishuSandbox *m_sandbox;
    std::unique_ptr<BotProcess> m_process;
    int m_connectionsBefore = 0;
};

} // namespace Bench

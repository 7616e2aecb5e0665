#pragma once

#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class FeishuSandbox;
class LlmStandIn;

// The real tsp-assistant binary as a child process, for end-to-end tests, the soak and the
// benchmarks: its own data dir and .env (written from `env`), stdout and stderr captured.
class BotProcess
{
public:
    explicit BotProcess(const QString &dataDir);
    ~BotProcess();
    BotProcess(const BotProcess &) = delete;
    BotProcess &operator=(const BotProcess &) = delete;

    QString dataDir() const { return m_dataDir; }
    QString envFilePath() const;
    // The .env of a bot wired to the sandbox and the LLM stand-in on loopback: Feishu app and
    // domain, no proxy, the custom provider with the stand-in's URL and model, the API key given,
    // LOG_LEVEL and DATABASE_URL=sqlite:///bot.db. Callers add or replace keys.
    static QHash<QString, QString> sandboxEnv(const FeishuSandbox &sandbox, const LlmStandIn &llm,
                                              const QString &apiKey,
                                              const QString &logLevel = QStringLiteral("INFO"));
    // Writes <dataDir>/bot.env with these keys (sorted, KEY=value lines).
    void writeEnv(const QHash<QString, QString> &env);

    // Starts `tsp-assistant --headless --env-file <dataDir>/bot.env --data-dir <dataDir>` plus
    // `extraArgs`. Returns false if the process could not be started.
    bool start(const QStringList &extraArgs = {});
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }
    // SIGTERM and wait; returns the exit code (-1 when it did not exit in time or crashed).
    int terminate(int timeoutMs = 10000);
    void kill(); // SIGKILL, waits for the process to be gone
    // Waits for the process to exit by itself; -1 on timeout or crash.
    int waitForExit(int timeoutMs);
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }

    // Everything the process printed so far (stderr and stdout merged), across restarts.
    QString log();
    // True once `needle` appears in the log (processes events while waiting).
    bool waitForLog(const QString &needle, int timeoutMs);
    QProcess &process() { return m_process; }
    // A "kB" field of /proc/<pid>/status (VmRSS, VmHWM, ...); -1 when not running or unknown.
    qint64 statusKb(const char *field) const { return statusKb(pid(), field); }
    static qint64 statusKb(qint64 pid, const char *field);

private:
    void drain();

    QString m_dataDir;
    QProcess m_process;
    QByteArray m_log;
};

#pragma once

#include <atomic>
#include <mutex>
#include <thread>

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

// Measures how long the event loop of the thread it is made on (the main thread) goes without
// turning: a heartbeat timer there stamps the time every few milliseconds, and a watcher thread
// samples the stamp. When a beat comes late by more than the threshold (50 ms by default), the
// gap is a stall; it is reported with what ran: the last event the loop delivered before it
// (receiver class and object name, event type), taken by an application-wide event filter.
// Time the thread spent waiting for a CPU (the kernel's run-queue delay, from
// /proc/thread-self/schedstat) is not the program's doing and is subtracted: on a shared,
// overloaded machine only the time the loop was busy or blocked counts.
//
// For tests, benchmarks and a bot started with TSP_STALL_REPORT set (app/Application): it costs a
// wake-up every few milliseconds, so it never runs otherwise.
class StallWatchdog final : public QObject
{
    Q_OBJECT
public:
    struct Stall
    {
        qint64 startedMs = 0;  // since start()
        qint64 durationMs = 0; // busy or blocked (the gap minus the wait for a CPU)
        qint64 cpuWaitMs = 0;  // the part of the gap spent waiting for a CPU (not counted)
        QString what;          // "QMetaCallEvent to Assistant 'assistant'", ...
    };

    explicit StallWatchdog(int thresholdMs = 50, QObject *parent = nullptr);
    ~StallWatchdog() override;
    Q_DISABLE_COPY_MOVE(StallWatchdog)

    void start();
    void stop();
    bool isRunning() const { return m_running; }

    // The stalls so far (complete ones; a stall still going on is counted once it ends or at stop()).
    QList<Stall> stalls() const;
    qint64 longestStallMs() const;
    // One line per stall, for a benchmark's report.
    QString report() const;

signals:
    // Emitted on the watched (main) thread after a stall ended.
    void stallDetected(qint64 durationMs, const QString &what);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void beat();
    void watch();
    void finishStall(qint64 gapMs, qint64 cpuWaitMs);

    const int m_thresholdMs;
    QTimer m_heartbeat;
    QElapsedTimer m_clock;
    std::atomic<qint64> m_lastBeatMs{0};
    qint64 m_lastRunDelayNs = 0; // main thread only
    std::atomic<bool> m_running{false};
    std::thread m_watcher;
    mutable std::mutex m_mutex;
    QString m_lastEvent;        // guarded by m_mutex
    QString m_stallWhat;        // what ran when the current stall began (guarded)
    qint64 m_stallStartMs = -1; // guarded
    QList<Stall> m_stalls;      // guarded
};

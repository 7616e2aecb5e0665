#include "logging/stallwatchdog.h"

#include <algorithm>

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QMetaEnum>

using namespace std::chrono_literals;

namespace {

constexpr int kBeatMs = 5;

QString describe(QObject *receiver, QEvent *event)
{
    const QString type = QString::fromLatin1(QMetaEnum::fromType<QEvent::Type>().valueToKey(event->type()));
    QString text = (type.isEmpty() ? QStringLiteral("event %1").arg(int(event->type())) : type) +
                   QStringLiteral(" to ") + QString::fromLatin1(receiver->metaObject()->className());
    if (!receiver->objectName().isEmpty())
        text += QStringLiteral(" '%1'").arg(receiver->objectName());
    return text;
}

// Nanoseconds the calling thread has waited on a run queue so far (0 when the kernel does not say).
qint64 runDelayNs()
{
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = f.readAll().simplified().split(' ');
    return fields.size() >= 2 ? fields.at(1).toLongLong() : 0;
}

} // namespace

StallWatchdog::StallWatchdog(int thresholdMs, QObject *parent)
    : QObject(parent)
    , m_thresholdMs(thresholdMs)
{
    m_heartbeat.setTimerType(Qt::PreciseTimer);
    m_heartbeat.setInterval(kBeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &StallWatchdog::beat);
}

StallWatchdog::~StallWatchdog()
{
    stop();
}

void StallWatchdog::start()
{
    if (m_running)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stalls.clear();
        m_stallStartMs = -1;
    }
    m_clock.start();
    m_lastBeatMs = 0;
    m_lastRunDelayNs = runDelayNs();
    m_running = true;
    QCoreApplication::instance()->installEventFilter(this);
    m_heartbeat.start();
    m_watcher = std::thread([this] { watch(); });
}

void StallWatchdog::stop()
{
    if (!m_running)
        return;
    beat(); // a stall running up to now ends here
    m_running = false;
    m_watcher.join();
    m_heartbeat.stop();
    QCoreApplication::instance()->removeEventFilter(this);
}

bool StallWatchdog::eventFilter(QObject *watched, QEvent *event)
{
    // Only the heartbeat's own timer events are skipped: everything else may be what stalls.
    if (watched != &m_heartbeat && watched->thread() == thread()) {
        std::lock_guard lock(m_mutex);
        m_lastEvent = describe(watched, event);
    }
    return false;
}

void StallWatchdog::beat()
{
    const qint64 now = m_clock.elapsed();
    const qint64 gap = now - m_lastBeatMs.exchange(now);
    const qint64 delay = runDelayNs(); // every beat, so the difference covers this gap alone
    const qint64 cpuWaitMs = std::clamp<qint64>((delay - m_lastRunDelayNs) / 1000000, 0, gap);
    m_lastRunDelayNs = delay;
    if (gap <= m_thresholdMs)
        return;
    if (gap - cpuWaitMs > m_thresholdMs)
        finishStall(gap - cpuWaitMs, cpuWaitMs);
    else {
        std::lock_guard lock(m_mutex); // the machine's doing, not the loop's
        m_stallStartMs = -1;
        m_stallWhat.clear();
    }
}

void StallWatchdog::finishStall(qint64 busyMs, qint64 cpuWaitMs)
{
    Stall s;
    {
        std::lock_guard lock(m_mutex);
        s.durationMs = busyMs;
        s.cpuWaitMs = cpuWaitMs;
        s.startedMs = m_stallStartMs >= 0 ? m_stallStartMs : m_clock.elapsed() - busyMs - cpuWaitMs;
        s.what = m_stallWhat.isEmpty() ? m_lastEvent : m_stallWhat;
        if (s.what.isEmpty())
            s.what = QStringLiteral("code outside the event loop (before it ran, or a nested wait)");
        m_stalls << s;
        m_stallStartMs = -1;
        m_stallWhat.clear();
    }
    emit stallDetected(s.durationMs, s.what);
}

void StallWatchdog::watch()
{
    // Samples the beat; the moment it is late, notes what the loop was delivering, so the report
    // names the culprit even if other events run before the loop gets back to the heartbeat.
    while (m_running) {
        std::this_thread::sleep_for(2ms);
        const qint64 late = m_clock.elapsed() - m_lastBeatMs.load();
        std::lock_guard lock(m_mutex);
        if (late > m_thresholdMs && m_stallStartMs < 0) {
            m_stallStartMs = m_lastBeatMs.load();
            m_stallWhat = m_lastEvent;
        }
    }
}

QList<StallWatchdog::Stall> StallWatchdog::stalls() const
{
    std::lock_guard lock(m_mutex);
    return m_stalls;
}

qint64 StallWatchdog::longestStallMs() const
{
    qint64 longest = 0;
    for (const Stall &s : stalls())
        longest = std::max(longest, s.durationMs);
    return longest;
}

QString StallWatchdog::report() const
{
    const QList<Stall> all = stalls();
    QString out = QStringLiteral("main-thread stalls over %1 ms: %2, longest %3 ms\n")
                      .arg(m_thresholdMs)
                      .arg(all.size())
                      .arg(longestStallMs());
    for (const Stall &s : all)
        out += QStringLiteral("  at %1 ms: %2 ms in %3 (plus %4 ms waiting for a CPU)\n")
                   .arg(s.startedMs)
                   .arg(s.durationMs)
                   .arg(s.what)
                   .arg(s.cpuWaitMs);
    return out;
}

#pragma once

#include <QObject>
#include <QTimer>

#include "logging/stallwatchdog.h"

// Watches the main thread while a test waits for something slow elsewhere: the stall watchdog
// (stalls over 50 ms, with what ran) and a 10 ms timer that counts its ticks. A main thread that
// blocked on the slow thing shows one stall as long as the wait, and no ticks meanwhile.
// (A QObject only to own the ticker connection; it has no signals.)
class MainThreadProbe final : public QObject
{
public:
    MainThreadProbe();
    ~MainThreadProbe() override;
    Q_DISABLE_COPY_MOVE(MainThreadProbe)

    void stop();
    int ticks() const { return m_ticks; }
    qint64 longestStallMs() const { return m_watchdog.longestStallMs(); }
    QString report() const { return m_watchdog.report(); }

private:
    StallWatchdog m_watchdog;
    QTimer m_ticker;
    int m_ticks = 0;
};

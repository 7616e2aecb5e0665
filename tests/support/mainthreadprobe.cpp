#include "mainthreadprobe.h"

MainThreadProbe::MainThreadProbe()
{
    m_watchdog.start();
    connect(&m_ticker, &QTimer::timeout, this, [this] { ++m_ticks; });
    m_ticker.start(10);
}

MainThreadProbe::~MainThreadProbe()
{
    stop();
}

void MainThreadProbe::stop()
{
    m_ticker.stop();
    m_watchdog.stop();
}

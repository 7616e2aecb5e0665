#include "bot/memorytrimmer.h"

#ifdef __GLIBC__
#include <malloc.h> // malloc_trim
#endif

MemoryTrimmer::MemoryTrimmer(int quietMs, Busy busy, QObject *parent)
    : QObject(parent)
    , m_busy(std::move(busy))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(quietMs);
    connect(&m_timer, &QTimer::timeout, this, &MemoryTrimmer::trim);
}

MemoryTrimmer::~MemoryTrimmer() = default;

void MemoryTrimmer::trim()
{
    if (m_busy && m_busy()) {
        m_timer.start();
        return;
    }
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

#include "notificationlimiter.h"

#include <algorithm>
#include <cmath>

NotificationLimiter::NotificationLimiter(int perMinute, int burst)
    : m_perMs(std::max(1, perMinute) / 60000.0)
    , m_burst(std::max(1, burst))
    , m_tokens(m_burst)
{}

void NotificationLimiter::refill(qint64 nowMs)
{
    if (m_last >= 0 && nowMs > m_last)
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_last) * m_perMs);
    if (m_last < 0 || nowMs > m_last)
        m_last = nowMs;
}

bool NotificationLimiter::tryTake(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

int NotificationLimiter::takeHeld()
{
    const int n = m_held;
    m_held = 0;
    return n;
}

qint64 NotificationLimiter::msUntilToken(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0)
        return 0;
    return qint64(std::ceil((1.0 - m_tokens) / m_perMs));
}

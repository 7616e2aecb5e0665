#pragma once

#include <QtGlobal>

// A token bucket for desktop notifications: up to `burst` at once, then `perMinute` a minute.
// Notifications refused meanwhile are counted, so the caller can show one summary for them when
// the next token comes instead of flooding the desktop. Time comes from the caller (ms), so
// tests need no clock.
class NotificationLimiter final
{
public:
    explicit NotificationLimiter(int perMinute = 4, int burst = 3);

    // Takes a token if there is one.
    bool tryTake(qint64 nowMs);
    // A notification that was held back; held() counts them until takeHeld().
    void hold() { ++m_held; }
    int held() const { return m_held; }
    int takeHeld();
    // How long until the next token (0 when there is one now).
    qint64 msUntilToken(qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_perMs = 0;
    double m_burst = 0;
    double m_tokens = 0;
    qint64 m_last = -1;
    int m_held = 0;
};

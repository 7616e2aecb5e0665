#pragma once

#include <functional>

#include <QObject>
#include <QTimer>

// A burst leaves its peak in the heap: glibc keeps freed pages. Once the bot has been quiet for
// a while after work (poke() restarts the wait) and is not busy, freed heap goes back to the
// system, so an idle bot's memory is that of an idle bot.
class MemoryTrimmer final : public QObject
{
    Q_OBJECT
public:
    using Busy = std::function<bool()>;

    MemoryTrimmer(int quietMs, Busy busy, QObject *parent = nullptr);
    ~MemoryTrimmer() override;
    Q_DISABLE_COPY_MOVE(MemoryTrimmer)

    void poke() { m_timer.start(); }
    void stop() { m_timer.stop(); }

private:
    void trim();

    Busy m_busy;
    QTimer m_timer;
};

#pragma once

#include <algorithm>

#include <QtGlobal>

// The one doubling back-off of the project: the first retry waits baseMs, each further one twice
// as long, never more than maxMs. Used by every retry loop that has no back-off table of its own
// (the LLM client, the OpenAPI client, the bot-info fetch).
struct Backoff
{
    qint64 baseMs = 1000;
    qint64 maxMs = 30000;

    // The wait before retry number `attempt` (1 = the first retry; below 1 counts as 1).
    constexpr qint64 delayMs(int attempt) const
    {
        qint64 delay = std::max<qint64>(0, baseMs);
        for (int i = 1; i < attempt && delay < maxMs; ++i)
            delay = delay > maxMs / 2 ? maxMs : delay * 2;
        return std::min(delay, std::max<qint64>(0, maxMs));
    }
};

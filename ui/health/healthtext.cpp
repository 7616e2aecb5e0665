#include "health/healthtext.h"

#include <algorithm>

#include <QStringList>

#include "connectionlook.h"

QString HealthText::duration(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString HealthText::since(qint64 atMs, qint64 nowMs)
{
    if (atMs <= 0)
        return tr("never");
    return tr("%1 ago").arg(duration(nowMs - atMs));
}

QString HealthText::latency(double ms)
{
    if (ms < 0)
        return tr("no pushes in the last minute");
    return tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 1 : 0);
}

QString HealthText::tokenExpiry(qint64 expiresAtMs, qint64 nowMs)
{
    if (expiresAtMs <= 0)
        return tr("no token yet");
    if (expiresAtMs <= nowMs)
        return tr("expired %1 ago (renewed at the next call)").arg(duration(nowMs - expiresAtMs));
    return tr("in %1").arg(duration(expiresAtMs - nowMs));
}

QString HealthText::hint(const ConnectionHealth &h)
{
    if (h.lastErrorHintKind == ConnectionHealth::Hint::None)
        return h.lastErrorHint; // a snapshot from elsewhere may carry core's words only
    // Core's sentence for the kind, in the console's language.
    return QCoreApplication::translate("HealthHint", ConnectionHealth::hintSource(h.lastErrorHintKind));
}

QString HealthText::terminalExplanation(const ConnectionHealth &h)
{
    if (!h.terminal)
        return {};
    using Hint = ConnectionHealth::Hint;
    switch (h.lastErrorHintKind) {
    case Hint::BadCredentials:
        return tr("Feishu does not accept the app's credentials, so the bot cannot connect. "
                  "Fix: in the Feishu developer console open the app, copy the App ID and App Secret "
                  "from \"Credentials & Basic Info\" into the settings, then press Reconnect.");
    case Hint::ConnectionLimit:
        return tr("Feishu allows at most 50 long connections per app and this one would exceed it. "
                  "Fix: stop other bots or consoles that use the same app, then press Reconnect.");
    case Hint::AppBlocked:
        return tr("Feishu refused the app (it is disabled or blocked). "
                  "Fix: ask the tenant administrator to enable the app in the Feishu admin console, "
                  "then press Reconnect.");
    case Hint::ReconnectExhausted:
        return tr("The bot stopped trying to reconnect: the attempts the platform allows are used up. "
                  "Fix: check the network, the proxy and the Feishu domain in the settings, then press "
                  "Reconnect.");
    default:
        break;
    }
    return tr("Feishu does not let this app use the long connection. "
              "Fix: in the Feishu developer console open the app, under \"Events & Callbacks\" choose "
              "\"Receive events through persistent connection\", subscribe to im.message.receive_v1, "
              "publish a new app version, then press Reconnect.");
}

QString HealthText::tooltip(const ConnectionHealth &h, qint64 nowMs)
{
    QStringList lines;
    lines << tr("Feishu connection: %1 for %2")
                 .arg(ConnectionLook::word(h.state), duration(nowMs - h.stateSince));
    if (h.paused)
        lines << tr("The bot is paused: new conversations go to an operator.");
    lines << tr("Last event: %1").arg(since(h.lastEventAt, nowMs));
    lines << tr("ACK latency (last minute): median %1, p99 %2")
                 .arg(latency(h.ackLatencyMedianMs), latency(h.ackLatencyP99Ms));
    lines << tr("Reconnects today: %1").arg(h.reconnectsToday);
    if (!h.lastError.isEmpty()) {
        lines << (h.lastErrorCode != 0 ? tr("Last error: %1 (code %2)").arg(h.lastError).arg(h.lastErrorCode)
                                       : tr("Last error: %1").arg(h.lastError));
        if (const QString what = hint(h); !what.isEmpty())
            lines << tr("What to do: %1").arg(what);
    }
    lines << tr("Duplicates dropped: %1").arg(h.dedupeHits);
    lines << tr("Token expires: %1").arg(tokenExpiry(h.tokenExpiresAt, nowMs));
    lines << (h.outboxDepth > 0 ? tr("Outbox: %1 waiting, oldest since %2")
                                      .arg(h.outboxDepth)
                                      .arg(since(h.oldestPendingAt, nowMs))
                                : tr("Outbox: empty"));
    lines << (h.llmLastLatencyMs >= 0 ? tr("LLM: last answer in %1 ms").arg(h.llmLastLatencyMs)
                                      : tr("LLM: no call yet"));
    if (!h.llmLastError.isEmpty())
        lines << tr("LLM last error: %1").arg(h.llmLastError);
    return lines.join(QLatin1Char('\n'));
}

#pragma once

#include <QCoreApplication>
#include <QString>

#include "desk/desktypes.h"

// Words for a ConnectionHealth snapshot: shared by the health panel and the status bar
// indicator's tooltip (MainWindow uses tooltip()).
class HealthText final
{
    Q_DECLARE_TR_FUNCTIONS(HealthText)
public:
    // "3 s", "5 min 2 s", "2 h 10 min", "1 d 3 h"
    static QString duration(qint64 ms);
    // "12 s ago" / "never"
    static QString since(qint64 atMs, qint64 nowMs);
    static QString latency(double ms); // "4.2 ms" / "no pushes in the last minute"
    static QString tokenExpiry(qint64 expiresAtMs, qint64 nowMs);
    // What to do about the last error, in the console's language (core's kind, worded here); ''
    // when there is nothing to do.
    static QString hint(const ConnectionHealth &health);
    // A plain explanation of a terminal error and the fix on the Feishu platform side; '' when
    // the snapshot is not terminal.
    static QString terminalExplanation(const ConnectionHealth &health);
    // The status bar indicator's tooltip: every figure of the snapshot, one per line.
    static QString tooltip(const ConnectionHealth &health, qint64 nowMs);
};

#pragma once

#include <QColor>
#include <QCoreApplication>
#include <QString>

#include "desk/desktypes.h"

// How the console shows the connection state: one colour and one word, the same in the status
// bar, the tray and the health panel (the one table of state words).
class ConnectionLook final
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionLook)
public:
    enum class Tone { Ok, Busy, Error, Idle };

    static Tone tone(ConnectionHealth::State state);
    static QColor color(Tone tone);
    // "Connected", "Reconnecting", ... (translated).
    static QString word(ConnectionHealth::State state);
};

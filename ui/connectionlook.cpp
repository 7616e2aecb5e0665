#include "connectionlook.h"

ConnectionLook::Tone ConnectionLook::tone(ConnectionHealth::State state)
{
    switch (state) {
    case ConnectionHealth::State::Connected:
        return Tone::Ok;
    case ConnectionHealth::State::Connecting:
    case ConnectionHealth::State::Reconnecting:
        return Tone::Busy;
    case ConnectionHealth::State::Failed:
        return Tone::Error;
    case ConnectionHealth::State::Idle:
        return Tone::Idle;
    }
    return Tone::Idle;
}

QColor ConnectionLook::color(Tone tone)
{
    switch (tone) {
    case Tone::Ok:
        return QColor(0x2e, 0x9d, 0x52); // green
    case Tone::Busy:
        return QColor(0xe0, 0x8e, 0x0b); // amber
    case Tone::Error:
        return QColor(0xd0, 0x31, 0x2d); // red
    case Tone::Idle:
        return QColor(0x8a, 0x8f, 0x98); // grey
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QString ConnectionLook::word(ConnectionHealth::State state)
{
    switch (state) {
    case ConnectionHealth::State::Idle:
        return tr("Not connected");
    case ConnectionHealth::State::Connecting:
        return tr("Connecting");
    case ConnectionHealth::State::Connected:
        return tr("Connected");
    case ConnectionHealth::State::Reconnecting:
        return tr("Reconnecting");
    case ConnectionHealth::State::Failed:
        return tr("Connection failed");
    }
    return {};
}

#pragma once

#include <QString>

// "Start at login" on Linux desktops: an XDG autostart entry,
// $XDG_CONFIG_HOME/autostart/tsp-assistant.desktop (~/.config/autostart/ by default).
namespace Autostart {

QString entryPath();
bool isEnabled();
// Writes the entry (Exec = `program` plus `arguments`) or removes it. False with *error.
bool setEnabled(bool enabled, const QString &program, const QString &arguments, QString *error);

} // namespace Autostart

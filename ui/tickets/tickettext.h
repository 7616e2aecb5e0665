#pragma once

#include <QColor>
#include <QString>

#include "tickets/ticket.h"

// The console's words for ticket values: statuses, sync states and field names, translated.
namespace TicketText {
QString status(const QString &code);      // New, In progress, ... (the code itself when unknown)
QString syncState(TicketSyncState state); // Synced, Pending, Conflict, Error
QString syncLine(TicketSyncState state, const QString &reason); // "Error: <reason>"
QColor syncColour(TicketSyncState state);
QString field(const QString &key); // Title, VIN, ...
// A field's value as shown (statuses in words, times as dates).
QString value(const QString &key, const QString &raw);
} // namespace TicketText

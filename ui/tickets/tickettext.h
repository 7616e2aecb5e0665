#pragma once

#include <QColor>
#include <QString>

#include "tickets/bitablemapping.h"
#include "tickets/bitablesync.h"
#include "tickets/ticket.h"

// The console's words for ticket values: statuses, sync states and field names, translated.
namespace TicketText {
QString status(const QString &code);      // New, In progress, ... (the code itself when unknown)
QString syncState(TicketSyncState state); // Synced, Pending, Conflict, Error
QString syncLine(TicketSyncState state, const BitableSync::Reason &reason); // "Error: <reason>"
QString syncReason(const BitableSync::Reason &reason);
// The sync's steps and outcome, and the ways a table can misfit the field map (core gives kinds).
QString syncProgress(const BitableSync::Progress &progress);
QString syncOutcome(const BitableSync::Report &report); // the summary, or why it failed
QString mappingProblem(const MappingProblem &problem);
QString bitableType(int type); // text, single select, ...
QColor syncColour(TicketSyncState state);
QString field(const QString &key); // Title, VIN, ...
// A field's value as shown (statuses in words, times as dates).
QString value(const QString &key, const QString &raw);
} // namespace TicketText

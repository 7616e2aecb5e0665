#pragma once

#include "commandline.h"

// `tsp-assistant tickets sync|list [--json]`: the tickets of the database of the resolved
// configuration (same --data-dir, --env-file and DATABASE_URL as the bot).
//   sync         one two-way sync with the Bitable table (BITABLE_APP_TOKEN, BITABLE_TABLE_ID);
//                progress lines on stderr (and in the log), a one-line summary on stdout.
//                Exit 0 when the sync ran (per-record problems are listed on stderr; those
//                tickets are in sync state "error"), 1 when it could not sync, 2 when it is not
//                configured.
//   list [--json] the local tickets; --json prints one JSON array of
//                {"id","record_id","title","status","vin","sync_state"}.
namespace TicketsRunner {
int run(const CommandLine &commandLine);
QString usage();
} // namespace TicketsRunner

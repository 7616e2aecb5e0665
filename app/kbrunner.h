#pragma once

#include "commandline.h"

// `tsp-assistant kb import|export|search ...`: KbCommand on the database of the resolved
// configuration (the same --data-dir, --env-file and DATABASE_URL as the bot). Log lines go to
// stderr at warning level and above, so stdout carries only the command's output.
namespace KbRunner {
int run(const CommandLine &commandLine);
}

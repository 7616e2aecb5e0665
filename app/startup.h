#pragma once

#include <QString>

#include "config/appconfig.h"

// Start-up steps the headless bot and the console share (the coming Application class takes them
// over).
namespace Startup {

// stderr plus LOG_FILE (default <data-dir>/logs/tsp-assistant.log), at the configured level.
void setUpLogging(const AppConfig &config);
// "tsp-assistant <version> starting <mode>[ against the local demo sandbox] (pid N)", then the
// configuration banner and its warnings.
void logBanner(const AppConfig &config, const QString &mode, bool demo);

} // namespace Startup

#pragma once

// Logging categories of the executable. app/ does not include core's private logging_p.h: it has
// its own category objects under the same names (tsp.app, tsp.config, tsp.sandbox), so LOG_LEVEL
// and QT_LOGGING_RULES treat them exactly like core's.
#include <QLoggingCategory>

namespace AppLogging {
Q_DECLARE_LOGGING_CATEGORY(lcApp)     // tsp.app      start-up, shutdown
Q_DECLARE_LOGGING_CATEGORY(lcConfig)  // tsp.config   configuration problems
Q_DECLARE_LOGGING_CATEGORY(lcSandbox) // tsp.sandbox  the demo sandbox
} // namespace AppLogging

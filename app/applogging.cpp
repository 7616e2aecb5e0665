#include "applogging.h"

namespace AppLogging {
Q_LOGGING_CATEGORY(lcApp, "tsp.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "tsp.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSandbox, "tsp.sandbox", QtInfoMsg)
} // namespace AppLogging

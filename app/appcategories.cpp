#include "appcategories.h"

Q_LOGGING_CATEGORY(lcAppMain, "tsp.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAppConfig, "tsp.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAppSandbox, "tsp.sandbox", QtInfoMsg)

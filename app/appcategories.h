#pragma once

#include <QLoggingCategory>

// The app layer's own logging categories (core's are private to core). The names are core's, so
// one QT_LOGGING_RULES line covers both layers.
Q_DECLARE_LOGGING_CATEGORY(lcAppMain)    // tsp.app      start-up, shutdown, runners
Q_DECLARE_LOGGING_CATEGORY(lcAppConfig)  // tsp.config   configuration problems
Q_DECLARE_LOGGING_CATEGORY(lcAppSandbox) // tsp.sandbox  the demo sandbox

#pragma once

#include <QString>

class QCoreApplication;

// Installs the console's translation (:/i18n/tsp_<locale>.qm, embedded) and Qt's own
// qtbase_<locale>.qm from the system's Qt translations, for the system locale. Missing files are
// not an error: English is the source language. `language` (UI_LANGUAGE): "system" follows the
// system locale, "zh_CN" or "en" overrides it (en installs nothing: the source strings are English).
// Returns the locale name installed ("" for English).
QString installTranslations(QCoreApplication *app, const QString &language = QStringLiteral("system"));

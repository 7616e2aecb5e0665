#pragma once

class QCoreApplication;

// Installs the console's translation (:/i18n/tsp_<locale>.qm, embedded) and Qt's own
// qtbase_<locale>.qm from the system's Qt translations, for the system locale. Missing files are
// not an error: English is the source language.
void installTranslations(QCoreApplication *app);

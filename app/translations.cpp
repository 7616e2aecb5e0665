#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include "applogging.h"

using namespace AppLogging;

QString installTranslations(QCoreApplication *app, const QString &language)
{
    if (language == QLatin1String("en"))
        return {};
    const QLocale locale =
        language == QLatin1String("system") || language.isEmpty() ? QLocale() : QLocale(language);
    if (locale != QLocale())
        QLocale::setDefault(locale); // dates and numbers follow the chosen language too
    QString installed;
    auto *own = new QTranslator(app);
    if (own->load(locale, QStringLiteral("tsp"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(own);
        installed = own->language();
    } else {
        delete own;
    }
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return installed;
}

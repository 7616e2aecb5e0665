#include "startup.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "applogging.h"
#include "logging/logging.h"

using namespace AppLogging;

namespace Startup {

void setUpLogging(const AppConfig &config)
{
    // LOG_FILE; a relative path is taken from the data dir.
    const QString file =
        QDir(config.dataDir)
            .absoluteFilePath(config.logFile.isEmpty() ? QStringLiteral("logs/tsp-assistant.log")
                                                       : config.logFile);
    QDir().mkpath(QFileInfo(file).absolutePath());
    Logging::setup(config.logLevel, file);
}

void logBanner(const AppConfig &config, const QString &mode, bool demo)
{
    qCInfo(lcApp).noquote() << QStringLiteral("tsp-assistant %1 starting %2%3 (pid %4)")
                                   .arg(QCoreApplication::applicationVersion(), mode,
                                        demo ? QStringLiteral(" against the local demo sandbox") : QString())
                                   .arg(QCoreApplication::applicationPid());
    for (const QString &line : config.bannerLines())
        qCInfo(lcApp).noquote() << "  " << line;
    for (const QString &w : std::as_const(config.warnings))
        qCWarning(lcConfig).noquote() << w;
}

} // namespace Startup

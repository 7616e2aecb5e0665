#include "kbrunner.h"

#include <QTextStream>

#include "application.h"
#include "config/appconfig.h"
#include "knowledge/embeddingclient.h"
#include "knowledge/kbcommand.h"
#include "knowledge/knowledgebase.h"
#include "logging/logging.h"
#include "storage/database.h"

int KbRunner::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    AppConfig config;
    QString error;
    if (!Application::loadConfig(commandLine, &config, &error)) {
        err << "tsp-assistant kb: " << error << "\n";
        return ExitCode::Usage;
    }
    Logging::setup(qMax(config.logLevel, Logging::Level::Warning));

    const Database::Location location = Database::parseUrl(config.databaseUrl, config.dataDir);
    if (location.kind == Database::Location::Invalid) {
        err << "tsp-assistant kb: DATABASE_URL: " << location.error << "\n";
        return ExitCode::Usage;
    }
    Database db(QStringLiteral("tsp-kb"));
    if (!db.open(location)) {
        err << "tsp-assistant kb: " << db.errorString() << "\n";
        return ExitCode::Failed;
    }
    // A fresh install searches the demo knowledge base, as the bot would.
    if (commandLine.kbArgs.value(0) != QLatin1String("import")) {
        KnowledgeBase kb(db);
        if (!kb.ensureSeeded(&error)) {
            err << "tsp-assistant kb: knowledge base: " << error << "\n";
            return ExitCode::Failed;
        }
    }
    const EmbeddingOptions embeddings = EmbeddingOptions::fromConfig(config);
    const int rc = KbCommand::run(db, commandLine.kbArgs, out, err, embeddings);
    out.flush();
    err.flush();
    db.close();
    return rc;
}

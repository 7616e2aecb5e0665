// A stand-alone `kb` command line for the retrieval evaluation, speaking the same CLI as
// `tsp-assistant kb ...`:  kbtool kb search [--top K] [--json] QUERY --data-dir DIR
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTextStream>

#include "config/appconfig.h"
#include "knowledge/kbcommand.h"
#include "knowledge/knowledgesearch.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(u"tsp.*.info=false"_s);
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = app.arguments().mid(1);
    QString dataDir = QDir::currentPath();
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == u"--data-dir"_s && i + 1 < args.size()) {
            dataDir = args.at(i + 1);
            args.remove(i, 2);
            --i;
        } else if (args.at(i).startsWith(u"--data-dir="_s)) {
            dataDir = args.at(i).mid(11);
            args.remove(i);
            --i;
        }
    }
    const bool explain = !args.isEmpty() && args.front() == u"explain"_s; // kbtool explain QUERY: the analysis as JSON
    if (args.isEmpty() || (args.front() != u"kb"_s && !explain)) {
        err << "usage: kbtool kb <import|export|search> ... [--data-dir DIR]\n" << KbCommand::usage();
        return KbCommand::kUsage;
    }
    Database db(u"kbtool"_s);
    if (!db.open(Database::parseUrl(u"sqlite:///tsp-assistant.db"_s, dataDir))) {
        err << "kbtool: " << db.errorString() << "\n";
        return KbCommand::kFailed;
    }
    if (explain) {
        KnowledgeSearch search(db);
        out << QJsonDocument(search.explain(args.mid(1).join(u" "_s))).toJson(QJsonDocument::Indented);
        return KbCommand::kOk;
    }
    AppConfig::Inputs in; // the EMBEDDING_* keys come from the environment
    in.dataDir = dataDir;
    AppConfig config;
    QString configError;
    if (!AppConfig::resolve(in, &config, &configError)) {
        err << "kbtool: " << configError << "\n";
        return KbCommand::kUsage;
    }
    const EmbeddingOptions embeddings = EmbeddingOptions::fromConfig(config);
    return KbCommand::run(db, args.mid(1), out, err, embeddings);
}

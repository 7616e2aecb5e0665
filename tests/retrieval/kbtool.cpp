// A stand-alone `kb` command line for the retrieval evaluation, speaking the same CLI as
// `tsp-assistant kb ...`:  kbtool kb search [--top K] [--json] QUERY --data-dir DIR
// Batch:     kbtool kb-batch FILE [--top K]  `kb search --json --top K QUERY` for every query of a
//                                          JSONL file, in one process (one JSON line per query)
//            kbtool kb-batch FILE --text [--top K]
//                                          the same without --json: the human output, whose last
//                                          line per query gives the reason of the decision
// Analysis:  kbtool explain QUERY          the search's analysis of one query (JSON)
//            kbtool explain-file FILE      one compact line of analysis per query of a JSONL file
//                                          (ten hits each: fit_rerank.py reads them)
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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
    KnowledgeSearchOptions searchOptions;
    for (qsizetype i = 0; i < args.size(); ++i) {
        // --translation FILE: the re-ranking's table from FILE instead of the built-in one (the
        // cross-fitting of fit_translation.py and fit_decision.py).
        if (args.at(i) == u"--translation"_s && i + 1 < args.size()) {
            QFile table(args.at(i + 1));
            if (!table.open(QIODevice::ReadOnly)) {
                err << "kbtool: cannot read " << args.at(i + 1) << "\n";
                return KbCommand::kFailed;
            }
            searchOptions.translation = std::make_shared<TranslationTable>(
                TranslationTable::parse(QString::fromUtf8(table.readAll())));
            args.remove(i, 2);
            --i;
            continue;
        }
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
    const bool explain =
        !args.isEmpty() && args.front() == u"explain"_s; // kbtool explain QUERY: the analysis as JSON
    const bool explainFile = !args.isEmpty() && args.front() == u"explain-file"_s;
    const bool batch = !args.isEmpty() && args.front() == u"kb-batch"_s;
    if (args.isEmpty() || (args.front() != u"kb"_s && !explain && !explainFile && !batch)) {
        err << "usage: kbtool kb <import|export|search> ... [--data-dir DIR]\n" << KbCommand::usage();
        return KbCommand::kUsage;
    }
    Database db(u"kbtool"_s);
    if (!db.open(Database::parseUrl(u"sqlite:///tsp-assistant.db"_s, dataDir))) {
        err << "kbtool: " << db.errorString() << "\n";
        return KbCommand::kFailed;
    }
    if (explainFile) {
        QFile f(args.value(1));
        if (!f.open(QIODevice::ReadOnly)) {
            err << "kbtool: cannot read " << args.value(1) << "\n";
            return KbCommand::kFailed;
        }
        KnowledgeSearch search(db, searchOptions);
        while (!f.atEnd()) {
            const QByteArray line = f.readLine().trimmed();
            if (line.isEmpty())
                continue;
            QJsonObject o =
                search.explain(QJsonDocument::fromJson(line).object().value(u"query"_s).toString(), 10);
            o.insert(u"case"_s, QJsonDocument::fromJson(line).object());
            out << QJsonDocument(o).toJson(QJsonDocument::Compact) << "\n";
        }
        return KbCommand::kOk;
    }
    if (explain) {
        KnowledgeSearch search(db, searchOptions);
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
    if (batch) {
        // The evaluation's many queries without a process (and, under ASan, a sanitizer start-up)
        // each: every query still goes through KbCommand::run, the code of `kb search --json`.
        // One KnowledgeSearch serves them all, as one serves the bot: a fresh one per query spent
        // about 80% of each query rebuilding the caches of all 300 entries (measured with perf).
        // eval.py's --check-cli compares queries against `kb search` processes, fresh each.
        QFile f(args.value(1));
        if (!f.open(QIODevice::ReadOnly)) {
            err << "kbtool: cannot read " << args.value(1) << "\n";
            return KbCommand::kFailed;
        }
        QStringList options = args.mid(2);
        const bool text = options.removeAll(u"--text"_s) > 0;
        if (!text)
            options.prepend(u"--json"_s);
        KnowledgeSearch search(db, searchOptions);
        if (embeddings.isEnabled())
            search.setEmbeddingOptions(embeddings);
        while (!f.atEnd()) {
            const QByteArray line = f.readLine().trimmed();
            if (line.isEmpty())
                continue;
            const QString query = QJsonDocument::fromJson(line).object().value(u"query"_s).toString();
            const int rc =
                KbCommand::run(db, QStringList{u"search"_s} + options + QStringList{u"--"_s, query}, out, err,
                               embeddings, &search);
            if (rc != KbCommand::kOk)
                return rc;
        }
        return KbCommand::kOk;
    }
    return KbCommand::run(db, args.mid(1), out, err, embeddings);
}

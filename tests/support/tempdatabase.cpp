#include "tempdatabase.h"

bool TempKnowledgeDb::open(const QString &connectionName, QString *error)
{
    if (!dir.isValid()) {
        *error = QStringLiteral("no temporary directory");
        return false;
    }
    db = std::make_unique<Database>(connectionName);
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = dir.filePath(QStringLiteral("tsp.db"));
    if (!db->open(loc)) {
        *error = db->errorString();
        return false;
    }
    kb = std::make_unique<KnowledgeBase>(*db);
    return true;
}

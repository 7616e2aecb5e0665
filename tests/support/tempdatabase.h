#pragma once

#include <memory>

#include <QString>
#include <QTemporaryDir>

#include "knowledge/knowledgebase.h"
#include "storage/database.h"

// A fresh SQLite database in its own temporary directory, with a KnowledgeBase on it: the
// fixture the knowledge tests share. Members are destroyed in reverse order (base, db, dir).
struct TempKnowledgeDb
{
    QTemporaryDir dir;
    std::unique_ptr<Database> db;
    std::unique_ptr<KnowledgeBase> kb;

    // Opens <dir>/tsp.db on the named connection; false with *error when it cannot.
    bool open(const QString &connectionName, QString *error);
};

#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The schema, as forward-only steps. Step N takes the database from version N-1 to N.
// Never edit a step that has shipped; append a new one.
struct Migration
{
    int version;
    const char *name;
    QStringList statements;
};

const QList<Migration> &schemaMigrations();

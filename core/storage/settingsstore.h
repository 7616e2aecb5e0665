#pragma once

#include <QString>

class Database;

// Small values the program keeps in the database's `settings` table (the bot's own open_id, the
// default session mode, whether the bot is paused): key -> text. Joins the caller's
// transaction, if any. Secrets never go here.
class SettingsStore final
{
public:
    explicit SettingsStore(Database *db);

    // '' when the key is not set (or the read failed; logged under tsp.db).
    QString value(const QString &key) const;
    bool setValue(const QString &key, const QString &value);

private:
    QString m_conn;
};

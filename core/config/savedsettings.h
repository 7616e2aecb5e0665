#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

class QSettings;

// The settings the console saves (AppConfig::Inputs::saved): non-secret values only, in an INI
// file in the user's config dir (<config>/tsp-assistant.ini, group [settings]).
//
// Why a file in the config dir and not the database's settings table: the saved settings are
// needed before the database is opened (DATABASE_URL itself is one of them), they belong to this
// workstation and this user (a PostgreSQL database is shared by several consoles), and an INI
// file can be read and backed up without the program.
//
// Secrets are refused here: they go to SecretStore. Export and import use the .env format (the
// same keys), so an exported file also works as a .env for a headless bot.
class SavedSettings final : public QObject
{
    Q_OBJECT
public:
    explicit SavedSettings(const QString &configDir, QObject *parent = nullptr);
    ~SavedSettings() override;
    Q_DISABLE_COPY_MOVE(SavedSettings)

    QString filePath() const;
    // True once the console has saved anything (the first-run wizard opens while false).
    bool isEmpty() const;

    QHash<QString, QString> values() const; // for AppConfig::Inputs::saved
    QString value(const QString &key) const;
    bool contains(const QString &key) const;

    // Saves the values (an empty value removes the key) and writes the file at once. Secret keys
    // are not accepted: they are left out and named in *refused.
    bool setValues(const QHash<QString, QString> &values, QStringList *refused = nullptr);
    void remove(const QString &key);

    // Writes every saved value (never a secret) as a .env file. False with *error on failure.
    bool exportTo(const QString &path, QString *error) const;
    // Reads a .env file written by exportTo() (or any .env); returns the values found, without
    // secrets (their keys go to *skippedSecrets). Nothing is saved: the caller decides.
    static QHash<QString, QString> readImport(const QString &path, QStringList *skippedSecrets,
                                              QString *error);

signals:
    void changed(const QStringList &keys);

private:
    QSettings *m_settings = nullptr;
};

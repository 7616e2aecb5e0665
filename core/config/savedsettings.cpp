#include "config/savedsettings.h"

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QSaveFile>
#include <QSettings>

#include "config/envfile.h"
#include "config/secretstore.h"

namespace {

const QString kGroup = QStringLiteral("settings/");

} // namespace

SavedSettings::SavedSettings(const QString &configDir, QObject *parent)
    : QObject(parent)
    , m_settings(new QSettings(QDir(configDir).filePath(QStringLiteral("tsp-assistant.ini")),
                               QSettings::IniFormat, this))
{}

SavedSettings::~SavedSettings()
{
    m_settings->sync();
}

QString SavedSettings::filePath() const
{
    return m_settings->fileName();
}

bool SavedSettings::isEmpty() const
{
    return values().isEmpty();
}

QHash<QString, QString> SavedSettings::values() const
{
    QHash<QString, QString> out;
    m_settings->beginGroup(QStringLiteral("settings"));
    const QStringList keys = m_settings->childKeys();
    for (const QString &key : keys) {
        if (!SecretStore::isSecretKey(key))
            out.insert(key, m_settings->value(key).toString());
    }
    m_settings->endGroup();
    return out;
}

QString SavedSettings::value(const QString &key) const
{
    return SecretStore::isSecretKey(key) ? QString() : m_settings->value(kGroup + key).toString();
}

bool SavedSettings::contains(const QString &key) const
{
    return !SecretStore::isSecretKey(key) && m_settings->contains(kGroup + key);
}

bool SavedSettings::setValues(const QHash<QString, QString> &values, QStringList *refused)
{
    QStringList changedKeys;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (SecretStore::isSecretKey(it.key())) {
            if (refused)
                refused->append(it.key());
            continue;
        }
        const QString full = kGroup + it.key();
        if (it.value().isEmpty()) {
            if (m_settings->contains(full)) {
                m_settings->remove(full);
                changedKeys << it.key();
            }
        } else if (m_settings->value(full).toString() != it.value()) {
            m_settings->setValue(full, it.value());
            changedKeys << it.key();
        }
    }
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        return false;
    if (!changedKeys.isEmpty()) {
        std::sort(changedKeys.begin(), changedKeys.end());
        emit changed(changedKeys);
    }
    return true;
}

void SavedSettings::remove(const QString &key)
{
    setValues({{key, QString()}});
}

bool SavedSettings::exportTo(const QString &path, QString *error) const
{
    const QHash<QString, QString> all = values();
    QStringList keys = all.keys();
    std::sort(keys.begin(), keys.end());
    QByteArray bytes = "# TSP Assistant settings, exported " +
                       QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toUtf8() +
                       ". Secrets are never exported.\n";
    for (const QString &key : keys)
        bytes += key.toUtf8() + '=' + EnvFile::quoted(all.value(key)) + '\n';
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QHash<QString, QString> SavedSettings::readImport(const QString &path, QStringList *skippedSecrets,
                                                  QString *error)
{
    EnvFile env;
    if (!env.load(path)) {
        *error = tr("Cannot read %1: %2").arg(path, env.errorString());
        return {};
    }
    QHash<QString, QString> out;
    for (auto it = env.values().cbegin(); it != env.values().cend(); ++it) {
        if (SecretStore::isSecretKey(it.key())) {
            if (skippedSecrets)
                skippedSecrets->append(it.key());
        } else {
            out.insert(it.key(), it.value());
        }
    }
    if (skippedSecrets)
        std::sort(skippedSecrets->begin(), skippedSecrets->end());
    return out;
}

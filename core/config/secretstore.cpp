#include "config/secretstore.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include "config/envfile.h"
#include "logging/redact.h"
#include "logging_p.h"

namespace {

const QString kSettingsFile = QStringLiteral("tsp-assistant.ini");
const QString kStorageKey = QStringLiteral("secrets/storage");
const QString kFallbackFile = QStringLiteral("secrets.env");

QString storageName(SecretStore::Storage s)
{
    switch (s) {
    case SecretStore::Storage::Keychain:
        return QStringLiteral("keychain");
    case SecretStore::Storage::File:
        return QStringLiteral("file");
    case SecretStore::Storage::AskAtStart:
        return QStringLiteral("ask");
    }
    return {};
}

} // namespace

SecretStore::SecretStore(const QString &configDir, const QString &service, QObject *parent)
    : QObject(parent)
    , m_configDir(configDir)
    , m_service(service)
{
    const QSettings s(QDir(m_configDir).filePath(kSettingsFile), QSettings::IniFormat);
    const QString chosen = s.value(kStorageKey).toString();
    if (chosen == storageName(Storage::File))
        m_storage = Storage::File;
    else if (chosen == storageName(Storage::AskAtStart))
        m_storage = Storage::AskAtStart;
}

SecretStore::~SecretStore() = default;

QStringList SecretStore::secretKeys()
{
    return {QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("LLM_API_KEY"),
            QStringLiteral("EMBEDDING_API_KEY")};
}

QString SecretStore::defaultConfigDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
}

QString SecretStore::fallbackFilePath() const
{
    return QDir(m_configDir).filePath(kFallbackFile);
}

void SecretStore::read(const QString &key)
{
    enqueue({Op::Read, key, {}});
}

void SecretStore::write(const QString &key, const QString &value)
{
    Redact::registerSecret(value);
    enqueue({value.isEmpty() ? Op::Remove : Op::Write, key, value});
}

void SecretStore::remove(const QString &key)
{
    enqueue({Op::Remove, key, {}});
}

void SecretStore::chooseStorage(Storage storage)
{
    QSettings s(QDir(m_configDir).filePath(kSettingsFile), QSettings::IniFormat);
    s.setValue(kStorageKey, storageName(storage));
    s.sync();
    const bool changed = storage != m_storage;
    m_storage = storage;
    qCInfo(lcConfig).noquote() << "secrets are kept in:" << storageName(storage);
    if (changed)
        emit storageChanged(storage);
    if (m_waitingForChoice) {
        m_waitingForChoice = false;
        scheduleNext();
    }
}

void SecretStore::enqueue(Pending p)
{
    m_queue.append(std::move(p));
    scheduleNext();
}

void SecretStore::scheduleNext()
{
    if (m_scheduled || m_busy || m_waitingForChoice || m_queue.isEmpty())
        return;
    m_scheduled = true;
    // A fresh event-loop turn: never inside the caller, never inside a job's finished handler.
    QTimer::singleShot(0, this, &SecretStore::runNext);
}

void SecretStore::runNext()
{
    m_scheduled = false;
    if (m_busy || m_waitingForChoice || m_queue.isEmpty())
        return;
    const Pending p = m_queue.takeFirst();
    if (m_storage != Storage::Keychain) {
        runWithFallback(p);
        scheduleNext();
        return;
    }
    m_current = p;
    m_busy = true;
    QKeychain::Job *job = nullptr;
    switch (p.op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service, this);
        break;
    case Op::Write: {
        auto *w = new QKeychain::WritePasswordJob(m_service, this);
        w->setTextData(p.value);
        job = w;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service, this);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(p.key);
    connect(job, &QKeychain::Job::finished, this, &SecretStore::onJobFinished);
    job->start();
}

void SecretStore::onJobFinished(QKeychain::Job *job)
{
    m_busy = false;
    const Pending p = std::exchange(m_current, {});
    const QKeychain::Error error = job->error();
    if (error == QKeychain::NoError) {
        const QString value =
            p.op == Op::Read ? static_cast<QKeychain::ReadPasswordJob *>(job)->textData() : QString();
        Redact::registerSecret(value);
        finishOk(p, value);
    } else if (error == QKeychain::EntryNotFound) {
        finishOk(p); // nothing stored: an empty read, a removal that is already done
    } else if (error == QKeychain::CouldNotDeleteEntry) {
        emit failed(p.key, tr("The keychain refused to delete %1: %2").arg(p.key, job->errorString()));
    } else {
        // No keychain to use: hold this and everything behind it until the user chooses.
        const QString reason = plainReason(error, job->errorString());
        qCWarning(lcConfig).noquote() << "keychain unavailable:" << Redact::text(job->errorString());
        m_queue.prepend(p);
        m_waitingForChoice = true;
        emit keychainUnavailable(reason);
        return;
    }
    scheduleNext(); // deferred: the next job starts in a later event-loop turn
}

void SecretStore::runWithFallback(const Pending &p)
{
    if (m_storage == Storage::AskAtStart) {
        if (p.op == Op::Write)
            m_memory.insert(p.key, p.value);
        else if (p.op == Op::Remove)
            m_memory.remove(p.key);
        finishOk(p, m_memory.value(p.key));
        return;
    }
    QString error;
    QHash<QString, QString> values = readFallbackFile(&error);
    if (!error.isEmpty()) {
        emit failed(p.key, error);
        return;
    }
    if (p.op == Op::Read) {
        finishOk(p, values.value(p.key));
        return;
    }
    if (p.op == Op::Write)
        values.insert(p.key, p.value);
    else if (!values.contains(p.key)) {
        finishOk(p);
        return;
    } else {
        values.remove(p.key);
    }
    if (!writeFallbackFile(values, &error)) {
        emit failed(p.key, error);
        return;
    }
    finishOk(p);
}

void SecretStore::finishOk(const Pending &p, const QString &readValue)
{
    switch (p.op) {
    case Op::Read:
        emit secretRead(p.key, readValue);
        break;
    case Op::Write:
        emit secretWritten(p.key);
        break;
    case Op::Remove:
        emit secretRemoved(p.key);
        break;
    }
}

QHash<QString, QString> SecretStore::readFallbackFile(QString *error) const
{
    const QString path = fallbackFilePath();
    if (!QFileInfo::exists(path))
        return {};
    EnvFile env;
    if (!env.load(path)) {
        *error = tr("Cannot read the secrets file %1: %2").arg(path, env.errorString());
        return {};
    }
    QHash<QString, QString> values;
    for (const QString &key : secretKeys()) {
        if (env.contains(key))
            values.insert(key, env.value(key));
    }
    return values;
}

bool SecretStore::writeFallbackFile(const QHash<QString, QString> &values, QString *error) const
{
    if (!QDir().mkpath(m_configDir)) {
        *error = tr("Cannot create the folder %1 for the secrets file.").arg(m_configDir);
        return false;
    }
    const QString path = fallbackFilePath();
    if (values.isEmpty()) {
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            *error = tr("Cannot remove the secrets file %1.").arg(path);
            return false;
        }
        return true;
    }
    // Created 0600 from the first byte, then renamed over the old file: there is never a moment
    // in which another user could read it.
    const QString tmpPath = path + QLatin1String(".tmp");
    QFile::remove(tmpPath);
    QFile tmp(tmpPath);
    if (!tmp.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                  QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = tr("Cannot write the secrets file %1: %2").arg(path, tmp.errorString());
        return false;
    }
    QByteArray bytes = "# TSP Assistant secrets, stored here at the user's explicit choice (less secure "
                       "than the keychain).\n";
    for (const QString &key : secretKeys()) {
        if (values.contains(key))
            bytes += key.toUtf8() + '=' + EnvFile::quoted(values.value(key)) + '\n';
    }
    const bool written = tmp.write(bytes) == bytes.size() && tmp.flush();
    tmp.close();
    if (!written || !tmp.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        std::rename(QFile::encodeName(tmpPath).constData(), QFile::encodeName(path).constData()) != 0) {
        *error = tr("Cannot write the secrets file %1: %2")
                     .arg(path, written ? QString::fromLocal8Bit(std::strerror(errno)) : tmp.errorString());
        QFile::remove(tmpPath);
        return false;
    }
    return true;
}

QString SecretStore::plainReason(int keychainError, const QString &errorString)
{
    switch (keychainError) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return tr("No keychain is available on this computer (no Secret Service is running), so the "
                  "secrets cannot be stored securely.");
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return tr("The keychain is locked and was not unlocked, so the secrets cannot be stored securely.");
    default:
        return tr("The keychain cannot be used (%1), so the secrets cannot be stored securely.")
            .arg(Redact::text(errorString));
    }
}

#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace QKeychain {
class Job;
}

// The console's secrets (FEISHU_APP_SECRET, LLM_API_KEY, EMBEDDING_API_KEY) in the OS keychain
// through QtKeychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
//
// Every call is asynchronous and answered by a signal, always from the event loop. Keychain jobs
// run one at a time; the next one is started from a fresh event-loop turn, never from the
// previous job's finished handler. EntryNotFound is "no value", not an error.
//
// No silent plaintext: when the keychain cannot be used (no Secret Service, or locked and the
// user cancelled), keychainUnavailable() says so in plain words and the operations wait until
// the user makes one of two explicit choices with chooseStorage():
//   - Storage::File: a file readable only by this user (0600), flagged as less secure;
//   - Storage::AskAtStart: nothing is stored; the secrets live in memory for this run only.
// The choice is remembered in the settings file (tsp-assistant.ini in the config dir) and applies to
// later runs until chooseStorage(Storage::Keychain) switches back.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool lessSecure READ isLessSecure NOTIFY storageChanged)
public:
    enum class Storage { Keychain, File, AskAtStart };
    Q_ENUM(Storage)

    // configDir: where the remembered choice and the 0600 fallback file live.
    // service: the keychain's service name (tests use their own).
    explicit SecretStore(const QString &configDir, const QString &service = QStringLiteral("tsp-assistant"),
                         QObject *parent = nullptr);
    ~SecretStore() override;
    Q_DISABLE_COPY_MOVE(SecretStore)

    static QStringList secretKeys();
    static bool isSecretKey(const QString &key) { return secretKeys().contains(key); }
    // The standard config dir of the console (QStandardPaths::AppConfigLocation).
    static QString defaultConfigDir();

    Storage storage() const { return m_storage; }
    // True while secrets go to the 0600 file: the settings page and the status bar show it.
    bool isLessSecure() const { return m_storage == Storage::File; }
    // True in ask-at-start mode: the UI asks for the secrets at every start.
    bool asksAtStart() const { return m_storage == Storage::AskAtStart; }
    // The 0600 fallback file (exists only after the File choice and a write).
    QString fallbackFilePath() const;
    // A keychainUnavailable() is waiting for chooseStorage().
    bool isWaitingForChoice() const { return m_waitingForChoice; }

    // Answered by secretRead() (empty value = nothing stored) or failed().
    void read(const QString &key);
    // Answered by secretWritten() or failed(). An empty value removes the secret.
    void write(const QString &key, const QString &value);
    // Answered by secretRemoved() or failed(). Removing what is not there succeeds.
    void remove(const QString &key);

    // The explicit, remembered choice. Operations held back by keychainUnavailable() continue
    // with the chosen storage (Keychain: they are tried again).
    void chooseStorage(Storage storage);

signals:
    void secretRead(const QString &key, const QString &value);
    void secretWritten(const QString &key);
    void secretRemoved(const QString &key);
    // The keychain cannot be used; `reason` is one plain sentence for the user. The pending
    // operations wait for chooseStorage().
    void keychainUnavailable(const QString &reason);
    // An operation failed for good (e.g. the fallback file cannot be written).
    void failed(const QString &key, const QString &message);
    void storageChanged(SecretStore::Storage storage);

private:
    enum class Op { Read, Write, Remove };
    struct Pending
    {
        Op op = Op::Read;
        QString key;
        QString value;
    };

    void enqueue(Pending p);
    void scheduleNext();
    void runNext();
    void runWithFallback(const Pending &p);
    void onJobFinished(QKeychain::Job *job);
    void finishOk(const Pending &p, const QString &readValue = {});
    QHash<QString, QString> readFallbackFile(QString *error) const;
    bool writeFallbackFile(const QHash<QString, QString> &values, QString *error) const;
    static QString plainReason(int keychainError, const QString &errorString);

    QString m_configDir;
    QString m_service;
    Storage m_storage = Storage::Keychain;
    QList<Pending> m_queue;
    Pending m_current;
    bool m_busy = false;      // a keychain job is running
    bool m_scheduled = false; // runNext() is posted
    bool m_waitingForChoice = false;
    QHash<QString, QString> m_memory; // ask-at-start: this run's secrets only
};

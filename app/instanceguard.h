#pragma once

#include <memory>

#include <QLockFile>
#include <QObject>
#include <QString>

class QLocalServer;

// One running instance per data dir: a QLockFile (stale locks of dead processes are taken over)
// plus, for the console, a QLocalServer through which a second start asks the first to show itself.
class InstanceGuard final : public QObject
{
    Q_OBJECT
public:
    explicit InstanceGuard(const QString &dataDir, QObject *parent = nullptr);
    ~InstanceGuard() override;
    Q_DISABLE_COPY_MOVE(InstanceGuard)

    // True when this process now owns the data dir. Otherwise *holder says who does.
    bool acquire(QString *holder);
    // Console only: listen for "activate" messages from later starts.
    bool listen();
    // Sends "activate" to the running console; true if it answered.
    bool activateRunning(int timeoutMs = 1000);

signals:
    void activationRequested();

private:
    QString m_dataDir;
    QString m_serverName;
    QLockFile m_lock;
    std::unique_ptr<QLocalServer> m_server;
};

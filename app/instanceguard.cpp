#include "instanceguard.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>

InstanceGuard::InstanceGuard(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
    , m_lock(QDir(dataDir).absoluteFilePath(QStringLiteral("tsp-assistant.lock")))
{
    const QByteArray hash =
        QCryptographicHash::hash(QDir(dataDir).absolutePath().toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(12);
#ifdef QT_DEBUG
    m_serverName = QStringLiteral("tsp-assistant-%1-debug").arg(QString::fromLatin1(hash));
#else
    m_serverName = QStringLiteral("tsp-assistant-%1").arg(QString::fromLatin1(hash));
#endif
    m_lock.setStaleLockTime(0); // only a dead owner makes the lock stale, never its age
}

InstanceGuard::~InstanceGuard()
{
    if (m_server)
        m_server->close();
    m_lock.unlock();
}

bool InstanceGuard::acquire(QString *holder)
{
    QDir().mkpath(m_dataDir);
    if (m_lock.tryLock(0))
        return true;
    if (m_lock.error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host, app;
        if (m_lock.getLockInfo(&pid, &host, &app))
            *holder = QStringLiteral("process %1 (%2) on %3").arg(pid).arg(app, host);
        else
            *holder = QStringLiteral("another process");
        // A lock left by a crashed process is stale: QLockFile removes it when the pid is gone.
        if (m_lock.removeStaleLockFile() && m_lock.tryLock(0))
            return true;
    } else {
        *holder = QStringLiteral("nobody (cannot create the lock file in %1)").arg(m_dataDir);
    }
    return false;
}

bool InstanceGuard::listen()
{
    m_server = std::make_unique<QLocalServer>();
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(m_serverName);
    if (!m_server->listen(m_serverName))
        return false;
    connect(m_server.get(), &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *s = m_server->nextPendingConnection()) {
            connect(s, &QLocalSocket::readyRead, this, [this, s] {
                if (s->readAll().startsWith("activate"))
                    QMetaObject::invokeMethod(this, &InstanceGuard::activationRequested,
                                              Qt::QueuedConnection);
                s->write("ok");
                s->disconnectFromServer();
            });
            connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
        }
    });
    return true;
}

bool InstanceGuard::activateRunning(int timeoutMs)
{
    QLocalSocket s;
    s.connectToServer(m_serverName);
    if (!s.waitForConnected(timeoutMs))
        return false;
    s.write("activate\n");
    s.waitForBytesWritten(timeoutMs);
    return s.waitForReadyRead(timeoutMs);
}

#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTimer>

#include "desk/desktypes.h"
#include "feishu/longconnection.h"

// Builds the ConnectionHealth snapshot on the main thread. The long connection lives on its I/O
// thread and only reports (queued signals: state, errors, ACK metrics); the outbox, the ledger
// and the LLM report on the main thread. Nothing here reads an object of another thread.
// healthChanged() is coalesced: at most one every intervalMs, and at once on a state change.
class HealthMonitor final : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // ms since the epoch

    explicit HealthMonitor(QObject *parent = nullptr);
    ~HealthMonitor() override;
    Q_DISABLE_COPY_MOVE(HealthMonitor)

    void setClock(Clock clock) { m_clock = std::move(clock); }
    ConnectionHealth snapshot() const;

    // Inputs (main thread; connect the I/O thread's signals queued).
    void connectionStateChanged(LongConnection::State state);
    void reconnectScheduled();
    void connectionError(const QString &message);
    void connectionFatal(int code, const QString &message);
    void metricsReported(const LongConnection::Metrics &metrics);
    void duplicateDropped();
    void setTokenExpiry(qint64 expiresAtMs);
    void setOutbox(int depth, qint64 oldestPendingAt);
    void llmFinished(int latencyMs, const QString &error);
    void setPaused(bool paused);

    // What an operator can do about a platform code (bad credentials, app not allowed, ...): a
    // stable kind for the console, and its English words for the log and headless use.
    static ConnectionHealth::Hint hintKind(int code, const QString &message);
    static QString hintText(ConnectionHealth::Hint hint);

    static QString hintFor(int code, const QString &message) { return hintText(hintKind(code, message)); }

signals:
    void healthChanged(const ConnectionHealth &health);

private:
    void changed(bool now = false);
    void recompute();

    Clock m_clock;
    ConnectionHealth m_health;
    QList<QPair<qint64, float>> m_acks; // (received at ms, latency): the last minute
    QTimer m_emitTimer;
    qint64 m_reconnectDay = 0;
};

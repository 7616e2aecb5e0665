#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QObject>

// The hand-off of ACKed pushes from the Feishu I/O thread to the main thread: a locked queue
// with one wake-up per socket read, not one per push. append() and batchDone() are called on the
// I/O thread; ready() is delivered on the thread the inbox lives on, where take() empties it.
class PushInbox final : public QObject
{
    Q_OBJECT
public:
    explicit PushInbox(QObject *parent = nullptr);
    ~PushInbox() override;
    Q_DISABLE_COPY_MOVE(PushInbox)

    // I/O thread: one push, already ACKed.
    void append(const QByteArray &payload);
    // I/O thread, after the pushes of one socket read: posts ready() unless one is pending.
    void batchDone();
    // Owner thread: everything queued so far, oldest first.
    QList<QByteArray> take();

signals:
    void ready();

private:
    QMutex m_mutex;
    QList<QByteArray> m_items;
    bool m_wakePosted = false;
};

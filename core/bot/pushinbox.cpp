#include "bot/pushinbox.h"

PushInbox::PushInbox(QObject *parent)
    : QObject(parent)
{}

PushInbox::~PushInbox() = default;

void PushInbox::append(const QByteArray &payload)
{
    QMutexLocker lock(&m_mutex);
    m_items.append(payload);
}

void PushInbox::batchDone()
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_wakePosted || m_items.isEmpty())
            return;
        m_wakePosted = true;
    }
    QMetaObject::invokeMethod(this, &PushInbox::ready, Qt::QueuedConnection);
}

QList<QByteArray> PushInbox::take()
{
    QList<QByteArray> out;
    QMutexLocker lock(&m_mutex);
    out.swap(m_items);
    m_wakePosted = false;
    return out;
}

#include "fakereplytransport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

QString FakeReplyTransport::Call::text() const
{
    return QJsonDocument::fromJson(content.toUtf8()).object().value(QStringLiteral("text")).toString();
}

FakeReplyTransport::FakeReplyTransport(QObject *parent)
    : QObject(parent)
{}

SendResult FakeReplyTransport::transientError(int retryAfterMs)
{
    SendResult r;
    r.retryable = true;
    r.httpStatus = retryAfterMs > 0 ? 429 : 503;
    r.code = retryAfterMs > 0 ? 99991400 : 0;
    r.message = retryAfterMs > 0 ? QStringLiteral("request trigger frequency limit")
                                 : QStringLiteral("service unavailable");
    r.retryAfterMs = retryAfterMs;
    return r;
}

SendResult FakeReplyTransport::permanentError(int code, const QString &message)
{
    SendResult r;
    r.httpStatus = 200;
    r.code = code;
    r.message = message;
    return r;
}

void FakeReplyTransport::replyMessage(const QString &messageId, const QString &msgType,
                                      const QString &content, const QString &uuid, Done done)
{
    handle(Call{QStringLiteral("reply"), messageId, {}, msgType, content, uuid}, std::move(done));
}

void FakeReplyTransport::sendMessage(const QString &receiveIdType, const QString &receiveId,
                                     const QString &msgType, const QString &content, const QString &uuid,
                                     Done done)
{
    handle(Call{QStringLiteral("send"), receiveId, receiveIdType, msgType, content, uuid}, std::move(done));
}

void FakeReplyTransport::handle(const Call &call, Done done)
{
    m_calls.append(call);
    emit called(int(m_calls.size()) - 1);
    switch (m_mode) {
    case Mode::Immediate:
        done(resultFor(call));
        break;
    case Mode::Deferred:
        QTimer::singleShot(0, this, [this, call, done] { done(resultFor(call)); });
        break;
    case Mode::Hold:
        m_held.enqueue(Held{call, std::move(done)});
        break;
    }
}

SendResult FakeReplyTransport::resultFor(const Call &call)
{
    SendResult r;
    if (!m_results.isEmpty())
        r = m_results.dequeue();
    else
        r.ok = true;
    if (!r.ok)
        return r;
    // Feishu's uuid idempotency: the same uuid yields the same message, posted once.
    if (!m_messageIdByUuid.contains(call.uuid)) {
        m_messageIdByUuid.insert(call.uuid, QStringLiteral("om_fake_%1").arg(m_nextMessage++));
        m_deliveredUuids.append(call.uuid);
        m_deliveredTexts.append(call.text());
    }
    r.httpStatus = 200;
    r.sentMessageId = m_messageIdByUuid.value(call.uuid);
    return r;
}

bool FakeReplyTransport::releaseNext()
{
    if (m_held.isEmpty())
        return false;
    Held h = m_held.dequeue();
    h.done(resultFor(h.call));
    return true;
}

void FakeReplyTransport::releaseAll()
{
    while (releaseNext()) {
    }
}

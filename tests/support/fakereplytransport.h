#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QStringList>

#include "feishu/replytransport.h"

// Stands in for Feishu's message API in unit tests. It behaves like the platform where it
// matters to the outbox: a uuid that was delivered once is never posted again (the second call
// returns the first message id), so deliveredCount() counts what a customer would see.
// The instance may outlive the Outbox that called it (a "crash"): keep it across restarts to
// model the server.
class FakeReplyTransport final : public QObject, public ReplyTransport
{
    Q_OBJECT
public:
    enum class Mode {
        Immediate, // answer inside the call
        Deferred,  // answer from the event loop
        Hold,      // keep the call until release*()
    };

    struct Call
    {
        QString kind; // reply, send
        QString target;
        QString receiveIdType;
        QString msgType;
        QString content;
        QString uuid;
        QString text() const;
    };

    explicit FakeReplyTransport(QObject *parent = nullptr);

    void setMode(Mode mode) { m_mode = mode; }
    // Results for the next calls, in order; when none is queued a call succeeds.
    void queueResult(const SendResult &result) { m_results.enqueue(result); }
    static SendResult transientError(int retryAfterMs = -1);
    static SendResult permanentError(int code, const QString &message);

    void replyMessage(const QString &messageId, const QString &msgType, const QString &content,
                      const QString &uuid, Done done) override;
    void sendMessage(const QString &receiveIdType, const QString &receiveId, const QString &msgType,
                     const QString &content, const QString &uuid, Done done) override;

    const QList<Call> &calls() const { return m_calls; }
    int heldCount() const { return int(m_held.size()); }
    // Answers the oldest held call with the next queued result (or success).
    bool releaseNext();
    void releaseAll();

    // Distinct messages the "platform" posted, in order, and their texts.
    int deliveredCount() const { return int(m_deliveredUuids.size()); }
    QStringList deliveredTexts() const { return m_deliveredTexts; }
    QStringList deliveredUuids() const { return m_deliveredUuids; }

signals:
    void called(int index);

private:
    struct Held
    {
        Call call;
        Done done;
    };
    void handle(const Call &call, Done done);
    SendResult resultFor(const Call &call);

    Mode m_mode = Mode::Immediate;
    QQueue<SendResult> m_results;
    QList<Call> m_calls;
    QQueue<Held> m_held;
    QStringList m_deliveredUuids;
    QStringList m_deliveredTexts;
    QHash<QString, QString> m_messageIdByUuid;
    int m_nextMessage = 1;
};

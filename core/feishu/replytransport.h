#pragma once

#include <functional>

#include <QString>

// The outcome of one attempt to deliver a message to Feishu.
struct SendResult
{
    bool ok = false;
    bool retryable = false; // network error, 5xx, 429: try again later under the same uuid
    int httpStatus = 0;
    int code = 0; // Feishu business code (0 on success)
    QString message;
    int retryAfterMs = -1; // from x-ogw-ratelimit-reset when rate limited
    QString sentMessageId; // om_... of the message Feishu created
};

// How a sender (the outbox) reaches Feishu: the transport side of the seam, so feishu/ knows
// nothing of chat/. OpenApiClient implements it; its own retry rules (token
// refresh, rate limit, back-off for uuid-idempotent calls) run inside each call.
class ReplyTransport
{
public:
    using Done = std::function<void(const SendResult &)>;
    virtual ~ReplyTransport() = default;

    // POST /open-apis/im/v1/messages/{messageId}/reply
    virtual void replyMessage(const QString &messageId, const QString &msgType, const QString &content,
                              const QString &uuid, Done done) = 0;
    // POST /open-apis/im/v1/messages?receive_id_type=...
    virtual void sendMessage(const QString &receiveIdType, const QString &receiveId, const QString &msgType,
                             const QString &content, const QString &uuid, Done done) = 0;
};

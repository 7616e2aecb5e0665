#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include "net/networkoptions.h"

class QNetworkAccessManager;
class QNetworkReply;

// A one-off check of an app's Feishu settings, for the first-run wizard and the settings page:
// the tenant token (POST /open-apis/auth/v3/tenant_access_token/internal), then the long
// connection's endpoint bootstrap (POST /callback/ws/endpoint, spec §1). The WebSocket is not
// dialled, so a running bot of the same app keeps receiving every event.
//
// Asynchronous; finished() comes once per start(), from the event loop. The outcome is
// classified so the UI can say what to do; the platform's code and msg are passed on as they came.
class FeishuCheck final : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Ok,
        MissingCredentials,     // App ID or App Secret empty (nothing was sent)
        InvalidAppId,           // token refused: 10003 (malformed app_id) or an unknown app
        WrongSecret,            // token refused: 10014 and friends
        NotPublished,           // 99991672-like: permissions missing or version not published
        LongConnectionDisabled, // token fine, endpoint bootstrap refused with a non-retryable code
        Forbidden,              // bootstrap 403: the app is disabled or blocked
        PlatformBusy,           // bootstrap 1 / 1000040343, HTTP 5xx: try again later
        Network,                // no HTTP answer (DNS, refused, timeout, proxy)
        Tls,                    // TLS failed (intranet inspection: set the extra CA)
        Unexpected,             // an answer that is not the platform's JSON (wrong domain?)
    };
    Q_ENUM(Outcome)

    struct Result
    {
        Outcome outcome = Outcome::Unexpected;
        QString step; // "token" or "endpoint": the step that decided the outcome
        int code = 0; // the platform's code (0 when there was no JSON answer)
        int httpStatus = 0;
        QString platformMessage; // the platform's msg, or the network error
        bool tokenOk = false;
        bool endpointOk = false;
        qint64 elapsedMs = 0;
    };

    explicit FeishuCheck(QObject *parent = nullptr);
    ~FeishuCheck() override;
    Q_DISABLE_COPY_MOVE(FeishuCheck)

    // Starts a check (a running one is abandoned: its answer is ignored).
    void start(const QUrl &domain, const QString &appId, const QString &appSecret,
               const NetworkOptions &network = {}, int timeoutMs = 15000);
    void cancel();
    bool isRunning() const { return !m_reply.isNull(); }

signals:
    void finished(const FeishuCheck::Result &result);

private:
    void post(const QString &path, const QByteArray &body);
    void onReply(QNetworkReply *reply, quint64 generation);
    void done(Result r);

    QNetworkAccessManager *m_nam = nullptr;
    QPointer<QNetworkReply> m_reply;
    quint64 m_generation = 0;
    QUrl m_domain;
    QString m_appId;
    QString m_appSecret;
    NetworkOptions m_network;
    int m_timeoutMs = 15000;
    qint64 m_startedMs = 0;
    Result m_result;
};
Q_DECLARE_METATYPE(FeishuCheck::Result)

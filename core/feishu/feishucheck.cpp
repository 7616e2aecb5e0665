#include "feishu/feishucheck.h"

#include <cmath>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include "logging/redact.h"
#include "logging_p.h"

namespace {

const QString kTokenPath = QStringLiteral("/open-apis/auth/v3/tenant_access_token/internal");
const QString kEndpointPath = QStringLiteral("/callback/ws/endpoint");

int codeOf(const QJsonObject &o)
{
    const double v = o.value(QLatin1String("code")).toDouble(-1);
    return std::isfinite(v) && std::abs(v) < 2147483647.0 ? int(v) : -1;
}

} // namespace

FeishuCheck::FeishuCheck(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    qRegisterMetaType<FeishuCheck::Result>();
}

FeishuCheck::~FeishuCheck()
{
    cancel();
}

void FeishuCheck::start(const QUrl &domain, const QString &appId, const QString &appSecret,
                        const NetworkOptions &network, int timeoutMs)
{
    cancel();
    m_domain = domain;
    m_appId = appId.trimmed();
    m_appSecret = appSecret;
    m_network = network;
    m_timeoutMs = timeoutMs;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    m_result = Result();
    Redact::registerSecret(m_appSecret);
    if (m_appId.isEmpty() || m_appSecret.isEmpty()) {
        Result r;
        r.outcome = Outcome::MissingCredentials;
        r.step = QStringLiteral("token");
        const quint64 generation = m_generation;
        // Always from the event loop, never inside start().
        QMetaObject::invokeMethod(
            this,
            [this, r, generation] {
                if (generation == m_generation)
                    done(r);
            },
            Qt::QueuedConnection);
        return;
    }
    m_network.apply(m_nam);
    m_result.step = QStringLiteral("token");
    post(kTokenPath, QJsonDocument(QJsonObject{{QStringLiteral("app_id"), m_appId},
                                               {QStringLiteral("app_secret"), m_appSecret}})
                         .toJson(QJsonDocument::Compact));
}

void FeishuCheck::cancel()
{
    ++m_generation;
    if (m_reply) {
        QNetworkReply *r = m_reply;
        m_reply.clear();
        r->abort();
        r->deleteLater();
    }
}

void FeishuCheck::post(const QString &path, const QByteArray &body)
{
    QUrl url = m_domain;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    req.setRawHeader("locale", "zh");
    req.setTransferTimeout(m_timeoutMs);
    QString caError;
    req.setSslConfiguration(m_network.sslConfiguration(&caError));
    QNetworkReply *reply = m_nam->post(req, body);
    m_reply = reply;
    const quint64 generation = m_generation;
    connect(reply, &QNetworkReply::finished, this, [this, reply, generation] { onReply(reply, generation); });
}

void FeishuCheck::onReply(QNetworkReply *reply, quint64 generation)
{
    reply->deleteLater();
    if (generation != m_generation)
        return;
    m_reply.clear();
    Result r = m_result;
    r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    if (r.httpStatus == 0) {
        const QNetworkReply::NetworkError e = reply->error();
        r.outcome = (e == QNetworkReply::SslHandshakeFailedError) ? Outcome::Tls : Outcome::Network;
        r.platformMessage = e == QNetworkReply::OperationCanceledError
                                ? tr("no answer within %1 s").arg(m_timeoutMs / 1000)
                                : reply->errorString();
        done(r);
        return;
    }
    const QJsonObject o = QJsonDocument::fromJson(bytes).object();
    const bool isJson = o.contains(QLatin1String("code"));
    r.code = isJson ? codeOf(o) : 0;
    r.platformMessage = o.value(QLatin1String("msg")).toString();
    const bool tokenStep = r.step == QLatin1String("token");

    if (r.httpStatus >= 500 || (!tokenStep && (r.code == 1 || r.code == 1000040343))) {
        r.outcome = Outcome::PlatformBusy;
        done(r);
        return;
    }
    if (!isJson || (r.httpStatus != 200 && r.code == 0)) {
        r.outcome = Outcome::Unexpected;
        if (r.platformMessage.isEmpty())
            r.platformMessage = tr("HTTP %1 without the platform's JSON answer").arg(r.httpStatus);
        done(r);
        return;
    }
    if (tokenStep) {
        if (r.code == 0 && !o.value(QLatin1String("tenant_access_token")).toString().isEmpty()) {
            Redact::registerSecret(o.value(QLatin1String("tenant_access_token")).toString());
            m_result.tokenOk = true;
            m_result.step = QStringLiteral("endpoint");
            post(kEndpointPath, QJsonDocument(QJsonObject{{QStringLiteral("AppID"), m_appId},
                                                          {QStringLiteral("AppSecret"), m_appSecret}})
                                    .toJson(QJsonDocument::Compact));
            return;
        }
        switch (r.code) {
        case 10003:
            r.outcome = Outcome::InvalidAppId;
            break;
        case 10014:
        case 10015:
            r.outcome = Outcome::WrongSecret;
            break;
        case 99991672:
            r.outcome = Outcome::NotPublished;
            break;
        default:
            r.outcome = Outcome::Unexpected;
        }
        done(r);
        return;
    }
    // The endpoint bootstrap (spec §1.3).
    if (r.code == 0 &&
        !o.value(QLatin1String("data")).toObject().value(QLatin1String("URL")).toString().isEmpty()) {
        r.endpointOk = true;
        r.outcome = Outcome::Ok;
    } else if (r.code == 0) {
        r.outcome = Outcome::PlatformBusy; // no URL: the SDKs retry
    } else if (r.code == 403 || r.httpStatus == 403) {
        r.outcome = Outcome::Forbidden;
    } else if (r.code == 10003 || r.code == 10014 || r.code == 1000040344) {
        r.outcome = Outcome::WrongSecret;
    } else if (r.code == 99991672) {
        r.outcome = Outcome::NotPublished;
    } else {
        r.outcome = Outcome::LongConnectionDisabled;
    }
    done(r);
}

void FeishuCheck::done(Result r)
{
    r.elapsedMs = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
    qCInfo(lcConfig).noquote() << "Feishu check of" << Redact::url(m_domain) << "ended at" << r.step
                               << "with code" << r.code << Redact::text(r.platformMessage);
    emit finished(r);
}

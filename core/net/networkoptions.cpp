#include "net/networkoptions.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkProxyQuery>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QUrl>
#include <QWebSocket>

bool NetworkOptions::parseProxy(const QString &text, NetworkOptions *options, QString *error)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0) {
        options->proxyMode = ProxyMode::System;
        return true;
    }
    if (t.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0
        || t.compare(QLatin1String("direct"), Qt::CaseInsensitive) == 0) {
        options->proxyMode = ProxyMode::None;
        return true;
    }
    const QUrl url(t);
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type;
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
        type = QNetworkProxy::HttpProxy;
    else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h"))
        type = QNetworkProxy::Socks5Proxy;
    else {
        *error = QStringLiteral("proxy must be system, none, http://host:port or socks5://host:port");
        return false;
    }
    if (url.host().isEmpty() || url.port() <= 0) {
        *error = QStringLiteral("proxy URL needs a host and a port");
        return false;
    }
    options->proxyMode = ProxyMode::Explicit;
    options->explicitProxy = QNetworkProxy(type, url.host(), quint16(url.port()), url.userName(), url.password());
    return true;
}

QNetworkProxy NetworkOptions::proxyFor(const QUrl &url) const
{
    switch (proxyMode) {
    case ProxyMode::None:
        return QNetworkProxy(QNetworkProxy::NoProxy);
    case ProxyMode::Explicit:
        return explicitProxy;
    case ProxyMode::System:
        break;
    }
    // WebSocket URLs are looked up as their HTTP equivalents: system proxy rules are written for those.
    QUrl lookup = url;
    if (lookup.scheme() == QLatin1String("wss"))
        lookup.setScheme(QStringLiteral("https"));
    else if (lookup.scheme() == QLatin1String("ws"))
        lookup.setScheme(QStringLiteral("http"));
    const auto list = QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(lookup));
    return list.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : list.first();
}

QSslConfiguration NetworkOptions::sslConfiguration(QString *error) const
{
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    if (extraCaFile.isEmpty())
        return conf;
    QFile f(extraCaFile);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read the extra CA file %1: %2").arg(extraCaFile, f.errorString());
        return conf;
    }
    const auto certs = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
    if (certs.isEmpty()) {
        if (error)
            *error = QStringLiteral("the extra CA file %1 holds no PEM certificate").arg(extraCaFile);
        return conf;
    }
    conf.addCaCertificates(certs);
    return conf;
}

void NetworkOptions::apply(QNetworkAccessManager *nam) const
{
    switch (proxyMode) {
    case ProxyMode::System:
        nam->setProxy(QNetworkProxy(QNetworkProxy::DefaultProxy));
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        break;
    case ProxyMode::None:
        nam->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
        break;
    case ProxyMode::Explicit:
        nam->setProxy(explicitProxy);
        break;
    }
}

void NetworkOptions::apply(QNetworkRequest *request) const
{
    if (!extraCaFile.isEmpty() && request->url().scheme() == QLatin1String("https"))
        request->setSslConfiguration(sslConfiguration());
}

void NetworkOptions::apply(QWebSocket *socket, const QUrl &url) const
{
    socket->setProxy(proxyFor(url));
    if (url.scheme() == QLatin1String("wss"))
        socket->setSslConfiguration(sslConfiguration());
}

QString describeSslErrors(const QList<QSslError> &errors, const QString &host, bool haveExtraCa)
{
    QStringList parts;
    bool untrusted = false, expired = false, hostMismatch = false;
    for (const QSslError &e : errors) {
        switch (e.error()) {
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
        case QSslError::UnableToVerifyFirstCertificate:
            untrusted = true;
            break;
        case QSslError::CertificateExpired:
        case QSslError::CertificateNotYetValid:
            expired = true;
            break;
        case QSslError::HostNameMismatch:
            hostMismatch = true;
            break;
        default:
            break;
        }
        parts << e.errorString();
    }
    QString advice;
    if (untrusted) {
        advice = haveExtraCa
            ? QStringLiteral("The certificate of %1 is not signed by a trusted CA, not even by the configured extra CA "
                             "file. If a proxy inspects TLS, put that proxy's root certificate (PEM) in the extra CA "
                             "file.")
                  .arg(host)
            : QStringLiteral("The certificate of %1 is not signed by a trusted CA. If your network inspects TLS "
                             "(corporate proxy), set FEISHU_CA_FILE to the proxy's root certificate (PEM).")
                  .arg(host);
    } else if (expired) {
        advice = QStringLiteral("The certificate of %1 is expired or not yet valid: check this computer's clock.").arg(host);
    } else if (hostMismatch) {
        advice = QStringLiteral("The certificate does not belong to %1: check FEISHU_DOMAIN and any proxy in between.")
                     .arg(host);
    } else {
        advice = QStringLiteral("TLS with %1 failed.").arg(host);
    }
    return advice + QStringLiteral(" (details: ") + parts.join(QLatin1String("; ")) + QLatin1Char(')');
}

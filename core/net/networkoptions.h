#pragma once

#include <QList>
#include <QNetworkProxy>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

class QNetworkAccessManager;
class QNetworkRequest;
class QWebSocket;

// Proxy and TLS settings shared by every outbound leg (Feishu's bootstrap POST, WebSocket and
// OpenAPI calls, the LLM and the embeddings API), so they can never disagree (spec §2.2).
struct NetworkOptions
{
    enum class ProxyMode { System, None, Explicit };
    ProxyMode proxyMode = ProxyMode::System;
    QNetworkProxy explicitProxy;  // used when proxyMode == Explicit
    QString extraCaFile;          // PEM file with extra CA certificates (intranet TLS inspection)

    // Parses "system", "none"/"direct", or "http://[user:pass@]host:port" / "socks5://host:port".
    // Returns false and sets *error on anything else.
    static bool parseProxy(const QString &text, NetworkOptions *options, QString *error);

    // The proxy to use for a connection to `url` (resolves System via QNetworkProxyFactory).
    QNetworkProxy proxyFor(const QUrl &url) const;
    // The default TLS configuration plus the extra CA certificates. *error says why the CA file
    // could not be used (missing, unreadable, no certificate in it).
    QSslConfiguration sslConfiguration(QString *error = nullptr) const;

    void apply(QNetworkAccessManager *nam) const;
    // The extra CA certificates for an https request (nothing when no CA file is set).
    void apply(QNetworkRequest *request) const;
    void apply(QWebSocket *socket, const QUrl &url) const;
};

// A clear, actionable sentence for a TLS failure, instead of Qt's bare error string.
QString describeSslErrors(const QList<QSslError> &errors, const QString &host, bool haveExtraCa);

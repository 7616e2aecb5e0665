// NetworkOptions: proxy parsing, one proxy for every Feishu leg (checked through a real loopback
// HTTP proxy that forwards to the sandbox), the extra CA file, and actionable TLS messages
// (checked against a real TLS server with a certificate made by openssl).
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

#include "feishu/longconnection.h"
#include "net/networkoptions.h"
#include "sandbox/feishusandbox.h"

namespace {

// A small forwarding HTTP proxy on 127.0.0.1: absolute-form requests are forwarded to their
// origin, CONNECT opens a tunnel. Records the request lines it saw.
class LoopbackProxy final : public QObject
{
public:
    LoopbackProxy()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                serve(client);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QStringList requestLines;

private:
    void serve(QTcpSocket *client)
    {
        auto *buffer = new QByteArray;
        connect(client, &QObject::destroyed, this, [buffer] { delete buffer; });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(client, &QTcpSocket::readyRead, this, [this, client, buffer] {
            if (client->property("upstream").isValid())
                return; // tunnelling: the pipe below moves the bytes
            buffer->append(client->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer->left(end);
            const QList<QByteArray> lines = head.split('\n');
            const QList<QByteArray> first = lines.first().trimmed().split(' ');
            if (first.size() < 3) {
                client->abort();
                return;
            }
            requestLines << QString::fromLatin1(lines.first().trimmed());
            auto *upstream = new QTcpSocket(client);
            client->setProperty("upstream", QVariant::fromValue(upstream));
            connect(upstream, &QTcpSocket::readyRead, client,
                    [client, upstream] { client->write(upstream->readAll()); });
            connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
            connect(client, &QTcpSocket::readyRead, upstream,
                    [client, upstream] { upstream->write(client->readAll()); });
            if (first.at(0) == "CONNECT") {
                const QList<QByteArray> hp = first.at(1).split(':');
                upstream->connectToHost(QString::fromLatin1(hp.value(0)), hp.value(1).toUShort());
                connect(upstream, &QTcpSocket::connected, client, [client, buffer, end] {
                    client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                    buffer->remove(0, end + 4);
                });
                return;
            }
            const QUrl target(QString::fromLatin1(first.at(1)));
            QByteArray rewritten = first.at(0) + ' ' + target.path(QUrl::FullyEncoded).toLatin1();
            if (target.hasQuery())
                rewritten += '?' + target.query(QUrl::FullyEncoded).toLatin1();
            rewritten += ' ' + first.at(2) + "\r\n";
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray l = lines.at(i).trimmed();
                if (!l.toLower().startsWith("proxy-"))
                    rewritten += l + "\r\n";
            }
            rewritten += "\r\n" + buffer->mid(end + 4);
            buffer->clear();
            upstream->connectToHost(target.host(), quint16(target.port(80)));
            connect(upstream, &QTcpSocket::connected, upstream,
                    [upstream, rewritten] { upstream->write(rewritten); });
        });
    }

    QTcpServer m_server;
};

bool makeCertificate(const QString &dir, QString *cert, QString *key)
{
    *cert = dir + QStringLiteral("/cert.pem");
    *key = dir + QStringLiteral("/key.pem");
    QProcess p;
    p.start(QStringLiteral("openssl"),
            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
             QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), *key,
             QStringLiteral("-out"), *cert, QStringLiteral("-days"), QStringLiteral("2"),
             QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
             QStringLiteral("subjectAltName=IP:127.0.0.1")});
    return p.waitForFinished(30000) && p.exitCode() == 0;
}

} // namespace

class TestNetworkOptions final : public QObject
{
    Q_OBJECT

private slots:
    void parseProxy_data();
    void parseProxy();
    void applySetsTheProxyOnBothLegs();
    void bothLegsGoThroughTheConfiguredProxy();
    void missingCaFileIsReported();
    void describeSslErrorsGivesAdvice();
    void tlsFailureIsActionableAndExtraCaFixesIt();
};

void TestNetworkOptions::parseProxy_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    const int sys = int(NetworkOptions::ProxyMode::System);
    const int none = int(NetworkOptions::ProxyMode::None);
    const int exp = int(NetworkOptions::ProxyMode::Explicit);
    QTest::newRow("empty") << QString() << true << sys << 0 << QString() << 0;
    QTest::newRow("system") << QStringLiteral("System") << true << sys << 0 << QString() << 0;
    QTest::newRow("none") << QStringLiteral("none") << true << none << 0 << QString() << 0;
    QTest::newRow("direct") << QStringLiteral(" direct ") << true << none << 0 << QString() << 0;
    QTest::newRow("http") << QStringLiteral("http://proxy.corp:3128") << true << exp
                          << int(QNetworkProxy::HttpProxy) << QStringLiteral("proxy.corp") << 3128;
    QTest::newRow("socks5") << QStringLiteral("socks5://10.0.0.1:1080") << true << exp
                            << int(QNetworkProxy::Socks5Proxy) << QStringLiteral("10.0.0.1") << 1080;
    QTest::newRow("ftp") << QStringLiteral("ftp://proxy:21") << false << 0 << 0 << QString() << 0;
    QTest::newRow("no port") << QStringLiteral("http://proxy.corp") << false << 0 << 0 << QString() << 0;
    QTest::newRow("garbage") << QStringLiteral("just words") << false << 0 << 0 << QString() << 0;
}

void TestNetworkOptions::parseProxy()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, mode);
    QFETCH(int, type);
    QFETCH(QString, host);
    QFETCH(int, port);
    NetworkOptions o;
    QString error;
    QCOMPARE(NetworkOptions::parseProxy(text, &o, &error), ok);
    if (!ok) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(int(o.proxyMode), mode);
    if (o.proxyMode == NetworkOptions::ProxyMode::Explicit) {
        QCOMPARE(int(o.explicitProxy.type()), type);
        QCOMPARE(o.explicitProxy.hostName(), host);
        QCOMPARE(int(o.explicitProxy.port()), port);
    }
}

void TestNetworkOptions::applySetsTheProxyOnBothLegs()
{
    NetworkOptions o;
    QString error;
    QVERIFY(NetworkOptions::parseProxy(QStringLiteral("http://user:pw@proxy.corp:3128"), &o, &error));
    QNetworkAccessManager nam;
    QWebSocket ws;
    o.apply(&nam);
    o.apply(&ws, QUrl(QStringLiteral("wss://msg-frontier.feishu.cn/ws/v2")));
    QCOMPARE(nam.proxy().hostName(), QStringLiteral("proxy.corp"));
    QCOMPARE(ws.proxy().hostName(), QStringLiteral("proxy.corp"));
    QCOMPARE(ws.proxy().port(), quint16(3128));
    QCOMPARE(ws.proxy().user(), QStringLiteral("user"));

    QVERIFY(NetworkOptions::parseProxy(QStringLiteral("none"), &o, &error));
    o.apply(&nam);
    o.apply(&ws, QUrl(QStringLiteral("wss://msg-frontier.feishu.cn/ws/v2")));
    QCOMPARE(nam.proxy().type(), QNetworkProxy::NoProxy);
    QCOMPARE(ws.proxy().type(), QNetworkProxy::NoProxy);
}

void TestNetworkOptions::bothLegsGoThroughTheConfiguredProxy()
{
    FeishuSandbox sandbox;
    QVERIFY(sandbox.start());
    LoopbackProxy proxy;
    QVERIFY(proxy.listen());

    LongConnection::Options o;
    o.domain = sandbox.baseUrl();
    o.appId = sandbox.options().appId;
    o.appSecret = sandbox.options().appSecret;
    QString error;
    QVERIFY(NetworkOptions::parseProxy(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()), &o.network,
                                       &error));
    LongConnection conn(o);
    QSignalSpy connected(&conn, &LongConnection::connected);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
    conn.stop();

    // The bootstrap POST went through the proxy (absolute form), and so did the WebSocket (CONNECT).
    bool sawBootstrap = false, sawTunnel = false;
    for (const QString &line : std::as_const(proxy.requestLines)) {
        sawBootstrap |= line.startsWith(
            QStringLiteral("POST http://127.0.0.1:%1/callback/ws/endpoint").arg(sandbox.port()));
        sawTunnel |= line.startsWith(QStringLiteral("CONNECT 127.0.0.1:%1").arg(sandbox.wsPort()));
    }
    QVERIFY2(sawBootstrap, qPrintable(proxy.requestLines.join(QLatin1Char('\n'))));
    QVERIFY2(sawTunnel, qPrintable(proxy.requestLines.join(QLatin1Char('\n'))));
}

void TestNetworkOptions::missingCaFileIsReported()
{
    NetworkOptions o;
    o.extraCaFile = QStringLiteral("/nonexistent/corp-root.pem");
    QString error;
    const QSslConfiguration c = o.sslConfiguration(&error);
    QVERIFY(error.contains(QStringLiteral("/nonexistent/corp-root.pem")));
    QCOMPARE(c.caCertificates().size(), QSslConfiguration::defaultConfiguration().caCertificates().size());

    QTemporaryDir dir;
    const QString notPem = dir.filePath(QStringLiteral("x.pem"));
    QFile f(notPem);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a certificate\n");
    f.close();
    o.extraCaFile = notPem;
    error.clear();
    o.sslConfiguration(&error);
    QVERIFY2(!error.isEmpty(), "a file without a certificate is reported");
}

void TestNetworkOptions::describeSslErrorsGivesAdvice()
{
    const QString host = QStringLiteral("open.feishu.cn");
    const QString untrusted =
        describeSslErrors({QSslError(QSslError::SelfSignedCertificateInChain)}, host, false);
    QVERIFY2(untrusted.contains(QStringLiteral("FEISHU_CA_FILE")), qPrintable(untrusted));
    QVERIFY(untrusted.contains(host));
    const QString untrustedWithCa =
        describeSslErrors({QSslError(QSslError::UnableToGetLocalIssuerCertificate)}, host, true);
    QVERIFY2(untrustedWithCa.contains(QStringLiteral("extra CA file")), qPrintable(untrustedWithCa));
    const QString expired = describeSslErrors({QSslError(QSslError::CertificateExpired)}, host, false);
    QVERIFY2(expired.contains(QStringLiteral("clock")), qPrintable(expired));
    const QString mismatch = describeSslErrors({QSslError(QSslError::HostNameMismatch)}, host, false);
    QVERIFY2(mismatch.contains(QStringLiteral("FEISHU_DOMAIN")), qPrintable(mismatch));
}

void TestNetworkOptions::tlsFailureIsActionableAndExtraCaFixesIt()
{
    QTemporaryDir dir;
    QString certPath, keyPath;
    QVERIFY2(makeCertificate(dir.path(), &certPath, &keyPath), "openssl could not make a certificate");
    QFile certFile(certPath), keyFile(keyPath);
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    QSslConfiguration serverTls = QSslConfiguration::defaultConfiguration();
    serverTls.setLocalCertificate(QSslCertificate(certFile.readAll()));
    serverTls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    QSslServer server;
    server.setSslConfiguration(serverTls);
    int encrypted = 0;
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&] {
        while (QTcpSocket *s = server.nextPendingConnection()) {
            ++encrypted;
            s->abort(); // no HTTP behind it: the handshake is what is tested
            s->deleteLater();
        }
    });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    LongConnection::Options o;
    o.domain = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));
    o.appId = QStringLiteral("cli_0123456789abcdef");
    o.appSecret = QStringLiteral("tls-test-secret");
    o.network.proxyMode = NetworkOptions::ProxyMode::None;
    {
        LongConnection conn(o);
        QSignalSpy errors(&conn, &LongConnection::errorOccurred);
        conn.start();
        QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 10000);
        const QString message = errors.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("FEISHU_CA_FILE")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("127.0.0.1")), qPrintable(message));
        conn.stop();
        QCOMPARE(encrypted, 0);
    }

    // With the server's certificate as the extra CA, the handshake succeeds.
    o.network.extraCaFile = certPath;
    LongConnection conn(o);
    conn.start();
    QTRY_VERIFY_WITH_TIMEOUT(encrypted >= 1, 10000);
    conn.stop();
}

QTEST_GUILESS_MAIN(TestNetworkOptions)
#include "tst_networkoptions.moc"

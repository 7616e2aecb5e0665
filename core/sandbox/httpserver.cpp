#include "sandbox/httpserver.h"

#include <QTcpSocket>

#include "logging_p.h"

HttpResponder::HttpResponder(QTcpSocket *socket, bool keepAlive, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_keepAlive(keepAlive)
{
}

bool HttpResponder::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpResponder::respond(int status, const QByteArray &body, const QByteArray &contentType,
                            const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    if (m_done)
        return;
    m_done = true;
    deleteLater();
    if (!m_socket)
        return;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpServer::reasonPhrase(status) + "\r\n";
    head += "Content-Type: " + contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &h : extraHeaders)
        head += h.first + ": " + h.second + "\r\n";
    head += m_keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    m_socket->write(head + body);
    if (!m_keepAlive)
        m_socket->disconnectFromHost();
}

void HttpResponder::beginStream(int status, const QByteArray &contentType)
{
    if (m_done || !m_socket)
        return;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + HttpServer::reasonPhrase(status) + "\r\n";
    head += "Content-Type: " + contentType + "\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n";
    head += m_keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    m_socket->write(head);
}

void HttpResponder::writeChunk(const QByteArray &data)
{
    if (m_done || !m_socket || data.isEmpty())
        return;
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void HttpResponder::endStream()
{
    if (m_done)
        return;
    m_done = true;
    deleteLater();
    if (!m_socket)
        return;
    m_socket->write("0\r\n\r\n");
    if (!m_keepAlive)
        m_socket->disconnectFromHost();
}

void HttpResponder::abortConnection()
{
    m_done = true;
    deleteLater();
    if (m_socket)
        m_socket->abort();
}

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer() { closeAllConnections(); }

bool HttpServer::listen(const QHostAddress &address, quint16 port) { return m_server.listen(address, port); }

void HttpServer::closeAllConnections()
{
    const auto sockets = m_buffers.keys();
    for (QTcpSocket *s : sockets)
        s->abort();
}

QByteArray HttpServer::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void HttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buf = m_buffers[socket];
    buf += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buf.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (buf.size() > 64 * 1024) {
                qCWarning(lcSandbox) << "http: request head larger than 64 KiB, dropping connection";
                socket->abort();
            }
            return;
        }
        const QList<QByteArray> lines = buf.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() < 3) {
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        HttpRequest req;
        req.method = requestLine[0];
        const QByteArray target = requestLine[1];
        const qsizetype qm = target.indexOf('?');
        req.path = qm < 0 ? target : target.left(qm);
        if (qm >= 0)
            req.query = QUrlQuery(QString::fromUtf8(target.mid(qm + 1)));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                req.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
        }
        const qint64 length = req.headers.value("content-length", "0").toLongLong();
        if (length < 0 || length > kMaxRequestBytes) {
            socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        if (buf.size() < headerEnd + 4 + length)
            return; // wait for the rest of the body
        req.body = buf.mid(headerEnd + 4, length);
        buf.remove(0, headerEnd + 4 + length);
        req.peer = socket->peerAddress();
        const bool keepAlive = req.headers.value("connection").toLower() != "close";
        auto *responder = new HttpResponder(socket, keepAlive, socket);
        if (m_handler)
            m_handler(req, responder);
        else
            responder->respond(404, R"({"code":404,"msg":"no handler"})");
        if (!m_buffers.contains(socket))
            return; // the handler closed the connection
    }
}

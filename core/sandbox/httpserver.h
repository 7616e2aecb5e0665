#pragma once

#include <functional>

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrlQuery>

class QTcpSocket;

// A small HTTP/1.1 server for the loopback sandbox: Content-Length request bodies, keep-alive,
// complete responses and chunked streaming responses (for SSE). Not a general web server.
struct HttpRequest
{
    QByteArray method;
    QByteArray path;       // without the query
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QHostAddress peer;
};

class HttpResponder final : public QObject
{
    Q_OBJECT
public:
    explicit HttpResponder(QTcpSocket *socket, bool keepAlive, QObject *parent = nullptr);

    // One complete response.
    void respond(int status, const QByteArray &body, const QByteArray &contentType = "application/json; charset=utf-8",
                 const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    // The responder deletes itself (deleteLater) once it has answered; keep a QPointer if you
    // answer asynchronously.
    // Chunked streaming: begin, any number of writes, then end.
    void beginStream(int status, const QByteArray &contentType);
    void writeChunk(const QByteArray &data);
    void endStream();
    // Drops the connection without an answer (a fault).
    void abortConnection();

    bool isDone() const { return m_done; }
    bool isConnected() const;

private:
    QPointer<QTcpSocket> m_socket;
    bool m_keepAlive = true;
    bool m_done = false;
};

class HttpServer final : public QObject
{
    Q_OBJECT
public:
    // The handler owns the responder until it calls respond()/endStream()/abortConnection();
    // it may answer later (the responder is deleted with its connection).
    using Handler = std::function<void(const HttpRequest &, HttpResponder *)>;

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const { return m_server.serverPort(); }
    QString errorString() const { return m_server.errorString(); }
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void closeAllConnections();

    static QByteArray reasonPhrase(int status);
    static constexpr qsizetype kMaxRequestBytes = 64 * 1024 * 1024;

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    Handler m_handler;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

#pragma once

#include <QAbstractSocket>
#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QString>
#include <QTimer>
#include <QUrl>

#include "feishu/fragmentassembler.h"
#include "feishu/frame.h"
#include "net/networkoptions.h"

class PushJournal;
class QJsonObject;
class QNetworkAccessManager;
class QNetworkReply;
class QWebSocket;

// The Feishu long connection of one app (spec §1-§6, §9): bootstrap POST, WebSocket, pings,
// pong-driven ClientConfig, a liveness watchdog, fragment reassembly, immediate ACKs and the
// reconnect loop. One object per app; no global state.
//
// Every timer and socket callback carries the generation it was started in; whenever the
// connection is torn down the generation is bumped, so late callbacks of an old socket,
// reply or timer do nothing (spec §6.2, issue #6 of §11).
//
// The ACKs of the pushes of one socket read are written as they are decoded and flushed together
// once the read is done (one write, not one per ACK); only then is eventReceived() emitted for
// each of those pushes, in order, so a slow receiver can never delay their ACKs. It does delay
// the frames behind them, so receivers with real work should connect with Qt::QueuedConnection
// or hand the payload to a queue at once (BotService runs the connection on an I/O thread and
// only queues).
class LongConnection final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State { Idle, Connecting, Connected, Reconnecting, Failed };
    Q_ENUM(State)

    // Bootstrap business codes (spec §1.3).
    static constexpr int kCodeOk = 0;
    static constexpr int kCodeSystemBusy = 1;
    static constexpr int kCodeInternalError = 1000040343;
    static constexpr int kCodeNoCredential = 1000040344;
    // Our own code for fatalError() when ReconnectCount attempts are used up.
    static constexpr int kCodeReconnectExhausted = -1;

    // The server's keep-alive and reconnect schedule (spec §1.2), in the server's units
    // (seconds; one "second" lasts Options::secondMs).
    struct ClientConfig
    {
        int reconnectCount = -1;     // < 0: infinite
        int reconnectInterval = 120; // between attempts
        int reconnectNonce = 30;     // upper bound of the jitter before the first attempt
        int pingInterval = 120;      // between pings
        bool operator==(const ClientConfig &) const = default;
    };

    struct Options
    {
        QUrl domain = QUrl(QStringLiteral("https://open.feishu.cn")); // a trailing '/' is trimmed
        QString appId;
        QString appSecret;
        NetworkOptions network;
        int bootstrapTimeoutMs = 15000; // the bootstrap POST, and the WebSocket handshake
        int watchdogMs = 0;             // 0: min(PingInterval, 30 s), re-read at every ping
        int fragmentTtlMs = 10000;
        int secondMs = 1000;        // test knob: how long one ClientConfig "second" lasts
        ClientConfig initialConfig; // in force until the server sends its own
    };

    struct Counters
    {
        quint64 framesIn = 0; // binary messages received
        quint64 eventsIn = 0; // completed pushes (after reassembly)
        quint64 acksOut = 0;
        quint64 pingsOut = 0;
        quint64 pongsIn = 0;
        quint64 malformedFrames = 0; // could not be decoded, or unusable headers
        quint64 rejectedFragments = 0;
        quint64 expiredIncomplete = 0; // fragment sets dropped unfinished after fragmentTtlMs
        quint64 reconnects = 0;        // reconnect attempts started
    };

    // What the health panel shows of the ACK path, reported about once a second while pushes
    // arrive (on the connection's thread; receivers on other threads get it queued).
    struct Metrics
    {
        QList<float> ackLatenciesMs; // frame read to ACK written, one per push since the last report
        qint64 lastEventAtMs = 0;    // wall clock (ms since the epoch) of the newest push
    };

    explicit LongConnection(QObject *parent = nullptr);
    explicit LongConnection(const Options &options, QObject *parent = nullptr);
    ~LongConnection() override;
    Q_DISABLE_COPY_MOVE(LongConnection)

    // Takes effect at the next start(). Registers the AppSecret with the log redactor.
    void setOptions(const Options &options);
    // Every complete push is appended here before its ACK is written (not owned; it must outlive
    // the connection). Set before start(); nullptr: none.
    void setJournal(PushJournal *journal) { m_journal = journal; }
    const Options &options() const { return m_options; }

    State state() const { return m_state; }
    ClientConfig clientConfig() const { return m_config; }
    qint64 pingIntervalMs() const { return qint64(m_config.pingInterval) * m_options.secondMs; }
    qint64 reconnectIntervalMs() const { return qint64(m_config.reconnectInterval) * m_options.secondMs; }
    qint64 reconnectNonceMs() const { return qint64(m_config.reconnectNonce) * m_options.secondMs; }
    qint64 watchdogMs() const;
    Counters counters() const
    {
        Counters c = m_counters;
        c.expiredIncomplete += quint64(m_assembler.expiredTotal());
        return c;
    }
    QString connectionId() const { return m_connId; } // device_id of the current URL
    qint32 serviceId() const { return m_serviceId; }
    int reconnectAttempt() const { return m_attempts; }

    // Applies a ClientConfig object (bootstrap data.ClientConfig or a pong payload) with the REC
    // rule: only keys that are present, integral and in range; PingInterval never 0.
    // Returns true if anything changed. Each ignored key is logged.
    static bool applyClientConfig(const QJsonObject &object, ClientConfig *config, const QString &source);

public slots:
    // Idle/Failed -> Connecting. Does nothing while already running.
    void start();
    // Closes everything and returns to Idle; never triggers a reconnect.
    void stop();
    // Drops the connection and dials again at once with a fresh endpoint (bootstrap), as an
    // operator's "reconnect" asks. Does nothing unless running.
    void restart();

signals:
    void stateChanged(LongConnection::State state);
    void connected();
    void reconnecting(int attempt, int delayMs);
    void disconnected();
    void fatalError(int code, const QString &message);
    // A problem the reconnect loop will retry (TLS, network, HTTP), phrased for the operator.
    void errorOccurred(const QString &message);
    // One complete push, already ACKed. frameType is the `type` header (event or card).
    void eventReceived(const QByteArray &payload, const QByteArray &frameType, const QByteArray &traceId);
    // After the eventReceived() of one socket read: a receiver on another thread can wake its
    // handler once per batch instead of once per push.
    void eventsDelivered();
    void clientConfigChanged();
    void metricsReported(const LongConnection::Metrics &metrics);

private:
    enum class Failure { Retryable, Terminal };

    void setState(State state);
    void beginAttempt();
    void bootstrap();
    void onBootstrapFinished(QNetworkReply *reply);
    void dial(const QUrl &url);
    void onSocketConnected();
    void onSocketGone(const QString &why);
    void onBinaryMessage(const QByteArray &message);
    void handleControl(Frame &frame);
    void handleData(Frame &&frame, qint64 receivedAtNs);
    void sendAck(Frame &frame, qint64 receivedAtNs);
    // Flushes the ACKs written so far, then emits eventReceived() for the pushes they answer.
    void deliverPending();
    void sendPing();
    void onPingTimer();
    void onWatchdog();
    void armFragmentSweep();
    // Tears the socket down and schedules the next attempt (or fails when attempts are used up).
    void failAttempt(const QString &why);
    void failTerminal(int code, const QString &message);
    void teardown();
    void applyConfig(const QJsonObject &object, const QString &source);

    Options m_options;
    ClientConfig m_config;
    State m_state = State::Idle;
    bool m_wanted = false; // between start() and stop()/Failed: the loop may reconnect
    quint64 m_generation = 0;
    int m_attempts = 0; // reconnect attempts since the last successful connection

    QNetworkAccessManager *m_nam = nullptr;
    QPointer<QNetworkReply> m_reply;
    QWebSocket *m_socket = nullptr;
    QTimer m_pingTimer;
    QTimer m_watchdog;
    QTimer m_reconnectTimer;
    QTimer m_fragmentSweep;
    QElapsedTimer m_clock; // monotonic time for fragments and biz_rt
    FragmentAssembler m_assembler;
    PushJournal *m_journal = nullptr;
    QRandomGenerator m_random;

    QString m_connId;
    qint32 m_serviceId = 0;
    QByteArray m_pingBytes; // the encoded ping of this connection (constant per URL)
    QByteArray m_lastPongPayload;
    QString m_lastTlsError; // describeSslErrors() text of the current attempt, if TLS failed
    Counters m_counters;

    struct PendingEvent
    {
        QByteArray payload, type, traceId;
    };
    QList<PendingEvent> m_pending; // ACKed, not yet emitted
    bool m_deliverPosted = false;
    QList<qint64> m_ackReceivedNs; // read time of each ACK in the current write
    Metrics m_metrics;             // since the last report
    QTimer m_metricsTimer;
};

Q_DECLARE_METATYPE(LongConnection::Metrics)

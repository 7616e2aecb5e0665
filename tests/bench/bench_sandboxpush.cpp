// How fast FeishuSandbox pushes a burst of im.message.receive_v1 events and takes their ACKs.
// A raw QWebSocket client on 127.0.0.1 ACKs every frame at once (frame echoed + biz_rt, like
// LongConnection does).
//   bench_sandboxpush [events=20000] [fragments=1]

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>

#include "feishu/frame.h"
#include "sandbox/feishusandbox.h"

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*.info=false"));
    const int events = argc > 1 ? QByteArray(argv[1]).toInt() : 20000;
    const int fragments = argc > 2 ? QByteArray(argv[2]).toInt() : 1;
    QTextStream out(stdout);

    FeishuSandbox::Options opts;
    opts.repushDelayMs = 0;
    FeishuSandbox sandbox(opts);
    if (!sandbox.start())
        return 1;

    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest req(sandbox.baseUrl().resolved(QUrl(QStringLiteral("/callback/ws/endpoint"))));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply =
        nam.post(req, QJsonDocument(QJsonObject{{QStringLiteral("AppID"), opts.appId},
                                                {QStringLiteral("AppSecret"), opts.appSecret}})
                          .toJson());
    while (!reply->isFinished())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    const QUrl url(QJsonDocument::fromJson(reply->readAll())
                       .object()
                       .value(QStringLiteral("data"))
                       .toObject()
                       .value(QStringLiteral("URL"))
                       .toString());

    QWebSocket ws;
    ws.setProxy(QNetworkProxy::NoProxy);
    int framesIn = 0;
    QHash<QByteArray, int> seen;
    QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws, [&](const QByteArray &bytes) {
        Frame f;
        if (!FrameCodec::decode(bytes, &f))
            return;
        ++framesIn;
        const QByteArray id = f.header("message_id");
        if (++seen[id] < f.header("sum").toInt())
            return; // ACK once, with the fragment that completes the set
        seen.remove(id);
        f.appendHeader("biz_rt", "0");
        f.payload = QByteArrayLiteral("{\"code\":200}");
        ws.sendBinaryMessage(FrameCodec::encode(f));
    });
    ws.open(url);
    while (sandbox.connectionCount() == 0 || ws.state() != QAbstractSocket::ConnectedState)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);

    FeishuSandbox::TextPush t;
    t.chatId = QStringLiteral("oc_bench");
    t.mentionBot = true;
    t.push.fragments = fragments;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < events; ++i) {
        t.senderOpenId = QStringLiteral("ou_user_%1").arg(i % 500);
        t.text = QStringLiteral("车机没网，第%1条").arg(i);
        sandbox.pushText(t);
    }
    const qint64 pushNs = timer.nsecsElapsed();
    QTimer tick; // processEvents() with a time limit would poll; this wakes the wait instead
    tick.start(5);
    while (sandbox.ackCount() < events)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    const qint64 allNs = timer.nsecsElapsed();

    qint64 maxLatency = 0;
    for (const auto &a : sandbox.acks())
        maxLatency = std::max(maxLatency, a.latencyUs);
    out << "events: " << events << ", fragments each: " << fragments << ", frames received: " << framesIn
        << '\n';
    out << "push (build + encode + write): " << pushNs / 1e6 << " ms, " << (events * 1e9 / pushNs)
        << " events/s\n";
    out << "push until all ACKed: " << allNs / 1e6 << " ms, " << (events * 1e9 / allNs) << " events/s\n";
    out << "ACKs: " << sandbox.ackCount() << ", bad: " << sandbox.badAcks()
        << ", max push->ACK latency: " << maxLatency / 1000 << " ms (a whole burst queues in the socket)\n";
    return sandbox.badAcks() == 0 ? 0 : 1;
}

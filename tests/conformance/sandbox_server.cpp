// Conformance driver: runs FeishuSandbox, starts an official SDK client against it (the command
// after "--", e.g. `node run.mjs`), pushes events in every shape the platform uses and checks
// what the SDK does with them. Prints one JSON summary on stdout; exit code 0 only if every
// check passed. Known deviations of the SDK are accepted, counted and named in the summary.
//
//   tsp_conformance_sandbox [--events N] [--timeout-ms MS] -- node run.mjs
//
// The client gets three arguments appended: base URL, app id, app secret. It must print one
// JSON object per line on stdout for every im.message.receive_v1 it handles:
//   {"kind":"message","message_id":..,"event_id":..,"chat_id":..,"text":..,"mentions":[..]}
// and may print {"kind":"ready"} / {"kind":"error","message":..}.

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>
#include <QTimer>

#include "sandbox/feishusandbox.h"

namespace {

struct Received
{
    QString messageId;
    QString eventId;
    QString chatId;
    QString text;
    QStringList mentions;
};

class Driver final : public QObject
{
    Q_OBJECT
public:
    Driver(const QStringList &clientCommand, int events, int timeoutMs)
        : m_command(clientCommand)
        , m_events(std::max(events, 8))
        , m_timeoutMs(timeoutMs)
    {
        FeishuSandbox::Options o;
        o.repushDelayMs = 0; // every missing ACK must show up as missing, not be papered over
        m_sandbox = new FeishuSandbox(o, this);
        m_sandbox->setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 1},
                                               {QStringLiteral("ReconnectCount"), -1},
                                               {QStringLiteral("ReconnectInterval"), 1},
                                               {QStringLiteral("ReconnectNonce"), 0}});
    }

    int run();

private:
    bool waitFor(const std::function<bool()> &pred, int ms, const QString &what);
    void readClient();
    void check(bool ok, const QString &name, const QString &detail = {});
    QString pushText(FeishuSandbox::TextPush t);
    QString expectedText(const QString &imId) const;
    int receivedCount(const QString &imId) const;

    QStringList m_command;
    int m_events = 8;
    int m_timeoutMs = 60000;
    FeishuSandbox *m_sandbox = nullptr;
    QProcess m_client;
    QByteArray m_stdoutBuffer;
    QList<Received> m_received;
    QStringList m_clientErrors;
    int m_clientReady = 0;
    QStringList m_pushed;                   // IM ids of text events
    QHash<QByteArray, QString> m_frameToIm; // frame message_id -> IM id (text events)
    QJsonArray m_checks;
    bool m_failed = false;
    QJsonArray m_deviations;
};

bool Driver::waitFor(const std::function<bool()> &pred, int ms, const QString &what)
{
    QDeadlineTimer deadline(ms);
    QTimer tick; // processEvents() with a time limit polls; a tick wakes a blocking wait instead
    tick.start(10);
    while (!pred()) {
        if (deadline.hasExpired() || m_client.state() == QProcess::NotRunning) {
            if (!pred()) {
                check(false, QStringLiteral("wait: ") + what,
                      m_client.state() == QProcess::NotRunning
                          ? QStringLiteral("client exited")
                          : QStringLiteral("timed out after %1 ms").arg(ms));
                return false;
            }
            break;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

void Driver::check(bool ok, const QString &name, const QString &detail)
{
    QJsonObject c{{QStringLiteral("check"), name}, {QStringLiteral("ok"), ok}};
    if (!detail.isEmpty())
        c.insert(QStringLiteral("detail"), detail);
    m_checks.append(c);
    if (!ok) {
        m_failed = true;
        QTextStream(stderr) << "CONFORMANCE FAIL: " << name
                            << (detail.isEmpty() ? QString() : QStringLiteral(": ") + detail) << Qt::endl;
    }
}

void Driver::readClient()
{
    m_stdoutBuffer += m_client.readAllStandardOutput();
    qsizetype nl;
    while ((nl = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdoutBuffer.left(nl).trimmed();
        m_stdoutBuffer.remove(0, nl + 1);
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString kind = o.value(QStringLiteral("kind")).toString();
        if (kind == QLatin1String("message")) {
            Received r;
            r.messageId = o.value(QStringLiteral("message_id")).toString();
            r.eventId = o.value(QStringLiteral("event_id")).toString();
            r.chatId = o.value(QStringLiteral("chat_id")).toString();
            r.text = o.value(QStringLiteral("text")).toString();
            for (const auto &m : o.value(QStringLiteral("mentions")).toArray())
                r.mentions << m.toString();
            m_received.append(r);
        } else if (kind == QLatin1String("ready")) {
            ++m_clientReady;
        } else if (kind == QLatin1String("error")) {
            m_clientErrors << o.value(QStringLiteral("message")).toString();
        } else if (!line.isEmpty()) {
            QTextStream(stderr) << "client: " << QString::fromUtf8(line) << Qt::endl;
        }
    }
}

QString Driver::pushText(FeishuSandbox::TextPush t)
{
    const QString id = m_sandbox->pushText(t);
    m_pushed << id;
    m_frameToIm.insert(m_sandbox->frameMessageIdOf(id), id);
    return id;
}

QString Driver::expectedText(const QString &imId) const
{
    const QJsonObject env = QJsonDocument::fromJson(m_sandbox->eventPayloadOf(imId)).object();
    const QString content = env.value(QStringLiteral("event"))
                                .toObject()
                                .value(QStringLiteral("message"))
                                .toObject()
                                .value(QStringLiteral("content"))
                                .toString();
    return QJsonDocument::fromJson(content.toUtf8()).object().value(QStringLiteral("text")).toString();
}

int Driver::receivedCount(const QString &imId) const
{
    return int(std::count_if(m_received.cbegin(), m_received.cend(),
                             [&](const Received &r) { return r.messageId == imId; }));
}

int Driver::run()
{
    if (!m_sandbox->start()) {
        check(false, QStringLiteral("sandbox starts"));
        return 2;
    }
    connect(&m_client, &QProcess::readyReadStandardOutput, this, &Driver::readClient);
    m_client.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QStringList args = m_command.mid(1);
    args << m_sandbox->baseUrl().toString() << m_sandbox->options().appId << m_sandbox->options().appSecret;
    m_client.start(m_command.first(), args);
    if (!m_client.waitForStarted(10000)) {
        check(false, QStringLiteral("client starts"), m_client.errorString());
        return 2;
    }
    QDeadlineTimer overall(m_timeoutMs);
    auto left = [&] { return int(std::max<qint64>(1000, std::min<qint64>(overall.remainingTime(), 30000))); };

    // 1. The client bootstraps and connects.
    if (waitFor([&] { return m_sandbox->pingCount() > 0; }, left(),
                QStringLiteral("client connects and pings")))
        check(true,
              QStringLiteral("bootstrap (PascalCase AppID/AppSecret) and WebSocket upgrade with the ticket"));

    // 2. Events in every shape.
    const int firstBatch = m_events - 3;
    QString plainId;
    for (int i = 0; i < firstBatch; ++i) {
        FeishuSandbox::TextPush t;
        t.senderOpenId = QStringLiteral("ou_user_%1").arg(i);
        t.chatId = QStringLiteral("oc_conformance");
        switch (i % 8) {
        case 0:
            t.text = QStringLiteral("车机没网");
            t.mentionBot = true;
            break;
        case 1:
            t.chatType = QStringLiteral("p2p");
            t.chatId.clear();
            t.text = QStringLiteral("远程解锁失败，提示“网络超时”");
            break;
        case 2:
            t.text = QStringLiteral("三段、乱序：") + QString(300, QChar(0x4E2D));
            t.push.fragments = 3;
            t.push.shuffle = true;
            break;
        case 3:
            t.text = QStringLiteral("四段、乱序、重复一段：") + QString(400, QChar(0x6587));
            t.push.fragments = 4;
            t.push.shuffle = true;
            t.push.duplicateFragment = true;
            break;
        case 4: {
            QString big;
            for (int k = 0; k < 2000; ++k)
                big += QStringLiteral("第%1行 TBox 日志；").arg(k);
            t.text = big;
            t.push.fragments = 8;
            t.push.shuffle = true;
            break;
        }
        case 5:
            t.text = QStringLiteral("请帮忙看下");
            t.mentionBot = true;
            t.otherMentions = {{QStringLiteral("ou_colleague"), QStringLiteral("同事")}};
            break;
        case 6:
            t.text = QStringLiteral("quotes \" and \\ backslash\nnew line 🚗");
            break;
        default:
            t.text = QStringLiteral("two fragments in order %1").arg(i);
            t.push.fragments = 2;
            break;
        }
        const QString id = pushText(t);
        if (i == 0)
            plainId = id;
    }
    // An event type without a handler, and a legacy type=card frame.
    const QString unknownType = QStringLiteral("im.chat.member.bot.added_v1");
    const QByteArray unknownFrame = m_sandbox->pushEvent(
        QJsonDocument(
            QJsonObject{
                {QStringLiteral("schema"), QStringLiteral("2.0")},
                {QStringLiteral("header"),
                 QJsonObject{{QStringLiteral("event_id"), QStringLiteral("ev_unknown_type")},
                             {QStringLiteral("event_type"), unknownType},
                             {QStringLiteral("create_time"), QStringLiteral("1700000000000")},
                             {QStringLiteral("token"), QString()},
                             {QStringLiteral("app_id"), m_sandbox->options().appId},
                             {QStringLiteral("tenant_key"), m_sandbox->options().tenantKey}}},
                {QStringLiteral("event"), QJsonObject{{QStringLiteral("chat_id"), QStringLiteral("oc_x")}}}})
            .toJson(QJsonDocument::Compact));
    // A LogID that does not fit a JavaScript number.
    FeishuSandbox::PushOptions bigLog;
    bigLog.logId = (quint64(1) << 60) + 1;
    const QByteArray bigLogFrame = m_sandbox->pushEvent(
        QJsonDocument(
            QJsonObject{{QStringLiteral("schema"), QStringLiteral("2.0")},
                        {QStringLiteral("header"),
                         QJsonObject{{QStringLiteral("event_id"), QStringLiteral("ev_big_logid")},
                                     {QStringLiteral("event_type"), unknownType},
                                     {QStringLiteral("create_time"), QStringLiteral("1700000000000")},
                                     {QStringLiteral("token"), QString()},
                                     {QStringLiteral("app_id"), m_sandbox->options().appId},
                                     {QStringLiteral("tenant_key"), m_sandbox->options().tenantKey}}},
                        {QStringLiteral("event"), QJsonObject()}})
            .toJson(QJsonDocument::Compact),
        bigLog);
    FeishuSandbox::TextPush card;
    card.text = QStringLiteral("legacy card frame");
    card.push.frameType = "card";
    const QString cardIm = m_sandbox->pushText(card);
    const QByteArray cardFrame = m_sandbox->frameMessageIdOf(cardIm);

    auto allReceived = [&] {
        for (const QString &id : std::as_const(m_pushed)) {
            if (receivedCount(id) < 1)
                return false;
        }
        return true;
    };
    auto allAcked = [&] {
        for (auto it = m_frameToIm.cbegin(); it != m_frameToIm.cend(); ++it) {
            if (!m_sandbox->isAcked(it.key()))
                return false;
        }
        return m_sandbox->isAcked(unknownFrame) && m_sandbox->isAcked(bigLogFrame);
    };
    waitFor(allReceived, left(), QStringLiteral("every pushed message reaches the handler"));
    waitFor(allAcked, left(), QStringLiteral("every event frame is ACKed"));

    // 3. Redelivery: same IM message_id and event_id in a new frame.
    const QByteArray again = m_sandbox->redeliver(plainId);
    m_frameToIm.insert(again, plainId);
    waitFor([&] { return receivedCount(plainId) >= 2 && m_sandbox->isAcked(again); }, left(),
            QStringLiteral("redelivered event handled and ACKed"));

    // 4. Pings: immediately on open and then every PingInterval (1 s).
    waitFor([&] { return m_sandbox->pingCount() >= 3; }, left(),
            QStringLiteral("client pings at PingInterval"));

    // 5. Reconnect after the server drops the socket: fresh bootstrap, fresh ticket.
    const int bootstrapsBefore = m_sandbox->bootstrapCount();
    const int connectionsBefore = m_sandbox->totalConnections();
    m_sandbox->killConnections();
    waitFor(
        [&] { return m_sandbox->totalConnections() > connectionsBefore && m_sandbox->connectionCount() > 0; },
        left(), QStringLiteral("client reconnects after the socket was dropped"));
    check(m_sandbox->bootstrapCount() > bootstrapsBefore,
          QStringLiteral("reconnect fetches a fresh endpoint"));
    check(m_sandbox->refusedHandshakes() == 0, QStringLiteral("no upgrade with a used ticket"),
          QStringLiteral("%1 refused").arg(m_sandbox->refusedHandshakes()));
    // Push only once the client has pinged on the new connection: the SDK attaches its message
    // listener after the 'open' handler, so frames in the very first moment would be lost
    // (see README.md).
    const int lastConnection = m_sandbox->totalConnections();
    waitFor(
        [&] {
            const auto ps = m_sandbox->pings();
            return !ps.isEmpty() && ps.last().connectionId == lastConnection;
        },
        left(), QStringLiteral("client pings on the new connection"));
    for (int i = 0; i < 3; ++i) {
        FeishuSandbox::TextPush t;
        t.text = QStringLiteral("after reconnect %1").arg(i);
        t.push.fragments = i + 1;
        t.push.shuffle = true;
        pushText(t);
    }
    waitFor(allReceived, left(), QStringLiteral("messages after reconnect reach the handler"));
    waitFor(allAcked, left(), QStringLiteral("messages after reconnect are ACKed"));
    // One more ping round-trip so anything in flight for the card frame has arrived.
    const int pings = m_sandbox->pingCount();
    waitFor([&] { return m_sandbox->pingCount() > pings; }, left(), QStringLiteral("ping after reconnect"));

    // --- checks over everything recorded ---
    bool textsOk = true, mentionsOk = true;
    QString textDetail;
    for (const QString &id : std::as_const(m_pushed)) {
        const QString expected = expectedText(id);
        for (const Received &r : std::as_const(m_received)) {
            if (r.messageId != id)
                continue;
            if (r.text != expected) {
                textsOk = false;
                textDetail = QStringLiteral("%1: got %2 chars, expected %3")
                                 .arg(id)
                                 .arg(r.text.size())
                                 .arg(expected.size());
            }
            if (expected.startsWith(QLatin1String("@_user_1")) &&
                !r.mentions.contains(QStringLiteral("@_user_1")))
                mentionsOk = false;
        }
    }
    check(textsOk, QStringLiteral("fragmented (shuffled, duplicated) payloads reassembled exactly"),
          textDetail);
    check(mentionsOk, QStringLiteral("mentions reach the handler"));
    int duplicates = 0;
    for (const QString &id : std::as_const(m_pushed))
        duplicates += receivedCount(id) > 1 ? receivedCount(id) - 1 : 0;
    check(duplicates == 1, QStringLiteral("each message handled once, the redelivered one twice"),
          QStringLiteral("%1 extra deliveries").arg(duplicates));
    const auto plainRecs = [&] {
        QStringList ids;
        for (const Received &r : std::as_const(m_received)) {
            if (r.messageId == plainId)
                ids << r.eventId;
        }
        return ids;
    }();
    check(plainRecs.size() == 2 && plainRecs[0] == plainRecs[1] && !plainRecs[0].isEmpty(),
          QStringLiteral("redelivery keeps event_id"));
    if (duplicates == 1)
        m_deviations.append(
            QStringLiteral("no de-duplication in the SDK: a redelivered event reaches the handler "
                           "again (spec §7.4, node-sdk#10); the application must dedupe"));

    // Pings.
    bool pingsOk = m_sandbox->pingCount() >= 3;
    for (const auto &p : m_sandbox->pings()) {
        const Frame &f = p.frame;
        pingsOk = pingsOk && f.seqId == 0 && f.logId == 0 && f.service == m_sandbox->options().serviceId &&
                  f.headers.size() == 1 && f.header("type") == "ping" && !f.payload.has_value();
    }
    check(pingsOk, QStringLiteral("pings: SeqID 0, LogID 0, service from the URL, only type=ping"),
          QStringLiteral("%1 pings").arg(m_sandbox->pingCount()));

    // ACKs.
    int negativeBizRt = 0, otherProblems = 0;
    QString problemDetail;
    const auto acks = m_sandbox->acks();
    QString bigLogEcho;
    for (const auto &a : acks) {
        for (const QString &p : a.problems) {
            if (p.startsWith(QLatin1String("biz_rt is negative"))) {
                ++negativeBizRt;
            } else if (a.frameMessageId == bigLogFrame && p.startsWith(QLatin1String("LogID not echoed"))) {
                bigLogEcho = p;
            } else {
                ++otherProblems;
                problemDetail = QString::fromLatin1(a.frameMessageId) + QStringLiteral(": ") + p;
            }
        }
    }
    check(otherProblems == 0,
          QStringLiteral("ACKs echo the frame and headers, add biz_rt, carry {\"code\":200}"), problemDetail);
    check(m_sandbox->unknownAcks() == 0 && m_sandbox->badFrames() == 0,
          QStringLiteral("no stray or undecodable frames"));
    if (negativeBizRt > 0)
        m_deviations.append(
            QStringLiteral("biz_rt is negative (startTime - endTime) in %1 of %2 ACKs (spec §5.1); "
                           "the sandbox accepts it and counts it in badAcks")
                .arg(negativeBizRt)
                .arg(acks.size()));
    if (!bigLogEcho.isEmpty())
        m_deviations.append(
            QStringLiteral("uint64 frame fields above 2^53 lose precision (protobufjs decodes them to "
                           "JavaScript numbers): %1")
                .arg(bigLogEcho));
    bool unknownOk = false;
    QString unknownDetail;
    for (const auto &a : acks) {
        if (a.frameMessageId != unknownFrame)
            continue;
        const QByteArray data =
            QByteArray::fromBase64(a.payload.value(QStringLiteral("data")).toString().toLatin1());
        unknownOk = a.code == 200;
        unknownDetail = QString::fromUtf8(data);
        if (!data.isEmpty())
            m_deviations.append(
                QStringLiteral("an event type without a handler is ACKed 200 with data = base64(%1) "
                               "(spec §5.3)")
                    .arg(unknownDetail));
    }
    check(unknownOk, QStringLiteral("event type without handler is still ACKed with code 200"),
          unknownDetail);
    const bool cardAcked = m_sandbox->isAcked(cardFrame);
    if (!cardAcked)
        m_deviations.append(QStringLiteral("a type=card frame is dropped without ACK (spec §5.4)"));
    check(m_clientErrors.isEmpty(), QStringLiteral("client reported no error"),
          m_clientErrors.join(QLatin1String("; ")));

    QJsonObject pingsPerConnection;
    for (const auto &p : m_sandbox->pings()) {
        const QString key = QString::number(p.connectionId);
        pingsPerConnection.insert(key, pingsPerConnection.value(key).toInt() + 1);
    }
    qint64 maxLatency = 0, sumLatency = 0;
    for (const auto &a : acks) {
        maxLatency = std::max(maxLatency, a.latencyUs);
        sumLatency += a.latencyUs;
    }

    m_client.terminate();
    if (!m_client.waitForFinished(5000)) {
        m_client.kill();
        m_client.waitForFinished(2000);
    }

    const QJsonObject summary{
        {QStringLiteral("ok"), !m_failed},
        {QStringLiteral("pushed_messages"), int(m_pushed.size())},
        {QStringLiteral("handled_messages"), int(m_received.size())},
        {QStringLiteral("acks"), int(acks.size())},
        {QStringLiteral("bad_acks"), m_sandbox->badAcks()},
        {QStringLiteral("ack_latency_us_max"), maxLatency},
        {QStringLiteral("ack_latency_us_mean"), acks.isEmpty() ? 0 : sumLatency / acks.size()},
        {QStringLiteral("pings"), m_sandbox->pingCount()},
        {QStringLiteral("pings_per_connection"), pingsPerConnection},
        {QStringLiteral("bootstraps"), m_sandbox->bootstrapCount()},
        {QStringLiteral("connections"), m_sandbox->totalConnections()},
        {QStringLiteral("card_frame_acked"), cardAcked},
        {QStringLiteral("known_deviations"), m_deviations},
        {QStringLiteral("checks"), m_checks},
    };
    QTextStream(stdout) << QJsonDocument(summary).toJson(QJsonDocument::Indented);
    return m_failed ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int events = 12, timeoutMs = 90000;
    QStringList command;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--")) {
            command = args.mid(i + 1);
            break;
        }
        if (args[i] == QLatin1String("--events") && i + 1 < args.size())
            events = args[++i].toInt();
        else if (args[i] == QLatin1String("--timeout-ms") && i + 1 < args.size())
            timeoutMs = args[++i].toInt();
        else {
            QTextStream(stderr)
                << "usage: tsp_conformance_sandbox [--events N] [--timeout-ms MS] -- <client command>"
                << Qt::endl;
            return 2;
        }
    }
    if (command.isEmpty()) {
        QTextStream(stderr) << "no client command given after --" << Qt::endl;
        return 2;
    }
    Driver driver(command, events, timeoutMs);
    return driver.run();
}

#include "sandbox_server.moc"

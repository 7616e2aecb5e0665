#include <QDateTime>
#include <QLabel>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTranslator>

#include "desk/healthmonitor.h"
#include "feishu/longconnection.h"
#include "health/healthpanel.h"
#include "health/healthtext.h"
#include "sandbox/feishusandbox.h"
#include "screenshot.h"
#include "statuspanel.h"

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kNow = 1'800'000'000'000;

ConnectionHealth connected()
{
    ConnectionHealth h;
    h.state = ConnectionHealth::State::Connected;
    h.stateSince = kNow - (2 * 3600 + 5 * 60) * 1000LL;
    h.lastEventAt = kNow - 12 * 1000;
    h.ackLatencyMedianMs = 1.5;
    h.ackLatencyP99Ms = 4.24;
    h.reconnects = 3;
    h.reconnectsToday = 1;
    h.lastError = u"the connection dropped (ping timeout)"_s;
    h.lastErrorHint = u"nothing: the bot reconnected by itself"_s;
    h.dedupeHits = 7;
    h.tokenExpiresAt = kNow + (90 * 60 + 30) * 1000LL;
    h.outboxDepth = 2;
    h.oldestPendingAt = kNow - 45 * 1000;
    h.llmLastLatencyMs = 830;
    h.llmLastError = u"HTTP 429 from the LLM"_s;
    return h;
}

// Stands in for OperatorDesk: a main-thread QObject whose healthChanged carries snapshots.
class SnapshotSource final : public QObject
{
    Q_OBJECT
signals:
    void healthChanged(const ConnectionHealth &health);
};

} // namespace

class TestHealthPanel final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { Screenshot::loadTranslation(); }
    void showsEverySnapshotField();
    void relativeTimesTick();
    void terminalErrorsExplainTheFix_data();
    void terminalErrorsExplainTheFix();
    void sandboxTerminalErrorsInChinese_data();
    void sandboxTerminalErrorsInChinese();
    void reconnectButton();
    void groupsShareOneLabelColumn();
    void updatedOnTheMainThreadFromSnapshots();
    void tooltipListsTheFigures();
    void stateWordsMatchTheStatusBar();
    void screenshots();
};

void TestHealthPanel::showsEverySnapshotField()
{
    HealthPanel panel;
    qint64 now = kNow;
    panel.setClock([&now] { return now; });
    panel.setHealth(connected());
    panel.show();
    QCOMPARE(panel.accessibleName(), u"Connection"_s);
    QCOMPARE(panel.rowText(u"state"_s), u"Connected"_s);
    QCOMPARE(panel.rowText(u"inState"_s), u"2 h 5 min"_s);
    QCOMPARE(panel.rowText(u"lastEvent"_s), u"12 s ago"_s);
    QCOMPARE(panel.rowText(u"ackLatency"_s), u"median 1.5 ms, p99 4.2 ms"_s);
    QCOMPARE(panel.rowText(u"reconnects"_s), u"1 (since start: 3)"_s);
    QCOMPARE(panel.rowText(u"lastError"_s), u"the connection dropped (ping timeout)"_s);
    QCOMPARE(panel.rowText(u"hint"_s), u"nothing: the bot reconnected by itself"_s);
    QCOMPARE(panel.rowText(u"dedupe"_s), u"7"_s);
    QCOMPARE(panel.rowText(u"token"_s), u"in 1 h 30 min"_s);
    QCOMPARE(panel.rowText(u"outbox"_s), u"2 repl(ies) waiting"_s);
    QCOMPARE(panel.rowText(u"oldestPending"_s), u"45 s ago"_s);
    QCOMPARE(panel.rowText(u"llmLatency"_s), u"830 ms"_s);
    QCOMPARE(panel.rowText(u"llmError"_s), u"HTTP 429 from the LLM"_s);
    QCOMPARE(panel.rowText(u"terminal"_s), QString());

    ConnectionHealth quiet;
    quiet.state = ConnectionHealth::State::Connecting;
    quiet.stateSince = kNow - 3000;
    panel.setHealth(quiet);
    QCOMPARE(panel.rowText(u"state"_s), u"Connecting"_s);
    QCOMPARE(panel.rowText(u"lastEvent"_s), u"never"_s);
    QCOMPARE(panel.rowText(u"ackLatency"_s), u"no pushes in the last minute"_s);
    QCOMPARE(panel.rowText(u"token"_s), u"no token yet"_s);
    QCOMPARE(panel.rowText(u"outbox"_s), u"empty"_s);
    QCOMPARE(panel.rowText(u"lastError"_s), u"none"_s);
    QCOMPARE(panel.rowText(u"llmLatency"_s), u"no call yet"_s);
}

void TestHealthPanel::relativeTimesTick()
{
    HealthPanel panel;
    qint64 now = kNow;
    panel.setClock([&now] { return now; });
    panel.setHealth(connected());
    panel.show();
    now += 60 * 1000;
    // The panel's own once-a-second timer re-reads the clock; no new snapshot is needed.
    QTRY_COMPARE_WITH_TIMEOUT(panel.rowText(u"lastEvent"_s), u"1 min 12 s ago"_s, 5000);
    QCOMPARE(panel.rowText(u"token"_s), u"in 1 h 29 min"_s);
}

void TestHealthPanel::terminalErrorsExplainTheFix_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("mustSay");
    QTest::newRow("bad credentials") << 1000040344 << u"no credential"_s << u"App Secret"_s;
    QTest::newRow("secret wrong") << 10014 << u"app secret invalid"_s << u"App Secret"_s;
    QTest::newRow("sandbox bootstrap") << 10003 << u"invalid app credentials"_s << u"App Secret"_s;
    QTest::newRow("too many connections") << 1000040350 << u"exceed conn limit"_s << u"50"_s;
    QTest::newRow("app blocked") << 403 << u"forbidden"_s << u"admin"_s;
    QTest::newRow("long connection not enabled")
        << 1000040351 << u"not allowed"_s << u"persistent connection"_s;
    QTest::newRow("reconnects used up")
        << LongConnection::kCodeReconnectExhausted << u"reconnect attempts exhausted"_s << u"network"_s;
}

void TestHealthPanel::terminalErrorsExplainTheFix()
{
    QFETCH(int, code);
    QFETCH(QString, error);
    QFETCH(QString, mustSay);
    HealthPanel panel;
    panel.setClock([] { return kNow; });
    // The snapshot as core makes it: the monitor fed the connection's fatal error.
    HealthMonitor monitor;
    monitor.setClock([] { return kNow - 1000; });
    monitor.connectionStateChanged(LongConnection::State::Failed);
    monitor.connectionFatal(code, error);
    ConnectionHealth h = monitor.snapshot();
    QVERIFY(h.terminal);
    panel.setHealth(h);
    QCOMPARE(panel.rowText(u"state"_s), u"Connection failed"_s); // the status bar's word
    QVERIFY(panel.rowText(u"lastError"_s).contains(QString::number(code)));
    const QString text = panel.rowText(u"terminal"_s);
    QVERIFY2(text.contains(mustSay), qPrintable(text));
    QVERIFY(text.contains(u"Reconnect"_s));
    h.terminal = false;
    panel.setHealth(h);
    QCOMPARE(panel.rowText(u"terminal"_s), QString());
}

void TestHealthPanel::sandboxTerminalErrorsInChinese_data()
{
    QTest::addColumn<bool>("wrongSecret");
    QTest::addColumn<int>("faultCode");
    QTest::addColumn<QString>("faultMsg");
    QTest::addColumn<QString>("explanationSays");
    QTest::addColumn<QString>("hintSays");
    // The sandbox answers a wrong App Secret at the endpoint with 10003 "invalid app credentials".
    QTest::newRow("wrong secret") << true << 0 << QString() << u"不接受该应用的凭证"_s << u"凭证与基础信息"_s;
    QTest::newRow("long connection not enabled")
        << false << 1000040351 << u"app has not enabled long connection"_s << u"长连接"_s
        << u"使用长连接接收事件"_s;
}

void TestHealthPanel::sandboxTerminalErrorsInChinese()
{
    QFETCH(bool, wrongSecret);
    QFETCH(int, faultCode);
    QFETCH(QString, faultMsg);
    QFETCH(QString, explanationSays);
    QFETCH(QString, hintSays);

    // The console's own translation, embedded as in the binary.
    QTranslator zh;
    QVERIFY(zh.load(u":/i18n/tsp_zh_CN.qm"_s));
    QVERIFY(QCoreApplication::installTranslator(&zh));
    const auto removeTranslator = qScopeGuard([&zh] { QCoreApplication::removeTranslator(&zh); });

    // What core really produces: a LongConnection refused by the sandbox, reported to the
    // monitor the way BotService wires them.
    FeishuSandbox sandbox;
    QVERIFY(sandbox.start());
    if (faultCode != 0)
        sandbox.setBootstrapFault(faultCode, faultMsg);
    LongConnection::Options o;
    o.domain = sandbox.baseUrl();
    o.appId = sandbox.options().appId;
    o.appSecret = wrongSecret ? u"not-the-secret"_s : sandbox.options().appSecret;
    o.network.proxyMode = NetworkOptions::ProxyMode::None;
    o.bootstrapTimeoutMs = 5000;
    LongConnection connection(o);
    HealthMonitor monitor;
    connect(&connection, &LongConnection::stateChanged, &monitor, &HealthMonitor::connectionStateChanged);
    connect(&connection, &LongConnection::fatalError, &monitor, &HealthMonitor::connectionFatal);
    connection.start();
    QTRY_COMPARE(monitor.snapshot().state, ConnectionHealth::State::Failed);
    const ConnectionHealth h = monitor.snapshot();
    QVERIFY(h.terminal);
    // Core keeps its English for the log and headless use.
    QVERIFY2(h.lastErrorHint.contains(u"Feishu developer console"_s), qPrintable(h.lastErrorHint));

    HealthPanel panel;
    panel.setHealth(h);
    const QString explanation = panel.rowText(u"terminal"_s);
    QVERIFY2(explanation.contains(explanationSays), qPrintable(explanation));
    QVERIFY2(!explanation.contains(u"Fix:"_s), qPrintable(explanation));
    const QString hint = panel.rowText(u"hint"_s);
    QVERIFY2(hint.contains(hintSays), qPrintable(hint));
    QVERIFY2(!hint.contains(u"developer console"_s), qPrintable(hint));
    const QString tip = HealthText::tooltip(h, QDateTime::currentMSecsSinceEpoch());
    QVERIFY2(tip.contains(hint), qPrintable(tip));
    QVERIFY2(!tip.contains(h.lastErrorHint), qPrintable(tip));
}

void TestHealthPanel::groupsShareOneLabelColumn()
{
    HealthPanel panel;
    panel.setClock([] { return kNow; });
    panel.setHealth(connected());
    panel.resize(1280, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    // The values of the first group (Feishu) and the second (replies and LLM) start at one x.
    const auto valueX = [&panel](const QString &key) {
        const auto *label = panel.findChild<QLabel *>(key + u"Label"_s);
        return label ? label->mapTo(&panel, QPoint(0, 0)).x() : -1;
    };
    const int x = valueX(u"state"_s);
    QVERIFY(x > 0);
    for (const QString &key : {u"ackLatency"_s, u"token"_s, u"outbox"_s, u"oldestPending"_s, u"llmError"_s})
        QCOMPARE(valueX(key), x);
}

void TestHealthPanel::reconnectButton()
{
    HealthPanel panel;
    QSignalSpy spy(&panel, &HealthPanel::reconnectRequested);
    QPushButton *button = nullptr;
    for (QPushButton *b : panel.findChildren<QPushButton *>()) {
        if (b->accessibleName() == u"Reconnect"_s)
            button = b;
    }
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
}

void TestHealthPanel::updatedOnTheMainThreadFromSnapshots()
{
    qRegisterMetaType<ConnectionHealth>();
    HealthPanel panel;
    panel.setClock([] { return kNow; });
    panel.show();
    SnapshotSource source;
    QThread *appliedOn = nullptr;
    connect(&source, &SnapshotSource::healthChanged, &panel, [&](const ConnectionHealth &h) {
        appliedOn = QThread::currentThread();
        panel.setHealth(h);
    });
    // A snapshot made on another thread reaches the panel by a queued signal.
    QThread worker;
    worker.start();
    emit source.healthChanged(connected());
    QCOMPARE(panel.rowText(u"state"_s), u"Connected"_s);
    ConnectionHealth reconnecting = connected();
    reconnecting.state = ConnectionHealth::State::Reconnecting;
    reconnecting.reconnectsToday = 2;
    QObject carrier;
    carrier.moveToThread(&worker);
    QMetaObject::invokeMethod(
        &carrier,
        [&source, reconnecting] {
            QMetaObject::invokeMethod(
                &source, [&source, reconnecting] { emit source.healthChanged(reconnecting); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    QTRY_COMPARE(panel.rowText(u"state"_s), u"Reconnecting"_s);
    QCOMPARE(appliedOn, QThread::currentThread());
    QCOMPARE(panel.rowText(u"reconnects"_s), u"2 (since start: 3)"_s);
    worker.quit();
    worker.wait();
}

void TestHealthPanel::tooltipListsTheFigures()
{
    ConnectionHealth h = connected();
    h.lastErrorCode = 1;
    const QString tip = HealthText::tooltip(h, kNow);
    QVERIFY(tip.startsWith(u"Feishu connection: Connected for 2 h 5 min"_s));
    QVERIFY(tip.contains(u"Last event: 12 s ago"_s));
    QVERIFY(tip.contains(u"median 1.5 ms, p99 4.2 ms"_s));
    QVERIFY(tip.contains(u"Reconnects today: 1"_s));
    QVERIFY(tip.contains(u"(code 1)"_s));
    QVERIFY(tip.contains(u"Duplicates dropped: 7"_s));
    QVERIFY(tip.contains(u"Token expires: in 1 h 30 min"_s));
    QVERIFY(tip.contains(u"Outbox: 2 waiting, oldest since 45 s ago"_s));
    QVERIFY(tip.contains(u"LLM: last answer in 830 ms"_s));
    QVERIFY(tip.contains(u"LLM last error: HTTP 429 from the LLM"_s));
    HealthPanel panel;
    panel.setClock([] { return kNow; });
    panel.setHealth(h);
    QCOMPARE(panel.toolTip(), tip);
}

void TestHealthPanel::stateWordsMatchTheStatusBar()
{
    // One table of words: the panel and the status bar name every state alike, and no two
    // states share a word.
    HealthPanel panel;
    panel.setClock([] { return kNow; });
    StatusPanel status;
    QSet<QString> words;
    for (const auto state : {ConnectionHealth::State::Idle, ConnectionHealth::State::Connecting,
                             ConnectionHealth::State::Connected, ConnectionHealth::State::Reconnecting,
                             ConnectionHealth::State::Failed}) {
        ConnectionHealth h;
        h.state = state;
        h.stateSince = kNow - 1000;
        panel.setHealth(h);
        status.setHealth(h);
        QCOMPARE(panel.rowText(u"state"_s), status.connectionText());
        QVERIFY(!status.connectionText().isEmpty());
        words.insert(status.connectionText());
    }
    QCOMPARE(words.size(), 5);
}

void TestHealthPanel::screenshots()
{
    if (qEnvironmentVariableIsEmpty("TSP_SCREENSHOT_DIR"))
        QSKIP("set TSP_SCREENSHOT_DIR to save screenshots");
    HealthPanel panel;
    panel.setClock([] { return kNow; });
    panel.setHealth(connected());
    Screenshot::save(&panel, u"health"_s);
    ConnectionHealth failed;
    failed.state = ConnectionHealth::State::Failed;
    failed.stateSince = kNow - 30000;
    failed.terminal = true;
    failed.lastError = u"bootstrap refused: app not allowed to use the long connection"_s;
    failed.lastErrorCode = 1000040351;
    failed.lastErrorHintKind = HealthMonitor::hintKind(failed.lastErrorCode, failed.lastError);
    failed.lastErrorHint = HealthMonitor::hintText(failed.lastErrorHintKind);
    panel.setHealth(failed);
    Screenshot::save(&panel, u"health-terminal"_s);
}

QTEST_MAIN(TestHealthPanel)
#include "tst_healthpanel.moc"

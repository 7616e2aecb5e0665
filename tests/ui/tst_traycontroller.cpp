#include <QAction>
#include <QSignalSpy>
#include <QTest>

#include "notificationlimiter.h"
#include "traycontroller.h"

class TestTrayController final : public QObject
{
    Q_OBJECT
private slots:
    void limiterBurstThenRate();
    void limiterCountsHeld();
    void burstShowsAFewThenOneSummary();
    void newcomerWaitsBehindTheSummary();
    void notificationsCanBeTurnedOff();
    void iconFollowsStateAndBadge();
    void menuPausesAndQuits();
};

void TestTrayController::limiterBurstThenRate()
{
    NotificationLimiter limiter(6, 3); // a burst of 3, then one every 10 s
    QVERIFY(limiter.tryTake(0));
    QVERIFY(limiter.tryTake(0));
    QVERIFY(limiter.tryTake(0));
    QVERIFY(!limiter.tryTake(0));
    QCOMPARE(limiter.msUntilToken(0), qint64(10000));
    QVERIFY(!limiter.tryTake(9999));
    QVERIFY(limiter.tryTake(10000));
    QVERIFY(!limiter.tryTake(10000));
    // A quiet hour refills only up to the burst.
    QVERIFY(limiter.tryTake(3600000));
    QVERIFY(limiter.tryTake(3600000));
    QVERIFY(limiter.tryTake(3600000));
    QVERIFY(!limiter.tryTake(3600000));
    // A clock going backwards gives nothing away.
    QVERIFY(!limiter.tryTake(0));
}

void TestTrayController::limiterCountsHeld()
{
    NotificationLimiter limiter;
    limiter.hold();
    limiter.hold();
    QCOMPARE(limiter.held(), 2);
    QCOMPARE(limiter.takeHeld(), 2);
    QCOMPARE(limiter.held(), 0);
}

void TestTrayController::burstShowsAFewThenOneSummary()
{
    qint64 now = 1000000;
    TrayController tray;
    tray.setClock([&now] { return now; });
    QSignalSpy shown(&tray, &TrayController::notificationShown);
    for (int i = 1; i <= 20; ++i)
        tray.notify(i, QStringLiteral("A conversation needs a person"), QStringLiteral("customer %1").arg(i));
    QCOMPARE(shown.count(), 3); // the burst
    QCOMPARE(shown.at(2).at(0).toLongLong(), qint64(3));
    tray.flushHeld(); // no token yet: nothing
    QCOMPARE(shown.count(), 3);
    now += 15000; // 4 a minute: one token after 15 s
    tray.flushHeld();
    QCOMPARE(shown.count(), 4);
    QCOMPARE(shown.at(3).at(0).toLongLong(), qint64(0)); // a summary, not one session
    QVERIFY(shown.at(3).at(2).toString().contains(QStringLiteral("17")));
    tray.flushHeld(); // nothing held any more
    QCOMPARE(shown.count(), 4);

    // Clicking the summary opens the next conversation needing a person (session 0).
    now += 60000;
    tray.notify(99, QStringLiteral("t"), QStringLiteral("b"));
    QCOMPARE(shown.count(), 5);
    QCOMPARE(shown.at(4).at(0).toLongLong(), qint64(99));
}

void TestTrayController::newcomerWaitsBehindTheSummary()
{
    qint64 now = 0;
    TrayController tray;
    tray.setClock([&now] { return now; });
    QSignalSpy shown(&tray, &TrayController::notificationShown);
    for (int i = 0; i < 5; ++i)
        tray.notify(i + 1, QStringLiteral("t"), QStringLiteral("b"));
    QCOMPARE(shown.count(), 3);
    now += 15000;
    tray.notify(6, QStringLiteral("t"), QStringLiteral("b")); // a token exists, but 2 are held
    QCOMPARE(shown.count(), 3);
    tray.flushHeld();
    QCOMPARE(shown.count(), 4);
    QVERIFY(shown.at(3).at(2).toString().contains(QLatin1Char('3')));
}

void TestTrayController::notificationsCanBeTurnedOff()
{
    qint64 now = 0;
    TrayController tray;
    tray.setClock([&now] { return now; });
    QSignalSpy shown(&tray, &TrayController::notificationShown);
    QSignalSpy toggled(&tray, &TrayController::notificationsToggled);
    tray.notificationsAction()->trigger(); // off, from the menu
    QVERIFY(!tray.notificationsEnabled());
    QCOMPARE(toggled.count(), 1);
    QCOMPARE(toggled.at(0).at(0).toBool(), false);
    tray.notify(1, QStringLiteral("t"), QStringLiteral("b"));
    QCOMPARE(shown.count(), 0);
    tray.setNotificationsEnabled(true);
    tray.notify(1, QStringLiteral("t"), QStringLiteral("b"));
    QCOMPARE(shown.count(), 1);
}

void TestTrayController::iconFollowsStateAndBadge()
{
    TrayController tray;
    ConnectionHealth h;
    h.state = ConnectionHealth::State::Connected;
    tray.setHealth(h);
    QCOMPARE(tray.tone(), TrayController::Tone::Connected);
    const QImage connected = tray.icon().pixmap(32, 32).toImage();
    h.state = ConnectionHealth::State::Reconnecting;
    tray.setHealth(h);
    QCOMPARE(tray.tone(), TrayController::Tone::Reconnecting);
    h.state = ConnectionHealth::State::Failed;
    tray.setHealth(h);
    QCOMPARE(tray.tone(), TrayController::Tone::Error);
    const QImage failed = tray.icon().pixmap(32, 32).toImage();
    QVERIFY(connected != failed);
    // The bubble's colour is the state's colour.
    QCOMPARE(connected.pixelColor(8, 14).rgb(), QColor(0x2e, 0x9d, 0x52).rgb());
    QCOMPARE(failed.pixelColor(8, 14).rgb(), QColor(0xd0, 0x31, 0x2d).rgb());

    tray.setCounts(4, 2);
    QCOMPARE(tray.badge(), 4);
    QVERIFY(tray.toolTip().contains(QStringLiteral("4 conversation")));
    QVERIFY(tray.toolTip().contains(QStringLiteral("2 draft")));
    const QImage badged = tray.icon().pixmap(32, 32).toImage();
    QVERIFY(badged != failed);
    tray.setCounts(0, 0);
    QCOMPARE(tray.icon().pixmap(32, 32).toImage(), failed); // no badge without a count
}

void TestTrayController::menuPausesAndQuits()
{
    TrayController tray;
    QSignalSpy pause(&tray, &TrayController::pauseRequested);
    tray.pauseAction()->trigger();
    QCOMPARE(pause.count(), 1);
    QCOMPARE(pause.at(0).at(0).toBool(), true);
    ConnectionHealth h;
    h.paused = true;
    tray.setHealth(h); // the desk confirms
    QVERIFY(tray.pauseAction()->isChecked());
    QVERIFY(tray.toolTip().contains(QStringLiteral("paused")));
    tray.start(10, 0); // offscreen: no tray; closing must not hide the window then
    QVERIFY(!tray.isAvailable());
}

QTEST_MAIN(TestTrayController)
#include "tst_traycontroller.moc"

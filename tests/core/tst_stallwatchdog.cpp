// StallWatchdog (tests/support): a deliberate stall of the event loop is reported with its length
// and the object whose event ran; a loop that only does short work reports nothing.
#include <ctime>

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include "logging/stallwatchdog.h"

namespace {

qint64 threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

} // namespace

class TestStallWatchdog final : public QObject
{
    Q_OBJECT
private slots:
    void deliberateStallIsReported();
    void shortWorkIsNotAStall();
    void blockingWaitIsAStall();
};

void TestStallWatchdog::deliberateStallIsReported()
{
    StallWatchdog watchdog(50);
    QSignalSpy spy(&watchdog, &StallWatchdog::stallDetected);
    watchdog.start();
    QObject culprit;
    culprit.setObjectName(QStringLiteral("culprit"));
    QTest::qWait(30);
    // Busy work on the loop for 200 ms of this thread's CPU time (like a synchronous parse or a
    // long query), however much the machine's other work slows it down.
    QMetaObject::invokeMethod(
        &culprit,
        [] {
            const qint64 start = threadCpuMs();
            volatile quint64 x = 0;
            while (threadCpuMs() - start < 200)
                x = x + 1;
        },
        Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(!watchdog.stalls().isEmpty(), 10000);
    watchdog.stop();
    const QList<StallWatchdog::Stall> stalls = watchdog.stalls();
    QCOMPARE(stalls.size(), 1);
    // The gap covers the 300 ms; whatever of it the kernel spent running others is not counted,
    // and still the busy part is far over the threshold.
    // Busy time, without the time the kernel ran other processes: at least the 200 ms of CPU
    // (a few ms of slack for the run-queue accounting's rounding).
    QVERIFY2(stalls.first().durationMs >= 190, qPrintable(watchdog.report()));
    QVERIFY2(stalls.first().what.contains(QLatin1String("'culprit'")), qPrintable(stalls.first().what));
    QCOMPARE(spy.size(), 1);
    QVERIFY(watchdog.report().contains(QLatin1String("'culprit'")));
}

void TestStallWatchdog::shortWorkIsNotAStall()
{
    StallWatchdog watchdog(50);
    watchdog.start();
    QObject worker;
    worker.setObjectName(QStringLiteral("worker"));
    // 100 small pieces of work (about 1 ms each) spread over the loop: none is a stall.
    int done = 0;
    for (int i = 0; i < 100; ++i) {
        QTimer::singleShot(i * 3, &worker, [&done] {
            QElapsedTimer t;
            t.start();
            while (t.nsecsElapsed() < 1000000) {
            }
            ++done;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 100, 20000);
    QTest::qWait(50);
    watchdog.stop();
    QVERIFY2(watchdog.stalls().isEmpty(), qPrintable(watchdog.report()));
    QCOMPARE(watchdog.longestStallMs(), 0);
}

void TestStallWatchdog::blockingWaitIsAStall()
{
    // A thread blocked on a wait (a future, a lock, a synchronous network call) uses no CPU and is
    // still a stall.
    StallWatchdog watchdog(50);
    watchdog.start();
    QObject waiter;
    waiter.setObjectName(QStringLiteral("waiter"));
    QMetaObject::invokeMethod(
        &waiter, [] { QThread::msleep(200); }, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(!watchdog.stalls().isEmpty(), 10000);
    watchdog.stop();
    QCOMPARE(watchdog.stalls().size(), 1);
    QVERIFY2(watchdog.stalls().first().durationMs >= 150, qPrintable(watchdog.report()));
    QVERIFY(watchdog.stalls().first().what.contains(QLatin1String("'waiter'")));
}

QTEST_GUILESS_MAIN(TestStallWatchdog)
#include "tst_stallwatchdog.moc"

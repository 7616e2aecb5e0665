#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "testutil.h"

// The console's single-instance contract between real processes (offscreen): a second start on
// the same data dir brings the first forward and exits 0; the headless bot and the console refuse
// each other on one data dir with exit code 3.
class TestConsoleInstance final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void secondConsoleActivatesTheFirst();
    void headlessRefusesARunningConsole();
    void consoleRefusesARunningHeadless();

private:
    static std::unique_ptr<QProcess> launch(const QStringList &args);
    static bool waitFor(QProcess *process, QByteArray *output, const QByteArray &needle, int timeoutMs);
    static int finish(QProcess *process, int timeoutMs);
};

void TestConsoleInstance::initTestCase()
{
    QVERIFY2(!TestUtil::appBinary().isEmpty(), "TSP_BINARY is not set");
    QCOMPARE(qEnvironmentVariable("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
}

std::unique_ptr<QProcess> TestConsoleInstance::launch(const QStringList &args)
{
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TSP_DEMO_INTERVAL_MS"), QStringLiteral("60000")); // quiet logs
    p->setProcessEnvironment(env);
    p->start(TestUtil::appBinary(), args);
    return p;
}

bool TestConsoleInstance::waitFor(QProcess *process, QByteArray *output, const QByteArray &needle,
                                  int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        *output += process->readAll();
        if (output->contains(needle))
            return true;
        if (process->state() == QProcess::NotRunning)
            return false;
        process->waitForReadyRead(100);
    }
    return false;
}

int TestConsoleInstance::finish(QProcess *process, int timeoutMs)
{
    if (process->state() != QProcess::NotRunning)
        process->terminate();
    if (!process->waitForFinished(timeoutMs)) {
        process->kill();
        process->waitForFinished();
        return -1;
    }
    return process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -1;
}

void TestConsoleInstance::secondConsoleActivatesTheFirst()
{
    QTemporaryDir dir;
    const QStringList args{QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path()};
    auto first = launch(args);
    QByteArray firstOut;
    QVERIFY2(waitFor(first.get(), &firstOut, "connected to Feishu", 30000), firstOut.constData());

    auto second = launch(args);
    QVERIFY(second->waitForFinished(20000));
    const QByteArray secondOut = second->readAll();
    QCOMPARE(second->exitStatus(), QProcess::NormalExit);
    QVERIFY2(second->exitCode() == 0, secondOut.constData());
    QVERIFY2(secondOut.contains("brought to the front"), secondOut.constData());
    QVERIFY2(waitFor(first.get(), &firstOut, "asked to come to the front", 10000), firstOut.constData());
    QCOMPARE(first->state(), QProcess::Running);

    QCOMPARE(finish(first.get(), 15000), 0);
}

void TestConsoleInstance::headlessRefusesARunningConsole()
{
    QTemporaryDir dir;
    auto console = launch({QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path()});
    QByteArray out;
    QVERIFY2(waitFor(console.get(), &out, "connected to Feishu", 30000), out.constData());
    auto headless = launch(
        {QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path()});
    QVERIFY(headless->waitForFinished(20000));
    QCOMPARE(headless->exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless->exitCode(), 3);
    QCOMPARE(console->state(), QProcess::Running);
    QCOMPARE(finish(console.get(), 15000), 0);
}

void TestConsoleInstance::consoleRefusesARunningHeadless()
{
    QTemporaryDir dir;
    auto headless = launch(
        {QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path()});
    QByteArray out;
    QVERIFY2(waitFor(headless.get(), &out, "connected to Feishu", 30000), out.constData());
    auto console = launch({QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path()});
    QVERIFY(console->waitForFinished(20000));
    const QByteArray consoleOut = console->readAll();
    QCOMPARE(console->exitStatus(), QProcess::NormalExit);
    QVERIFY2(console->exitCode() == 3, consoleOut.constData());
    QVERIFY2(consoleOut.contains("already running"), consoleOut.constData());
    QCOMPARE(headless->state(), QProcess::Running);
    QCOMPARE(finish(headless.get(), 15000), 0);
}

QTEST_GUILESS_MAIN(TestConsoleInstance)
#include "tst_consoleinstance.moc"

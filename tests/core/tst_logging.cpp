#include <QDateTime>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "logging/logging.h"
#include "logging/redact.h"
#include "logging_p.h"

using namespace Qt::StringLiterals;

class TestLogging final : public QObject
{
    Q_OBJECT
private slots:
    void parseLevel_data();
    void parseLevel();
    void levelMapsOntoCategories();
    void fileSinkIsRedacted();
    void lineStartsWithLocalTimestamp();
    void timestampsFromTwoThreads();
};

void TestLogging::parseLevel_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("level");
    QTest::newRow("DEBUG") << QStringLiteral("DEBUG") << true << int(Logging::Level::Debug);
    QTest::newRow("info lower") << QStringLiteral(" info ") << true << int(Logging::Level::Info);
    QTest::newRow("WARN") << QStringLiteral("WARN") << true << int(Logging::Level::Warning);
    QTest::newRow("WARNING") << QStringLiteral("WARNING") << true << int(Logging::Level::Warning);
    QTest::newRow("ERROR") << QStringLiteral("ERROR") << true << int(Logging::Level::Error);
    QTest::newRow("bogus") << QStringLiteral("LOUD") << false << int(Logging::Level::Info);
}

void TestLogging::parseLevel()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, level);
    Logging::Level l = Logging::Level::Info;
    QCOMPARE(Logging::parseLevel(text, &l), ok);
    QCOMPARE(int(l), level);
}

void TestLogging::levelMapsOntoCategories()
{
    qunsetenv("QT_LOGGING_RULES");
    QLoggingCategory::setFilterRules(Logging::filterRules(Logging::Level::Warning));
    QVERIFY(!lcFeishu().isInfoEnabled());
    QVERIFY(lcFeishu().isWarningEnabled());
    QVERIFY(!lcFeishuFrames().isDebugEnabled());
    QLoggingCategory::setFilterRules(Logging::filterRules(Logging::Level::Debug));
    QVERIFY(lcFeishu().isDebugEnabled());
    QVERIFY(lcFeishuFrames().isDebugEnabled());
    QVERIFY(lcDb().isDebugEnabled());
    QLoggingCategory::setFilterRules(Logging::filterRules(Logging::Level::Error));
    QVERIFY(!lcSession().isWarningEnabled());
    QVERIFY(lcSession().isCriticalEnabled());
    QLoggingCategory::setFilterRules(Logging::filterRules(Logging::Level::Info));
    QVERIFY(lcSession().isInfoEnabled());
    QVERIFY(!lcSession().isDebugEnabled());
}

void TestLogging::fileSinkIsRedacted()
{
    qunsetenv("QT_LOGGING_RULES");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.log"));
    Redact::registerSecret(QStringLiteral("very-secret-app-secret"));
    QSignalSpy spy(LogBus::instance(), &LogBus::lineLogged);
    Logging::setup(Logging::Level::Info, path);
    qCInfo(lcFeishu) << "secret very-secret-app-secret phone 13912345678 url wss://h/ws?ticket=T";
    qCDebug(lcFeishu) << "debug is filtered";
    Logging::shutdown();
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY2(text.contains(QLatin1String("INFO  tsp.feishu:")), qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("very-secret-app-secret")));
    QVERIFY(!text.contains(QLatin1String("13912345678")));
    QVERIFY(!text.contains(QLatin1String("ticket=T")));
    QVERIFY(!text.contains(QLatin1String("debug is filtered")));
    QCOMPARE(spy.count(), 1);
    Redact::clearSecrets();
}

namespace {

// The timestamp at the start of a formatted line, or an invalid QDateTime.
QDateTime stampOf(const QString &line)
{
    return QDateTime::fromString(line.left(23), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

void TestLogging::lineStartsWithLocalTimestamp()
{
    // Lines until the wall clock has passed a second boundary: the cached date-and-second part
    // must follow it, and the milliseconds stay three digits.
    const QDateTime start = QDateTime::currentDateTime();
    QDateTime previous;
    int lines = 0;
    bool crossed = false;
    while (!crossed && start.msecsTo(QDateTime::currentDateTime()) < 1500) {
        const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
        const QString line = Logging::formatLine(QtInfoMsg, "tsp.test", QStringLiteral("x"));
        const QDateTime after = QDateTime::currentDateTime().addMSecs(1);
        const QDateTime stamp = stampOf(line);
        QVERIFY2(stamp.isValid(), qPrintable(line));
        QCOMPARE(line.mid(23), QStringLiteral(" INFO  tsp.test: x"));
        QVERIFY2(stamp >= before && stamp <= after,
                 qPrintable(line + u" not within "_s + before.toString(Qt::ISODateWithMs) + u".."_s +
                            after.toString(Qt::ISODateWithMs)));
        if (previous.isValid()) {
            QVERIFY(stamp >= previous);
            crossed = crossed || stamp.time().second() != previous.time().second();
        }
        previous = stamp;
        ++lines;
    }
    QVERIFY(crossed);
    QVERIFY(lines > 1);
}

void TestLogging::timestampsFromTwoThreads()
{
    // The Feishu I/O thread logs too: each thread keeps its own cache, and both are right.
    QString other;
    std::unique_ptr<QThread> t(QThread::create([&] {
        other = Logging::formatLine(QtWarningMsg, "tsp.feishu", QStringLiteral("from the I/O thread"));
    }));
    const QDateTime before = QDateTime::currentDateTime().addMSecs(-1);
    t->start();
    const QString mine = Logging::formatLine(QtInfoMsg, "tsp.app", QStringLiteral("main"));
    QVERIFY(t->wait(5000));
    const QDateTime after = QDateTime::currentDateTime().addMSecs(1);
    for (const QString &line : {mine, other}) {
        const QDateTime stamp = stampOf(line);
        QVERIFY2(stamp.isValid() && stamp >= before && stamp <= after, qPrintable(line));
    }
    QVERIFY(other.endsWith(QLatin1String(" WARN  tsp.feishu: from the I/O thread")));
}

QTEST_GUILESS_MAIN(TestLogging)
#include "tst_logging.moc"

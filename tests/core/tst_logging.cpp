#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "logging/logging.h"
#include "logging/redact.h"
#include "logging_p.h"

class TestLogging final : public QObject
{
    Q_OBJECT
private slots:
    void parseLevel_data();
    void parseLevel();
    void levelMapsOntoCategories();
    void fileSinkIsRedacted();
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

QTEST_GUILESS_MAIN(TestLogging)
#include "tst_logging.moc"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "logging/logging.h"
#include "logs/logfilter.h"
#include "logs/logmodel.h"

class TestLogModel final : public QObject
{
    Q_OBJECT
private slots:
    void modelTesterOnGrowthAndWrap();
    void boundKeepsTheNewest();
    void oversizedBatchKeepsTheNewest();
    void linesFromLogBusArriveBatched();
    void linesFromAnotherThread();
    void pauseHoldsAndResumeShows();
    void filters_data();
    void filters();
    void categoriesAreCollected();
};

void TestLogModel::modelTesterOnGrowthAndWrap()
{
    LogModel model(10, false);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 7; ++i)
        model.append(QtInfoMsg, QStringLiteral("tsp.app"), QStringLiteral("line %1").arg(i));
    model.flush();
    QCOMPARE(model.rowCount(), 7);
    // Wraps: 7 + 8 > 10, the 5 oldest go.
    for (int i = 7; i < 15; ++i)
        model.append(QtWarningMsg, QStringLiteral("tsp.feishu"), QStringLiteral("line %1").arg(i));
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("line 5"));
    QCOMPARE(model.index(9).data().toString(), QStringLiteral("line 14"));
    // And again around the ring, one at a time.
    for (int i = 15; i < 40; ++i) {
        model.append(QtCriticalMsg, QStringLiteral("tsp.db"), QStringLiteral("line %1").arg(i));
        model.flush();
    }
    QCOMPARE(model.rowCount(), 10);
    for (int row = 0; row < 10; ++row)
        QCOMPARE(model.index(row).data().toString(), QStringLiteral("line %1").arg(30 + row));
    QCOMPARE(model.index(9).data(LogModel::LevelRole).value<LogModel::Level>(), LogModel::Level::Error);
    QCOMPARE(model.index(9).data(LogModel::CategoryRole).toString(), QStringLiteral("tsp.db"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestLogModel::boundKeepsTheNewest()
{
    LogModel model(LogModel::kDefaultCapacity, false);
    QVERIFY(model.capacity() >= 100000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int total = 150000;
    for (int i = 0; i < total; ++i) {
        model.append(QtInfoMsg, QStringLiteral("tsp.event"),
                     QStringLiteral("2026-12-03 10:00:00.000 INFO  tsp.event: push %1").arg(i));
        if (i % 5000 == 4999)
            model.flush(); // as the timer would: many batches
    }
    model.flush();
    QCOMPARE(model.rowCount(), model.capacity());
    const int first = total - model.capacity();
    QVERIFY(model.index(0).data().toString().endsWith(QStringLiteral("push %1").arg(first)));
    QVERIFY(model.index(model.rowCount() - 1)
                .data()
                .toString()
                .endsWith(QStringLiteral("push %1").arg(total - 1)));
    QVERIFY(model.index(12345).data().toString().endsWith(QStringLiteral("push %1").arg(first + 12345)));
}

void TestLogModel::oversizedBatchKeepsTheNewest()
{
    LogModel model(100, false);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(QtInfoMsg, QStringLiteral("tsp.app"), QStringLiteral("old"));
    model.flush();
    for (int i = 0; i < 250; ++i)
        model.append(QtInfoMsg, QStringLiteral("tsp.app"), QString::number(i));
    model.flush();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("150"));
    QCOMPARE(model.index(99).data().toString(), QStringLiteral("249"));
}

void TestLogModel::linesFromLogBusArriveBatched()
{
    LogModel model(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 50; ++i)
        emit LogBus::instance()->lineLogged(QtInfoMsg, QStringLiteral("tsp.session"),
                                            QStringLiteral("bus %1").arg(i));
    QCOMPARE(model.rowCount(), 0); // nothing until the flush timer
    QTRY_COMPARE(model.rowCount(), 50);
    QCOMPARE(inserted.count(), 1); // one insert for the whole burst
    QCOMPARE(model.index(49).data().toString(), QStringLiteral("bus 49"));
}

void TestLogModel::linesFromAnotherThread()
{
    LogModel model(100000);
    QThread *writer = QThread::create([] {
        for (int i = 0; i < 20000; ++i)
            emit LogBus::instance()->lineLogged(QtDebugMsg, QStringLiteral("tsp.feishu"),
                                                QStringLiteral("io %1").arg(i));
    });
    writer->start();
    QVERIFY(writer->wait(60000));
    delete writer;
    QTRY_COMPARE(model.rowCount(), 20000);
    for (int row = 0; row < 20000; row += 997)
        QCOMPARE(model.index(row).data().toString(), QStringLiteral("io %1").arg(row));
}

void TestLogModel::pauseHoldsAndResumeShows()
{
    LogModel model(100, false);
    QSignalSpy pending(&model, &LogModel::pendingCountChanged);
    model.setPaused(true);
    for (int i = 0; i < 5; ++i)
        model.append(QtInfoMsg, QStringLiteral("tsp.app"), QString::number(i));
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.pendingCount(), 5);
    QCOMPARE(pending.last().at(0).toInt(), 5);
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.pendingCount(), 0);
    QCOMPARE(pending.last().at(0).toInt(), 0);
}

void TestLogModel::filters_data()
{
    QTest::addColumn<int>("minimum");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("everything") << int(LogModel::Level::Debug) << QString() << QString()
                                << QStringList{QStringLiteral("d1"), QStringLiteral("i1 车机"),
                                               QStringLiteral("w1"), QStringLiteral("e1 车机"),
                                               QStringLiteral("i2")};
    QTest::newRow("warnings and up") << int(LogModel::Level::Warning) << QString() << QString()
                                     << QStringList{QStringLiteral("w1"), QStringLiteral("e1 车机")};
    QTest::newRow("category with sub-categories")
        << int(LogModel::Level::Debug) << QStringLiteral("tsp.feishu") << QString()
        << QStringList{QStringLiteral("d1"), QStringLiteral("w1")};
    QTest::newRow("category is not a prefix of another name")
        << int(LogModel::Level::Debug) << QStringLiteral("tsp.fei") << QString() << QStringList{};
    QTest::newRow("text, any case") << int(LogModel::Level::Debug) << QString() << QStringLiteral("I1")
                                    << QStringList{QStringLiteral("i1 车机")};
    QTest::newRow("chinese text and level")
        << int(LogModel::Level::Info) << QString() << QStringLiteral("车机")
        << QStringList{QStringLiteral("i1 车机"), QStringLiteral("e1 车机")};
}

void TestLogModel::filters()
{
    QFETCH(int, minimum);
    QFETCH(QString, category);
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    LogModel model(100, false);
    LogFilter filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setMinimumLevel(LogModel::Level(minimum));
    filter.setCategory(category);
    filter.setText(text);
    model.append(QtDebugMsg, QStringLiteral("tsp.feishu.frames"), QStringLiteral("d1"));
    model.append(QtInfoMsg, QStringLiteral("tsp.session"), QStringLiteral("i1 车机"));
    model.append(QtWarningMsg, QStringLiteral("tsp.feishu"), QStringLiteral("w1"));
    model.append(QtCriticalMsg, QStringLiteral("tsp.db"), QStringLiteral("e1 车机"));
    model.append(QtInfoMsg, QStringLiteral("tsp.app"), QStringLiteral("i2"));
    model.flush();
    QStringList shown;
    for (int row = 0; row < filter.rowCount(); ++row)
        shown << filter.index(row, 0).data().toString();
    QCOMPARE(shown, expected);
}

void TestLogModel::categoriesAreCollected()
{
    LogModel model(100, false);
    QSignalSpy changed(&model, &LogModel::categoriesChanged);
    model.append(QtInfoMsg, QStringLiteral("tsp.session"), QStringLiteral("a"));
    model.append(QtInfoMsg, QStringLiteral("tsp.app"), QStringLiteral("b"));
    model.append(QtInfoMsg, QStringLiteral("tsp.session"), QStringLiteral("c"));
    model.flush();
    QCOMPARE(model.categories(), (QStringList{QStringLiteral("tsp.app"), QStringLiteral("tsp.session")}));
    QCOMPARE(changed.count(), 1);
    model.append(QtInfoMsg, QStringLiteral("tsp.app"), QStringLiteral("d"));
    model.flush();
    QCOMPARE(changed.count(), 1);
}

QTEST_MAIN(TestLogModel)
#include "tst_logmodel.moc"

// Backoff: doubling from the base, capped, and sane at the edges.
#include <QTest>

#include "net/backoff.h"

class TestBackoff final : public QObject
{
    Q_OBJECT
private slots:
    void doublesUpToTheCap_data();
    void doublesUpToTheCap();
    void edges();
};

void TestBackoff::doublesUpToTheCap_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("first") << 1 << qint64(500);
    QTest::newRow("second") << 2 << qint64(1000);
    QTest::newRow("third") << 3 << qint64(2000);
    QTest::newRow("fifth") << 5 << qint64(8000);
    QTest::newRow("capped") << 6 << qint64(10000);
    QTest::newRow("far beyond") << 1000 << qint64(10000);
    QTest::newRow("zero counts as first") << 0 << qint64(500);
    QTest::newRow("negative counts as first") << -3 << qint64(500);
}

void TestBackoff::doublesUpToTheCap()
{
    QFETCH(int, attempt);
    QFETCH(qint64, expected);
    QCOMPARE((Backoff{500, 10000}.delayMs(attempt)), expected);
}

void TestBackoff::edges()
{
    QCOMPARE((Backoff{0, 1000}.delayMs(7)), qint64(0));                    // no back-off at all
    QCOMPARE((Backoff{5000, 1000}.delayMs(1)), qint64(1000));              // a base above the cap is capped
    QCOMPARE((Backoff{1, qint64(1) << 62}.delayMs(200)), qint64(1) << 62); // no overflow
    static_assert(Backoff{100, 1000}.delayMs(3) == 400);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"

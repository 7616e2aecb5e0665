// PushJournal: the pushes ACKed and not yet recorded, in a real file.
#include <atomic>
#include <thread>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "feishu/pushjournal.h"

using namespace Qt::StringLiterals;

class TestPushJournal final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void settledPushesAreForgotten();
    void unsettledPushesComeBackInOrder();
    void tornLastRecordIsCutAndTheFileStaysUsable();
    void unreadableLineIsSkipped();
    void largeFileIsCompacted();
    void unopenableFileSaysWhy();
    void appendAndSettleFromTwoThreads();

private:
    QList<PushJournal::Record> reopen(const QString &path);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestPushJournal::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"pushes.journal"_s);
}

QList<PushJournal::Record> TestPushJournal::reopen(const QString &path)
{
    PushJournal journal(path);
    QList<PushJournal::Record> records;
    QString error;
    if (!journal.open(&records, &error))
        qWarning().noquote() << error;
    return records;
}

void TestPushJournal::settledPushesAreForgotten()
{
    PushJournal journal(m_path);
    QList<PushJournal::Record> leftOver;
    QString error;
    QVERIFY2(journal.open(&leftOver, &error), qPrintable(error));
    QVERIFY(leftOver.isEmpty());
    journal.append("{\"a\":1}", "event");
    journal.append("{\"b\":2}", "event");
    journal.append("{\"c\":3}", "card");
    QCOMPARE(journal.pending(), 3);
    journal.settle(2);
    QCOMPARE(journal.pending(), 1);
    QVERIFY(journal.sizeBytes() > 0); // the third is not recorded yet
    journal.settle(1);
    QCOMPARE(journal.pending(), 0);
    QCOMPARE(journal.sizeBytes(), 0);
    QCOMPARE(QFile(m_path).size(), 0);
    // Appending goes on from the start of the emptied file.
    journal.append("{\"d\":4}", "event");
    QCOMPARE(journal.pending(), 1);
    const QList<PushJournal::Record> back = reopen(m_path);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.at(0).payload, QByteArray("{\"d\":4}"));
}

void TestPushJournal::unsettledPushesComeBackInOrder()
{
    // Payloads as they come: UTF-8 with spaces and newlines, invalid UTF-8, empty, large.
    const QList<QByteArray> payloads{u"{\"text\":\"车机 没网\\n了\"}"_s.toUtf8(),
                                     QByteArray("\xff\xfe\x00 \n x", 7), QByteArray(),
                                     QByteArray(200000, 'x')};
    {
        PushJournal journal(m_path);
        QList<PushJournal::Record> leftOver;
        QString error;
        QVERIFY2(journal.open(&leftOver, &error), qPrintable(error));
        for (const QByteArray &p : payloads)
            journal.append(p, "event");
        journal.append("{}", "type with space");
        journal.settle(1); // recorded, but the file is not emptied until all are
    }                      // a kill: nothing more happens
    const QList<PushJournal::Record> back = reopen(m_path);
    QCOMPARE(back.size(), payloads.size() + 1);
    for (qsizetype i = 0; i < payloads.size(); ++i) {
        QCOMPARE(back.at(i).payload, payloads.at(i));
        QCOMPARE(back.at(i).type, QByteArray("event"));
    }
    QCOMPARE(back.last().type, QByteArray("type_with_space"));
}

void TestPushJournal::tornLastRecordIsCutAndTheFileStaysUsable()
{
    {
        PushJournal journal(m_path);
        QList<PushJournal::Record> leftOver;
        QString error;
        QVERIFY(journal.open(&leftOver, &error));
        journal.append("one", "event");
        journal.append("two", "event");
    }
    {
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::Append));
        f.write("P1 event dGhyZW"); // killed in the middle of a write
    }
    PushJournal journal(m_path);
    QList<PushJournal::Record> leftOver;
    QString error;
    QVERIFY(journal.open(&leftOver, &error));
    QCOMPARE(leftOver.size(), 2);
    QCOMPARE(leftOver.at(1).payload, QByteArray("two"));
    journal.append("three", "event");
    const QList<PushJournal::Record> back = reopen(m_path);
    QCOMPARE(back.size(), 3);
    QCOMPARE(back.at(2).payload, QByteArray("three"));
}

void TestPushJournal::unreadableLineIsSkipped()
{
    {
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("P1 event " + QByteArray("first").toBase64() + '\n');
        f.write("not a record at all\n");
        f.write("P1 event !!!not-base64!!!\n");
        f.write("P1 event " + QByteArray("second").toBase64() + '\n');
    }
    const QList<PushJournal::Record> back = reopen(m_path);
    QCOMPARE(back.size(), 2);
    QCOMPARE(back.at(0).payload, QByteArray("first"));
    QCOMPARE(back.at(1).payload, QByteArray("second"));
}

void TestPushJournal::largeFileIsCompacted()
{
    PushJournal journal(m_path);
    QList<PushJournal::Record> leftOver;
    QString error;
    QVERIFY(journal.open(&leftOver, &error));
    const QByteArray big(300000, 'p'); // about 400 kB a record in base64
    for (int i = 0; i < 4; ++i)
        journal.append(big + QByteArray::number(i), "event");
    journal.append("last", "event");
    QVERIFY(journal.sizeBytes() > PushJournal::kCompactBytes);
    journal.settle(4); // the one left holds the file unless it is compacted
    QCOMPARE(journal.pending(), 1);
    QVERIFY2(journal.sizeBytes() < 100, qPrintable(QString::number(journal.sizeBytes())));
    journal.append("after", "event");
    QCOMPARE(journal.pending(), 2);
    journal.settle(1);
    QCOMPARE(journal.pending(), 1);
    const QList<PushJournal::Record> back = reopen(m_path);
    QCOMPARE(back.size(), 2); // settled records stay until the file is emptied or compacted
    QCOMPARE(back.at(0).payload, QByteArray("last"));
    QCOMPARE(back.at(1).payload, QByteArray("after"));
}

void TestPushJournal::unopenableFileSaysWhy()
{
    PushJournal journal(m_dir->filePath(u"missing-dir/pushes.journal"_s));
    QList<PushJournal::Record> leftOver;
    QString error;
    QVERIFY(!journal.open(&leftOver, &error));
    QVERIFY2(error.contains(u"missing-dir/pushes.journal"_s), qPrintable(error));
    QVERIFY(!journal.isOpen());
    journal.append("x", "event"); // does nothing, and does not crash
    journal.settle(1);
    QCOMPARE(journal.pending(), 0);
}

void TestPushJournal::appendAndSettleFromTwoThreads()
{
    PushJournal journal(m_path);
    QList<PushJournal::Record> leftOver;
    QString error;
    QVERIFY(journal.open(&leftOver, &error));
    constexpr int kPushes = 2000;
    std::atomic<int> appended{0};
    std::thread io([&] {
        for (int i = 0; i < kPushes; ++i) {
            journal.append("push " + QByteArray::number(i), "event");
            appended.fetch_add(1);
        }
    });
    int settled = 0;
    while (settled < kPushes) {
        const int ready = appended.load() - settled;
        if (ready > 0) {
            journal.settle(ready);
            settled += ready;
        } else {
            std::this_thread::yield();
        }
    }
    io.join();
    QCOMPARE(journal.pending(), 0);
    QCOMPARE(journal.sizeBytes(), 0);
}

QTEST_GUILESS_MAIN(TestPushJournal)
#include "tst_pushjournal.moc"

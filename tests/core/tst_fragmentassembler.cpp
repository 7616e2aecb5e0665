#include <QTest>

#include "feishu/fragmentassembler.h"

namespace {

Frame fragment(const QByteArray &messageId, int seq, int sum, const QByteArray &payload)
{
    Frame f;
    f.seqId = 100 + quint64(seq);
    f.logId = 7;
    f.service = 3;
    f.method = Frame::Data;
    f.appendHeader("type", "event");
    f.appendHeader("message_id", messageId);
    f.appendHeader("sum", QByteArray::number(sum));
    f.appendHeader("seq", QByteArray::number(seq));
    f.appendHeader("trace_id", "trace-" + QByteArray::number(seq));
    f.appendHeader("instance_id", "inst-1");
    f.payload = payload;
    return f;
}

Frame withHeaders(const QList<FrameHeader> &headers, const QByteArray &payload)
{
    Frame f;
    f.method = Frame::Data;
    f.headers = headers;
    f.payload = payload;
    return f;
}

using Outcome = FragmentAssembler::Outcome;
using namespace Qt::StringLiterals;

} // namespace

class TestFragmentAssembler final : public QObject
{
    Q_OBJECT
private slots:
    void unsplitCompletesAtOnce();
    void missingSumSeqMeansUnsplit();
    void sumZeroCompletesAtOnce();
    void outOfOrderConcatenatesInIndexOrder_data();
    void outOfOrderConcatenatesInIndexOrder();
    void completingFrameIsReturned();
    void duplicatesAreIdempotent();
    void zeroLengthFragmentCounts();
    void rejectsInvalidHeaders_data();
    void rejectsInvalidHeaders();
    void sumMismatchRejected();
    void messagesAreKeptApart();
    void expiresTenSecondsAfterFirstFragment();
    void expiryIsNotSlidByLaterFragments();
    void nextExpiry();
    void boundsBufferedBytes();
    void boundsOpenSets();
    void slotBookkeepingIsCharged();
    void clearReleasesEverything();
    void tenMegabytesInFragments();
};

void TestFragmentAssembler::unsplitCompletesAtOnce()
{
    FragmentAssembler a;
    const auto r = a.add(fragment("m1", 0, 1, "{\"x\":1}"), 0);
    QCOMPARE(r.outcome, Outcome::Complete);
    QCOMPARE(r.payload, QByteArray("{\"x\":1}"));
    QCOMPARE(r.frame.header("trace_id"), QByteArray("trace-0"));
    QCOMPARE(r.frame.seqId, 100u);
    QCOMPARE(a.openSets(), 0);
    QCOMPARE(a.bufferedBytes(), 0);
}

void TestFragmentAssembler::missingSumSeqMeansUnsplit()
{
    FragmentAssembler a;
    const auto r = a.add(withHeaders({{"type", "event"}}, "abc"), 0);
    QCOMPARE(r.outcome, Outcome::Complete);
    QCOMPARE(r.payload, QByteArray("abc"));
    // No payload at all is an empty event, still complete.
    const auto r2 = a.add(withHeaders({{"type", "event"}}, {}), 0);
    QCOMPARE(r2.outcome, Outcome::Complete);
    QVERIFY(r2.payload.isEmpty());
}

void TestFragmentAssembler::sumZeroCompletesAtOnce()
{
    FragmentAssembler a;
    const auto r = a.add(fragment("m1", 0, 0, "p"), 0);
    QCOMPARE(r.outcome, Outcome::Complete);
    QCOMPARE(r.payload, QByteArray("p"));
}

void TestFragmentAssembler::outOfOrderConcatenatesInIndexOrder_data()
{
    QTest::addColumn<QList<int>>("order");
    QTest::newRow("in order") << QList<int>{0, 1, 2, 3};
    QTest::newRow("reversed") << QList<int>{3, 2, 1, 0};
    QTest::newRow("shuffled") << QList<int>{2, 0, 3, 1};
    QTest::newRow("last first") << QList<int>{3, 0, 1, 2};
}

void TestFragmentAssembler::outOfOrderConcatenatesInIndexOrder()
{
    QFETCH(QList<int>, order);
    const QList<QByteArray> parts{"{\"sch", "ema\":\"2.0\",", "\"a\":", "\"中文\"}"};
    FragmentAssembler a;
    for (qsizetype i = 0; i < order.size(); ++i) {
        const int seq = order[i];
        const auto r = a.add(fragment("msg", seq, 4, parts[seq]), 1000 + i);
        if (i + 1 < order.size()) {
            QCOMPARE(r.outcome, Outcome::Pending);
            QCOMPARE(r.received, int(i + 1));
            QCOMPARE(r.sum, 4);
            QVERIFY(r.payload.isEmpty());
        } else {
            QCOMPARE(r.outcome, Outcome::Complete);
            QCOMPARE(r.payload, parts.join());
        }
    }
    QCOMPARE(a.openSets(), 0);
    QCOMPARE(a.bufferedBytes(), 0);
}

void TestFragmentAssembler::completingFrameIsReturned()
{
    FragmentAssembler a;
    QCOMPARE(a.add(fragment("m", 1, 3, "b"), 0).outcome, Outcome::Pending);
    QCOMPARE(a.add(fragment("m", 2, 3, "c"), 0).outcome, Outcome::Pending);
    const auto r = a.add(fragment("m", 0, 3, "a"), 0);
    QCOMPARE(r.outcome, Outcome::Complete);
    // The frame of the fragment that completed the set (seq 0), headers intact and in order.
    QCOMPARE(r.frame.seqId, 100u);
    QCOMPARE(r.frame.header("seq"), QByteArray("0"));
    QCOMPARE(r.frame.headers.size(), 6);
    QCOMPARE(r.frame.headers.at(0).key, QByteArray("type"));
    QCOMPARE(r.frame.headers.at(5).key, QByteArray("instance_id"));
    QCOMPARE(r.payload, QByteArray("abc"));
}

void TestFragmentAssembler::duplicatesAreIdempotent()
{
    FragmentAssembler a;
    QCOMPARE(a.add(fragment("m", 0, 2, "first"), 0).outcome, Outcome::Pending);
    const qsizetype bytes = a.bufferedBytes();
    const auto dup = a.add(fragment("m", 0, 2, "other"), 1);
    QCOMPARE(dup.outcome, Outcome::Duplicate);
    QCOMPARE(dup.received, 1);
    QCOMPARE(a.bufferedBytes(), bytes);
    const auto r = a.add(fragment("m", 1, 2, "-second"), 2);
    QCOMPARE(r.outcome, Outcome::Complete);
    QCOMPARE(r.payload, QByteArray("first-second")); // the first copy was kept
}

void TestFragmentAssembler::zeroLengthFragmentCounts()
{
    FragmentAssembler a;
    QCOMPARE(a.add(fragment("m", 1, 3, QByteArray()), 0).outcome, Outcome::Pending);
    Frame noPayload = fragment("m", 2, 3, {});
    noPayload.payload.reset();
    QCOMPARE(a.add(std::move(noPayload), 0).outcome, Outcome::Pending);
    // A re-sent empty fragment is a duplicate, not a "still missing" slot.
    QCOMPARE(a.add(fragment("m", 1, 3, QByteArray()), 0).outcome, Outcome::Duplicate);
    const auto r = a.add(fragment("m", 0, 3, "only"), 0);
    QCOMPARE(r.outcome, Outcome::Complete);
    QCOMPARE(r.payload, QByteArray("only"));
}

void TestFragmentAssembler::rejectsInvalidHeaders_data()
{
    QTest::addColumn<QByteArray>("sum");
    QTest::addColumn<QByteArray>("seq");
    QTest::addColumn<QByteArray>("messageId");
    QTest::addColumn<QString>("why");
    QTest::newRow("seq == sum") << QByteArray("3") << QByteArray("3") << QByteArray("m") << u"outside"_s;
    QTest::newRow("seq > sum") << QByteArray("2") << QByteArray("7") << QByteArray("m") << u"outside"_s;
    QTest::newRow("negative seq") << QByteArray("2") << QByteArray("-1") << QByteArray("m") << u"outside"_s;
    QTest::newRow("seq 1 of unsplit")
        << QByteArray("1") << QByteArray("1") << QByteArray("m") << u"outside"_s;
    QTest::newRow("negative sum") << QByteArray("-2") << QByteArray("0") << QByteArray("m") << u"negative"_s;
    QTest::newRow("sum over cap") << QByteArray("1001") << QByteArray("0") << QByteArray("m") << u"limit"_s;
    QTest::newRow("huge sum") << QByteArray("99999999999999") << QByteArray("0") << QByteArray("m")
                              << u"limit"_s;
    QTest::newRow("sum not a number")
        << QByteArray("two") << QByteArray("0") << QByteArray("m") << u"decimal"_s;
    QTest::newRow("seq with space") << QByteArray("2") << QByteArray(" 1") << QByteArray("m") << u"decimal"_s;
    QTest::newRow("empty sum") << QByteArray("") << QByteArray("0") << QByteArray("m") << u"decimal"_s;
    QTest::newRow("too many digits") << QByteArray("2") << QByteArray("0000000000000000001")
                                     << QByteArray("m") << u"decimal"_s;
    QTest::newRow("no message_id") << QByteArray("2") << QByteArray("0") << QByteArray() << u"message_id"_s;
}

void TestFragmentAssembler::rejectsInvalidHeaders()
{
    QFETCH(QByteArray, sum);
    QFETCH(QByteArray, seq);
    QFETCH(QByteArray, messageId);
    QFETCH(QString, why);
    FragmentAssembler a;
    QList<FrameHeader> headers{{"type", "event"}, {"sum", sum}, {"seq", seq}};
    if (!messageId.isEmpty())
        headers.append({"message_id", messageId});
    const auto r = a.add(withHeaders(headers, "x"), 0);
    QCOMPARE(r.outcome, Outcome::Rejected);
    QVERIFY2(r.reason.contains(why), qPrintable(r.reason));
    QVERIFY(r.payload.isEmpty());
    QCOMPARE(a.openSets(), 0);
    QCOMPARE(a.bufferedBytes(), 0);
}

void TestFragmentAssembler::sumMismatchRejected()
{
    FragmentAssembler a;
    QCOMPARE(a.add(fragment("m", 0, 3, "a"), 0).outcome, Outcome::Pending);
    const auto r = a.add(fragment("m", 1, 2, "b"), 0);
    QCOMPARE(r.outcome, Outcome::Rejected);
    QVERIFY2(r.reason.contains(u"sum=2"), qPrintable(r.reason));
    QCOMPARE(r.received, 1);
    QCOMPARE(a.add(fragment("m", 1, 3, "b"), 0).outcome, Outcome::Pending);
    QCOMPARE(a.add(fragment("m", 2, 3, "c"), 0).payload, QByteArray("abc"));
}

void TestFragmentAssembler::messagesAreKeptApart()
{
    FragmentAssembler a;
    QCOMPARE(a.add(fragment("A", 0, 2, "A0"), 0).outcome, Outcome::Pending);
    QCOMPARE(a.add(fragment("B", 1, 2, "B1"), 0).outcome, Outcome::Pending);
    QCOMPARE(a.openSets(), 2);
    QCOMPARE(a.add(fragment("B", 0, 2, "B0"), 0).payload, QByteArray("B0B1"));
    QCOMPARE(a.add(fragment("A", 1, 2, "A1"), 0).payload, QByteArray("A0A1"));
    QCOMPARE(a.openSets(), 0);
}

void TestFragmentAssembler::expiresTenSecondsAfterFirstFragment()
{
    FragmentAssembler a;
    QCOMPARE(a.limits().ttlMs, 10000);
    QCOMPARE(a.add(fragment("m", 0, 2, "a"), 1000).outcome, Outcome::Pending);
    QCOMPARE(a.expire(10999), 0);
    QCOMPARE(a.openSets(), 1);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"incomplete message m dropped .* 1/2 fragments"_s));
    QCOMPARE(a.expire(11000), 1);
    QCOMPARE(a.openSets(), 0);
    QCOMPARE(a.bufferedBytes(), 0);
    QCOMPARE(a.expiredTotal(), 1);
    // The late second fragment now starts a new, incomplete set instead of completing garbage.
    QCOMPARE(a.add(fragment("m", 1, 2, "b"), 11001).outcome, Outcome::Pending);
}

void TestFragmentAssembler::expiryIsNotSlidByLaterFragments()
{
    FragmentAssembler a;
    QCOMPARE(a.add(fragment("m", 0, 3, "a"), 0).outcome, Outcome::Pending);
    QCOMPARE(a.add(fragment("m", 1, 3, "b"), 9000).outcome, Outcome::Pending);
    // 10 s after the FIRST fragment, even though another came 1 s ago: add() sweeps first.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"incomplete message m dropped .* 2/3"_s));
    const auto r = a.add(fragment("m", 2, 3, "c"), 10000);
    QCOMPARE(r.outcome, Outcome::Pending);
    QCOMPARE(r.received, 1);
}

void TestFragmentAssembler::nextExpiry()
{
    FragmentAssembler::Limits limits;
    limits.ttlMs = 500;
    FragmentAssembler a(limits);
    QVERIFY(!a.nextExpiryMs().has_value());
    a.add(fragment("x", 0, 2, "a"), 100);
    a.add(fragment("y", 0, 2, "a"), 300);
    QCOMPARE(a.nextExpiryMs().value(), 600);
    a.add(fragment("x", 1, 2, "b"), 350); // x completes: y is now the oldest
    QCOMPARE(a.nextExpiryMs().value(), 800);
}

void TestFragmentAssembler::boundsBufferedBytes()
{
    FragmentAssembler::Limits limits;
    limits.maxBufferedBytes = 2 * FragmentAssembler::kSlotOverheadBytes + 100;
    FragmentAssembler a(limits);
    QCOMPARE(a.add(fragment("m", 0, 2, QByteArray(60, 'a')), 0).outcome, Outcome::Pending);
    const auto over = a.add(fragment("m", 1, 2, QByteArray(41, 'b')), 0);
    QCOMPARE(over.outcome, Outcome::Rejected);
    QVERIFY2(over.reason.contains(u"limit"), qPrintable(over.reason));
    QVERIFY(a.bufferedBytes() <= limits.maxBufferedBytes);
    // Within the budget it still completes.
    const auto ok = a.add(fragment("m", 1, 2, QByteArray(40, 'b')), 0);
    QCOMPARE(ok.outcome, Outcome::Complete);
    QCOMPARE(ok.payload.size(), 100);
    // An unsplit frame is never buffered, so the byte bound does not apply to it.
    QCOMPARE(a.add(fragment("n", 0, 1, QByteArray(1000, 'c')), 0).outcome, Outcome::Complete);
}

void TestFragmentAssembler::boundsOpenSets()
{
    FragmentAssembler::Limits limits;
    limits.maxOpenSets = 3;
    FragmentAssembler a(limits);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(a.add(fragment("m" + QByteArray::number(i), 0, 2, "x"), 0).outcome, Outcome::Pending);
    const auto r = a.add(fragment("m9", 0, 2, "x"), 0);
    QCOMPARE(r.outcome, Outcome::Rejected);
    QVERIFY2(r.reason.contains(u"incomplete messages"), qPrintable(r.reason));
    // Fragments of sets already open are still accepted.
    QCOMPARE(a.add(fragment("m1", 1, 2, "y"), 0).outcome, Outcome::Complete);
    QCOMPARE(a.add(fragment("m9", 0, 2, "x"), 0).outcome, Outcome::Pending);
}

void TestFragmentAssembler::slotBookkeepingIsCharged()
{
    // 1000-slot sets with 1-byte payloads must still hit the byte bound.
    FragmentAssembler::Limits limits;
    limits.maxBufferedBytes = 10 * 1000 * FragmentAssembler::kSlotOverheadBytes;
    limits.maxOpenSets = 1000000;
    FragmentAssembler a(limits);
    int accepted = 0;
    for (int i = 0; i < 50; ++i) {
        if (a.add(fragment("m" + QByteArray::number(i), 0, 1000, "x"), 0).outcome == Outcome::Pending)
            ++accepted;
    }
    QVERIFY(accepted < 10);
    QVERIFY(accepted >= 9);
    QVERIFY(a.bufferedBytes() <= limits.maxBufferedBytes);
}

void TestFragmentAssembler::clearReleasesEverything()
{
    FragmentAssembler a;
    a.add(fragment("m", 0, 2, "abc"), 0);
    QVERIFY(a.bufferedBytes() > 0);
    a.clear();
    QCOMPARE(a.openSets(), 0);
    QCOMPARE(a.bufferedBytes(), 0);
    QVERIFY(!a.nextExpiryMs().has_value());
    QCOMPARE(a.add(fragment("m", 1, 2, "b"), 0).outcome, Outcome::Pending);
}

void TestFragmentAssembler::tenMegabytesInFragments()
{
    // Issue 5, bad input: a 10 MB event pushed in 10 fragments, out of order, is assembled once,
    // byte for byte, and leaves nothing buffered; with a smaller byte bound it is rejected
    // instead, and that rejection frees what the set held.
    const qsizetype part = 1024 * 1024;
    QList<QByteArray> parts;
    for (int i = 0; i < 10; ++i)
        parts << QByteArray(part, char('a' + i));
    FragmentAssembler a;
    const QList<int> order = {3, 9, 0, 5, 1, 8, 2, 7, 4, 6};
    FragmentAssembler::Result r;
    for (const int seq : order)
        r = a.add(fragment("m10", seq, 10, parts.at(seq)), 0);
    QCOMPARE(r.outcome, Outcome::Complete);
    QCOMPARE(r.payload.size(), 10 * part);
    QCOMPARE(r.payload, parts.join());
    QCOMPARE(a.openSets(), 0);
    QCOMPARE(a.bufferedBytes(), 0);

    FragmentAssembler::Limits limits;
    limits.maxBufferedBytes = 4 * part;
    FragmentAssembler small(limits);
    Outcome last = Outcome::Pending;
    QString reason;
    for (const int seq : order) {
        const auto res = small.add(fragment("m10", seq, 10, parts.at(seq)), 0);
        last = res.outcome;
        reason = res.reason;
        if (last == Outcome::Rejected)
            break;
    }
    QCOMPARE(last, Outcome::Rejected);
    QVERIFY(!reason.isEmpty());
    QVERIFY(small.bufferedBytes() <= limits.maxBufferedBytes);
}

QTEST_GUILESS_MAIN(TestFragmentAssembler)
#include "tst_fragmentassembler.moc"

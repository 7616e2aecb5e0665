#include <QTest>

#include "feishu/frame.h"

class TestFrameCodec final : public QObject
{
    Q_OBJECT
private slots:
    void pingMatchesSpecBytes();
    void roundTrip();
    void requiredFieldsAlwaysEncoded();
    void skipsUnknownFields();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void headerLookupFirstWins();
    void tenMegabyteFrame();
};

void TestFrameCodec::pingMatchesSpecBytes()
{
    // spec §3.5: service_id = 33554678, 25 bytes.
    const QByteArray expected = QByteArray::fromHex("0800100018F681801020002A0C0A0474797065120470696E67");
    QCOMPARE(FrameCodec::encode(FrameCodec::makePing(33554678)), expected);
    Frame f;
    QVERIFY(FrameCodec::decode(expected, &f));
    QCOMPARE(f.service, 33554678);
    QCOMPARE(f.header("type"), QByteArray("ping"));
    QVERIFY(!f.payload.has_value());
}

void TestFrameCodec::roundTrip()
{
    Frame f;
    f.seqId = 1234567890123ULL;
    f.logId = 42;
    f.service = 7;
    f.method = Frame::Data;
    f.appendHeader("type", "event");
    f.appendHeader("message_id", "m1");
    f.appendHeader("instance_id", "inst-\xe4\xb8\xad");
    f.payloadEncoding = QByteArray();
    f.payload = QByteArray("{\"a\":1}");
    f.logIdNew = QByteArray("log-new");
    Frame g;
    QString err;
    QVERIFY2(FrameCodec::decode(FrameCodec::encode(f), &g, &err), qPrintable(err));
    QCOMPARE(g, f);
}

void TestFrameCodec::requiredFieldsAlwaysEncoded()
{
    const QByteArray bytes = FrameCodec::encode(Frame{});
    QCOMPARE(bytes, QByteArray::fromHex("0800100018002000"));
}

void TestFrameCodec::skipsUnknownFields()
{
    QByteArray bytes = FrameCodec::encode(FrameCodec::makePing(1));
    bytes += QByteArray::fromHex("5005");               // field 10 varint
    bytes += QByteArray::fromHex("5A03616263");         // field 11 bytes
    bytes += QByteArray::fromHex("6501020304");         // field 12 fixed32
    bytes += QByteArray::fromHex("690102030405060708"); // field 13 fixed64
    Frame f;
    QString err;
    QVERIFY2(FrameCodec::decode(bytes, &f, &err), qPrintable(err));
    QCOMPARE(f.header("type"), QByteArray("ping"));
}

void TestFrameCodec::rejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("missing required");
    QTest::newRow("truncated varint") << QByteArray::fromHex("08FF") << QStringLiteral("truncated varint");
    QTest::newRow("overlong varint") << QByteArray::fromHex("08FFFFFFFFFFFFFFFFFFFF01")
                                     << QStringLiteral("longer than 10");
    QTest::newRow("length past end") << QByteArray::fromHex("0800100018002000420A6162")
                                     << QStringLiteral("runs past the end");
    QTest::newRow("huge length") << QByteArray::fromHex("080010001800200042FFFFFFFF0F")
                                 << QStringLiteral("runs past the end");
    QTest::newRow("wrong wire type") << QByteArray::fromHex("0A00") << QStringLiteral("wire type");
    QTest::newRow("field zero") << QByteArray::fromHex("0000") << QStringLiteral("field number 0");
    QTest::newRow("missing method") << QByteArray::fromHex("080010001800") << QStringLiteral("method");
    QTest::newRow("header without value")
        << QByteArray::fromHex("08001000180020002A030A0161") << QStringLiteral("header");
    QTest::newRow("wire type 3") << QByteArray::fromHex("08001000180020005B")
                                 << QStringLiteral("unsupported wire");
}

void TestFrameCodec::rejectsMalformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, why);
    Frame f;
    f.seqId = 99;
    QString err;
    QVERIFY(!FrameCodec::decode(bytes, &f, &err));
    QVERIFY2(err.contains(why), qPrintable(err));
    QCOMPARE(f.seqId, quint64(99)); // output untouched on failure
}

void TestFrameCodec::headerLookupFirstWins()
{
    Frame f;
    f.appendHeader("k", "1");
    f.appendHeader("k", "2");
    QCOMPARE(f.header("k"), QByteArray("1"));
    QVERIFY(!f.hasHeader("x"));
    QCOMPARE(f.header("x", "d"), QByteArray("d"));
}

void TestFrameCodec::tenMegabyteFrame()
{
    // Issue 5, bad input: a 10 MB event frame is within the decoder's 16 MiB bound and survives
    // encode -> decode whole; one byte over the bound is rejected with a reason, output untouched.
    Frame f;
    f.seqId = 1;
    f.logId = 2;
    f.service = 3;
    f.method = Frame::Data;
    f.appendHeader("type", "event");
    f.appendHeader("message_id", "m10");
    QByteArray payload(10 * 1024 * 1024, 'x');
    payload[0] = '{';
    payload[payload.size() - 1] = '}';
    f.payload = payload;
    const QByteArray bytes = FrameCodec::encode(f);
    QVERIFY(bytes.size() > 10 * 1024 * 1024);
    Frame g;
    QString err;
    QVERIFY2(FrameCodec::decode(bytes, &g, &err), qPrintable(err));
    QCOMPARE(g, f);

    QByteArray tooBig = bytes;
    tooBig.append(QByteArray(FrameCodec::kMaxFrameBytes + 1 - tooBig.size(), '\0'));
    Frame h;
    h.seqId = 99;
    QVERIFY(!FrameCodec::decode(tooBig, &h, &err));
    QVERIFY2(err.contains(QLatin1String("limit")), qPrintable(err));
    QCOMPARE(h.seqId, quint64(99));
}

QTEST_GUILESS_MAIN(TestFrameCodec)
#include "tst_framecodec.moc"

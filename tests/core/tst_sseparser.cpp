#include <QTest>

#include "assistant/sseparser.h"

class TestSseParser final : public QObject
{
    Q_OBJECT
private slots:
    void singleEvent();
    void lineEndings_data();
    void lineEndings();
    void crlfSplitBetweenChunks();
    void everySplitGivesSameEvents();
    void multiLineDataJoined();
    void commentsAndUnknownFieldsIgnored();
    void fieldParsing();
    void eventTypeAndId();
    void idWithNulIgnored();
    void retryField();
    void emptyLineWithoutDataDispatchesNothing();
    void bomOnlyStrippedAtStart();
    void doneSentinelIsPlainData();
    void incompleteEventDroppedAtFinish();
    void overlongLineIsError();
    void overlongLineAcrossChunksIsError();
    void lineJustUnderLimitAccepted();
    void oversizedEventIsError();
    void invalidUtf8Replaced();
    void multibyteSplitAcrossChunks();
    void resetClearsEverything();
};

static QList<SseEvent> parseAll(const QByteArray &bytes)
{
    SseParser p;
    [&] { QVERIFY(p.feed(bytes)); }();
    return p.takeEvents();
}

void TestSseParser::singleEvent()
{
    const auto events = parseAll("data: hello\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QStringLiteral("hello"));
    QCOMPARE(events[0].event, QStringLiteral("message"));
    QCOMPARE(events[0].id, QString());
}

void TestSseParser::lineEndings_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("lf") << QByteArray("data: a\ndata: b\n\ndata: c\n\n");
    QTest::newRow("crlf") << QByteArray("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n");
    QTest::newRow("cr") << QByteArray("data: a\rdata: b\r\rdata: c\r\r");
    QTest::newRow("mixed") << QByteArray("data: a\r\ndata: b\r\ndata: c\r\n\n");
}

void TestSseParser::lineEndings()
{
    QFETCH(QByteArray, stream);
    const auto events = parseAll(stream);
    if (QByteArray(QTest::currentDataTag()) == "mixed") {
        // "\r\n\n" is one CRLF then an empty LF line: a single event with three lines.
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QStringLiteral("a\nb\nc"));
        return;
    }
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].data, QStringLiteral("a\nb"));
    QCOMPARE(events[1].data, QStringLiteral("c"));
}

void TestSseParser::crlfSplitBetweenChunks()
{
    // If the '\n' of a CRLF arriving in the next chunk were taken as an empty line, "a" would be
    // dispatched on its own.
    SseParser p;
    QVERIFY(p.feed("data: a\r"));
    QVERIFY(p.feed("\ndata: b\r"));
    QVERIFY(p.feed("\n\r"));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QStringLiteral("a\nb"));
}

void TestSseParser::everySplitGivesSameEvents()
{
    const QByteArray stream = QByteArray(": keep-alive\r\n")
        + "id: 7\r\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\"\xE6\x82\xA8\xE5\xA5\xBD\"}}]}\r\n\r\n"
        + "event: update\n"
        + "data: line1\n"
        + "data: line2\n\n"
        + "data: x\r\rdata: [DONE]\r\n\r\n";
    const QList<SseEvent> expected = parseAll(stream);
    QCOMPARE(expected.size(), 4);
    QCOMPARE(expected[0].data, QStringLiteral("{\"choices\":[{\"delta\":{\"content\":\"您好\"}}]}"));
    QCOMPARE(expected[0].id, QStringLiteral("7"));
    QCOMPARE(expected[1].event, QStringLiteral("update"));
    QCOMPARE(expected[1].data, QStringLiteral("line1\nline2"));
    QCOMPARE(expected[2].data, QStringLiteral("x"));
    QCOMPARE(expected[3].data, QStringLiteral("[DONE]"));

    // Two chunks, split at every position.
    for (qsizetype i = 0; i <= stream.size(); ++i) {
        SseParser p;
        QVERIFY(p.feed(QByteArrayView(stream).first(i)));
        QVERIFY(p.feed(QByteArrayView(stream).sliced(i)));
        QCOMPARE(p.takeEvents(), expected);
    }
    // Byte by byte.
    SseParser p;
    QList<SseEvent> got;
    for (char c : stream) {
        QVERIFY(p.feed(QByteArrayView(&c, 1)));
        got += p.takeEvents();
    }
    QCOMPARE(got, expected);
    QCOMPARE(p.invalidUtf8Count(), 0);
}

void TestSseParser::multiLineDataJoined()
{
    const auto events = parseAll("data: first\ndata:second\ndata\ndata: fourth\n\n");
    QCOMPARE(events.size(), 1);
    // "data" without a colon is a data line with an empty value.
    QCOMPARE(events[0].data, QStringLiteral("first\nsecond\n\nfourth"));
}

void TestSseParser::commentsAndUnknownFieldsIgnored()
{
    const auto events = parseAll(":comment\n: another\nfoo: bar\nDATA: upper case is another field\ndata: kept\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QStringLiteral("kept"));
}

void TestSseParser::fieldParsing()
{
    // Only one leading space is removed; a colon inside the value is part of it.
    const auto events = parseAll("data:  two spaces\ndata:a:b:c\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QStringLiteral(" two spaces\na:b:c"));
}

void TestSseParser::eventTypeAndId()
{
    SseParser p;
    QVERIFY(p.feed("event: delta\nid: 42\ndata: one\n\ndata: two\n\nid\ndata: three\n\n"));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 3);
    QCOMPARE(events[0].event, QStringLiteral("delta"));
    QCOMPARE(events[0].id, QStringLiteral("42"));
    // The event type resets after a dispatch; the id stays until it is set again.
    QCOMPARE(events[1].event, QStringLiteral("message"));
    QCOMPARE(events[1].id, QStringLiteral("42"));
    QCOMPARE(events[2].id, QString());
    QCOMPARE(p.lastEventId(), QString());
}

void TestSseParser::idWithNulIgnored()
{
    SseParser p;
    static const char stream[] = "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n";
    QVERIFY(p.feed(QByteArray(stream, sizeof(stream) - 1)));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].id, QStringLiteral("1"));
}

void TestSseParser::retryField()
{
    SseParser p;
    QVERIFY(p.feed("retry: 1500\n\n"));
    QCOMPARE(p.reconnectionTimeMs(), 1500);
    QVERIFY(p.feed("retry: 15x\nretry: 99999999999999\n\n"));
    QCOMPARE(p.reconnectionTimeMs(), 1500);
    QVERIFY(p.takeEvents().isEmpty());
}

void TestSseParser::emptyLineWithoutDataDispatchesNothing()
{
    SseParser p;
    QVERIFY(p.feed("\n\n\nevent: x\n\ndata: y\n\n"));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 1);
    // The "event: x" block had no data, so its type was discarded with it.
    QCOMPARE(events[0].event, QStringLiteral("message"));
    QCOMPARE(events[0].data, QStringLiteral("y"));
}

void TestSseParser::bomOnlyStrippedAtStart()
{
    const auto events = parseAll("\xEF\xBB\xBF" "data: a\n\n\xEF\xBB\xBF" "data: b\n\n");
    QCOMPARE(events.size(), 1); // the second BOM makes the field name unknown
    QCOMPARE(events[0].data, QStringLiteral("a"));
}

void TestSseParser::doneSentinelIsPlainData()
{
    const auto events = parseAll("data: [DONE]\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QStringLiteral("[DONE]"));
}

void TestSseParser::incompleteEventDroppedAtFinish()
{
    SseParser p;
    QVERIFY(p.feed("data: complete\n\ndata: cut"));
    QCOMPARE(p.takeEvents().size(), 1);
    QVERIFY(p.finish());
    QVERIFY(p.takeEvents().isEmpty());
    QVERIFY(!p.finish()); // nothing left the second time
    QVERIFY(p.feed("data: again\n\n"));
    QCOMPARE(p.takeEvents().size(), 1);
}

void TestSseParser::overlongLineIsError()
{
    SseParser p(1024, 4096);
    QByteArray line = "data: " + QByteArray(2000, 'x') + "\n\n";
    QVERIFY(!p.feed(line));
    QVERIFY(p.hasError());
    QVERIFY(p.errorString().contains(QLatin1String("1024")));
    QVERIFY(p.takeEvents().isEmpty());
    // Stays in the error state and holds no memory.
    QVERIFY(!p.feed("data: ok\n\n"));
    QCOMPARE(p.bufferedBytes(), 0);
}

void TestSseParser::overlongLineAcrossChunksIsError()
{
    // The default limit is 1 MiB: a line that never ends must not grow without bound.
    SseParser p;
    const QByteArray chunk(64 * 1024, 'y');
    bool ok = p.feed("data: ");
    int fed = 0;
    while (ok && fed < 100) {
        ok = p.feed(chunk);
        ++fed;
        QVERIFY(p.bufferedBytes() <= SseParser::kDefaultMaxLineBytes);
    }
    QVERIFY(!ok);
    QVERIFY(fed <= 17);
    QVERIFY(p.hasError());
}

void TestSseParser::lineJustUnderLimitAccepted()
{
    SseParser p(1024, 4096);
    const QByteArray line = "data: " + QByteArray(1024 - 6, 'z');
    QVERIFY(p.feed(line.left(500)));
    QVERIFY(p.feed(line.mid(500)));
    QVERIFY(p.feed("\n\n"));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data.size(), 1024 - 6);
}

void TestSseParser::oversizedEventIsError()
{
    SseParser p(1024, 4096);
    bool ok = true;
    for (int i = 0; i < 10 && ok; ++i)
        ok = p.feed(QByteArray("data: " + QByteArray(1000, 'a') + '\n'));
    QVERIFY(!ok);
    QVERIFY(p.errorString().contains(QLatin1String("4096")));
    QVERIFY(p.takeEvents().isEmpty());
}

void TestSseParser::invalidUtf8Replaced()
{
    SseParser p;
    QVERIFY(p.feed("data: ok\xFF\xFE" "end\n\ndata: fine\n\n"));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 2);
    QVERIFY(events[0].data.startsWith(QLatin1String("ok")));
    QVERIFY(events[0].data.endsWith(QLatin1String("end")));
    QVERIFY(events[0].data.contains(QChar::ReplacementCharacter));
    QCOMPARE(events[1].data, QStringLiteral("fine"));
    QCOMPARE(p.invalidUtf8Count(), 1);
}

void TestSseParser::multibyteSplitAcrossChunks()
{
    const QByteArray text = QStringLiteral("车机没网了").toUtf8();
    SseParser p;
    QVERIFY(p.feed(QByteArray("data: " + text.left(4))));
    QVERIFY(p.feed(text.mid(4, 5)));
    QVERIFY(p.feed(QByteArray(text.mid(9) + "\n\n")));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].data, QStringLiteral("车机没网了"));
    QCOMPARE(p.invalidUtf8Count(), 0);
}

void TestSseParser::resetClearsEverything()
{
    SseParser p(64, 128);
    QVERIFY(!p.feed(QByteArray(100, 'q')));
    p.reset();
    QVERIFY(!p.hasError());
    QVERIFY(p.feed("id: 3\ndata: after reset\n\n"));
    const auto events = p.takeEvents();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].id, QStringLiteral("3"));
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"

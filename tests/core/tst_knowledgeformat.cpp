#include <QTest>

#include "knowledge/knowledgeformat.h"

using namespace Qt::Literals::StringLiterals;

// For QCOMPARE's message (found by argument-dependent lookup).
char *toString(const KnowledgeRowError &e)
{
    return QTest::toString(u"%1: %2"_s.arg(e.line).arg(e.reason));
}

class TestKnowledgeFormat final : public QObject
{
    Q_OBJECT
private slots:
    void formatForPath_data();
    void formatForPath();
    void jsonlReadsSharedFields();
    void jsonlSkipsBlankLines();
    void jsonlErrors_data();
    void jsonlErrors();
    void jsonlReportsEveryBadLine();
    void duplicateIdNamesFirstLine();
    void jsonArray();
    void csvWithHeaderInAnyOrder();
    void csvQuotedFieldsAndCrlf();
    void csvListCellAsJsonArray();
    void csvHeaderErrors_data();
    void csvHeaderErrors();
    void csvRowErrors_data();
    void csvRowErrors();
    void csvLineNumbersCountPhysicalLines();
    void csvInvalidUtf8AfterLoneCr_data();
    void csvInvalidUtf8AfterLoneCr();
    void bomAfterFileStartIsRejected_data();
    void bomAfterFileStartIsRejected();
    void bomInsideValueIsKept_data();
    void bomInsideValueIsKept();
    void loneSurrogateIsRejected_data();
    void loneSurrogateIsRejected();
    void surrogatePairIsAccepted();
    void roundTrip_data();
    void roundTrip();
    void sharedDataParses();
    void errorListIsBounded();
    void validate_data();
    void validate();
    void validateRejectsBadText();

private:
    static KnowledgeEntry sample(const QString &id = u"KB-0001"_s);
};

KnowledgeEntry TestKnowledgeFormat::sample(const QString &id)
{
    KnowledgeEntry e;
    e.id = id;
    e.title = u"T-Box 离线，远程控制失败"_s;
    e.category = u"T-Box离线"_s;
    e.vehicleModels = {u"云驰 E5"_s, u"朔风 T3"_s};
    e.symptoms = {u"APP显示车辆离线"_s, u"远程解锁报E-1023, \"超时\""_s};
    e.cause = u"T-Box 深度休眠"_s;
    e.solution = u"1. 启动车辆唤醒 T-Box\n2. 重试远程解锁"_s;
    e.tags = {u"tbox"_s, u"离线"_s};
    e.source = u"operator"_s;
    e.updatedAt = u"2026-03-01T10:00:00+08:00"_s;
    return e;
}

void TestKnowledgeFormat::formatForPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("format");
    QTest::newRow("jsonl") << u"/x/kb.jsonl"_s << int(KnowledgeFormat::Format::Jsonl);
    QTest::newRow("ndjson") << u"kb.NDJSON"_s << int(KnowledgeFormat::Format::Jsonl);
    QTest::newRow("json") << u"kb.json"_s << int(KnowledgeFormat::Format::Json);
    QTest::newRow("csv") << u"kb.CSV"_s << int(KnowledgeFormat::Format::Csv);
    QTest::newRow("txt") << u"kb.txt"_s << int(KnowledgeFormat::Format::Unknown);
    QTest::newRow("none") << u"kb"_s << int(KnowledgeFormat::Format::Unknown);
}

void TestKnowledgeFormat::formatForPath()
{
    QFETCH(QString, path);
    QFETCH(int, format);
    QCOMPARE(int(KnowledgeFormat::formatForPath(path)), format);
}

void TestKnowledgeFormat::jsonlReadsSharedFields()
{
    const QByteArray line =
        R"({"id": "KB-0007", "title": "车机无法联网", "category": "车机联网/4G信号", "vehicle_models": ["全系车型"], "symptoms": ["车机没网", "4G图标不见了"], "cause": "APN 配置丢失", "solution": "1. 重启车机\n2. 恢复 APN", "tags": ["4G", "APN"], "updated_at": "2026-02-03T09:30:00+08:00"})";
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(line + "\n");
    QVERIFY(r.ok());
    QCOMPARE(r.entries.size(), 1);
    const KnowledgeEntry &e = r.entries.front();
    QCOMPARE(e.id, u"KB-0007"_s);
    QCOMPARE(e.title, u"车机无法联网"_s);
    QCOMPARE(e.category, u"车机联网/4G信号"_s);
    QCOMPARE(e.vehicleModels, QStringList{u"全系车型"_s});
    QCOMPARE(e.symptoms, (QStringList{u"车机没网"_s, u"4G图标不见了"_s}));
    QCOMPARE(e.solution, u"1. 重启车机\n2. 恢复 APN"_s);
    QCOMPARE(e.tags, (QStringList{u"4G"_s, u"APN"_s}));
    QCOMPARE(e.source, u"imported"_s); // the default when the file has none
    QCOMPARE(e.updatedAt, u"2026-02-03T09:30:00+08:00"_s);
    QCOMPARE(r.lines, QList<qint64>{1});
}

void TestKnowledgeFormat::jsonlSkipsBlankLines()
{
    const QByteArray data = "\n{\"id\":\"A\",\"title\":\"t\"}\n   \n{\"id\":\"B\",\"title\":\"t\"}\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(data);
    QVERIFY(r.ok());
    QCOMPARE(r.entries.size(), 2);
    QCOMPARE(r.lines, (QList<qint64>{2, 4}));
}

void TestKnowledgeFormat::jsonlErrors_data()
{
    QTest::addColumn<QByteArray>("badLine");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("not json") << QByteArray("{\"id\": \"X\", ") << u"bad JSON"_s;
    QTest::newRow("array") << QByteArray("[1, 2]") << u"not a JSON object"_s;
    QTest::newRow("no id") << QByteArray(R"({"title": "t"})") << u"missing \"id\""_s;
    QTest::newRow("empty id") << QByteArray(R"({"id": "", "title": "t"})") << u"\"id\" is empty"_s;
    QTest::newRow("no title") << QByteArray(R"({"id": "X"})") << u"missing \"title\""_s;
    QTest::newRow("title number") << QByteArray(R"({"id": "X", "title": 5})")
                                  << u"\"title\" must be a string"_s;
    QTest::newRow("tags not list") << QByteArray(R"({"id": "X", "title": "t", "tags": "a"})")
                                   << u"\"tags\" must be an array of strings"_s;
    QTest::newRow("tag not string") << QByteArray(R"({"id": "X", "title": "t", "tags": ["a", 1]})")
                                    << u"\"tags\" must be an array of strings"_s;
    QTest::newRow("bad source") << QByteArray(R"({"id": "X", "title": "t", "source": "web"})")
                                << u"\"source\" must be one of"_s;
    QTest::newRow("bad date") << QByteArray(R"({"id": "X", "title": "t", "updated_at": "yesterday"})")
                              << u"\"updated_at\" is not an ISO-8601"_s;
    QTest::newRow("invalid utf-8") << QByteArray("{\"id\": \"X\", \"title\": \"\xff\xfe\"}")
                                   << u"invalid UTF-8"_s;
}

void TestKnowledgeFormat::jsonlErrors()
{
    QFETCH(QByteArray, badLine);
    QFETCH(QString, reasonPart);
    const QByteArray data =
        "{\"id\":\"A\",\"title\":\"t\"}\n{\"id\":\"B\",\"title\":\"t\"}\n" + badLine + "\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(data);
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.front().line, qint64(3));
    QVERIFY2(r.errors.front().reason.contains(reasonPart), qPrintable(r.errors.front().reason));
}

void TestKnowledgeFormat::jsonlReportsEveryBadLine()
{
    const QByteArray data =
        "{\"id\":\"A\",\"title\":\"t\"}\nnope\n{\"id\":\"C\",\"title\":\"t\"}\n{\"id\":\"D\"}\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(data);
    QCOMPARE(r.errors.size(), 2);
    QCOMPARE(r.errors.at(0).line, qint64(2));
    QCOMPARE(r.errors.at(1).line, qint64(4));
}

void TestKnowledgeFormat::duplicateIdNamesFirstLine()
{
    const QByteArray data =
        "{\"id\":\"A\",\"title\":\"t\"}\n{\"id\":\"B\",\"title\":\"t\"}\n{\"id\":\"A\",\"title\":\"u\"}\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(data);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.front().line, qint64(3));
    QVERIFY(r.errors.front().reason.contains(u"duplicate id \"A\""_s));
    QVERIFY(r.errors.front().reason.contains(u"line 1"_s));
}

void TestKnowledgeFormat::jsonArray()
{
    const KnowledgeParseResult ok = KnowledgeFormat::parse(
        R"([{"id":"A","title":"t"},{"id":"B","title":"u"}])", KnowledgeFormat::Format::Json);
    QVERIFY(ok.ok());
    QCOMPARE(ok.entries.size(), 2);
    const KnowledgeParseResult bad = KnowledgeFormat::parseJsonArray(R"([{"id":"A","title":"t"}, 7])");
    QCOMPARE(bad.errors.size(), 1);
    QVERIFY(bad.errors.front().reason.startsWith(u"item 2: "_s));
}

void TestKnowledgeFormat::csvWithHeaderInAnyOrder()
{
    const QByteArray data = "\xEF\xBB\xBFtitle,id,tags,unknown_column\n"
                            "远程解锁失败,KB-1,远程|解锁,ignored\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseCsv(data);
    QVERIFY2(r.ok(), r.errors.isEmpty() ? "" : qPrintable(r.errors.front().reason));
    QCOMPARE(r.entries.size(), 1);
    QCOMPARE(r.entries.front().id, u"KB-1"_s);
    QCOMPARE(r.entries.front().title, u"远程解锁失败"_s);
    QCOMPARE(r.entries.front().tags, (QStringList{u"远程"_s, u"解锁"_s}));
    QCOMPARE(r.lines, QList<qint64>{2});
}

void TestKnowledgeFormat::csvQuotedFieldsAndCrlf()
{
    const QByteArray data = "id,title,solution\r\n"
                            "KB-1,\"标题, 带逗号\",\"1. 第一步\r\n2. 说 \"\"重启\"\"\"\r\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseCsv(data);
    QVERIFY(r.ok());
    QCOMPARE(r.entries.front().title, u"标题, 带逗号"_s);
    QVERIFY(r.entries.front().solution.contains(u"说 \"重启\""_s));
    QVERIFY(r.entries.front().solution.contains(u"第一步"_s));
}

void TestKnowledgeFormat::csvListCellAsJsonArray()
{
    const QByteArray data = "id,title,symptoms\nKB-1,t,\"[\"\"a|b\"\", \"\"c\"\"]\"\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseCsv(data);
    QVERIFY(r.ok());
    QCOMPARE(r.entries.front().symptoms, (QStringList{u"a|b"_s, u"c"_s}));
}

void TestKnowledgeFormat::csvHeaderErrors_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("no id column") << QByteArray("title,tags\nt,a\n")
                                  << u"header: the columns \"id\" and \"title\" are required"_s;
    QTest::newRow("column twice") << QByteArray("id,title,id\nA,t,A\n")
                                  << u"header: the column \"id\" appears twice"_s;
    QTest::newRow("empty file") << QByteArray("") << u"no header row"_s;
}

void TestKnowledgeFormat::csvHeaderErrors()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, reasonPart);
    const KnowledgeParseResult r = KnowledgeFormat::parseCsv(data);
    QVERIFY(!r.ok());
    QVERIFY(r.entries.isEmpty());
    QCOMPARE(r.errors.front().line, qint64(1));
    QVERIFY2(r.errors.front().reason.contains(reasonPart), qPrintable(r.errors.front().reason));
}

void TestKnowledgeFormat::csvRowErrors_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("too few fields") << QByteArray("KB-3") << u"the row has 1 fields, the header has 3"_s;
    QTest::newRow("too many fields") << QByteArray("KB-3,t,a,b") << u"the row has 4 fields"_s;
    QTest::newRow("empty title") << QByteArray("KB-3,,a") << u"missing \"title\""_s;
    QTest::newRow("text after quote") << QByteArray("KB-3,\"t\"x,a") << u"after a closing quote"_s;
    QTest::newRow("bad list json") << QByteArray("KB-3,t,\"[1]\"") << u"\"tags\""_s;
    QTest::newRow("duplicate id") << QByteArray("KB-1,t,a") << u"duplicate id"_s;
}

void TestKnowledgeFormat::csvRowErrors()
{
    QFETCH(QByteArray, row);
    QFETCH(QString, reasonPart);
    const QByteArray data = "id,title,tags\nKB-1,t,a\nKB-2,t,b\n" + row + "\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseCsv(data);
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.front().line, qint64(4));
    QVERIFY2(r.errors.front().reason.contains(reasonPart), qPrintable(r.errors.front().reason));
}

void TestKnowledgeFormat::csvLineNumbersCountPhysicalLines()
{
    // A quoted field spanning two lines: the next row starts on physical line 4.
    const QByteArray data = "id,title\nKB-1,\"two\nlines\"\nKB-2,\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseCsv(data);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.front().line, qint64(4));
    QCOMPARE(r.lines, QList<qint64>{2});
}

void TestKnowledgeFormat::csvInvalidUtf8AfterLoneCr_data()
{
    // A line ends with CRLF, LF or a lone CR, for the row numbers and the UTF-8 check alike.
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QList<KnowledgeRowError>>("errors");
    QTest::addColumn<QList<qint64>>("lines");
    const QString bad = u"invalid UTF-8"_s;
    QTest::newRow("after a lone CR") << QByteArray("id,title\nK1,t\rK2,t\xff\n")
                                     << QList<KnowledgeRowError>{{3, bad}} << QList<qint64>{2};
    QTest::newRow("blank line ended by CR")
        << QByteArray("id,title\n\rK1,t\xff\n") << QList<KnowledgeRowError>{{3, bad}} << QList<qint64>{};
    QTest::newRow("lone CR in a quoted field") << QByteArray("id,title\nK1,\"a\rb\"\nK2,t\xff\n")
                                               << QList<KnowledgeRowError>{{4, bad}} << QList<qint64>{2};
    QTest::newRow("in a quoted field after a lone CR")
        << QByteArray("id,title\nK1,\"a\r\xff\"\nK2,t\n") << QList<KnowledgeRowError>{{2, bad}}
        << QList<qint64>{4};
    QTest::newRow("cut sequence before a lone CR")
        << QByteArray("id,title\nK1,t\xe4\rK2,t\n") << QList<KnowledgeRowError>{{2, bad}} << QList<qint64>{3};
    QTest::newRow("CRLF is one line end") << QByteArray("id,title\r\nK1,t\r\nK2,t\xff\r\n")
                                          << QList<KnowledgeRowError>{{3, bad}} << QList<qint64>{2};
    QTest::newRow("header after a lone CR")
        << QByteArray("\rid,t\xffitle\nK1,t\n") << QList<KnowledgeRowError>{{2, bad}} << QList<qint64>{};
}

void TestKnowledgeFormat::csvInvalidUtf8AfterLoneCr()
{
    QFETCH(QByteArray, data);
    QFETCH(QList<KnowledgeRowError>, errors);
    QFETCH(QList<qint64>, lines);
    const KnowledgeParseResult r = KnowledgeFormat::parseCsv(data);
    QCOMPARE(r.errors, errors);
    QCOMPARE(r.lines, lines);
    for (const KnowledgeEntry &e : r.entries)
        QVERIFY(!e.title.contains(QChar::ReplacementCharacter));
}

void TestKnowledgeFormat::bomAfterFileStartIsRejected_data()
{
    // Only the very start of a file may have a BOM. A second one (files joined) is an error with
    // its line, and so is any value that starts with U+FEFF: SQLite would drop it on storage and
    // "\uFEFFK2" would overwrite "K2".
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<KnowledgeRowError>("error");
    const QString starts =
        u"starts with a byte order mark (U+FEFF): only the start of the file may have one"_s;
    const QString outside = u"bad JSON: a byte order mark (U+FEFF) outside a string at offset %1"_s;
    const auto csv = int(KnowledgeFormat::Format::Csv);
    const auto jsonl = int(KnowledgeFormat::Format::Jsonl);
    const auto json = int(KnowledgeFormat::Format::Json);
    QTest::newRow("csv, second file's BOM")
        << csv << QByteArray("\xEF\xBB\xBFid,title\nK1,t\n\xEF\xBB\xBFK2,t\n")
        << KnowledgeRowError{3, u"\"id\" "_s + starts};
    QTest::newRow("csv, second file's BOM and header")
        << csv << QByteArray("id,title\r\nK1,t\r\n\xEF\xBB\xBFid,title\r\nK2,t\r\n")
        << KnowledgeRowError{3, u"\"id\" "_s + starts};
    QTest::newRow("csv, two BOMs at the start")
        << csv << QByteArray("\xEF\xBB\xBF\xEF\xBB\xBFid,title\nK1,t\n")
        << KnowledgeRowError{1, u"header: the column \"id\" "_s + starts};
    QTest::newRow("csv, value") << csv << QByteArray("id,title\nK1,\xEF\xBB\xBFt\n")
                                << KnowledgeRowError{2, u"\"title\" "_s + starts};
    QTest::newRow("csv, id after spaces")
        << csv << QByteArray("id,title\n \xEF\xBB\xBFK1,t\n") << KnowledgeRowError{2, u"\"id\" "_s + starts};
    QTest::newRow("csv, list item") << csv << QByteArray("id,title,tags\nK1,t,a|\xEF\xBB\xBF b\n")
                                    << KnowledgeRowError{2, u"an item of \"tags\" "_s + starts};
    QTest::newRow("csv, list cell as JSON")
        << csv << QByteArray("id,title,tags\nK1,t,\"[\"\"a\"\", \"\"\xEF\xBB\xBF\"\"]\"\n")
        << KnowledgeRowError{2, u"an item of \"tags\" "_s + starts};
    QTest::newRow("jsonl, second file's BOM")
        << jsonl
        << QByteArray(
               "\xEF\xBB\xBF{\"id\":\"A\",\"title\":\"t\"}\n\xEF\xBB\xBF{\"id\":\"B\",\"title\":\"t\"}\n")
        << KnowledgeRowError{2, outside.arg(0)};
    QTest::newRow("jsonl, two BOMs at the start")
        << jsonl << QByteArray("\xEF\xBB\xBF\xEF\xBB\xBF{\"id\":\"A\",\"title\":\"t\"}\n")
        << KnowledgeRowError{1, outside.arg(0)};
    QTest::newRow("jsonl, between tokens")
        << jsonl << QByteArray("{\"id\":\"A\",\xEF\xBB\xBF\"title\":\"t\"}\n")
        << KnowledgeRowError{1, outside.arg(10)};
    QTest::newRow("jsonl, value") << jsonl << QByteArray("{\"id\":\"A\",\"title\":\"\xEF\xBB\xBFt\"}\n")
                                  << KnowledgeRowError{1, u"\"title\" "_s + starts};
    QTest::newRow("jsonl, escaped") << jsonl << QByteArray(R"({"id":"\uFEFFA","title":"t"})")
                                    << KnowledgeRowError{1, u"\"id\" "_s + starts};
    QTest::newRow("jsonl, list item")
        << jsonl << QByteArray("{\"id\":\"A\",\"title\":\"t\",\"symptoms\":[\"x\",\"\xEF\xBB\xBF\"]}\n")
        << KnowledgeRowError{1, u"an item of \"symptoms\" "_s + starts};
    QTest::newRow("jsonl, key") << jsonl << QByteArray("{\"\xEF\xBB\xBFid\":\"A\",\"title\":\"t\"}\n")
                                << KnowledgeRowError{1, u"missing \"id\""_s};
    QTest::newRow("jsonl, error offset after kept BOMs")
        << jsonl << QByteArray("{\"id\":\"A\xEF\xBB\xBF\xEF\xBB\xBF\",\"title\":\"t\xEF\xBB\xBF\" x}\n")
        << KnowledgeRowError{1, u"bad JSON: unterminated object at offset 32"_s};
    QTest::newRow("json array, value")
        << json
        << QByteArray("[{\"id\":\"A\",\"title\":\"t\"},\n "
                      "{\"id\":\"B\",\"title\":\"t\",\"cause\":\"\xEF\xBB\xBFx\"}]")
        << KnowledgeRowError{0, u"item 2: \"cause\" "_s + starts};
    QTest::newRow("json array, between items")
        << json
        << QByteArray(
               "[\n{\"id\":\"A\xEF\xBB\xBF\",\"title\":\"t\"},\n\xEF\xBB\xBF{\"id\":\"B\",\"title\":\"t\"}]")
        << KnowledgeRowError{3, u"bad JSON: a byte order mark (U+FEFF) outside a string"_s};
}

void TestKnowledgeFormat::bomAfterFileStartIsRejected()
{
    QFETCH(int, format);
    QFETCH(QByteArray, data);
    QFETCH(KnowledgeRowError, error);
    const KnowledgeParseResult r = KnowledgeFormat::parse(data, KnowledgeFormat::Format(format));
    QCOMPARE(r.errors, QList<KnowledgeRowError>{error});
}

void TestKnowledgeFormat::bomInsideValueIsKept_data()
{
    roundTrip_data();
}

void TestKnowledgeFormat::bomInsideValueIsKept()
{
    // U+FEFF after the first character of a value is text (a zero-width no-break space).
    QFETCH(int, format);
    const QString bom(QChar(0xFEFF));
    KnowledgeEntry e = sample(u"KB"_s + bom + u"0001"_s);
    e.title = u"t"_s + bom;
    e.vehicleModels = {u"云驰"_s + bom + u"E5"_s};
    e.tags = {u"a"_s + bom + bom, u"b"_s};
    const QList<KnowledgeEntry> entries{e};
    const auto f = KnowledgeFormat::Format(format);
    const QByteArray bytes = KnowledgeFormat::serialize(entries, f);
    QCOMPARE(bytes.count("\xEF\xBB\xBF"), f == KnowledgeFormat::Format::Csv ? 6 : 5); // CSV: the file's BOM
    const KnowledgeParseResult r = KnowledgeFormat::parse(bytes, f);
    QVERIFY2(r.ok(), r.errors.isEmpty() ? "" : qPrintable(r.errors.front().reason));
    QCOMPARE(r.entries, entries);
    // Also when a file has it escaped.
    const KnowledgeParseResult escaped =
        KnowledgeFormat::parseJsonl(R"({"id": "A\ufeff", "title": "t\uFEFFu"})");
    QVERIFY(escaped.ok());
    QCOMPARE(escaped.entries.front().id, u"A"_s + bom);
    QCOMPARE(escaped.entries.front().title, u"t"_s + bom + u"u"_s);
}

void TestKnowledgeFormat::loneSurrogateIsRejected_data()
{
    // A \u escape of half a surrogate pair is no character: the row is rejected, not exported as '?'.
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<KnowledgeRowError>("error");
    const QByteArray good = "{\"id\": \"A\", \"title\": \"t\"}\n";
    QTest::newRow("jsonl, high") << int(KnowledgeFormat::Format::Jsonl)
                                 << good + R"({"id": "B", "title": "\ufffd\ud800"})"
                                 << KnowledgeRowError{
                                        2, u"\"title\" contains a lone surrogate (\\ud800), which is "
                                           u"not valid text"_s};
    QTest::newRow("jsonl, low first")
        << int(KnowledgeFormat::Format::Jsonl) << good + R"({"id": "\udc00B", "title": "t"})"
        << KnowledgeRowError{2, u"\"id\" contains a lone surrogate (\\udc00), which "
                                u"is not valid text"_s};
    QTest::newRow("jsonl, pair reversed")
        << int(KnowledgeFormat::Format::Jsonl)
        << good + R"({"id": "B", "title": "t", "cause": "\ude00\ud83d"})"
        << KnowledgeRowError{2, u"\"cause\" contains a lone surrogate (\\ude00), which is not valid text"_s};
    QTest::newRow("jsonl, list item")
        << int(KnowledgeFormat::Format::Jsonl)
        << good + R"({"id": "B", "title": "t", "tags": ["ok", "\ud83dx"]})"
        << KnowledgeRowError{2,
                             u"an item of \"tags\" contains a lone surrogate (\\ud83d), which is not valid "
                             u"text"_s};
    QTest::newRow("json array")
        << int(KnowledgeFormat::Format::Json)
        << QByteArray(R"([{"id": "A", "title": "t"}, {"id": "B", "title": "\udfff"}])")
        << KnowledgeRowError{0, u"item 2: \"title\" contains a lone surrogate (\\udfff), "
                                u"which is not valid text"_s};
    QTest::newRow("csv list cell")
        << int(KnowledgeFormat::Format::Csv)
        << QByteArray("id,title,symptoms\nA,t,\nB,t,\"[\"\"\\ud800\"\"]\"\n")
        << KnowledgeRowError{
               3, u"an item of \"symptoms\" contains a lone surrogate (\\ud800), which is not valid "
                  u"text"_s};
}

void TestKnowledgeFormat::loneSurrogateIsRejected()
{
    QFETCH(int, format);
    QFETCH(QByteArray, data);
    QFETCH(KnowledgeRowError, error);
    const KnowledgeParseResult r = KnowledgeFormat::parse(data, KnowledgeFormat::Format(format));
    QCOMPARE(r.errors, QList<KnowledgeRowError>{error});
    QCOMPARE(r.entries.size(), 1);
    QCOMPARE(r.entries.front().id, u"A"_s);
}

void TestKnowledgeFormat::surrogatePairIsAccepted()
{
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(
        R"({"id": "A", "title": "\ud83d\ude97 \ud83d\ude97", "tags": ["\ud83d\ude97"]})");
    QVERIFY2(r.ok(), r.errors.isEmpty() ? "" : qPrintable(r.errors.front().reason));
    QCOMPARE(r.entries.front().title, u"🚗 🚗"_s);
    QCOMPARE(r.entries.front().tags, QStringList{u"🚗"_s});
    QCOMPARE(KnowledgeFormat::parseJsonl(KnowledgeFormat::toJsonl(r.entries)).entries, r.entries);
}

void TestKnowledgeFormat::roundTrip_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("jsonl") << int(KnowledgeFormat::Format::Jsonl);
    QTest::newRow("json") << int(KnowledgeFormat::Format::Json);
    QTest::newRow("csv") << int(KnowledgeFormat::Format::Csv);
}

void TestKnowledgeFormat::roundTrip()
{
    QFETCH(int, format);
    KnowledgeEntry pipe = sample(u"KB-0002"_s);
    pipe.tags = {u"a|b"_s, u"[c"_s}; // forces the JSON array form in CSV
    pipe.source = u"bitable"_s;
    KnowledgeEntry empty;
    empty.id = u"KB-0003"_s;
    empty.title = u"只有标题"_s;
    empty.updatedAt = u"2026-01-01T00:00:00+08:00"_s;
    const QList<KnowledgeEntry> entries{sample(), pipe, empty};
    const auto f = KnowledgeFormat::Format(format);
    const QByteArray bytes = KnowledgeFormat::serialize(entries, f);
    const KnowledgeParseResult r = KnowledgeFormat::parse(bytes, f);
    QVERIFY2(r.ok(), r.errors.isEmpty() ? "" : qPrintable(r.errors.front().reason));
    QCOMPARE(r.entries, entries);
}

void TestKnowledgeFormat::sharedDataParses()
{
    QFile f(QFINDTESTDATA("../../resources/knowledge/tsp-knowledge.jsonl"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray data = f.readAll();
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(data);
    QVERIFY(r.ok());
    QCOMPARE(r.entries.size(), 300);
    // Export writes the shared file's own layout back, byte for byte, plus the source field.
    QByteArray expected = data.trimmed();
    expected.replace(", \"updated_at\": ", ", \"source\": \"imported\", \"updated_at\": ");
    QCOMPARE(KnowledgeFormat::toJsonl(r.entries).trimmed(), expected);
}

void TestKnowledgeFormat::errorListIsBounded()
{
    QByteArray data;
    for (int i = 0; i < KnowledgeFormat::kMaxErrors + 50; ++i)
        data += "x\n";
    const KnowledgeParseResult r = KnowledgeFormat::parseJsonl(data);
    QCOMPARE(r.errors.size(), KnowledgeFormat::kMaxErrors);
    QCOMPARE(r.droppedErrors, qint64(50));
    QVERIFY(!r.ok());
}

void TestKnowledgeFormat::validate_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("ok");
    QTest::newRow("fine") << u"KB-9"_s << u"t"_s << u"promoted"_s << true;
    QTest::newRow("empty id") << QString() << u"t"_s << u"operator"_s << false;
    QTest::newRow("spaces") << u" KB-9"_s << u"t"_s << u"operator"_s << false;
    QTest::newRow("empty title") << u"KB-9"_s << QString() << u"operator"_s << false;
    QTest::newRow("bad source") << u"KB-9"_s << u"t"_s << u"email"_s << false;
}

void TestKnowledgeFormat::validate()
{
    QFETCH(QString, id);
    QFETCH(QString, title);
    QFETCH(QString, source);
    QFETCH(bool, ok);
    KnowledgeEntry e;
    e.id = id;
    e.title = title;
    e.source = source;
    QCOMPARE(KnowledgeFormat::validate(e).isEmpty(), ok);
}

void TestKnowledgeFormat::validateRejectsBadText()
{
    // What the parsers reject, validate() rejects too, with the same reason.
    KnowledgeEntry e;
    e.id = u"KB-9"_s;
    e.title = u"t"_s;
    e.source = u"operator"_s;
    QCOMPARE(KnowledgeFormat::validate(e), QString());
    e.title = u"t"_s + QChar(0xD800);
    QCOMPARE(KnowledgeFormat::validate(e),
             u"\"title\" contains a lone surrogate (\\ud800), which is not valid text"_s);
    e.title = u"t"_s;
    e.vehicleModels = {u"云驰"_s, QString(QChar(0xDC00))};
    QCOMPARE(KnowledgeFormat::validate(e),
             u"an item of \"vehicle_models\" contains a lone surrogate (\\udc00), which is not valid text"_s);
    e.vehicleModels.clear();
    e.id = QChar(0xFEFF) + u"KB-9"_s;
    QCOMPARE(KnowledgeFormat::validate(e),
             u"\"id\" starts with a byte order mark (U+FEFF): only the start of the file may have one"_s);
    e.id = u"KB-9"_s;
    e.tags = {u"a"_s, QChar(0xFEFF) + u"b"_s};
    QCOMPARE(KnowledgeFormat::validate(e),
             u"an item of \"tags\" starts with a byte order mark (U+FEFF): only the start of the file may "
             u"have one"_s);
}

QTEST_GUILESS_MAIN(TestKnowledgeFormat)
#include "tst_knowledgeformat.moc"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "knowledge/kbcommand.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgesearch.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

// The `tsp-assistant kb ...` contract other programs rely on.
class TestKbCommand final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void importPrintsSummaryAndProgress();
    void importBadRowsListsLinesAndImportsNothing();
    void importMissingFile();
    void exportWritesFile_data();
    void exportWritesFile();
    void searchJsonShape();
    void searchJsonUnanswerable();
    void searchJsonEscapes();
    void searchTop_data();
    void searchTop();
    void searchHumanTable();
    void searchIgnoresGlobalOptions();
    void searchDoubleDashEndsOptions();
    void searchWithAKeptSearchAnswersAsAFreshOne();
    void usageErrors_data();
    void usageErrors();
    void help();

private:
    int run(const QStringList &args, KnowledgeSearch *kept = nullptr);
    QString writeFile(const QString &name, const QByteArray &data);
    void importShared();

    QTemporaryDir *m_dir = nullptr;
    Database *m_db = nullptr;
    QString m_out;
    QString m_err;
};

void TestKbCommand::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_db = new Database(u"tst_kbcommand"_s);
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = m_dir->filePath(u"tsp.db"_s);
    QVERIFY2(m_db->open(loc), qPrintable(m_db->errorString()));
}

void TestKbCommand::cleanup()
{
    delete m_db;
    m_db = nullptr;
    delete m_dir;
    m_dir = nullptr;
}

int TestKbCommand::run(const QStringList &args, KnowledgeSearch *kept)
{
    m_out.clear();
    m_err.clear();
    QTextStream out(&m_out);
    QTextStream err(&m_err);
    const int rc = KbCommand::run(*m_db, args, out, err, {}, kept);
    out.flush();
    err.flush();
    return rc;
}

QString TestKbCommand::writeFile(const QString &name, const QByteArray &data)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(data);
    return path;
}

void TestKbCommand::importShared()
{
    QFile src(QFINDTESTDATA("../../resources/knowledge/tsp-knowledge.jsonl"));
    QVERIFY(src.open(QIODevice::ReadOnly));
    const QString path = writeFile(u"kb.jsonl"_s, src.readAll());
    QCOMPARE(run({u"import"_s, path}), KbCommand::kOk);
}

void TestKbCommand::importPrintsSummaryAndProgress()
{
    importShared();
    QVERIFY2(m_out.startsWith(u"imported 300 entries"_s), qPrintable(m_out));
    QVERIFY(m_out.contains(u"300 created"_s));
    QCOMPARE(m_out.count(u'\n'), 1);
    QVERIFY(m_err.contains(u"importing: 300/300 (100%)"_s));
    // Again: everything unchanged.
    QCOMPARE(run({u"import"_s, m_dir->filePath(u"kb.jsonl"_s)}), KbCommand::kOk);
    QVERIFY(m_out.contains(u"300 unchanged"_s));
}

void TestKbCommand::importBadRowsListsLinesAndImportsNothing()
{
    const QString path = writeFile(u"bad.csv"_s, "id,title\nKB-1,ok\nKB-2,\nKB-3,fine\n\"KB-4,broken\n");
    QCOMPARE(run({u"import"_s, path}), KbCommand::kFailed);
    QVERIFY2(m_err.contains(path + u":3: "_s), qPrintable(m_err));
    QVERIFY(m_err.contains(path + u":5: "_s));
    QVERIFY(m_err.contains(u"nothing was imported"_s));
    QVERIFY(m_out.isEmpty());
    QCOMPARE(KnowledgeBase(*m_db).count(), qint64(0));
}

void TestKbCommand::importMissingFile()
{
    QCOMPARE(run({u"import"_s, m_dir->filePath(u"nope.jsonl"_s)}), KbCommand::kFailed);
    QVERIFY(m_err.contains(u"cannot read"_s));
}

void TestKbCommand::exportWritesFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("jsonl") << u"out.jsonl"_s;
    QTest::newRow("csv") << u"out.csv"_s;
}

void TestKbCommand::exportWritesFile()
{
    QFETCH(QString, name);
    importShared();
    const QString path = m_dir->filePath(name);
    QCOMPARE(run({u"export"_s, path}), KbCommand::kOk);
    QCOMPARE(m_out, u"exported 300 entries to "_s + path + u"\n"_s);
    QVERIFY(QFile::exists(path));
    if (name.endsWith(u".jsonl"_s)) {
        QFile shared(QFINDTESTDATA("../../resources/knowledge/tsp-knowledge.jsonl"));
        QVERIFY(shared.open(QIODevice::ReadOnly));
        QFile exported(path);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QByteArray expected = shared.readAll().trimmed();
        expected.replace(", \"updated_at\": ", ", \"source\": \"imported\", \"updated_at\": ");
        QCOMPARE(exported.readAll().trimmed(), expected);
    }
}

void TestKbCommand::searchJsonShape()
{
    importShared();
    QCOMPARE(run({u"search"_s, u"--json"_s, u"车机没网"_s}), KbCommand::kOk);
    QVERIFY(m_err.isEmpty());
    QVERIFY(m_out.endsWith(u'\n'));
    QCOMPARE(m_out.count(u'\n'), 1); // exactly one line
    // Key order as documented: query, results, answerable.
    QVERIFY2(m_out.startsWith(u"{\"query\":\"车机没网\",\"results\":[{\"id\":\""_s), qPrintable(m_out));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(m_out.toUtf8(), &pe);
    QCOMPARE(pe.error, QJsonParseError::NoError);
    const QJsonObject o = doc.object();
    QCOMPARE(o.keys(), (QStringList{u"answerable"_s, u"query"_s, u"results"_s}));
    QCOMPARE(o.value(u"query"_s).toString(), u"车机没网"_s);
    QVERIFY(o.value(u"answerable"_s).isBool());
    QCOMPARE(o.value(u"answerable"_s).toBool(), true);
    const QJsonArray results = o.value(u"results"_s).toArray();
    QCOMPARE(results.size(), 5); // the default top
    double last = 2.0;
    for (const QJsonValue &v : results) {
        const QJsonObject r = v.toObject();
        QCOMPARE(r.keys(), (QStringList{u"id"_s, u"score"_s, u"title"_s}));
        QVERIFY(r.value(u"id"_s).toString().startsWith(u"KB-"_s));
        QVERIFY(!r.value(u"title"_s).toString().isEmpty());
        QVERIFY(r.value(u"score"_s).isDouble());
        QVERIFY(r.value(u"score"_s).toDouble() <= last);
        last = r.value(u"score"_s).toDouble();
    }
}

void TestKbCommand::searchJsonUnanswerable()
{
    importShared();
    QCOMPARE(run({u"search"_s, u"--json"_s, u"车险理赔怎么报案"_s}), KbCommand::kOk);
    const QJsonObject o = QJsonDocument::fromJson(m_out.toUtf8()).object();
    QCOMPARE(o.value(u"answerable"_s), QJsonValue(false));
    QVERIFY(o.value(u"results"_s).isArray());
    // An empty knowledge base: still the same shape.
    Database empty(u"tst_kbcommand_empty"_s);
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = m_dir->filePath(u"empty.db"_s);
    QVERIFY(empty.open(loc));
    QString out;
    QString err;
    QTextStream os(&out);
    QTextStream es(&err);
    QCOMPARE(KbCommand::run(empty, {u"search"_s, u"--json"_s, u"车机"_s}, os, es), KbCommand::kOk);
    os.flush();
    QCOMPARE(out, u"{\"query\":\"车机\",\"results\":[],\"answerable\":false}\n"_s);
}

void TestKbCommand::searchJsonEscapes()
{
    importShared();
    const QString query = u"say \"hi\"\\ \t车机"_s;
    QCOMPARE(run({u"search"_s, u"--json"_s, query}), KbCommand::kOk);
    const QJsonObject o = QJsonDocument::fromJson(m_out.toUtf8()).object();
    QCOMPARE(o.value(u"query"_s).toString(), query);
}

void TestKbCommand::searchTop_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("count");
    QTest::newRow("--top 1") << QStringList{u"--top"_s, u"1"_s} << 1;
    QTest::newRow("--top=3") << QStringList{u"--top=3"_s} << 3;
    QTest::newRow("--top 12") << QStringList{u"--top"_s, u"12"_s} << 12;
    QTest::newRow("--top 100") << QStringList{u"--top"_s, u"100"_s} << 50; // first-stage candidates
}

void TestKbCommand::searchTop()
{
    QFETCH(QStringList, options);
    QFETCH(int, count);
    importShared();
    QCOMPARE(run(QStringList{u"search"_s, u"--json"_s} + options + QStringList{u"远程解锁失败"_s}),
             KbCommand::kOk);
    const QJsonArray results = QJsonDocument::fromJson(m_out.toUtf8()).object().value(u"results"_s).toArray();
    if (count == 50)
        QVERIFY(results.size() >= 12 && results.size() <= 100);
    else
        QCOMPARE(results.size(), count);
}

void TestKbCommand::searchHumanTable()
{
    importShared();
    QCOMPARE(run({u"search"_s, u"--top"_s, u"2"_s, u"T-Box"_s, u"离线"_s}), KbCommand::kOk);
    const QStringList lines = m_out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4); // header, 2 hits, the decision
    QVERIFY(lines.at(0).startsWith(u"#"_s));
    QVERIFY(lines.at(1).contains(u"KB-"_s));
    QVERIFY(lines.at(3).startsWith(u"answerable: "_s));
}

void TestKbCommand::searchIgnoresGlobalOptions()
{
    importShared();
    QCOMPARE(run({u"--data-dir"_s, u"/elsewhere"_s, u"search"_s, u"--json"_s, u"--env-file=/x/.env"_s,
                  u"车机没网"_s}),
             KbCommand::kOk);
    QCOMPARE(QJsonDocument::fromJson(m_out.toUtf8()).object().value(u"query"_s).toString(), u"车机没网"_s);
}

void TestKbCommand::searchDoubleDashEndsOptions()
{
    importShared();
    QCOMPARE(run({u"search"_s, u"--json"_s, u"--"_s, u"--top"_s}), KbCommand::kOk);
    QCOMPARE(QJsonDocument::fromJson(m_out.toUtf8()).object().value(u"query"_s).toString(), u"--top"_s);
}

// kbtool's batch mode keeps one KnowledgeSearch for all its queries (as the bot keeps one): its
// caches must never change an answer, also after the knowledge changed under it.
void TestKbCommand::searchWithAKeptSearchAnswersAsAFreshOne()
{
    importShared();
    KnowledgeSearch kept(*m_db);
    const QStringList queries{u"车机没网"_s,
                              u"远程解锁失败，APP一直转圈"_s,
                              u"数字钥匙用不了"_s,
                              u"车险理赔怎么报案"_s,
                              u"我那台T3昨天刚换了电瓶，今天早上车机没网了，导航音乐都用不了"_s,
                              u"车机没网"_s, // again: now from the caches
                              u"雨刮喷水壶结冰了喷不出水"_s};
    const auto both = [&](const QString &q) {
        const QStringList args{u"search"_s, u"--json"_s, u"--top"_s, u"3"_s, q};
        QCOMPARE(run(args), KbCommand::kOk);
        const QString fresh = m_out;
        QCOMPARE(run(args, &kept), KbCommand::kOk);
        QCOMPARE(m_out, fresh);
        QVERIFY(m_err.isEmpty());
    };
    for (const QString &q : queries) {
        both(q);
        if (QTest::currentTestFailed())
            return;
    }
    // A new entry about exactly the last question: the kept search must see it at once.
    const QString path = writeFile(
        u"more.jsonl"_s,
        R"({"id": "KB-9001", "title": "冬天雨刮喷水壶结冰，喷不出水", "category": "车身/雨刮", "vehicle_models": ["全系车型"], "symptoms": ["雨刮喷水壶结冰", "玻璃水喷不出来"], "cause": "加的是普通水，低温结冰。", "solution": "1. 把车停进暖库化冰。\n2. 换成 -25°C 的防冻玻璃水。", "updated_at": "2026-12-01"})"
        "\n");
    QCOMPARE(run({u"import"_s, path}), KbCommand::kOk);
    both(queries.last());
    QVERIFY2(m_out.contains(u"{\"id\":\"KB-9001\""_s), qPrintable(m_out));
    QVERIFY2(m_out.indexOf(u"KB-9001"_s) < m_out.indexOf(u"KB-0"_s) || !m_out.contains(u"KB-0"_s),
             qPrintable(m_out));
}

void TestKbCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("nothing") << QStringList{};
    QTest::newRow("unknown command") << QStringList{u"frobnicate"_s};
    QTest::newRow("import without file") << QStringList{u"import"_s};
    QTest::newRow("import two files") << QStringList{u"import"_s, u"a.jsonl"_s, u"b.jsonl"_s};
    QTest::newRow("import unknown type") << QStringList{u"import"_s, u"kb.txt"_s};
    QTest::newRow("export unknown type") << QStringList{u"export"_s, u"kb.xml"_s};
    QTest::newRow("search without query") << QStringList{u"search"_s, u"--json"_s};
    QTest::newRow("--top 0") << QStringList{u"search"_s, u"--top"_s, u"0"_s, u"q"_s};
    QTest::newRow("--top 101") << QStringList{u"search"_s, u"--top"_s, u"101"_s, u"q"_s};
    QTest::newRow("--top abc") << QStringList{u"search"_s, u"--top"_s, u"abc"_s, u"q"_s};
    QTest::newRow("--top missing") << QStringList{u"search"_s, u"q"_s, u"--top"_s};
    QTest::newRow("unknown option") << QStringList{u"search"_s, u"--fast"_s, u"q"_s};
}

void TestKbCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QCOMPARE(run(args), KbCommand::kUsage);
    QVERIFY(m_out.isEmpty());
    QVERIFY(m_err.contains(u"usage: tsp-assistant kb"_s));
}

void TestKbCommand::help()
{
    QCOMPARE(run({u"--help"_s}), KbCommand::kOk);
    QVERIFY(m_out.contains(u"kb search [--top K] [--json] QUERY"_s));
    QVERIFY(m_err.isEmpty());
}

QTEST_GUILESS_MAIN(TestKbCommand)
#include "tst_kbcommand.moc"

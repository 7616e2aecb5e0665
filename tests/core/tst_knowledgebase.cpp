#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgeindexer.h"
#include "knowledge/knowledgesearch.h"
#include "storage/database.h"
#include "tempdatabase.h"

using namespace Qt::Literals::StringLiterals;

class TestKnowledgeBase final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void createStoresAllFields();
    void createRejectsDuplicateAndInvalid();
    void updateWritesVersionWithDiff();
    void updateWithoutChangeWritesNoVersion();
    void updateUnknownFails();
    void removeKeepsOldValuesInVersion();
    void versionsRecordWhoAndWhen();
    void importRejectsValueStartingWithBom();
    void importCreatesUpdatesAndSkipsUnchanged();
    void importReportsProgress();
    void importWithBadRowImportsNothing();
    void importFailureMidwayRollsBack();
    void importFileCsvAndExportRoundTrip_data();
    void importFileCsvAndExportRoundTrip();
    void importUnknownExtension();
    void importAsyncReportsOnOwnThread();
    void writesKeepSearchInStep();
    void ensureSeededOnFreshDatabase();
    void ensureSeededIsIdempotent();
    void indexRebuildIsLoggedOnlyWhenThereWasAnIndex();
    void ensureSeededDoesNotResurrectDeletedDemo();
    void ensureSeededMarksExistingDatabase();
    void suggestSimilarFindsExistingEntry();
    void suggestSimilarNothingForNewTopic();
    void promoteCreatesPromotedEntry();
    void promoteNeedsTitleAndAnswer();
    void nextIdSkipsForeignIds();

private:
    static KnowledgeEntry entry(const QString &id, const QString &title);
    QString writeFile(const QString &name, const QByteArray &data);
    bool importShared();

    std::unique_ptr<TempKnowledgeDb> m_fixture;
    QTemporaryDir *m_dir = nullptr; // the fixture's
    Database *m_db = nullptr;
    KnowledgeBase *m_kb = nullptr;
};

void TestKnowledgeBase::init()
{
    m_fixture = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_fixture->open(u"tst_knowledgebase"_s, &error), qPrintable(error));
    m_dir = &m_fixture->dir;
    m_db = m_fixture->db.get();
    m_kb = m_fixture->kb.get();
}

void TestKnowledgeBase::cleanup()
{
    m_kb = nullptr;
    m_db = nullptr;
    m_dir = nullptr;
    m_fixture.reset();
}

KnowledgeEntry TestKnowledgeBase::entry(const QString &id, const QString &title)
{
    KnowledgeEntry e;
    e.id = id;
    e.title = title;
    e.category = u"远程控制(远程解锁/空调/寻车)"_s;
    e.vehicleModels = {u"云驰 E5"_s};
    e.symptoms = {u"APP远程解锁一直转圈"_s};
    e.cause = u"T-Box 深度休眠"_s;
    e.solution = u"1. 踩刹车唤醒车辆\n2. 重试"_s;
    e.tags = {u"远程解锁"_s};
    return e;
}

QString TestKnowledgeBase::writeFile(const QString &name, const QByteArray &data)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(data);
    return path;
}

bool TestKnowledgeBase::importShared()
{
    return m_kb->importFile(KnowledgeBase::bundledResource(), u"test"_s).ok;
}

void TestKnowledgeBase::createStoresAllFields()
{
    QSignalSpy changed(m_kb, &KnowledgeBase::entryChanged);
    const QDateTime before = QDateTime::currentDateTime().addSecs(-1);
    KnowledgeEntry e = entry(u"KB-0001"_s, u"远程解锁失败"_s);
    QString error;
    QVERIFY2(m_kb->create(e, u"alice"_s, &error), qPrintable(error));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.front().front().toString(), u"KB-0001"_s);
    const std::optional<KnowledgeEntry> got = m_kb->entry(u"KB-0001"_s);
    QVERIFY(got);
    QCOMPARE(got->title, e.title);
    QCOMPARE(got->vehicleModels, e.vehicleModels);
    QCOMPARE(got->symptoms, e.symptoms);
    QCOMPARE(got->cause, e.cause);
    QCOMPARE(got->solution, e.solution);
    QCOMPARE(got->tags, e.tags);
    QCOMPARE(got->source, u"operator"_s); // an operator's create is never "imported"
    const QDateTime updated = QDateTime::fromString(got->updatedAt, Qt::ISODate);
    QVERIFY(updated.isValid());
    QVERIFY(updated >= before);
    QCOMPARE(m_kb->count(), qint64(1));
}

void TestKnowledgeBase::createRejectsDuplicateAndInvalid()
{
    QVERIFY(m_kb->create(entry(u"KB-0001"_s, u"a"_s), u"alice"_s));
    QString error;
    QVERIFY(!m_kb->create(entry(u"KB-0001"_s, u"b"_s), u"bob"_s, &error));
    QVERIFY2(error.contains(u"exists"_s), qPrintable(error));
    QVERIFY(!m_kb->create(entry(u"KB-0002"_s, QString()), u"bob"_s, &error));
    QVERIFY(error.contains(u"title"_s));
    QCOMPARE(m_kb->count(), qint64(1));
    QCOMPARE(m_kb->entry(u"KB-0001"_s)->title, u"a"_s);
    QCOMPARE(m_kb->versions(u"KB-0001"_s).size(), 1);
}

void TestKnowledgeBase::updateWritesVersionWithDiff()
{
    QVERIFY(m_kb->create(entry(u"KB-0001"_s, u"旧标题"_s), u"alice"_s));
    KnowledgeEntry e = *m_kb->entry(u"KB-0001"_s);
    e.title = u"新标题"_s;
    e.tags = {u"远程解锁"_s, u"休眠"_s};
    QVERIFY(m_kb->update(e, u"bob"_s));
    QCOMPARE(m_kb->entry(u"KB-0001"_s)->title, u"新标题"_s);
    const QList<KnowledgeVersion> versions = m_kb->versions(u"KB-0001"_s);
    QCOMPARE(versions.size(), 2);
    const KnowledgeVersion &v = versions.at(1);
    QCOMPARE(v.version, 2);
    QCOMPARE(v.action, u"update"_s);
    QCOMPARE(v.actor, u"bob"_s);
    QCOMPARE(v.changes.value(u"title"_s).toArray(), (QJsonArray{u"旧标题"_s, u"新标题"_s}));
    QCOMPARE(v.changes.value(u"tags"_s).toArray().at(1).toArray(), (QJsonArray{u"远程解锁"_s, u"休眠"_s}));
    // Fields that did not change are not in the diff.
    QVERIFY(!v.changes.contains(u"cause"_s));
    QVERIFY(!v.changes.contains(u"solution"_s));
}

void TestKnowledgeBase::updateWithoutChangeWritesNoVersion()
{
    QVERIFY(m_kb->create(entry(u"KB-0001"_s, u"a"_s), u"alice"_s));
    QSignalSpy changed(m_kb, &KnowledgeBase::entryChanged);
    QVERIFY(m_kb->update(*m_kb->entry(u"KB-0001"_s), u"bob"_s));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(m_kb->versions(u"KB-0001"_s).size(), 1);
}

void TestKnowledgeBase::updateUnknownFails()
{
    QString error;
    QVERIFY(!m_kb->update(entry(u"KB-0404"_s, u"a"_s), u"bob"_s, &error));
    QVERIFY(error.contains(u"no entry"_s));
    QCOMPARE(m_kb->count(), qint64(0));
    QVERIFY(m_kb->versions(u"KB-0404"_s).isEmpty());
}

void TestKnowledgeBase::removeKeepsOldValuesInVersion()
{
    QVERIFY(m_kb->create(entry(u"KB-0001"_s, u"要删的"_s), u"alice"_s));
    QSignalSpy removed(m_kb, &KnowledgeBase::entryRemoved);
    QVERIFY(m_kb->remove(u"KB-0001"_s, u"carol"_s));
    QCOMPARE(removed.size(), 1);
    QVERIFY(!m_kb->entry(u"KB-0001"_s));
    QCOMPARE(m_kb->count(), qint64(0));
    const QList<KnowledgeVersion> versions = m_kb->versions(u"KB-0001"_s);
    QCOMPARE(versions.size(), 2);
    QCOMPARE(versions.at(1).action, u"delete"_s);
    QCOMPARE(versions.at(1).actor, u"carol"_s);
    QCOMPARE(versions.at(1).changes.value(u"title"_s).toArray(), (QJsonArray{u"要删的"_s, QJsonValue()}));
    QString error;
    QVERIFY(!m_kb->remove(u"KB-0001"_s, u"carol"_s, &error));
    QVERIFY(error.contains(u"no entry"_s));
    // A deleted id can be created again; its history goes on.
    QVERIFY(m_kb->create(entry(u"KB-0001"_s, u"又回来了"_s), u"alice"_s));
    const QList<KnowledgeVersion> history = m_kb->versions(u"KB-0001"_s);
    QCOMPARE(history.size(), 3);
    QCOMPARE(history.at(2).version, 3);
    QCOMPARE(history.at(2).action, u"create"_s);
    KnowledgeEntry again = *m_kb->entry(u"KB-0001"_s);
    again.title = u"再改一次"_s;
    QVERIFY(m_kb->update(again, u"alice"_s));
    QCOMPARE(m_kb->versions(u"KB-0001"_s).back().version, 4);
}

void TestKnowledgeBase::versionsRecordWhoAndWhen()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    QVERIFY(m_kb->create(entry(u"KB-0001"_s, u"a"_s), u"alice"_s));
    const KnowledgeVersion v = m_kb->versions(u"KB-0001"_s).front();
    QCOMPARE(v.entryId, u"KB-0001"_s);
    QCOMPARE(v.version, 1);
    QCOMPARE(v.action, u"create"_s);
    QCOMPARE(v.actor, u"alice"_s);
    QVERIFY(v.changes.isEmpty());
    QVERIFY(v.at >= before);
    QVERIFY(v.at <= QDateTime::currentDateTimeUtc().addSecs(1));
}

void TestKnowledgeBase::importRejectsValueStartingWithBom()
{
    // SQLite drops a leading U+FEFF from the text it is given: a row whose id starts with one
    // (here a second CSV file appended with its BOM) would be stored as, and overwrite, "K2".
    QVERIFY(m_kb->create(entry(u"K2"_s, u"existing"_s), u"alice"_s));
    const QByteArray data = "\xEF\xBB\xBFid,title\nK1,t\n\xEF\xBB\xBFK2,changed\n";
    const KnowledgeImportReport r = m_kb->importData(data, KnowledgeFormat::Format::Csv, u"x"_s);
    QVERIFY(!r.ok);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.front().line, qint64(3));
    QCOMPARE(r.errors.front().reason,
             u"\"id\" starts with a byte order mark (U+FEFF): only the start of the file may have one"_s);
    QCOMPARE(m_kb->count(), qint64(1));
    QCOMPARE(m_kb->entry(u"K2"_s)->title, u"existing"_s);
    QCOMPARE(m_kb->versions(u"K2"_s).size(), 1);
    QString error;
    QVERIFY(!m_kb->create(entry(QChar(0xFEFF) + u"K3"_s, u"t"_s), u"alice"_s, &error));
    QVERIFY2(error.contains(u"byte order mark"_s), qPrintable(error));
    QVERIFY(!m_kb->entry(u"K3"_s));
}

void TestKnowledgeBase::importCreatesUpdatesAndSkipsUnchanged()
{
    const QByteArray first =
        "{\"id\":\"A\",\"title\":\"one\",\"updated_at\":\"2026-01-01T00:00:00+08:00\"}\n"
        "{\"id\":\"B\",\"title\":\"two\",\"updated_at\":\"2026-01-01T00:00:00+08:00\"}\n";
    KnowledgeImportReport r = m_kb->importData(first, KnowledgeFormat::Format::Jsonl, u"importer"_s);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.created, qint64(2));
    QCOMPARE(m_kb->entry(u"A"_s)->updatedAt, u"2026-01-01T00:00:00+08:00"_s); // kept from the file
    QCOMPARE(m_kb->entry(u"A"_s)->source, u"imported"_s);
    const QByteArray second =
        "{\"id\":\"A\",\"title\":\"one\",\"updated_at\":\"2026-01-01T00:00:00+08:00\"}\n"
        "{\"id\":\"B\",\"title\":\"two v2\",\"updated_at\":\"2026-02-01T00:00:00+08:00\"}\n"
        "{\"id\":\"C\",\"title\":\"three\"}\n";
    QSignalSpy reset(m_kb, &KnowledgeBase::entriesReset);
    r = m_kb->importData(second, KnowledgeFormat::Format::Jsonl, u"importer"_s);
    QVERIFY(r.ok);
    QCOMPARE(r.total, qint64(3));
    QCOMPARE(r.created, qint64(1));
    QCOMPARE(r.updated, qint64(1));
    QCOMPARE(r.unchanged, qint64(1));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_kb->versions(u"A"_s).size(), 1);
    QCOMPARE(m_kb->versions(u"B"_s).size(), 2);
    QCOMPARE(m_kb->versions(u"B"_s).at(1).actor, u"importer"_s);
    QVERIFY(!m_kb->entry(u"C"_s)->updatedAt.isEmpty()); // no date in the file: now
}

void TestKnowledgeBase::importReportsProgress()
{
    QByteArray data;
    for (int i = 0; i < 250; ++i)
        data += "{\"id\":\"E" + QByteArray::number(i) + "\",\"title\":\"t\"}\n";
    QList<QPair<qint64, qint64>> calls;
    const KnowledgeImportReport r =
        m_kb->importData(data, KnowledgeFormat::Format::Jsonl, u"x"_s, [&calls](qint64 done, qint64 total) {
            calls.append({done, total});
        });
    QVERIFY(r.ok);
    QVERIFY(calls.size() >= 10);
    QCOMPARE(calls.front(), (QPair<qint64, qint64>(0, 250)));
    QCOMPARE(calls.back(), (QPair<qint64, qint64>(250, 250)));
    for (qsizetype i = 1; i < calls.size(); ++i)
        QVERIFY(calls.at(i).first >= calls.at(i - 1).first);
}

void TestKnowledgeBase::importWithBadRowImportsNothing()
{
    QVERIFY(m_kb->create(entry(u"KEEP"_s, u"existing"_s), u"alice"_s));
    const QByteArray data = "{\"id\":\"A\",\"title\":\"one\"}\n"
                            "{\"id\":\"KEEP\",\"title\":\"changed\"}\n"
                            "{\"id\":\"C\"}\n";
    QSignalSpy reset(m_kb, &KnowledgeBase::entriesReset);
    const KnowledgeImportReport r = m_kb->importData(data, KnowledgeFormat::Format::Jsonl, u"x"_s);
    QVERIFY(!r.ok);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.front().line, qint64(3));
    QVERIFY(r.errors.front().reason.contains(u"title"_s));
    QVERIFY(r.error.contains(u"nothing was imported"_s));
    QCOMPARE(r.created + r.updated, qint64(0));
    QCOMPARE(reset.size(), 0);
    QCOMPARE(m_kb->count(), qint64(1));
    QVERIFY(!m_kb->entry(u"A"_s));
    QCOMPARE(m_kb->entry(u"KEEP"_s)->title, u"existing"_s);
}

void TestKnowledgeBase::importFailureMidwayRollsBack()
{
    // A database failure after some rows were written: a trigger rejects the third row.
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(u"CREATE TEMP TRIGGER reject_c BEFORE INSERT ON knowledge WHEN NEW.id = 'C'"
                   " BEGIN SELECT RAISE(ABORT, 'rejected by test'); END"_s));
    const QByteArray data = "{\"id\":\"A\",\"title\":\"one\"}\n{\"id\":\"B\",\"title\":\"two\"}\n{\"id\":"
                            "\"C\",\"title\":\"3\"}\n";
    const KnowledgeImportReport r = m_kb->importData(data, KnowledgeFormat::Format::Jsonl, u"x"_s);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(u"line 3"_s), qPrintable(r.error));
    QVERIFY(r.error.contains(u"nothing was imported"_s));
    QCOMPARE(m_kb->count(), qint64(0));
    QVERIFY(m_kb->versions(u"A"_s).isEmpty());
    // The search index was rolled back too.
    KnowledgeSearch search(*m_db);
    QVERIFY(search.search(u"one"_s, 3).hits.isEmpty());
    QVERIFY(q.exec(u"DROP TRIGGER reject_c"_s));
    // And the knowledge base still works afterwards.
    QVERIFY(m_kb->importData(data, KnowledgeFormat::Format::Jsonl, u"x"_s).ok);
    QCOMPARE(m_kb->count(), qint64(3));
}

void TestKnowledgeBase::importFileCsvAndExportRoundTrip_data()
{
    QTest::addColumn<QString>("extension");
    QTest::newRow("jsonl") << u"jsonl"_s;
    QTest::newRow("csv") << u"csv"_s;
    QTest::newRow("json") << u"json"_s;
}

void TestKnowledgeBase::importFileCsvAndExportRoundTrip()
{
    QFETCH(QString, extension);
    QVERIFY(importShared());
    const QList<KnowledgeEntry> all = m_kb->entries();
    QCOMPARE(all.size(), 300);
    const QString path = m_dir->filePath(u"export."_s + extension);
    QString error;
    qint64 count = 0;
    QVERIFY2(m_kb->exportFile(path, &error, &count), qPrintable(error));
    QCOMPARE(count, qint64(300));

    Database other(u"tst_knowledgebase_other"_s);
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = m_dir->filePath(u"other.db"_s);
    QVERIFY(other.open(loc));
    KnowledgeBase kb2(other);
    const KnowledgeImportReport r = kb2.importFile(path, u"x"_s);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.created, qint64(300));
    QCOMPARE(kb2.entries(), all);
}

void TestKnowledgeBase::importUnknownExtension()
{
    const QString path = writeFile(u"kb.txt"_s, "{}");
    const KnowledgeImportReport r = m_kb->importFile(path, u"x"_s);
    QVERIFY(!r.ok);
    QVERIFY(r.error.contains(u"unknown file type"_s));
    const KnowledgeImportReport missing = m_kb->importFile(m_dir->filePath(u"none.jsonl"_s), u"x"_s);
    QVERIFY(!missing.ok);
    QVERIFY(missing.error.contains(u"cannot read"_s));
}

void TestKnowledgeBase::importAsyncReportsOnOwnThread()
{
    QFile src(QFINDTESTDATA("../../resources/knowledge/tsp-knowledge.jsonl"));
    QVERIFY(src.open(QIODevice::ReadOnly));
    const QString path = writeFile(u"kb.jsonl"_s, src.readAll());
    QSignalSpy progress(m_kb, &KnowledgeBase::importProgress);
    QSignalSpy finished(m_kb, &KnowledgeBase::importFinished);
    QSignalSpy reset(m_kb, &KnowledgeBase::entriesReset);
    QVERIFY(m_kb->importFileAsync(path, u"worker"_s));
    QVERIFY(!m_kb->importFileAsync(path, u"worker"_s)); // one at a time
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const auto report = finished.front().front().value<KnowledgeImportReport>();
    QVERIFY2(report.ok, qPrintable(report.error));
    QCOMPARE(report.created, qint64(300));
    QVERIFY(progress.size() >= 2);
    QCOMPARE(progress.back().at(0).toLongLong(), qint64(300));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_kb->count(), qint64(300)); // visible on the main connection
    QTRY_VERIFY(!m_kb->isImporting());
}

void TestKnowledgeBase::writesKeepSearchInStep()
{
    KnowledgeSearch search(*m_db);
    QVERIFY(m_kb->create(entry(u"KB-0001"_s, u"车机蓝牙无法配对"_s), u"alice"_s));
    QCOMPARE(search.search(u"蓝牙配对"_s, 3).hits.value(0).entry.id, u"KB-0001"_s);
    KnowledgeEntry e = *m_kb->entry(u"KB-0001"_s);
    e.title = u"导航地图不更新"_s;
    e.symptoms = {u"地图数据旧"_s};
    QVERIFY(m_kb->update(e, u"bob"_s));
    QVERIFY(search.search(u"蓝牙配对"_s, 3).hits.isEmpty());
    QCOMPARE(search.search(u"地图不更新"_s, 3).hits.value(0).entry.id, u"KB-0001"_s);
    QVERIFY(m_kb->remove(u"KB-0001"_s, u"bob"_s));
    QVERIFY(search.search(u"地图不更新"_s, 3).hits.isEmpty());
}

void TestKnowledgeBase::ensureSeededOnFreshDatabase()
{
    QVERIFY(!m_kb->isSeeded());
    QString error;
    QVERIFY2(m_kb->ensureSeeded(&error), qPrintable(error));
    QVERIFY(m_kb->isSeeded());
    QCOMPARE(m_kb->count(), qint64(300));
    const KnowledgeEntry first = m_kb->entries(1).front();
    QCOMPARE(first.id, u"KB-0001"_s);
    QCOMPARE(first.source, u"imported"_s);
    QCOMPARE(m_kb->versions(first.id).front().actor, u"seed"_s);
    // Searchable at once.
    KnowledgeSearch search(*m_db);
    QVERIFY(search.search(u"车机没网"_s, 3).answerable);
}

void TestKnowledgeBase::ensureSeededIsIdempotent()
{
    // Every start calls it: after the first, it writes nothing and rebuilds nothing. (Its cost is
    // bench_start's business, not a timed assertion's.)
    QVERIFY(m_kb->ensureSeeded());
    QSignalSpy reset(m_kb, &KnowledgeBase::entriesReset);
    QSignalSpy changed(m_kb, &KnowledgeBase::entryChanged);
    for (int i = 0; i < 20; ++i)
        QVERIFY(m_kb->ensureSeeded());
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(m_kb->count(), qint64(300));
    QCOMPARE(m_kb->versions(u"KB-0001"_s).size(), 1);
}

namespace {

QStringList g_infoLines;
void captureInfo(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtInfoMsg)
        g_infoLines << message;
}

} // namespace

void TestKnowledgeBase::indexRebuildIsLoggedOnlyWhenThereWasAnIndex()
{
    // A fresh database gets its index without an INFO line about "another tokenisation" (it
    // puzzled the first start's log); an index of an older tokenisation is rebuilt and says so.
    g_infoLines.clear();
    QtMessageHandler previous = qInstallMessageHandler(captureInfo);
    auto fresh = std::make_unique<TempKnowledgeDb>();
    QString error;
    const bool opened = fresh->open(u"tst_knowledgebase_fresh"_s, &error);
    const bool indexed = opened && fresh->kb->ensureIndex(&error);
    const QStringList freshLines = g_infoLines;
    g_infoLines.clear();

    QVERIFY(m_kb->ensureSeeded());
    QSqlQuery q(m_db->db());
    const bool aged =
        q.exec(u"UPDATE knowledge_meta SET value = 'an older tokenisation' WHERE key = 'index_version'"_s) &&
        q.numRowsAffected() == 1;
    KnowledgeBase again(*m_db);
    const bool rebuilt = again.ensureIndex(&error);
    const QStringList agedLines = g_infoLines;
    qInstallMessageHandler(previous);

    QVERIFY2(opened && indexed, qPrintable(error));
    QVERIFY2(!freshLines.join(u'\n').contains(u"tokenisation"_s), qPrintable(freshLines.join(u'\n')));
    QVERIFY2(!freshLines.join(u'\n').contains(u"rebuilt the knowledge search index"_s),
             qPrintable(freshLines.join(u'\n')));
    QVERIFY(aged);
    QVERIFY2(rebuilt, qPrintable(error));
    QVERIFY2(agedLines.join(u'\n').contains(u"built by another tokenisation; rebuilding it"_s),
             qPrintable(agedLines.join(u'\n')));
    QVERIFY2(agedLines.join(u'\n').contains(u"rebuilt the knowledge search index: 300 entries"_s),
             qPrintable(agedLines.join(u'\n')));
    QVERIFY(KnowledgeIndexer::isCurrent(m_db->db()));
    KnowledgeSearch search(*m_db);
    QVERIFY(search.search(u"车机没网"_s, 3).answerable);
}

void TestKnowledgeBase::ensureSeededDoesNotResurrectDeletedDemo()
{
    QVERIFY(m_kb->ensureSeeded());
    const QList<KnowledgeEntry> all = m_kb->entries();
    for (const KnowledgeEntry &e : all)
        QVERIFY(m_kb->remove(e.id, u"operator"_s));
    QCOMPARE(m_kb->count(), qint64(0));
    // A restart: a new KnowledgeBase over the same file.
    m_fixture->kb.reset(); // the old one goes first, as a restart would
    m_fixture->kb = std::make_unique<KnowledgeBase>(*m_db);
    m_kb = m_fixture->kb.get();
    QVERIFY(m_kb->ensureSeeded());
    QCOMPARE(m_kb->count(), qint64(0));
}

void TestKnowledgeBase::ensureSeededMarksExistingDatabase()
{
    QVERIFY(m_kb->create(entry(u"OWN-1"_s, u"自己的条目"_s), u"alice"_s));
    QVERIFY(m_kb->ensureSeeded());
    QCOMPARE(m_kb->count(), qint64(1));
    QVERIFY(m_kb->isSeeded());
    QVERIFY(m_kb->remove(u"OWN-1"_s, u"alice"_s));
    QVERIFY(m_kb->ensureSeeded());
    QCOMPARE(m_kb->count(), qint64(0));
}

void TestKnowledgeBase::suggestSimilarFindsExistingEntry()
{
    QVERIFY(importShared());
    // A conversation about a topic the KB has: the entry it would duplicate is offered.
    const KnowledgeEntry existing = *m_kb->entry(u"KB-0001"_s);
    const std::optional<KnowledgeHit> hit =
        m_kb->suggestSimilar(existing.title + u" "_s + existing.symptoms.value(0));
    QVERIFY(hit);
    QCOMPARE(hit->entry.id, existing.id);
    QVERIFY(hit->coverage >= 0.5);
}

void TestKnowledgeBase::suggestSimilarNothingForNewTopic()
{
    QVERIFY(importShared());
    QVERIFY(!m_kb->suggestSimilar(u"车辆保险理赔需要哪些材料"_s));
    QVERIFY(!m_kb->suggestSimilar(QString()));
}

void TestKnowledgeBase::promoteCreatesPromotedEntry()
{
    QVERIFY(importShared());
    KnowledgePromotion p;
    p.title = u"座椅通风远程开启无效"_s;
    p.question = u"app上开座椅通风没反应"_s;
    p.answer = u"1. 确认车型配置含座椅通风\n2. 升级 APP 到 5.2 以上"_s;
    p.category = u"远程控制(远程解锁/空调/寻车)"_s;
    p.tags = {u"座椅通风"_s};
    QSignalSpy changed(m_kb, &KnowledgeBase::entryChanged);
    QString error;
    const std::optional<KnowledgeEntry> e = m_kb->promote(p, u"operator-li"_s, &error);
    QVERIFY2(e, qPrintable(error));
    QCOMPARE(e->id, u"KB-0301"_s);
    QCOMPARE(e->source, u"promoted"_s);
    QCOMPARE(e->symptoms, QStringList{p.question});
    QCOMPARE(e->solution, p.answer);
    QCOMPARE(changed.size(), 1);
    const QList<KnowledgeVersion> versions = m_kb->versions(e->id);
    QCOMPARE(versions.size(), 1);
    QCOMPARE(versions.front().actor, u"operator-li"_s);
    // Now the promoted answer is what a similar question finds.
    KnowledgeSearch search(*m_db);
    QCOMPARE(search.search(u"座椅通风开不了"_s, 3).hits.value(0).entry.id, e->id);
}

void TestKnowledgeBase::promoteNeedsTitleAndAnswer()
{
    KnowledgePromotion p;
    p.title = u"标题"_s;
    QString error;
    QVERIFY(!m_kb->promote(p, u"x"_s, &error));
    QVERIFY(!error.isEmpty());
    p.title.clear();
    p.answer = u"答案"_s;
    QVERIFY(!m_kb->promote(p, u"x"_s));
    QCOMPARE(m_kb->count(), qint64(0));
}

void TestKnowledgeBase::nextIdSkipsForeignIds()
{
    QCOMPARE(m_kb->nextId(), u"KB-0001"_s);
    QVERIFY(m_kb->create(entry(u"KB-0041"_s, u"a"_s), u"x"_s));
    QVERIFY(m_kb->create(entry(u"KB-12X"_s, u"b"_s), u"x"_s));
    QVERIFY(m_kb->create(entry(u"OTHER-9999"_s, u"c"_s), u"x"_s));
    QCOMPARE(m_kb->nextId(), u"KB-0042"_s);
}

QTEST_GUILESS_MAIN(TestKnowledgeBase)
#include "tst_knowledgebase.moc"

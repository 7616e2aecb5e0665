#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "assistant/analyzer.h"
#include "storage/analysisstore.h"
#include "storage/database.h"

class TestAnalysisStore final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void saveAndLoad();
    void saveReplaces();
    void missingIsNullopt();
    void remove();
    void unknownSessionRejected();
    void survivesReopen();

private:
    qint64 addSession(const QString &key);
    // The assistant's Analysis as the store keeps it (Analysis::toRecord / fromRecord).
    static AnalysisRecord sample();
    static std::optional<Analysis> loadAnalysis(const AnalysisStore &store, qint64 sessionId);

    QTemporaryDir *m_dir = nullptr;
    Database *m_db = nullptr;
};

void TestAnalysisStore::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_db = new Database(QStringLiteral("tst_analysisstore"));
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = m_dir->filePath(QStringLiteral("tsp.db"));
    QVERIFY2(m_db->open(loc), qPrintable(m_db->errorString()));
}

void TestAnalysisStore::cleanup()
{
    delete m_db;
    delete m_dir;
}

qint64 TestAnalysisStore::addSession(const QString &key)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral(
        "INSERT INTO sessions (session_key, chat_id, chat_type, open_id, created_at, last_active_at)"
        " VALUES (?, 'oc_1', 'p2p', 'ou_1', 1, 1)"));
    q.addBindValue(key);
    if (!q.exec())
        return -1;
    return q.lastInsertId().toLongLong();
}

std::optional<Analysis> TestAnalysisStore::loadAnalysis(const AnalysisStore &store, qint64 sessionId)
{
    const auto record = store.load(sessionId);
    if (!record)
        return std::nullopt;
    return Analysis::fromRecord(*record);
}

AnalysisRecord TestAnalysisStore::sample()
{
    Analysis a;
    a.category = QStringLiteral("T-Box离线");
    a.urgency = QStringLiteral("high");
    a.summary = QStringLiteral("客户反馈车辆离线两天。");
    a.entities =
        EntityExtractor::extract(QStringLiteral("VIN LFV2A21K8E4123456，电话13812345678，粤BD12345"));
    a.nextStep = QStringLiteral("请客户核对 VIN");
    a.source = QStringLiteral("rules");
    a.updatedAt = 1767225600123;
    return a.toRecord();
}

void TestAnalysisStore::saveAndLoad()
{
    const qint64 sid = addSession(QStringLiteral("feishu_p2p_ou_1"));
    QVERIFY(sid > 0);
    AnalysisStore store(m_db);
    const Analysis a = Analysis::fromRecord(sample());
    const auto entities =
        EntityExtractor::extract(QStringLiteral("VIN LFV2A21K8E4123456，电话13812345678，粤BD12345"));
    QVERIFY2(store.save(sid, a.toRecord()), qPrintable(store.errorString()));
    const auto back = loadAnalysis(store, sid);
    QVERIFY(back.has_value());
    QCOMPARE(back->category, a.category);
    QCOMPARE(back->urgency, a.urgency);
    QCOMPARE(back->summary, a.summary);
    QCOMPARE(back->nextStep, a.nextStep);
    QCOMPARE(back->source, a.source);
    QCOMPARE(back->updatedAt, a.updatedAt);
    // Grouped by type on the way back: vin, plate, phone.
    QCOMPARE(back->entities.size(), 3);
    QCOMPARE(back->entities[0], entities[0]);
    QCOMPARE(back->entities[1], entities[2]);
    QCOMPARE(back->entities[2], entities[1]);
    QVERIFY(!back->entities.first().valid); // the wrong check digit survives the round trip
    QVERIFY(back->entities.first().note.contains(QLatin1String("check digit")));
    QCOMPARE(back->entities[1].note, QStringLiteral("新能源"));

    // Stored as the JSON object the schema describes.
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(QStringLiteral("SELECT entities FROM analysis")));
    QVERIFY(q.next());
    QVERIFY(q.value(0).toString().startsWith(QLatin1String("{")));
    QVERIFY(q.value(0).toString().contains(QLatin1String("\"vin\":[{")));
}

void TestAnalysisStore::saveReplaces()
{
    const qint64 sid = addSession(QStringLiteral("k"));
    AnalysisStore store(m_db);
    QVERIFY(store.save(sid, sample()));
    AnalysisRecord b = sample();
    b.urgency = QStringLiteral("critical");
    b.source = QStringLiteral("llm");
    b.entities = {};
    b.updatedAt = 0; // now
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(store.save(sid, b));
    const auto back = store.load(sid);
    QCOMPARE(back->urgency, QStringLiteral("critical"));
    QCOMPARE(back->source, QStringLiteral("llm"));
    QVERIFY(back->entities.isEmpty());
    QVERIFY(back->updatedAt >= before);
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM analysis")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1);
}

void TestAnalysisStore::missingIsNullopt()
{
    AnalysisStore store(m_db);
    QVERIFY(!store.load(424242).has_value());
}

void TestAnalysisStore::remove()
{
    const qint64 sid = addSession(QStringLiteral("k"));
    AnalysisStore store(m_db);
    QVERIFY(store.save(sid, sample()));
    QVERIFY(store.remove(sid));
    QVERIFY(!store.load(sid).has_value());
    // Deleting the session cascades.
    QVERIFY(store.save(sid, sample()));
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(QStringLiteral("DELETE FROM sessions WHERE id = %1").arg(sid)));
    QVERIFY(!store.load(sid).has_value());
}

void TestAnalysisStore::unknownSessionRejected()
{
    AnalysisStore store(m_db);
    QVERIFY(!store.save(999, sample())); // foreign key to sessions
    QVERIFY(!store.errorString().isEmpty());
}

void TestAnalysisStore::survivesReopen()
{
    const qint64 sid = addSession(QStringLiteral("k"));
    {
        AnalysisStore store(m_db);
        QVERIFY(store.save(sid, sample()));
    }
    const Database::Location loc = m_db->location();
    delete m_db;
    m_db = new Database(QStringLiteral("tst_analysisstore_2"));
    QVERIFY(m_db->open(loc));
    AnalysisStore store(m_db);
    const auto back = loadAnalysis(store, sid);
    QVERIFY(back.has_value());
    const QList<Entity> entities = Analysis::fromRecord(sample()).entities;
    QCOMPARE(back->entities.size(), entities.size());
    for (const Entity &e : entities)
        QVERIFY(back->entities.contains(e));
}

QTEST_GUILESS_MAIN(TestAnalysisStore)
#include "tst_analysisstore.moc"

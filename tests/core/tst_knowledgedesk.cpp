#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include "assistant/assistant.h"
#include "desk/knowledgedesk.h"
#include "deskfixture.h"
#include "knowledge/knowledgeformat.h"
#include "knowledge/knowledgesearch.h"
#include "tempdatabase.h"

using namespace Qt::Literals::StringLiterals;

namespace {

KnowledgeEntry makeEntry(const QString &id, const QString &title, const QString &category,
                         const QStringList &symptoms, const QString &solution)
{
    KnowledgeEntry e;
    e.id = id;
    e.title = title;
    e.category = category;
    e.symptoms = symptoms;
    e.solution = solution;
    e.vehicleModels = {u"云驰E5"_s};
    return e;
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

class TestKnowledgeDesk final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void pagesByIdWithCategoryFilter();
    void searchUsesTheBotsRetrievalAndFilters();
    void searchOnTheWorkerSeesEditsAndKeepsTheNewest();
    void citationsCountTheLastSevenDays();
    void validateNamesEachField();
    void saveCreatesAndTheNextAnswerCitesTheNewText();
    void similarFindsTheExistingEntry();
    void historyHasFieldDiffsAndWho();
    void restoreWritesANewVersion();
    void restoreADeletedEntry();
    void gapsGroupHandedOffQuestions();
    void importReportsProgressAndFinishes();
    void importCancelledImportsNothing();
    void importWithBadRowsWritesTheErrorFile();
    void exportWritesEveryEntry();

private:
    std::unique_ptr<TempKnowledgeDb> m_t;
    std::unique_ptr<KnowledgeDesk> m_desk;
};

void TestKnowledgeDesk::init()
{
    QString error;
    m_t = std::make_unique<TempKnowledgeDb>();
    QVERIFY2(m_t->open(u"tst_knowledgedesk"_s, &error), qPrintable(error));
    m_desk = std::make_unique<KnowledgeDesk>(*m_t->db, *m_t->kb);
    m_desk->setOperatorName(u"alice"_s);
}

void TestKnowledgeDesk::cleanup()
{
    m_desk.reset();
    m_t.reset();
}

void TestKnowledgeDesk::pagesByIdWithCategoryFilter()
{
    for (int i = 1; i <= 25; ++i) {
        QString error;
        QVERIFY2(m_t->kb->create(makeEntry(u"KB-%1"_s.arg(i, 4, 10, QLatin1Char('0')), u"问题 %1"_s.arg(i),
                                           i % 5 == 0 ? u"远程控制"_s : u"车机"_s, {u"症状 %1"_s.arg(i)},
                                           u"处理 %1"_s.arg(i)),
                                 u"seed"_s, &error),
                 qPrintable(error));
    }
    QCOMPARE(m_desk->count(), 25);
    QCOMPARE(m_desk->count({QString(), u"远程控制"_s}), 5);
    QCOMPARE(m_desk->categories(), (QStringList{u"车机"_s, u"远程控制"_s}));

    KnowledgeRowPage first = m_desk->page({}, {}, 10);
    QCOMPARE(first.rows.size(), 10);
    QVERIFY(first.hasMore);
    QCOMPARE(first.rows.front().id, u"KB-0001"_s);
    QCOMPARE(first.rows.front().vehicleModels, QStringList{u"云驰E5"_s});
    QCOMPARE(first.rows.front().source, u"operator"_s);
    QStringList seen;
    QString after;
    bool more = true;
    while (more) {
        const KnowledgeRowPage p = m_desk->page({}, after, 10);
        for (const KnowledgeRow &r : p.rows)
            seen << r.id;
        after = p.rows.isEmpty() ? after : p.rows.constLast().id;
        more = p.hasMore;
    }
    QCOMPARE(seen.size(), 25);
    QCOMPARE(seen.constLast(), u"KB-0025"_s);

    const KnowledgeRowPage remote = m_desk->page({QString(), u"远程控制"_s}, {}, 3);
    QCOMPARE(remote.rows.size(), 3);
    QVERIFY(remote.hasMore);
    for (const KnowledgeRow &r : remote.rows)
        QCOMPARE(r.category, u"远程控制"_s);
}

void TestKnowledgeDesk::searchUsesTheBotsRetrievalAndFilters()
{
    QString error;
    QVERIFY(m_t->kb->create(makeEntry(u"KB-0001"_s, u"车机无法联网"_s, u"车机"_s,
                                      {u"车机没网"_s, u"车机连不上网络"_s}, u"重启T-Box"_s),
                            u"seed"_s, &error));
    QVERIFY(m_t->kb->create(makeEntry(u"KB-0002"_s, u"远程解锁失败"_s, u"远程控制"_s,
                                      {u"App远程解锁没反应"_s}, u"检查网络后重试"_s),
                            u"seed"_s, &error));
    QVERIFY(m_t->kb->create(makeEntry(u"KB-0003"_s, u"远程控制时网络超时"_s, u"远程控制"_s,
                                      {u"远程控制网络超时"_s}, u"靠近基站重试"_s),
                            u"seed"_s, &error));
    // The same query the bot would run: 2-character Chinese words and colloquial synonyms work.
    const KnowledgeSearch bot(*m_t->db);
    const KnowledgeSearchResult botResult = bot.search(u"车机没网"_s, 5);
    const KnowledgeRowPage hits = m_desk->page({u"车机没网"_s, QString()});
    QVERIFY(!hits.rows.isEmpty());
    QCOMPARE(hits.rows.front().id, botResult.hits.front().entry.id);
    QCOMPARE(hits.rows.front().id, u"KB-0001"_s);
    QVERIFY(hits.rows.front().score > 0);
    QVERIFY(!hits.hasMore);

    const KnowledgeRowPage filtered = m_desk->page({u"网络"_s, u"远程控制"_s});
    QVERIFY(!filtered.rows.isEmpty());
    for (const KnowledgeRow &r : filtered.rows)
        QCOMPARE(r.category, u"远程控制"_s);
    QCOMPARE(m_desk->count({u"网络"_s, u"远程控制"_s}), filtered.rows.size());
}

// The table's search runs on the desk's worker, over a connection of its own: the same rows as
// page(), an edit made on the main connection found by the next search, and of searches asked
// for while one runs only the newest is run.
void TestKnowledgeDesk::searchOnTheWorkerSeesEditsAndKeepsTheNewest()
{
    QString error;
    QVERIFY(m_t->kb->create(
        makeEntry(u"KB-0001"_s, u"车机无法联网"_s, u"车机"_s, {u"车机没网"_s}, u"重启T-Box"_s), u"seed"_s,
        &error));
    QVERIFY(m_t->kb->create(makeEntry(u"KB-0002"_s, u"远程解锁失败"_s, u"远程控制"_s,
                                      {u"App远程解锁没反应"_s}, u"检查网络后重试"_s),
                            u"seed"_s, &error));
    QSignalSpy finished(m_desk.get(), &KnowledgeDesk::searchFinished);
    const KnowledgeQuery query{u"车机没网"_s, QString()};
    const quint64 first = m_desk->startSearch(query);
    QVERIFY(finished.isEmpty()); // never answered within the call
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<quint64>(), first);
    const KnowledgeRowPage rows = finished.at(0).at(1).value<KnowledgeRowPage>();
    QCOMPARE(rows.rows, m_desk->page(query).rows);
    QCOMPARE(rows.rows.front().id, u"KB-0001"_s);

    // An edit on the main connection: the worker's next search finds the new text.
    KnowledgeEntry e = *m_desk->entry(u"KB-0002"_s);
    e.solution = u"拔掉OBD诊断接头静置五分钟"_s;
    QVERIFY(m_desk->save(e, false).ok);
    finished.clear();
    const quint64 edited = m_desk->startSearch({u"OBD诊断接头"_s, QString()});
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).value<quint64>(), edited);
    const KnowledgeRowPage found = finished.at(0).at(1).value<KnowledgeRowPage>();
    QVERIFY(!found.rows.isEmpty());
    QCOMPARE(found.rows.front().id, u"KB-0002"_s);

    // Three asked for at once: the first runs, the second is replaced by the third.
    finished.clear();
    const quint64 a = m_desk->startSearch({u"车机"_s, QString()});
    m_desk->startSearch({u"远程"_s, QString()});
    const quint64 c = m_desk->startSearch({u"远程解锁"_s, u"远程控制"_s});
    QTRY_COMPARE(finished.size(), 2);
    QTest::qWait(20);
    QCOMPARE(finished.size(), 2);
    QCOMPARE(finished.at(0).at(0).value<quint64>(), a);
    QCOMPARE(finished.at(1).at(0).value<quint64>(), c);
    for (const KnowledgeRow &r : finished.at(1).at(1).value<KnowledgeRowPage>().rows)
        QCOMPARE(r.category, u"远程控制"_s);

    // The form's similar entries, the same way: what similar() returns.
    QSignalSpy similarSpy(m_desk.get(), &KnowledgeDesk::similarFound);
    KnowledgeEntry form;
    form.title = u"车机没网了"_s;
    const quint64 similar = m_desk->startSimilar(form, u"KB-0009"_s);
    QVERIFY(similarSpy.isEmpty());
    QTRY_COMPARE(similarSpy.size(), 1);
    QCOMPARE(similarSpy.at(0).at(0).value<quint64>(), similar);
    const auto ids = [](const QList<CitedEntry> &entries) {
        QStringList out;
        for (const CitedEntry &c : entries)
            out << c.id;
        return out;
    };
    const QStringList onWorker = ids(similarSpy.at(0).at(1).value<QList<CitedEntry>>());
    QCOMPARE(onWorker, ids(m_desk->similar(form, u"KB-0009"_s)));
    QCOMPARE(onWorker.value(0), u"KB-0001"_s);
}

void TestKnowledgeDesk::citationsCountTheLastSevenDays()
{
    QString error;
    QVERIFY(m_t->kb->create(makeEntry(u"KB-0001"_s, u"车机无法联网"_s, u"车机"_s, {u"车机没网"_s}, u"重启"_s),
                            u"s"_s, &error));
    QVERIFY(
        m_t->kb->create(makeEntry(u"KB-0002"_s, u"远程解锁失败"_s, u"远程控制"_s, {u"解锁失败"_s}, u"重试"_s),
                        u"s"_s, &error));
    DeskFixture f(*m_t->db);
    const qint64 t = now();
    const qint64 s = f.addSession(t - 10 * 86400000LL);
    const qint64 c1 = f.addCustomer(s, u"车机没网"_s, t - 3600000);
    QVERIFY(f.addBot(s, c1, u"a"_s, t - 3600000, u"knowledge"_s, false,
                     uR"([{"id":"KB-0001","score":2.5},{"id":"KB-0002","score":1.0}])"_s) > 0);
    const qint64 c2 = f.addCustomer(s, u"车机还是没网"_s, t - 60000);
    QVERIFY(f.addBot(s, c2, u"b"_s, t - 60000, u"knowledge"_s, false,
                     uR"([{"id":"KB-0001","score":2.0}])"_s) > 0);
    // Eight days ago: outside the window.
    const qint64 c3 = f.addCustomer(s, u"解锁失败"_s, t - 8 * 86400000LL);
    QVERIFY(f.addBot(s, c3, u"c"_s, t - 8 * 86400000LL, u"knowledge"_s, false,
                     uR"([{"id":"KB-0002","score":3}])"_s) > 0);
    // A turn with broken refs is stored (no citation), not rejected.
    QVERIFY(f.addBot(s, c3, u"d"_s, t, u"knowledge"_s, false, u"not json"_s) > 0);

    const KnowledgeRowPage p = m_desk->page({});
    QCOMPARE(p.rows.size(), 2);
    QCOMPARE(p.rows.at(0).citations, 2);
    QCOMPARE(p.rows.at(1).citations, 1);
}

void TestKnowledgeDesk::validateNamesEachField()
{
    KnowledgeEntry e;
    QList<KnowledgeFieldError> errors = m_desk->validate(e, true);
    QStringList fields;
    for (const KnowledgeFieldError &x : errors)
        fields << x.field;
    QCOMPARE(fields, (QStringList{u"title"_s, u"category"_s, u"solution"_s}));
    for (const KnowledgeFieldError &x : errors)
        QVERIFY(!x.message.isEmpty());

    e = makeEntry(u"KB-0001"_s, u"标题"_s, u"车机"_s, {}, u"步骤"_s);
    QVERIFY(m_desk->validate(e, true).isEmpty());
    QVERIFY(m_desk->save(e, true).ok);
    // The id is taken now: a second "new" entry with it is refused with a message naming it.
    errors = m_desk->validate(e, true);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.front().field, u"id"_s);
    QVERIFY(errors.front().message.contains(u"KB-0001"_s));
    e.title = QString(KnowledgeFormat::kMaxShortText + 1, QLatin1Char('x'));
    errors = m_desk->validate(e, false);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.front().field, u"title"_s);
    const DeskResult refused = m_desk->save(e, false);
    QVERIFY(!refused.ok);
    QCOMPARE(refused.error, errors.front().message);
    QCOMPARE(m_desk->entry(u"KB-0001"_s)->title, u"标题"_s);
}

void TestKnowledgeDesk::saveCreatesAndTheNextAnswerCitesTheNewText()
{
    QString id;
    QVERIFY(m_desk
                ->save(makeEntry({}, u"车机蓝牙无法连接手机"_s, u"车机"_s,
                                 {u"蓝牙连不上"_s, u"手机蓝牙搜不到车机"_s},
                                 u"在车机设置中删除旧配对后重新配对。"_s),
                       true, &id)
                .ok);
    QCOMPARE(id, u"KB-0001"_s);
    QCOMPARE(m_desk->entry(id)->source, u"operator"_s);

    // The bot's own assistant over the same database, made before the edit (its caches must
    // notice the write).
    KnowledgeSearch search(*m_t->db);
    Assistant assistant(&search);
    const auto ask = [&assistant](const QString &question) {
        Answer answer;
        bool done = false;
        assistant.answer(AnswerRequest{u"s1"_s, question, {}, {}}, [&](const Answer &a) {
            answer = a;
            done = true;
        });
        if (!QTest::qWaitFor([&done] { return done; }, 5000))
            qWarning() << "no answer";
        return answer;
    };
    Answer before = ask(u"蓝牙连不上怎么办"_s);
    QCOMPARE(before.source, AnswerSource::Knowledge);
    QVERIFY(before.text.contains(u"重新配对"_s));

    KnowledgeEntry edited = *m_desk->entry(id);
    edited.solution = u"先关闭手机蓝牙再打开，然后在车机上选择“忘记设备”并重新搜索。"_s;
    QSignalSpy changed(m_desk.get(), &KnowledgeDesk::entryChanged);
    QVERIFY(m_desk->save(edited, false).ok);
    QCOMPARE(changed.size(), 1);
    const Answer after = ask(u"蓝牙连不上怎么办"_s);
    QCOMPARE(after.source, AnswerSource::Knowledge);
    QVERIFY2(after.text.contains(u"忘记设备"_s), qPrintable(after.text));
    QVERIFY(!after.text.contains(u"删除旧配对"_s));
    QCOMPARE(after.refs.front().id, id);
}

void TestKnowledgeDesk::similarFindsTheExistingEntry()
{
    QVERIFY(m_desk
                ->save(makeEntry(u"KB-0007"_s, u"数字钥匙无法解锁车辆"_s, u"数字钥匙"_s,
                                 {u"手机钥匙打不开车门"_s}, u"重新绑定数字钥匙"_s),
                       true)
                .ok);
    QVERIFY(
        m_desk
            ->save(makeEntry(u"KB-0008"_s, u"车机屏幕黑屏"_s, u"车机"_s, {u"中控屏不亮"_s}, u"长按电源键"_s),
                   true)
            .ok);
    KnowledgeEntry form;
    form.title = u"手机钥匙打不开车门"_s;
    const QList<CitedEntry> similar = m_desk->similar(form);
    QVERIFY(!similar.isEmpty());
    QCOMPARE(similar.front().id, u"KB-0007"_s);
    QCOMPARE(similar.front().title, u"数字钥匙无法解锁车辆"_s);
    // The entry being edited is not similar to itself.
    for (const CitedEntry &c : m_desk->similar(form, u"KB-0007"_s))
        QVERIFY(c.id != u"KB-0007"_s);
    QVERIFY(m_desk->similar(KnowledgeEntry{}).isEmpty());
}

void TestKnowledgeDesk::historyHasFieldDiffsAndWho()
{
    QVERIFY(m_desk->save(makeEntry(u"KB-0001"_s, u"旧标题"_s, u"车机"_s, {u"a"_s}, u"旧方案"_s), true).ok);
    m_desk->setOperatorName(u"bob"_s);
    KnowledgeEntry e = *m_desk->entry(u"KB-0001"_s);
    e.title = u"新标题"_s;
    e.symptoms = {u"a"_s, u"b"_s};
    QVERIFY(m_desk->save(e, false).ok);
    const QList<KnowledgeHistoryItem> h = m_desk->history(u"KB-0001"_s);
    QCOMPARE(h.size(), 2);
    QCOMPARE(h.at(0).version, 2);
    QCOMPARE(h.at(0).actor, u"bob"_s);
    QCOMPARE(h.at(0).action, u"update"_s);
    QVERIFY(qAbs(h.at(0).at - now()) < 60000);
    QCOMPARE(h.at(0).changes.size(), 2); // title and symptoms; updated_at is not shown
    QHash<QString, KnowledgeFieldChange> byField;
    for (const KnowledgeFieldChange &c : h.at(0).changes)
        byField.insert(c.field, c);
    QCOMPARE(byField.value(u"title"_s).before, u"旧标题"_s);
    QCOMPARE(byField.value(u"title"_s).after, u"新标题"_s);
    QCOMPARE(byField.value(u"symptoms"_s).before, u"a"_s);
    QCOMPARE(byField.value(u"symptoms"_s).after, u"a\nb"_s);
    QCOMPARE(h.at(1).actor, u"alice"_s);
    QCOMPARE(h.at(1).action, u"create"_s);
}

void TestKnowledgeDesk::restoreWritesANewVersion()
{
    QVERIFY(
        m_desk->save(makeEntry(u"KB-0001"_s, u"标题一"_s, u"车机"_s, {u"症状一"_s}, u"方案一"_s), true).ok);
    KnowledgeEntry e = *m_desk->entry(u"KB-0001"_s);
    e.solution = u"方案二"_s;
    QVERIFY(m_desk->save(e, false).ok);
    e.title = u"标题三"_s;
    e.tags = {u"标签"_s};
    QVERIFY(m_desk->save(e, false).ok);

    const std::optional<KnowledgeEntry> v1 = m_desk->entryAtVersion(u"KB-0001"_s, 1);
    QVERIFY(v1);
    QCOMPARE(v1->title, u"标题一"_s);
    QCOMPARE(v1->solution, u"方案一"_s);
    QVERIFY(v1->tags.isEmpty());
    QCOMPARE(m_desk->entryAtVersion(u"KB-0001"_s, 2)->solution, u"方案二"_s);
    QCOMPARE(m_desk->entryAtVersion(u"KB-0001"_s, 2)->title, u"标题一"_s);
    QVERIFY(!m_desk->entryAtVersion(u"KB-0001"_s, 9));

    const DeskResult r = m_desk->restore(u"KB-0001"_s, 1);
    QVERIFY2(r.ok, qPrintable(r.error));
    const KnowledgeEntry now = *m_desk->entry(u"KB-0001"_s);
    QCOMPARE(now.title, u"标题一"_s);
    QCOMPARE(now.solution, u"方案一"_s);
    QVERIFY(now.tags.isEmpty());
    const QList<KnowledgeHistoryItem> h = m_desk->history(u"KB-0001"_s);
    QCOMPARE(h.size(), 4);
    QCOMPARE(h.front().version, 4);
    QCOMPARE(h.front().actor, u"alice"_s);
    // The search follows the restored text at once.
    QCOMPARE(m_desk->page({u"方案一"_s, QString()}).rows.value(0).id, u"KB-0001"_s);
    // Restoring what is current already is refused with a reason, and writes nothing.
    QVERIFY(!m_desk->restore(u"KB-0001"_s, 4).ok);
    QCOMPARE(m_desk->history(u"KB-0001"_s).size(), 4);
}

void TestKnowledgeDesk::restoreADeletedEntry()
{
    QVERIFY(m_desk->save(makeEntry(u"KB-0001"_s, u"标题"_s, u"车机"_s, {u"症状"_s}, u"方案"_s), true).ok);
    QString error;
    QVERIFY(m_t->kb->remove(u"KB-0001"_s, u"alice"_s, &error));
    QVERIFY(!m_desk->entry(u"KB-0001"_s));
    QVERIFY(m_desk->restore(u"KB-0001"_s, 1).ok);
    QCOMPARE(m_desk->entry(u"KB-0001"_s)->solution, u"方案"_s);
    QCOMPARE(m_desk->history(u"KB-0001"_s).front().version, 3);
}

void TestKnowledgeDesk::gapsGroupHandedOffQuestions()
{
    DeskFixture f(*m_t->db);
    const qint64 t = now();
    const QStringList wifi{u"车机怎么连接家里的WiFi"_s, u"车机如何连接WiFi"_s, u"车机怎么连接家里的WiFi"_s};
    qint64 i = 0;
    for (const QString &q : wifi) {
        const qint64 s = f.addSession(t - 100000 + i);
        QVERIFY(f.setAnalysis(s, u"车机"_s, t));
        const qint64 c = f.addCustomer(s, q, t - 90000 + (i++) * 1000);
        QVERIFY(f.addBot(s, c, u"转人工"_s, t - 80000 + i * 1000, u"handoff"_s, true) > 0);
    }
    // Review mode: the draft holds the handed-off question.
    const qint64 rs = f.addSession(t - 50000, u"review"_s);
    const qint64 rc = f.addCustomer(rs, u"保险理赔电话是多少"_s, t - 40000);
    QVERIFY(f.addDraft(rs, rc, u"pending"_s, t - 39000, u"handoff"_s, true) > 0);
    // Answered questions and old handoffs are not gaps.
    const qint64 as = f.addSession(t - 30000);
    const qint64 ac = f.addCustomer(as, u"车机没网"_s, t - 20000);
    QVERIFY(f.addBot(as, ac, u"重启"_s, t - 19000, u"knowledge"_s) > 0);
    const qint64 os = f.addSession(t - 40 * 86400000LL);
    const qint64 oc = f.addCustomer(os, u"很久以前的问题"_s, t - 40 * 86400000LL);
    QVERIFY(f.addBot(os, oc, u"转人工"_s, t - 40 * 86400000LL, u"handoff"_s, true) > 0);

    const QList<KnowledgeGap> gaps = m_desk->gaps(30);
    QCOMPARE(gaps.size(), 2);
    QCOMPARE(gaps.at(0).count, 3);
    QCOMPARE(gaps.at(0).question, u"车机怎么连接家里的WiFi"_s);
    QCOMPARE(gaps.at(0).examples.size(), 2);
    QCOMPARE(gaps.at(0).category, u"车机"_s);
    QCOMPARE(gaps.at(0).sessionIds.size(), 3);
    QCOMPARE(gaps.at(1).count, 1);
    QCOMPARE(gaps.at(1).question, u"保险理赔电话是多少"_s);

    const KnowledgeEntry draft = m_desk->entryFromGap(gaps.at(0));
    QCOMPARE(draft.id, u"KB-0001"_s);
    QCOMPARE(draft.title, u"车机怎么连接家里的WiFi"_s);
    QCOMPARE(draft.category, u"车机"_s);
    QCOMPARE(draft.symptoms, gaps.at(0).examples);
    QCOMPARE(draft.source, u"operator"_s);
}

static QString writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(data);
    return path;
}

static QByteArray jsonl(int n)
{
    QList<KnowledgeEntry> entries;
    for (int i = 1; i <= n; ++i)
        entries << makeEntry(u"IM-%1"_s.arg(i, 5, 10, QLatin1Char('0')), u"导入问题 %1"_s.arg(i), u"车机"_s,
                             {u"症状 %1"_s.arg(i)}, u"处理 %1"_s.arg(i));
    return KnowledgeFormat::toJsonl(entries);
}

void TestKnowledgeDesk::importReportsProgressAndFinishes()
{
    const QString path = writeFile(m_t->dir.filePath(u"in.jsonl"_s), jsonl(300));
    QSignalSpy progress(m_desk.get(), &KnowledgeDesk::transferProgress);
    QSignalSpy finished(m_desk.get(), &KnowledgeDesk::transferFinished);
    QSignalSpy reset(m_desk.get(), &KnowledgeDesk::entriesReset);
    QVERIFY(m_desk->startImport(path));
    QVERIFY(m_desk->isTransferring());
    QVERIFY(!m_desk->startImport(path)); // one at a time
    QVERIFY(finished.wait(30000) || finished.size() == 1);
    const auto report = finished.front().front().value<KnowledgeTransferReport>();
    QVERIFY2(report.ok, qPrintable(report.message));
    QCOMPARE(report.created, 300);
    QVERIFY(report.errors.isEmpty());
    QVERIFY(progress.size() >= 2);
    QCOMPARE(progress.constLast().at(0).toLongLong(), 300);
    QCOMPARE(progress.constLast().at(1).toLongLong(), 300);
    QCOMPARE(reset.size(), 1);
    QVERIFY(!m_desk->isTransferring());
    QCOMPARE(m_desk->count(), 300);
    QCOMPARE(m_desk->history(u"IM-00001"_s).front().actor, u"alice"_s);
}

void TestKnowledgeDesk::importCancelledImportsNothing()
{
    const QString path = writeFile(m_t->dir.filePath(u"big.jsonl"_s), jsonl(5000));
    QSignalSpy finished(m_desk.get(), &KnowledgeDesk::transferFinished);
    // Cancelled while the worker reads the file: it stops before (or while) writing, and
    // whatever it wrote is rolled back.
    QVERIFY(m_desk->startImport(path));
    m_desk->cancelTransfer();
    QVERIFY(finished.wait(60000) || finished.size() == 1);
    const auto report = finished.front().front().value<KnowledgeTransferReport>();
    QVERIFY(!report.ok);
    QVERIFY(report.cancelled);
    QVERIFY(!report.message.isEmpty());
    QCOMPARE(m_desk->count(), 0);
    // The next import runs normally.
    QVERIFY(m_desk->startImport(path));
    QVERIFY(finished.wait(60000) || finished.size() == 2);
    QVERIFY(finished.at(1).front().value<KnowledgeTransferReport>().ok);
    QCOMPARE(m_desk->count(), 5000);
}

void TestKnowledgeDesk::importWithBadRowsWritesTheErrorFile()
{
    QByteArray data = jsonl(3);
    data += "{\"id\": \"X-1\"}\n"; // line 4: no title
    data += "not json\n";          // line 5
    const QString path = writeFile(m_t->dir.filePath(u"bad.jsonl"_s), data);
    QSignalSpy finished(m_desk.get(), &KnowledgeDesk::transferFinished);
    QVERIFY(m_desk->startImport(path));
    QVERIFY(finished.wait(30000) || finished.size() == 1);
    const auto report = finished.front().front().value<KnowledgeTransferReport>();
    QVERIFY(!report.ok);
    QCOMPARE(report.errors.size(), 2);
    QVERIFY2(report.errors.at(0).startsWith(path + u":4: "_s), qPrintable(report.errors.at(0)));
    QVERIFY2(report.errors.at(1).startsWith(path + u":5: "_s), qPrintable(report.errors.at(1)));
    QCOMPARE(report.errorFile, KnowledgeDesk::errorFileFor(path));
    QFile errors(report.errorFile);
    QVERIFY(errors.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(errors.readAll()), report.errors.join(QLatin1Char('\n')) + u"\n"_s);
    QCOMPARE(m_desk->count(), 0); // all or nothing

    // An unknown file type is refused at once, with a reason.
    QVERIFY(!m_desk->startImport(m_t->dir.filePath(u"x.txt"_s)));
    QVERIFY(finished.wait(5000) || finished.size() == 2);
    QVERIFY(finished.at(1).front().value<KnowledgeTransferReport>().message.contains(u"unknown file type"_s));
}

void TestKnowledgeDesk::exportWritesEveryEntry()
{
    for (int i = 1; i <= 5; ++i)
        QVERIFY(m_desk->save(makeEntry({}, u"题 %1"_s.arg(i), u"车机"_s, {}, u"解 %1"_s.arg(i)), true).ok);
    const QString path = m_t->dir.filePath(u"out.csv"_s);
    QSignalSpy finished(m_desk.get(), &KnowledgeDesk::transferFinished);
    QVERIFY(m_desk->startExport(path));
    QVERIFY(finished.wait(30000) || finished.size() == 1);
    const auto report = finished.front().front().value<KnowledgeTransferReport>();
    QVERIFY2(report.ok, qPrintable(report.message));
    QCOMPARE(report.total, 5);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const KnowledgeParseResult back = KnowledgeFormat::parseCsv(f.readAll());
    QVERIFY(back.ok());
    QCOMPARE(back.entries.size(), 5);
    QCOMPARE(back.entries.at(2).solution, u"解 3"_s);
}

QTEST_GUILESS_MAIN(TestKnowledgeDesk)
#include "tst_knowledgedesk.moc"

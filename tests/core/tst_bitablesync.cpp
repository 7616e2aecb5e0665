// BitableSync against the sandbox's Bitable on 127.0.0.1: push (idempotent creates, serialised
// writes, batches, per-record conversion errors), incremental pull with paging, segment texts,
// conflicts and their resolution, the mapping check before any write, and Bitable's error codes.
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include "bitablefixture.h"
#include "feishu/bitableclient.h"
#include "feishu/openapiclient.h"
#include "sandbox/bitablesandbox.h"
#include "sandbox/feishusandbox.h"
#include "storage/transaction.h"
#include "tempdatabase.h"
#include "tickets/bitablesync.h"
#include "tickets/ticketstore.h"

namespace {
const QString kApp = BitableFixture::appToken();
const QString kTable = BitableFixture::tableId();
} // namespace

class TestBitableSync final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void pushCreatesRecordsAndMarksSynced();
    void createRetriedAfterTimeoutMakesNoDuplicate();
    void createLostInACrashIsNotRepeatedNextRun();
    void writesAreSerialisedAndBatched();
    void sandboxRefusesConcurrentWrites();
    void retryableCodesAreRetried_data();
    void retryableCodesAreRetried();
    void permanentErrorFailsTheSync();
    void conversionErrorIsPerRecord();
    void mappingMismatchStopsBeforeAnyWrite();
    void importGivesNumbersAndWritesThemBack();
    void incrementalPullTakesRemoteChanges();
    void conflictIsKeptUntilResolved();
    void conflictResolvedWithRemoteOrMerge();
    void disjointChangesAreMerged();
    void thousandRecordsPulledInPages();
    void segmentTextsAreRead();

private:
    BitableSync::Report runSync(BitableSync *sync = nullptr);
    std::unique_ptr<BitableSync> makeSync(int pageSize = 500);
    Ticket newTicket(const QString &title, const QString &category = {});
    BitableSandbox *bitable() const { return m_bitable->bitable(); }

    std::unique_ptr<TempKnowledgeDb> m_db;
    std::unique_ptr<TicketStore> m_store;
    std::unique_ptr<BitableFixture> m_bitable;
    std::unique_ptr<BitableSync> m_sync;
};

void TestBitableSync::init()
{
    m_db = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_db->open(QStringLiteral("tst_bitablesync"), &error), qPrintable(error));
    m_store = std::make_unique<TicketStore>(m_db->db.get());
    m_bitable = std::make_unique<BitableFixture>();
    QVERIFY(m_bitable->start());
    m_sync = makeSync();
}

void TestBitableSync::cleanup()
{
    m_sync.reset();
    m_bitable.reset();
    m_store.reset();
    m_db.reset();
}

std::unique_ptr<BitableSync> TestBitableSync::makeSync(int pageSize)
{
    return std::make_unique<BitableSync>(m_store.get(), m_bitable->api.get(),
                                         BitableFixture::syncOptions(pageSize));
}

BitableSync::Report TestBitableSync::runSync(BitableSync *sync)
{
    BitableSync *s = sync ? sync : m_sync.get();
    QSignalSpy spy(s, &BitableSync::finished);
    if (!s->syncNow())
        return {};
    if (!spy.wait(60000))
        return {};
    return spy.takeFirst().at(0).value<BitableSync::Report>();
}

Ticket TestBitableSync::newTicket(const QString &title, const QString &category)
{
    Ticket t;
    t.title = title;
    t.category = category;
    t.customerName = QStringLiteral("张三");
    t.vin = QStringLiteral("LSVAU2180N2183294");
    t.urgency = QStringLiteral("high");
    const auto made = m_store->create(t, QStringLiteral("tester"));
    return made ? *made : Ticket{};
}

void TestBitableSync::pushCreatesRecordsAndMarksSynced()
{
    const Ticket a = newTicket(QStringLiteral("远程启动失败"), QStringLiteral("远程控制"));
    const Ticket b = newTicket(QStringLiteral("车机无网络"));
    QVERIFY(a.id && b.id);
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.created, 2);
    const auto records = bitable()->records(kApp, kTable);
    QCOMPARE(records.size(), 2);
    const auto ta = m_store->ticket(a.id);
    QVERIFY(!ta->recordId.isEmpty());
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Synced);
    const auto rec = bitable()->record(kApp, kTable, ta->recordId);
    QVERIFY(rec);
    QCOMPARE(rec->fields.value(QStringLiteral("工单编号")).toString(), a.number);
    QCOMPARE(rec->fields.value(QStringLiteral("标题")).toString(), QStringLiteral("远程启动失败"));
    QCOMPARE(rec->fields.value(QStringLiteral("状态")).toString(), QStringLiteral("新建"));
    QCOMPARE(rec->fields.value(QStringLiteral("紧急程度")).toString(), QStringLiteral("高"));
    QCOMPARE(rec->fields.value(QStringLiteral("车架号")).toString(), QStringLiteral("LSVAU2180N2183294"));
    QCOMPARE(qint64(rec->fields.value(QStringLiteral("创建时间")).toDouble()), ta->createdAt);
    QCOMPARE(rec->fields.value(QStringLiteral("分类")).toString(), QStringLiteral("远程控制"));
    const auto recB = bitable()->record(kApp, kTable, m_store->ticket(b.id)->recordId);
    QVERIFY(recB);
    QVERIFY(!recB->fields.contains(QStringLiteral("分类"))); // empty: left empty, not ""

    // Nothing changed: a second run writes nothing.
    const int creates = bitable()->counters().creates;
    const BitableSync::Report again = runSync();
    QVERIFY(again.ok);
    QCOMPARE(again.created + again.updatedRemote, 0);
    QCOMPARE(bitable()->counters().creates, creates);
    QCOMPARE(bitable()->counters().updates, 0);
}

void TestBitableSync::createRetriedAfterTimeoutMakesNoDuplicate()
{
    newTicket(QStringLiteral("A"));
    newTicket(QStringLiteral("B"));
    // The create is carried out, its answer never comes: the client times out and repeats it
    // with the same client_token.
    bitable()->injectTimeout(BitableSandbox::Op::Write);
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(bitable()->records(kApp, kTable).size(), 2);
    QCOMPARE(bitable()->counters().replayedCreates, 1);
    QCOMPARE(bitable()->counters().creates, 1);
    QCOMPARE(m_store->idsInState({TicketSyncState::Synced}).size(), 2);
    for (const Ticket &t : m_store->tickets())
        QVERIFY(bitable()->record(kApp, kTable, t.recordId));
}

void TestBitableSync::createLostInACrashIsNotRepeatedNextRun()
{
    // The process dies after a create reached Bitable and before its answer came back: the
    // ticket has no record id, only the client_token of the create in flight. The next run (a
    // new BitableSync, as after a restart, with a new client_token) must find the record by its
    // 工单编号 and link it, not create a second row. A local edit made after the lost create is
    // pushed as an update, with no conflict: the guard takes Bitable's row as what was sent.
    const Ticket a = newTicket(QStringLiteral("崩溃前的工单"));
    bitable()->injectTimeout(BitableSandbox::Op::Write); // carried out, never answered
    QVERIFY(m_sync->syncNow());
    QTRY_COMPARE_WITH_TIMEOUT(bitable()->records(kApp, kTable).size(), 1, 30000);
    // The crash: the process's clients go away with the call unanswered.
    m_sync.reset();
    m_bitable->newClient();
    QCOMPARE(bitable()->counters().creates, 1);
    QVERIFY(m_store->ticket(a.id)->recordId.isEmpty());
    QVERIFY(!m_store->syncInfo(a.id).clientToken.isEmpty());
    const QString recordId = bitable()->records(kApp, kTable).first().id;

    // Edited after the lost create, in a field the create carried: without the guard the row's
    // 标题 and ours would both count as changes since "never synced" and clash.
    Ticket edited = *m_store->ticket(a.id);
    edited.title = QStringLiteral("崩溃后改的标题");
    edited.assignee = QStringLiteral("李工");
    QVERIFY(m_store->update(edited, QStringLiteral("tester")));

    m_sync = makeSync(); // the next run, a new process
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.created, 0);
    QCOMPARE(r.conflicts, 0);
    QCOMPARE(bitable()->records(kApp, kTable).size(), 1);
    QCOMPARE(bitable()->counters().creates, 1);
    QCOMPARE(bitable()->counters().replayedCreates, 0);
    const Ticket linked = *m_store->ticket(a.id);
    QCOMPARE(linked.recordId, recordId);
    const TicketSyncInfo info = m_store->syncInfo(a.id);
    QCOMPARE(info.state, TicketSyncState::Synced);
    QVERIFY(info.clientToken.isEmpty());
    QCOMPARE(bitable()->record(kApp, kTable, recordId)->fields.value(QStringLiteral("处理人")).toString(),
             QStringLiteral("李工"));
    QCOMPARE(bitable()->record(kApp, kTable, recordId)->fields.value(QStringLiteral("标题")).toString(),
             QStringLiteral("崩溃后改的标题"));
    QCOMPARE(linked.title, QStringLiteral("崩溃后改的标题"));
    QCOMPARE(m_store->count(), 1); // the row was not imported as a second ticket either
}

void TestBitableSync::writesAreSerialisedAndBatched()
{
    {
        Transaction tx(m_db->db->db());
        for (int i = 0; i < 1100; ++i)
            QVERIFY(newTicket(QStringLiteral("批量 %1").arg(i)).id);
        QVERIFY(tx.commit());
    }
    // Writes take a while to answer; one arriving meanwhile would get 1254291. An injected
    // write conflict (another writer) is retried.
    bitable()->setWriteDelayMs(20);
    bitable()->injectError(BitableClient::kWriteConflict, 1, BitableSandbox::Op::Write);
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.created, 1100);
    QCOMPARE(bitable()->records(kApp, kTable).size(), 1100);
    QCOMPARE(bitable()->counters().creates, 3); // 500 + 500 + 100
    QCOMPARE(bitable()->counters().writeConflicts, 0);
    QCOMPARE(m_sync->client()->counters().maxWritesInFlight, 1);
    QCOMPARE(m_sync->client()->counters().codes.value(BitableClient::kWriteConflict), 1);
}

void TestBitableSync::sandboxRefusesConcurrentWrites()
{
    // The check above means something only if concurrent writes are refused: two clients
    // (two writers) at once.
    // The first write is answered 500 ms later, so the second one surely arrives meanwhile.
    bitable()->setWriteDelayMs(500);
    OpenApiClient::Options ao;
    ao.domain = m_bitable->sandbox->baseUrl().toString();
    ao.appId = m_bitable->sandbox->options().appId;
    ao.appSecret = m_bitable->sandbox->options().appSecret;
    ao.network.proxyMode = NetworkOptions::ProxyMode::None;
    ao.timeoutMs = 30000;
    OpenApiClient api(ao);
    BitableClient::Options o;
    o.appToken = kApp;
    o.tableId = kTable;
    o.retryBaseMs = 300;
    o.maxRetries = 8;
    BitableClient one(&api, o);
    BitableClient two(&api, o);
    int done = 0;
    bool ok = true;
    auto finish = [&](const BitableClient::Result &r, const QList<BitableRecord> &) {
        ok = ok && r.ok;
        ++done;
    };
    const QJsonArray rec{
        QJsonObject{{QStringLiteral("fields"), QJsonObject{{QStringLiteral("标题"), QStringLiteral("x")}}}}};
    one.batchCreate(rec, QStringLiteral("11111111-1111-4111-8111-111111111111"), finish);
    two.batchCreate(rec, QStringLiteral("22222222-2222-4222-8222-222222222222"), finish);
    QTRY_COMPARE_WITH_TIMEOUT(done, 2, 30000);
    QVERIFY(ok);
    QVERIFY(bitable()->counters().writeConflicts >= 1);
    QCOMPARE(one.counters().codes.value(BitableClient::kWriteConflict) +
                 two.counters().codes.value(BitableClient::kWriteConflict),
             bitable()->counters().writeConflicts);
    QCOMPARE(bitable()->records(kApp, kTable).size(), 2);
}

void TestBitableSync::retryableCodesAreRetried_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<BitableSandbox::Op>("op");
    for (int code : {1254290, 1254607, 1255040, 1254291}) {
        for (auto op : {BitableSandbox::Op::Fields, BitableSandbox::Op::Search, BitableSandbox::Op::Write})
            QTest::addRow("%d-%s", code, QMetaEnum::fromType<BitableSandbox::Op>().valueToKey(int(op)))
                << code << op;
    }
}

void TestBitableSync::retryableCodesAreRetried()
{
    QFETCH(int, code);
    QFETCH(BitableSandbox::Op, op);
    newTicket(QStringLiteral("A"));
    bitable()->addRecords(kApp, kTable,
                          {QJsonObject{{QStringLiteral("工单编号"), QStringLiteral("GD-1")},
                                       {QStringLiteral("标题"), QStringLiteral("从表格来")}}});
    bitable()->injectError(code, 2, op);
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(m_sync->client()->counters().codes.value(code), 2);
    QCOMPARE(m_sync->client()->counters().retries, 2);
    QCOMPARE(r.imported, 1);
    QCOMPARE(r.created, 1);
    QCOMPARE(bitable()->records(kApp, kTable).size(), 2);
}

void TestBitableSync::permanentErrorFailsTheSync()
{
    const Ticket a = newTicket(QStringLiteral("A"));
    bitable()->injectError(1254302, 1, BitableSandbox::Op::Write); // no permission: not retried
    const BitableSync::Report r = runSync();
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("1254302")), qPrintable(r.error));
    QCOMPARE(m_sync->client()->counters().retries, 0);
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Error);
    QVERIFY(m_store->syncInfo(a.id).reason.contains(QStringLiteral("1254302")));
    // The stored reason reads back as a kind with Bitable's code (the console words it).
    const BitableSync::Reason why = BitableSync::Reason::parse(m_store->syncInfo(a.id).reason);
    QCOMPARE(why.kind, BitableSync::Reason::Kind::WriteRefused);
    QCOMPARE(why.code, 1254302);
    QCOMPARE(r.failure, BitableSync::Failure::WriteRefused);
    QCOMPARE(r.failureCode, 1254302);
    QCOMPARE(bitable()->records(kApp, kTable).size(), 0);
    // The next run tries again.
    const BitableSync::Report again = runSync();
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Synced);
    QCOMPARE(bitable()->records(kApp, kTable).size(), 1);
}

void TestBitableSync::conversionErrorIsPerRecord()
{
    bitable()->setStrictOptions(true);
    const Ticket good1 = newTicket(QStringLiteral("好的一"), QStringLiteral("远程控制"));
    const Ticket bad = newTicket(QStringLiteral("坏的"), QStringLiteral("外星人")); // not an option of 分类
    const Ticket good2 = newTicket(QStringLiteral("好的二"), QStringLiteral("车联网"));
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.failed, 1);
    QCOMPARE(r.created, 2);
    QCOMPARE(bitable()->records(kApp, kTable).size(), 2);
    QCOMPARE(m_store->syncInfo(good1.id).state, TicketSyncState::Synced);
    QCOMPARE(m_store->syncInfo(good2.id).state, TicketSyncState::Synced);
    const TicketSyncInfo info = m_store->syncInfo(bad.id);
    QCOMPARE(info.state, TicketSyncState::Error);
    QVERIFY2(info.reason.contains(QStringLiteral("1254062")), qPrintable(info.reason));
    QCOMPARE(BitableSync::Reason::parse(info.reason).kind, BitableSync::Reason::Kind::ValueRefused);
    QCOMPARE(BitableSync::Reason::parse(info.reason).code, 1254062);
    QVERIFY(m_store->ticket(bad.id)->recordId.isEmpty());
    QCOMPARE(r.problems.size(), 1);
    QVERIFY(r.problems.first().contains(bad.number));
}

void TestBitableSync::mappingMismatchStopsBeforeAnyWrite()
{
    QList<BitableSandbox::Field> fields = BitableSandbox::ticketFields();
    fields.removeIf([](const BitableSandbox::Field &f) { return f.name == QStringLiteral("车型"); });
    for (auto &f : fields) {
        if (f.name == QStringLiteral("状态"))
            f.type = 1; // text instead of single select
    }
    bitable()->createTable(kApp, kTable, fields);
    newTicket(QStringLiteral("A"));
    const BitableSync::Report r = runSync();
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(QStringLiteral("\"车型\"")) && r.error.contains(QStringLiteral("missing")),
             qPrintable(r.error));
    QVERIFY2(r.error.contains(QStringLiteral("\"状态\"")) &&
                 r.error.contains(QStringLiteral("single select")),
             qPrintable(r.error));
    // The same problems as values, for the console's words.
    QCOMPARE(r.failure, BitableSync::Failure::FieldsMismatch);
    QCOMPARE(r.mappingProblems.size(), 2);
    for (const MappingProblem &p : r.mappingProblems) {
        if (p.field == QStringLiteral("车型")) {
            QCOMPARE(p.kind, MappingProblem::Kind::Missing);
            QCOMPARE(p.key, QStringLiteral("model"));
        } else {
            QCOMPARE(p.field, QStringLiteral("状态"));
            QCOMPARE(p.kind, MappingProblem::Kind::WrongType);
            QCOMPARE(p.actualType, 1);
            QCOMPARE(p.expectedType, 3);
        }
    }
    QCOMPARE(bitable()->counters().searches, 0);
    QCOMPARE(bitable()->counters().creates, 0);

    // A mapping that names the team's own fields fits.
    BitableSync::Options o;
    o.bitable.appToken = kApp;
    o.bitable.tableId = kTable;
    QString error;
    QVERIFY(BitableMapping::fromText(QStringLiteral("{\"model\":\"\"}"), &o.mapping, &error));
    fields.append({QStringLiteral("工单状态"),
                   3,
                   {QStringLiteral("新建"), QStringLiteral("处理中"), QStringLiteral("待客户反馈"),
                    QStringLiteral("已解决"), QStringLiteral("已关闭")}});
    bitable()->createTable(kApp, kTable, fields);
    o.mapping.setFieldName(QStringLiteral("status"), QStringLiteral("工单状态"));
    BitableSync custom(m_store.get(), m_bitable->api.get(), o);
    const BitableSync::Report ok = runSync(&custom);
    QVERIFY2(ok.ok, qPrintable(ok.error));
    const auto recs = bitable()->records(kApp, kTable);
    QCOMPARE(recs.size(), 1);
    QCOMPARE(recs.first().fields.value(QStringLiteral("工单状态")).toString(), QStringLiteral("新建"));
}

void TestBitableSync::importGivesNumbersAndWritesThemBack()
{
    const QStringList ids =
        bitable()->addRecords(kApp, kTable,
                              {QJsonObject{{QStringLiteral("标题"), QStringLiteral("APP 登录失败")},
                                           {QStringLiteral("状态"), QStringLiteral("处理中")},
                                           {QStringLiteral("处理人"), QStringLiteral("李四")}},
                               QJsonObject{{QStringLiteral("工单编号"), QStringLiteral("GD-2024-001")},
                                           {QStringLiteral("标题"), QStringLiteral("有编号")}}});
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.imported, 2);
    const auto numbered = m_store->byRecordId(ids.at(0));
    QVERIFY(numbered);
    QVERIFY(numbered->number.startsWith(QStringLiteral("TK-")));
    QCOMPARE(numbered->status, QStringLiteral("in_progress"));
    QCOMPARE(numbered->assignee, QStringLiteral("李四"));
    QCOMPARE(numbered->origin, QStringLiteral("bitable"));
    QCOMPARE(bitable()->record(kApp, kTable, ids.at(0))->fields.value(QStringLiteral("工单编号")).toString(),
             numbered->number);
    QCOMPARE(m_store->syncInfo(numbered->id).state, TicketSyncState::Synced);
    const auto kept = m_store->byRecordId(ids.at(1));
    QCOMPARE(kept->number, QStringLiteral("GD-2024-001"));
    QCOMPARE(r.updatedRemote, 1); // only the write-back
}

void TestBitableSync::incrementalPullTakesRemoteChanges()
{
    QList<Ticket> made;
    for (int i = 0; i < 5; ++i)
        made << newTicket(QStringLiteral("工单 %1").arg(i));
    QVERIFY(runSync().ok); // push
    const BitableSync::Report full = runSync();
    QCOMPARE(full.pulled, 5); // the first pull reads everything
    const QString rec = m_store->ticket(made.at(0).id)->recordId;
    QVERIFY(bitable()->editRecord(kApp, kTable, rec,
                                  {{QStringLiteral("状态"), QStringLiteral("已解决")},
                                   {QStringLiteral("解决方案"), QStringLiteral("重新绑定车辆")}}));
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    // Since the cursor: the edited record and the one at the cursor's millisecond.
    QCOMPARE(r.pulled, 2);
    QCOMPARE(r.updatedLocal, 1);
    QCOMPARE(r.conflicts, 0);
    const auto t = m_store->ticket(made.at(0).id);
    QCOMPARE(t->status, QStringLiteral("resolved"));
    QCOMPARE(t->resolution, QStringLiteral("重新绑定车辆"));
    QCOMPARE(m_store->syncInfo(t->id).state, TicketSyncState::Synced);
    QCOMPARE(bitable()->counters().updates, 0); // nothing to write back
}

void TestBitableSync::conflictIsKeptUntilResolved()
{
    const Ticket a = newTicket(QStringLiteral("原标题"));
    QVERIFY(runSync().ok);
    Ticket local = *m_store->ticket(a.id);
    local.title = QStringLiteral("本地标题");
    QVERIFY(m_store->update(local, QStringLiteral("tester")));
    QVERIFY(bitable()->editRecord(kApp, kTable, local.recordId,
                                  {{QStringLiteral("标题"), QStringLiteral("表格标题")}}));
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.conflicts, 1);
    QCOMPARE(m_store->ticket(a.id)->title, QStringLiteral("本地标题"));
    QCOMPARE(bitable()->record(kApp, kTable, local.recordId)->fields.value(QStringLiteral("标题")).toString(),
             QStringLiteral("表格标题"));
    const TicketSyncInfo info = m_store->syncInfo(a.id);
    QCOMPARE(info.state, TicketSyncState::Conflict);
    QVERIFY(info.reason.contains(QStringLiteral("标题")));
    QCOMPARE(BitableSync::Reason::parse(info.reason).kind, BitableSync::Reason::Kind::BothChanged);
    QCOMPARE(BitableSync::Reason::parse(info.reason).fields, QStringList{QStringLiteral("标题")});
    const QList<TicketConflict> conflicts = m_store->conflicts();
    QCOMPARE(conflicts.size(), 1);
    QCOMPARE(conflicts.first().fields, QStringList{QStringLiteral("title")});
    QCOMPARE(conflicts.first().remote.value(QStringLiteral("title")), QStringLiteral("表格标题"));
    QCOMPARE(conflicts.first().local.value(QStringLiteral("title")), QStringLiteral("本地标题"));

    // Another run leaves both sides as they are.
    QVERIFY(runSync().ok);
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Conflict);
    QCOMPARE(bitable()->counters().updates, 0);

    QVERIFY(m_store->resolveConflict(a.id, TicketStore::Resolution::KeepLocal, {}, QStringLiteral("tester")));
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Pending);
    QVERIFY(runSync().ok);
    QCOMPARE(bitable()->record(kApp, kTable, local.recordId)->fields.value(QStringLiteral("标题")).toString(),
             QStringLiteral("本地标题"));
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Synced);
}

void TestBitableSync::conflictResolvedWithRemoteOrMerge()
{
    const Ticket a = newTicket(QStringLiteral("甲"));
    const Ticket b = newTicket(QStringLiteral("乙"));
    QVERIFY(runSync().ok);
    for (const Ticket &t : {a, b}) {
        Ticket local = *m_store->ticket(t.id);
        local.summary = QStringLiteral("本地描述");
        QVERIFY(m_store->update(local, QStringLiteral("tester")));
        QVERIFY(bitable()->editRecord(kApp, kTable, local.recordId,
                                      {{QStringLiteral("问题描述"), QStringLiteral("表格描述")}}));
    }
    QCOMPARE(runSync().conflicts, 2);
    QVERIFY(
        m_store->resolveConflict(a.id, TicketStore::Resolution::TakeRemote, {}, QStringLiteral("tester")));
    QVERIFY(m_store->resolveConflict(b.id, TicketStore::Resolution::Merge,
                                     {{QStringLiteral("summary"), QStringLiteral("本地描述；表格描述")}},
                                     QStringLiteral("tester")));
    QVERIFY(
        !m_store->resolveConflict(b.id, TicketStore::Resolution::KeepLocal, {}, QStringLiteral("tester")));
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Synced);
    QCOMPARE(m_store->ticket(a.id)->summary, QStringLiteral("表格描述"));
    QVERIFY(runSync().ok);
    const QString recB = m_store->ticket(b.id)->recordId;
    QCOMPARE(bitable()->record(kApp, kTable, recB)->fields.value(QStringLiteral("问题描述")).toString(),
             QStringLiteral("本地描述；表格描述"));
    QCOMPARE(m_store->syncInfo(b.id).state, TicketSyncState::Synced);
    QCOMPARE(bitable()->counters().updates, 1); // only the merge went out
}

void TestBitableSync::disjointChangesAreMerged()
{
    const Ticket a = newTicket(QStringLiteral("甲"));
    QVERIFY(runSync().ok);
    Ticket local = *m_store->ticket(a.id);
    local.status = QStringLiteral("waiting_customer");
    QVERIFY(m_store->update(local, QStringLiteral("tester")));
    QVERIFY(bitable()->editRecord(kApp, kTable, local.recordId,
                                  {{QStringLiteral("处理人"), QStringLiteral("王五")}}));
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.conflicts, 0);
    QCOMPARE(r.merged, 1);
    const auto t = m_store->ticket(a.id);
    QCOMPARE(t->assignee, QStringLiteral("王五"));
    QCOMPARE(t->status, QStringLiteral("waiting_customer"));
    const auto rec = bitable()->record(kApp, kTable, t->recordId);
    QCOMPARE(rec->fields.value(QStringLiteral("状态")).toString(), QStringLiteral("待客户反馈"));
    QCOMPARE(rec->fields.value(QStringLiteral("处理人")).toString(), QStringLiteral("王五"));
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Synced);
}

void TestBitableSync::thousandRecordsPulledInPages()
{
    QList<QJsonObject> rows;
    for (int i = 0; i < 1000; ++i) {
        rows << QJsonObject{
            {QStringLiteral("工单编号"), QStringLiteral("GD-%1").arg(i, 4, 10, QLatin1Char('0'))},
            {QStringLiteral("标题"), QStringLiteral("导入 %1").arg(i)},
            {QStringLiteral("状态"), QStringLiteral("已关闭")}};
    }
    bitable()->addRecords(kApp, kTable, rows);
    auto paged = makeSync(100);
    const BitableSync::Report r = runSync(paged.get());
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.pulled, 1000);
    QCOMPARE(r.imported, 1000);
    QCOMPARE(bitable()->counters().searches, 10);
    QCOMPARE(m_store->count(), 1000);
    QCOMPARE(m_store->byNumber(QStringLiteral("GD-0999"))->title, QStringLiteral("导入 999"));
    QCOMPARE(m_store->idsInState({TicketSyncState::Synced}).size(), 1000);
    QCOMPARE(bitable()->counters().updates + bitable()->counters().creates, 0);
}

void TestBitableSync::segmentTextsAreRead()
{
    bitable()->setTextAsSegments(true);
    const QStringList ids =
        bitable()->addRecords(kApp, kTable,
                              {QJsonObject{{QStringLiteral("工单编号"), QStringLiteral("GD-77")},
                                           {QStringLiteral("标题"), QStringLiteral("远程空调无法开启")},
                                           {QStringLiteral("问题描述"),
                                            QStringLiteral("客户反映 APP 下发空调指令后车辆无响应，已重启")},
                                           {QStringLiteral("车架号"), QStringLiteral("LSVAU2180N2183294")}}});
    const BitableSync::Report r = runSync();
    QVERIFY2(r.ok, qPrintable(r.error));
    const auto t = m_store->byRecordId(ids.first());
    QVERIFY(t);
    QCOMPARE(t->title, QStringLiteral("远程空调无法开启"));
    QCOMPARE(t->summary, QStringLiteral("客户反映 APP 下发空调指令后车辆无响应，已重启"));
    QCOMPARE(t->vin, QStringLiteral("LSVAU2180N2183294"));
    // Read the same way again: no change seen, nothing written.
    const BitableSync::Report again = runSync();
    QVERIFY(again.ok);
    QCOMPARE(again.updatedLocal + again.conflicts + again.updatedRemote, 0);
    QCOMPARE(m_store->syncInfo(t->id).state, TicketSyncState::Synced);
}

QTEST_GUILESS_MAIN(TestBitableSync)
#include "tst_bitablesync.moc"

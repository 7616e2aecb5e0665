// The Tickets page over a real SQLite file, with the sandbox's Bitable on 127.0.0.1 where a sync
// is involved: filters, the empty state, a status change that persists through TicketDesk, a
// resolved ticket promoted to knowledge, a conflict resolved side by side (pick and merge), the
// sync's progress, and a conversation's "Create ticket" then "Open ticket".
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>
#include <QTranslator>

#include "assistant/analyzer.h"
#include "assistant/entityextractor.h"
#include "bitablefixture.h"
#include "desk/ticketdesk.h"
#include "feishu/openapiclient.h"
#include "knowledge/knowledgeentry.h"
#include "sandbox/bitablesandbox.h"
#include "sandbox/feishusandbox.h"
#include "screenshot.h"
#include "storage/analysisstore.h"
#include "tempdatabase.h"
#include "tickets/bitablesync.h"
#include "tickets/conflictview.h"
#include "tickets/sessionticketbutton.h"
#include "tickets/ticketdetail.h"
#include "tickets/ticketfilterproxy.h"
#include "tickets/ticketlistmodel.h"
#include "tickets/ticketspage.h"
#include "tickets/ticketstore.h"

using namespace Qt::StringLiterals;

namespace {
const QString kApp = BitableFixture::appToken();
const QString kTable = BitableFixture::tableId();

QString cell(const TicketsPage &page, qint64 ticketId, int column)
{
    const int row = page.model()->rowOf(ticketId);
    return page.model()->index(row, column).data().toString();
}

bool selectById(QComboBox *combo, const QString &data)
{
    const int i = combo->findData(data);
    if (i < 0)
        return false;
    combo->setCurrentIndex(i);
    return true;
}
} // namespace

class TestTicketsPage final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void emptyStateSaysWhatToDo();
    void filtersByStatusAssigneeCategory();
    void statusChangePersistsThroughTheDesk();
    void resolvingOffersKnowledgeEntry();
    void conflictPickedAndMergedSideBySide();
    void syncProgressIsShown();
    void createFromConversationThenOpenExisting();
    void linkedConversationsNameCustomerAndChat();
    void syncWordsFollowTheLanguage();
    void screenshots();

private:
    void useBitable(); // a desk whose sync talks to the sandbox's Bitable
    qint64 addSession(const QString &openId, const QString &name);
    Ticket addTicket(const QString &title, const QString &status = {}, const QString &assignee = {},
                     const QString &category = {});
    bool syncThroughPage(TicketsPage &page);

    std::unique_ptr<TempKnowledgeDb> m_db;
    std::unique_ptr<TicketStore> m_store;
    std::unique_ptr<TicketDesk> m_desk;
    std::unique_ptr<BitableFixture> m_bitable;
    std::unique_ptr<BitableSync> m_sync;
};

void TestTicketsPage::initTestCase()
{
    Screenshot::loadTranslation();
}

void TestTicketsPage::init()
{
    m_db = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_db->open(u"tst_ticketspage"_s, &error), qPrintable(error));
    m_store = std::make_unique<TicketStore>(m_db->db.get());
    m_desk = std::make_unique<TicketDesk>(m_store.get(), nullptr, m_db->kb.get());
    m_desk->setOperatorName(u"王工"_s);
}

void TestTicketsPage::cleanup()
{
    m_desk.reset();
    m_sync.reset();
    m_bitable.reset();
    m_store.reset();
    m_db.reset();
}

void TestTicketsPage::useBitable()
{
    m_bitable = std::make_unique<BitableFixture>();
    QVERIFY(m_bitable->start());
    m_sync =
        std::make_unique<BitableSync>(m_store.get(), m_bitable->api.get(), BitableFixture::syncOptions());
    m_desk = std::make_unique<TicketDesk>(m_store.get(), m_sync.get(), m_db->kb.get());
    m_desk->setOperatorName(u"王工"_s);
}

qint64 TestTicketsPage::addSession(const QString &openId, const QString &name)
{
    QSqlQuery q(m_db->db->db());
    q.prepare(u"INSERT INTO sessions (session_key, chat_id, chat_type, open_id, user_name, created_at,"
              " last_active_at) VALUES (?, 'oc_chat1', 'p2p', ?, ?, 1, 1)"_s);
    q.addBindValue(QString(u"feishu_p2p_"_s + openId));
    q.addBindValue(openId);
    q.addBindValue(name);
    if (!q.exec())
        return -1;
    return q.lastInsertId().toLongLong();
}

Ticket TestTicketsPage::addTicket(const QString &title, const QString &status, const QString &assignee,
                                  const QString &category)
{
    Ticket t;
    t.title = title;
    t.customerName = u"张三"_s;
    t.summary = u"客户反馈："_s + title;
    t.vin = u"LSVAU2180N2183294"_s;
    if (!status.isEmpty())
        t.status = status;
    t.assignee = assignee;
    t.category = category;
    const auto made = m_store->create(t, u"tester"_s);
    return made ? *made : Ticket{};
}

bool TestTicketsPage::syncThroughPage(TicketsPage &page)
{
    QSignalSpy finished(m_desk.get(), &TicketDesk::syncFinished);
    QTest::mouseClick(page.syncButton(), Qt::LeftButton);
    if (!finished.wait(60000))
        return false;
    return qvariant_cast<BitableSync::Report>(finished.first().at(0)).ok;
}

void TestTicketsPage::emptyStateSaysWhatToDo()
{
    TicketsPage page(m_desk.get());
    page.show();
    QVERIFY(page.isShowingEmptyState());
    QVERIFY(page.emptyLabel()->text().contains(u"Create ticket"_s));
    QVERIFY(page.emptyLabel()->text().contains(u"BITABLE_APP_TOKEN"_s));
    // Without Bitable, the sync says so instead of failing later.
    QVERIFY(!page.syncButton()->isEnabled());
    QVERIFY2(page.syncMessage()->text().contains(u"not configured"_s),
             qPrintable(page.syncMessage()->text()));
    page.syncNow();
    QVERIFY(page.syncMessage()->text().contains(u"not configured"_s));

    // A ticket appears as soon as one is made; a filter that hides all says so.
    const Ticket t = addTicket(u"远程启动失败"_s);
    QVERIFY(!page.isShowingEmptyState());
    QCOMPARE(page.proxy()->rowCount(), 1);
    page.searchEdit()->setText(u"no such ticket"_s);
    QVERIFY(page.isShowingEmptyState());
    QVERIFY(page.emptyLabel()->text().contains(u"filters"_s));
    page.openTicket(t.id); // clears what hides it
    QVERIFY(!page.isShowingEmptyState());
    QCOMPARE(page.currentTicketId(), t.id);
}

void TestTicketsPage::filtersByStatusAssigneeCategory()
{
    const Ticket a = addTicket(u"A"_s, u"new"_s, u"王工"_s, u"远程控制"_s);
    const Ticket b = addTicket(u"B"_s, u"in_progress"_s, u"李工"_s, u"远程控制"_s);
    const Ticket c = addTicket(u"C"_s, u"in_progress"_s, u"王工"_s, u"车机"_s);
    QVERIFY(a.id && b.id && c.id);
    TicketsPage page(m_desk.get());
    QCOMPARE(page.proxy()->rowCount(), 3);
    // The filters offer what the tickets hold.
    QVERIFY(page.assigneeFilter()->findData(u"李工"_s) > 0);
    QVERIFY(page.categoryFilter()->findData(u"车机"_s) > 0);

    auto shownIds = [&page] {
        QList<qint64> ids;
        for (int r = 0; r < page.proxy()->rowCount(); ++r)
            ids << page.proxy()->index(r, 0).data(TicketListModel::IdRole).toLongLong();
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    QVERIFY(selectById(page.statusFilter(), u"in_progress"_s));
    QCOMPARE(shownIds(), (QList<qint64>{b.id, c.id}));
    QVERIFY(selectById(page.assigneeFilter(), u"王工"_s));
    QCOMPARE(shownIds(), (QList<qint64>{c.id}));
    QVERIFY(selectById(page.categoryFilter(), u"远程控制"_s));
    QCOMPARE(shownIds(), QList<qint64>{});
    QVERIFY(page.isShowingEmptyState());
    page.statusFilter()->setCurrentIndex(0); // all statuses
    QCOMPARE(shownIds(), (QList<qint64>{a.id}));
    // A ticket changed elsewhere leaves the filter when it no longer matches.
    QVERIFY(m_desk->setAssignee(a.id, u"赵工"_s).ok);
    QCOMPARE(shownIds(), QList<qint64>{});
    QVERIFY(page.assigneeFilter()->findData(u"赵工"_s) > 0);
}

void TestTicketsPage::statusChangePersistsThroughTheDesk()
{
    const Ticket t = addTicket(u"车机无网络"_s);
    TicketsPage page(m_desk.get());
    page.show();
    page.openTicket(t.id);
    QCOMPARE(page.detail()->ticketId(), t.id);
    QComboBox *status = page.detail()->statusCombo();
    QCOMPARE(status->currentData().toString(), u"new"_s);
    QVERIFY(selectById(status, u"waiting_customer"_s));
    QCOMPARE(m_store->ticket(t.id)->status, u"waiting_customer"_s);
    QCOMPARE(cell(page, t.id, TicketListModel::StatusColumn), u"Waiting for the customer"_s);
    QCOMPARE(cell(page, t.id, TicketListModel::SyncColumn), u"Pending"_s);

    // Resolved needs a resolution: refused, and the box goes back to the stored status.
    QVERIFY(selectById(status, u"resolved"_s));
    QCOMPARE(m_store->ticket(t.id)->status, u"waiting_customer"_s);
    QCOMPARE(status->currentData().toString(), u"waiting_customer"_s);
    QVERIFY(page.detail()->notice()->text().contains(u"how the problem was solved"_s));

    // The assignee too; both survive a new desk over the same file.
    page.detail()->assigneeEdit()->setText(u"李工"_s);
    emit page.detail()->assigneeEdit()->editingFinished();
    TicketStore again(m_db->db.get());
    QCOMPARE(again.ticket(t.id)->status, u"waiting_customer"_s);
    QCOMPARE(again.ticket(t.id)->assignee, u"李工"_s);
}

void TestTicketsPage::resolvingOffersKnowledgeEntry()
{
    const Ticket t = addTicket(u"蓝牙钥匙失效"_s, u"in_progress"_s, {}, u"数字钥匙"_s);
    TicketsPage page(m_desk.get());
    page.show();
    page.openTicket(t.id);
    TicketDetail *d = page.detail();
    QVERIFY(d->promoteOffer()->isHidden());
    d->resolutionEdit()->setPlainText(u"在 APP 里删除钥匙后重新配对，并重启车机。"_s);
    QVERIFY(selectById(d->statusCombo(), u"resolved"_s));
    QCOMPARE(m_store->ticket(t.id)->status, u"resolved"_s);
    QCOMPARE(m_store->ticket(t.id)->resolution, u"在 APP 里删除钥匙后重新配对，并重启车机。"_s);
    QVERIFY(d->promoteOffer()->isVisible());
    QCOMPARE(d->promoteButton()->text(), u"Create knowledge entry"_s);

    QSignalSpy promoted(&page, &TicketsPage::knowledgeEntryPromoted);
    QTest::mouseClick(d->promoteButton(), Qt::LeftButton);
    QCOMPARE(promoted.size(), 1);
    const QString entryId = promoted.first().at(0).toString();
    const auto entry = m_db->kb->entry(entryId);
    QVERIFY(entry);
    QCOMPARE(entry->solution, u"在 APP 里删除钥匙后重新配对，并重启车机。"_s);
    QCOMPARE(entry->title, u"蓝牙钥匙失效"_s);
    QCOMPARE(m_store->ticket(t.id)->knowledgeId, entryId);
    QVERIFY(d->promoteOffer()->isHidden());

    // Resolving it again offers to update that entry rather than make a second one.
    QVERIFY(m_desk->setStatus(t.id, u"in_progress"_s).ok);
    d->resolutionEdit()->setPlainText(u"先升级 APP 再重新配对。"_s);
    QTest::mouseClick(d->resolveButton(), Qt::LeftButton);
    QCOMPARE(d->promoteButton()->text(), u"Update knowledge entry"_s);
    const int entries = int(m_db->kb->entries().size());
    QTest::mouseClick(d->promoteButton(), Qt::LeftButton);
    QCOMPARE(int(m_db->kb->entries().size()), entries);
    QCOMPARE(m_db->kb->entry(entryId)->solution, u"先升级 APP 再重新配对。"_s);
}

void TestTicketsPage::conflictPickedAndMergedSideBySide()
{
    useBitable();
    const Ticket a = addTicket(u"原标题甲"_s);
    const Ticket b = addTicket(u"原标题乙"_s);
    TicketsPage page(m_desk.get());
    page.show();
    QVERIFY(syncThroughPage(page));
    QCOMPARE(cell(page, a.id, TicketListModel::SyncColumn), u"Synced"_s);
    // Both sides change the title; Bitable also changes b's description alone.
    for (const Ticket &t : {a, b}) {
        Ticket local = *m_store->ticket(t.id);
        local.title = t.title + u"（本地）"_s;
        QVERIFY(m_desk->save(local).ok);
        QVERIFY(m_bitable->bitable()->editRecord(kApp, kTable, local.recordId,
                                                 {{u"标题"_s, QString(t.title + u"（表格）"_s)}}));
    }
    QVERIFY(m_bitable->bitable()->editRecord(kApp, kTable, m_store->ticket(b.id)->recordId,
                                             {{u"问题描述"_s, u"表格里补充的描述"_s}}));
    QVERIFY(syncThroughPage(page));
    QVERIFY2(cell(page, a.id, TicketListModel::SyncColumn).startsWith(u"Conflict: "_s),
             qPrintable(cell(page, a.id, TicketListModel::SyncColumn)));
    QVERIFY(cell(page, a.id, TicketListModel::SyncColumn).contains(u"标题"_s));

    // a: opened from the list, Bitable's title is picked.
    page.openTicket(a.id);
    QVERIFY(page.detail()->conflictButton()->isVisible());
    QTest::mouseClick(page.detail()->conflictButton(), Qt::LeftButton);
    QVERIFY(page.isShowingConflict());
    ConflictView *v = page.conflictView();
    QCOMPARE(v->fields(), QStringList{u"title"_s});
    QCOMPARE(v->result(u"title"_s), u"原标题甲（本地）"_s); // both changed: ours first
    QTest::mouseClick(v->findChild<QAbstractButton *>(u"remote_title"_s), Qt::LeftButton);
    QCOMPARE(v->result(u"title"_s), u"原标题甲（表格）"_s);
    QTest::mouseClick(v->findChild<QPushButton *>(u"applyConflictButton"_s), Qt::LeftButton);
    QVERIFY(!page.isShowingConflict());
    QCOMPARE(m_store->ticket(a.id)->title, u"原标题甲（表格）"_s);
    QCOMPARE(m_store->syncInfo(a.id).state, TicketSyncState::Synced);
    QCOMPARE(cell(page, a.id, TicketListModel::SyncColumn), u"Synced"_s);

    // b: the description only Bitable changed starts on Bitable's; the title is merged by hand.
    page.openTicket(b.id);
    page.showConflict(b.id);
    QVERIFY(page.isShowingConflict());
    QCOMPARE(v->fields(), (QStringList{u"title"_s, u"summary"_s}));
    QCOMPARE(v->result(u"summary"_s), u"表格里补充的描述"_s);
    v->setResult(u"title"_s, u"合并后的标题"_s);
    QVERIFY(!v->findChild<QAbstractButton *>(u"local_title"_s)->isChecked());
    QVERIFY(v->apply());
    QCOMPARE(m_store->ticket(b.id)->title, u"合并后的标题"_s);
    QCOMPARE(m_store->ticket(b.id)->summary, u"表格里补充的描述"_s);
    QCOMPARE(m_store->syncInfo(b.id).state, TicketSyncState::Pending);
    QVERIFY(syncThroughPage(page));
    const auto rec = m_bitable->bitable()->record(kApp, kTable, m_store->ticket(b.id)->recordId);
    QCOMPARE(rec->fields.value(u"标题"_s).toString(), u"合并后的标题"_s);
    QCOMPARE(rec->fields.value(u"问题描述"_s).toString(), u"表格里补充的描述"_s);
    QCOMPARE(cell(page, b.id, TicketListModel::SyncColumn), u"Synced"_s);
    QVERIFY(!m_desk->conflict(b.id));
}

void TestTicketsPage::syncProgressIsShown()
{
    useBitable();
    for (int i = 0; i < 3; ++i)
        QVERIFY(addTicket(u"待推送 %1"_s.arg(i)).id);
    TicketsPage page(m_desk.get());
    page.show();
    QVERIFY(page.syncButton()->isEnabled());
    QVERIFY(page.progressBar()->isHidden());
    // What the bar shows at each progress report of the desk (connected after the page's own).
    struct Seen
    {
        bool visible;
        int maximum;
        int value;
        int total;
        int done;
    };
    QList<Seen> seen;
    connect(m_desk.get(), &TicketDesk::syncProgress, &page, [&](const BitableSync::Progress &p) {
        seen.append({page.progressBar()->isVisible(), page.progressBar()->maximum(),
                     page.progressBar()->value(), p.total, p.done});
    });
    QSignalSpy started(m_desk.get(), &TicketDesk::syncStarted);
    QVERIFY(syncThroughPage(page));
    QCOMPARE(started.size(), 1);
    QVERIFY(!seen.isEmpty());
    bool sawPush = false;
    for (const Seen &s : std::as_const(seen)) {
        QVERIFY(s.visible);
        if (s.total > 0) {
            QCOMPARE(s.maximum, s.total);
            QCOMPARE(s.value, s.done);
            sawPush = sawPush || (s.total == 3 && s.done == 3);
        } else {
            QCOMPARE(s.maximum, 0); // busy while the size is unknown
        }
    }
    QVERIFY(sawPush);
    QVERIFY(page.progressBar()->isHidden());
    QVERIFY(page.syncButton()->isEnabled());
    QVERIFY2(page.syncMessage()->text().startsWith(u"Last sync: "_s), qPrintable(page.syncMessage()->text()));
    QCOMPARE(m_bitable->bitable()->records(kApp, kTable).size(), 3);
    for (int r = 0; r < page.model()->rowCount(); ++r)
        QCOMPARE(page.model()->index(r, TicketListModel::SyncColumn).data().toString(), u"Synced"_s);

    // Bitable refusing a write: the message says why, the ticket shows the error with its
    // reason, the button comes back.
    const Ticket refused = addTicket(u"被拒绝的工单"_s);
    m_bitable->bitable()->injectError(1254302, 1, BitableSandbox::Op::Write); // no permission
    QVERIFY(!syncThroughPage(page));
    QVERIFY2(page.syncMessage()->text().startsWith(u"Sync failed: "_s),
             qPrintable(page.syncMessage()->text()));
    QVERIFY(page.syncMessage()->text().contains(u"1254302"_s));
    const QString state = cell(page, refused.id, TicketListModel::SyncColumn);
    QVERIFY2(state.startsWith(u"Error: "_s) && state.contains(u"1254302"_s), qPrintable(state));
    QVERIFY(page.syncButton()->isEnabled());
}

void TestTicketsPage::createFromConversationThenOpenExisting()
{
    const qint64 sid = addSession(u"ou_c1"_s, u"赵六"_s);
    Analysis analysis;
    analysis.category = u"远程控制"_s;
    analysis.urgency = u"high"_s;
    analysis.summary = u"客户无法远程启动车辆。已尝试重启 APP。"_s;
    analysis.entities = EntityExtractor::extract(u"VIN LFV2A21K8E4123456，粤BD12345"_s);
    analysis.updatedAt = 1767225600123;
    QVERIFY(AnalysisStore(m_db->db.get()).save(sid, analysis.toRecord()));

    TicketsPage page(m_desk.get());
    SessionTicketButton button(m_desk.get());
    connect(&button, &SessionTicketButton::openTicketRequested, &page, &TicketsPage::openTicket);
    page.show();
    QVERIFY(!button.isVisible()); // no conversation
    button.setSession(sid);
    QVERIFY(button.isVisible());
    QCOMPARE(button.button()->text(), u"Create ticket"_s);
    QCOMPARE(button.button()->accessibleName(), u"Create ticket"_s);

    QSignalSpy requested(&button, &SessionTicketButton::openTicketRequested);
    QTest::mouseClick(button.button(), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    const qint64 id = requested.first().at(0).toLongLong();
    QCOMPARE(m_store->count(), 1);
    const auto t = m_store->ticket(id);
    QCOMPARE(t->vin, u"LFV2A21K8E4123456"_s);
    QCOMPARE(t->category, u"远程控制"_s);
    QCOMPARE(page.currentTicketId(), id);
    QCOMPARE(page.detail()->ticketId(), id);
    QVERIFY(button.button()->text().startsWith(u"Open ticket "_s + t->number));
    QCOMPARE(button.button()->accessibleName(), u"Open ticket"_s);

    // Again: the same ticket is opened, none is added.
    page.view()->setCurrentIndex({});
    QCOMPARE(page.currentTicketId(), 0);
    QTest::mouseClick(button.button(), Qt::LeftButton);
    QCOMPARE(requested.size(), 2);
    QCOMPARE(requested.at(1).at(0).toLongLong(), id);
    QCOMPARE(m_store->count(), 1);
    QCOMPARE(page.currentTicketId(), id);

    // The detail links back to the conversation.
    QListWidget *links = page.detail()->conversationList();
    QCOMPARE(links->count(), 1);
    QCOMPARE(links->item(0)->data(Qt::UserRole).toLongLong(), sid);
    // Named by the customer and the chat, as in Conversations (through the desk, not an id).
    QCOMPARE(links->item(0)->text(), u"赵六 · Direct chat"_s);
    QSignalSpy openSession(&page, &TicketsPage::openSessionRequested);
    QTest::mouseClick(page.detail()->openConversationButton(), Qt::LeftButton);
    QCOMPARE(openSession.size(), 1);
    QCOMPARE(openSession.first().at(0).toLongLong(), sid);

    // Once the ticket is closed the conversation can get a new one.
    QVERIFY(m_desk->setStatus(id, u"closed"_s).ok);
    QCOMPARE(button.button()->text(), u"Create ticket"_s);
}

void TestTicketsPage::linkedConversationsNameCustomerAndChat()
{
    const qint64 named = addSession(u"ou_named"_s, u"钱七"_s);
    const qint64 unnamed = addSession(u"ou_unnamed"_s, u""_s); // no name known yet
    QVERIFY(named > 0 && unnamed > 0);
    QSqlQuery q(m_db->db->db());
    QVERIFY(q.exec(u"UPDATE sessions SET chat_type = 'group', chat_id = 'oc_group9', chat_name = '售后一群' "
                   "WHERE id = %1"_s.arg(unnamed)));
    const Ticket t = addTicket(u"两段对话"_s);
    QVERIFY(m_store->linkSession(t.id, named));
    QVERIFY(m_store->linkSession(t.id, unnamed));
    TicketsPage page(m_desk.get());
    page.show();
    page.openTicket(t.id);
    QListWidget *links = page.detail()->conversationList();
    QCOMPARE(links->count(), 2);
    QCOMPARE(links->item(0)->text(), u"钱七 · Direct chat"_s);
    QCOMPARE(links->item(0)->data(Qt::UserRole).toLongLong(), named);
    // No name known yet: the open_id, and the group's name.
    QCOMPARE(links->item(1)->text(), u"ou_unnamed · 售后一群"_s);
    QCOMPARE(links->item(1)->data(Qt::UserRole).toLongLong(), unnamed);
}

namespace {
bool hasHan(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff)
            return true;
    }
    return false;
}
} // namespace

// In the zh_CN console, what the sync says reaches the page in Chinese: "not configured", each
// progress step, a refused write, the error and conflict reasons of a ticket, and a table that
// does not fit the field map. (The tickets' own titles are Chinese too, so the checks look at the
// words the console adds, not just at any Han character.)
void TestTicketsPage::syncWordsFollowTheLanguage()
{
    QTranslator zh;
    QVERIFY(zh.load(u":/i18n/tsp_zh_CN.qm"_s));
    QVERIFY(QCoreApplication::installTranslator(&zh));
    const auto removeTranslator = qScopeGuard([&zh] { QCoreApplication::removeTranslator(&zh); });

    {
        TicketsPage unconfigured(m_desk.get());
        unconfigured.syncNow();
        const QString text = unconfigured.syncMessage()->text();
        QVERIFY2(hasHan(text) && !text.contains(u"not configured"_s), qPrintable(text));
    }

    useBitable();
    const Ticket a = addTicket(u"甲"_s);
    TicketsPage page(m_desk.get());
    page.show();
    QStringList shown;
    connect(m_desk.get(), &TicketDesk::syncProgress, &page,
            [&] { shown << page.syncMessage()->text() << page.progressBar()->toolTip(); });
    QVERIFY(syncThroughPage(page));
    QVERIFY(!shown.isEmpty());
    for (const QString &text : std::as_const(shown)) {
        QVERIFY2(hasHan(text), qPrintable(text));
        for (const QString &english : {u"reading"_s, u"pulled"_s, u"pushing"_s, u"pushed"_s, u"records"_s})
            QVERIFY2(!text.contains(english), qPrintable(text));
    }
    QVERIFY2(!page.syncMessage()->text().contains(u"Last sync"_s), qPrintable(page.syncMessage()->text()));

    // A refused write: the page's message and the ticket's state, in Chinese with Bitable's code.
    const Ticket refused = addTicket(u"乙"_s);
    m_bitable->bitable()->injectError(1254302, 1, BitableSandbox::Op::Write);
    QVERIFY(!syncThroughPage(page));
    const QString failed = page.syncMessage()->text();
    QVERIFY2(failed.contains(u"1254302"_s) && !failed.contains(u"failed"_s) && !failed.contains(u"refused"_s),
             qPrintable(failed));
    QVERIFY(hasHan(failed));
    const QString error = cell(page, refused.id, TicketListModel::SyncColumn);
    QVERIFY2(error.contains(u"1254302"_s) && !error.startsWith(u"Error"_s), qPrintable(error));
    QCOMPARE(m_desk->ticket(refused.id)->why.kind, BitableSync::Reason::Kind::WriteRefused);
    QVERIFY(syncThroughPage(page)); // the retry goes through

    // A conflict: the reason names the field, in Chinese.
    Ticket local = *m_store->ticket(a.id);
    local.title = u"甲（本地）"_s;
    QVERIFY(m_desk->save(local).ok);
    QVERIFY(m_bitable->bitable()->editRecord(kApp, kTable, local.recordId, {{u"标题"_s, u"甲（表格）"_s}}));
    QVERIFY(syncThroughPage(page));
    const QString conflict = cell(page, a.id, TicketListModel::SyncColumn);
    QVERIFY2(conflict.contains(u"标题"_s) && !conflict.contains(u"changed here"_s) &&
                 !conflict.startsWith(u"Conflict"_s),
             qPrintable(conflict));
    // Resolved elsewhere while the side-by-side view is open: applying says so, in Chinese.
    page.showConflict(a.id);
    QVERIFY(page.isShowingConflict());
    QVERIFY(m_desk->resolveConflict(a.id, TicketStore::Resolution::KeepLocal).ok);
    QVERIFY(!page.conflictView()->apply());
    const QString stale = page.conflictView()->errorText();
    QVERIFY2(hasHan(stale) && !stale.contains(u"not in conflict"_s) && !stale.contains(u"no longer"_s),
             qPrintable(stale));

    // A table that lacks a mapped field: each problem in Chinese, nothing written.
    BitableSync::Options options = BitableFixture::syncOptions();
    options.mapping.setFieldName(u"model"_s, u"不存在的车型字段"_s);
    BitableSync misfit(m_store.get(), m_bitable->api.get(), options);
    TicketDesk desk(m_store.get(), &misfit, m_db->kb.get());
    TicketsPage misfitPage(&desk);
    QSignalSpy finished(&desk, &TicketDesk::syncFinished);
    QTest::mouseClick(misfitPage.syncButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    const auto report = qvariant_cast<BitableSync::Report>(finished.first().at(0));
    QCOMPARE(report.failure, BitableSync::Failure::FieldsMismatch);
    QCOMPARE(report.mappingProblems.size(), 1);
    const QString mismatch = misfitPage.syncMessage()->text();
    QVERIFY2(mismatch.contains(u"不存在的车型字段"_s) && !mismatch.contains(u"missing"_s) &&
                 !mismatch.contains(u"field map"_s),
             qPrintable(mismatch));
    QVERIFY(hasHan(QString(mismatch).remove(u"不存在的车型字段"_s)));
}

void TestTicketsPage::screenshots()
{
    if (qEnvironmentVariableIsEmpty("TSP_SCREENSHOT_DIR"))
        QSKIP("set TSP_SCREENSHOT_DIR to save screenshots");
    {
        TicketsPage empty(m_desk.get());
        Screenshot::save(&empty, u"tickets-empty"_s);
    }
    useBitable();
    const Ticket a =
        addTicket(u"远程启动失败，APP 提示车辆不在线"_s, u"in_progress"_s, u"王工"_s, u"远程控制"_s);
    addTicket(u"车机系统升级后蓝牙无法连接"_s, u"new"_s, u"李工"_s, u"车机"_s);
    addTicket(u"数字钥匙失效"_s, u"waiting_customer"_s, u"王工"_s, u"数字钥匙"_s);
    QVERIFY(m_store->linkSession(a.id, addSession(u"ou_7f3a9c"_s, u"张三"_s)));
    TicketsPage page(m_desk.get());
    page.show();
    QVERIFY(syncThroughPage(page));
    Ticket local = *m_store->ticket(a.id);
    local.title = u"远程启动失败（已升级 APP）"_s;
    QVERIFY(m_desk->save(local).ok);
    QVERIFY(m_bitable->bitable()->editRecord(kApp, kTable, local.recordId,
                                             {{u"标题"_s, u"远程启动失败（4S 店已检查）"_s}}));
    addTicket(u"充电桩预约失败"_s, u"new"_s, {}, u"充电"_s);
    QVERIFY(syncThroughPage(page));
    page.openTicket(a.id);
    Screenshot::save(&page, u"tickets"_s);
    page.showConflict(a.id);
    Screenshot::save(&page, u"tickets-conflict"_s);
}

QTEST_MAIN(TestTicketsPage)
#include "tst_ticketspage.moc"

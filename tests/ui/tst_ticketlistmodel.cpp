// TicketListModel and TicketFilterProxy over a real SQLite file through TicketDesk, both under
// QAbstractItemModelTester: rows and columns, following the desk's changes row by row, the sync
// state with its reason, and the filters.
#include <QAbstractItemModelTester>
#include <QTest>

#include "desk/ticketdesk.h"
#include "tempdatabase.h"
#include "tickets/ticketfilterproxy.h"
#include "tickets/ticketlistmodel.h"
#include "tickets/ticketstore.h"

using namespace Qt::StringLiterals;

class TestTicketListModel final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void rowsShowTheTickets();
    void followsDeskChanges();
    void syncStateWithReason();
    void proxyFilters();

private:
    Ticket add(const QString &title, const QString &status = u"new"_s, const QString &assignee = {},
               const QString &category = {});

    qint64 m_now = 0;
    std::unique_ptr<TempKnowledgeDb> m_db;
    std::unique_ptr<TicketStore> m_store;
    std::unique_ptr<TicketDesk> m_desk;
    std::unique_ptr<TicketListModel> m_model;
    std::unique_ptr<TicketFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void TestTicketListModel::init()
{
    m_db = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_db->open(u"tst_ticketlistmodel"_s, &error), qPrintable(error));
    m_store = std::make_unique<TicketStore>(m_db->db.get());
    m_now = 1767225600000;
    m_store->setClock([this] { return m_now += 1000; }); // every write a second later
    m_desk = std::make_unique<TicketDesk>(m_store.get(), nullptr, m_db->kb.get());
    m_model = std::make_unique<TicketListModel>(m_desk.get());
    m_proxy = std::make_unique<TicketFilterProxy>();
    m_proxy->setSourceModel(m_model.get());
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestTicketListModel::cleanup()
{
    m_proxyTester.reset();
    m_modelTester.reset();
    m_proxy.reset();
    m_model.reset();
    m_desk.reset();
    m_store.reset();
    m_db.reset();
}

Ticket TestTicketListModel::add(const QString &title, const QString &status, const QString &assignee,
                                const QString &category)
{
    Ticket t;
    t.title = title;
    t.status = status;
    t.assignee = assignee;
    t.category = category;
    t.customerName = u"张三"_s;
    t.plate = u"粤B12345"_s;
    const auto made = m_store->create(t, u"tester"_s);
    return made ? *made : Ticket{};
}

void TestTicketListModel::rowsShowTheTickets()
{
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->columnCount(), int(TicketListModel::ColumnCount));
    const Ticket a = add(u"远程启动失败"_s, u"in_progress"_s, u"王工"_s, u"远程控制"_s);
    const int row = m_model->rowOf(a.id);
    QCOMPARE(row, 0);
    auto at = [this, row](int column, int role = Qt::DisplayRole) {
        return m_model->index(row, column).data(role);
    };
    QCOMPARE(at(TicketListModel::NumberColumn).toString(), a.number);
    QCOMPARE(at(TicketListModel::TitleColumn).toString(), u"远程启动失败"_s);
    QCOMPARE(at(TicketListModel::StatusColumn).toString(), u"In progress"_s);
    QCOMPARE(at(TicketListModel::AssigneeColumn).toString(), u"王工"_s);
    QCOMPARE(at(TicketListModel::CategoryColumn).toString(), u"远程控制"_s);
    QCOMPARE(at(TicketListModel::SyncColumn).toString(), u"Pending"_s);
    QCOMPARE(at(0, TicketListModel::IdRole).toLongLong(), a.id);
    QCOMPARE(at(0, TicketListModel::StatusRole).toString(), u"in_progress"_s);
    QCOMPARE(m_model->headerData(TicketListModel::SyncColumn, Qt::Horizontal).toString(), u"Sync"_s);
    QCOMPARE(m_model->idAt(row), a.id);
    QCOMPARE(m_model->idAt(5), 0);
}

void TestTicketListModel::followsDeskChanges()
{
    const Ticket a = add(u"甲"_s);
    const Ticket b = add(u"乙"_s);
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->idAt(0), b.id); // newest first
    // A new ticket comes in at the top without a reset.
    const Ticket c = add(u"丙"_s);
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->idAt(0), c.id);
    // An edit through the desk changes its row.
    QVERIFY(m_desk->setStatus(a.id, u"closed"_s).ok);
    QCOMPARE(m_model->index(m_model->rowOf(a.id), TicketListModel::StatusColumn).data().toString(),
             u"Closed"_s);
    // A reload reads the same rows the desk has.
    m_model->reload();
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->idAt(0), a.id); // now the newest change
}

void TestTicketListModel::syncStateWithReason()
{
    const Ticket a = add(u"甲"_s);
    TicketSyncInfo info = m_store->syncInfo(a.id);
    info.state = TicketSyncState::Error;
    info.reason = u"code 1254302: no permission"_s;
    QVERIFY(m_store->setSyncInfo(info));
    m_model->refreshTicket(a.id);
    const QModelIndex i = m_model->index(m_model->rowOf(a.id), TicketListModel::SyncColumn);
    QCOMPARE(i.data().toString(), u"Error: code 1254302: no permission"_s);
    QCOMPARE(i.data(Qt::ToolTipRole).toString(), u"Error: code 1254302: no permission"_s);
    QCOMPARE(i.data(TicketListModel::SyncStateRole).toInt(), int(TicketSyncState::Error));
    QVERIFY(i.data(Qt::ForegroundRole).isValid());
}

void TestTicketListModel::proxyFilters()
{
    add(u"远程启动失败"_s, u"new"_s, u"王工"_s, u"远程控制"_s);
    add(u"车机蓝牙"_s, u"in_progress"_s, u"李工"_s, u"车机"_s);
    const Ticket c = add(u"车机黑屏"_s, u"in_progress"_s, u"王工"_s, u"车机"_s);
    QCOMPARE(m_proxy->rowCount(), 3);
    m_proxy->setStatus(u"in_progress"_s);
    QCOMPARE(m_proxy->rowCount(), 2);
    m_proxy->setAssignee(u"王工"_s);
    QCOMPARE(m_proxy->rowCount(), 1);
    QCOMPARE(m_proxy->index(0, 0).data(TicketListModel::IdRole).toLongLong(), c.id);
    m_proxy->setCategory(u"远程控制"_s);
    QCOMPARE(m_proxy->rowCount(), 0);
    QVERIFY(m_proxy->isFiltering());
    m_proxy->clearFilters();
    QCOMPARE(m_proxy->rowCount(), 3);
    m_proxy->setText(c.number.toLower());
    QCOMPARE(m_proxy->rowCount(), 1);
    m_proxy->setText(u"粤b12345"_s); // the plate, any case
    QCOMPARE(m_proxy->rowCount(), 3);
    m_proxy->setText(u"黑屏"_s);
    QCOMPARE(m_proxy->rowCount(), 1);
    // A change that makes a row match shows it.
    m_proxy->setText({});
    m_proxy->setStatus(u"closed"_s);
    QCOMPARE(m_proxy->rowCount(), 0);
    QVERIFY(m_desk->setStatus(c.id, u"closed"_s).ok);
    QCOMPARE(m_proxy->rowCount(), 1);
}

QTEST_MAIN(TestTicketListModel)
#include "tst_ticketlistmodel.moc"
